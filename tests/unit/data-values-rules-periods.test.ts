/**
 * The data set period rules of DHIS2 2.42's data value import (DataValueSetImportValidator, in its order):
 * E7638 (checkDataValuePeriodWithinAttrOptionComboRange: CategoryOptionCombo.getDateRange with
 * CategoryOption.getAdjustedEndDate for openPeriodsAfterCoEndDate), E7640 (checkDataValueDataSetIsNotLocked:
 * DataSet.isLocked, expiry days), E7641 (open future periods), E7643 (checkDataValuePeriodIsOpenNow: data input periods),
 * E7644 (checkDataValueConformsToOpenPeriodsOfAssociatedDataSets), and ImportOptions.force skipping E7640–E7644.
 * Periods are chosen relative to today (the import measures against the job's start).
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ferryCli } from '../helpers/cli.ts';
import type { Ferry } from '../../src-main/services/context.ts';
import { SMALL_METADATA, freshFerry, loadMetadata, runImport, storedValues, writeFile } from './importers/data-values/helpers.ts';

let ferry: Ferry;
let dir: string;
beforeEach(() => {
  ({ ferry, dir } = freshFerry('inline'));
  loadMetadata(ferry.db, SMALL_METADATA);
});
afterEach(async () => {
  await ferry.close();
});

const now = new Date();
/** the monthly period `offset` months from this one */
function month(offset: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
/** today moved `days`, as DHIS2 writes dates */
function day(days: number): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days)).toISOString().slice(0, 10) + 'T00:00:00.000';
}

const DS = SMALL_METADATA.dataSets[0]!;
const dataSet = (extra: Record<string, unknown>) => loadMetadata(ferry.db, { dataSets: [{ ...DS, ...extra }] });

async function importJson(rows: Record<string, unknown>[], options: Record<string, unknown> = {}, root: Record<string, unknown> = {}) {
  const f = writeFile(dir, `v${Math.random().toString(36).slice(2)}.json`, JSON.stringify({ ...root, dataValues: rows }));
  const r = await runImport(ferry, [f], options);
  expect(r.error).toBeNull();
  return r.summary!;
}
const v = (pe: string, ou = 'OuClinicA01', extra: Record<string, unknown> = {}) => ({ dataElement: 'DeInteger01', period: pe, orgUnit: ou, value: '3', ...extra });
const conflicts = (s: { conflicts: { errorCode?: string; value: string; indexes?: number[]; objects?: Record<string, string> }[] }) =>
  s.conflicts.map((c) => [c.errorCode, c.value, c.indexes]);

describe('E7640 expiry days (DataSet.isLocked; no lock exceptions are stored, so expiry alone decides)', () => {
  it('refuses a period whose expiry days are past, for the target data sets only; force imports it', async () => {
    dataSet({ expiryDays: 10 });
    const s = await importJson([v(month(-3)), v(month(0)), v(month(-3), 'OuClinicB01')]);
    expect(s.importCount).toEqual({ imported: 2, updated: 0, ignored: 1, deleted: 0 });
    expect(s.rejectedIndexes).toEqual([0]);
    // (DHIS2's message has two spaces before "and")
    expect(conflicts(s)).toEqual([['E7640', `Current date is past expiry days for period: \`${month(-3)}\`  and data set: \`DsMonthly01\``, [0]]]);
    expect(s.conflicts[0]!.objects).toEqual({ period: month(-3), dataSet: 'DsMonthly01' });
    expect(s.conflicts[0]!.property).toBe('period');
    // OuClinicB01 is not assigned to the data set: no target data set, nothing to lock
    expect(storedValues(ferry.db).map((x) => [x.period, x.orgUnit])).toEqual([[month(-3), 'OuClinicB01'], [month(0), 'OuClinicA01']].sort());

    const forced = await importJson([v(month(-3))], { force: true });
    expect(forced.importCount.imported).toBe(1);
    expect(forced.conflicts).toEqual([]);
  });

  it('is strict: one conflict per expired target data set, the value counted once', async () => {
    dataSet({ expiryDays: 10 });
    loadMetadata(ferry.db, { dataSets: [{ ...DS, id: 'DsSecond001', name: 'Second', code: 'DS_2', expiryDays: 5 }] });
    const s = await importJson([v(month(-4))]);
    expect(s.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 });
    expect(s.conflicts.map((c) => [c.errorCode, c.objects])).toEqual([
      ['E7640', { period: month(-4), dataSet: 'DsMonthly01' }],
      ['E7640', { period: month(-4), dataSet: 'DsSecond001' }],
    ]);
  });

  it('a data set named in the file is the only target', async () => {
    dataSet({ expiryDays: 10 });
    loadMetadata(ferry.db, { dataSets: [{ ...DS, id: 'DsNoExpiry1', name: 'Open', code: 'DS_OPEN', expiryDays: 0 }] });
    const s = await importJson([v(month(-3))], {}, { dataSet: 'DsNoExpiry1' });
    expect(s.importCount.imported).toBe(1);
    const t = await importJson([v(month(-5))], {}, { dataSet: 'DsMonthly01' });
    expect(t.conflicts.map((c) => c.errorCode)).toEqual(['E7640']);
  });
});

describe('E7641 open future periods', () => {
  it('refuses a period after the latest open future period unless forced', async () => {
    const s = await importJson([v(month(2)), v(month(0))]);
    expect(conflicts(s)).toEqual([[
      'E7641',
      `Period: \`${month(2)}\` is after latest open future period: \`${month(0)}\` for data element: \`DeInteger01\` and data set: \`DsMonthly01\``,
      [0],
    ]]);
    dataSet({ openFuturePeriods: 2 });
    expect((await importJson([v(month(2))])).importCount.imported).toBe(1);
    expect((await importJson([v(month(3))], { force: true })).importCount.imported).toBe(1);
  });
});

describe('E7643 / E7644 data input periods', () => {
  beforeEach(() => {
    dataSet({
      dataInputPeriods: [
        { period: { id: month(0) }, openingDate: day(-5), closingDate: day(5) },
        { period: { id: month(-1) }, openingDate: '2000-01-01T00:00:00.000', closingDate: '2000-12-31T00:00:00.000' },
        { period: { id: month(-6) }, openingDate: day(-1) },
      ],
    });
  });

  it('accepts a period whose input period is open today; refuses closed and missing ones (E7643)', async () => {
    const s = await importJson([v(month(0)), v(month(-1)), v(month(-2)), v(month(-6))]);
    expect(s.importCount).toEqual({ imported: 2, updated: 0, ignored: 2, deleted: 0 });
    expect(conflicts(s)).toEqual([
      ['E7643', `Period: \`${month(-1)}\` is not open for this data set at this time: \`DsMonthly01\``, [1]],
      ['E7643', `Period: \`${month(-2)}\` is not open for this data set at this time: \`DsMonthly01\``, [2]],
    ]);
  });

  it('E7644 when no target data set applies but every data set of the data element refuses the period; force skips both', async () => {
    const s = await importJson([v(month(-2), 'OuClinicB01'), v(month(0), 'OuClinicB01')]);
    expect(conflicts(s)).toEqual([['E7644', `Period: \`${month(-2)}\` does not conform to the open periods of associated data sets`, [0]]]);
    expect(s.conflicts[0]!.objects).toEqual({ period: month(-2) });
    expect(s.importCount).toEqual({ imported: 1, updated: 0, ignored: 1, deleted: 0 });
    // a second data set of the data element without input periods accepts any period: no E7644
    loadMetadata(ferry.db, { dataSets: [{ ...DS, id: 'DsSecond001', name: 'Second', code: 'DS_2', organisationUnits: [] }] });
    expect((await importJson([v(month(-3), 'OuClinicB01')])).importCount.imported).toBe(1);
    const forced = await importJson([v(month(-2)), v(month(-4), 'OuClinicB01')], { force: true });
    expect([forced.importCount.imported, forced.conflicts]).toEqual([2, []]);
  });

  it('expiry (E7640) is checked before input periods (E7643): one conflict', async () => {
    dataSet({ expiryDays: 3, dataInputPeriods: [{ period: { id: month(0) } }] });
    const s = await importJson([v(month(-3))]);
    expect(s.conflicts.map((c) => c.errorCode)).toEqual(['E7640']);
  });
});

describe('E7638 attribute option combo date range (overlap, openPeriodsAfterCoEndDate)', () => {
  beforeEach(() => {
    loadMetadata(ferry.db, {
      categoryOptions: [{ id: 'CoFundA0001', name: 'Fund A', shortName: 'Fund A', startDate: '2024-01-15T00:00:00.000', endDate: '2024-03-10T00:00:00.000' }],
      categories: [{ id: 'CatFund0001', name: 'Funding', dataDimensionType: 'ATTRIBUTE', categoryOptions: [{ id: 'CoFundA0001' }] }],
      categoryCombos: [{ id: 'CcFund00001', name: 'Funding', dataDimensionType: 'ATTRIBUTE', categories: [{ id: 'CatFund0001' }], categoryOptionCombos: [{ id: 'CocFundA001' }] }],
      categoryOptionCombos: [{ id: 'CocFundA001', name: 'Fund A', categoryCombo: { id: 'CcFund00001' }, categoryOptions: [{ id: 'CoFundA0001' }] }],
      dataSets: [{ ...DS, id: 'DsFund00001', name: 'Funded', code: 'DS_F', categoryCombo: { id: 'CcFund00001' } }],
    });
  });
  const a = (pe: string) => v(pe, 'OuClinicA01', { attributeOptionCombo: 'CocFundA001' });

  it('accepts periods that overlap the options\' dates (not only those inside them) and refuses the others', async () => {
    const s = await importJson([a('202312'), a('202401'), a('202403'), a('202404')]);
    expect(s.importCount).toEqual({ imported: 2, updated: 0, ignored: 2, deleted: 0 });
    expect(conflicts(s)).toEqual([
      ['E7638', 'Period: `202312` is not within date range of attribute option combo: `CocFundA001`', [0]],
      ['E7638', 'Period: `202404` is not within date range of attribute option combo: `CocFundA001`', [3]],
    ]);
  });

  it('keeps the option open openPeriodsAfterCoEndDate periods of the data set after its end date', async () => {
    loadMetadata(ferry.db, { dataSets: [{ ...DS, id: 'DsFund00001', name: 'Funded', code: 'DS_F', categoryCombo: { id: 'CcFund00001' }, openPeriodsAfterCoEndDate: 2 }] });
    const s = await importJson([a('202405'), a('202406')]);
    expect(s.importCount.imported).toBe(1);
    expect(conflicts(s)).toEqual([['E7638', 'Period: `202406` is not within date range of attribute option combo: `CocFundA001`', [1]]]);
    // with the data set named in the file its own openPeriodsAfterCoEndDate counts: the default-combo data set has none
    loadMetadata(ferry.db, { dataSets: [{ ...DS, openPeriodsAfterCoEndDate: 0 }] });
    const t = await importJson([a('202405')], {}, { dataSet: 'DsMonthly01' });
    expect(t.conflicts.map((c) => c.errorCode)).toEqual(['E7638']);
  });
});

describe('ferry import --force', () => {
  it('refuses an expired period without --force and imports it with it', async () => {
    dataSet({ expiryDays: 1 });
    const db = path.join(dir, 'ferry.sqlite');
    const f = writeFile(dir, 'old.json', JSON.stringify({ dataValues: [v(month(-3))] }));
    const plain = await ferryCli(['--db', db, 'import', f, '--json']);
    const s = plain.json<{ importCount: { imported: number; ignored: number }; conflicts: { errorCode: string }[] }>();
    expect([s.importCount.imported, s.importCount.ignored, s.conflicts.map((c) => c.errorCode)]).toEqual([0, 1, ['E7640']]);
    const forced = await ferryCli(['--db', db, 'import', f, '--force', '--json']);
    expect(forced.code).toBe(0);
    const t = forced.json<{ importCount: { imported: number }; importOptions: { force: boolean } }>();
    expect([t.importCount.imported, t.importOptions.force]).toEqual([1, true]);
  });
});
