/**
 * The heap of a job's worker thread (jobs/manager.ts, and the `ferry` command's job worker, cli/job-client.ts).
 *
 * A worker that passes its limit stops alone (ERR_WORKER_OUT_OF_MEMORY: the job is recorded as failed, its
 * transaction rolled back, the app and its window go on) instead of growing until the operating system kills the whole
 * process. The limit must be far above what a legitimate job needs (measured 2026-12-08, `ferry import` built, the
 * largest heap before a collection of the job's thread under `--trace-gc`):
 * - a data value import holds a few batches at a time whatever the file's size (the parse thread has its own, smaller
 *   limit: importers/data-values/pipeline.ts): 32 MB for the bench's 1,000,000 values, 54 MB for 10,000,000 (the
 *   scale bench's 1 GB CSV; the whole process's peak RSS 212 MB);
 * - a metadata import holds every object of the file (the validation chain sees them all): 151 MB for the bench's
 *   100,000 objects (16 MB of DXF2 JSON), growing with the file — so a 1 GB limit takes a metadata file about six
 *   times that (~100 MB of JSON), 2 GB about thirteen times.
 * Half the computer's memory, between 1 GB and 4 GB (V8's own default on a 64-bit computer with 16 GB or more): an old
 * 4 GB desktop keeps 2 GB for the system and the window. The young generation keeps V8's default (smaller means more
 * frequent collections on the import's hot path).
 */
import os from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';

export function jobHeapMb(totalMemoryBytes: number): number {
  return Math.min(4096, Math.max(1024, Math.round(totalMemoryBytes / 2 ** 20 / 2)));
}

export const JOB_WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: jobHeapMb(os.totalmem()) };
