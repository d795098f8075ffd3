import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

/**
 * main (+ the job worker as its own entry), a CommonJS preload (sandboxed preloads cannot be ESM), the renderer.
 * The renderer is served from app://ferry/ (src-main/app/app-protocol.ts), never file://.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve('src-main/app/main.ts'), worker: resolve('src-main/jobs/worker.ts') },
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
