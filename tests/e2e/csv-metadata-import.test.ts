/**
 * CSV metadata import wizard against the real engine: choose the file → pick the class key → the first rows read into
 * named columns → dry run (the database stays empty) → Import → the counts on screen equal what the database holds;
 * a membership file shows the replace warning; the export screen writes the CSV that imports back.
 */
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, rowCounts, startHarness, type Harness } from './harness.ts';

const CSV =
  'Name,UID,Code,Short name,Description,Form name,Domain,Value type\n' +
  'ANC 1st visit,fbfJHSPpUQD,DE_ANC1,ANC 1,,ANC first visit,aggregate,NUMBER\n' +
  '"Malaria cases, confirmed",,DE_MAL,,,,,\n' +
  'Weight,wghtAAAAAAA,DE_WGHT,Weight (kg),Weight of the child,,,NUMBER\n';

describe.skipIf(!HAS_CHROMIUM)('CSV metadata import wizard (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('csv-metadata');
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('picks the class key, previews named columns, dry-runs and imports: counts on screen match the database', async () => {
    const { page } = h;
    const file = path.join(h.dir, 'data-elements.csv');
    fs.writeFileSync(file, CSV);
    await page.getByTestId('menu-import-csv-metadata').click();
    await h.queueOpen([file]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('data-elements.csv', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.locator('select[name="classKey"]').selectOption('DATA_ELEMENT');

    const preview = page.getByTestId('csv-preview');
    await preview.locator('tbody tr').nth(2).waitFor();
    const heads = await preview.locator('thead th').allTextContents();
    expect(heads.slice(0, 9)).toEqual(['Line', 'Data element name', 'UID (generated when empty)', 'Code', 'Short name (default: the name)', 'Description', 'Form name', 'Domain type (aggregate or tracker)', 'Value type']);
    const second = await preview.locator('tbody tr').nth(1).locator('td').allTextContents();
    // line 3; the blank short name is the name, blank domain/value/aggregation types DHIS2's defaults
    expect(second.slice(0, 10)).toEqual(['3', 'Malaria cases, confirmed', '—', 'DE_MAL', 'Malaria cases, confirmed', '—', '—', 'aggregate', 'INTEGER', 'SUM']);
    await expect(page.getByTestId('csv-preview-header').textContent()).resolves.toContain('Name, UID, Code');
    expect(await page.getByTestId('membership-warning').count()).toBe(0);
    await h.screenshot('csv-metadata-preview');

    await expect(page.getByTestId('start').textContent()).resolves.toBe('Start dry run');
    await page.getByTestId('start').click();
    await page.getByTestId('summary-card').waitFor();
    await page.getByTestId('dry-run-tag').first().waitFor();
    const dry = await rowCounts(page, '[data-test="type-counts"] tfoot tr');
    expect(dry).toMatchObject({ created: 3, updated: 0, ignored: 0 });
    expect((await h.invoke('db:info', {})).metadata.dataElements ?? 0).toBe(0);

    await page.getByTestId('import-now').click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor();
    expect(await rowCounts(page, '[data-test="type-counts"] tfoot tr')).toMatchObject({ created: 3, updated: 0 });
    expect((await h.invoke('db:info', {})).metadata.dataElements).toBe(3);
    const stored = await h.invoke('metadata:list', { type: 'dataElements' });
    expect(stored.map((o) => o.name).sort()).toEqual(['ANC 1st visit', 'Malaria cases, confirmed', 'Weight']);
    await h.screenshot('csv-metadata-import-done');
    expect(h.problems).toEqual([]);
  });

  it('a membership file shows the replace warning before import, and the summary repeats it', async () => {
    const { page } = h;
    await h.invoke('import:start', { files: [writeGroups(h)], kind: 'metadata', options: {} }).then((r) => h.invoke('jobs:wait', { id: r.jobId }));
    const file = path.join(h.dir, 'members.csv');
    fs.writeFileSync(file, 'group,member\ngroupAAAAAA,fbfJHSPpUQD\ngroupAAAAAA,wghtAAAAAAA\n');
    await page.getByTestId('new-import').click();
    await h.queueOpen([file]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('members.csv', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.locator('select[name="classKey"]').selectOption('DATA_ELEMENT_GROUP_MEMBERSHIP');
    await expect(page.getByTestId('membership-warning').textContent()).resolves.toMatch(/replace the member list/);
    await page.getByTestId('csv-preview').locator('tbody tr').nth(1).waitFor();
    await page.getByTestId('start').click();
    await page.getByTestId('summary-card').waitFor();
    expect(await rowCounts(page, '[data-test="type-counts"] tfoot tr')).toMatchObject({ updated: 1 });
    await expect(page.getByTestId('report-warnings').textContent()).resolves.toMatch(/replace the member list/);
    expect(h.problems).toEqual([]);
  });

  it('exports a class key from its own screen', async () => {
    const { page } = h;
    const out = path.join(h.dir, 'exported.csv');
    await page.getByTestId('menu-export-csv-metadata').click();
    await page.locator('select[name="classKey"]').selectOption('DATA_ELEMENT');
    await expect(page.getByTestId('csv-export-count').textContent()).resolves.toMatch(/^3 data elements in this database/);
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('summary-card').waitFor();
    const text = fs.readFileSync(out, 'utf8');
    expect(text.split('\n')[0]).toBe('name,uid,code,shortName,description,formName,domainType,valueType,aggregationType,categoryCombo,url,zeroIsSignificant,optionSet,commentOptionSet');
    expect(text).toContain('"Malaria cases, confirmed",');
    expect(text.trim().split('\n')).toHaveLength(4);
    expect(h.problems).toEqual([]);
  });
});

function writeGroups(h: Harness): string {
  const p = path.join(h.dir, 'groups.json');
  fs.writeFileSync(p, JSON.stringify({ dataElementGroups: [{ id: 'groupAAAAAA', name: 'ANC group', shortName: 'ANC group', dataElements: [{ id: 'fbfJHSPpUQD' }] }] }));
  return p;
}
