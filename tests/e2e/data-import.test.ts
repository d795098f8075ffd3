/**
 * Data import wizard against the real engine: two files in one job → one row per file and combined counts on screen,
 * the values in the database; conflicts listed with their codes and downloadable as CSV.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, rowCounts, startHarness, storedValues, type Harness } from './harness.ts';

const BO = path.join(FIXTURES, 'data-bo.json');
const KENEMA = path.join(FIXTURES, 'data-kenema.csv');
const CONFLICTS = path.join(FIXTURES, 'data-conflicts.json');
const COC = 'HllvX50cXC0';
const EXPECTED_VALUES = [
  ...(JSON.parse(fs.readFileSync(BO, 'utf8')) as { dataValues: Record<string, string>[] }).dataValues.map(
    (v) => `${v.dataElement}/${v.period}/${v.orgUnit}/${COC}=${v.value}`,
  ),
  ...fs
    .readFileSync(KENEMA, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(','))
    .map((c) => `${c[0]}/${c[1]}/${c[2]}/${c[3]}=${c[5]}`),
].sort();

describe.skipIf(!HAS_CHROMIUM)('data import wizard (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('data-import');
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('imports two files in one job: per-file rows, combined counts, values in the database', async () => {
    const { page } = h;
    await page.getByTestId('menu-import-data').click();
    await h.queueOpen([BO, KENEMA]);
    await page.getByTestId('choose-files').click();
    const list = page.getByTestId('file-list');
    await list.getByText('data-kenema.csv', { exact: true }).waitFor();
    await expect(list.textContent()).resolves.toContain('data-bo.json');
    await expect(list.textContent()).resolves.toContain('2 files');
    await page.getByTestId('next').click();
    await page.getByLabel('CSV: first row').waitFor();
    await h.screenshot('data-import-options');
    await page.getByTestId('start').click();
    await page.getByTestId('summary-card').waitFor();

    const dry = await rowCounts(page, '[data-test="combined-counts"] tbody tr');
    expect(dry).toMatchObject({ imported: 8, updated: 0, ignored: 0, deleted: 0, total: 8 });
    expect(await rowCounts(page, '[data-test="file-summaries"] tr[data-file="data-bo.json"]')).toMatchObject({ imported: 5, conflicts: 0 });
    expect(await rowCounts(page, '[data-test="file-summaries"] tr[data-file="data-kenema.csv"]')).toMatchObject({ imported: 3, conflicts: 0 });
    expect((await h.invoke('db:info', {})).dataValues).toBe(0);
    await h.screenshot('data-import-dry-run');

    await page.getByTestId('import-now').click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor();
    expect(await rowCounts(page, '[data-test="combined-counts"] tbody tr')).toMatchObject({ imported: 8, total: 8 });
    const rows = page.locator('[data-test="file-summaries"] tbody tr');
    expect(await rows.count()).toBe(2);
    // sha256 prefix shown per file, matching the job history
    const job = (await h.invoke('jobs:list', {}))[0]!;
    for (const f of job.files) {
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      await expect(page.locator(`[data-test="file-summaries"] tr[data-file="${f.name}"]`).textContent()).resolves.toContain(f.sha256!.slice(0, 12));
    }
    expect((await h.invoke('db:info', {})).dataValues).toBe(8);
    expect(storedValues(h)).toEqual(EXPECTED_VALUES);
    await page.getByTestId('db-datavalue-count').getByText('8 data values').waitFor();
    await h.screenshot('data-import-done');
    expect(h.problems).toEqual([]);
  });

  it('lists conflicts with codes, filters them and downloads them as CSV', async () => {
    const { page } = h;
    await page.getByTestId('new-import').click();
    await h.queueOpen([CONFLICTS]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('data-conflicts.json', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.getByTestId('start').click();
    await page.getByTestId('summary-card').waitFor();
    const table = page.getByTestId('conflict-table');
    const bodyRows = table.locator('tbody tr');
    await expect(bodyRows.count()).resolves.toBe(2);
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('DeUnknown01');
    expect(text).toMatch(/E\d{4}/);
    await h.screenshot('data-import-conflicts');

    await page.getByTestId('conflict-filter').fill('DeUnknown01');
    await expect(bodyRows.count()).resolves.toBe(1);

    const out = path.join(h.dir, 'conflicts.csv');
    await h.queueSave(out);
    await page.getByTestId('download-conflicts').click();
    await page.getByText(`Saved 2 conflicts to ${out}`).waitFor();
    const csv = fs.readFileSync(out, 'utf8').trim().split(/\r\n/);
    expect(csv[0]).toContain('Error code');
    expect(csv).toHaveLength(3);
    expect(csv.join('\n')).toContain('DeUnknown01');
  });

  it('shows live progress (records, MB, time left) and Cancel leaves the database unchanged', async () => {
    const { page } = h;
    const big = path.join(h.dir, 'big.json');
    writeBigFile(big, 150_000);
    const before = (await h.invoke('db:info', {})).dataValues;
    await page.getByTestId('new-import').click();
    await h.queueOpen([big]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('big.json', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.getByLabel('Dry run').uncheck();
    await expect(page.getByTestId('start').textContent()).resolves.toBe('Start import');
    await page.getByTestId('start').click();
    const progress = page.getByTestId('job-progress');
    await progress.getByText(/[1-9][\d,]* records · [\d.]+ MB of [\d.]+ MB/).waitFor();
    await h.screenshot('data-import-progress');
    await page.getByTestId('cancel-job').click();
    await page.getByText('The job was cancelled; nothing was changed in the database.').waitFor();
    expect((await h.invoke('db:info', {})).dataValues).toBe(before);
    const job = (await h.invoke('jobs:list', {}))[0]!;
    expect(job.status).toBe('cancelled');
  });
});

/** A large JSON data value set (distinct daily periods), written in chunks. */
function writeBigFile(file: string, count: number): void {
  const ous = ['OuBoHosp001', 'OuBoClin001', 'OuKenHC0001'];
  const des = ['DeAnc100001', 'DeAnc400001', 'DeMal000001'];
  const fd = fs.openSync(file, 'w');
  let buf = '{"dataValues":[';
  let n = 0;
  for (let y = 1950; n < count; y++)
    for (let m = 1; m <= 12 && n < count; m++)
      for (let d = 1; d <= 28 && n < count; d++)
        for (const ou of ous)
          for (const de of des) {
            if (n >= count) break;
            const pe = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
            buf += `${n ? ',' : ''}{"dataElement":"${de}","period":"${pe}","orgUnit":"${ou}","value":"${n % 97}"}`;
            n++;
            if (buf.length > 1 << 20) {
              fs.writeSync(fd, buf);
              buf = '';
            }
          }
  fs.writeSync(fd, buf + ']}');
  fs.closeSync(fd);
}
