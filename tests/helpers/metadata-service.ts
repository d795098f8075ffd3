/**
 * Runs small metadata payloads through the real metadata import service (openFerry → import:start → job, inline
 * mode, one transaction per job: committed or rolled back), on a fresh database per test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { ErrorReport, ImportReport } from '../../src-shared/dhis2/import-summary.ts';
import { tmpDir } from './tmp.ts';

type Obj = Record<string, unknown>;

/** One error report with the object report it belongs to. */
export interface ReportedError extends ErrorReport {
  klass: string;
  index: number;
  uid: string | undefined;
}

export interface MetadataRun {
  report: ImportReport;
  errors: ReportedError[];
  /** stats of one type by its DHIS2 class simple name (e.g. DataElement), zeros when the type is absent */
  stats(simpleClass: string): { created: number; updated: number; ignored: number; total: number };
}

export interface MetadataService {
  readonly ferry: Ferry;
  run(payload: Obj, options?: Obj): Promise<MetadataRun>;
  /** the stored JSON of an object, by uid */
  stored(uid: string): Obj | undefined;
  /** how many objects of a type are stored */
  count(type: string): number;
}

/** A fresh Ferry (inline jobs) for each test of the file. */
export function useMetadataService(): MetadataService {
  let dir = '';
  let ferry: Ferry | null = null;
  let n = 0;
  beforeEach(() => {
    dir = tmpDir('ferry-md-');
    ferry = openFerry({ dbPath: path.join(dir, 'ferry.sqlite'), mode: 'inline' });
  });
  afterEach(async () => {
    await ferry?.close();
    ferry = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const f = (): Ferry => {
    if (!ferry) throw new Error('no Ferry open');
    return ferry;
  };
  return {
    get ferry() {
      return f();
    },
    async run(payload, options = {}) {
      const file = path.join(dir, `payload-${++n}.json`);
      fs.writeFileSync(file, JSON.stringify(payload));
      const r = await invoke(f().handlers, 'import:start', { files: [file], kind: 'metadata', options });
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      const job = await f().jobs.wait((r.value as { jobId: number }).jobId);
      if (job.error) throw new Error(JSON.stringify(job.error));
      const report = job.summary as ImportReport;
      const errors = report.typeReports.flatMap((t) =>
        t.objectReports.flatMap((o) => o.errorReports.map((e): ReportedError => ({ ...e, klass: o.klass, index: o.index, uid: o.uid }))),
      );
      const stats = (simple: string): { created: number; updated: number; ignored: number; total: number } => {
        const t = report.typeReports.find((x) => x.klass.endsWith('.' + simple));
        return t ? { created: t.stats.created, updated: t.stats.updated, ignored: t.stats.ignored, total: t.stats.total } : { created: 0, updated: 0, ignored: 0, total: 0 };
      };
      return { report, errors, stats };
    },
    stored(uid) {
      const j = f().db.prepare(`SELECT json FROM metadata_object WHERE uid = ?`).pluck().get(uid) as string | undefined;
      return j ? (JSON.parse(j) as Obj) : undefined;
    },
    count(type) {
      return f().db.prepare(`SELECT count(*) FROM metadata_object WHERE type = ?`).pluck().get(type) as number;
    },
  };
}
