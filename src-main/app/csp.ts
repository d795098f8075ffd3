/**
 * THE Content-Security-Policy of Ferry's page: only bundled scripts and styles from the page's own origin, nothing
 * inline, nothing remote. One policy, sent as a response header by whatever serves the page: the Electron app's
 * `app://` protocol handler (src-main/app/app-protocol.ts) and the HTTP bridge (src-main/bridge/server.ts).
 * No `'unsafe-inline'`: index.html has no inline script or style, the build emits files (no data: modules), and React
 * sets `style` props through the CSSOM, which CSP does not govern. Pure (no electron), so tests and the bridge use it.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The development exception (electron-vite dev, unpackaged builds only): Vite injects CSS as <style> elements and
 * talks to its dev server over a WebSocket for hot reload. Scripts stay 'self' (React's refresh preamble is a module).
 */
export function devCsp(devOrigin: string): string {
  const ws = devOrigin.replace(/^http/, 'ws');
  return CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("connect-src 'self'", `connect-src 'self' ${ws}`);
}
