/** Runs one job against its own database connection: transaction, dispatch, commit or rollback. */
import { openDb } from '../db/open.ts';
import { AppError } from '../../src-shared/errors.ts';
import type { ExportResult, ImportResult, JobContext, JobSpec, ProgressUpdate } from './types.ts';
import { exporters, importers } from './registry.ts';
import type { ImportFormat, ImportKind } from '../../src-shared/dhis2/options.ts';
import type { ExportKind } from '../../src-shared/api/contract.ts';

export interface RunnerPorts {
  /** Int32Array over a SharedArrayBuffer: [0] = 1 when cancelled */
  cancelFlag: Int32Array;
  post(update: ProgressUpdate & { elapsedMs: number }): void;
}

export async function runJob(spec: JobSpec, ports: RunnerPorts): Promise<{ result: ImportResult | ExportResult; committed: boolean }> {
  const started = Date.now();
  let last = 0;
  let lastUpdate: (ProgressUpdate & { elapsedMs: number }) | null = null;
  let pendingTimer: ReturnType<typeof setTimeout> | null = null;
  const flush = (): void => {
    if (lastUpdate) ports.post(lastUpdate);
    lastUpdate = null;
    last = Date.now();
  };
  const ctx: Omit<JobContext, 'db'> = {
    jobId: spec.jobId,
    dryRun: spec.dryRun,
    now: new Date().toISOString(),
    user: spec.user,
    progress(update) {
      lastUpdate = { ...(lastUpdate ?? {}), ...update, elapsedMs: Date.now() - started };
      const t = Date.now();
      if (t - last >= 100) flush();
      else if (!pendingTimer) pendingTimer = setTimeout(() => ((pendingTimer = null), flush()), 100);
    },
    cancelled: () => Atomics.load(ports.cancelFlag, 0) === 1,
    throwIfCancelled() {
      if (Atomics.load(ports.cancelFlag, 0) === 1) throw new AppError('CANCELLED', 'The job was cancelled; nothing was changed.');
    },
  };
  const db = openDb(spec.dbPath, { migrate: false });
  const full: JobContext = { ...ctx, db };
  try {
    if (spec.direction === 'import') {
      const importer = importers[spec.kind as ImportKind];
      if (!importer) throw new AppError('UNSUPPORTED', `Ferry cannot import '${spec.kind}' files yet.`);
      db.exec('BEGIN IMMEDIATE');
      let result: ImportResult;
      try {
        result = await importer.run(full, spec.files, spec.options, spec.format as ImportFormat | undefined);
        full.throwIfCancelled();
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw e;
      }
      const commit = result.commit && !spec.dryRun;
      if (commit) {
        ctx.progress({ stage: 'committing' });
        db.exec('COMMIT');
      } else db.exec('ROLLBACK');
      return { result, committed: commit };
    }
    const exporter = exporters[spec.kind as ExportKind];
    if (!exporter) throw new AppError('UNSUPPORTED', `Ferry cannot export '${spec.kind}' yet.`);
    const out = spec.files[0];
    if (!out) throw new AppError('BAD_REQUEST', 'No output file given.');
    db.exec('BEGIN'); // one consistent snapshot for the whole export
    try {
      const result = await exporter.run(full, out.path, spec.format ?? 'json', spec.compression ?? 'none', spec.options);
      return { result, committed: false };
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
  } finally {
    if (pendingTimer) clearTimeout(pendingTimer);
    flush();
    db.close();
  }
}
