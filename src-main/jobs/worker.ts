/**
 * worker_threads entry: runs one job and reports progress and the result to the manager — or, started with
 * workerData.check, the database check of services/check.ts, or, started with workerData.cli, the whole of a `ferry
 * import` (cli/job-host.ts: the command's thread loads no engine). One built entry serves the three.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runJob } from './runner.ts';
import type { JobSpec, WorkerMessage } from './types.ts';
import { toSerializedError } from '../../src-shared/errors.ts';
import { checkDatabaseFile, repairDatabaseFile, type CheckWorkerMessage } from '../services/check.ts';
import { hostCliJob, type CliHostMessage, type CliJobRequest } from '../cli/job-host.ts';

const port = parentPort!;
const data = workerData as { spec: JobSpec; cancel: SharedArrayBuffer } | { check: { dbPath: string; displayName?: string; repair?: boolean } } | { cli: CliJobRequest | null };

if ('cli' in data) {
  const host = (req: CliJobRequest): void => void hostCliJob(req, (m: CliHostMessage) => port.postMessage(m));
  // started ahead of its request (bin/ferry.mjs starts it while the command's thread loads): the request comes by message
  if (data.cli) host(data.cli);
  else port.once('message', host);
} else if ('check' in data) {
  const send = (m: CheckWorkerMessage): void => port.postMessage(m);
  try {
    if (data.check.repair) send({ type: 'repair-result', result: repairDatabaseFile(data.check.dbPath, data.check.displayName) });
    else send({ type: 'check-result', result: checkDatabaseFile(data.check.dbPath, (progress) => send({ type: 'check-progress', progress }), data.check.displayName) });
  } catch (e) {
    send({ type: 'error', error: toSerializedError(e) });
  }
} else {
  const { spec, cancel } = data;
  const send = (m: WorkerMessage): void => port.postMessage(m);
  runJob(spec, { cancelFlag: new Int32Array(cancel), post: (event) => send({ type: 'progress', event }) })
    .then(({ result, committed }) => send({ type: 'result', result, committed }))
    .catch((e: unknown) => {
      const err = toSerializedError(e);
      if (err.code === 'INTERNAL' && e instanceof Error && e.stack) err.details = { ...err.details, stack: e.stack };
      send({ type: 'error', error: err, recorded: (e as { recorded?: boolean }).recorded === true });
    });
}
