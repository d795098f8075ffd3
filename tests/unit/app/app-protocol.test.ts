/** app://ferry/ serves the built renderer (src-main/app/app-protocol.ts) with THE CSP, and nothing outside it. */
import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { APP_ENTRY_URL, isAppUrl, resolveAppFile, serveAppRequest } from '../../../src-main/app/app-protocol.ts';
import { CSP, devCsp } from '../../../src-main/app/csp.ts';
import { repoRoot, tmpDir } from '../../helpers/tmp.ts';

describe('app:// protocol', () => {
  const base = tmpDir();
  const root = path.join(base, 'renderer');
  beforeAll(() => {
    fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Ferry</title>');
    fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    fs.writeFileSync(path.join(root, 'assets', 'index-abc.css'), 'body{}');
    fs.writeFileSync(path.join(base, 'secret.txt'), 'outside the renderer');
  });

  it('loads the entry page from app://ferry/', () => {
    expect(APP_ENTRY_URL).toBe('app://ferry/index.html');
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://ferryx/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
  });

  it('serves the renderer’s files with their types and THE CSP header', async () => {
    const page = await serveAppRequest('app://ferry/index.html', root);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CSP);
    expect(String(page.body)).toContain('<title>Ferry</title>');
    expect((await serveAppRequest('app://ferry/', root)).status).toBe(200);
    const js = await serveAppRequest('app://ferry/assets/index-abc.js?v=1#x', root);
    expect([js.status, js.headers['content-type'], String(js.body)]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log(1)']);
    expect((await serveAppRequest('app://ferry/assets/index-abc.css', root)).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await serveAppRequest('app://ferry/assets/missing.js', root)).status).toBe(404);
    expect((await serveAppRequest('app://ferry/assets', root)).status).toBe(404); // a folder
  });

  it('refuses every spelling of a path outside the renderer folder', async () => {
    for (const url of [
      'app://ferry/..%2fsecret.txt',
      'app://ferry/assets/..%2f..%2fsecret.txt',
      'app://ferry/..%5csecret.txt',
      'app://ferry/%2e%2e%5c%2e%2e%5csecret.txt',
      'app://ferry/index.html%00.js',
    ]) {
      const r = await serveAppRequest(url, root);
      expect(r.status, url).toBe(403);
      expect(String(r.body), url).not.toContain('outside the renderer');
    }
    // ../ and %2e%2e/ are resolved by the URL parser before the path is read: they stay inside (and are not found)
    for (const url of ['app://ferry/../secret.txt', 'app://ferry/%2e%2e/secret.txt', 'app://ferry/assets/../../secret.txt']) {
      const r = await serveAppRequest(url, root);
      expect(r.status, url).toBe(404);
      expect(String(r.body), url).not.toContain('outside the renderer');
    }
    expect(resolveAppFile('app://ferry/../../etc/passwd', root)).toMatchObject({ ok: true, file: path.join(root, 'etc/passwd') });
  });

  it('refuses other hosts and malformed paths', async () => {
    expect((await serveAppRequest('app://other/index.html', root)).status).toBe(400);
    expect((await serveAppRequest('app://ferry/%E0%A4%A', root)).status).toBe(400);
    expect(resolveAppFile('nonsense', root)).toMatchObject({ ok: false, status: 400 });
  });
});

describe('THE CSP', () => {
  it('allows only the page’s own scripts and styles: nothing inline, nothing remote', () => {
    const d = Object.fromEntries(CSP.split('; ').map((x) => [x.split(' ')[0], x.split(' ').slice(1).join(' ')]));
    expect(d['default-src']).toBe("'none'");
    expect(d['script-src']).toBe("'self'");
    expect(d['style-src']).toBe("'self'");
    expect(d['connect-src']).toBe("'self'");
    expect(d['frame-ancestors']).toBe("'none'");
    expect(CSP).not.toMatch(/unsafe-inline|unsafe-eval|\bdata:|https?:|\*/);
  });

  it('the dev variant (unpackaged, dev server only) adds inline styles and the hot-reload socket, not inline scripts', () => {
    const d = devCsp('http://localhost:5173');
    expect(d).toContain("style-src 'self' 'unsafe-inline'");
    expect(d).toContain("connect-src 'self' ws://localhost:5173");
    expect(d).toContain("script-src 'self';");
  });

  it('is the only CSP: index.html carries none, and has no inline script or style', () => {
    const html = fs.readFileSync(path.join(repoRoot, 'src-renderer/index.html'), 'utf8');
    expect(html).not.toMatch(/Content-Security-Policy/i);
    expect(html).not.toMatch(/<style|\sstyle=|<script(?![^>]*\ssrc=)[^>]*>/i);
  });
});
