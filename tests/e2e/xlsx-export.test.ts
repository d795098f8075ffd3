/**
 * Metadata export as Excel through the screen (Chromium, real engine behind the bridge): the format picker offers
 * Excel, the compression choice gives way to a note, the suggested name ends .xlsx; the file written opens with
 * exceljs's reader: Contents first with the counts the database holds, one sheet per chosen type with DHIS2 property
 * names, references by name and uid, the header row frozen. Then in browser mode (`ferry serve`, no save dialog):
 * the page downloads the workbook and it holds the same sheets.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import ExcelJS from 'exceljs';
import { buildRenderer, FIXTURES, HAS_CHROMIUM, importDirect, launchChromium, ROOT, startHarness, type Harness } from './harness.ts';
import { spawnServe, type ServeProcess } from './serve-process.ts';
import { ferryCli } from '../helpers/cli.ts';

function cells(ws: ExcelJS.Worksheet): string[][] {
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => out.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
  return out;
}

describe.skipIf(!HAS_CHROMIUM)('xlsx export through the metadata export screen (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('xlsx');
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('exports the chosen types as an Excel workbook: Contents, one sheet per type, frozen headers', async () => {
    const { page } = h;
    await page.getByTestId('menu-export-metadata').click();
    await page.locator('input[data-type="organisationUnits"]').waitFor();
    await page.getByTestId('select-none').click();
    await page.locator('input[data-type="organisationUnits"]').check();
    await page.locator('input[data-type="dataElements"]').check();
    await expect(page.locator('input[name="compression"]').count()).resolves.toBe(3);
    await page.getByLabel('Excel (xlsx)').check();
    await page.getByTestId('compression-built-in').waitFor();
    await expect(page.locator('input[name="compression"]').count()).resolves.toBe(0);
    await page.getByText(/suggested name: ferry-metadata-\d{4}-\d\d-\d\d\.xlsx$/).waitFor();
    console.log('screenshot:', await h.screenshot('xlsx-export-options'));

    const out = path.join(h.dir, 'metadata.xlsx');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    await expect(page.getByTestId('export-file').textContent()).resolves.toBe(out);
    console.log('screenshot:', await h.screenshot('xlsx-export-done'));
    expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe('PK');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Contents', 'organisationUnits', 'dataElements']);
    const info = await h.invoke('db:info', {});
    const contents = cells(wb.getWorksheet('Contents')!);
    expect(contents.slice(0, 3)).toEqual([
      ['sheet', 'type', 'objects'],
      ['organisationUnits', 'organisationUnits', String(info.metadata.organisationUnits)],
      ['dataElements', 'dataElements', String(info.metadata.dataElements)],
    ]);
    for (const type of ['organisationUnits', 'dataElements']) {
      const ws = wb.getWorksheet(type)!;
      const rows = cells(ws);
      expect(rows[0]!.slice(0, 2), type).toEqual(['id', 'code']);
      expect(rows.length - 1, type).toBe(info.metadata[type]);
      expect(ws.views[0], type).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    // a child org unit names its parent: "name [uid]"
    const ou = cells(wb.getWorksheet('organisationUnits')!);
    const parentCol = ou[0]!.indexOf('parent');
    const names = new Map(ou.slice(1).map((r) => [r[0]!, r[ou[0]!.indexOf('name')]!]));
    const child = ou.slice(1).find((r) => r[parentCol])!;
    const parentUid = /\[(\w{11})\]$/.exec(child[parentCol]!)![1]!;
    expect(child[parentCol]).toBe(`${names.get(parentUid)} [${parentUid}]`);

    expect(h.problems).toEqual([]);
  });
});

describe.skipIf(!HAS_CHROMIUM || process.platform !== 'linux')('xlsx export downloaded in browser mode (Chromium, ferry serve)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-e2e-xlsx-serve-'));
  const db = path.join(dir, 'site.sqlite');
  let server: ServeProcess | null = null;
  let context: BrowserContext | null = null;

  beforeAll(async () => {
    await buildRenderer();
    const r = await ferryCli(['--db', db, 'import', path.join(FIXTURES, 'metadata-small.json'), '--json']);
    expect(r.code).toBe(0);
    server = await spawnServe(process.execPath, [path.join(ROOT, 'bin/ferry.mjs'), '--db', db, 'serve'], { cwd: ROOT, env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' } });
    context = await launchChromium(path.join(dir, 'chromium-profile'), { acceptDownloads: true, downloadsPath: path.join(dir, 'downloads') });
  });
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (server && server.child.exitCode === null) await server.stop('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the page downloads the Excel export, and the download opens with the chosen sheets', async () => {
    const page = context!.pages()[0] ?? (await context!.newPage());
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(server!.pageUrl);
    await page.getByTestId('menu-export-metadata').click();
    await page.locator('input[data-type="dataSets"]').waitFor();
    await page.getByTestId('select-none').click();
    await page.locator('input[data-type="dataSets"]').check();
    await page.getByLabel('Excel (xlsx)').check();
    await page.getByTestId('start').click();
    const link = page.getByTestId('download-export');
    await link.waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^ferry-metadata-dataSets-\d{4}-\d\d-\d\d\.xlsx$/);
    const got = path.join(dir, 'downloaded.xlsx');
    await download.saveAs(got);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(got);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Contents', 'dataSets']);
    expect(cells(wb.getWorksheet('Contents')!)[1]).toEqual(['dataSets', 'dataSets', '2']);
    const ds = cells(wb.getWorksheet('dataSets')!);
    expect(ds).toHaveLength(3);
    expect(ds[0]!.slice(0, 2)).toEqual(['id', 'code']);
    expect(problems).toEqual([]);
  });
});
