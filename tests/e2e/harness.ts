/**
 * E2E harness: the real engine (openFerry, worker mode, temp database) behind the HTTP bridge, serving the renderer
 * built with vite.renderer.config.ts, driven by Debian's Chromium through playwright-core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { startBridge, type Bridge } from '../../src-main/bridge/server.ts';
import { pickedPaths, QueuedDialogPort } from '../../src-main/ipc/ports.ts';
import type { Channel, Req, Res } from '../../src-shared/api/contract.ts';
import type { Result } from '../../src-shared/errors.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = path.join(ROOT, 'tests/fixtures/e2e');
export const CHROMIUM = process.env.FERRY_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
const OUT = path.join(ROOT, 'out/renderer-web');

// the renderer marks elements with data-test (as @dhis2/ui does)
selectors.setTestIdAttribute('data-test');

if (!HAS_CHROMIUM) {
  // visible in the test output: the suite is skipped, not silently passing
  console.warn(`\n[e2e] SKIPPED: Chromium not found at ${CHROMIUM} (apt-get install chromium, or set FERRY_CHROMIUM).\n`);
}

function newestMtime(dir: string): number {
  let m = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    m = Math.max(m, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return m;
}

/** Builds the renderer once (again only when a source file is newer than the build). */
export async function buildRenderer(): Promise<string> {
  const index = path.join(OUT, 'index.html');
  // the renderer bundles src-shared too (the contract, DHIS2 rules)
  const sources = Math.max(
    newestMtime(path.join(ROOT, 'src-renderer')),
    newestMtime(path.join(ROOT, 'src-shared')),
    fs.statSync(path.join(ROOT, 'vite.renderer.config.ts')).mtimeMs,
  );
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs > sources) return OUT;
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.renderer.config.ts'), logLevel: 'warn' });
  return OUT;
}

/**
 * Debian's Chromium, headless, with the flags every browser test uses (a fresh profile in `profileDir`). The browser
 * speaks English (en-US) unless `locale` says otherwise, whatever the machine's LANG: the screens follow the browser's
 * language when none was chosen in the app, and the tests' selectors read English.
 */
export async function launchChromium(
  profileDir: string,
  o: { acceptDownloads?: boolean; downloadsPath?: string; locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  const locale = o.locale ?? 'en-US';
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: o.viewport ?? { width: 1280, height: 860 },
    locale,
    acceptDownloads: o.acceptDownloads,
    downloadsPath: o.downloadsPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--lang=${locale}`],
  });
  context.setDefaultTimeout(20_000);
  return context;
}

export interface Harness {
  dir: string;
  ferry: Ferry;
  bridge: Bridge;
  dialogs: QueuedDialogPort;
  context: BrowserContext;
  page: Page;
  /** console errors and failed requests seen by the page */
  problems: string[];
  invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Res<C>>;
  queueOpen(paths: string[]): Promise<void>;
  queueSave(p: string | null): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The engine, the bridge and a browser showing the app. `language` is chosen in the app before the page loads (as the
 * language chooser remembers it: localStorage 'ferry.language'); `viewport` defaults to 1280×860.
 */
export async function startHarness(name: string, o: { language?: string; viewport?: { width: number; height: number } } = {}): Promise<Harness> {
  const staticDir = await buildRenderer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ferry-e2e-${name}-`));
  const dialogs = new QueuedDialogPort();
  // the bridge door's path policy: the page may stat and write only what the (queued) dialogs returned
  const ferry = openFerry({ dbPath: path.join(dir, 'site.db'), mode: 'worker', dialogs, paths: pickedPaths() });
  const bridge = await startBridge({ handlers: ferry.handlers, jobs: ferry.jobs, staticDir, dialogs });
  const context = await launchChromium(path.join(dir, 'chromium-profile'), { viewport: o.viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  if (o.language) await page.addInitScript((l) => localStorage.setItem('ferry.language', l), o.language);
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  // the address `ferry serve` prints: the page takes the bridge's token from the fragment
  await page.goto(bridge.pageUrl);

  const post = async (p: string, body: unknown): Promise<Response> =>
    fetch(bridge.url + p, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bridge.token}` }, body: JSON.stringify(body) });

  return {
    dir,
    ferry,
    bridge,
    dialogs,
    context,
    page,
    problems,
    async invoke(channel, req) {
      const r = (await (await post(`/api/invoke/${channel}`, req)).json()) as Result<never>;
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value;
    },
    async queueOpen(paths) {
      const r = await post('/test/dialog/open', { paths });
      if (!r.ok) throw new Error(`queueOpen: HTTP ${r.status}`);
    },
    async queueSave(p) {
      const r = await post('/test/dialog/save', { path: p });
      if (!r.ok) throw new Error(`queueSave: HTTP ${r.status}`);
    },
    async screenshot(shot) {
      const file = path.join(os.tmpdir(), `ferry-${shot}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
      await bridge.close();
      await ferry.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The numbers in a table row's cells, keyed by the cells' data-col. */
export async function rowCounts(page: Page, rowSelector: string): Promise<Record<string, number>> {
  return page.locator(rowSelector).first().evaluate((tr) => {
    const out: Record<string, number> = {};
    for (const td of Array.from(tr.querySelectorAll('[data-col]'))) {
      out[td.getAttribute('data-col')!] = Number((td.textContent ?? '').replace(/[^0-9-]/g, ''));
    }
    return out;
  });
}

/** Imports a file straight through the API (set-up for specs that test something else). */
export async function importDirect(h: Harness, file: string, kind: 'metadata' | 'data'): Promise<void> {
  const { jobId } = await h.invoke('import:start', { files: [file], kind, options: {} });
  const rec = await h.invoke('jobs:wait', { id: jobId });
  if (rec.status !== 'done' || rec.resultStatus === 'ERROR') throw new Error(`set-up import of ${path.basename(file)} failed: ${JSON.stringify(rec.error ?? rec.summary)}`);
}

/** All stored data values as "de/pe/ou/coc=value" (uids), sorted. */
export function storedValues(h: Harness): string[] {
  return (
    h.ferry.db
      .prepare(
        `SELECT de.uid AS de, p.iso AS pe, ou.uid AS ou, coc.uid AS coc, dv.value AS value FROM data_value dv
         JOIN metadata_object de ON de.id = dv.de JOIN period p ON p.id = dv.pe JOIN metadata_object ou ON ou.id = dv.ou
         JOIN metadata_object coc ON coc.id = dv.coc WHERE dv.deleted = 0`,
      )
      .all() as { de: string; pe: string; ou: string; coc: string; value: string }[]
  )
    .map((r) => `${r.de}/${r.pe}/${r.ou}/${r.coc}=${r.value}`)
    .sort();
}

/** Presses Tab until the focused element matches `selector` (fails after `max` presses): proves keyboard reach. */
export async function tabTo(page: Page, selector: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}
