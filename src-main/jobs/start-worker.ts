/** Starting a job or check worker (jobs/manager.ts, services/check.ts). */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

/** Starts a worker on `entry`: the built .js as is, a .ts source (dev, tests) through tsx. */
export function startWorker(entry: string, workerData: unknown, resourceLimits?: WorkerOptions['resourceLimits']): Worker {
  return entry.endsWith('.ts')
    ? new Worker(
        `import(${JSON.stringify(tsxApiUrl())}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); })`,
        { eval: true, workerData, resourceLimits },
      )
    : new Worker(entry, { workerData, resourceLimits });
}

function tsxApiUrl(): string {
  // the ESM entry of tsx's API (require.resolve would give the CJS one)
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(cjs.replace(/index\.cjs$/, 'index.mjs')).href;
}
