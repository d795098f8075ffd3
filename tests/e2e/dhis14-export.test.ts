/**
 * "Export to DHIS 1.4" in the browser against the real engine: a data export of an org unit subtree, a data set and a period range
 * through the screen, read back with Ferry's 1.4 XML reader (the values, their org units, data elements and periods as
 * 1.4 numbers them); then the metadata export with the hierarchy; the detailed metadata export needs a pick.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDhis14Source } from '../../src-main/importers/dhis14/source.ts';
import type { D14DataRow, D14Tables } from '../../src-main/formats/shared/dhis14.ts';
import { oleDayToIso } from '../../src-main/formats/shared/dhis14.ts';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, type Harness } from './harness.ts';

async function readBack(file: string): Promise<{ tables: D14Tables; rows: D14DataRow[] }> {
  const src = await openDhis14Source(file, { requireData: true });
  try {
    const tables = await src.metadata();
    const rows: D14DataRow[] = [];
    for await (const chunk of src.data('RoutineData')) rows.push(...chunk);
    return { tables, rows };
  } finally {
    src.close();
  }
}

describe.skipIf(!HAS_CHROMIUM)('Export to DHIS 1.4 (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('dhis14-export');
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

  it('data: Bo and its descendants, the ANC data set, January–February 2024 → RoutineData that reads back to the same values', async () => {
    const { page } = h;
    await page.getByTestId('menu-export-dhis14').click();
    await page.getByTestId('wizard-export-dhis14').waitFor();
    await page.getByTestId('start').click();
    await page.getByText('Choose at least one organisation unit.').waitFor();
    const tree = page.getByTestId('org-unit-tree');
    await tree.getByRole('button', { name: 'Expand Sierra Test' }).click();
    await tree.locator('input[data-uid="OuBo0000001"]').check();
    await page.getByTestId('picker-dataSets').locator('input[data-uid="DsAnc000001"]').check();
    await page.getByLabel('Start date').fill('2024-01-01');
    await page.getByLabel('End date').fill('2024-02-29');
    await page.getByText('suggested name: ferry-dhis14-data-Bo-2024-01-01-2024-02-29-').waitFor();
    await h.screenshot('dhis14-export-options');
    const out = path.join(h.dir, 'bo-14.zip');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    await expect(page.getByTestId('export-file').textContent()).resolves.toBe(out);
    await h.screenshot('dhis14-export-done');

    const { tables, rows } = await readBack(out);
    const de = new Map((tables.get('DataElement') ?? []).map((r) => [Number(r.dataelementid), r.dataelementname]));
    const ou = new Map((tables.get('OrgUnit') ?? []).map((r) => [Number(r.orgunitid), r.orgunitname]));
    const pe = new Map((tables.get('DataPeriod') ?? []).map((r) => [Number(r.dataperiodid), oleDayToIso(r.validfrom!)]));
    const got = rows.map((r) => `${de.get(r.de!)}/${pe.get(r.pe!)}/${ou.get(r.ou!)}=${r.number}`).sort();
    expect(got).toEqual(
      ['ANC 1st visit/2024-01-01/Bo Hospital=12', 'ANC 4th visit/2024-01-01/Bo Hospital=7', 'ANC 1st visit/2024-02-01/Bo Hospital=15', 'ANC 1st visit/2024-01-01/Bo Clinic=4'].sort(),
    );
    const job = (await h.invoke('jobs:list', {}))[0]!;
    expect([job.kind, job.direction, job.status]).toEqual(['dhis14-data', 'export', 'done']);
    expect(h.problems).toEqual([]);
  });

  it('metadata: the org unit hierarchy and data sets; detailed metadata needs a pick, then holds the data element picked', async () => {
    const { page } = h;
    await page.getByTestId('new-export').click();
    await page.getByRole('radio', { name: 'Detailed metadata' }).check();
    await page.getByTestId('start').click();
    await page.getByText('Choose at least one data element or indicator.').waitFor();
    await page.getByRole('radio', { name: 'Metadata', exact: true }).check();
    const out = path.join(h.dir, 'meta-14.zip');
    await h.queueSave(out);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    const { tables, rows } = await readBack(out);
    expect(rows).toEqual([]);
    const ous = new Map((tables.get('OrgUnit') ?? []).map((r) => [Number(r.orgunitid), r.orgunitname]));
    const edges = (tables.get('OrgHierarchy') ?? []).map((r) => `${ous.get(Number(r.orgunitchildid))}<${ous.get(Number(r.orgunitparentid))}`).sort();
    expect(edges).toEqual(['Bo Clinic<Bo', 'Bo Hospital<Bo', 'Bo<Sierra Test', 'Kenema Health Centre<Kenema', 'Kenema<Sierra Test', 'Sierra Test<Sierra Test'].sort());
    expect((tables.get('DataSet') ?? []).map((r) => r.datasetname).sort()).toEqual(['Antenatal care monthly', 'Malaria monthly']);
    await h.screenshot('dhis14-metadata-done');

    // detailed metadata: the one data element picked
    await page.getByTestId('new-export').click();
    await page.getByRole('radio', { name: 'Detailed metadata' }).check();
    await page.getByTestId('picker-dataElements').locator('input[data-uid="DeMal000001"]').check();
    await page.getByText('suggested name: ferry-dhis14-detailed-metadata-Malaria-cases-').waitFor();
    const detailed = path.join(h.dir, 'detailed-14.zip');
    await h.queueSave(detailed);
    await page.getByTestId('start').click();
    await page.getByTestId('export-summary').waitFor();
    const back = await readBack(detailed);
    expect((back.tables.get('DataElement') ?? []).map((r) => r.dataelementname)).toEqual(['Malaria cases']);
    expect(back.tables.has('OrgUnit')).toBe(false);
    expect(h.problems).toEqual([]);
  });
});
