import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import path, { resolve } from 'node:path';
import fs from 'node:fs';
import type { Plugin } from 'vite';
import { STAMP_FILE, sourcesStamp } from './bin/sources-stamp.mjs';

/**
 * Writes the sources' state the main build was made from (bin/sources-stamp.mjs) beside the bundle: bin/ferry.mjs runs
 * the built CLI only when the sources still match it. Taken when the build starts, written when it is complete.
 */
function cliStamp(): Plugin {
  let sources = '';
  const stampIn = (dir: string | undefined): string => resolve(dir ?? 'out/main', path.basename(STAMP_FILE));
  return {
    name: 'ferry-cli-stamp',
    buildStart() {
      sources = sourcesStamp(resolve('.'));
    },
    renderStart(output) {
      fs.rmSync(stampIn(output.dir), { force: true }); // while writing: bin/ferry.mjs runs the sources
    },
    writeBundle(output) {
      fs.writeFileSync(stampIn(output.dir), JSON.stringify({ sources }) + '\n');
    },
  };
}

/**
 * main (+ the job worker and the `ferry` CLI as their own entries: the CLI is bundled with the worker's chunks, so
 * `ferry` starts from JavaScript — bin/ferry.mjs — instead of compiling TypeScript at each start), a CommonJS preload (sandboxed preloads cannot be ESM), the renderer.
 * The renderer is served from app://ferry/ (src-main/app/app-protocol.ts), never file://.
 */
export default defineConfig({
  main: {
    plugins: [cliStamp()],
    build: {
      // pure-JS dependencies of every start are bundled (i18next: the CLI's messages; zod alone is ~200 ESM files to resolve and compile: ~0.1 s of
      // each `ferry` start); the native better-sqlite3 and the big, lazily loaded exceljs, pdf-lib and pdfjs stay external
      externalizeDeps: { exclude: ['zod', 'saxes', '@streamparser/json', 'i18next'] },
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src-main/app/main.ts'),
          worker: resolve('src-main/jobs/worker.ts'),
          cli: resolve('src-main/cli/main.ts'),
          // the parse thread of a data value job (importers/data-values/pipeline.ts finds it beside the bundle)
          'data-parse-worker': resolve('src-main/importers/data-values/parse-worker.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: resolve('src-renderer/index.html') },
      // served from app://ferry/ with THE CSP (src-main/app/csp.ts): no data: assets, no inline scripts
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
    },
  },
});
