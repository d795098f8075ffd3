/** Runs one job against its own database connection: transaction, dispatch, commit or rollback. */
import { openDb } from '../db/open.ts';
import { AppError, toSerializedError } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import { JobsRepo } from '../db/repos/jobs.ts';
import { JournalRepo } from '../db/repos/journal.ts';
import { begin, beginImmediate, busyTimeout, commit, rollback, rollbackIfOpen, setBusyTimeout } from '../db/tx.ts';
import { sha256File } from '../io/input.ts';
import fs from 'node:fs';
import type { ExportResult, FileOutcome, ImportResult, JobContext, JobSpec, ProgressUpdate } from './types.ts';
import { exporters, importers } from './registry.ts';
import type { ImportFormat, ImportKind } from '../../src-shared/dhis2/options.ts';
import type { ExportKind } from '../../src-shared/api/contract.ts';
import { statisticsInJob } from '../services/maintenance.ts';

export interface RunnerPorts {
  /** Int32Array over a SharedArrayBuffer: [0] = 1 when cancelled */
  cancelFlag: Int32Array;
  post(update: ProgressUpdate & { elapsedMs: number }): void;
}

export async function runJob(
  spec: JobSpec,
  ports: RunnerPorts,
): Promise<{ result: ImportResult | ExportResult; committed: boolean; recorded: boolean }> {
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
      if (Atomics.load(ports.cancelFlag, 0) === 1) throw ferryError('CANCELLED', 'job.cancelled');
    },
  };
  const db = openDb(spec.dbPath, { migrate: false });
  const full: JobContext = { ...ctx, db };
  const jobs = new JobsRepo(db);
  /** the job's outcome is written by the job itself: in its own transaction when it commits, else right after */
  const record = (r: Parameters<JobsRepo['finish']>[1]): void => jobs.finish(spec.jobId, r);
  try {
    if (spec.direction === 'import') {
      const importer = importers[spec.kind as ImportKind];
      if (!importer) throw ferryError('UNSUPPORTED', 'job.cannotImportKind', { kind: spec.kind });
      await waitForWriteLock(db, full);
      const journal = new JournalRepo(db);
      journal.start(spec.jobId); // the journal triggers record this job's writes (0009-journal)
      let result: ImportResult;
      try {
        result = await importer.run(full, spec.files, spec.options, spec.format as ImportFormat | undefined);
        full.throwIfCancelled();
        journal.stop();
      } catch (e) {
        rollbackIfOpen(db);
        throw e;
      }
      const committed = result.commit && !spec.dryRun;
      const outcome = { status: 'done' as const, resultStatus: result.status, summary: result.summary, error: null, files: result.files };
      if (committed) {
        ctx.progress({ stage: 'committing' });
        record(outcome); // committed together with the data: the history can never disagree with the database
        statisticsInJob(db, { direction: 'import', dryRun: false, ...outcome }); // a large job's: committed with it
        commit(db);
      } else {
        rollback(db);
        record(outcome);
      }
      return { result, committed, recorded: true };
    }
    const exporter = exporters[spec.kind as ExportKind];
    if (!exporter) throw ferryError('UNSUPPORTED', 'job.cannotExportKind', { kind: spec.kind });
    const out = spec.files[0];
    if (!out) throw ferryError('BAD_REQUEST', 'job.noOutput');
    begin(db); // one consistent snapshot for the whole export
    let result: ExportResult;
    try {
      result = await exporter.run(full, out.path, spec.format ?? 'json', spec.compression ?? 'none', spec.options);
    } finally {
      rollbackIfOpen(db);
    }
    record({
      status: 'done',
      resultStatus: result.summary.status,
      summary: result.summary,
      error: null,
      files: [{ index: 0, size: result.summary.bytes, sha256: result.summary.sha256, format: result.summary.format, compression: result.summary.compression, status: result.summary.status }],
    });
    return { result, committed: false, recorded: true };
  } catch (e) {
    // nothing of the job was kept: record why, with the fingerprints of the input files (the ones a user must find)
    const err = toSerializedError(e);
    if (err.code === 'INTERNAL' && e instanceof Error && e.stack) err.details = { ...err.details, stack: e.stack };
    let recorded = false;
    try {
      const files = spec.direction === 'import' ? await fingerprints(spec) : [];
      record({ status: err.code === 'CANCELLED' ? 'cancelled' : 'failed', resultStatus: 'ERROR', summary: null, error: err, files });
      recorded = true;
    } catch {
      /* the manager records it */
    }
    throw Object.assign(new AppError(err.code, err.message, err.details), { recorded });
  } finally {
    if (pendingTimer) clearTimeout(pendingTimer);
    flush();
    db.close();
  }
}

/**
 * Takes the write lock, waiting (cancellably, with a 'waiting' progress stage) while another process — another Ferry
 * window or a `ferry` command — is writing to the same database.
 */
async function waitForWriteLock(db: JobContext['db'], ctx: JobContext): Promise<void> {
  const normal = busyTimeout(db);
  setBusyTimeout(db, 200);
  try {
    for (;;) {
      try {
        beginImmediate(db);
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
        ctx.progress({ stage: 'waiting for another import to finish' });
        ctx.throwIfCancelled();
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    setBusyTimeout(db, normal);
  }
}

async function fingerprints(spec: JobSpec): Promise<FileOutcome[]> {
  const out: FileOutcome[] = [];
  for (const f of spec.files) {
    if (!fs.existsSync(f.path)) continue;
    out.push({ index: f.index, size: fs.statSync(f.path).size, sha256: await sha256File(f.path), format: null, compression: null, status: 'ERROR' });
  }
  return out;
}
