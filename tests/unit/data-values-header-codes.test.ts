/**
 * E1111 and E2041 of the data value import header (DefaultDataValueSetService → InputUtils.getAttributeOptionCombo,
 * 2.42.0): a JSON root's attributeCategoryOptions with a data set that name an unknown category option (E1111) or make
 * no attribute option combo of the data set's category combo (E2041) fail the whole file. DHIS2 answers an ERROR
 * summary "The import process failed: " + the message, no conflict, nothing imported; it writes no code out. Ferry
 * answers the same summary and adds the code as the extra `errorCode`, which the CLI's text output prints.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ferry } from '../../src-main/services/context.ts';
import { formatJob } from '../../src-main/cli/format.ts';
import { SMALL_METADATA, freshFerry, loadMetadata, runImport, storedValues, writeFile } from './importers/data-values/helpers.ts';

let ferry: Ferry;
let dir: string;
beforeEach(() => {
  ({ ferry, dir } = freshFerry('inline'));
  loadMetadata(ferry.db, SMALL_METADATA);
  loadMetadata(ferry.db, {
    categoryOptions: [{ id: 'CoFundB0001', name: 'Fund B', shortName: 'Fund B' }],
    categories: [{ id: 'CatFund0001', name: 'Funding', dataDimensionType: 'ATTRIBUTE', categoryOptions: [{ id: 'CoFundB0001' }] }],
    categoryCombos: [{ id: 'CcFund00001', name: 'Funding', dataDimensionType: 'ATTRIBUTE', categories: [{ id: 'CatFund0001' }], categoryOptionCombos: [{ id: 'CocFundB001' }] }],
    categoryOptionCombos: [{ id: 'CocFundB001', name: 'Fund B', categoryCombo: { id: 'CcFund00001' }, categoryOptions: [{ id: 'CoFundB0001' }] }],
    dataSets: [{ ...SMALL_METADATA.dataSets[0]!, id: 'DsFund00001', name: 'Funded', code: 'DS_F', categoryCombo: { id: 'CcFund00001' } }],
  });
});
afterEach(async () => {
  await ferry.close();
});

const row = { dataElement: 'DeInteger01', period: '202401', orgUnit: 'OuClinicA01', value: '3' };
async function importOptions(options: string[]) {
  const f = writeFile(dir, `aco-${options.join('-')}.json`, JSON.stringify({ dataSet: 'DsFund00001', attributeCategoryOptions: options, dataValues: [row, { ...row, period: '202402' }] }));
  const r = await runImport(ferry, [f]);
  expect(r.error).toBeNull();
  return { job: r.job!, summary: r.summary! };
}

describe('data value header failures carry their ErrorCode (Ferry extra errorCode)', () => {
  it('E1111: an unknown category option fails the file: ERROR, "The import process failed: Category option not found …", nothing written', async () => {
    const { job, summary } = await importOptions(['CoNope00001']);
    expect(summary).toMatchObject({
      status: 'ERROR',
      description: 'The import process failed: Category option not found or not accessible: `CoNope00001`',
      errorCode: 'E1111',
      importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
      conflicts: [],
      rejectedIndexes: [],
    });
    expect(summary.fileSummaries![0]!.errorCode).toBe('E1111');
    expect(storedValues(ferry.db)).toEqual([]);
    // the CLI's text output prints the code with DHIS2's description; --json is the summary itself (errorCode added)
    const text = formatJob(job);
    expect(text.split('\n').slice(0, 3)).toEqual([
      'import data: ERROR',
      '  imported 0, updated 0, deleted 0, ignored 0',
      '  E1111 The import process failed: Category option not found or not accessible: `CoNope00001`',
    ]);
    expect(JSON.parse(JSON.stringify(job.summary)).errorCode).toBe('E1111');
  });

  it('E2041: options that make no attribute option combo of the data set\'s category combo fail the file the same way', async () => {
    // CoMale00001 is an option of Sex, not of the Funding combo: Fund B + Male is no combo of it
    const { job, summary } = await importOptions(['CoFundB0001', 'CoMale00001']);
    expect(summary).toMatchObject({
      status: 'ERROR',
      description: 'The import process failed: Attribute option combo does not exist for given category combo and category options',
      errorCode: 'E2041',
      importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
      conflicts: [],
    });
    expect(storedValues(ferry.db)).toEqual([]);
    expect(formatJob(job)).toContain('\n  E2041 The import process failed: Attribute option combo does not exist for given category combo and category options');
  });

  it('options that resolve leave no errorCode: the rows are imported with the combo', async () => {
    const { job, summary } = await importOptions(['CoFundB0001']);
    expect(summary.errorCode).toBeUndefined();
    expect([summary.status, summary.importCount.imported]).toEqual(['SUCCESS', 2]);
    expect(storedValues(ferry.db).map((v) => v.attributeOptionCombo)).toEqual(['CocFundB001', 'CocFundB001']);
    expect(formatJob(job)).not.toMatch(/E1111|E2041/);
  });
});
