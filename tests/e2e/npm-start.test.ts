/**
 * `npm start` on a machine without Electron's binary (as on these machines: the registry is reachable, Electron's
 * download is not): it says so in one sentence, serves the screens through `ferry serve` on the database the app and
 * the CLI use (FERRY_DB here), and Chromium reaches the home screen. Ctrl+C then stops it and frees the database.
 * Electron's binary is made absent on any machine with ELECTRON_OVERRIDE_DIST_PATH (an empty folder, which electron
 * itself would read) and FERRY_ELECTRON_DOWNLOAD=0 (no download attempt); --no-open prints the address instead of
 * opening a browser.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { buildRenderer, HAS_CHROMIUM, launchChromium, ROOT } from './harness.ts';
import { spawnServe, type ServeProcess } from './serve-process.ts';
import { serveLockPath } from '../../src-main/bridge/serve-lock.ts';

describe.skipIf(!HAS_CHROMIUM)('npm start without Electron’s binary (Chromium)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-e2e-start-'));
  const db = path.join(dir, 'Ferry', 'ferry.sqlite');
  let started: ServeProcess | null = null;
  let context: BrowserContext | null = null;
  beforeAll(async () => {
    await buildRenderer(); // as npm start would (it builds only when the sources are newer)
    fs.mkdirSync(path.join(dir, 'no-electron'));
  });
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (started && started.child.exitCode === null) await started.stop('SIGKILL');
    // the server runs in its own process group (start.mjs forwards signals to it): stop it by the pid in its lock
    try {
      const owner = JSON.parse(fs.readFileSync(serveLockPath(db), 'utf8')) as { pid: number };
      process.kill(owner.pid, 'SIGTERM');
    } catch {
      /* stopped already */
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says why in one sentence, serves the screens on the default database, and the home screen opens; Ctrl+C stops it', async () => {
    const t0 = Date.now();
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('node scripts/start.mjs');
    started = await spawnServe('npm', ['start', '--silent', '--', '--no-open'], {
      cwd: ROOT,
      env: {
        ...process.env,
        FERRY_DB: db,
        ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron'),
        FERRY_ELECTRON_DOWNLOAD: '0',
        DISPLAY: '',
        WAYLAND_DISPLAY: '',
      },
      timeoutMs: 90_000,
      group: true,
    });
    const lines = started.out().split('\n');
    expect(lines[0]).toBe("Electron's binary is not installed, so Ferry opens its screens in your web browser instead (ferry serve, on this computer only).");
    expect(started.out()).toContain(`Ferry serves ${db} on ${started.url} (this computer only); Ctrl+C to stop`);
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fs.existsSync(serveLockPath(db))).toBe(true);

    context = await launchChromium(path.join(dir, 'chromium-profile'));
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/favicon/.test(m.text())) problems.push(m.text());
    });
    await page.goto(started.pageUrl);
    await page.getByTestId('home').waitFor();
    await page.getByTestId('menu-import-data').waitFor();
    await expect(page.getByTestId('db-facts').textContent()).resolves.toContain(db);
    // the token left the address bar once read
    expect(page.url()).toBe(`${started.url}/`);
    // browser mode: the data import screen uploads (no dialog button)
    await page.getByTestId('menu-import-data').click();
    await page.getByTestId('upload-files').waitFor();
    expect(await page.getByTestId('choose-files').count()).toBe(0);
    expect(problems).toEqual([]);

    await context.close();
    context = null;
    // Ctrl+C in the terminal: npm, its shell and start.mjs get SIGINT; start.mjs passes it on to the server once
    // (npm itself dies of the signal at once; the server's output ends when it has stopped)
    await started.stop('SIGINT');
    await started.outputClosed;
    expect(started.out()).toMatch(/Stopping \(SIGINT\)…\nFerry stopped\.\n$/);
    expect(started.err()).toBe('');
    expect(fs.existsSync(serveLockPath(db))).toBe(false);
    expect(fs.readdirSync(path.dirname(db))).toEqual(['ferry.sqlite']);
    console.log(`[e2e] npm start → home screen → stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
