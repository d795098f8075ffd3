/**
 * `ferry serve` as a user runs it (a child process of bin/ferry.mjs): one server per database, Ctrl+C and SIGTERM stop
 * it cleanly (no lock, no uploaded or exported file left), uploads need the token, an uploaded file imports while a
 * typed path still cannot be stat'ed, exported to or downloaded, and an export downloads by its ticket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';
import { serveLockPath } from '../../src-main/bridge/serve-lock.ts';
import { serveFilesDir } from '../../src-main/bridge/serve.ts';

const META = path.join(repoRoot, 'tests/fixtures/e2e/metadata-small.json');

interface Served {
  child: ChildProcess;
  url: string;
  token: string;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

/** Starts `ferry --db DB serve` and resolves once it printed its address. */
function startServe(db: string, args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/ferry.mjs'), '--db', db, 'serve', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const m = /open (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)/.exec(out);
      if (m) {
        child.stdout!.off('data', check);
        resolve({ child, url: m[1]!, token: m[2]!, out: () => out, err: () => err, exited });
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`ferry serve exited (${code}) before listening: ${err || out}`)));
  });
}

function raw(base: string, method: string, p: string, headers: Record<string, string>, body?: string | Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: u.port, method, path: p, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function client(s: Served) {
  const auth = { authorization: `Bearer ${s.token}` };
  return {
    async call<T = unknown>(channel: string, body: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
      const r = await fetch(`${s.url}/api/invoke/${channel}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await r.json()) as never;
    },
    async value<T>(channel: string, body: unknown): Promise<T> {
      const r = await this.call<T>(channel, body);
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value;
    },
    async upload(name: string, data: Buffer | string): Promise<{ path: string; name: string; size: number }> {
      const r = await raw(s.url, 'POST', `/api/upload?name=${encodeURIComponent(name)}`, { ...auth, 'content-type': 'application/octet-stream' }, data);
      const body = JSON.parse(r.body.toString('utf8')) as { ok: boolean; value: { path: string; name: string; size: number } };
      if (r.status !== 200 || !body.ok) throw new Error(`upload: ${r.status} ${r.body.toString('utf8')}`);
      return body.value;
    },
  };
}

function stopped(s: Served, signal: NodeJS.Signals): Promise<number | null> {
  s.child.kill(signal);
  return s.exited;
}

describe('ferry serve (child process)', () => {
  describe('one server per database; Ctrl+C stops it cleanly', () => {
    const dir = tmpDir('ferry-serve-');
    const db = path.join(dir, 'site.sqlite');

    it('refuses a second server on the same database, naming the first; the first keeps serving', async () => {
      const first = await startServe(db);
      try {
        expect(fs.existsSync(serveLockPath(db))).toBe(true);
        const second = spawn(process.execPath, [path.join(repoRoot, 'bin/ferry.mjs'), '--db', db, 'serve'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        second.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
        const code = await new Promise<number | null>((r) => second.on('exit', r));
        expect(code).toBe(2);
        expect(err).toBe(
          `ferry: Another Ferry already serves ${db} at ${first.url}/ (process ${first.child.pid}). Use the address it printed, or stop it (Ctrl+C in its window) and try again.\n`,
        );
        expect((await client(first).value<{ dataValues: number }>('db:info', {})).dataValues).toBe(0);

        // another database on the first one's port: refused in plain words, leaving no lock or folder behind
        const otherDb = path.join(dir, 'other.sqlite');
        const port = new URL(first.url).port;
        const third = spawn(process.execPath, [path.join(repoRoot, 'bin/ferry.mjs'), '--db', otherDb, 'serve', '--port', port], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
        let err3 = '';
        third.stderr.setEncoding('utf8').on('data', (s: string) => (err3 += s));
        expect(await new Promise<number | null>((r) => third.on('exit', r))).toBe(2);
        expect(err3).toBe(`ferry: Port ${port} on 127.0.0.1 is taken by another program: choose another with --port N, or leave --port out.\n`);
        expect(fs.existsSync(serveLockPath(otherDb)) || fs.existsSync(serveFilesDir(otherDb))).toBe(false);
        expect(fs.existsSync(otherDb)).toBe(false); // refused before the database was created
      } finally {
        await stopped(first, 'SIGINT');
      }
    });

    it('SIGINT (Ctrl+C): stops, closes the database, removes the uploaded and exported files and the lock; the next server starts', async () => {
      const s = await startServe(db);
      const c = client(s);
      const up = await c.upload('metadata.json', fs.readFileSync(META));
      const job = await c.value<{ jobId: number }>('import:start', { files: [up.path], kind: 'metadata', options: {} });
      expect(await c.value<{ status: string }>('jobs:wait', { id: job.jobId })).toMatchObject({ status: 'done' });
      const { path: out } = await c.value<{ path: string }>('dialog:saveFile', { defaultName: 'meta.json' });
      const exp = await c.value<{ jobId: number }>('export:start', { kind: 'metadata', out });
      await c.value('jobs:wait', { id: exp.jobId });
      expect(fs.existsSync(up.path) && fs.existsSync(out)).toBe(true);
      expect(path.dirname(path.dirname(out))).toBe(serveFilesDir(db));

      expect(await stopped(s, 'SIGINT')).toBe(0);
      expect(s.out()).toMatch(/Stopping \(SIGINT\)…\nFerry stopped\.\n$/);
      expect(s.err().replace(/^ferry: the screens are not built.*\n/m, '')).toBe(''); // (a checkout without out/renderer-web)
      expect(fs.existsSync(serveLockPath(db))).toBe(false);
      expect(fs.existsSync(serveFilesDir(db))).toBe(false);
      expect(fs.existsSync(`${db}-wal`)).toBe(false); // the last connection closed cleanly
      expect(fs.readdirSync(dir).sort()).toEqual(['site.sqlite']);

      const again = await startServe(db);
      expect((await client(again).value<{ metadata: Record<string, number> }>('db:info', {})).metadata.organisationUnits).toBe(6);
      expect(await stopped(again, 'SIGTERM')).toBe(0);
      expect(again.out()).toContain('Stopping (SIGTERM)…');
      expect(fs.existsSync(serveLockPath(db))).toBe(false);
    });

    it('SIGTERM during an upload: the upload is cut, its partial file removed, the server stops', async () => {
      const s = await startServe(db);
      const u = new URL(s.url);
      const req = http.request({
        host: '127.0.0.1',
        port: u.port,
        method: 'POST',
        path: '/api/upload?name=big.csv',
        headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/octet-stream', 'content-length': String(50 * 1024 * 1024) },
      });
      req.on('error', () => undefined);
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      req.write(chunk);
      // the partial file exists once the first megabyte arrived
      const part = path.join(serveFilesDir(db), 'upload-1', 'big.csv');
      for (let i = 0; i < 200 && !(fs.existsSync(part) && fs.statSync(part).size > 0); i++) await new Promise((r) => setTimeout(r, 25));
      expect(fs.existsSync(part)).toBe(true);
      expect(await stopped(s, 'SIGTERM')).toBe(0);
      req.destroy();
      expect(fs.existsSync(serveFilesDir(db))).toBe(false);
      expect(fs.existsSync(serveLockPath(db))).toBe(false);
    });
  });

  describe('uploads, the path policy and downloads', () => {
    const dir = tmpDir('ferry-serve-');
    const db = path.join(dir, 'site.sqlite');
    const outside = path.join(dir, 'typed.json');
    let s: Served;
    beforeAll(async () => {
      fs.copyFileSync(META, outside);
      s = await startServe(db);
    });
    afterAll(async () => {
      if (s) await stopped(s, 'SIGINT');
    });
    const uploads = (): string[] => fs.readdirSync(serveFilesDir(db)).filter((d) => d.startsWith('upload-'));

    it('an upload needs the token in a header, an octet-stream body and no foreign Origin; refused ones write nothing', async () => {
      const before = uploads().length;
      const octet = { 'content-type': 'application/octet-stream' };
      const tries: [string, Record<string, string>, number][] = [
        ['no token', octet, 401],
        ['token in the query', octet, 401],
        ['wrong token', { ...octet, authorization: `Bearer ${s.token.slice(1)}x` }, 401],
        ['a form body', { 'content-type': 'multipart/form-data; boundary=x', authorization: `Bearer ${s.token}` }, 415],
        ['text/plain', { 'content-type': 'text/plain', authorization: `Bearer ${s.token}` }, 415],
        ['another site', { ...octet, authorization: `Bearer ${s.token}`, origin: 'http://evil.example' }, 403],
      ];
      for (const [what, headers, status] of tries) {
        const q = what === 'token in the query' ? `&token=${s.token}` : '';
        const r = await raw(s.url, 'POST', `/api/upload?name=x.json${q}`, headers, 'x'.repeat(1000));
        expect(r.status, what).toBe(status);
      }
      expect(uploads().length).toBe(before);
    });

    it('an uploaded file can be stat’ed and imported; a typed path can be neither stat’ed, exported to nor downloaded', async () => {
      const c = client(s);
      const up = await c.upload('../../Meta data.json', fs.readFileSync(META));
      expect(up).toMatchObject({ name: 'Meta data.json', size: fs.statSync(META).size });
      expect(await c.value('files:stat', { paths: [up.path] })).toEqual([{ path: up.path, name: 'Meta data.json', size: up.size }]);
      const job = await c.value<{ jobId: number }>('import:start', { files: [up.path], kind: 'metadata', options: {} });
      const rec = await c.value<{ status: string; files: { name: string }[] }>('jobs:wait', { id: job.jobId });
      expect(rec).toMatchObject({ status: 'done', files: [{ name: 'Meta data.json' }] });
      expect((await c.value<{ metadata: Record<string, number> }>('db:info', {})).metadata.dataElements).toBe(3);

      expect(await c.call('files:stat', { paths: [outside] })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('typed.json') } });
      expect(await c.call('files:stat', { paths: [path.join(serveFilesDir(db), 'upload-99', 'x.json')] })).toMatchObject({ ok: false });
      const target = path.join(dir, 'export.json');
      expect(await c.call('export:start', { kind: 'metadata', out: target })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(fs.existsSync(target)).toBe(false);
      expect(await c.call('files:downloadLink', { path: outside })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      // an uploaded file was picked to read, not to write: it cannot be overwritten by an export either
      expect(await c.call('export:start', { kind: 'metadata', out: up.path })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    });

    it('an export downloads by its ticket, as an attachment; an unknown ticket is 404 and a ticket is not the token', async () => {
      const c = client(s);
      expect((await c.value<{ capabilities: string[] }>('app:info', {})).capabilities).toEqual(expect.arrayContaining(['files:upload', 'files:download']));
      expect((await c.value<{ capabilities: string[] }>('app:info', {})).capabilities).not.toContain('files:dialogs');
      const { path: out } = await c.value<{ path: string }>('dialog:saveFile', { defaultName: 'ferry metadata 2024.json' });
      const job = await c.value<{ jobId: number }>('export:start', { kind: 'metadata', out });
      expect(await c.value<{ status: string }>('jobs:wait', { id: job.jobId })).toMatchObject({ status: 'done' });
      const link = await c.value<{ url: string; name: string; size: number }>('files:downloadLink', { path: out });
      expect(link).toMatchObject({ name: 'ferry metadata 2024.json', size: fs.statSync(out).size });
      const r = await raw(s.url, 'GET', link.url, {});
      expect(r.status).toBe(200);
      expect(r.headers['content-disposition']).toBe(`attachment; filename="ferry metadata 2024.json"; filename*=UTF-8''ferry%20metadata%202024.json`);
      expect(r.headers['content-type']).toBe('application/octet-stream');
      expect(r.body.equals(fs.readFileSync(out))).toBe(true);
      expect((await raw(s.url, 'GET', '/api/download/not-a-ticket/x.json', {})).status).toBe(404);
      const ticket = link.url.split('/')[3]!;
      expect((await raw(s.url, 'POST', '/api/invoke/db:info', { authorization: `Bearer ${ticket}`, 'content-type': 'application/json' }, '{}')).status).toBe(401);
    });
  });
});
