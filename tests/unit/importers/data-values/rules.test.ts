/**
 * DHIS2 2.42 data import rules, one small file each, through import:start (same path as the CLI).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { CSV_HEADER, loadMetadata, runImport, SMALL_METADATA, storedValues, useDataSite, writeFile } from './helpers.ts';

const site = useDataSite();
const { csv, imp } = site;
const value = (de: string, pe: string, ou: string, coc = 'HllvX50cXC0') =>
  storedValues(site.ferry.db, { includeDeleted: true }).find((v) => v.dataElement === de && v.period === pe && v.orgUnit === ou && v.categoryOptionCombo === coc);

describe('unknown or unresolvable references (E7610–E7615), grouped conflicts', () => {
  it('rejects the bad rows, imports the good ones, and groups conflicts by code and object with row indexes', async () => {
    const f = csv(
      'refs.csv',
      'DeInteger01,202401,OuClinicA01,,,1,,,,,',
      'DeNope00001,202401,OuClinicA01,,,1,,,,,',
      'DeNope00001,202402,OuClinicA01,,,1,,,,,',
      'DeInteger01,2024-13,OuClinicA01,,,1,,,,,',
      'DeInteger01,202401,OuNope00001,,,1,,,,,',
      'DeInteger01,202402,OuClinicA01,CocNope0001,,1,,,,,',
      'DeInteger01,202403,OuClinicA01,,AocNope0001,1,,,,,',
      'DeInteger01,202404,OuClinicA01,,,2,,,,,',
    );
    const s = await imp(f);
    expect(s.status).toBe('WARNING');
    expect(s.importCount).toEqual({ imported: 2, updated: 0, ignored: 6, deleted: 0 });
    expect(s.rejectedIndexes).toEqual([1, 2, 3, 4, 5, 6]);
    expect(s.conflicts.map((c) => [c.errorCode, c.object, c.indexes, c.value])).toEqual([
      ['E7610', 'DeNope00001', [1, 2], 'Data element not found or not accessible: `DeNope00001`'],
      ['E7611', '2024-13', [3], 'Period not valid: `2024-13`'],
      ['E7612', 'OuNope00001', [4], 'Organisation unit not found or not accessible: `OuNope00001`'],
      ['E7613', 'CocNope0001', [5], 'Category option combo not found or not accessible for writing data: `CocNope0001`'],
      ['E7615', 'AocNope0001', [6], 'Attribute option combo not found or not accessible for writing data: `AocNope0001`'],
    ]);
    expect(storedValues(site.ferry.db).map((v) => [v.period, v.value])).toEqual([['202401', '1'], ['202404', '2']]);
  });
});

describe('value types, option sets (E7619, E7621) and boolean normalisation', () => {
  it('rejects values that do not match the value type, with DHIS2 keys', async () => {
    const f = csv(
      'types.csv',
      'DeInteger01,202401,OuClinicA01,,,1.5,,,,,',
      'DeNumber001,202401,OuClinicA01,CocMale0001,,abc,,,,,',
      'DeDate00001,202401,OuClinicA01,,,2024-02-30,,,,,',
      'DePercent01,202401,OuClinicA01,,,101,,,,,',
      'DeBool00001,202401,OuClinicA01,,,T,,,,,',
      'DeBool00001,202402,OuClinicA01,,,0,,,,,',
      'DeColour001,202401,OuClinicA01,,,GREEN,,,,,',
      'DeColour001,202402,OuClinicA01,,,RED,,,,,',
    );
    const s = await imp(f);
    expect(s.importCount).toMatchObject({ imported: 3, ignored: 5 });
    expect(s.conflicts.map((c) => [c.errorCode, c.objects, c.indexes])).toEqual([
      ['E7619', { dataElement: 'DeInteger01', value: 'value_not_integer' }, [0]],
      ['E7619', { dataElement: 'DeNumber001', value: 'value_not_numeric' }, [1]],
      ['E7619', { dataElement: 'DeDate00001', value: 'value_not_valid_date' }, [2]],
      ['E7619', { dataElement: 'DePercent01', value: 'value_not_percentage' }, [3]],
      ['E7621', { dataElement: 'DeColour001' }, [6]],
    ]);
    expect(s.conflicts[0]!.value).toBe('Value must match value type of data element `DeInteger01`: `value_not_integer`');
    expect(value('DeBool00001', '202401', 'OuClinicA01')!.value).toBe('true');
    expect(value('DeBool00001', '202402', 'OuClinicA01')!.value).toBe('false');
    expect(value('DeColour001', '202402', 'OuClinicA01')!.value).toBe('RED');
  });

  it('rejects a JSON row with neither value nor comment (E7618) but accepts comment-only values', async () => {
    const f = writeFile(site.dir, 'e7618.json', JSON.stringify({
      dataValues: [
        { dataElement: 'DeText00001', period: '202401', orgUnit: 'OuClinicA01' },
        { dataElement: 'DeText00001', period: '202402', orgUnit: 'OuClinicA01', comment: 'seen, no value' },
      ],
    }));
    const s = await imp(f);
    expect(s.conflicts.map((c) => [c.errorCode, c.indexes, c.value])).toEqual([['E7618', [0], 'Data value or comment not specified for data element: `DeText00001`']]);
    expect(s.importCount).toMatchObject({ imported: 1, ignored: 1 });
    expect(value('DeText00001', '202402', 'OuClinicA01')).toMatchObject({ value: null, comment: 'seen, no value' });
  });
});

describe('zero values', () => {
  it('skips insignificant zeros silently, stores significant ones, and deletes an existing value with zero', async () => {
    await imp(csv('first.csv', 'DeNumber001,202401,OuClinicA01,CocMale0001,,5,,,,,'));
    const s = await imp(
      csv(
        'zeros.csv',
        'DeNumber001,202401,OuClinicA01,CocMale0001,,0,,,,,', // existing → deleted
        'DeNumber001,202402,OuClinicA01,CocMale0001,,0.0,,,,,', // new, not significant → skipped, not counted
        'DeInteger01,202401,OuClinicA01,,,0,,,,,', // zeroIsSignificant → stored
        'DePercent01,202401,OuClinicA01,,,0,,,,,', // AVERAGE aggregation → stored
      ),
    );
    expect(s.status).toBe('SUCCESS');
    expect(s.importCount).toEqual({ imported: 2, updated: 0, ignored: 0, deleted: 1 });
    expect(value('DeNumber001', '202401', 'OuClinicA01', 'CocMale0001')!.deleted).toBe(1);
    expect(value('DeNumber001', '202402', 'OuClinicA01', 'CocMale0001')).toBeUndefined();
    expect(value('DeInteger01', '202401', 'OuClinicA01')!.value).toBe('0');
    expect(value('DePercent01', '202401', 'OuClinicA01')!.value).toBe('0');
  });
});

describe('outcomes: unchanged, updates, deletes, strategies (spec §1.7)', () => {
  beforeEach(async () => {
    await imp(csv('base.csv', 'DeInteger01,202401,OuClinicA01,,,5,,,x,false,', 'DeInteger01,202402,OuClinicA01,,,7,,,,false,'));
  });

  it('ignores unchanged values, updates changed value/comment/follow-up, deletes on empty value or deleted=true', async () => {
    const s = await imp(
      csv(
        'next.csv',
        'DeInteger01,202401,OuClinicA01,,,5,,,x,false,', // unchanged
        'DeInteger01,202402,OuClinicA01,,,7,,,new comment,false,', // comment changed
        'DeInteger01,202402,OuClinicB01,,,3,,,,,', // new
        'DeInteger01,202403,OuClinicA01,,,,,,,,', // empty, no existing → ignored, not rejected
      ),
    );
    expect(s.importCount).toEqual({ imported: 1, updated: 1, ignored: 2, deleted: 0 });
    expect(s.rejectedIndexes).toEqual([]);
    expect(s.status).toBe('SUCCESS');
    const s2 = await imp(csv('follow.csv', 'DeInteger01,202401,OuClinicA01,,,5,,,x,true,', 'DeInteger01,202402,OuClinicA01,,,,,,,,', 'DeInteger01,202402,OuClinicB01,,,3,,,,false,true'));
    expect(s2.importCount).toEqual({ imported: 0, updated: 1, ignored: 0, deleted: 2 });
    expect(value('DeInteger01', '202401', 'OuClinicA01')).toMatchObject({ value: '5', followup: 1, deleted: 0 });
    expect(value('DeInteger01', '202402', 'OuClinicA01')!.deleted).toBe(1);
    // a soft-deleted value comes back as imported
    const s3 = await imp(csv('again.csv', 'DeInteger01,202402,OuClinicA01,,,8,,,,,'));
    expect(s3.importCount).toEqual({ imported: 1, updated: 0, ignored: 0, deleted: 0 });
    expect(value('DeInteger01', '202402', 'OuClinicA01')).toMatchObject({ value: '8', deleted: 0 });
  });

  it('CREATE rejects existing values; UPDATE rejects new ones; DELETE (and its old name DELETES) removes by key only', async () => {
    const rows = ['DeInteger01,202401,OuClinicA01,,,6,,,,,', 'DeInteger01,202409,OuClinicA01,,,6,,,,,'];
    const c = await imp(csv('c.csv', ...rows), { importStrategy: 'NEW' });
    expect([c.importCount, c.rejectedIndexes]).toEqual([{ imported: 1, updated: 0, ignored: 1, deleted: 0 }, [0]]);
    const u = await imp(csv('u.csv', 'DeInteger01,202401,OuClinicA01,,,6,,,,,', 'DeInteger01,202410,OuClinicA01,,,6,,,,,'), { importStrategy: 'UPDATE' });
    expect([u.importCount, u.rejectedIndexes]).toEqual([{ imported: 0, updated: 1, ignored: 1, deleted: 0 }, [1]]);
    const d = await imp(csv('d.csv', 'DeInteger01,202401,OuClinicA01,,,,,,,,', 'DeInteger01,202411,OuClinicA01,,,,,,,,'), { importStrategy: 'DELETES' });
    expect([d.importCount, d.rejectedIndexes, d.conflicts]).toEqual([{ imported: 0, updated: 0, ignored: 1, deleted: 1 }, [1], []]);
    expect(value('DeInteger01', '202401', 'OuClinicA01')!.deleted).toBe(1);
  });

  it('DELETE of a file resource value that does not exist is a conflict (E7645)', async () => {
    loadMetadata(site.ferry.db, { dataElements: [{ id: 'DeFile00001', name: 'Scan', valueType: 'FILE_RESOURCE', categoryCombo: { id: 'bjDvmb4bfuf' } }] });
    await imp(csv('file.csv', 'DeFile00001,202401,OuClinicA01,,,Abcdefghij1,,,,,'));
    const d = await imp(csv('fdel.csv', 'DeFile00001,202401,OuClinicA01,,,,,,,,', 'DeFile00001,202402,OuClinicA01,,,,,,,,'), { importStrategy: 'DELETE' });
    expect(d.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 1 });
    expect(d.conflicts.map((c) => [c.errorCode, c.indexes, c.value])).toEqual([
      ['E7645', [1], 'No data value for file resource exist for the given combination for data element: `DeFile00001`'],
    ]);
  });

  it('dry run counts exactly like the real import and changes nothing', async () => {
    const before = storedValues(site.ferry.db, { includeDeleted: true });
    const f = csv('dry.csv', 'DeInteger01,202401,OuClinicA01,,,9,,,,,', 'DeInteger01,202405,OuClinicA01,,,1,,,,,', 'DeInteger01,202405,OuClinicA01,,,1,,,,,');
    const s = await imp(f, { dryRun: true });
    expect(s.importCount).toEqual({ imported: 1, updated: 1, ignored: 1, deleted: 0 });
    expect(s.dryRun).toBe(true);
    expect(storedValues(site.ferry.db, { includeDeleted: true })).toEqual(before);
  });

  it('skipExistingCheck inserts every row without looking', async () => {
    const s = await imp(csv('skip.csv', 'DeInteger01,202406,OuClinicA01,,,1,,,,,'), { skipExistingCheck: true });
    expect(s.importCount.imported).toBe(1);
  });
});

describe('id schemes and header overrides', () => {
  it('resolves CODE, NAME and ATTRIBUTE schemes; payload-level schemes win over options', async () => {
    loadMetadata(site.ferry.db, {
      attributes: [{ id: 'AttrExtId01', name: 'External id', valueType: 'TEXT' }],
      organisationUnits: [{ id: 'OuClinicC01', name: 'Clinic C', code: 'OU_C', shortName: 'C', parent: { id: 'OuDistrict1' }, attributeValues: [{ attribute: { id: 'AttrExtId01' }, value: 'EXT-C' }] }],
    });
    const byCode = await imp(csv('code.csv', 'DE_INT,202401,OU_A,,,1,,,,,', 'DE_NUM,202401,OU_A,COC_F,,2,,,,,'), { idScheme: 'CODE' });
    expect(byCode.importCount.imported).toBe(2);
    const byName = await imp(csv('name.csv', 'Integer,202402,Clinic B,,,3,,,,,'), { idScheme: 'NAME' });
    expect(byName.importCount.imported).toBe(1);
    const byAttr = await imp(csv('attr.csv', 'DeInteger01,202403,EXT-C,,,4,,,,,'), { orgUnitIdScheme: 'ATTRIBUTE:AttrExtId01' });
    expect(byAttr.importCount.imported).toBe(1);
    // XML root idScheme=code beats the option UID; root period/orgUnit override the rows
    const xml = writeFile(site.dir, 'root.xml', `<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" idScheme="code" period="202404" orgUnit="OU_B">
  <dataValue dataElement="DE_INT" period="199901" orgUnit="nonsense" value="5"/>
</dataValueSet>`);
    const root = await imp(xml, { idScheme: 'UID' });
    expect(root.importCount.imported).toBe(1);
    expect(value('DeNumber001', '202401', 'OuClinicA01', 'CocFemale01')!.value).toBe('2');
    expect(value('DeInteger01', '202402', 'OuClinicB01')!.value).toBe('3');
    expect(value('DeInteger01', '202403', 'OuClinicC01')!.value).toBe('4');
    expect(value('DeInteger01', '202404', 'OuClinicB01')!.value).toBe('5');
  });

  it('aborts the whole file when the data set, root org unit or root AOC does not exist (E7600/E7603/E7604)', async () => {
    const xml = writeFile(site.dir, 'ds.xml', `<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" dataSet="DsNope00001"><dataValue dataElement="DeInteger01" period="202401" orgUnit="OuClinicA01" value="1"/></dataValueSet>`);
    const s = await imp(xml);
    expect(s.status).toBe('ERROR');
    expect(s.description).toBe('Import process was aborted');
    expect(s.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 0 });
    expect(s.conflicts).toEqual([{ object: 'DsNope00001', objects: { dataSet: 'DsNope00001' }, value: 'Data set not found or not accessible: `DsNope00001`', errorCode: 'E7600', property: 'dataSet' }]);
    const ou = await imp(writeFile(site.dir, 'ou.json', JSON.stringify({ orgUnit: 'OuNope00001', dataValues: [{ dataElement: 'DeInteger01', period: '202401', value: '1' }] })));
    expect([ou.status, ou.conflicts[0]!.errorCode]).toEqual(['ERROR', 'E7603']);
    expect(storedValues(site.ferry.db)).toEqual([]);
  });

  it('completeDate registers the data set as complete for the root period and org unit', async () => {
    const xml = writeFile(site.dir, 'complete.xml', `<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" dataSet="DsMonthly01" completeDate="2024-02-03" period="202401" orgUnit="OuClinicA01">
  <dataValue dataElement="DeInteger01" value="1"/>
</dataValueSet>`);
    const s = await imp(xml);
    expect(s.dataSetComplete).toBe('2024-02-03');
    const reg = site.ferry.db.prepare(`SELECT r.date, p.iso, r.source_file_id FROM complete_registration r JOIN period p ON p.id = r.pe`).all();
    expect(reg).toHaveLength(1);
    expect(reg[0]).toMatchObject({ date: '2024-02-03', iso: '202401' });
  });
});

describe('strict and require options', () => {
  it('strictDataElements rejects data elements outside the data set (E7633), requireCategoryOptionCombo needs a COC (E7630)', async () => {
    const f = csv('strict.csv', 'DeText00001,202401,OuClinicA01,,,t,,,,,', 'DeInteger01,202401,OuClinicA01,,,1,,,,,');
    const s = await imp(f, { strictDataElements: true });
    expect(s.conflicts.map((c) => [c.errorCode, c.indexes])).toEqual([['E7633', [0]]]);
    const r = await imp(csv('req.csv', 'DeNumber001,202402,OuClinicA01,,,1,,,,,', 'DeNumber001,202402,OuClinicA01,CocMale0001,,1,,,,,'), { requireCategoryOptionCombo: true });
    expect(r.conflicts.map((c) => [c.errorCode, c.indexes, c.value])).toEqual([['E7630', [0], 'Category option combo is required but is not specified']]);
  });
});

describe('keys repeated within a job (empty database fast path)', () => {
  it('processes a repeated key in row order: unchanged → ignored, changed → updated, zero or empty → deleted', async () => {
    const f = csv(
      'dups.csv',
      'DeNumber001,202401,OuClinicA01,CocMale0001,,5,,,,,',
      'DeNumber001,202401,OuClinicA01,CocMale0001,,5,,,,,', // same → ignored
      'DeNumber001,202401,OuClinicA01,CocFemale01,,5,,,,,',
      'DeNumber001,202401,OuClinicA01,CocFemale01,,6,,,,,', // changed → updated
      'DeNumber001,202402,OuClinicA01,CocMale0001,,7,,,,,',
      'DeNumber001,202402,OuClinicA01,CocMale0001,,0,,,,,', // insignificant zero → deletes
      'DeNumber001,202403,OuClinicA01,CocMale0001,,8,,,,,',
      'DeNumber001,202403,OuClinicA01,CocMale0001,,,,,,,', // empty → deletes
    );
    const g = csv('dups2.csv', 'DeNumber001,202401,OuClinicA01,CocFemale01,,6,,,,,', 'DeNumber001,202402,OuClinicA01,CocMale0001,,9,,,,,');
    // (the files disagree on keys: the list order is chosen explicitly, src-main/jobs/multi-file.ts)
    const r = await runImport(site.ferry, [f, g], { overlap: 'last' });
    expect(r.summary!.fileSummaries!.map((x) => x.importCount)).toEqual([
      { imported: 4, updated: 1, ignored: 1, deleted: 2 },
      { imported: 1, updated: 0, ignored: 1, deleted: 0 }, // soft-deleted key comes back as imported
    ]);
    expect(value('DeNumber001', '202401', 'OuClinicA01', 'CocFemale01')!.value).toBe('6');
    expect(value('DeNumber001', '202402', 'OuClinicA01', 'CocMale0001')).toMatchObject({ value: '9', deleted: 0 });
    expect(value('DeNumber001', '202403', 'OuClinicA01', 'CocMale0001')!.deleted).toBe(1);
  });
});

describe('category combos described from either side', () => {
  it('strictCategoryOptionCombos knows COCs listed by the combo (categoryOptionCombos) as well as by the COC (categoryCombo)', async () => {
    loadMetadata(site.ferry.db, {
      categoryCombos: [{ id: 'CcAge000001', name: 'Age', categories: [] }],
      categoryOptionCombos: [{ id: 'CocUnder501', name: 'Under 5', categoryCombo: { id: 'CcAge000001' }, categoryOptions: [] }],
      dataElements: [{ id: 'DeAge000001', name: 'Age', valueType: 'INTEGER', categoryCombo: { id: 'CcAge000001' } }],
    });
    const f = csv(
      'strictcoc.csv',
      'DeNumber001,202401,OuClinicA01,CocMale0001,,1,,,,,', // combo-side membership
      'DeNumber001,202401,OuClinicA01,HllvX50cXC0,,1,,,,,', // default COC is not in the Sex combo
      'DeAge000001,202401,OuClinicA01,CocUnder501,,1,,,,,', // COC-side membership
      'DeAge000001,202401,OuClinicA01,CocFemale01,,1,,,,,',
    );
    const s = await imp(f, { strictCategoryOptionCombos: true });
    expect(s.importCount).toMatchObject({ imported: 2, ignored: 2 });
    expect(s.conflicts.map((c) => [c.errorCode, c.indexes, c.value])).toEqual([
      ['E7634', [1], 'Category option combo: `HllvX50cXC0` must be part of category combo of data element: `DeNumber001`'],
      ['E7634', [3], 'Category option combo: `CocFemale01` must be part of category combo of data element: `DeAge000001`'],
    ]);
  });
});

describe('future periods (E7641)', () => {
  it('rejects periods after the latest open future period of the data set, accepts those within openFuturePeriods', async () => {
    const now = new Date();
    const ym = (k: number): string => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + k, 1));
      return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    };
    const f = csv('future.csv', `DeInteger01,${ym(0)},OuClinicA01,,,1,,,,,`, `DeInteger01,${ym(1)},OuClinicA01,,,1,,,,,`, `DeText00001,${ym(1)},OuClinicA01,,,x,,,,,`);
    const s = await imp(f);
    // DeInteger01 is in the monthly data set assigned to clinic A (openFuturePeriods 0); DeText00001 is in no data set
    expect(s.importCount).toMatchObject({ imported: 2, ignored: 1 });
    expect(s.conflicts.map((c) => [c.errorCode, c.indexes, c.value])).toEqual([
      ['E7641', [1], `Period: \`${ym(1)}\` is after latest open future period: \`${ym(0)}\` for data element: \`DeInteger01\` and data set: \`DsMonthly01\``],
    ]);
    loadMetadata(site.ferry.db, { dataSets: [{ ...SMALL_METADATA.dataSets[0]!, openFuturePeriods: 2 }] });
    const again = await imp(csv('future2.csv', `DeInteger01,${ym(2)},OuClinicA01,,,1,,,,,`, `DeInteger01,${ym(3)},OuClinicA01,,,1,,,,,`));
    expect(again.conflicts.map((c) => [c.errorCode, c.indexes])).toEqual([['E7641', [1]]]);
  });
});

describe('compressed input and ADX', () => {
  it('reads gzip files', async () => {
    const gz = writeFile(site.dir, 'values.csv.gz', zlib.gzipSync([CSV_HEADER, 'DeInteger01,202401,OuClinicA01,,,11,,,,,'].join('\n')));
    const s = await imp(gz);
    expect(s.importCount.imported).toBe(1);
    expect(s.fileSummaries![0]).toMatchObject({ file: 'values.csv.gz', format: 'csv', compression: 'gzip' });
  });

  it('ADX resolves categories and options (CODE by default) to the data element COC and uses annotations for text', async () => {
    const adx = writeFile(site.dir, 'x.adx.xml', `<adx xmlns="urn:ihe:qrph:adx:2015">
  <group dataSet="DS_M" period="2024-03-01/P1M" orgUnit="OU_A">
    <dataValue dataElement="DE_NUM" SEX="F" value="4"/>
    <dataValue dataElement="DE_TEXT" value="0"><annotation>All good, thanks</annotation></dataValue>
    <dataValue dataElement="DE_NUM" SEX="X" value="4"/>
  </group>
</adx>`);
    const s = await imp(adx);
    expect(s.importCount).toMatchObject({ imported: 2, ignored: 1 });
    expect(s.conflicts.map((c) => [c.errorCode, c.indexes])).toEqual([['E7613', [2]]]);
    expect(value('DeNumber001', '202403', 'OuClinicA01', 'CocFemale01')!.value).toBe('4');
    expect(value('DeText00001', '202403', 'OuClinicA01')!.value).toBe('All good, thanks');
  });
});
