/** Plain Vite build of the renderer (no Electron) to out/renderer-web/, served by the HTTP bridge in e2e tests. */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('./out/renderer-web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // no inline scripts or data: modules: the CSP forbids them
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
