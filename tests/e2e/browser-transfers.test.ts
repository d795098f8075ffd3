/**
 * Browser mode with a 100 MB file: `ferry serve` as its own process, Chromium uploads a 100 MB CSV data file through
 * the data import screen ("Upload files…"), imports it, exports the same values as CSV and downloads the export
 * through the page's link. The bridge process's memory is measured from /proc (VmHWM reset before each phase): an
 * upload or a download must not hold the file in memory (peak growth well under the file's size). Ctrl+C then stops
 * the server and removes the uploaded and exported files.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { buildRenderer, HAS_CHROMIUM, launchChromium, ROOT } from './harness.ts';
import { MB, memoryOf, resetPeak, spawnServe, type ServeProcess } from './serve-process.ts';
import { COC_UIDS, comboCocs, DES, deUid, metadataPayload, OUS, ouUid, PERIODS } from '../../scripts/bench/data-generate.ts';
import { serveFilesDir } from '../../src-main/bridge/serve.ts';
import { serveLockPath } from '../../src-main/bridge/serve-lock.ts';

const SIZE = 100 * MB;
/** peak RSS growth allowed while 100 MB stream through the bridge */
const BOUND = 60 * MB;

/** A CSV data value file of at least `bytes` (facility order; a long comment per value keeps the row count modest). */
function writeDataCsv(file: string, bytes: number): { rows: number; sha256: string; firstRow: string } {
  const fd = fs.openSync(file, 'w');
  const hash = createHash('sha256');
  let size = 0;
  let rows = 0;
  let firstRow = '';
  let buf: string[] = [];
  const flush = (): void => {
    const b = Buffer.from(buf.join(''), 'utf8');
    fs.writeSync(fd, b);
    hash.update(b);
    size += b.length;
    buf = [];
  };
  buf.push('dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup\n');
  const filler = 'counted again at the district office after the monthly review meeting with the facility in charge '.repeat(3);
  outer: for (let ou = 0; ou < OUS; ou++) {
    for (const pe of PERIODS) {
      for (let de = 0; de < DES; de++) {
        for (const coc of comboCocs(de)) {
          const row = `${deUid(de)},${pe},${ouUid(ou)},${COC_UIDS[coc]},HllvX50cXC0,${(rows % 997) + 1},e2e,2024-02-01T10:00:00.000+0000,row ${rows} ${filler},false\n`;
          if (!firstRow) firstRow = row;
          buf.push(row);
          rows++;
          if (buf.length >= 2000) {
            flush();
            if (size >= bytes) break outer;
          }
        }
      }
    }
  }
  flush();
  fs.closeSync(fd);
  return { rows, sha256: hash.digest('hex'), firstRow };
}

function sha256Of(file: string): string {
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const b = Buffer.alloc(4 * MB);
  for (let n; (n = fs.readSync(fd, b, 0, b.length, null)) > 0; ) h.update(b.subarray(0, n));
  fs.closeSync(fd);
  return h.digest('hex');
}

function countLines(file: string): number {
  const fd = fs.openSync(file, 'r');
  const b = Buffer.alloc(4 * MB);
  let lines = 0;
  for (let n; (n = fs.readSync(fd, b, 0, b.length, null)) > 0; ) for (let i = 0; i < n; i++) if (b[i] === 10) lines++;
  fs.closeSync(fd);
  return lines;
}

const fmt = (n: number): string => `${(n / MB).toFixed(1)} MB`;

describe.skipIf(!HAS_CHROMIUM || process.platform !== 'linux')('browser mode: a 100 MB upload and download (Chromium, ferry serve)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-e2e-transfers-'));
  const db = path.join(dir, 'site.sqlite');
  const csv = path.join(dir, 'values.csv');
  let data: ReturnType<typeof writeDataCsv>;
  let server: ServeProcess | null = null;
  let context: BrowserContext | null = null;

  beforeAll(async () => {
    await buildRenderer();
    data = writeDataCsv(csv, SIZE);
    fs.writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(metadataPayload()));
    server = await spawnServe(process.execPath, [path.join(ROOT, 'bin/ferry.mjs'), '--db', db, 'serve'], {
      cwd: ROOT,
      env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
    });
    // set-up through the API: the metadata the values refer to (1,000 facilities, 200 data elements, one data set)
    const auth = { authorization: `Bearer ${server.token}` };
    const up = (await (
      await fetch(`${server.url}/api/upload?name=metadata.json`, { method: 'POST', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: fs.readFileSync(path.join(dir, 'metadata.json')) })
    ).json()) as { value: { path: string } };
    const call = async (channel: string, body: unknown): Promise<{ value: { jobId: number; status: string } }> =>
      (await fetch(`${server!.url}/api/invoke/${channel}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as never;
    const { jobId } = (await call('import:start', { files: [up.value.path], kind: 'metadata', options: { atomicMode: 'NONE' } })).value;
    expect((await call('jobs:wait', { id: jobId })).value.status).toBe('done');
    context = await launchChromium(path.join(dir, 'chromium-profile'), { acceptDownloads: true, downloadsPath: path.join(dir, 'downloads') });
  });
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (server && server.child.exitCode === null) await server.stop('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports a 100 MB file uploaded by the page and downloads its 100 MB export, with the bridge’s memory flat; Ctrl+C removes both', async () => {
    const t0 = Date.now();
    const s = server!;
    const pid = s.child.pid!;
    const page = context!.pages()[0] ?? (await context!.newPage());
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(s.pageUrl);
    await page.getByTestId('menu-import-data').click();
    await page.getByTestId('upload-files').waitFor();
    expect(fs.statSync(csv).size).toBeGreaterThanOrEqual(SIZE);

    // --- upload: 100 MB from the page's file input to the bridge
    expect(resetPeak(pid)).toBe(true);
    const beforeUpload = memoryOf(pid).rss;
    const tUp = Date.now();
    await page.getByTestId('upload-input').setInputFiles(csv);
    await page.getByTestId('file-list').getByText('values.csv', { exact: true }).waitFor({ timeout: 60_000 });
    const upload = { growth: memoryOf(pid).peak - beforeUpload, ms: Date.now() - tUp };
    const uploaded = path.join(serveFilesDir(db), 'upload-2', 'values.csv');
    expect(fs.statSync(uploaded).size).toBe(fs.statSync(csv).size);

    // --- import it (no dry run)
    await page.getByTestId('next').click();
    await page.getByLabel('Dry run').uncheck();
    resetPeak(pid);
    const beforeImport = memoryOf(pid).rss;
    const tImp = Date.now();
    await page.getByTestId('start').click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor({ timeout: 90_000 });
    const imported = { growth: memoryOf(pid).peak - beforeImport, ms: Date.now() - tImp };
    await page.getByTestId('db-datavalue-count').getByText(`${data.rows.toLocaleString('en-US')} data values`).waitFor();
    const job = (await (
      await fetch(`${s.url}/api/invoke/jobs:list`, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }, body: '{}' })
    ).json()) as { value: { files: { name: string; sha256: string; size: number }[]; status: string }[] };
    expect(job.value[0]).toMatchObject({ status: 'done', files: [{ name: 'values.csv', sha256: data.sha256, size: fs.statSync(csv).size }] });

    // --- export all of it as uncompressed CSV, then download it through the page's link
    await page.getByTestId('menu-export-data').click();
    await page.getByTestId('org-unit-tree').locator('input[data-uid="Dist0000000"]').check();
    await page.getByTestId('picker-dataSets').locator('input[data-uid="Ds000000001"]').check();
    await page.getByLabel('Start date').fill('2024-01-01');
    await page.getByLabel('End date').fill('2024-12-31');
    await page.getByLabel('CSV').check();
    await page.getByLabel('Uncompressed').check();
    resetPeak(pid);
    const beforeExport = memoryOf(pid).rss;
    const tExp = Date.now();
    await page.getByTestId('start').click();
    const link = page.getByTestId('download-export');
    await link.waitFor({ timeout: 90_000 });
    const exported = { growth: memoryOf(pid).peak - beforeExport, ms: Date.now() - tExp };
    await expect(page.getByTestId('summary-headline').textContent()).resolves.toBe(
      `Export ready: ${data.rows.toLocaleString('en-US')} data values in ${(await page.getByTestId('export-bytes').textContent())!}.`,
    );
    const serverFile = path.join(serveFilesDir(db), 'save-3', 'ferry-data-District-2024-01-01-2024-12-31.csv');
    await expect(page.getByTestId('export-file').textContent()).resolves.toBe(path.basename(serverFile));
    const bytes = fs.statSync(serverFile).size;
    expect(bytes).toBeGreaterThan(SIZE);

    resetPeak(pid);
    const beforeDownload = memoryOf(pid).rss;
    const tDown = Date.now();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const got = path.join(dir, 'downloaded.csv');
    await download.saveAs(got);
    const downloaded = { growth: memoryOf(pid).peak - beforeDownload, ms: Date.now() - tDown };
    expect(download.suggestedFilename()).toBe(path.basename(serverFile));
    expect(fs.statSync(got).size).toBe(bytes);
    expect(sha256Of(got)).toBe(sha256Of(serverFile));
    expect(countLines(got)).toBe(data.rows + 1);
    expect(fs.readFileSync(got, { encoding: 'utf8', flag: 'r' }).slice(0, 4096)).toContain(data.firstRow.split(',row ')[0]!.split(',').slice(0, 3).join(','));
    expect(problems).toEqual([]);

    console.log(
      `[e2e] 100 MB in the browser (${data.rows} values, ${fmt(fs.statSync(csv).size)} up, ${fmt(bytes)} down), bridge process peak RSS growth: ` +
        `upload ${fmt(upload.growth)} in ${upload.ms} ms, download ${fmt(downloaded.growth)} in ${downloaded.ms} ms; ` +
        `(engine, same process: import ${fmt(imported.growth)} in ${imported.ms} ms, export ${fmt(exported.growth)} in ${exported.ms} ms); RSS now ${fmt(memoryOf(pid).rss)}`,
    );
    expect(upload.growth).toBeLessThan(BOUND);
    expect(downloaded.growth).toBeLessThan(BOUND);

    // --- Ctrl+C: the 100 MB upload and the 100 MB export go with the server
    await context!.close();
    context = null;
    expect(await s.stop('SIGINT')).toBe(0);
    expect(fs.existsSync(serveFilesDir(db))).toBe(false);
    expect(fs.existsSync(serveLockPath(db))).toBe(false);
    console.log(`[e2e] whole browser transfer test: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
