#!/usr/bin/env node
// The `ferry` command. Runs the built CLI (out/main/cli.js from `npm run build`: electron-vite's main build, which also
// makes the job worker out/main/worker.js that its jobs run in) when it was built from the sources as they are now
// (bin/sources-stamp.mjs). Otherwise — never built, or a source changed since — it runs the TypeScript sources through
// tsx (a development dependency: slower to start, never stale), saying so in one line on stderr when stderr is a
// terminal or FERRY_SAY_SOURCES=1 (scripts and tests reading stderr get only the command's own words).
// FERRY_FROM_SOURCES=1 always runs the sources.
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtCliState } from './sources-stamp.mjs';

// Node 22.1+: V8's compiled code of the bundle is kept between starts (in the temp folder); Node 20 has no such cache
module.enableCompileCache?.();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const state = process.env.FERRY_FROM_SOURCES === '1' ? { fresh: false, why: 'FERRY_FROM_SOURCES=1' } : builtCliState(root);

async function builtCli() {
  try {
    return (await import(pathToFileURL(path.join(root, 'out/main/cli.js')).href)).runCli;
  } catch (e) {
    // a build under way emptied out/ after the check: the sources
    if (e?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    state.why = 'a build is under way';
    return null;
  }
}

/**
 * What looks like `ferry import` (the word among the arguments, no --help or --version) gets its job worker now, so
 * that the worker loads the engine (~0.25 s) while this thread loads the CLI; the command hands it its request
 * (src-main/cli/job-client.ts) or leaves it. Unref'd: an unused one never keeps the process alive. Its heap limit is
 * src-main/jobs/worker-limits.ts's (half the memory, 1-4 GB): the command starts a worker of its own if they differ.
 */
async function startJobWorker() {
  if (process.env.FERRY_INLINE_JOBS === '1' || !argv.includes('import') || argv.some((a) => a === '--help' || a === '-h' || a === '--version')) return undefined;
  const [{ Worker }, { default: os }] = await Promise.all([import('node:worker_threads'), import('node:os')]);
  const heapMb = Math.min(4096, Math.max(1024, Math.round(os.totalmem() / 2 ** 20 / 2)));
  const w = new Worker(path.join(root, 'out/main/worker.js'), { workerData: { cli: null }, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  w.unref();
  // (its errors are the command's to report when it takes it; one it never takes must not crash the process)
  w.on('error', () => undefined);
  return w;
}

const jobWorker = state.fresh ? await startJobWorker() : undefined;
const runBuilt = state.fresh ? await builtCli() : null;
if (!runBuilt) void jobWorker?.terminate();
if (runBuilt) {
  // the bundle's own location is out/main/chunks: the paths its sources would derive from theirs are given here
  const staticDir = ['out/renderer-web', 'out/renderer'].map((d) => path.join(root, d)).find((d) => fs.existsSync(path.join(d, 'index.html')));
  process.exitCode = await runBuilt(argv, undefined, { workerPath: path.join(root, 'out/main/worker.js'), staticDir, jobWorker });
} else {
  if (process.stderr.isTTY || process.env.FERRY_SAY_SOURCES === '1')
    process.stderr.write(`ferry: running the sources through tsx (slower to start): ${state.why === 'FERRY_FROM_SOURCES=1' ? state.why : `the built CLI is out of date, ${state.why} (npm run build)`}\n`);
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../src-main/cli/main.ts');
  process.exitCode = await runCli(argv);
}
