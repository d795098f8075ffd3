/**
 * Header handling of the data value import (src-main/importers/data-values/header.ts): id schemes from the file
 * header and the options, the data set / org unit / attribute option combo / period a header imposes on its rows, the
 * payload's dryRun and strategy, the data-set level checks in DHIS2's order, and completion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { MetadataLookups } from '../../../../src-main/importers/data-values/lookups.ts';
import { completeDateOf, completionOf, idSchemes, resolveHeader, type HeaderContext } from '../../../../src-main/importers/data-values/header.ts';
import { dataImportOptionsSchema, type DataImportOptions } from '../../../../src-shared/dhis2/options.ts';
import type { DataValueHeader } from '../../../../src-main/formats/data-value-row.ts';
import { SMALL_METADATA, loadMetadata } from './helpers.ts';

let db: Db;
let L: MetadataLookups;
const id = (type: string, uid: string): number => L.idMap(type, 'UID').get(uid)!;

beforeAll(() => {
  db = openDb(':memory:');
  loadMetadata(db, {
    ...SMALL_METADATA,
    dataSets: [
      ...SMALL_METADATA.dataSets,
      // a data set whose category combo (Sex) stands in for an attribute combo
      { id: 'DsSexAttr01', name: 'By sex', code: 'DS_SEX', periodType: 'Monthly', categoryCombo: { id: 'CcSex000001' }, dataSetElements: [{ dataElement: { id: 'DeInteger01' } }] },
    ],
  });
  L = new MetadataLookups(db);
});
afterAll(() => db.close());

const options = (o: Record<string, unknown> = {}): DataImportOptions => dataImportOptionsSchema.parse(o);
const ctx = (o: Record<string, unknown> = {}, defaultScheme: 'UID' | 'CODE' = 'UID'): HeaderContext => ({ options: options(o), defaultScheme, lookups: L });
const resolve = (h: DataValueHeader, o: Record<string, unknown> = {}, defaultScheme: 'UID' | 'CODE' = 'UID') => resolveHeader(h, ctx(o, defaultScheme));

describe('idSchemes', () => {
  it("defaults to the format's scheme (UID; CODE for ADX)", () => {
    expect(idSchemes({}, options(), 'UID')).toEqual({ dataElement: 'UID', orgUnit: 'UID', coc: 'UID', dataSet: 'UID', category: 'UID', categoryOption: 'UID' });
    expect(idSchemes({}, options(), 'CODE').dataElement).toBe('CODE');
  });

  it('takes the per-kind scheme of the header, then of the options, then the generic one (header idScheme, then option idScheme)', () => {
    const o = options({ idScheme: 'NAME', orgUnitIdScheme: 'CODE', dataSetIdScheme: 'CODE' });
    expect(idSchemes({ dataElementIdScheme: 'code', dataSetIdScheme: 'uid' }, o, 'UID')).toEqual({
      dataElement: 'CODE',
      orgUnit: 'CODE',
      coc: 'NAME',
      dataSet: 'UID',
      category: 'NAME',
      categoryOption: 'NAME',
    });
    expect(idSchemes({ idScheme: 'code' }, o, 'UID').coc).toBe('CODE');
  });

  it('treats an unknown scheme name in the header as not given', () => {
    expect(idSchemes({ idScheme: 'bogus', dataElementIdScheme: 'nonsense' }, options({ idScheme: 'CODE' }), 'UID').dataElement).toBe('CODE');
  });

  it('takes category and category option schemes from the options only', () => {
    const s = idSchemes({ idScheme: 'CODE' }, options({ categoryOptionIdScheme: 'NAME' }), 'UID');
    expect([s.category, s.categoryOption]).toEqual(['CODE', 'NAME']);
  });
});

describe('resolveHeader', () => {
  it('imposes nothing for an empty header (CSV), and builds the row maps under the schemes', () => {
    const r = resolve({});
    expect(r).toMatchObject({ strategy: null, dryRun: false, group: false, dataSet: null, orgUnit: null, attributeOptionCombo: null, period: null, abort: null });
    expect(r.deMap.get('DeInteger01')).toBe(id('dataElements', 'DeInteger01'));
    expect(resolve({ dataElementIdScheme: 'CODE' }).deMap.get('DE_INT')).toBe(id('dataElements', 'DeInteger01'));
  });

  it('resolves the data set, org unit, attribute option combo and period of the header', () => {
    const r = resolve({ dataSet: 'DS_M', dataSetIdScheme: 'CODE', orgUnit: 'OuClinicA01', attributeOptionCombo: 'HllvX50cXC0', period: ' 202401 ' });
    expect(r.abort).toBeNull();
    expect(r.dataSet?.uid).toBe('DsMonthly01');
    expect(r.orgUnit).toBe(id('organisationUnits', 'OuClinicA01'));
    expect(r.attributeOptionCombo).toBe(L.defaultCocId);
    expect(r.period?.iso).toBe('202401');
  });

  it('takes the data set from the options when the header has none', () => {
    expect(resolve({}, { dataSet: 'DsMonthly01' }).dataSet?.uid).toBe('DsMonthly01');
    expect(resolve({ dataSet: 'DsSexAttr01' }, { dataSet: 'DsMonthly01' }).dataSet?.uid).toBe('DsSexAttr01');
  });

  it('ignores an unparseable header period (rows keep their own)', () => {
    const r = resolve({ period: '2024-13' });
    expect(r.abort).toBeNull();
    expect(r.period).toBeNull();
  });

  it("reads the payload's strategy (aliases too; unknown ones are ignored), dryRun and ADX group", () => {
    expect(resolve({ strategy: 'NEW_AND_UPDATES' }).strategy).toBe('CREATE_AND_UPDATE');
    expect(resolve({ strategy: 'delete' }).strategy).toBe('DELETE');
    expect(resolve({ strategy: 'bogus' }).strategy).toBeNull();
    expect(resolve({ dryRun: true }).dryRun).toBe(true);
    expect(resolve({ dryRun: false }).dryRun).toBe(false);
    expect(resolve({ group: true }).group).toBe(true);
  });

  it('aborts with E7600, E7603, E7604 in that order, naming what was given', () => {
    expect(resolve({ dataSet: 'DsNope00001', orgUnit: 'OuNope00001' }).abort).toEqual({ code: 'E7600', objects: { dataSet: 'DsNope00001' }, arg: 'DsNope00001' });
    expect(resolve({ dataSet: 'DsMonthly01', orgUnit: 'OuNope00001', attributeOptionCombo: 'AocNope0001' }).abort).toEqual({
      code: 'E7603',
      objects: { organisationUnit: 'OuNope00001', dataSet: 'DsMonthly01' },
      arg: 'OuNope00001',
    });
    expect(resolve({ orgUnit: 'OuClinicA01', attributeOptionCombo: 'AocNope0001' }).abort).toEqual({
      code: 'E7604',
      objects: { categoryOptionCombo: 'AocNope0001' },
      arg: 'AocNope0001',
    });
  });

  it("resolves attribute category options through the data set's category combo", () => {
    const male = id('categoryOptionCombos', 'CocMale0001');
    expect(resolve({ dataSet: 'DsSexAttr01', attributeCategoryOptions: ['CoMale00001'] }).attributeOptionCombo).toBe(male);
    expect(resolve({ dataSet: 'DsSexAttr01', attributeCategoryOptions: { CatSex00001: 'M' } }, { categoryOptionIdScheme: 'CODE' }).attributeOptionCombo).toBe(male);
  });

  it('aborts with E7604 when ADX attribute category options match no option combo', () => {
    expect(resolve({ dataSet: 'DsSexAttr01', attributeCategoryOptions: { CatSex00001: 'Nope' } }).abort).toEqual({
      code: 'E7604',
      objects: { categoryOptionCombo: 'CatSex00001=Nope', dataSet: 'DsSexAttr01' },
      arg: 'CatSex00001=Nope',
    });
  });

  it('JSON attributeCategoryOptions (InputUtils.getAttributeOptionCombo): ignored without a data set; an unknown option (E1111) or no combo (E2041) fails the file', () => {
    const none = resolve({ attributeCategoryOptions: ['CoMale00001', 'CoFemale001'] });
    expect([none.abort, none.failure, none.attributeOptionCombo]).toEqual([null, null, null]);
    expect(resolve({ dataSet: 'DsSexAttr01', orgUnit: 'OuNope00001', attributeCategoryOptions: ['CoNope00001'] })).toMatchObject({
      failure: 'Category option not found or not accessible: `CoNope00001`',
      abort: null,
    });
    expect(resolve({ dataSet: 'DsSexAttr01', attributeCategoryOptions: ['CoMale00001', 'CoFemale001'] }).failure).toBe(
      'Attribute option combo does not exist for given category combo and category options',
    );
  });

  it('prefers an explicit attribute option combo over attribute category options', () => {
    const r = resolve({ dataSet: 'DsSexAttr01', attributeOptionCombo: 'CocFemale01', attributeCategoryOptions: ['CoMale00001'] });
    expect(r.attributeOptionCombo).toBe(id('categoryOptionCombos', 'CocFemale01'));
  });
});

describe('completion', () => {
  const today = '2024-06-15';
  it('completeDateOf: true is today, a date is kept but never after today, anything else is no completion', () => {
    expect(completeDateOf('true', today)).toBe(today);
    expect(completeDateOf('TRUE', today)).toBe(today);
    expect(completeDateOf(' 2024-02-03 ', today)).toBe('2024-02-03');
    expect(completeDateOf('2024-02-03T10:11:12.000', today)).toBe('2024-02-03');
    expect(completeDateOf('2030-01-01', today)).toBe(today);
    expect(completeDateOf('false', today)).toBeNull();
    expect(completeDateOf('', today)).toBeNull();
    expect(completeDateOf('yesterday', today)).toBeNull();
  });

  it('completionOf: needs a data set, then an org unit, then a period from the header', () => {
    const ds = L.dataSets.get(id('dataSets', 'DsMonthly01'))!;
    const period = resolve({ period: '202401' }).period;
    expect(completionOf('true', today, { dataSet: null, orgUnit: 1, period })).toBeNull();
    expect(completionOf('false', today, { dataSet: ds, orgUnit: 1, period })).toBeNull();
    expect(completionOf('true', today, { dataSet: ds, orgUnit: null, period: null })).toEqual({ missing: 'OrganisationUnit' });
    expect(completionOf('true', today, { dataSet: ds, orgUnit: 1, period: null })).toEqual({ missing: 'Period' });
    expect(completionOf('2024-02-01', today, { dataSet: ds, orgUnit: 1, period })).toEqual({ date: '2024-02-01' });
  });
});
