/**
 * The three export wizards against the real engine: data export of an org unit subtree and one data set holds exactly
 * the expected values; metadata export and dependency export write what the database holds.
 */
import fs from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, type Harness } from './harness.ts';

describe.skipIf(!HAS_CHROMIUM)('export wizards (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('exports');
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    await importDirect(h, path.join(FIXTURES, 'data-bo.json'), 'data');
    await importDirect(h, path.join(FIXTURES, 'data-kenema.csv'), 'data');
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('data export: org unit subtree + data set + period → exactly the expected values', async () => {
    const { page } = h;
    await page.getByTestId('menu-export-data').click();
    const tree = page.getByTestId('org-unit-tree');
    await tree.getByRole('button', { name: 'Expand Sierra Test' }).click();
    await tree.locator('input[data-uid="OuBo0000001"]').check();
    // default for a selection: all descendants
    await expect(page.locator('[data-test="ou-selection"] select[data-uid="OuBo0000001"]').inputValue()).resolves.toBe('DESCENDANTS');
    await page.getByTestId('picker-dataSets').locator('input[data-uid="DsAnc000001"]').check();
    await page.getByLabel('Start date').fill('2024-01-01');
    await page.getByLabel('End date').fill('2024-02-29');
    await page.getByLabel('Uncompressed').check();
    await page.getByText('suggested name: ferry-data-Bo-2024-01-01-2024-02-29.json').waitFor();
    await h.screenshot('data-export-options');

    const out = path.join(h.dir, 'bo-anc.json');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    await expect(page.getByTestId('export-file').textContent()).resolves.toBe(out);
    await h.screenshot('data-export-done');

    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { dataValues: Record<string, string>[] };
    const got = doc.dataValues.map((v) => `${v.dataElement}/${v.period}/${v.orgUnit}=${v.value}`).sort();
    expect(got).toEqual(
      [
        'DeAnc100001/202401/OuBoHosp001=12',
        'DeAnc400001/202401/OuBoHosp001=7',
        'DeAnc100001/202402/OuBoHosp001=15',
        'DeAnc100001/202401/OuBoClin001=4',
      ].sort(),
    );
    await expect(page.getByTestId('export-bytes').getAttribute('data-bytes')).resolves.toBe(String(fs.statSync(out).size));
    expect(h.problems).toEqual([]);
  });

  it('data export as zipped CSV (the default compression), with children only', async () => {
    const { page } = h;
    await page.getByTestId('new-export').click();
    const tree = page.getByTestId('org-unit-tree');
    await tree.getByRole('button', { name: 'Expand Sierra Test' }).click();
    await tree.locator('input[data-uid="OuRoot00001"]').check();
    // Sierra Test with its children (Bo, Kenema) only: no facility values
    await page.locator('[data-test="ou-selection"] select[data-uid="OuRoot00001"]').selectOption('CHILDREN');
    await tree.locator('input[data-uid="OuKenema001"]').check();
    await page.locator('[data-test="ou-selection"] select[data-uid="OuKenema001"]').selectOption('DESCENDANTS');
    const ds = page.getByTestId('picker-dataSets');
    await ds.locator('input[data-uid="DsAnc000001"]').check();
    await ds.locator('input[data-uid="DsMal000001"]').check();
    await page.getByLabel('Start date').fill('2024-01-01');
    await page.getByLabel('End date').fill('2024-12-31');
    await page.getByLabel('CSV').check();
    await page.getByText('suggested name: ferry-data-Sierra-Test-and-1-more-2024-01-01-2024-12-31.csv.zip').waitFor();
    const out = path.join(h.dir, 'kenema.csv.zip');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    const files = unzipSync(fs.readFileSync(out));
    const entries = Object.values(files);
    expect(entries).toHaveLength(1);
    const lines = strFromU8(entries[0]!).trim().split(/\r?\n/);
    expect(lines[0]!.split(',').slice(0, 6)).toEqual(['dataelement', 'period', 'orgunit', 'categoryoptioncombo', 'attributeoptioncombo', 'value']);
    const got = lines
      .slice(1)
      .map((l) => l.split(','))
      .map((c) => `${c[0]}/${c[1]}/${c[2]}=${c[5]}`)
      .sort();
    expect(got).toEqual(['DeAnc100001/202401/OuKenHC0001=9', 'DeAnc400001/202402/OuKenHC0001=3', 'DeMal000001/202402/OuKenHC0001=41'].sort());
  });

  it('metadata export: every type by default, file counts equal the database', async () => {
    const { page } = h;
    await page.getByTestId('menu-export-metadata').click();
    await page.locator('input[data-type="organisationUnits"]').waitFor();
    await page.getByLabel('Uncompressed').check();
    await h.screenshot('metadata-export-options');
    const out = path.join(h.dir, 'metadata.json');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    await h.screenshot('metadata-export-done');
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
    const info = await h.invoke('db:info', {});
    for (const [type, n] of Object.entries(info.metadata)) expect((doc[type] as unknown[] | undefined)?.length, type).toBe(n);
  });

  it('dependency export: a data set with its data elements', async () => {
    const { page } = h;
    await page.getByTestId('menu-export-dependencies').click();
    const picker = page.getByTestId('picker-dataSets');
    await picker.getByPlaceholder('Search data sets…').fill('malaria');
    // the search narrows the list
    await picker.locator('input[data-uid="DsAnc000001"]').waitFor({ state: 'detached' });
    await picker.locator('input[data-uid="DsMal000001"]').check();
    await page.getByLabel('Uncompressed').check();
    await h.screenshot('dependency-export-options');
    const out = path.join(h.dir, 'malaria.json');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    await h.screenshot('dependency-export-done');
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, { id: string }[]>;
    expect(doc.dataSets!.map((d) => d.id)).toEqual(['DsMal000001']);
    expect(doc.dataElements!.map((d) => d.id)).toEqual(['DeMal000001']);
  });
});
