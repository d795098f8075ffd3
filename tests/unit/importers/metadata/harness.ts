/** Shared helpers of the metadata engine unit tests: run a payload through MetadataEngine on an in-memory database. */
import { afterEach, beforeEach } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { MetadataEngine, type EngineOptions, type Obj } from '../../../../src-main/importers/metadata/engine.ts';
import { Bundle } from '../../../../src-main/importers/metadata/bundle.ts';
import { connectDefaults, dropDefaults, match, preheat } from '../../../../src-main/importers/metadata/preheat.ts';
import type { ErrorReport, ImportReport } from '../../../../src-shared/dhis2/import-summary.ts';

export const base: EngineOptions = {
  dryRun: false, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', identifier: 'UID', skipValidation: false, skipSharing: false,
  skipTranslation: false, importReportMode: 'ERRORS', firstRowIsHeader: true, now: '2024-05-01T10:00:00.000Z', sourceFileId: null,
};

/** Imports a payload (plural key → objects) in one transaction; returns the report and every error report. */
export function runEngine(db: Db, payload: Record<string, unknown>, opts: Partial<EngineOptions> = {}): { report: ImportReport; commit: boolean; errors: ErrorReport[] } {
  const e = new MetadataEngine(db, { ...base, ...opts });
  for (const [type, list] of Object.entries(payload)) {
    if (Array.isArray(list)) list.forEach((object, index) => e.add({ type, index, object: structuredClone(object) as Obj }));
    e.noteKey(type, Array.isArray(list) ? list.length : 0);
  }
  const r = db.transaction(() => e.run())();
  return { ...r, errors: r.report.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports)) };
}

/** A fresh in-memory Ferry database for each test of the file: `t.db`. */
export function useMemoryDb(): { readonly db: Db } {
  const holder = {} as { db: Db };
  beforeEach(() => {
    holder.db = openDb(':memory:');
  });
  afterEach(() => holder.db.close());
  return holder;
}

/** A bundle holding a payload as the checks see it (preheated and matched against the database), to run one check on. */
export function bundleOf(db: Db, payload: Record<string, Obj[]>, opts: Partial<EngineOptions> = {}): Bundle {
  const b = new Bundle(db, { ...base, ...opts });
  for (const [type, list] of Object.entries(payload)) list.forEach((object, index) => b.add({ type, index, object: structuredClone(object) }));
  dropDefaults(b);
  preheat(b);
  match(b);
  connectDefaults(b);
  return b;
}

/** [errorCode, mainId] of every error of a bundle, in object order. */
export const errorsOf = (b: Bundle): [string, string | undefined][] => b.items.flatMap((i) => i.errors.map((e): [string, string | undefined] => [e.errorCode, e.mainId]));

/** The stored JSON of an object, by uid. */
export function storedJson(db: Db, uid: string): Obj | undefined {
  const r = db.prepare(`SELECT json FROM metadata_object WHERE uid = ?`).pluck().get(uid) as string | undefined;
  return r ? (JSON.parse(r) as Obj) : undefined;
}

export const de = (id: string, name: string, extra: Obj = {}): Obj => ({ id, name, shortName: name, valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM', ...extra });
export const ou = (id: string, name: string, extra: Obj = {}): Obj => ({ id, name, shortName: name, openingDate: '2000-01-01', ...extra });
