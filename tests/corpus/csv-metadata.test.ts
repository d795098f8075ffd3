/**
 * DHIS2 CSV metadata conformance: every `csv-metadata` case of ../shared/corpus/cases.json is its own test. Imports run
 * through the same code the CLI uses (openFerry → import:start with kind csv-metadata → job); `parse` cases (and the
 * `parsed` expectation of import cases) read the file into objects as the import does, with the case's database for
 * DHIS2's lookups, without writing. Skipped with a message when the corpus is absent.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Db } from '../../src-main/db/open.ts';
import type { ImportReport } from '../../src-shared/dhis2/import-summary.ts';
import { DEFAULT_UIDS } from '../../src-shared/dhis2/schema/registry.ts';
import { readCsvMetadataFile, requireClassKey } from '../../src-main/importers/csv-metadata/index.ts';
import { caseOptions, corpusExists, corpusPath, importThrough, loadCases, openCaseDb, type CorpusCase } from './harness.ts';
import { CSV_METADATA_EXPECTED_FAILURES } from './csv-metadata-expected-failures.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const DEFAULTS = new Set(Object.values(DEFAULT_UIDS));

/** A case's options as Ferry's import options: mergeMode (REPLACE is DHIS2's only mode since 2.41) and format are not options. */
function importOptions(o: Obj | null | undefined): Obj {
  const out = caseOptions(o);
  delete out.mergeMode;
  delete out.format;
  return out;
}

function allOfType(db: Db, type: string): Obj[] {
  const rows = db.prepare(`SELECT uid, json FROM metadata_object WHERE type = ? ORDER BY id`).all(type) as { uid: string; json: string }[];
  return rows.filter((r) => !DEFAULTS.has(r.uid)).map((r) => JSON.parse(r.json) as Obj);
}

const norm = (v: unknown): unknown => (isObj(v) && typeof v.id === 'string' ? v.id : v === undefined ? null : v);
const sizeOf = (v: unknown): number => (Array.isArray(v) ? v.length : isObj(v) ? 1 : 0);

async function parse(db: Db, c: CorpusCase): Promise<Record<string, Obj[]>> {
  const o = c.options ?? {};
  const parsed: Record<string, Obj[]> = {};
  const file = corpusPath(c.file);
  await readCsvMetadataFile(db, { path: file, name: path.basename(file) }, requireClassKey(o.classKey), o.firstRowIsHeader !== false, (r) => (parsed[r.type] ??= []).push(r.object));
  return parsed;
}

function checkParsed(parsed: Record<string, Obj[]>, want: Obj): void {
  for (const [type, spec] of Object.entries(want as Record<string, Obj>)) {
    const list = parsed[type] ?? [];
    if (spec.count !== undefined) expect(list.length, `parsed ${type}`).toBe(spec.count);
    for (const p of (spec.eachHas as string[]) ?? []) for (const x of list) expect(x[p], `${type}.${p}`).toBeDefined();
    ((spec.items as Obj[]) ?? []).forEach((item, i) => expect(list[i], `${type}[${i}]`).toMatchObject(item));
    if (spec.optionsEach !== undefined) for (const x of list) expect(sizeOf(x.options), `${type} ${String(x.name)} options`).toBe(spec.optionsEach);
  }
}

function checkReport(r: ImportReport, x: Obj): void {
  const errors = r.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports));
  const dump = JSON.stringify(errors.map((e) => `${e.errorCode} ${e.message}`).slice(0, 12));
  if (x.status !== undefined) expect(r.status, `status; errors ${dump}`).toBe(x.status);
  for (const [k, v] of Object.entries((x.stats as Obj) ?? {})) expect(r.stats[k as keyof typeof r.stats], `stats.${k}; ${JSON.stringify(r.stats)} ${dump}`).toBe(v);
}

function checkAfter(db: Db, a: Obj): void {
  for (const [type, n] of Object.entries((a.counts as Obj) ?? {})) expect(allOfType(db, type).length, `count of ${type}`).toBe(n);
  for (const e of (a.objects as Obj[]) ?? []) {
    const spec = e as { type: string; id?: string; code?: string };
    const o = allOfType(db, spec.type).find((x) => (spec.id ? x.id === spec.id : x.code === spec.code));
    const label = `${spec.type} ${spec.id ?? spec.code}`;
    expect(o, `${label} exists`).toBeDefined();
    for (const [p, want] of Object.entries((e.props as Obj) ?? {})) expect(norm(o![p]), `${label} ${p}`).toEqual(want);
    for (const [p, n] of Object.entries((e.sizes as Obj) ?? {})) expect(sizeOf(o![p]), `${label} size of ${p}`).toBe(n);
  }
  if (a.optionSetOptionsEach !== undefined) for (const os of allOfType(db, 'optionSets')) expect(sizeOf(os.options), `options of ${String(os.name)}`).toBe(a.optionSetOptionsEach);
}

async function runCase(c: CorpusCase): Promise<void> {
  const cdb = await openCaseDb(c);
  try {
    for (const b of c.before ?? []) {
      const job = await importThrough(cdb.ferry, b.file, importOptions(b.options), 'csv-metadata');
      expect(job.error, `before ${b.file}: ${JSON.stringify(job.error)}`).toBeNull();
      expect((job.summary as ImportReport).status, `before ${b.file}`).toBe('OK');
    }
    if (c.expect.parsed) checkParsed(await parse(cdb.ferry.db, c), c.expect.parsed as Obj);
    if (c.phase === 'parse') return;
    const job = await importThrough(cdb.ferry, c.file, importOptions(c.options), 'csv-metadata');
    expect(job.error, JSON.stringify(job.error)).toBeNull();
    const report = job.summary as ImportReport;
    expect(report.responseType).toBe('ImportReport');
    checkReport(report, c.expect);
    if (c.expect.after) checkAfter(cdb.ferry.db, c.expect.after as Obj);
  } finally {
    await cdb.close();
  }
}

const cases = loadCases('csv-metadata');

describe.skipIf(corpusExists)('DHIS2 CSV metadata conformance without the corpus', () => {
  it.skip('skipped: ../shared/corpus was not found next to the repository', () => undefined);
});

describe.skipIf(!corpusExists)('DHIS2 CSV metadata conformance (../shared/corpus)', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(0));
  for (const c of cases) {
    const title = `${c.id}${c.phase ? ` [${c.phase}]` : ''}`;
    if (c.applicable === false) {
      it.skip(`${title} — not applicable offline: ${c.reason ?? ''}`, () => undefined);
      continue;
    }
    const reason = CSV_METADATA_EXPECTED_FAILURES[c.id];
    if (reason) it.fails(`${title} — expected failure: ${reason}`, () => runCase(c));
    else it(title, () => runCase(c));
  }
});
