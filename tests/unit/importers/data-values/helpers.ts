/**
 * Test helpers for data value imports: load metadata fixtures straight through MetadataRepo (the data importer only
 * reads metadata), run imports through the same door the CLI uses (openFerry + import:start + jobs.wait), and read
 * the stored values back by UID.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../../../src-main/db/open.ts';
import { MetadataRepo } from '../../../../src-main/db/repos/metadata.ts';
import { openFerry, type Ferry } from '../../../../src-main/services/context.ts';
import { invoke } from '../../../../src-main/ipc/register.ts';
import type { JobRecord } from '../../../../src-shared/api/contract.ts';
import type { FileImportSummary, ImportSummary } from '../../../../src-shared/dhis2/import-summary.ts';
import type { SerializedError } from '../../../../src-shared/errors.ts';
import { parsePeriod } from '../../../../src-shared/dhis2/period.ts';
import { tmpDir } from '../../../helpers/tmp.ts';
import { afterEach, beforeEach, expect } from 'vitest';

/** Loads a DXF2 metadata JSON object (or file) into the store as-is (including system defaults it redefines). */
export function loadMetadata(db: Db, payload: string | Record<string, unknown>): void {
  const obj = typeof payload === 'string' ? (JSON.parse(fs.readFileSync(payload, 'utf8')) as Record<string, unknown>) : payload;
  const repo = new MetadataRepo(db);
  db.transaction(() => {
    for (const [type, list] of Object.entries(obj)) {
      if (!Array.isArray(list) || type.startsWith('_') || type === 'system') continue;
      for (const o of list as Record<string, unknown>[]) if (o && typeof o.id === 'string') repo.upsert(type, o);
    }
    repo.rebuildOrgUnitPaths();
  })();
}

export function addPeriods(db: Db, isos: string[]): void {
  const ins = db.prepare(`INSERT OR IGNORE INTO period (iso, type, start_date, end_date) VALUES (?, ?, ?, ?)`);
  for (const iso of isos) {
    const p = parsePeriod(iso);
    if (p) ins.run(p.iso, p.type, p.startDate, p.endDate);
  }
}

export interface ImportOutcome {
  job: JobRecord | null;
  summary: ImportSummary | null;
  error: SerializedError | null;
}

/** Starts an import through import:start and waits for it. A refused request is an outcome with `error`. */
export async function runImport(
  ferry: Ferry,
  files: string[],
  options: Record<string, unknown> = {},
  extra: { format?: string; kind?: string } = {},
): Promise<ImportOutcome> {
  const r = await invoke(ferry.handlers, 'import:start', { files, options, ...extra });
  if (!r.ok) return { job: null, summary: null, error: r.error };
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  return { job, summary: (job.summary as ImportSummary | null) ?? null, error: job.error };
}

export interface StoredValue {
  dataElement: string;
  period: string;
  orgUnit: string;
  categoryOptionCombo: string;
  attributeOptionCombo: string;
  value: string | null;
  comment: string | null;
  storedBy: string | null;
  followup: number;
  deleted: number;
  created: string;
  lastUpdated: string;
  sourceFileId: number | null;
}

export function storedValues(db: Db, opts: { includeDeleted?: boolean } = {}): StoredValue[] {
  return db
    .prepare(
      `SELECT de.uid AS dataElement, p.iso AS period, ou.uid AS orgUnit, coc.uid AS categoryOptionCombo, aoc.uid AS attributeOptionCombo,
              v.value, v.comment, v.stored_by AS storedBy, v.followup, v.deleted, v.created, v.last_updated AS lastUpdated, v.source_file_id AS sourceFileId
       FROM data_value_decoded v JOIN metadata_object de ON de.id = v.de JOIN period p ON p.id = v.pe JOIN metadata_object ou ON ou.id = v.ou
       JOIN metadata_object coc ON coc.id = v.coc JOIN metadata_object aoc ON aoc.id = v.aoc
       ${opts.includeDeleted ? '' : 'WHERE v.deleted = 0'} ORDER BY de.uid, p.iso, ou.uid, coc.uid, aoc.uid`,
    )
    .all() as StoredValue[];
}

/** A fresh Ferry site in a temp dir (inline jobs unless told otherwise). */
export function freshFerry(mode: 'inline' | 'worker' = 'inline'): { ferry: Ferry; dir: string } {
  const dir = tmpDir('ferry-dv-');
  const ferry = openFerry({ dbPath: path.join(dir, 'ferry.sqlite'), mode, user: 'tester' });
  return { ferry, dir };
}

/**
 * A fresh site with SMALL_METADATA for each test (beforeEach/afterEach): `csv` writes a DHIS2 CSV file with its header,
 * `imp` imports a file through import:start and returns its summary (the job must not fail).
 */
export function useDataSite(): {
  readonly ferry: Ferry;
  readonly dir: string;
  csv(name: string, ...rows: string[]): string;
  imp(file: string, options?: Record<string, unknown>): Promise<ImportSummary>;
} {
  let cur: { ferry: Ferry; dir: string } | null = null;
  beforeEach(() => {
    cur = freshFerry('inline');
    loadMetadata(cur.ferry.db, SMALL_METADATA);
  });
  afterEach(async () => {
    await cur?.ferry.close();
    cur = null;
  });
  const site = {
    get ferry(): Ferry {
      return cur!.ferry;
    },
    get dir(): string {
      return cur!.dir;
    },
    csv: (name: string, ...rows: string[]): string => writeFile(site.dir, name, [CSV_HEADER, ...rows].join('\n') + '\n'),
    imp: async (file: string, options: Record<string, unknown> = {}): Promise<ImportSummary> => {
      const r = await runImport(site.ferry, [file], options);
      expect(r.error).toBeNull();
      return r.summary!;
    },
  };
  return site;
}

export function fileSummaries(s: ImportSummary | null): FileImportSummary[] {
  return s?.fileSummaries ?? [];
}

/** Minimal metadata for rule tests: DEs of several value types, two org units, a data set, a category combo. */
export const SMALL_METADATA = {
  categoryOptions: [
    { id: 'CoMale00001', name: 'Male', code: 'M', shortName: 'Male' },
    { id: 'CoFemale001', name: 'Female', code: 'F', shortName: 'Female' },
  ],
  categories: [{ id: 'CatSex00001', name: 'Sex', code: 'SEX', categoryOptions: [{ id: 'CoMale00001' }, { id: 'CoFemale001' }] }],
  categoryCombos: [{ id: 'CcSex000001', name: 'Sex', code: 'CC_SEX', categories: [{ id: 'CatSex00001' }], categoryOptionCombos: [{ id: 'CocMale0001' }, { id: 'CocFemale01' }] }],
  categoryOptionCombos: [
    { id: 'CocMale0001', name: 'Male', code: 'COC_M', categoryOptions: [{ id: 'CoMale00001' }] },
    { id: 'CocFemale01', name: 'Female', code: 'COC_F', categoryOptions: [{ id: 'CoFemale001' }] },
  ],
  optionSets: [{ id: 'OsColor0001', name: 'Colour', valueType: 'TEXT', options: [{ id: 'OptRed00001' }, { id: 'OptBlue0001' }] }],
  options: [
    { id: 'OptRed00001', name: 'Red', code: 'RED' },
    { id: 'OptBlue0001', name: 'Blue', code: 'BLUE' },
  ],
  dataElements: [
    { id: 'DeNumber001', name: 'Number', code: 'DE_NUM', valueType: 'NUMBER', aggregationType: 'SUM', zeroIsSignificant: false, categoryCombo: { id: 'CcSex000001' } },
    { id: 'DeInteger01', name: 'Integer', code: 'DE_INT', valueType: 'INTEGER', aggregationType: 'SUM', zeroIsSignificant: true, categoryCombo: { id: 'bjDvmb4bfuf' } },
    { id: 'DeBool00001', name: 'Bool', code: 'DE_BOOL', valueType: 'BOOLEAN', aggregationType: 'NONE', categoryCombo: { id: 'bjDvmb4bfuf' } },
    { id: 'DeText00001', name: 'Text', code: 'DE_TEXT', valueType: 'TEXT', aggregationType: 'NONE', categoryCombo: { id: 'bjDvmb4bfuf' } },
    { id: 'DeDate00001', name: 'Date', code: 'DE_DATE', valueType: 'DATE', aggregationType: 'NONE', categoryCombo: { id: 'bjDvmb4bfuf' } },
    { id: 'DePercent01', name: 'Percent', code: 'DE_PCT', valueType: 'PERCENTAGE', aggregationType: 'AVERAGE', zeroIsSignificant: false, categoryCombo: { id: 'bjDvmb4bfuf' } },
    { id: 'DeColour001', name: 'Colour', code: 'DE_COL', valueType: 'TEXT', optionSet: { id: 'OsColor0001' }, categoryCombo: { id: 'bjDvmb4bfuf' } },
  ],
  organisationUnits: [
    { id: 'OuDistrict1', name: 'District', code: 'OU_D', shortName: 'District' },
    { id: 'OuClinicA01', name: 'Clinic A', code: 'OU_A', shortName: 'Clinic A', parent: { id: 'OuDistrict1' } },
    { id: 'OuClinicB01', name: 'Clinic B', code: 'OU_B', shortName: 'Clinic B', parent: { id: 'OuDistrict1' } },
  ],
  dataSets: [
    {
      id: 'DsMonthly01',
      name: 'Monthly',
      code: 'DS_M',
      periodType: 'Monthly',
      categoryCombo: { id: 'bjDvmb4bfuf' },
      dataSetElements: [{ dataElement: { id: 'DeNumber001' } }, { dataElement: { id: 'DeInteger01' } }],
      organisationUnits: [{ id: 'OuClinicA01' }],
    },
  ],
};

export const CSV_HEADER = 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted';

export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}
