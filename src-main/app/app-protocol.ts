/**
 * The `app://ferry/` protocol the Electron app serves its page from (instead of file://, which would give the page
 * the run of the file system's origin). Pure Node, no electron: main.ts registers the scheme and wraps
 * serveAppRequest in protocol.handle; tests call it directly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CSP } from './csp.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'ferry';
/** What the window loads. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True for a URL of the app's own page (app://ferry/…). */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export type AppFile = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Maps an app:// URL to a file inside `rootDir` (the built renderer, out/renderer). Refuses other hosts (400) and any
 * path that leaves the root, however it is spelled (../, %2e%2e, %2f, backslashes, NUL): 403.
 */
export function resolveAppFile(requestUrl: string, rootDir: string): AppFile {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return { ok: false, status: 400, reason: `not ${APP_SCHEME}://${APP_HOST}/` };
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'malformed path' };
  }
  if (rel.includes('\0')) return { ok: false, status: 403, reason: 'path outside the app' };
  rel = rel.replace(/^[/\\]+/, '') || 'index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, rel);
  const fromRoot = path.relative(root, file);
  // the URL parser already removed plain ../ segments: one that is still there was encoded, so it is refused outright
  if (!fromRoot || fromRoot.startsWith('..') || path.isAbsolute(fromRoot) || rel.split(/[\\/]/).includes('..')) {
    return { ok: false, status: 403, reason: 'path outside the app' };
  }
  return { ok: true, file, contentType: MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** The answer to one app:// request: the file with its type and THE CSP, or a plain refusal. */
export async function serveAppRequest(requestUrl: string, rootDir: string): Promise<AppResponse> {
  const common = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' };
  const r = resolveAppFile(requestUrl, rootDir);
  if (!r.ok) return { status: r.status, headers: { ...common, 'content-type': 'text/plain; charset=utf-8' }, body: r.reason };
  try {
    const body = await fs.promises.readFile(r.file);
    return { status: 200, headers: { ...common, 'content-type': r.contentType }, body };
  } catch {
    return { status: 404, headers: { ...common, 'content-type': 'text/plain; charset=utf-8' }, body: 'not found' };
  }
}
