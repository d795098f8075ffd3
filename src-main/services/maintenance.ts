/**
 * Database maintenance of a session (db/maintenance.ts does the SQLite work):
 * - a large job (LARGE_JOB_ROWS rows written or more) updates the planner's statistics in its own transaction
 *   (statisticsInJob, called by jobs/runner.ts before it commits); after it, a WAL checkpoint, in a worker (or on the
 *   caller's thread: the CLI's job worker);
 * - backup and compaction on demand (db:backup / db:vacuum, `ferry backup` / `ferry vacuum`), one at a time, with a
 *   status to poll (db:maintenanceStatus) like the database check's.
 */
import path from 'node:path';
import { reasonParams, type Db } from '../db/open.ts';
import { backupDatabase, freeSpace, optimizeAfterLargeWrite, optimizeInWorker, updateStatistics, vacuumDatabase, type OptimizeOutcome } from '../db/maintenance.ts';
import type { DbBackupResult, DbMaintenanceProgress, DbMaintenanceStatus, DbVacuumResult, JobRecord } from '../../src-shared/api/contract.ts';
import { toSerializedError } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';

/** A job that wrote at least this many rows updates the statistics (ANALYZE/optimize) and is followed by a checkpoint. */
export const LARGE_JOB_ROWS = 100_000;

/** Rows a finished job wrote (created, updated, deleted), from its summary; 0 for exports, dry runs and failures. */
export function rowsWritten(job: Pick<JobRecord, 'direction' | 'dryRun' | 'status' | 'summary'>): number {
  if (job.direction !== 'import' || job.dryRun || job.status !== 'done' || !job.summary) return 0;
  const s = job.summary as { importCount?: { imported?: number; updated?: number; deleted?: number }; stats?: { created?: number; updated?: number; deleted?: number } };
  if (s.importCount) return (s.importCount.imported ?? 0) + (s.importCount.updated ?? 0) + (s.importCount.deleted ?? 0);
  if (s.stats) return (s.stats.created ?? 0) + (s.stats.updated ?? 0) + (s.stats.deleted ?? 0);
  return 0;
}

/**
 * In a job's transaction, just before it commits: the planner's statistics when the job wrote LARGE_JOB_ROWS rows or
 * more (then they are committed with the data, or rolled back with it: never lost, never half done). Which ran, or
 * null. Statistics are an optimisation: an error here (SQLITE_BUSY cannot happen, the job holds the write lock) is
 * not the job's failure.
 */
export function statisticsInJob(db: Db, job: Pick<JobRecord, 'direction' | 'dryRun' | 'status' | 'summary'>, threshold = LARGE_JOB_ROWS): 'analyze' | 'optimize' | null {
  if (rowsWritten(job) < threshold) return null;
  try {
    return updateStatistics(db);
  } catch {
    return null;
  }
}

/**
 * The after-job step: a checkpoint when the job was large; null otherwise (or when it could not run).
 * In a worker thread on a connection of its own, or — `sameThread`, the CLI's choice: no window to keep responsive,
 * and no worker to start — on the caller's connection.
 */
export async function maintainAfterJob(job: JobRecord, dbPath: string, o: { sameThread?: Db; threshold?: number } = {}): Promise<OptimizeOutcome | null> {
  if (dbPath === ':memory:' || rowsWritten(job) < (o.threshold ?? LARGE_JOB_ROWS)) return null;
  try {
    return o.sameThread ? optimizeAfterLargeWrite(o.sameThread) : await optimizeInWorker(dbPath);
  } catch {
    return null; // statistics are an optimisation: a job never fails for them
  }
}

export interface MaintenanceDeps {
  db: Db;
  /** the file SQLite works on (a private copy when the database is read-only) */
  dbPath: string;
  /** how messages name the database */
  displayName: string;
  /** why the database cannot be written, else null: compaction is refused then */
  readOnly: string | null;
  /** whether a job is queued or running (compaction is refused then) */
  jobsBusy: () => boolean;
}

export class Maintenance {
  private running: DbMaintenanceStatus['running'] = null;
  private progress: DbMaintenanceProgress | null = null;
  private last: DbMaintenanceStatus['last'] = null;
  private readonly d: MaintenanceDeps;

  constructor(d: MaintenanceDeps) {
    this.d = d;
  }

  status(): DbMaintenanceStatus {
    return { running: this.running, progress: this.progress, last: this.last, space: freeSpace(this.d.db) };
  }

  async backup(out: string, onProgress?: (p: DbMaintenanceProgress) => void): Promise<DbBackupResult> {
    const target = path.resolve(out);
    if (target === path.resolve(this.d.dbPath) || target === path.resolve(this.d.displayName))
      throw ferryError('BAD_REQUEST', 'maintenance.backupOverDb');
    return this.run('backup', onProgress, async (report) => {
      const r = await backupDatabase(this.d.db, target, { onProgress: (p) => report({ task: 'backup', ...p }) });
      return { task: 'backup', out: r.out, bytes: r.bytes, pages: r.pages, check: r.check, durationMs: r.durationMs };
    });
  }

  async vacuum(onProgress?: (p: DbMaintenanceProgress) => void): Promise<DbVacuumResult> {
    if (this.d.readOnly) throw ferryError('DB_READONLY', 'maintenance.readOnly', { db: this.d.displayName, ...reasonParams(this.d.readOnly) }, { readOnly: true });
    if (this.d.jobsBusy()) throw ferryError('BUSY', 'maintenance.busyJob');
    return this.run('vacuum', onProgress, async (report) => {
      const r = await vacuumDatabase(this.d.db, this.d.dbPath, (p) => report({ task: 'vacuum', ...p }));
      return {
        task: 'vacuum',
        bytesBefore: r.before.fileBytes + r.before.walBytes,
        bytesAfter: r.after.fileBytes + r.after.walBytes,
        savedBytes: r.savedBytes,
        checkpointed: !r.checkpoint.busy,
        durationMs: r.durationMs,
      };
    });
  }

  private async run<R extends DbBackupResult | DbVacuumResult>(
    task: 'backup' | 'vacuum',
    onProgress: ((p: DbMaintenanceProgress) => void) | undefined,
    work: (report: (p: DbMaintenanceProgress) => void) => Promise<R>,
  ): Promise<R> {
    if (this.running) throw ferryError('BUSY', this.running === 'backup' ? 'maintenance.busyBackup' : 'maintenance.busyCompaction');
    this.running = task;
    this.progress = { task, stage: 'starting', done: 0, total: 0, elapsedMs: 0 };
    try {
      const r = await work((p) => {
        this.progress = p;
        onProgress?.(p);
      });
      this.last = r;
      return r;
    } catch (e) {
      this.last = { task, error: toSerializedError(e) };
      throw e;
    } finally {
      this.running = null;
      this.progress = null;
    }
  }

  /** Resolves when nothing runs (close). */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 50));
  }
}
