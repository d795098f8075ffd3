import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import path from 'node:path';
import fs from 'node:fs';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { startBridge, type Bridge } from '../../src-main/bridge/server.ts';
import { QueuedDialogPort } from '../../src-main/ipc/ports.ts';
import { createHandlers } from '../../src-main/ipc/handlers.ts';
import { tmpDir } from '../helpers/tmp.ts';

describe('HTTP bridge (door 3)', () => {
  let ferry: Ferry;
  let bridge: Bridge;
  const dialogs = new QueuedDialogPort();
  const dir = tmpDir();
  beforeAll(async () => {
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Ferry</title>');
    ferry = openFerry({ dbPath: path.join(dir, 'ferry.sqlite'), mode: 'inline', dialogs });
    bridge = await startBridge({ handlers: ferry.handlers, jobs: ferry.jobs, staticDir: dir, dialogs });
  });
  afterAll(async () => {
    await bridge.close();
    await ferry.close();
  });
  const call = async (channel: string, body: unknown): Promise<unknown> =>
    (await fetch(`${bridge.url}/api/invoke/${channel}`, { method: 'POST', body: JSON.stringify(body) })).json();

  it('listens on loopback only', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves the contract with the Result envelope', async () => {
    expect(await call('db:info', {})).toEqual({
      ok: true,
      value: { metadata: { categories: 1, categoryCombos: 1, categoryOptionCombos: 1, categoryOptions: 1 }, dataValues: 0, events: 0 },
    });
  });

  it('validates requests and names the bad field', async () => {
    expect(await call('jobs:get', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringContaining('id') } });
    expect(await call('no:such', {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: "Unknown channel 'no:such'" } });
    expect(await call('import:start', { files: ['/nope/missing.json'] })).toMatchObject({ ok: false, error: { code: 'FILE_NOT_FOUND' } });
  });

  it('lets a test answer the native dialogs', async () => {
    await fetch(`${bridge.url}/test/dialog/open`, { method: 'POST', body: JSON.stringify({ paths: ['/tmp/a.json', '/tmp/b.json'] }) });
    expect(await call('dialog:openFiles', { multiple: true })).toEqual({ ok: true, value: { paths: ['/tmp/a.json', '/tmp/b.json'] } });
    expect(await call('dialog:openFiles', {})).toEqual({ ok: true, value: { paths: [] } });
  });

  it('serves the renderer and refuses foreign Host headers', async () => {
    expect(await (await fetch(`${bridge.url}/`)).text()).toContain('<title>Ferry</title>');
    const status = await new Promise<number>((resolve) => {
      const u = new URL(bridge.url);
      http.get({ host: '127.0.0.1', port: u.port, path: '/', headers: { host: 'evil.example:80' } }, (res) => resolve(res.statusCode ?? 0));
    });
    expect(status).toBe(403);
  });

  it('has a handler for every channel of the contract', async () => {
    const { contract } = await import('../../src-shared/api/contract.ts');
    const h = createHandlers({ db: ferry.db, dbPath: '', jobs: ferry.jobs, dialogs, version: '0' });
    expect(Object.keys(h).sort()).toEqual(Object.keys(contract).sort());
  });
});
