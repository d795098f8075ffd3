/**
 * Issue 15, "Reports people can keep", in Chromium at 1366×768 against the real engine: a job's whole summary saved
 * as DHIS2 JSON from the Job overview (the bytes are the stored summary), the page printed (window.print) with a print
 * stylesheet that keeps the summary only (checked in the printed PDF's text), a zipped dependency export saved under
 * an edited `.json` name still written as `.json.zip`, and no "Show in folder" or "Save as PDF" where this door
 * cannot do them (the desktop app's channels are tested through the bridge in tests/integration/report-channels); in
 * browser mode (`ferry serve`'s bridge with uploads and downloads) the summary and an export come as downloads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import type { BrowserContext, Page } from 'playwright-core';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { startBridge, type Bridge } from '../../src-main/bridge/server.ts';
import { BrowserTransfers } from '../../src-main/bridge/transfers.ts';
import { pickedPaths } from '../../src-main/ipc/ports.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { buildRenderer, FIXTURES, HAS_CHROMIUM, importDirect, launchChromium, startHarness, type Harness } from './harness.ts';

const HAS_PDFTOTEXT = fs.existsSync('/usr/bin/pdftotext');
if (!HAS_PDFTOTEXT) console.warn('\n[e2e reports] pdftotext (poppler-utils) not found: the printed PDF’s text is not checked.\n');

describe.skipIf(!HAS_CHROMIUM)('reports people can keep (Chromium 1366×768, real engine)', () => {
  let h: Harness;
  let jobId = 0;
  beforeAll(async () => {
    h = await startHarness('reports');
    await h.page.setViewportSize({ width: 1366, height: 768 });
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    // a data import with conflicts (dry run): the job whose summary is kept
    const started = await h.invoke('import:start', { files: [path.join(FIXTURES, 'data-conflicts.json')], kind: 'data', options: { dryRun: true } });
    jobId = started.jobId;
    const rec = await h.invoke('jobs:wait', { id: jobId });
    expect(rec.status).toBe('done');
    await h.page.reload();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  async function openJob(): Promise<void> {
    const { page } = h;
    await page.getByTestId('menu-jobs').click();
    await page.locator(`[data-test="jobs-table"] tr[data-job="${jobId}"]`).getByTestId('open-job').click();
    await page.getByTestId('report-actions').waitFor();
  }

  it('downloads the job’s whole summary as DHIS2 JSON where the save dialog says', async () => {
    const { page } = h;
    await openJob();
    const out = path.join(h.dir, 'kept-summary.json');
    await h.queueSave(out);
    await page.getByTestId('save-summary-json').click();
    await expect(page.getByTestId('report-message').textContent()).resolves.toMatch(new RegExp(`^Saved the summary \\(.+\\) to ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const kept = JSON.parse(fs.readFileSync(out, 'utf8')) as ImportSummary;
    const stored = h.ferry.jobs.jobs.get(jobId)!.summary as ImportSummary;
    expect(kept).toEqual(stored);
    expect(kept.responseType).toBe('ImportSummary');
    expect(kept.conflicts.length).toBeGreaterThan(0);
    // this door has no file manager and no PDF printer of its own: neither is offered
    expect(await page.getByTestId('show-in-folder').count()).toBe(0);
    expect(await page.getByTestId('save-summary-pdf').count()).toBe(0);
    await h.screenshot('reports-summary-saved');
    expect(h.problems).toEqual([]);
  });

  it('prints the page: Print calls window.print; the print stylesheet keeps the summary only', async () => {
    const { page } = h;
    await openJob();
    await page.evaluate(() => {
      const w = window as unknown as { __printed: number };
      w.__printed = 0;
      window.print = () => void w.__printed++;
    });
    await expect(page.getByTestId('print-summary').textContent()).resolves.toBe('Print or save as PDF…');
    await page.getByTestId('print-summary').click();
    expect(await page.evaluate(() => (window as unknown as { __printed: number }).__printed)).toBe(1);

    await page.emulateMedia({ media: 'print' });
    try {
      expect(await page.locator('nav.sidebar').isVisible()).toBe(false);
      expect(await page.locator('header.header').isVisible()).toBe(false);
      expect(await page.getByTestId('report-actions').isVisible()).toBe(false);
      expect(await page.getByTestId('conflict-table').first().isVisible()).toBe(true);
      await h.screenshot('reports-print-media');
      // what the browser's "Save as PDF" writes: the page printed
      const pdf = path.join(h.dir, 'summary.pdf');
      await page.pdf({ path: pdf, format: 'A4', printBackground: false });
      expect(fs.readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      fs.copyFileSync(pdf, path.join(path.dirname(await h.screenshot('reports-print-media')), 'ferry-reports-summary.pdf'));
      if (HAS_PDFTOTEXT) {
        const text = execFileSync('/usr/bin/pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
        const stored = h.ferry.jobs.jobs.get(jobId)!.summary as ImportSummary;
        expect(text).toContain('Conflicts');
        expect(text).toContain(stored.conflicts[0]!.errorCode!);
        // no menu, no buttons
        expect(text).not.toContain('Main menu');
        expect(text).not.toContain('Download summary');
        expect(text).not.toContain('All jobs');
      }
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('a zipped dependency export saved under an edited “.json” name is written as “.json.zip”; no Show in folder here', async () => {
    const { page } = h;
    await page.getByTestId('menu-export-dependencies').click();
    const picker = page.getByTestId('picker-dataSets');
    await picker.getByPlaceholder('Search data sets…').fill('malaria');
    await picker.locator('input[data-uid="DsMal000001"]').check();
    // zip is the default; the user edits the name in the save dialog to end in .json
    const edited = path.join(h.dir, 'malaria-deps.json');
    await h.queueSave(edited);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    await expect(page.getByTestId('export-file').textContent()).resolves.toBe(edited + '.zip');
    expect(fs.existsSync(edited)).toBe(false);
    expect(fs.readFileSync(edited + '.zip').subarray(0, 2).toString('latin1')).toBe('PK');
    expect(await page.getByTestId('show-in-folder').count()).toBe(0);
    await h.screenshot('reports-export-zip-name');
    expect(h.problems).toEqual([]);
  });
});

/** The door of `ferry serve` (no dialogs: files are uploaded and downloaded): what a browser user keeps. */
describe.skipIf(!HAS_CHROMIUM)('reports in browser mode (ferry serve’s bridge, downloads)', () => {
  const dir = tmpDir('ferry-e2e-reports-serve-');
  let ferry: Ferry;
  let bridge: Bridge;
  let context: BrowserContext;
  let page: Page;
  let jobId = 0;
  const problems: string[] = [];
  beforeAll(async () => {
    const staticDir = await buildRenderer();
    const paths = pickedPaths();
    const transfers = new BrowserTransfers({ dir: path.join(dir, 'serve-files'), paths });
    ferry = openFerry({ dbPath: path.join(dir, 'site.db'), mode: 'worker', paths, dialogs: transfers, transfers });
    bridge = await startBridge({ handlers: ferry.handlers, jobs: ferry.jobs, staticDir, transfers });
    const meta = path.join(FIXTURES, 'metadata-small.json');
    const data = path.join(FIXTURES, 'data-conflicts.json');
    // as if uploaded: the door may read them
    paths.pickedToRead([meta, data]);
    for (const [file, kind, options] of [[meta, 'metadata', {}], [data, 'data', { dryRun: true }]] as const) {
      const r = await ferry.handlers['import:start']({ files: [file], kind, options: { ...options } } as never);
      const rec = await ferry.jobs.wait(r.jobId);
      expect(rec.status).toBe('done');
      jobId = r.jobId;
    }
    context = await launchChromium(path.join(dir, 'chromium-profile'), { acceptDownloads: true, downloadsPath: path.join(dir, 'downloads') });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/favicon/.test(m.text())) problems.push(m.text());
    });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(bridge.pageUrl);
  }, 60_000);
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await bridge?.close();
    await ferry?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the summary comes as a download of the stored JSON; no Save as PDF, no Show in folder; an export keeps its download link', async () => {
    await page.getByTestId('menu-jobs').click();
    await page.locator(`[data-test="jobs-table"] tr[data-job="${jobId}"]`).getByTestId('open-job').click();
    await page.getByTestId('report-actions').waitFor();
    expect(await page.getByTestId('save-summary-pdf').count()).toBe(0);
    await expect(page.getByTestId('print-summary').textContent()).resolves.toBe('Print or save as PDF…');
    await page.getByTestId('save-summary-json').click();
    const link = page.getByTestId('report-actions').getByTestId('download-export');
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe(`ferry-job-${jobId}-data-import-summary.json`);
    const got = path.join(dir, 'downloaded-summary.json');
    await download.saveAs(got);
    expect(JSON.parse(fs.readFileSync(got, 'utf8'))).toEqual(ferry.jobs.jobs.get(jobId)!.summary);
    expect(await page.getByTestId('show-in-folder').count()).toBe(0);
    await page.screenshot({ path: path.join(os.tmpdir(), 'ferry-reports-browser-download.png'), fullPage: true });

    // an export in this mode: downloaded, never "shown in a folder"
    await page.getByTestId('menu-export-metadata').click();
    await page.locator('input[data-type="organisationUnits"]').waitFor();
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    await page.getByTestId('download-export').waitFor();
    await expect(page.getByTestId('download-export').textContent()).resolves.toMatch(/\.json\.zip \(/);
    expect(await page.getByTestId('show-in-folder').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
