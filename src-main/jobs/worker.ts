/** worker_threads entry: runs one job and reports progress and the result to the manager. */
import { parentPort, workerData } from 'node:worker_threads';
import { runJob } from './runner.ts';
import type { JobSpec, WorkerMessage } from './types.ts';
import { toSerializedError } from '../../src-shared/errors.ts';

const { spec, cancel } = workerData as { spec: JobSpec; cancel: SharedArrayBuffer };
const port = parentPort!;
const send = (m: WorkerMessage): void => port.postMessage(m);

runJob(spec, { cancelFlag: new Int32Array(cancel), post: (event) => send({ type: 'progress', event }) })
  .then(({ result, committed }) => send({ type: 'result', result, committed }))
  .catch((e: unknown) => {
    const err = toSerializedError(e);
    if (err.code === 'INTERNAL' && e instanceof Error && e.stack) err.details = { ...err.details, stack: e.stack };
    send({ type: 'error', error: err, recorded: (e as { recorded?: boolean }).recorded === true });
  });
