/**
 * Issue 15 in Chromium (1366×768) against the real engine: five facility files at once with one broken (the partial
 * outcome in words, the broken file's reason in its row, "Import anyway" keeping the four good files), the counts in
 * words, and two files carrying the same values with different numbers (the import waits for the district's choice;
 * "keep the first file" keeps its values). Screenshots: ferry-multi-file-*.png in the temp folder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, storedValues, type Harness } from './harness.ts';

const COC = 'HllvX50cXC0';
const HEADER = 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value';

describe.skipIf(!HAS_CHROMIUM)('multi-file data jobs (Chromium, real engine)', () => {
  let h: Harness;
  const write = (name: string, text: string): string => {
    const p = path.join(h.dir, name);
    fs.writeFileSync(p, text);
    return p;
  };
  beforeAll(async () => {
    h = await startHarness('multi-file');
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    await h.page.setViewportSize({ width: 1366, height: 768 }); // a typical district laptop
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('five files, one broken: says what would be and was saved, and why the broken file was refused', async () => {
    const { page } = h;
    const files = [1, 2, 4, 5].map((m) => write(`facility-${m}.csv`, `${HEADER}\nDeAnc100001,20240${m},OuKenHC0001,${COC},${COC},${m * 10}\n`));
    files.splice(2, 0, write('facility-3.xml', '<?xml version="1.0"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n  <dataValue dataElement="DeAnc100001"'));
    await page.getByTestId('menu-import-data').click();
    await h.queueOpen(files);
    await page.getByTestId('choose-files').click();
    await expect(page.getByTestId('file-list').textContent()).resolves.toContain('5 files');
    await page.getByTestId('next').click();
    await page.getByText('When files carry the same values').waitFor();
    await page.getByTestId('start').click();
    await page.getByTestId('summary-card').waitFor();

    await expect(page.getByTestId('status-tag').first().textContent()).resolves.toBe('Some files would be refused');
    await expect(page.getByTestId('files-outcome').textContent()).resolves.toContain('1 of 5 files could not be imported; 4 would be imported.');
    const bad = page.locator('[data-test="file-summaries"] tr[data-file="facility-3.xml"]');
    await expect(bad.getByTestId('file-error').textContent()).resolves.toMatch(/^facility-3\.xml, line \d+: /);
    await expect(page.getByTestId('counts-words').textContent()).resolves.toBe('4 rows read: 4 would be imported (new), 0 would be updated, 0 would be deleted, 0 ignored.');
    expect((await h.invoke('db:info', {})).dataValues).toBe(0);
    await h.screenshot('multi-file-dry-run');

    // good files beside a refused one: Import anyway, in sight at 1366×768
    const anyway = page.getByTestId('import-now');
    await expect(anyway.textContent()).resolves.toBe('Import anyway');
    const box = (await anyway.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(768);
    await anyway.click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor();
    await expect(page.getByTestId('status-tag').first().textContent()).resolves.toBe('Partly imported');
    await expect(page.getByTestId('summary-headline').textContent()).resolves.toBe(
      'Import finished: 4 of 5 files were saved (4 imported, 0 updated, 0 deleted, 0 ignored); 1 file was refused and nothing of it was saved.',
    );
    expect(storedValues(h)).toEqual([1, 2, 4, 5].map((m) => `DeAnc100001/20240${m}/OuKenHC0001/${COC}=${m * 10}`));
    // the job record keeps DHIS2's status for the API
    const job = (await h.invoke('jobs:list', {}))[0]!;
    expect(job.resultStatus).toBe('ERROR');
    await h.screenshot('multi-file-partly-imported');
    expect(h.problems).toEqual([]);
  });

  it('two files with the same values: the dry run shows them, Import waits for the choice, "first" keeps the first file', async () => {
    const { page } = h;
    const a = write('kenema-jan.csv', `${HEADER}\nDeAnc100001,202406,OuKenHC0001,${COC},${COC},9\nDeAnc100001,202407,OuKenHC0001,${COC},${COC},3\n`);
    const b = write('kenema-jan-again.csv', `${HEADER}\nDeAnc100001,202406,OuKenHC0001,${COC},${COC},99\nDeAnc100001,202407,OuKenHC0001,${COC},${COC},3\n`);
    await page.getByTestId('new-import').click();
    await h.queueOpen([a, b]);
    await page.getByTestId('choose-files').click();
    await expect(page.getByTestId('file-list').textContent()).resolves.toContain('2 files');
    await page.getByTestId('next').click();
    expect(await page.getByLabel('Stop and show me the files (nothing is imported until I choose)').isChecked()).toBe(true);
    await page.getByTestId('start').click();
    await page.getByTestId('overlap-choice').waitFor();
    await expect(page.getByTestId('overlaps').textContent()).resolves.toContain('2 value keys are (data element, period, org unit and combos) in more than one file; 1 has different values.');
    expect(await page.getByTestId('import-now').count()).toBe(0);
    await expect(page.getByTestId('action-bar').textContent()).resolves.toContain('Choose above which file’s values to keep, then import.');
    await h.screenshot('multi-file-overlap-choice');

    await page.getByTestId('overlap-choice').getByLabel('Keep the values of the first file in the list').check();
    await page.getByTestId('import-now').click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor();
    await expect(page.getByTestId('overlaps').textContent()).resolves.toContain("The first file's values were kept (files imported in this order: kenema-jan-again.csv, kenema-jan.csv)");
    const stored = storedValues(h).filter((v) => /\/20240[67]\//.test(v));
    expect(stored).toEqual([`DeAnc100001/202406/OuKenHC0001/${COC}=9`, `DeAnc100001/202407/OuKenHC0001/${COC}=3`]);
    await h.screenshot('multi-file-overlap-first');
    expect(h.problems).toEqual([]);
  });
});
