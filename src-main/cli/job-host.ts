/**
 * The `ferry import` command's side in its job worker (jobs/worker.ts started with workerData.cli; the command's own
 * thread is cli/job-client.ts). Everything the command needs of the engine happens here, once: the database opened
 * (and migrated), the request validated and the files detected (import:start, as every door does it), the job run on
 * this thread, the after-job maintenance, the database closed. The command's thread gets the job's number, its
 * progress, and its record when it ends — which it may print while this thread still checkpoints and closes.
 */
import { openFerry, type Ferry } from '../services/context.ts';
import { invoke } from '../ipc/register.ts';
import { typedPaths } from '../ipc/ports.ts';
import { AppError, type SerializedError } from '../../src-shared/errors.ts';
import type { JobRecord, ProgressEvent } from '../../src-shared/api/contract.ts';

export interface CliJobRequest {
  dbPath: string;
  user?: string;
  channel: 'import:start';
  request: unknown;
  /** Int32Array [0] = 1: the command was interrupted (Ctrl+C): the job is cancelled (and rolled back) */
  cancel: SharedArrayBuffer;
  /** whether the command shows progress (a terminal, no --json): else no progress is posted */
  progress: boolean;
}

export type CliHostMessage =
  /** the job was recorded and queued; `dbPath` is the file its record is in (a private copy of a read-only database) */
  | { type: 'started'; jobId: number; dbPath: string; readOnly: boolean }
  | { type: 'progress'; event: ProgressEvent }
  /** the job's record as it ended (the database is still being checkpointed and closed) */
  | { type: 'job'; job: JobRecord }
  /** refused before a job was started (the request, the file, the database), as the command's thread would have said it */
  | { type: 'error'; error: SerializedError }
  /** the database is closed */
  | { type: 'closed' };

/** An error as runCli reports one thrown on the command's thread (AppError as it is, anything else INTERNAL). */
function asCliError(e: unknown): SerializedError {
  return e instanceof AppError ? e.toJSON() : { code: 'INTERNAL', message: String((e as Error)?.message ?? e), details: {} };
}

export async function hostCliJob(req: CliJobRequest, send: (m: CliHostMessage) => void): Promise<void> {
  let ferry: Ferry;
  try {
    // the job runs on this thread (it is the job worker); the statistics and checkpoint after it too
    ferry = openFerry({ dbPath: req.dbPath, mode: 'inline', user: req.user, paths: typedPaths(), maintenance: 'same-thread', cancelFlag: new Int32Array(req.cancel) });
  } catch (e) {
    send({ type: 'error', error: asCliError(e) });
    send({ type: 'closed' });
    return;
  }
  try {
    const r = await invoke(ferry.handlers, req.channel, req.request);
    if (!r.ok) {
      send({ type: 'error', error: r.error });
      return;
    }
    const jobId = (r.value as { jobId: number }).jobId;
    send({ type: 'started', jobId, dbPath: ferry.readOnly ? '' : req.dbPath, readOnly: ferry.readOnly !== null });
    let sent = false;
    const done = (job: JobRecord): void => {
      if (sent || job.id !== jobId) return;
      sent = true;
      send({ type: 'job', job });
    };
    const offProgress = req.progress ? ferry.jobs.on('job:progress', (e) => e.jobId === jobId && send({ type: 'progress', event: e })) : () => undefined;
    // job:done is announced before the after-job maintenance runs: the command prints while this thread finishes
    const offDone = ferry.jobs.on('job:done', done);
    try {
      done(await ferry.jobs.wait(jobId));
    } finally {
      offProgress();
      offDone();
    }
  } catch (e) {
    send({ type: 'error', error: asCliError(e) });
  } finally {
    try {
      await ferry.close();
    } finally {
      send({ type: 'closed' });
    }
  }
}
