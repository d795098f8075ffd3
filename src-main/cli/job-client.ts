/**
 * `ferry import` on the command's thread: a job client that loads no engine. The command's job worker (the built
 * out/main/worker.js, or jobs/worker.ts from the sources) does everything the engine does, once (cli/job-host.ts):
 * it opens and migrates the database, validates the request and detects the files, runs the job, and closes the
 * database. This thread parses the flags, shows the progress, cancels on Ctrl+C, and prints the outcome — as soon as
 * the job has ended, while the worker still checkpoints and closes. Before, the command's thread loaded the whole
 * engine (~1.8 MB of bundle) to detect and record the job, and the worker loaded it again to run it.
 *
 * FERRY_INLINE_JOBS=1 (the tests' in-process runs) keeps the jobs on this thread: cli/commands.ts.
 * Also here, shared with cli/commands.ts: the flags → options mapping and the printing of a finished job.
 */
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../jobs/start-worker.ts';
import { JOB_WORKER_LIMITS } from '../jobs/worker-limits.ts';
import { AppError, type SerializedError } from '../../src-shared/errors.ts';
import type { JobRecord, ProgressEvent } from '../../src-shared/api/contract.ts';
import type { CliHostMessage, CliJobRequest } from './job-host.ts';
import { exitCodeOf, formatJob, jsonWarnings, unprintedLine } from './format.ts';
import { writeJson, type JsonSink } from './json-stream.ts';
import { waitWithProgress, type JobWatch } from './progress.ts';
import { usageError } from './i18n.ts';
import type { ParsedArgs } from './args.ts';
import type { BuiltPaths, CliIo } from './main.ts';

/** stdout as a sink for the streaming JSON writer */
export function sinkOf(io: CliIo): JsonSink {
  return { write: (s) => io.stdout(s), drain: io.drain };
}

const NON_OPTION_FLAGS = new Set(['lang', 'db', 'json', 'kind', 'format', 'out', 'compression', 'help', 'version', 'port', 'static', 'limit', 'open']);

/** The job options a command's flags give (DHIS2's names: --strategy is importStrategy, --import-mode VALIDATE a dry run). */
export function optionsFrom(flags: Record<string, unknown>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flags)) {
    if (NON_OPTION_FLAGS.has(k)) continue;
    if (k === 'strategy') o.importStrategy = v;
    else if (k === 'importMode') o.dryRun = String(v).toUpperCase() === 'VALIDATE';
    else o[k] = v;
  }
  return o;
}

/** Waits for the job (progress, Ctrl+C), prints its outcome (JSON or text) and gives the exit status. */
export async function finishJob(ferry: { jobs: JobWatch }, jobId: number, json: boolean, io: CliIo): Promise<number> {
  const job = await waitWithProgress(ferry, jobId, json, io);
  // the job record is the truth: the exit status says what was stored, even when the output below fails
  const code = exitCodeOf(job);
  try {
    if (job.error) {
      if (json) await writeJson(sinkOf(io), { status: 'ERROR', error: job.error });
      else io.stderr(formatJob(job) + '\n');
    } else if (json) {
      await writeJson(sinkOf(io), job.summary);
      // stdout is the one JSON document: overlapping files are also said on stderr
      for (const w of jsonWarnings(job)) io.stderr(w + '\n');
    } else io.stdout(formatJob(job) + '\n');
  } catch (e) {
    try {
      io.stderr(unprintedLine(job, e) + '\n');
    } catch {
      /* stderr is gone too: the exit status still tells */
    }
  }
  return code;
}

/** A job of the command's job worker, seen from the command's thread. */
export interface CliJob {
  jobId: number;
  jobs: JobWatch;
  /** resolves when the worker has closed the database and stopped */
  closed: Promise<void>;
}

/**
 * Starts the command's job worker on `request` and resolves once the job is recorded and queued; rejects (AppError)
 * when it was refused (bad request, unreadable file, a database that cannot be opened), as the command's thread would.
 */
export function startCliJob(o: {
  workerPath?: string;
  /** a job worker started ahead, waiting for its request (BuiltPaths.jobWorker) */
  prestarted?: Worker;
  dbPath: string;
  user?: string;
  channel: CliJobRequest['channel'];
  request: unknown;
  progress: boolean;
}): Promise<CliJob> {
  const entry = o.workerPath ?? fileURLToPath(new URL('../jobs/worker.ts', import.meta.url));
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const cli: CliJobRequest = { dbPath: o.dbPath, user: o.user, channel: o.channel, request: o.request, cancel: cancel.buffer as SharedArrayBuffer, progress: o.progress };
  const worker = takePrestarted(o.prestarted, cli) ?? startWorker(entry, { cli }, JOB_WORKER_LIMITS);
  const listeners = new Set<(e: ProgressEvent) => void>();
  let started: { jobId: number; dbPath: string } | null = null;
  let ended: JobRecord | null = null;
  let endWaiters: ((r: JobRecord) => void)[] = [];
  let failWaiters: ((e: unknown) => void)[] = [];
  let closedResolve: () => void = () => undefined;
  const closed = new Promise<void>((r) => (closedResolve = r));
  const end = (job: JobRecord): void => {
    if (ended) return;
    ended = job;
    for (const w of endWaiters) w(job);
    endWaiters = [];
    failWaiters = [];
  };
  const fail = (e: unknown): void => {
    for (const w of failWaiters) w(e);
    failWaiters = [];
    endWaiters = [];
  };
  return new Promise<CliJob>((resolve, reject) => {
    let refused: SerializedError | null = null;
    let dead = false;
    /** the worker stopped without saying how the job ended (out of memory, a crash): said as the job manager says it */
    const died = (err: SerializedError): void => {
      if (ended || dead) return;
      dead = true;
      if (!started) return reject(new AppError(err.code, err.message, err.details));
      void recordCrash(started.dbPath, started.jobId, err).then(end, fail);
    };
    /** the worker said why it could not go on: before the job was recorded, the command's refusal */
    const refuse = (err: SerializedError): void => {
      const e = new AppError(err.code, err.message, err.details);
      if (!started) reject(e);
      else if (!ended) fail(e);
    };
    worker.on('message', (m: CliHostMessage) => {
      if (m.type === 'progress') for (const l of listeners) l(m.event);
      else if (m.type === 'started') {
        started = { jobId: m.jobId, dbPath: m.dbPath };
        resolve({
          jobId: m.jobId,
          closed,
          jobs: {
            on: (_event, l) => (listeners.add(l), () => void listeners.delete(l)),
            cancel: () => (Atomics.store(cancel, 0, 1), true),
            wait: () =>
              ended
                ? Promise.resolve(ended)
                : new Promise<JobRecord>((res, rej) => {
                    endWaiters.push(res);
                    failWaiters.push(rej);
                  }),
          },
        });
      } else if (m.type === 'job') end(m.job);
      else if (m.type === 'error') refused = m.error;
      else if (m.type === 'closed') {
        // the database is closed: the process need not wait for the thread's own teardown to exit
        worker.unref();
        closedResolve();
        if (refused) refuse(refused);
      }
    });
    worker.on('error', (e) => died({ code: 'INTERNAL', message: e.message, details: {} }));
    worker.on('exit', (code) => {
      closedResolve();
      if (refused) refuse(refused);
      else died({ code: 'INTERNAL', message: `The job worker stopped unexpectedly (exit code ${code}); nothing was changed.`, details: {} });
    });
  });
}

/**
 * The worker started ahead, given its request — when it still runs and has the job workers' heap limits (bin/ferry.mjs
 * computes them as jobs/worker-limits.ts does: if the two ever differ, a worker of ours is started instead); else null.
 */
function takePrestarted(w: Worker | undefined, cli: CliJobRequest): Worker | null {
  if (!w) return null;
  if (w.threadId === -1 || w.resourceLimits?.maxOldGenerationSizeMb !== JOB_WORKER_LIMITS.maxOldGenerationSizeMb) {
    void w.terminate();
    return null;
  }
  w.ref();
  w.postMessage(cli);
  return w;
}

/** The job's record after its worker died mid-job: failed, with why (what the job manager records in that case). */
async function recordCrash(dbPath: string, jobId: number, err: SerializedError): Promise<JobRecord> {
  if (!dbPath) throw new AppError(err.code, err.message, err.details);
  const { openDb } = await import('../db/open.ts');
  const { JobsRepo } = await import('../db/repos/jobs.ts');
  const db = openDb(dbPath, { migrate: false });
  try {
    const jobs = new JobsRepo(db);
    const rec = jobs.get(jobId);
    if (rec && ['queued', 'running'].includes(rec.status)) jobs.finish(jobId, { status: 'failed', resultStatus: 'ERROR', summary: null, error: err });
    const after = jobs.get(jobId);
    if (!after) throw new AppError(err.code, err.message, err.details);
    return after;
  } finally {
    db.close();
  }
}

/** `ferry import FILE…` through the command's job worker. */
export async function importCommand(o: { rest: string[]; flags: ParsedArgs['flags']; json: boolean; dbPath: string; io: CliIo; built: BuiltPaths }): Promise<number> {
  const { rest, flags, json, dbPath, io, built } = o;
  if (!rest.length) throw usageError('error.importNeedsFile');
  const job = await startCliJob({
    workerPath: built.workerPath,
    prestarted: built.jobWorker,
    dbPath,
    user: io.env.FERRY_USER,
    channel: 'import:start',
    request: { files: rest, kind: flags.kind, format: flags.format, options: optionsFrom(flags) },
    progress: io.isTTY && !json,
  });
  try {
    return await finishJob(job, job.jobId, json, io);
  } finally {
    await job.closed;
  }
}
