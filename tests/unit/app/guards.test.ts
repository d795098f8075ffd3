/** The Electron app's security decisions (src-main/app/guards.ts), tested without Electron. */
import { describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import {
  ALLOWED_PERMISSIONS,
  droppedPath,
  guardIpcMain,
  isTrustedSender,
  mayAttachWebview,
  mayGrantPermission,
  mayNavigate,
  mayRequest,
  pageTrust,
  REFUSED_SENDER,
  windowOpenDecision,
  type PageTrust,
} from '../../../src-main/app/guards.ts';
import { registerIpc, type Handlers } from '../../../src-main/ipc/register.ts';
import type { IpcMainLike } from '../../../src-main/ipc/ports.ts';
import { repoRoot } from '../../helpers/tmp.ts';

const packaged: PageTrust = pageTrust({ isPackaged: true, devUrl: 'http://localhost:5173/' });
const dev: PageTrust = pageTrust({ isPackaged: false, devUrl: 'http://localhost:5173/' });
const plain: PageTrust = pageTrust({ isPackaged: false, devUrl: undefined });

describe('page trust: the dev-server exception', () => {
  it('exists only in an unpackaged build with ELECTRON_RENDERER_URL on loopback', () => {
    expect(packaged).toEqual({ devOrigin: null });
    expect(plain).toEqual({ devOrigin: null });
    expect(dev).toEqual({ devOrigin: 'http://localhost:5173' });
    expect(pageTrust({ isPackaged: false, devUrl: 'http://127.0.0.1:5174/index.html' })).toEqual({ devOrigin: 'http://127.0.0.1:5174' });
    expect(pageTrust({ isPackaged: false, devUrl: 'https://evil.example/' })).toEqual({ devOrigin: null });
    expect(pageTrust({ isPackaged: false, devUrl: 'file:///tmp/x.html' })).toEqual({ devOrigin: null });
    expect(pageTrust({ isPackaged: false, devUrl: 'not a url' })).toEqual({ devOrigin: null });
  });
});

describe('IPC sender check', () => {
  it('accepts only frames showing app://ferry/ (and the dev server when unpackaged)', () => {
    expect(isTrustedSender('app://ferry/index.html', packaged)).toBe(true);
    expect(isTrustedSender('app://ferry/', packaged)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/', packaged)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', dev)).toBe(true);
    expect(isTrustedSender('http://localhost:5173.evil.example/', dev)).toBe(false);
    expect(isTrustedSender('http://localhost:5174/', dev)).toBe(false);
  });

  it('refuses other pages, file:// pages, look-alikes and frames without a URL', () => {
    for (const url of [
      'file:///opt/Ferry/resources/app.asar/out/renderer/index.html',
      'app://evil/index.html',
      'app://ferry.evil.example/index.html',
      'https://ferry/index.html',
      'about:blank',
      'data:text/html,<script>1</script>',
      '',
      null,
      undefined,
    ]) {
      expect(isTrustedSender(url, dev), String(url)).toBe(false);
    }
  });

  it('a refused call never reaches the handler; a trusted one does (through the real registerIpc)', async () => {
    const registered = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
    const fakeIpcMain: IpcMainLike = { handle: (channel, listener) => void registered.set(channel, listener) };
    const dbInfo = vi.fn(async () => ({ metadata: {}, dataValues: 0, events: 0 }));
    const handlers = new Proxy({} as Handlers, { get: (_t, k) => (k === 'db:info' ? dbInfo : async () => null) });
    registerIpc(guardIpcMain(fakeIpcMain, (e) => (e as { senderFrame?: { url: string } | null }).senderFrame?.url, packaged), handlers);
    const listener = registered.get('db:info')!;
    expect(listener).toBeTypeOf('function');

    expect(await listener({ senderFrame: { url: 'https://evil.example/' } }, {})).toEqual(REFUSED_SENDER);
    expect(await listener({ senderFrame: null }, {})).toEqual(REFUSED_SENDER);
    expect(await listener({}, {})).toEqual(REFUSED_SENDER);
    expect(dbInfo).not.toHaveBeenCalled();

    expect(await listener({ senderFrame: { url: 'app://ferry/index.html' } }, {})).toEqual({ ok: true, value: { metadata: {}, dataValues: 0, events: 0 } });
    expect(dbInfo).toHaveBeenCalledTimes(1);
  });
});

describe('window guards', () => {
  it('navigation stays on Ferry’s page', () => {
    expect(mayNavigate('app://ferry/index.html', packaged)).toBe(true);
    expect(mayNavigate('https://example.org/', packaged)).toBe(false);
    expect(mayNavigate('file:///home/dm/Downloads/data.json', packaged)).toBe(false); // a file dropped outside a drop zone
    expect(mayNavigate('http://localhost:5173/', packaged)).toBe(false);
    expect(mayNavigate('http://localhost:5173/', dev)).toBe(true);
    expect(mayNavigate('javascript:alert(1)', dev)).toBe(false);
  });

  it('no new windows, no webviews', () => {
    for (const url of ['https://example.org/', 'app://ferry/index.html', 'about:blank']) expect(windowOpenDecision(url)).toEqual({ action: 'deny' });
    expect(mayAttachWebview({ src: 'https://example.org/' })).toBe(false);
    expect(mayAttachWebview({ src: 'app://ferry/index.html', preload: 'file:///x.js' })).toBe(false);
  });

  it('no permission is granted, to Ferry’s page or any other', () => {
    expect(ALLOWED_PERMISSIONS).toEqual([]);
    for (const perm of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'hid', 'serial', 'usb']) {
      expect(mayGrantPermission(perm, 'app://ferry/index.html', packaged), perm).toBe(false);
      expect(mayGrantPermission(perm, 'https://evil.example/', dev), perm).toBe(false);
    }
  });

  it('the session lets through only the app’s own files, devtools, and (unpackaged) the dev server', () => {
    expect(mayRequest('app://ferry/assets/index-abc.js', packaged)).toBe(true);
    expect(mayRequest('devtools://devtools/bundled/inspector.html', packaged)).toBe(true);
    for (const url of ['https://example.org/x.js', 'http://localhost:5173/@vite/client', 'file:///etc/passwd', 'ws://localhost:5173/', 'app://other/x.js']) {
      expect(mayRequest(url, packaged), url).toBe(false);
    }
    expect(mayRequest('http://localhost:5173/@vite/client', dev)).toBe(true);
    expect(mayRequest('ws://localhost:5173/', dev)).toBe(true);
    expect(mayRequest('http://localhost:9999/', dev)).toBe(false);
    expect(mayRequest('https://cdn.example/x.js', dev)).toBe(false);
  });
});

describe('dropped-file path from the preload', () => {
  it('is accepted only as an absolute path without NUL', () => {
    expect(droppedPath('/home/dm/data.json')).toBe('/home/dm/data.json');
    expect(droppedPath('C:\\Users\\dm\\data.json')).toBe('C:\\Users\\dm\\data.json');
    expect(droppedPath('\\\\server\\share\\data.json')).toBe('\\\\server\\share\\data.json');
    for (const bad of ['', 'data.json', '../etc/passwd', '/tmp/a\0b', 42, null, undefined, { path: '/x' }, ['/x']]) expect(droppedPath(bad), String(bad)).toBeNull();
  });
});

describe('layering', () => {
  it('the decision modules do not import electron (so they run under plain Node)', () => {
    for (const f of ['guards.ts', 'app-protocol.ts', 'csp.ts', 'private-channels.ts']) {
      const src = fs.readFileSync(path.join(repoRoot, 'src-main/app', f), 'utf8');
      expect(src, f).not.toMatch(/from ['"]electron['"]|require\(['"]electron['"]\)/);
    }
  });
});
