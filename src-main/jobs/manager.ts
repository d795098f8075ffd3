/**
 * The job manager: records jobs, runs one at a time per database (in a worker_threads worker, or inline for tests that
 * need no thread), forwards throttled progress, supports cancel, and stores every outcome in the job history.
 */
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/open.ts';
import { JobsRepo } from '../db/repos/jobs.ts';
import type { Events, JobRecord, JobSummary } from '../../src-shared/api/contract.ts';
import { AppError, toSerializedError, type SerializedError } from '../../src-shared/errors.ts';
import type { ErrorKey, ErrorParams } from '../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { ExportResult, ImportResult, JobSpec, WorkerMessage } from './types.ts';
import { startWorker } from './start-worker.ts';
import { JOB_WORKER_LIMITS } from './worker-limits.ts';
import { removePart } from '../io/output.ts';

export interface JobManagerOptions {
  db: Db;
  dbPath: string;
  /** 'worker' (default): a worker_threads worker per job; 'inline': same thread (unit tests) */
  mode?: 'worker' | 'inline';
  /** the worker entry (built .js in the app; defaults to ./worker.ts next to this file) */
  workerPath?: string;
  user?: string;
  /**
   * Set when the database is in a read-only place (the message to give): `dbPath` is then a private copy, and only
   * exports and dry runs start; an import is refused before it is recorded. By key and parameters of the errors
   * catalogue (said in the user's language), or as English text.
   */
  readOnly?: string | { key: ErrorKey; params: ErrorParams };
  /** runs after each job has finished and been announced, before the next one starts (the after-job maintenance) */
  afterJob?: (job: JobRecord) => Promise<unknown>;
  /**
   * One cancel flag for every job of this manager, set from outside it: the `ferry` command's Ctrl+C when the manager
   * runs in the command's job worker (cli/job-host.ts). Absent: a flag per job, set by cancel().
   */
  cancelFlag?: Int32Array;
}

export interface StartJob {
  direction: 'import' | 'export';
  kind: string;
  dryRun: boolean;
  options: Record<string, unknown>;
  files: { path: string; name: string; size: number | null }[];
  format?: string;
  compression?: string;
}

/**
 * The options a job's history keeps: all but secrets (a protected DHIS 1.4 database's password, any option whose name
 * says password, secret or token). The job itself gets them all; the history, the job overview and "Run again" never
 * see them, so a second run asks for the password again.
 */
export function keptOptions(options: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!/password|secret|token/i.test(k)) kept[k] = v;
  return kept;
}

type Listener<E extends keyof Events> = (p: Events[E]) => void;

export class JobManager {
  readonly jobs: JobsRepo;
  private readonly emitter = new EventEmitter();
  private chain: Promise<void> = Promise.resolve();
  private readonly cancels = new Map<number, Int32Array>();
  private readonly waiters = new Map<number, ((r: JobRecord) => void)[]>();
  private readonly opts: JobManagerOptions;

  constructor(opts: JobManagerOptions) {
    this.opts = opts;
    this.jobs = new JobsRepo(opts.db);
    this.jobs.markInterrupted();
    // exports that died mid-way (this process's previous run, a crash) leave their `.part`: not ours to keep
    for (const target of this.jobs.staleExportTargets()) removePart(target);
    this.emitter.setMaxListeners(100);
  }

  on<E extends keyof Events>(event: E, l: Listener<E>): () => void {
    this.emitter.on(event, l as (p: unknown) => void);
    return () => this.emitter.off(event, l as (p: unknown) => void);
  }

  start(job: StartJob): number {
    if (this.opts.readOnly && job.direction === 'import' && !job.dryRun) {
      const r = this.opts.readOnly;
      throw typeof r === 'string' ? new AppError('DB_READONLY', r, { readOnly: true }) : ferryError('DB_READONLY', r.key, r.params, { readOnly: true });
    }
    const { jobId, fileIds } = this.jobs.create({ ...job, options: keptOptions(job.options) });
    const spec: JobSpec = {
      jobId,
      dbPath: this.opts.dbPath,
      direction: job.direction,
      kind: job.kind,
      dryRun: job.dryRun,
      options: job.options,
      files: job.files.map((f, i) => ({ index: i, fileId: fileIds[i]!, path: f.path, name: f.name })),
      format: job.format,
      compression: job.compression,
      user: this.opts.user ?? 'ferry',
    };
    const flag = this.opts.cancelFlag ?? new Int32Array(new SharedArrayBuffer(4));
    this.cancels.set(jobId, flag);
    this.chain = this.chain.then(() => this.execute(spec, flag)).catch(() => undefined);
    return jobId;
  }

  cancel(id: number): boolean {
    const flag = this.cancels.get(id);
    if (!flag) return false;
    Atomics.store(flag, 0, 1);
    return true;
  }

  /** Resolves when the job has finished (whatever its outcome). */
  wait(id: number): Promise<JobRecord> {
    const rec = this.jobs.get(id);
    if (!rec) return Promise.reject(ferryError('NOT_FOUND', 'job.notFound', { id }));
    if (!['queued', 'running'].includes(rec.status)) return Promise.resolve(rec);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  /** Whether a job is queued or running. */
  busy(): boolean {
    return this.cancels.size > 0;
  }

  /** Resolves once every queued job has finished. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async execute(spec: JobSpec, flag: Int32Array): Promise<void> {
    if (Atomics.load(flag, 0) === 1) {
      this.complete(spec.jobId, 'cancelled', null, null, { code: 'CANCELLED', message: 'The job was cancelled before it started.', details: {} });
      return;
    }
    this.jobs.markRunning(spec.jobId);
    try {
      // the job records its own outcome (inside its transaction when it commits); only read it back here
      await (this.opts.mode === 'inline' ? this.runInline(spec, flag) : this.runInWorker(spec, flag));
      const rec = this.announce(spec.jobId);
      await this.opts.afterJob?.(rec).catch(() => undefined);
    } catch (e) {
      if ((e as { recorded?: boolean }).recorded === true) this.announce(spec.jobId);
      else {
        const err = toSerializedError(e);
        // the worker died (or failed before it could record): an export's partial file goes with it
        if (spec.direction === 'export' && spec.files[0]) removePart(spec.files[0].path);
        this.complete(spec.jobId, err.code === 'CANCELLED' ? 'cancelled' : 'failed', 'ERROR', null, err);
      }
    } finally {
      this.cancels.delete(spec.jobId);
    }
  }

  private announce(id: number): JobRecord {
    const rec = this.jobs.get(id)!;
    this.emitter.emit('job:done', rec);
    for (const w of this.waiters.get(id) ?? []) w(rec);
    this.waiters.delete(id);
    return rec;
  }

  private complete(
    id: number,
    status: JobRecord['status'],
    resultStatus: string | null,
    summary: JobSummary | null,
    error: SerializedError | null,
    files?: ImportResult['files'],
  ): void {
    this.jobs.finish(id, { status, resultStatus, summary, error, files });
    this.announce(id);
  }

  private emitProgress(jobId: number, e: Record<string, unknown>): void {
    this.emitter.emit('job:progress', {
      jobId,
      stage: 'reading',
      done: 0,
      total: null,
      unit: 'bytes',
      records: 0,
      fileIndex: 0,
      fileName: '',
      elapsedMs: 0,
      ...e,
    });
  }

  private async runInline(spec: JobSpec, flag: Int32Array): Promise<{ result: ImportResult | ExportResult; committed: boolean }> {
    // the engine is loaded when a job runs on this thread, never by a manager whose jobs run in workers (the app's
    // main thread): importing the manager costs the job history, not the importers, formats and registries
    const { runJob } = await import('./runner.ts');
    return runJob(spec, { cancelFlag: flag, post: (e) => this.emitProgress(spec.jobId, e) });
  }

  private runInWorker(spec: JobSpec, flag: Int32Array): Promise<{ result: ImportResult | ExportResult; committed: boolean }> {
    const entry = this.opts.workerPath ?? fileURLToPath(new URL('./worker.ts', import.meta.url));
    const workerData = { spec, cancel: flag.buffer };
    const worker = startWorker(entry, workerData, JOB_WORKER_LIMITS);
    return new Promise((resolve, reject) => {
      let settled = false;
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') this.emitProgress(spec.jobId, m.event);
        else if (m.type === 'result') {
          settled = true;
          resolve({ result: m.result, committed: m.committed });
        } else if (m.type === 'error') {
          settled = true;
          reject(Object.assign(new AppError(m.error.code as AppError['code'], m.error.message, m.error.details), { recorded: m.recorded }));
        }
      });
      worker.on('error', (e) => {
        if (!settled) (settled = true), reject(e);
      });
      worker.on('exit', (code) => {
        if (!settled) {
          settled = true;
          reject(ferryError('INTERNAL', 'job.workerStopped', { code: code ?? '' }));
        }
      });
    });
  }
}
