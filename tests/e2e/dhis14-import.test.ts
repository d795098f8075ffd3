/**
 * DHIS 1.4 import wizard against the real engine (Chromium): an .mdb made by ../shared/tools/dhis14 (the committed
 * fixture) → Analyse (the integrity report; nothing written) → Preview (per-type counts; nothing written) → Import (the
 * values stored) → then an incremental import of a later 1.4 XML export with Last updated (only the later values:
 * two updated, one added; no object duplicated). A screenshot of the preview is saved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, ROOT, rowCounts, startHarness, type Harness } from './harness.ts';

const FIX = path.join(ROOT, 'tests/fixtures/dhis14');

/** The fixture's XML export, as 1.4 would write it later: two values edited and one added after 2009-01-01. */
function laterExport(dir: string): string {
  const files = unzipSync(fs.readFileSync(path.join(FIX, 'small.zip')));
  const lines = strFromU8(files['RoutineData.txt']!, true).split('\r\n');
  const cols = lines[0]!.split(',');
  const lu = cols.indexOf('"LastUpdated"');
  const num = cols.indexOf('"EntryNumber"');
  for (const [k, v] of [
    [1, '777'],
    [2, '778'],
  ] as const) {
    const f = lines[k]!.split(',');
    f[num] = `"${v}."`;
    f[lu] = '2009/02/01 10:00:00';
    lines[k] = f.join(',');
  }
  const added = lines[3]!.split(',');
  added[0] = '99999';
  added[cols.indexOf('"DataPeriodID"')] = '600';
  added[num] = '"4321."';
  added[lu] = '2009/03/01 08:00:00';
  lines.splice(lines.length - 1, 0, added.join(','));
  const out = path.join(dir, 'district-2009.zip');
  fs.writeFileSync(out, zipSync({ 'MetaData.xml': files['MetaData.xml']!, 'RoutineData.txt': Buffer.from(lines.join('\r\n'), 'latin1') }));
  return out;
}

describe.skipIf(!HAS_CHROMIUM)('DHIS 1.4 import wizard (Chromium, real engine)', () => {
  let h: Harness;
  let mdb: string;
  let later: string;
  beforeAll(async () => {
    h = await startHarness('dhis14');
    mdb = path.join(h.dir, 'DHIS_district.mdb');
    fs.copyFileSync(path.join(FIX, 'small.mdb'), mdb);
    later = laterExport(h.dir);
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  const count = (sql: string): number => h.ferry.db.prepare(sql).pluck().get() as number;

  it('Analyse, Preview, Import, then an incremental import', async () => {
    const { page } = h;
    const objectsBefore = count(`SELECT count(*) FROM metadata_object`);
    await page.getByTestId('menu-import-dhis14').click();
    await h.queueOpen([mdb]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('DHIS_district.mdb', { exact: true }).waitFor();
    await page.getByTestId('next').click();

    // ---- Analyse ----
    await page.getByTestId('dhis14-analyse').click();
    await page.locator('[data-test="dhis14-report"][data-mode="analyse"]').waitFor();
    expect(await rowCounts(page, '[data-test="dhis14-issue-deletedRows"]')).toEqual({ count: 2 });
    await expect(page.getByTestId('dhis14-issue-calculatedDataElement').textContent()).resolves.toContain('21 Calculated total 1+2');
    await expect(page.getByTestId('dhis14-values-read').textContent()).resolves.toMatch(/^2.?060$/);
    expect(count(`SELECT count(*) FROM data_value`)).toBe(0);
    expect(count(`SELECT count(*) FROM metadata_object`)).toBe(objectsBefore);

    // ---- Preview ----
    await page.getByTestId('dhis14-preview').click();
    await page.locator('[data-test="dhis14-report"][data-mode="preview"]').waitFor();
    expect(await rowCounts(page, '[data-test="dhis14-type-dataElements"]')).toEqual({ created: 20, updated: 0, unchanged: 0, ignored: 0 });
    expect(await rowCounts(page, '[data-test="dhis14-type-organisationUnits"]')).toEqual({ created: 93, updated: 0, unchanged: 0, ignored: 0 });
    await expect(page.getByTestId('dhis14-values-imported').textContent()).resolves.toMatch(/^2.?058$/);
    console.log('screenshot:', await h.screenshot('dhis14-preview'));
    expect(count(`SELECT count(*) FROM data_value`)).toBe(0);
    expect(count(`SELECT count(*) FROM metadata_object`)).toBe(objectsBefore);

    // ---- Import ----
    await page.getByTestId('dhis14-import').click();
    await page.locator('[data-test="dhis14-report"][data-mode="import"]').waitFor();
    expect(await rowCounts(page, '[data-test="dhis14-type-dataElements"]')).toEqual({ created: 20, updated: 0, unchanged: 0, ignored: 0 });
    expect(count(`SELECT count(*) FROM data_value`)).toBe(2058);
    const objectsAfter = count(`SELECT count(*) FROM metadata_object`);
    expect(objectsAfter - objectsBefore).toBe(132);

    // ---- incremental: a later XML export, only the values last updated after 2009-01-01 ----
    await page.getByTestId('new-import').click();
    await h.queueOpen([later]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('district-2009.zip', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    await page.getByLabel('Last updated').fill('2009-01-01');
    await page.getByTestId('dhis14-import').click();
    await page.locator('[data-test="dhis14-report"][data-mode="import"]').waitFor();
    await expect(page.getByTestId('dhis14-values-read').textContent()).resolves.toBe('3');
    await expect(page.getByTestId('dhis14-values-imported').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('dhis14-values-updated').textContent()).resolves.toBe('2');
    expect(await rowCounts(page, '[data-test="dhis14-type-dataElements"]')).toEqual({ created: 0, updated: 0, unchanged: 20, ignored: 0 });
    expect(count(`SELECT count(*) FROM data_value`)).toBe(2059);
    expect(count(`SELECT count(*) FROM metadata_object`)).toBe(objectsAfter);
    expect(h.ferry.db.prepare(`SELECT value FROM data_value WHERE value IN ('777', '778', '4321') ORDER BY value`).pluck().all()).toEqual(['4321', '777', '778']);
    expect(h.problems).toEqual([]);
  });
});
