/**
 * Issue 15 (h) in Chromium at 1366×768 against the real engine: a fresh database guides the first steps (the system
 * defaults do not count as metadata) and every home tile says what it is for; files dropped onto the import wizard
 * (uploaded in the browser) with the dialog's checks; after a dry run with a long summary the Import button is in
 * sight without scrolling (the fixed action bar) and imports; dates are typed as yyyy-MM-dd whatever the locale.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { buildRenderer, CHROMIUM, FIXTURES, HAS_CHROMIUM, storedValues, type Harness } from './harness.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { startBridge } from '../../src-main/bridge/server.ts';
import { BrowserTransfers } from '../../src-main/bridge/transfers.ts';
import { pickedPaths } from '../../src-main/ipc/ports.ts';
import type { Result } from '../../src-shared/errors.ts';

/**
 * The harness of the other browser tests, but with the browser door of `ferry serve` (files reach the engine by
 * upload, as dropped files do in a browser): the real engine and bridge in this process, a fresh database.
 */
async function startUploadHarness(name: string): Promise<Harness> {
  const staticDir = await buildRenderer();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ferry-e2e-${name}-`));
  const paths = pickedPaths();
  const transfers = new BrowserTransfers({ dir: path.join(dir, 'files'), paths });
  const ferry = openFerry({ dbPath: path.join(dir, 'site.db'), mode: 'worker', paths, dialogs: transfers, transfers });
  const bridge = await startBridge({ handlers: ferry.handlers, jobs: ferry.jobs, staticDir, transfers });
  // a French-speaking browser in East Africa: dates must still read yyyy-MM-dd, times on the local clock
  const context = await chromium.launchPersistentContext(path.join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: VIEWPORT,
    locale: LOCALE,
    timezoneId: TIMEZONE,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--lang=${LOCALE}`],
  });
  context.setDefaultTimeout(20_000);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize(VIEWPORT);
  // the screens in English (chosen in the app, as the language chooser remembers it): this test is about the French
  // browser's dates and clock, and its selectors read English; tests/e2e/languages.test.ts covers the French screens
  await page.addInitScript(() => localStorage.setItem('ferry.language', 'en'));
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(bridge.pageUrl);
  const unsupported = async (): Promise<void> => {
    throw new Error('no dialogs in browser mode');
  };
  return {
    dir,
    ferry,
    bridge,
    dialogs: null as never,
    context,
    page,
    problems,
    async invoke(channel, req) {
      const res = await fetch(`${bridge.url}/api/invoke/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bridge.token}` },
        body: JSON.stringify(req),
      });
      const r = (await res.json()) as Result<never>;
      if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
      return r.value;
    },
    queueOpen: unsupported,
    queueSave: unsupported,
    async screenshot(shot) {
      const file = path.join(os.tmpdir(), `ferry-${shot}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
      await bridge.close();
      await ferry.close();
      transfers.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const VIEWPORT = { width: 1366, height: 768 };
const LOCALE = 'fr-FR';
const TIMEZONE = 'Africa/Nairobi'; // UTC+3, no summer time

/** Drops files (name, content) on the element as a user would: a drop event carrying a DataTransfer of File objects. */
async function dropFiles(page: Page, selector: string, files: { name: string; content: string }[]): Promise<void> {
  await page.locator(selector).evaluate((el, list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.content], f.name));
    el.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    el.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, files);
}

/** Whether the element is wholly inside the window and is what a click at its centre hits (not under another box). */
async function inSightUnscrolled(page: Page, selector: string): Promise<{ top: number; bottom: number; hit: boolean; scrollable: number }> {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const main = document.querySelector('.main')!;
    return { top: r.top, bottom: r.bottom, hit: hit === el || el.contains(hit), scrollable: main.scrollHeight - main.clientHeight };
  });
}

describe.skipIf(!HAS_CHROMIUM)('first run, drop, fixed action bar, yyyy-MM-dd (Chromium 1366×768, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startUploadHarness('first-run');
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('a fresh database says what to do first; every tile says what it is for', async () => {
    const { page } = h;
    // the engine's fresh database holds the four system defaults, which the page does not count as metadata
    const info = await h.invoke('db:info', {});
    expect(info.metadata).toEqual({ categoryOptions: 1, categories: 1, categoryCombos: 1, categoryOptionCombos: 1 });
    const card = page.getByTestId('first-run');
    await card.waitFor();
    await expect(card.locator('h2').textContent()).resolves.toBe('Start here: this database is empty');
    await expect(page.getByTestId('no-metadata').textContent()).resolves.toBe('No metadata yet (only the system defaults). Start with a metadata import.');
    const purposes = await page.locator('.tiles .tile .tile-purpose').allTextContents();
    const tiles = await page.locator('.tiles .tile').count();
    expect(tiles).toBeGreaterThan(10);
    expect(purposes).toHaveLength(tiles);
    for (const p of purposes) expect(p).toMatch(/^\S.{15,95}\.$/);
    console.log('screenshot:', await h.screenshot('first-run-home'));
    // the empty Job overview says what will appear there
    await page.getByTestId('menu-jobs').click();
    await expect(page.getByTestId('jobs-empty').textContent()).resolves.toMatch(/^No jobs yet\.Every import and export run here will be listed/);
    console.log('screenshot:', await h.screenshot('first-run-jobs'));
    // the data import says what comes first
    await page.getByTestId('menu-import-data').click();
    await expect(page.getByTestId('metadata-first').textContent()).resolves.toContain('This database has no metadata yet: data values can only be stored');
    await page.locator('.brand').click();
    await page.getByTestId('first-run-metadata').click();
    await page.getByTestId('wizard-metadata').waitFor();
  });

  it('files dropped on the metadata import are uploaded with the dialog checks, and import', async () => {
    const { page } = h;
    const metadata = fs.readFileSync(path.join(FIXTURES, 'metadata-small.json'), 'utf8');
    await dropFiles(page, '[data-test="drop-zone"]', [
      { name: 'metadata-small.json', content: metadata },
      { name: 'letter.docx', content: 'not DHIS2' },
    ]);
    await page.getByTestId('file-list').getByText('metadata-small.json', { exact: true }).waitFor();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/letter\.docx is not a file this import reads \(\.json, .*\.xml/);
    // the metadata import takes one file: the list holds the dropped JSON only
    await expect(page.locator('[data-test="file-list"] tbody tr').count()).resolves.toBe(1);
    console.log('screenshot:', await h.screenshot('first-run-drop'));
    await page.getByTestId('next').click();
    await page.getByLabel('Dry run').uncheck();
    await page.getByTestId('start').click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor();
    const info = await h.invoke('db:info', {});
    expect(info.metadata.organisationUnits).toBeGreaterThan(0);
    // no longer a fresh database: the first-run card is gone, the counts are shown
    await page.locator('.brand').click();
    await page.getByTestId('db-counts').waitFor();
    expect(await page.getByTestId('first-run').count()).toBe(0);
  });

  it('after a dry run with a long summary, Import is in sight without scrolling, and imports', async () => {
    const { page } = h;
    // many files in one job: a long per-file table and long conflict list
    const files: string[] = [];
    for (let i = 0; i < 14; i++) {
      const f = path.join(h.dir, `facility-${String(i).padStart(2, '0')}.json`);
      // one month per file (no two files share a value key), and one value of an unknown data element each
      const period = i < 12 ? `2024${String(i + 1).padStart(2, '0')}` : `2023${i - 1}`;
      const values = [
        { dataElement: 'DeAnc100001', period, orgUnit: 'OuBoHosp001', value: String(10 + i) },
        { dataElement: 'DeUnknown01', period, orgUnit: 'OuBoHosp001', value: '5' },
      ];
      fs.writeFileSync(f, JSON.stringify({ dataValues: values }));
      files.push(f);
    }
    await page.getByTestId('menu-import-data').click();
    await dropFiles(
      page,
      '[data-test="drop-zone"]',
      files.map((f) => ({ name: path.basename(f), content: fs.readFileSync(f, 'utf8') })),
    );
    await page.getByTestId('file-list').getByText('14 files').waitFor();
    await page.getByTestId('next').click();
    await page.getByTestId('start').click();
    await page.getByRole('heading', { name: 'Dry run summary' }).waitFor();
    const button = page.getByTestId('import-now');
    await button.waitFor();
    const seen = await inSightUnscrolled(page, '[data-test="import-now"]');
    // the summary is longer than the window (the test would prove nothing otherwise) …
    expect(seen.scrollable).toBeGreaterThan(200);
    // … and the button is wholly inside the 768-pixel window and not covered
    expect(seen.top).toBeGreaterThan(0);
    expect(seen.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    expect(seen.hit).toBe(true);
    // the window as the user sees it (not the full page)
    const shot = path.join(os.tmpdir(), 'ferry-fixed-action-bar.png');
    await page.screenshot({ path: shot });
    console.log('screenshot:', shot);
    expect((await h.invoke('db:info', {})).dataValues).toBe(0);
    await button.click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor();
    expect(storedValues(h)).toHaveLength(14);
  });

  it('dates are typed and shown as yyyy-MM-dd in a French browser, times on the local clock', async () => {
    const { page } = h;
    await page.getByTestId('menu-export-data').click();
    const start = page.getByLabel('Start date');
    await start.waitFor();
    expect(await start.getAttribute('type')).toBe('text');
    expect(await start.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('input[type="date"]').count()).toBe(0);
    await start.fill('31/03/2024');
    await start.blur();
    await expect(page.getByTestId('date-problem').textContent()).resolves.toBe('Type the date as yyyy-MM-dd, e.g. 2024-03-31 (not "31/03/2024").');
    console.log('screenshot:', await h.screenshot('dates-typed'));
    // Export… stays in sight at the bottom of the long options form; a date that is no day is refused there, in sight
    await start.fill('2024-02-30');
    await page.getByTestId('start').click();
    const refusal = page.locator('[data-test="action-bar"] .notice');
    await expect(refusal.textContent()).resolves.toBe('2024-02-30 is not a day of the calendar.');
    const bar = await inSightUnscrolled(page, '[data-test="start"]');
    expect(bar.bottom).toBeLessThanOrEqual(VIEWPORT.height);
    expect(bar.hit).toBe(true);
    expect((await refusal.boundingBox())!.y).toBeGreaterThan(0);
    console.log('screenshot:', await h.screenshot('dates-refused'));
    await start.fill('2024-03-01');
    expect(await page.getByTestId('date-problem').count()).toBe(0);
    // the browser speaks French (a date input would read 31/03/2024 there) …
    expect(await page.evaluate(() => [navigator.language, new Date(Date.UTC(2024, 2, 31)).toLocaleDateString()])).toEqual(['fr-FR', '31/03/2024']);
    // … and the job overview shows the last job's time as yyyy-MM-dd HH:mm on the Nairobi clock (UTC+3)
    const last = (await h.invoke('jobs:list', {}))[0]!;
    const nairobi = new Date(new Date(last.createdAt).getTime() + 3 * 3600_000).toISOString().replace('T', ' ').slice(0, 16);
    await page.getByTestId('menu-jobs').click();
    const firstRow = page.locator('[data-test="jobs-table"] tbody tr').first();
    await firstRow.waitFor();
    expect(await firstRow.textContent()).toContain(nairobi);
    expect(h.problems).toEqual([]);
  });
});
