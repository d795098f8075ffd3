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

const runBuilt = state.fresh ? await builtCli() : null;
if (runBuilt) {
  // the bundle's own location is out/main/chunks: the paths its sources would derive from theirs are given here
  const staticDir = ['out/renderer-web', 'out/renderer'].map((d) => path.join(root, d)).find((d) => fs.existsSync(path.join(d, 'index.html')));
  process.exitCode = await runBuilt(argv, undefined, { workerPath: path.join(root, 'out/main/worker.js'), staticDir });
} else {
  if (process.stderr.isTTY || process.env.FERRY_SAY_SOURCES === '1')
    process.stderr.write(`ferry: running the sources through tsx (slower to start): ${state.why === 'FERRY_FROM_SOURCES=1' ? state.why : `the built CLI is out of date, ${state.why} (npm run build)`}\n`);
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../src-main/cli/main.ts');
  process.exitCode = await runCli(argv);
}
