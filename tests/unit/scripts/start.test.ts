/**
 * scripts/start.mjs (npm start): the Electron app when its binary is there and the SQLite module could be made for
 * it; otherwise one sentence saying why, and the screens through `ferry serve`. Every step is stubbed here; the real
 * browser path runs in tests/e2e/npm-start.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp.ts';
// @ts-expect-error -- a plain .mjs script without types
import * as startScript from '../../../scripts/start.mjs';

interface Deps {
  env?: NodeJS.ProcessEnv;
  log?: (s: string) => void;
  findElectron?: () => string | null;
  downloadElectron?: () => string | null;
  rebuildForElectron?: () => { ok: boolean; message: string };
  useNodeBuild?: () => { ok: boolean; message: string };
  buildRenderer?: () => Promise<boolean>;
  runElectron?: (o: unknown) => Promise<number>;
  runServe?: (o: { open: boolean; port?: string }) => Promise<number>;
}
const s = startScript as {
  start(argv: string[], deps: Deps): Promise<number>;
  parseStartArgs(argv: string[]): { browser: boolean; open: boolean; port?: string };
  findElectron(o: { root: string; env: NodeJS.ProcessEnv; platform?: string }): string | null;
  downloadElectron(o: { root: string; env: NodeJS.ProcessEnv; run: (cmd: string, args: string[]) => { status: number; stdout: string; stderr: string } }): string | null;
};

const BROWSER_SENTENCE = ', so Ferry opens its screens in your web browser instead (ferry serve, on this computer only).';

/** stubs that record what ran, in order */
function world(o: { electron?: boolean; download?: string | null; rebuild?: { ok: boolean; message: string }; node?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const steps: string[] = [];
  const logs: string[] = [];
  let present = o.electron ?? false;
  const deps: Deps = {
    env: o.env ?? {},
    log: (l) => logs.push(l),
    findElectron: () => (steps.push('find'), present ? '/x/electron' : null),
    downloadElectron: () => {
      steps.push('download');
      if (o.download === null) present = true;
      return o.download === undefined ? 'fetch failed' : o.download;
    },
    rebuildForElectron: () => (steps.push('rebuild'), o.rebuild ?? { ok: true, message: 'better-sqlite3 is built for Electron 45.5.0 (ABI 150).' }),
    useNodeBuild: () => (steps.push('node-build'), o.node === false ? { ok: false, message: 'better-sqlite3 could not be built for Node.' } : { ok: true, message: '' }),
    buildRenderer: async () => (steps.push('build-renderer'), false),
    runElectron: async () => (steps.push('electron'), 0),
    runServe: async (a) => (steps.push(`serve open=${a.open} port=${a.port ?? '-'}`), 0),
  };
  return { deps, steps, logs };
}

describe('npm start decides', () => {
  it('no binary, download fails: says so in one sentence and serves the screens in the browser (built renderer, Node’s SQLite)', async () => {
    const w = world();
    expect(await s.start([], w.deps)).toBe(0);
    expect(w.steps).toEqual(['find', 'download', 'node-build', 'build-renderer', 'serve open=true port=-']);
    expect(w.logs).toEqual([
      "Electron's binary is not installed yet: trying to download it (first start only)…",
      `Electron's binary is not installed and could not be downloaded (fetch failed)${BROWSER_SENTENCE}`,
    ]);
  });

  it('no download attempt with FERRY_ELECTRON_DOWNLOAD=0 or ELECTRON_SKIP_BINARY_DOWNLOAD', async () => {
    for (const env of [{ FERRY_ELECTRON_DOWNLOAD: '0' }, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }]) {
      const w = world({ env });
      await s.start(['--no-open', '--port', '8080'], w.deps);
      expect(w.steps).toEqual(['find', 'node-build', 'build-renderer', 'serve open=false port=8080']);
      expect(w.logs).toEqual([`Electron's binary is not installed${BROWSER_SENTENCE}`]);
    }
  });

  it('the binary is there: Electron’s SQLite module, the app, then Node’s module back', async () => {
    const w = world({ electron: true });
    expect(await s.start([], w.deps)).toBe(0);
    expect(w.steps).toEqual(['find', 'rebuild', 'electron', 'node-build']);
    expect(w.logs).toEqual(['better-sqlite3 is built for Electron 45.5.0 (ABI 150).']);
  });

  it('downloaded on this first start: the app', async () => {
    const w = world({ download: null });
    await s.start([], w.deps);
    expect(w.steps).toEqual(['find', 'download', 'find', 'rebuild', 'electron', 'node-build']);
  });

  it('the binary is there but Electron’s headers cannot be fetched: says why, and the browser instead', async () => {
    const message = "Could not get Electron's headers to rebuild the SQLite module for Electron 45.5.0 (getaddrinfo ENOTFOUND electronjs.org). …";
    const w = world({ electron: true, rebuild: { ok: false, message } });
    await s.start([], w.deps);
    expect(w.steps).toEqual(['find', 'rebuild', 'node-build', 'build-renderer', 'serve open=true port=-']);
    expect(w.logs).toEqual([message, `the SQLite module could not be rebuilt for Electron${BROWSER_SENTENCE}`]);
  });

  it('--browser skips Electron altogether', async () => {
    const w = world({ electron: true });
    await s.start(['--browser'], w.deps);
    expect(w.steps).toEqual(['node-build', 'build-renderer', 'serve open=true port=-']);
    expect(w.logs).toEqual([`you asked for the browser (--browser)${BROWSER_SENTENCE}`]);
  });

  it('stops with status 1 when the SQLite module cannot be made for Node either', async () => {
    const w = world({ env: { FERRY_ELECTRON_DOWNLOAD: '0' }, node: false });
    expect(await s.start([], w.deps)).toBe(1);
    expect(w.steps).toEqual(['find', 'node-build']);
    expect(w.logs.at(-1)).toBe('better-sqlite3 could not be built for Node.');
  });

  it('arguments: --browser, --no-open, --port N; anything else is refused', () => {
    expect(s.parseStartArgs([])).toEqual({ browser: false, open: true, port: undefined });
    expect(s.parseStartArgs(['--browser', '--no-open', '--port=9000'])).toEqual({ browser: true, open: false, port: '9000' });
    expect(() => s.parseStartArgs(['--port', 'x'])).toThrow('--port needs a port number');
    expect(() => s.parseStartArgs(['--db'])).toThrow(/unknown option --db/);
  });
});

describe('findElectron and downloadElectron', () => {
  function root(o: { pathTxt?: string; dist?: string[] } = {}): string {
    const r = tmpDir('ferry-start-');
    const pkg = path.join(r, 'node_modules/electron');
    fs.mkdirSync(path.join(pkg, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"version":"45.5.0"}');
    if (o.pathTxt) fs.writeFileSync(path.join(pkg, 'path.txt'), o.pathTxt);
    for (const f of o.dist ?? []) fs.writeFileSync(path.join(pkg, 'dist', f), '');
    return r;
  }

  it('the binary named by path.txt in dist/, as electron’s own index.js finds it (without downloading)', () => {
    expect(s.findElectron({ root: root(), env: {} })).toBeNull();
    expect(s.findElectron({ root: root({ pathTxt: 'electron' }), env: {} })).toBeNull();
    const r = root({ pathTxt: 'electron', dist: ['electron'] });
    expect(s.findElectron({ root: r, env: {} })).toBe(path.join(r, 'node_modules/electron/dist/electron'));
    expect(s.findElectron({ root: tmpDir(), env: {} })).toBeNull(); // electron not installed at all
  });

  it('ELECTRON_OVERRIDE_DIST_PATH decides where the binary must be (an empty folder: absent)', () => {
    const r = root({ pathTxt: 'electron', dist: ['electron'] });
    const elsewhere = tmpDir();
    expect(s.findElectron({ root: r, env: { ELECTRON_OVERRIDE_DIST_PATH: elsewhere } })).toBeNull();
    fs.writeFileSync(path.join(elsewhere, 'electron'), '');
    expect(s.findElectron({ root: root(), env: { ELECTRON_OVERRIDE_DIST_PATH: elsewhere }, platform: 'linux' })).toBe(path.join(elsewhere, 'electron'));
  });

  it('a failed download gives its reason in a few words', () => {
    const run = (): { status: number; stdout: string; stderr: string } => ({
      status: 1,
      stdout: 'Downloading Electron binary...',
      stderr: 'RequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (got/index.js:1:1)',
    });
    expect(s.downloadElectron({ root: tmpDir(), env: {}, run })).toBe('getaddrinfo ENOTFOUND github.com');
    expect(s.downloadElectron({ root: tmpDir(), env: {}, run: () => ({ status: 0, stdout: '', stderr: '' }) })).toBeNull();
  });
});
