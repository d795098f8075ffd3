/**
 * ATTRIBUTE id schemes from the screens against the real engine: metadata with a unique org unit attribute and its
 * values; the data export screen offers "Attribute: <name>" for the org unit id scheme and the file then names org
 * units by the attribute's values; the data import screen's same choice reads a file that names them so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, storedValues, type Harness } from './harness.ts';

const ATTR = 'AttrFacReg1';
const REGISTER: Record<string, string> = { OuBoHosp001: 'FR-0101', OuBoClin001: 'FR-0102', OuKenHC0001: 'FR-0201' };
const COC = 'HllvX50cXC0';

describe.skipIf(!HAS_CHROMIUM)('ATTRIBUTE id schemes (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('id-schemes');
    const meta = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'metadata-small.json'), 'utf8')) as { organisationUnits: { id: string; attributeValues?: unknown[] }[] } & Record<string, unknown>;
    meta.attributes = [
      { id: ATTR, name: 'Facility register number', code: 'FAC_REG', valueType: 'TEXT', unique: true, organisationUnitAttribute: true },
      // not unique: never offered as an id scheme
      { id: 'AttrOldName', name: 'Old name', valueType: 'TEXT', unique: false, organisationUnitAttribute: true },
    ];
    for (const ou of meta.organisationUnits) {
      if (REGISTER[ou.id]) ou.attributeValues = [{ attribute: { id: ATTR }, value: REGISTER[ou.id] }, { attribute: { id: 'AttrOldName' }, value: `old ${ou.id}` }];
    }
    const file = path.join(h.dir, 'metadata-attr.json');
    fs.writeFileSync(file, JSON.stringify(meta));
    await importDirect(h, file, 'metadata');
    await importDirect(h, path.join(FIXTURES, 'data-bo.json'), 'data');
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('data export with the org unit id scheme = the unique attribute: the file names org units by its values', async () => {
    const { page } = h;
    await page.getByTestId('menu-export-data').click();
    const tree = page.getByTestId('org-unit-tree');
    await tree.getByRole('button', { name: 'Expand Sierra Test' }).click();
    await tree.locator('input[data-uid="OuBo0000001"]').check();
    await page.getByTestId('picker-dataSets').locator('input[data-uid="DsAnc000001"]').check();
    await page.getByLabel('Start date').fill('2024-01-01');
    await page.getByLabel('End date').fill('2024-02-29');
    await page.getByLabel('Uncompressed').check();
    await page.getByText('Advanced options').click();
    const ouScheme = page.getByLabel('Org unit ID scheme');
    await expect(ouScheme.locator('option').allTextContents()).resolves.toEqual(['UID', 'Code', 'Name', 'Attribute: Facility register number']);
    await ouScheme.selectOption({ label: 'Attribute: Facility register number' });
    await h.screenshot('id-scheme-attribute-export');
    const out = path.join(h.dir, 'bo-by-register.json');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { dataValues: Record<string, string>[] };
    expect(doc.dataValues.map((v) => `${v.dataElement}/${v.period}/${v.orgUnit}=${v.value}`).sort()).toEqual(
      ['DeAnc100001/202401/FR-0101=12', 'DeAnc400001/202401/FR-0101=7', 'DeAnc100001/202402/FR-0101=15', 'DeAnc100001/202401/FR-0102=4'].sort(),
    );
    expect(h.problems).toEqual([]);
  });

  it('data import with the org unit id scheme = the unique attribute: values naming org units by it are stored', async () => {
    const { page } = h;
    const file = path.join(h.dir, 'by-register.json');
    fs.writeFileSync(file, JSON.stringify({ dataValues: [
      { dataElement: 'DeAnc100001', period: '202403', orgUnit: 'FR-0101', value: '21' },
      { dataElement: 'DeAnc100001', period: '202403', orgUnit: 'FR-0201', value: '9' },
    ] }));
    await page.getByTestId('menu-import-data').click();
    await h.queueOpen([file]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('by-register.json', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.getByText('Advanced options').click();
    const ouScheme = page.getByLabel('Org unit ID scheme');
    await expect(ouScheme.locator('option').allTextContents()).resolves.toEqual(['Same as ID scheme', 'UID', 'Code', 'Name', 'Attribute: Facility register number']);
    await ouScheme.selectOption({ label: 'Attribute: Facility register number' });
    await page.getByTestId('start').click();
    await page.getByTestId('summary-card').waitFor();
    await page.getByTestId('import-now').click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor();
    const job = (await h.invoke('jobs:list', {}))[0]!;
    expect(job.options.orgUnitIdScheme).toBe(`ATTRIBUTE:${ATTR}`);
    const stored = storedValues(h).filter((v) => v.includes('/202403/'));
    expect(stored).toEqual([`DeAnc100001/202403/OuBoHosp001/${COC}=21`, `DeAnc100001/202403/OuKenHC0001/${COC}=9`].sort());
    expect(h.problems).toEqual([]);
  });
});
