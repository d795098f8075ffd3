/**
 * Door 3: the same handlers over HTTP on 127.0.0.1 only (used by the browser tests and for headless use).
 * POST /api/invoke/<channel> → Result JSON; GET /api/events → server-sent events; static files for the renderer.
 * With a QueuedDialogPort, POST /test/dialog/open|save lets a test answer the "native" dialogs.
 * With BrowserTransfers (`ferry serve`: a browser has no file paths), two raw byte streams beside the contract:
 *  - POST /api/upload?name=FILE.csv, body the file's bytes as application/octet-stream, token in a header → Result
 *    JSON { path, name, size }: the file, streamed to disk, which the page may now stat and import (see transfers.ts);
 *  - GET /api/download/TICKET/NAME → the file with Content-Disposition: attachment. The TICKET (random, one per file,
 *    valid until the server stops) comes from the contract channel files:downloadLink, which needs the token; it is
 *    the download's credential because a link the browser follows cannot carry the Authorization header, and it
 *    opens that one file only (the bridge's token never appears in a download address or history).
 *
 * No other web page in the user's browser may drive it (see apiRefusal): every /api and /test request carries the
 * per-start token (Authorization: Bearer …, or X-Ferry-Token; the event stream, which EventSource opens without
 * headers, as ?token=…), comes from the bridge's own origin or from no browser page at all, and a POST body is
 * application/json (never a form or text/plain body, which a foreign page could send without asking CORS first).
 * The page gets the token from the fragment of `pageUrl` (http://127.0.0.1:PORT/#token=…), never sent to the server.
 * Open the site with pickedPaths() (see PathPolicy): the page may only stat and write what the dialogs returned.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { invoke, type Handlers } from '../ipc/register.ts';
import type { JobManager } from '../jobs/manager.ts';
import { EVENT_NAMES } from '../../src-shared/api/contract.ts';
import { QueuedDialogPort } from '../ipc/ports.ts';
import { CSP } from '../app/csp.ts';
import type { BrowserTransfers } from './transfers.ts';
import { toSerializedError } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';

export interface BridgeOptions {
  handlers: Handlers;
  jobs: JobManager;
  staticDir?: string;
  dialogs?: QueuedDialogPort;
  port?: number;
  /** the access token; by default 32 random bytes (base64url), new at every start */
  token?: string;
  /** uploads and downloads (`ferry serve`); without it /api/upload and /api/download answer 404 */
  transfers?: BrowserTransfers;
}

export interface Bridge {
  /** the bridge's origin, http://127.0.0.1:PORT */
  url: string;
  /** the secret every /api and /test request must carry */
  token: string;
  /** the address to open in a browser: the page reads the token from the fragment (#token=…) */
  pageUrl: string;
  close(): Promise<void>;
}

/** The header a non-browser client may use instead of `Authorization: Bearer …`. */
export const TOKEN_HEADER = 'x-ferry-token';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** Sent with every answer: no sniffing, no caching of API answers, no embedding by other sites. */
const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

export function newBridgeToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  // hash first: equal lengths for timingSafeEqual, and no early exit on the first differing byte
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export interface ApiRequestFacts {
  method: string;
  /** path and query, as in the request line */
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface Refusal {
  status: 401 | 403 | 404 | 405 | 415;
  message: string;
}

/** The origins a page of the bridge itself can have (the Host check admits these names only). */
export function bridgeOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
}

/**
 * Whether an /api or /test request may reach the handlers (null) or why not. Pure, so it is unit-tested.
 * Order: foreign Origin 403, missing or wrong token 401, wrong method 405, a POST body that is not JSON 415.
 * An upload needs the token in a header (never the query) and an application/octet-stream body: a page of another
 * site can send neither without a CORS preflight, which the bridge never grants. A download (GET only) carries its
 * own per-file ticket instead of the token (checked by the route, 404 when unknown).
 */
export function apiRefusal(req: ApiRequestFacts, o: { token: string; port: number }): Refusal | null {
  const origin = req.headers.origin;
  if (origin !== undefined && !bridgeOrigins(o.port).includes(origin)) {
    return { status: 403, message: `Refused: requests from ${origin} are not allowed` };
  }
  const url = new URL(req.url, 'http://bridge.invalid');
  if (url.pathname.startsWith('/api/download/')) {
    return req.method === 'GET' || req.method === 'HEAD' ? null : { status: 405, message: `Refused: ${req.method} ${url.pathname}` };
  }
  const events = url.pathname === '/api/events';
  const upload = url.pathname === '/api/upload';
  const auth = req.headers.authorization;
  const header = req.headers[TOKEN_HEADER];
  const given =
    (typeof auth === 'string' && /^Bearer /i.test(auth) ? auth.slice(7).trim() : null) ??
    (typeof header === 'string' ? header : null) ??
    // EventSource cannot send headers: the event stream (read-only) takes the token from the query
    (events && req.method === 'GET' ? url.searchParams.get('token') : null);
  if (!given || !sameSecret(given, o.token)) {
    return { status: 401, message: 'Refused: the bridge needs its access token (open the address `ferry serve` printed)' };
  }
  if (req.method !== (events ? 'GET' : 'POST')) return { status: 405, message: `Refused: ${req.method} ${url.pathname}` };
  if (!events) {
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    const want = upload ? 'application/octet-stream' : 'application/json';
    if (type !== want) return { status: 415, message: `Refused: the body must be ${want}, not ${type || 'untyped'}` };
  }
  return null;
}

/** attachment; filename="ascii fallback"; filename*=UTF-8''exact (RFC 6266) */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

async function readBody(req: http.IncomingMessage, limit = 1 << 20): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) throw new Error('request too large');
    chunks.push(c);
  }
  const s = Buffer.concat(chunks).toString('utf8');
  return s ? JSON.parse(s) : {};
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  res
    .writeHead(status, { ...COMMON_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify({ ok: false, error: { code: 'BAD_REQUEST', message, details: {} } }));
}

/** Answers without reading a (possibly huge) request body, and closes the connection rather than drain it. */
function refuseUnread(req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string): void {
  if (req.readableEnded) return refuse(res, status, message);
  res.setHeader('connection', 'close');
  res.once('finish', () => req.destroy());
  refuse(res, status, message);
}

const UPLOAD_STATUS: Record<string, number> = { TOO_LARGE: 413, BUSY: 503 };

export async function startBridge(o: BridgeOptions): Promise<Bridge> {
  const token = o.token ?? newBridgeToken();
  const clients = new Set<http.ServerResponse>();
  const unsubs = EVENT_NAMES.map((name) =>
    o.jobs.on(name, (payload) => {
      const msg = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
      for (const c of clients) c.write(msg);
    }),
  );
  let port = 0;
  const server = http.createServer(async (req, res) => {
    // Loopback only, and refuse other Host headers (DNS rebinding).
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    try {
      if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/test/')) {
        const refusal = apiRefusal({ method: req.method ?? '', url: req.url ?? '/', headers: req.headers }, { token, port });
        if (refusal) {
          refuseUnread(req, res, refusal.status, refusal.message);
          return;
        }
      }
      if (url.pathname === '/api/upload' || url.pathname.startsWith('/api/download/')) {
        if (!o.transfers) {
          refuseUnread(req, res, 404, 'Refused: this bridge takes no uploads and offers no downloads');
          return;
        }
        if (url.pathname === '/api/upload') await upload(o.transfers, req, res, url);
        else await download(o.transfers, req, res, url);
        return;
      }
      if (req.method === 'POST' && url.pathname.startsWith('/api/invoke/')) {
        const channel = decodeURIComponent(url.pathname.slice('/api/invoke/'.length));
        const body = await readBody(req);
        const result = await invoke(o.handlers, channel, body);
        res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(result));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/api/events') {
        res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(': connected\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      if (req.method === 'POST' && url.pathname.startsWith('/test/dialog/') && o.dialogs) {
        const body = (await readBody(req)) as { paths?: string[]; path?: string | null };
        if (url.pathname.endsWith('/open')) o.dialogs.queueOpen(body.paths ?? []);
        else o.dialogs.queueSave(body.path ?? null);
        res.writeHead(204, COMMON_HEADERS).end();
        return;
      }
      if (req.method === 'GET' && o.staticDir && !url.pathname.startsWith('/api/') && !url.pathname.startsWith('/test/')) {
        const root = path.resolve(o.staticDir);
        const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
        let file = path.resolve(root, rel);
        const inside = !path.relative(root, file).startsWith('..') && !path.isAbsolute(path.relative(root, file));
        if (!inside || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
        res.writeHead(200, {
          ...COMMON_HEADERS,
          'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CSP,
        });
        fs.createReadStream(file).pipe(res);
        return;
      }
      res.writeHead(404, COMMON_HEADERS).end('not found');
    } catch (e) {
      refuse(res, 400, String((e as Error).message));
    }
  });
  // an upload of a few GB may take longer than Node's default 5 minutes per request (loopback only: no slow-client risk)
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    token,
    pageUrl: `${url}/#token=${token}`,
    async close() {
      unsubs.forEach((u) => u());
      for (const c of clients) c.end();
      const closed = new Promise<void>((r) => server.close(() => r()));
      // keep-alive sockets of the browser, and uploads or downloads under way, end now (not when the browser lets go)
      server.closeAllConnections();
      await closed;
    },
  };
}

/** POST /api/upload?name=FILE: the body streamed to a file of the server's folder (see BrowserTransfers.receive). */
async function upload(t: BrowserTransfers, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const name = url.searchParams.get('name') ?? '';
  const length = req.headers['content-length'];
  const declared = length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
  const answer = (status: number, body: unknown): void => {
    res.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };
  if (!name) {
    refuseUnread(req, res, 400, 'Refused: an upload needs ?name=FILE');
    return;
  }
  if (declared !== null && declared > t.maxUploadBytes) {
    const err = ferryError('TOO_LARGE', 'bridge.uploadTooLarge', { file: name, limit: `${Math.round(t.maxUploadBytes / 1024 ** 2)} MB` });
    res.setHeader('connection', 'close');
    res.once('finish', () => req.destroy());
    answer(413, { ok: false, error: err.toJSON() });
    return;
  }
  try {
    const file = await t.receive(req, name, declared);
    answer(200, { ok: true, value: file });
  } catch (e) {
    if (res.headersSent || res.destroyed) return;
    const err = toSerializedError(e);
    if (!req.readableEnded) {
      res.setHeader('connection', 'close');
      res.once('finish', () => req.destroy());
    }
    answer(UPLOAD_STATUS[err.code] ?? 400, { ok: false, error: err });
  }
}

/** GET /api/download/TICKET/NAME: the file the ticket stands for, as an attachment. */
async function download(t: BrowserTransfers, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const ticket = decodeURIComponent(url.pathname.slice('/api/download/'.length).split('/')[0] ?? '');
  const file = ticket ? t.fileFor(ticket) : null;
  let size = -1;
  try {
    if (file) size = fs.statSync(file).size;
  } catch {
    /* gone */
  }
  if (!file || size < 0) {
    res.writeHead(404, { ...COMMON_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end('This download is not (or no longer) available.');
    return;
  }
  res.writeHead(200, {
    ...COMMON_HEADERS,
    'content-type': 'application/octet-stream',
    'content-length': String(size),
    'content-disposition': contentDisposition(path.basename(file)),
    'cache-control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(fs.createReadStream(file), res).catch(() => undefined);
}
