/**
 * worker_threads entry of a data value job's parse thread (parse-side.ts): a read-only connection of its own for the
 * metadata, batches to the job's thread (their ints in a slot of a shared ring, codec.ts BatchRing), at most
 * MAX_IN_FLIGHT not yet applied (a counter in shared memory the job's thread increments).
 * Bundled as its own entry (out/main/data-parse-worker.js, electron.vite.config.ts); from the sources through tsx.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openReadOnly } from '../../db/read-only.ts';
import { toSerializedError } from '../../../src-shared/errors.ts';
import { MAX_IN_FLIGHT, parseFiles, type ParseMessage, type ParseParams } from './parse-side.ts';
import { BatchRing } from './codec.ts';

const port = parentPort!;
const { params, dbPath, acks, ring: ringBuffer } = workerData as { params: ParseParams; dbPath: string; acks: Int32Array; ring: SharedArrayBuffer };
/** the batches' ints travel in shared memory, one slot per batch in flight */
const ring = new BatchRing(ringBuffer, MAX_IN_FLIGHT);
/** tests: make the parse thread die (exit after N batches), to see the job fail cleanly */
const dieAfter = /^exit-after:(\d+)$/.exec(process.env.FERRY_TEST_PARSE_THREAD ?? '');

/** batches posted; acks[0] counts those the job's thread has applied */
let posted = 0;
let sent = 0;

/** (ES2024's Atomics.waitAsync, in Node since 16) */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: unknown } }).waitAsync;

/**
 * Resolves once fewer than MAX_IN_FLIGHT batches are unapplied; when they were all unapplied, once half of them are
 * applied (the job's thread then wakes this one once per MAX_IN_FLIGHT / 2 batches, not per batch).
 */
async function credit(): Promise<void> {
  if (posted - Atomics.load(acks, 0) < MAX_IN_FLIGHT) return;
  // the count waited for is said first (acks[1]), then the count read again: a batch applied after that read either
  // changes the value waited on (waitAsync returns at once) or sees acks[1] and wakes this thread
  const needed = posted - MAX_IN_FLIGHT / 2;
  Atomics.store(acks, 1, needed);
  try {
    for (;;) {
      const applied = Atomics.load(acks, 0);
      if (applied >= needed) return;
      const w = waitAsync(acks, 0, applied);
      if (w.async) await w.value;
    }
  } finally {
    Atomics.store(acks, 1, 0);
  }
}

// a listening port keeps the thread alive while it waits (a pending waitAsync does not); closed at the end
port.on('message', () => {});

const post = (m: ParseMessage): void => {
  if (m.t === 'batch') {
    posted++;
    const batch = ring.pack(m.batch);
    port.postMessage({ ...m, batch }, batch.slot === undefined ? [batch.ints.buffer as ArrayBuffer] : []);
    if (dieAfter && ++sent >= Number(dieAfter[1])) process.exit(3);
  } else port.postMessage(m);
};

let db: ReturnType<typeof openReadOnly> | null = null;
try {
  db = openReadOnly(dbPath);
  await parseFiles(params, db, {
    post,
    credit,
    lend: true,
  });
} catch (e) {
  port.postMessage({ t: 'fatal', error: toSerializedError(e) } satisfies ParseMessage);
} finally {
  db?.close();
  port.close();
}
