/**
 * Metadata import wizard against the real engine: choose the file → dry run (the database stays empty) → Import →
 * the counts on screen equal what the database holds.
 */
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, rowCounts, startHarness, tabTo, type Harness } from './harness.ts';
import { userMetadataCount } from '../../src-renderer/screens/home/first-run.ts';

const FILE = path.join(FIXTURES, 'metadata-small.json');
const fixture = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Record<string, unknown[]>;
const EXPECTED: Record<string, number> = {
  organisationUnits: fixture.organisationUnits!.length,
  dataElements: fixture.dataElements!.length,
  dataSets: fixture.dataSets!.length,
};
const TOTAL = Object.values(EXPECTED).reduce((a, b) => a + b, 0);

describe.skipIf(!HAS_CHROMIUM)('metadata import wizard (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('metadata');
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('shows only capabilities that exist, with the database path', async () => {
    const { page } = h;
    await page.getByTestId('menu-import-metadata').waitFor();
    const info = await h.invoke('app:info', {});
    const menu = await page.locator('nav [data-test^="menu-"]').allTextContents();
    expect(menu).toContain('Job overview');
    expect(menu.includes('Metadata import')).toBe(info.capabilities.includes('import:metadata'));
    expect(menu.includes('Data import')).toBe(info.capabilities.includes('import:data'));
    expect(menu.includes('Data export')).toBe(info.capabilities.includes('export:data'));
    await expect(page.getByTestId('db-facts').textContent()).resolves.toContain(h.ferry.dbPath);
  });

  it('dry run, then import: counts on screen match the database', async () => {
    const { page } = h;
    await page.getByTestId('menu-import-metadata').click();
    await h.queueOpen([FILE]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('metadata-small.json', { exact: true }).waitFor();
    await page.getByTestId('next').click();

    // dry run is the default path
    const start = page.getByTestId('start');
    await expect(start.textContent()).resolves.toBe('Start dry run');
    await start.click();
    await page.getByTestId('summary-card').waitFor();
    await page.getByTestId('dry-run-tag').first().waitFor();
    const dry = await rowCounts(page, '[data-test="type-counts"] tfoot tr');
    expect(dry.created).toBe(TOTAL);
    expect(dry.updated).toBe(0);
    await h.screenshot('metadata-import-dry-run');

    // nothing written by the dry run
    const before = await h.invoke('db:info', {});
    for (const t of Object.keys(EXPECTED)) expect(before.metadata[t] ?? 0).toBe(0);

    await page.getByTestId('import-now').click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor();
    const real = await rowCounts(page, '[data-test="type-counts"] tfoot tr');
    expect(real.created).toBe(TOTAL);
    expect(await page.getByTestId('dry-run-tag').count()).toBe(0);

    const after = await h.invoke('db:info', {});
    for (const [t, n] of Object.entries(EXPECTED)) expect(after.metadata[t]).toBe(n);
    // the per-type rows add up to what the database gained
    const perType = await page.locator('[data-test="type-counts"] tbody tr').evaluateAll((rows) =>
      rows.map((r) => Number(r.querySelector('[data-col="created"]')!.textContent!.replace(/\D/g, ''))),
    );
    expect(perType.reduce((a, b) => a + b, 0)).toBe(TOTAL);
    expect(perType.filter((n) => n > 0).sort()).toEqual(Object.values(EXPECTED).sort());

    // the sidebar's counts follow the database
    // (without the four system defaults every database holds: they are not the user's metadata)
    const total = userMetadataCount(after.metadata);
    await page.getByTestId('db-metadata-count').getByText(`${total.toLocaleString('en-US')} metadata objects`).waitFor();
    await h.screenshot('metadata-import-done');
    expect(h.problems).toEqual([]);
  });

  it('lists both jobs in the job overview and opens the same summary', async () => {
    const { page } = h;
    await page.getByTestId('menu-jobs').click();
    const rows = page.locator('[data-test="jobs-table"] tbody tr');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    await expect(rows.first().textContent()).resolves.toContain('metadata-small.json');
    await rows.first().getByTestId('open-job').click();
    await page.getByTestId('job-detail').waitFor();
    const c = await rowCounts(page, '[data-test="type-counts"] tfoot tr');
    expect(c.created).toBe(TOTAL);
    await h.screenshot('job-overview-detail');
    await page.getByTestId('back-to-jobs').click();
    await page.getByTestId('jobs-table').waitFor();
    await h.screenshot('job-overview');
    // Run again: the same file and options, back at the options step with dry run on
    await rows.first().getByTestId('open-job').click();
    await page.getByTestId('run-again').click();
    await page.getByRole('heading', { name: 'Options' }).waitFor();
    await page.getByText('metadata-small.json', { exact: true }).waitFor();
    await expect(page.getByTestId('start').textContent()).resolves.toBe('Start dry run');
  });

  it('names the file and explains a broken file in plain words', async () => {
    const { page } = h;
    const bad = path.join(h.dir, 'broken.json');
    fs.writeFileSync(bad, '{ "organisationUnits": [ { "id": "OuBroken001", "name": ');
    await page.getByTestId('menu-import-metadata').click();
    if (await page.getByTestId('new-import').count()) await page.getByTestId('new-import').click();
    else await page.getByRole('button', { name: 'Back' }).click();
    await h.queueOpen([bad]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('broken.json', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.getByTestId('start').click();
    const err = page.getByTestId('job-error');
    await err.waitFor();
    await expect(err.textContent()).resolves.toContain('broken.json');
    await h.screenshot('metadata-import-broken-file');
  });

  it('can be done with the keyboard alone (Tab, Enter, Space)', async () => {
    const { page } = h;
    await page.reload();
    await page.getByTestId('menu-import-metadata').waitFor();
    await tabTo(page, '[data-test="menu-import-metadata"]');
    await page.keyboard.press('Enter');
    await h.queueOpen([FILE]);
    await tabTo(page, '[data-test="choose-files"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('file-list').getByText('metadata-small.json', { exact: true }).waitFor();
    await tabTo(page, '[data-test="next"]');
    await page.keyboard.press('Enter');
    // options: the new step's heading has the focus, the controls follow in reading order
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Options');
    await tabTo(page, 'input[name="dryRun"]');
    await page.keyboard.press('Space'); // off: a real import
    await expect(page.getByTestId('start').textContent()).resolves.toBe('Start import');
    await page.keyboard.press('Space'); // back on
    await tabTo(page, '[data-test="start"]');
    await page.keyboard.press('Enter');
    await page.getByTestId('summary-card').waitFor();
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Dry run summary');
    await tabTo(page, '[data-test="import-now"]');
    await h.screenshot('metadata-import-keyboard');
  });

  it('lists a missing parent as a conflict, and with Skip validation as a missing reference', async () => {
    const { page } = h;
    const file = path.join(FIXTURES, 'metadata-missing-ref.json');
    await page.getByTestId('menu-import-metadata').click();
    if (await page.getByTestId('new-import').count()) await page.getByTestId('new-import').click();
    await h.queueOpen([file]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('metadata-missing-ref.json', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.getByTestId('start').click();
    await page.getByTestId('summary-card').waitFor();
    const conflicts = page.getByTestId('conflict-table').first();
    const row = conflicts.locator('tbody tr').first();
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe('Organisation unit');
    expect(cells[1]).toContain('OuOrphan001');
    expect(cells[1]).toContain('Nduvuibu MCHP');
    expect(cells.slice(2, 4)).toEqual(['parent', 'E5002']);
    expect(cells[5]).toBe('aaaU6Kr7Gtp');
    await expect(page.getByTestId('unknown-keys').textContent()).resolves.toContain('reportTemplates');
    // atomic mode All: importing now would change nothing, so the wizard says so instead of offering Import
    await page.getByText(/nothing is imported while the file has errors/).waitFor();
    expect(await page.getByTestId('import-now').count()).toBe(0);
    await h.screenshot('metadata-import-conflicts');

    await page.getByTestId('back-to-options').click();
    await page.getByLabel('Skip validation').check();
    await page.getByTestId('start').click();
    await page.getByTestId('summary-card').waitFor();
    const missing = page.getByTestId('missing-references');
    await expect(missing.locator('tbody tr').allTextContents()).resolves.toEqual([expect.stringContaining('aaaU6Kr7Gtp')]);
    await h.screenshot('metadata-import-missing-references');
  });
});
