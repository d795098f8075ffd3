/**
 * PDF data entry forms in the browser against the real engine: make a form through its screen (data set by name, org
 * unit from the tree, period) and check the saved file's fields; fill it (pdf-lib, as a PDF reader would) and import
 * it through the data import wizard: dry run, then import, the values in the database; a value that is not a number
 * listed as a conflict naming the form field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from '@cantoo/pdf-lib';
import { FIXTURES, HAS_CHROMIUM, importDirect, rowCounts, startHarness, storedValues, type Harness } from './harness.ts';

describe.skipIf(!HAS_CHROMIUM)('PDF data entry form (Chromium, real engine)', () => {
  let h: Harness;
  let form: string;
  beforeAll(async () => {
    h = await startHarness('pdf-form');
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    await h.page.reload();
    form = path.join(h.dir, 'anc-bo-hospital.pdf');
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('makes a form through the screen: data set by name, org unit pre-filled and locked, period pre-selected', async () => {
    const { page } = h;
    await page.getByTestId('menu-export-pdf-form').click();
    await page.getByTestId('wizard-export-pdf-form').waitFor();
    // without a data set it does not start
    await page.getByTestId('start').click();
    await page.getByText('Choose the data set the form is for.').waitFor();
    await page.getByTestId('picker-dataSets').getByLabel('Antenatal care monthly').check();
    const tree = page.getByTestId('org-unit-tree');
    await tree.getByRole('button', { name: 'Expand Sierra Test' }).click();
    await tree.getByRole('button', { name: 'Expand Bo' }).click();
    await tree.locator('input[data-uid="OuBoHosp001"]').check();
    await page.getByTestId('pdf-form-org-unit').getByText('Bo Hospital').waitFor();
    await page.getByTestId('pdf-form-period').fill('202611');
    await h.screenshot('pdf-form-options');
    await h.queueSave(form);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    await expect(page.getByTestId('summary-headline').textContent()).resolves.toMatch(/^Export saved: a form of 2 fields on 1 page in [\d.]+ KB\.$/);
    await h.screenshot('pdf-form-done');

    const doc = await PDFDocument.load(fs.readFileSync(form));
    const f = doc.getForm();
    expect(f.getFields().map((x) => x.getName())).toEqual(['TXFD_OrgID', 'TXFD_PeriodID', 'TXFDDV_DeAnc100001_HllvX50cXC0', 'TXFDDV_DeAnc400001_HllvX50cXC0']);
    expect(f.getTextField('TXFD_OrgID').getText()).toBe('OuBoHosp001');
    expect(f.getTextField('TXFD_OrgID').isReadOnly()).toBe(true);
    const job = (await h.invoke('jobs:list', {}))[0]!;
    expect([job.kind, job.direction, job.options]).toEqual(['pdf-form', 'export', { dataSet: 'DsAnc000001', orgUnit: 'OuBoHosp001', period: '202611' }]);
    expect(h.problems).toEqual([]);
  });

  it('imports the filled form through the data import wizard: dry run, then the values; a bad value names its field', async () => {
    const { page } = h;
    const doc = await PDFDocument.load(fs.readFileSync(form));
    doc.getForm().getTextField('TXFDDV_DeAnc100001_HllvX50cXC0').setText('17');
    doc.getForm().getTextField('TXFDDV_DeAnc400001_HllvX50cXC0').setText('4');
    const filled = path.join(h.dir, 'bo-hospital-202611.pdf');
    fs.writeFileSync(filled, await doc.save());

    await page.getByTestId('menu-import-data').click();
    await h.queueOpen([filled]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('bo-hospital-202611.pdf', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.getByTestId('start').click();
    await page.getByTestId('summary-card').waitFor();
    expect(await rowCounts(page, '[data-test="combined-counts"] tbody tr')).toMatchObject({ imported: 2, ignored: 0 });
    expect((await h.invoke('db:info', {})).dataValues).toBe(0);
    await page.getByTestId('import-now').click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor();
    expect(await rowCounts(page, '[data-test="combined-counts"] tbody tr')).toMatchObject({ imported: 2 });
    expect(storedValues(h)).toEqual(['DeAnc100001/202611/OuBoHosp001/HllvX50cXC0=17', 'DeAnc400001/202611/OuBoHosp001/HllvX50cXC0=4']);
    await h.screenshot('pdf-form-imported');

    // a second form whose value is not a number
    doc.getForm().getTextField('TXFDDV_DeAnc400001_HllvX50cXC0').setText('four');
    const bad = path.join(h.dir, 'bo-hospital-bad.pdf');
    fs.writeFileSync(bad, await doc.save());
    await page.getByTestId('new-import').click();
    await h.queueOpen([bad]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('bo-hospital-bad.pdf', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.getByTestId('start').click();
    const table = page.getByTestId('conflict-table');
    await table.waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('E7619');
    expect(text).toContain('field TXFDDV_DeAnc400001_HllvX50cXC0');
    await h.screenshot('pdf-form-conflict');
    expect(h.problems).toEqual([]);
  });
});
