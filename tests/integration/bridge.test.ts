import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { startBridge, type Bridge } from '../../src-main/bridge/server.ts';
import { pickedPaths, QueuedDialogPort } from '../../src-main/ipc/ports.ts';
import { createHandlers } from '../../src-main/ipc/handlers.ts';
import { CSP } from '../../src-main/app/csp.ts';
import { tmpDir } from '../helpers/tmp.ts';

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request (every header exactly as given, as a browser or another local program could send it). */
function raw(base: string, method: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: u.port, method, path: p, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('HTTP bridge (door 3)', () => {
  let ferry: Ferry;
  let bridge: Bridge;
  const dialogs = new QueuedDialogPort();
  const dir = tmpDir();
  const metaFile = path.join(dir, 'meta.json');
  beforeAll(async () => {
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Ferry</title>');
    fs.writeFileSync(metaFile, JSON.stringify({ organisationUnits: [{ id: 'ImspTQPwCqd', name: 'Sierra Leone', shortName: 'Sierra Leone', openingDate: '1994-01-01' }] }));
    // the bridge door's path policy: only what the dialogs returned
    ferry = openFerry({ dbPath: path.join(dir, 'ferry.sqlite'), mode: 'inline', dialogs, paths: pickedPaths() });
    bridge = await startBridge({ handlers: ferry.handlers, jobs: ferry.jobs, staticDir: dir, dialogs });
  });
  afterAll(async () => {
    await bridge.close();
    await ferry.close();
  });
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' });
  const call = async (channel: string, body: unknown): Promise<unknown> =>
    (await fetch(`${bridge.url}/api/invoke/${channel}`, { method: 'POST', headers: auth(), body: JSON.stringify(body) })).json();
  const post = (p: string, body: unknown): Promise<Response> => fetch(bridge.url + p, { method: 'POST', headers: auth(), body: JSON.stringify(body) });
  const jobCount = (): number => ferry.jobs.jobs.list(1000).length;

  it('listens on loopback only, with a fresh random token in the address it gives the browser', async () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(bridge.pageUrl).toBe(`${bridge.url}/#token=${bridge.token}`);
    const other = await startBridge({ handlers: ferry.handlers, jobs: ferry.jobs });
    try {
      expect(other.token).not.toBe(bridge.token);
    } finally {
      await other.close();
    }
  });

  it('serves the contract with the Result envelope', async () => {
    expect(await call('db:info', {})).toEqual({
      ok: true,
      value: {
        metadata: { categories: 1, categoryCombos: 1, categoryOptionCombos: 1, categoryOptions: 1 },
        dataValues: 0,
        events: 0,
        freeSpace: { fileBytes: expect.any(Number), freeBytes: 0, worthCompacting: false },
      },
    });
  });

  it('validates requests and names the bad field', async () => {
    expect(await call('jobs:get', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('id') } });
    expect(await call('no:such', {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: "Unknown channel 'no:such'" } });
    expect(await call('import:start', { files: ['/nope/missing.json'] })).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
  });

  it('lets a test answer the native dialogs', async () => {
    expect((await post('/test/dialog/open', { paths: ['/tmp/a.json', '/tmp/b.json'] })).status).toBe(204);
    expect(await call('dialog:openFiles', { multiple: true })).toEqual({ ok: true, value: { paths: ['/tmp/a.json', '/tmp/b.json'] } });
    expect(await call('dialog:openFiles', {})).toEqual({ ok: true, value: { paths: [] } });
  });

  it('serves the renderer with THE CSP and refuses foreign Host headers', async () => {
    const page = await fetch(`${bridge.url}/`);
    expect(await page.text()).toContain('<title>Ferry</title>');
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(CSP).not.toContain('unsafe-inline');
    const status = await new Promise<number>((resolve) => {
      const u = new URL(bridge.url);
      http.get({ host: '127.0.0.1', port: u.port, path: '/', headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(403);
  });

  it('has a handler for every channel of the contract', async () => {
    const { contract } = await import('../../src-shared/api/contract.ts');
    const h = createHandlers({ db: ferry.db, dbPath: '', jobs: ferry.jobs, dialogs, paths: pickedPaths(), version: '0' });
    expect(Object.keys(h).sort()).toEqual(Object.keys(contract).sort());
  });

  describe('refuses what another web page (or program) without the token could send', () => {
    const importBody = (): string => JSON.stringify({ files: [metaFile], kind: 'metadata', options: {} });
    const json = { 'content-type': 'application/json' };

    it('no token: 401, and no job is created', async () => {
      const before = jobCount();
      const r = await raw(bridge.url, 'POST', '/api/invoke/import:start', json, importBody());
      expect(r.status).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { message: expect.stringContaining('token') } });
      expect(jobCount()).toBe(before);
    });

    it('a wrong token (as Bearer, as X-Ferry-Token, or a token in the query of an invoke): 401, no job', async () => {
      const before = jobCount();
      const wrong = bridge.token.slice(0, -1) + (bridge.token.endsWith('A') ? 'B' : 'A');
      expect((await raw(bridge.url, 'POST', '/api/invoke/import:start', { ...json, authorization: `Bearer ${wrong}` }, importBody())).status).toBe(401);
      expect((await raw(bridge.url, 'POST', '/api/invoke/import:start', { ...json, 'x-ferry-token': wrong }, importBody())).status).toBe(401);
      expect((await raw(bridge.url, 'POST', `/api/invoke/import:start?token=${bridge.token}`, json, importBody())).status).toBe(401);
      expect((await raw(bridge.url, 'POST', '/api/invoke/import:start', { ...json, authorization: 'Bearer ' }, importBody())).status).toBe(401);
      expect(jobCount()).toBe(before);
    });

    it('another Origin, even with the token: 403, no job; no CORS answer to a preflight', async () => {
      const before = jobCount();
      for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${Number(new URL(bridge.url).port) + 1}`]) {
        const r = await raw(bridge.url, 'POST', '/api/invoke/import:start', { ...auth(), origin }, importBody());
        expect(r.status, origin).toBe(403);
      }
      const pre = await raw(bridge.url, 'OPTIONS', '/api/invoke/import:start', {
        origin: 'http://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      });
      expect(pre.status).toBe(403);
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      expect(jobCount()).toBe(before);
    });

    it('a text/plain (or form, or untyped) body, even with the token: 415, no job', async () => {
      const before = jobCount();
      for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const r = await raw(bridge.url, 'POST', '/api/invoke/import:start', { authorization: `Bearer ${bridge.token}`, 'content-type': type }, importBody());
        expect(r.status, type).toBe(415);
      }
      expect((await raw(bridge.url, 'POST', '/api/invoke/import:start', { authorization: `Bearer ${bridge.token}` }, importBody())).status).toBe(415);
      expect(jobCount()).toBe(before);
    });

    it('the test dialogs need the token too', async () => {
      const r = await raw(bridge.url, 'POST', '/test/dialog/save', json, JSON.stringify({ path: path.join(dir, 'evil.json') }));
      expect(r.status).toBe(401);
      expect(await call('dialog:saveFile', { defaultName: 'x.json' })).toEqual({ ok: true, value: { path: null } });
    });

    it('the event stream takes the token from its query (EventSource sends no headers), and only there', async () => {
      expect((await raw(bridge.url, 'GET', '/api/events')).status).toBe(401);
      expect((await raw(bridge.url, 'GET', '/api/events?token=wrong')).status).toBe(401);
      expect((await raw(bridge.url, 'GET', `/api/events?token=${bridge.token}`, { origin: 'http://evil.example' })).status).toBe(403);
      const ctrl = new AbortController();
      const ok = await fetch(`${bridge.url}/api/events?token=${encodeURIComponent(bridge.token)}`, { signal: ctrl.signal });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('text/event-stream');
      ctrl.abort();
    });

    it('with the token, from its own origin, as JSON: the same request runs (X-Ferry-Token works too)', async () => {
      const before = jobCount();
      const r = await raw(bridge.url, 'POST', '/api/invoke/import:start', { ...json, 'x-ferry-token': bridge.token, origin: bridge.url }, importBody());
      expect(r.status).toBe(200);
      const { jobId } = (JSON.parse(r.body) as { value: { jobId: number } }).value;
      expect((await ferry.jobs.wait(jobId)).status).toBe('done');
      expect(jobCount()).toBe(before + 1);
    });
  });

  describe('path policy: the page may use only what the dialogs returned', () => {
    it('refuses an export to a path the save dialog did not return, and no job is created', async () => {
      const before = jobCount();
      const out = path.join(dir, 'not-chosen.json');
      expect(await call('export:start', { kind: 'metadata', out })).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST', message: 'Ferry exports only to a file chosen in its save dialog (not-chosen.json).' },
      });
      expect(jobCount()).toBe(before);
      expect(fs.existsSync(out)).toBe(false);
    });

    it('exports to the path the save dialog returned', async () => {
      const out = path.join(dir, 'chosen.json');
      await post('/test/dialog/save', { path: out });
      expect(await call('dialog:saveFile', { defaultName: 'chosen.json' })).toEqual({ ok: true, value: { path: out } });
      const r = (await call('export:start', { kind: 'metadata', out })) as { ok: true; value: { jobId: number } };
      expect(r.ok).toBe(true);
      expect((await ferry.jobs.wait(r.value.jobId)).status).toBe('done');
      expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toHaveProperty('organisationUnits');
    });

    it('files:stat and files:writeText only for picked paths', async () => {
      expect(await call('files:stat', { paths: [metaFile] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('meta.json') } });
      await post('/test/dialog/open', { paths: [metaFile] });
      await call('dialog:openFiles', {});
      expect(await call('files:stat', { paths: [metaFile] })).toEqual({ ok: true, value: [{ path: metaFile, name: 'meta.json', size: fs.statSync(metaFile).size }] });
      const text = path.join(dir, 'conflicts.csv');
      expect(await call('files:writeText', { path: text, text: 'a' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(fs.existsSync(text)).toBe(false);
    });
  });
});
