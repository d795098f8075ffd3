/**
 * DHIS2 2.42 data value constraints not covered elsewhere, worded and keyed as DataValueImportConflict declares them
 * (error code, property, object types → the conflict's objects): E7620 COMMENT_NOT_VALID (comment, i18n key),
 * E7631 ATTR_OPTION_COMBO_NOT_SPECIFIED, E7632 PERIOD_TYPE_NOT_VALID_FOR_DATA_ELEMENT (no property), E7635
 * ATTR_OPTION_COMBO_STRICT, E7636 ORG_UNIT_STRICT, E7637 STORED_BY_NOT_VALID (storedBy, i18n key), E7639
 * ORG_UNIT_NOT_VALID_FOR_ATTR_OPTION_COMBO.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ferry } from '../../src-main/services/context.ts';
import { SMALL_METADATA, freshFerry, loadMetadata, runImport, storedValues, writeFile } from './importers/data-values/helpers.ts';

let ferry: Ferry;
let dir: string;
beforeEach(() => {
  ({ ferry, dir } = freshFerry('inline'));
  loadMetadata(ferry.db, SMALL_METADATA);
  loadMetadata(ferry.db, {
    categoryOptions: [{ id: 'CoFundB0001', name: 'Fund B', shortName: 'Fund B', organisationUnits: [{ id: 'OuClinicB01' }] }],
    categories: [{ id: 'CatFund0001', name: 'Funding', dataDimensionType: 'ATTRIBUTE', categoryOptions: [{ id: 'CoFundB0001' }] }],
    categoryCombos: [{ id: 'CcFund00001', name: 'Funding', dataDimensionType: 'ATTRIBUTE', categories: [{ id: 'CatFund0001' }], categoryOptionCombos: [{ id: 'CocFundB001' }] }],
    categoryOptionCombos: [{ id: 'CocFundB001', name: 'Fund B', categoryCombo: { id: 'CcFund00001' }, categoryOptions: [{ id: 'CoFundB0001' }] }],
  });
});
afterEach(async () => {
  await ferry.close();
});

async function importJson(rows: Record<string, unknown>[], options: Record<string, unknown> = {}) {
  const f = writeFile(dir, `c${Math.random().toString(36).slice(2)}.json`, JSON.stringify({ dataValues: rows }));
  const r = await runImport(ferry, [f], options);
  expect(r.error).toBeNull();
  return r.summary!;
}
const v = (extra: Record<string, unknown> = {}) => ({ dataElement: 'DeInteger01', period: '202401', orgUnit: 'OuClinicA01', value: '3', ...extra });
const one = (s: Awaited<ReturnType<typeof importJson>>) => {
  expect(s.importCount).toMatchObject({ imported: 0, ignored: 1 });
  expect(s.conflicts).toHaveLength(1);
  const c = s.conflicts[0]!;
  return { errorCode: c.errorCode, property: c.property, objects: c.objects, value: c.value };
};

describe('data value constraints (DataValueSetImportValidator)', () => {
  it('E7620: a comment longer than 50,000 characters', async () => {
    expect(one(await importJson([v({ comment: 'x'.repeat(50_001) })]))).toEqual({
      errorCode: 'E7620', property: 'comment', objects: { comment: 'comment_length_greater_than_max_length' }, value: 'Invalid comment: comment_length_greater_than_max_length',
    });
    expect((await importJson([v({ comment: 'x'.repeat(50_000) })])).importCount.imported).toBe(1);
  });

  it('E7637: a storedBy longer than 255 characters', async () => {
    expect(one(await importJson([v({ storedBy: 'u'.repeat(256) })]))).toEqual({
      errorCode: 'E7637', property: 'storedBy', objects: { storedBy: 'stored_by_length_greater_than_max_length' }, value: 'Invalid storedBy: stored_by_length_greater_than_max_length',
    });
  });

  it('E7631: no attribute option combo with requireAttributeOptionCombo', async () => {
    expect(one(await importJson([v()], { requireAttributeOptionCombo: true }))).toEqual({
      errorCode: 'E7631', property: 'attributeOptionCombo', objects: {}, value: 'Attribute option combo is required but is not specified',
    });
    expect((await importJson([v({ attributeOptionCombo: 'HllvX50cXC0' })], { requireAttributeOptionCombo: true })).importCount.imported).toBe(1);
  });

  it('E7632: strictPeriods refuses a period type none of the data element\'s data sets has (no property)', async () => {
    const c = one(await importJson([v({ period: '2024Q1' })], { strictPeriods: true }));
    expect(c).toEqual({ errorCode: 'E7632', property: undefined, objects: { period: '2024Q1', dataElement: 'DeInteger01' }, value: 'Period type of period: `2024Q1` not valid for data element: `DeInteger01`' });
  });

  it('E7635: strictAttributeOptionCombos refuses a combo outside the data sets\' category combos', async () => {
    expect(one(await importJson([v({ orgUnit: 'OuClinicB01', attributeOptionCombo: 'CocFundB001' })], { strictAttributeOptionCombos: true }))).toEqual({
      errorCode: 'E7635',
      property: 'attributeOptionCombo',
      objects: { categoryOptionCombo: 'CocFundB001', dataElement: 'DeInteger01' },
      value: 'Attribute option combo: `CocFundB001` must be part of category combo of data sets of data element: `DeInteger01`',
    });
  });

  it('E7636: strictOrganisationUnits refuses an org unit no data set of the data element is assigned to', async () => {
    expect(one(await importJson([v({ orgUnit: 'OuClinicB01' })], { strictOrganisationUnits: true }))).toEqual({
      errorCode: 'E7636',
      property: 'orgUnit',
      objects: { organisationUnit: 'OuClinicB01', dataElement: 'DeInteger01' },
      value: 'Data element: `DeInteger01` must be assigned through data sets to organisation unit: `OuClinicB01`',
    });
  });

  it('E7639: an org unit outside the attribute option combo\'s category options\' org units', async () => {
    expect(one(await importJson([v({ attributeOptionCombo: 'CocFundB001' })]))).toEqual({
      errorCode: 'E7639',
      property: 'orgUnit',
      objects: { organisationUnit: 'OuClinicA01', categoryOptionCombo: 'CocFundB001' },
      value: 'Organisation unit: `OuClinicA01` is not valid for attribute option combo: `CocFundB001`',
    });
    expect((await importJson([v({ orgUnit: 'OuClinicB01', attributeOptionCombo: 'CocFundB001' })])).importCount.imported).toBe(1);
    expect(storedValues(ferry.db).map((x) => [x.orgUnit, x.attributeOptionCombo])).toEqual([['OuClinicB01', 'CocFundB001']]);
  });
});

describe('JSON attributeCategoryOptions that DHIS2 cannot resolve fail the file (E1111, E2041)', () => {
  it('answers an ERROR summary "The import process failed: …" without conflicts, importing nothing', async () => {
    loadMetadata(ferry.db, { dataSets: [{ ...SMALL_METADATA.dataSets[0]!, id: 'DsFund00001', name: 'Funded', code: 'DS_F', categoryCombo: { id: 'CcFund00001' } }] });
    const run = async (options: string[]) => {
      const f = writeFile(dir, `aco${options.length}.json`, JSON.stringify({ dataSet: 'DsFund00001', attributeCategoryOptions: options, dataValues: [v()] }));
      const r = await runImport(ferry, [f]);
      expect(r.error).toBeNull();
      return r.summary!;
    };
    const unknown = await run(['CoNope00001']);
    expect([unknown.status, unknown.description, unknown.importCount, unknown.conflicts]).toEqual([
      'ERROR', 'The import process failed: Category option not found or not accessible: `CoNope00001`', { imported: 0, updated: 0, ignored: 0, deleted: 0 }, [],
    ]);
    const noCombo = await run(['CoFundB0001', 'CoMale00001']);
    expect([noCombo.status, noCombo.description]).toEqual(['ERROR', 'The import process failed: Attribute option combo does not exist for given category combo and category options']);
    const ok = await run(['CoFundB0001']);
    expect([ok.status, ok.importCount.imported]).toEqual(['WARNING', 0]);
    // (the combo resolves; the value then meets E7639: Clinic A is outside Fund B's org units)
    expect(ok.conflicts.map((c) => c.errorCode)).toEqual(['E7639']);
    expect(storedValues(ferry.db)).toEqual([]);
  });
});

describe('constraint conflicts name the row\'s identifiers as the file gives them (dataValue.getOrgUnit() …)', () => {
  it('E7636 under the CODE scheme names the codes', async () => {
    const s = await importJson([v({ dataElement: 'DE_INT', orgUnit: 'OU_B' })], { idScheme: 'CODE', strictOrganisationUnits: true });
    expect(one(s)).toMatchObject({ objects: { organisationUnit: 'OU_B', dataElement: 'DE_INT' }, value: 'Data element: `DE_INT` must be assigned through data sets to organisation unit: `OU_B`' });
  });
});
