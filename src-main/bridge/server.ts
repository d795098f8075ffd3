/**
 * Door 3: the same handlers over HTTP on 127.0.0.1 only (used by the browser tests and for headless use).
 * POST /api/invoke/<channel> → Result JSON; GET /api/events → server-sent events; static files for the renderer.
 * With a QueuedDialogPort, POST /test/dialog/open|save lets a test answer the "native" dialogs.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { invoke, type Handlers } from '../ipc/register.ts';
import type { JobManager } from '../jobs/manager.ts';
import { EVENT_NAMES } from '../../src-shared/api/contract.ts';
import { QueuedDialogPort } from '../ipc/ports.ts';

export interface BridgeOptions {
  handlers: Handlers;
  jobs: JobManager;
  staticDir?: string;
  dialogs?: QueuedDialogPort;
  port?: number;
}

export interface Bridge {
  url: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

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

export async function startBridge(o: BridgeOptions): Promise<Bridge> {
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
      if (req.method === 'POST' && url.pathname.startsWith('/api/invoke/')) {
        const channel = decodeURIComponent(url.pathname.slice('/api/invoke/'.length));
        const body = await readBody(req);
        const result = await invoke(o.handlers, channel, body);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
        return;
      }
      if (req.method === 'GET' && url.pathname === '/api/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.write(': connected\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
        return;
      }
      if (req.method === 'POST' && url.pathname.startsWith('/test/dialog/') && o.dialogs) {
        const body = (await readBody(req)) as { paths?: string[]; path?: string | null };
        if (url.pathname.endsWith('/open')) o.dialogs.queueOpen(body.paths ?? []);
        else o.dialogs.queueSave(body.path ?? null);
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'GET' && o.staticDir) {
        const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
        let file = path.resolve(o.staticDir, rel);
        if (!file.startsWith(path.resolve(o.staticDir)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
          file = path.join(o.staticDir, 'index.html');
        }
        res.writeHead(200, { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream' });
        fs.createReadStream(file).pipe(res);
        return;
      }
      res.writeHead(404).end('not found');
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: { code: 'BAD_REQUEST', message: String((e as Error).message), details: {} } }));
    }
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      unsubs.forEach((u) => u());
      for (const c of clients) c.end();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
