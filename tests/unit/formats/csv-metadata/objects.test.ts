/**
 * CSV metadata reader and object builder (spec §3, DHIS2's DefaultCsvImportService): every class key's columns and
 * defaults, truncation, the first-row-is-header option, rows DHIS2 skips, and bad values named by file, line and
 * column. The writer's rows read back to the same objects.
 */
import { describe, expect, it } from 'vitest';
import { readCsvMetadataRows } from '../../../../src-main/formats/csv-metadata/reader.ts';
import { CsvMetadataBuilder, type CsvMetadataLookups } from '../../../../src-main/formats/csv-metadata/objects.ts';
import { csvHeaderLine, csvLine, csvRowsOf } from '../../../../src-main/formats/csv-metadata/writer.ts';
import type { MetadataRecord } from '../../../../src-main/formats/shared/metadata-record.ts';
import { CSV_CLASSES, CSV_CLASS_KEYS, cellsOf, classKeyProblem, membershipWarning, parseClassKey, type CsvClassKey } from '../../../../src-shared/dhis2/csv-metadata.ts';
import { englishError } from '../../../../src-shared/keyed-errors.ts';
import type { SkippedRow } from '../../../../src-main/formats/csv-metadata/objects.ts';

/** skipped rows with their reasons in English (they are kept by key and parameters) */
const said = (rows: SkippedRow[]): { line: number; reason: string }[] => rows.map((r) => ({ line: r.line, reason: englishError(r.reason.messageKey, r.reason.messageParams) }));
import { AppError } from '../../../../src-shared/errors.ts';

async function* chunked(text: string, size = 5): AsyncGenerator<Buffer> {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

const LOOKUPS: CsvMetadataLookups = {
  group: (type, uid) => (uid.startsWith('grp') ? { name: `Group ${uid} of ${type}`, shortName: `G ${uid}` } : null),
  optionSet: (by) =>
    by.uid === 'setAAAAAAAA' || by.code === 'SET_A'
      ? { uid: 'setAAAAAAAA', options: [{ uid: 'optAAAAAAA1', code: 'A1' }, { uid: 'optAAAAAAA2', code: 'A2' }] }
      : null,
  indicatorType: (uid) => uid === 'itypeAAAAAA',
};

interface Parsed {
  records: MetadataRecord[];
  builder: CsvMetadataBuilder;
  blank: number[];
}

async function parse(k: CsvClassKey, text: string, firstRowIsHeader = true, lookups = LOOKUPS): Promise<Parsed> {
  let n = 0;
  const builder = new CsvMetadataBuilder(k, 'test.csv', lookups, () => `gen${String(++n).padStart(8, '0')}`);
  const records: MetadataRecord[] = [];
  const blank: number[] = [];
  for await (const batch of readCsvMetadataRows(chunked(text), { fileName: 'test.csv', firstRowIsHeader, onBlankRow: (l) => blank.push(l) }))
    for (const row of batch) records.push(...builder.add(row));
  records.push(...builder.finish());
  return { records, builder, blank };
}
const objects = async (k: CsvClassKey, text: string, header = true): Promise<Record<string, unknown>[]> => (await parse(k, text, header)).records.map((r) => r.object);

async function badFile(k: CsvClassKey, text: string): Promise<AppError> {
  try {
    await parse(k, text);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('no error');
}

describe('class keys', () => {
  it("are DHIS2's 17 CsvImportClass values, each with columns and a label in words", () => {
    expect(CSV_CLASS_KEYS).toHaveLength(17);
    expect(CSV_CLASS_KEYS).toContain('INDICATOR_GROUP_MEMBERSHIP');
    for (const k of CSV_CLASS_KEYS) {
      expect(CSV_CLASSES[k].columns.length).toBeGreaterThanOrEqual(2);
      expect(CSV_CLASSES[k].label).toMatch(/^[A-Z][a-z]/);
    }
    expect(parseClassKey('data_element')).toBe('DATA_ELEMENT');
    expect(parseClassKey('option-group-set')).toBe('OPTION_GROUP_SET');
    expect(parseClassKey('TRANSLATION')).toBeUndefined(); // in DHIS2's docs, not in its code
    expect(classKeyProblem('FOO')).toMatch(/unknown class key 'FOO' \(use one of ORGANISATION_UNIT_GROUP_MEMBERSHIP, .*INDICATOR\)/);
    expect(classKeyProblem(undefined)).toMatch(/needs a class key/);
  });

  it('membership class keys carry the replace warning, the others none', () => {
    const withWarning = CSV_CLASS_KEYS.filter((k) => membershipWarning(k));
    expect(withWarning.sort()).toEqual(['DATA_ELEMENT_GROUP_MEMBERSHIP', 'INDICATOR_GROUP_MEMBERSHIP', 'OPTION_GROUP_SET_MEMBERSHIP', 'ORGANISATION_UNIT_GROUP_MEMBERSHIP']);
    expect(membershipWarning('ORGANISATION_UNIT_GROUP_MEMBERSHIP')).toMatch(/replace the member list.*organisation units listed/);
  });
});

describe('DATA_ELEMENT', () => {
  it('reads the 14 columns and fills DHIS2 defaults for blank and missing cells', async () => {
    const [a, b] = await objects(
      'DATA_ELEMENT',
      'name,uid,code,shortname,description,formname,domaintype,valuetype,aggregationtype,categorycombo,url,zero,optionset,commentoptionset\n' +
        'ANC 1st visit,fbfJHSPpUQD,DE_1,ANC1,Desc,ANC first,TRACKER,NUMBER,AVERAGE,catComboAAA,http://x,TRUE,optSetAAAAA,optSetBBBBB\n' +
        'Malaria cases,,,\n',
    );
    expect(a).toEqual({
      name: 'ANC 1st visit', id: 'fbfJHSPpUQD', code: 'DE_1', shortName: 'ANC1', description: 'Desc', formName: 'ANC first', domainType: 'TRACKER',
      valueType: 'NUMBER', aggregationType: 'AVERAGE', categoryCombo: { id: 'catComboAAA' }, url: 'http://x', zeroIsSignificant: true,
      optionSet: { id: 'optSetAAAAA' }, commentOptionSet: { id: 'optSetBBBBB' },
    });
    expect(b).toEqual({
      name: 'Malaria cases', id: 'gen00000001', shortName: 'Malaria cases', domainType: 'AGGREGATE', valueType: 'INTEGER', aggregationType: 'SUM',
      categoryCombo: { id: 'bjDvmb4bfuf' }, zeroIsSignificant: false,
    });
  });

  it('cuts long values as DHIS2 does: name 230, code 50, short name 50 (from the name when blank)', async () => {
    const long = 'x'.repeat(300);
    const [o] = await objects('DATA_ELEMENT', `${long},,${'c'.repeat(80)},,,${'f'.repeat(240)}\n`, false);
    expect((o!.name as string).length).toBe(230);
    expect((o!.code as string).length).toBe(50);
    expect((o!.shortName as string).length).toBe(50);
    expect((o!.formName as string).length).toBe(230);
  });

  it('an unknown domain type is no domain (E4000 later), an unknown value type fails the file naming line and column', async () => {
    const [o] = await objects('DATA_ELEMENT', 'h\nA,,,,,,somewhere\n');
    expect(o!.domainType).toBeUndefined();
    const e = await badFile('DATA_ELEMENT', 'h\nA,,,,,,,INTEGER\nB,,,,,,,NUMBERS\n');
    expect(e.code).toBe('BAD_FILE');
    expect(e.message).toBe("test.csv, line 3, column 8 (valueType): 'NUMBERS' is not a DHIS2 value type (use TEXT, LONG_TEXT, MULTI_TEXT, LETTER, PHONE_NUMBER, EMAIL, BOOLEAN, TRUE_ONLY, DATE, DATETIME, TIME, NUMBER, UNIT_INTERVAL, PERCENTAGE, INTEGER, INTEGER_POSITIVE, INTEGER_NEGATIVE, INTEGER_ZERO_OR_POSITIVE, USERNAME, COORDINATE, ORGANISATION_UNIT, REFERENCE, AGE, URL, FILE_RESOURCE, IMAGE, GEOJSON)");
    expect(e.details).toMatchObject({ file: 'test.csv', line: 3, column: 8 });
    expect((await badFile('DATA_ELEMENT', 'h\nA,,,,,,,,sum\n')).message).toMatch(/^test\.csv, line 2, column 9 \(aggregationType\): 'sum' is not a DHIS2 aggregation type/);
  });
});

describe('first row is header', () => {
  it('true (the default) skips the first row whatever it holds; false reads it as an object', async () => {
    const text = 'Apple,,APPLE\nBanana,,BANANA\n';
    expect((await objects('CATEGORY_OPTION', text)).map((o) => o.name)).toEqual(['Banana']);
    expect((await objects('CATEGORY_OPTION', text, false)).map((o) => o.name)).toEqual(['Apple', 'Banana']);
  });

  it('skips empty lines and rows of blank cells (counted), keeps line numbers of quoted multi-line cells', async () => {
    const p = await parse('CATEGORY_OPTION', 'name,uid,code\n\n"Two\nlines",,A\n , ,\n,,\nLast,,B\n');
    expect(p.records.map((r) => r.object.name)).toEqual(['Two\nlines', 'Last']);
    expect(p.blank).toEqual([5, 6]);
  });
});

describe('the other object class keys', () => {
  it('DATA_ELEMENT_GROUP, CATEGORY_OPTION, ORGANISATION_UNIT_GROUP: name, uid, code, short name', async () => {
    for (const k of ['DATA_ELEMENT_GROUP', 'CATEGORY_OPTION', 'ORGANISATION_UNIT_GROUP'] as const) {
      expect(await objects(k, 'h\nFirst,abcdefghijk,F1,Fst\nSecond\n')).toEqual([
        { name: 'First', id: 'abcdefghijk', code: 'F1', shortName: 'Fst' },
        { name: 'Second', id: 'gen00000001', shortName: 'Second' },
      ]);
    }
  });

  it('CATEGORY and CATEGORY_COMBO: exact data dimension types, booleans', async () => {
    expect(await objects('CATEGORY', 'h\nGender,,GENDER,Sex,ATTRIBUTE,true\nAge\n')).toEqual([
      { name: 'Gender', id: 'gen00000001', code: 'GENDER', shortName: 'Gender', description: 'Sex', dataDimensionType: 'ATTRIBUTE', dataDimension: true },
      { name: 'Age', id: 'gen00000002', shortName: 'Age', dataDimensionType: 'DISAGGREGATION', dataDimension: false },
    ]);
    expect(await objects('CATEGORY_COMBO', 'h\nGender and age,,GA,ATTRIBUTE,TRUE\n')).toEqual([{ name: 'Gender and age', id: 'gen00000001', code: 'GA', dataDimensionType: 'ATTRIBUTE', skipTotal: true }]);
    expect((await badFile('CATEGORY_COMBO', 'h\nX,,,attribute\n')).message).toMatch(/line 2, column 4 \(dataDimensionType\): 'attribute' is not a data dimension type/);
  });

  it('CATEGORY_OPTION_GROUP: data dimension type in any case; unknown is none', async () => {
    expect(await objects('CATEGORY_OPTION_GROUP', 'h\nA,,,,attribute\nB,,,,weird\nC\n')).toEqual([
      { name: 'A', id: 'gen00000001', shortName: 'A', dataDimensionType: 'ATTRIBUTE' },
      { name: 'B', id: 'gen00000002', shortName: 'B' },
      { name: 'C', id: 'gen00000003', shortName: 'C', dataDimensionType: 'DISAGGREGATION' },
    ]);
  });

  it('ORGANISATION_UNIT: parent, dates (opening default 1970-01-01), geometry from feature type and coordinates, contacts', async () => {
    const [a, b, c] = await objects(
      'ORGANISATION_UNIT',
      'name,uid,code,parent,shortname,description,openingdate,closeddate,comment,featuretype,coordinates,url,contact,address,email,phone\n' +
        'West province,,WESTP,ImspTQPwCqd,,,2000-01-01,,,POINT,"[-11.5,8.2]"\n' +
        'Bo,abcdefghijk,,,,Desc,,2020-12-31,note,POLYGON,"[[[0,0],[1,0],[1,1],[0,0]]]",http://bo,Ann,Main road,a@b.org,+232 1\n' +
        'Plain,,,,,,,,,NONE,"[1,2]"\n',
    );
    expect(a).toEqual({ name: 'West province', id: 'gen00000001', code: 'WESTP', parent: { id: 'ImspTQPwCqd' }, shortName: 'West province', openingDate: '2000-01-01', geometry: { type: 'Point', coordinates: [-11.5, 8.2] } });
    expect(b).toEqual({
      name: 'Bo', id: 'abcdefghijk', shortName: 'Bo', description: 'Desc', openingDate: '1970-01-01', closedDate: '2020-12-31', comment: 'note',
      geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, url: 'http://bo', contactPerson: 'Ann', address: 'Main road', email: 'a@b.org', phoneNumber: '+232 1',
    });
    expect(c!.geometry).toBeUndefined();
    expect((await badFile('ORGANISATION_UNIT', 'h\nA,,,,,,2000-02-30\n')).message).toBe("test.csv, line 2, column 7 (openingDate): '2000-02-30' is not a date (yyyy-MM-dd)");
    expect((await objects('ORGANISATION_UNIT', 'h\nA,,,,,,2000-1-5\n'))[0]!.openingDate).toBe('2000-01-05'); // Joda reads one-digit months and days
    expect((await badFile('ORGANISATION_UNIT', 'h\nA,,,,,, 2000-01-05\n')).message).toMatch(/column 7 \(openingDate\): ' 2000-01-05' is not a date/);
    expect((await badFile('ORGANISATION_UNIT', 'h\nA,,,,,,,,,POINT,"[1,"\n')).message).toMatch(/^test\.csv, line 2, column 11 \(coordinates\): the coordinates are not GeoJSON coordinates of a Point/);
    expect((await badFile('ORGANISATION_UNIT', 'h\nA,,,,,,,,,POLYGON,"[1,2]"\n')).message).toMatch(/column 11 \(coordinates\).*Polygon/);
    expect((await badFile('ORGANISATION_UNIT', 'h\nA,,,,,,,,,Point,"[1,2]"\n')).message).toMatch(/column 10 \(featureType\): 'Point' is not a feature type \(use NONE, MULTI_POLYGON, POLYGON, POINT, SYMBOL\)/);
  });

  it('ORGANISATION_UNIT: a boundary of megabytes in one cell is read (past the 1 MB record limit of data value CSV)', async () => {
    const ring: number[][] = [];
    for (let i = 0; i < 150_000; i++) ring.push([-13 + (i % 1000) / 1000, 7 + Math.floor(i / 1000) / 1000]);
    ring.push(ring[0]!);
    const cell = JSON.stringify([[ring]]);
    expect(cell.length).toBeGreaterThan(2 << 20);
    const [o] = await objects('ORGANISATION_UNIT', `h\nBig,,,,,,,,,MULTI_POLYGON,"${cell}"\n`);
    expect((o!.geometry as { coordinates: number[][][][] }).coordinates[0]![0]).toHaveLength(150_001);
  });

  it('VALIDATION_RULE: importance, operator, period type (any case), both sides; column 6 ignored', async () => {
    const [o, d] = await objects(
      'VALIDATION_RULE',
      'h\nANC rule,,VR1,Desc,Instr,HIGH,ignored,less_than_or_equal_to,quarterly,#{a},Left,SKIP_IF_ANY_VALUE_MISSING,#{b},Right,NEVER_SKIP\nDefaults\n',
    );
    expect(o).toEqual({
      name: 'ANC rule', id: 'gen00000001', code: 'VR1', description: 'Desc', instruction: 'Instr', importance: 'HIGH', operator: 'less_than_or_equal_to', periodType: 'Quarterly',
      leftSide: { expression: '#{a}', description: 'Left', missingValueStrategy: 'SKIP_IF_ANY_VALUE_MISSING' },
      rightSide: { expression: '#{b}', description: 'Right', missingValueStrategy: 'NEVER_SKIP' },
    });
    expect(d).toMatchObject({ importance: 'MEDIUM', operator: 'equal_to', periodType: 'Monthly', leftSide: { missingValueStrategy: 'NEVER_SKIP' } });
    expect((await badFile('VALIDATION_RULE', 'h\nX,,,,,,,<=\n')).message).toMatch(/column 8 \(operator\): '<=' is not a validation rule operator/);
  });

  it('INDICATOR: decimals as DHIS2 reads them (not a number: 0), the indicator type only when stored', async () => {
    const [a, b] = await objects('INDICATOR', 'h\nInd A,,IA,Desc,IndA,#{d},Den,#{n},Num,true,2,itypeAAAAAA\nInd B,,,,,1,,1,,,x,itypeMISSING\n');
    expect(a).toEqual({
      name: 'Ind A', id: 'gen00000001', code: 'IA', description: 'Desc', shortName: 'IndA', denominator: '#{d}', denominatorDescription: 'Den', numerator: '#{n}',
      numeratorDescription: 'Num', annualized: true, decimals: 2, indicatorType: { id: 'itypeAAAAAA' },
    });
    expect(b).toMatchObject({ decimals: 0, annualized: false });
    expect(b!.indicatorType).toBeUndefined();
  });
});

describe('rows grouped into objects', () => {
  it('OPTION_SET: one row per option, grouped by set name (the last row gives the set), options linked to their set', async () => {
    const p = await parse('OPTION_SET', 'h\nColor,colorAAAAAA,COLOR,Blue,,BLUE\nColor,colorAAAAAA,COLOR,Green,optGreenAAA,GREEN\nSex,,,Male,,MALE\nSex,,,No code,,\n,,,No set,,X\n');
    const sets = p.records.filter((r) => r.type === 'optionSets').map((r) => r.object);
    const options = p.records.filter((r) => r.type === 'options').map((r) => r.object);
    expect(sets).toEqual([
      { name: 'Color', id: 'colorAAAAAA', code: 'COLOR', valueType: 'TEXT', options: [{ id: 'gen00000001' }, { id: 'optGreenAAA' }] },
      { name: 'Sex', id: 'gen00000003', valueType: 'TEXT', options: [{ id: 'gen00000002' }] },
    ]);
    expect(options).toEqual([
      { name: 'Blue', id: 'gen00000001', code: 'BLUE', optionSet: { id: 'colorAAAAAA' } },
      { name: 'Green', id: 'optGreenAAA', code: 'GREEN', optionSet: { id: 'colorAAAAAA' } },
      { name: 'Male', id: 'gen00000002', code: 'MALE', optionSet: { id: 'gen00000003' } },
    ]);
    expect(said(p.builder.skipped)).toEqual([{ line: 5, reason: 'no option code' }, { line: 6, reason: 'no option set name' }]);
    expect(p.records.map((r) => `${r.type}#${r.index}`)).toEqual(['optionSets#0', 'optionSets#1', 'options#0', 'options#1', 'options#2']);
    // the lines objects came from (a set: its first row), for the report's object reports
    expect(p.builder.lines.get('optionSets')).toEqual([2, 4]);
    expect(p.builder.lines.get('options')).toEqual([2, 3, 4]);
  });

  it('OPTION_GROUP: options of the stored set by uid or code, grouped by name; rows DHIS2 skips are listed', async () => {
    const p = await parse('OPTION_GROUP', 'h\nG1,grp1AAAAAAA,,g1,setAAAAAAAA,,A1\nG1,grp1AAAAAAA,,g1,setAAAAAAAA,optAAAAAAA2,\nG1,grp1AAAAAAA,,g1,setAAAAAAAA,,A1\nG2,,,,setAAAAAAAA,,A1\nG3,,,g3,setMISSING1,,A1\nG4,,,g4,setAAAAAAAA,,ZZ\n');
    expect(p.records.map((r) => r.object)).toEqual([{ name: 'G1', id: 'grp1AAAAAAA', shortName: 'g1', optionSet: { id: 'setAAAAAAAA' }, options: [{ id: 'optAAAAAAA1' }, { id: 'optAAAAAAA2' }] }]);
    expect(said(p.builder.skipped)).toEqual([
      { line: 5, reason: 'no short name' },
      { line: 6, reason: 'option set setMISSING1 does not exist' },
      { line: 7, reason: 'option ZZ is not an option of option set setAAAAAAAA' },
    ]);
  });

  it('OPTION_GROUP_SET: column 3 data dimension, 4 description (the code, not the docs); the set by uid or code must be stored', async () => {
    const p = await parse('OPTION_GROUP_SET', 'h\nS1,,,true,About,setAAAAAAAA\nS2,,,,,,SET_A\nS3,,,,,,NOPE\n');
    expect(p.records.map((r) => r.object)).toEqual([
      { name: 'S1', id: 'gen00000001', description: 'About', dataDimension: true, optionSet: { id: 'setAAAAAAAA' } },
      { name: 'S2', id: 'gen00000002', dataDimension: false, optionSet: { id: 'setAAAAAAAA' } },
    ]);
    expect(said(p.builder.skipped)).toEqual([{ line: 4, reason: 'option set NOPE does not exist' }]);
  });

  it('memberships: one group per stored group with only its name (and short name for org unit and data element groups) and the members listed', async () => {
    const text = 'h\ngrpAAAAAAAA,member00001\ngrpAAAAAAAA,member00002\ngrpAAAAAAAA,member00001\nmissingGrp1,member00003\ngrpBBBBBBBB,\n';
    const ou = await parse('ORGANISATION_UNIT_GROUP_MEMBERSHIP', text);
    expect(ou.records).toEqual([
      { type: 'organisationUnitGroups', index: 0, object: { id: 'grpAAAAAAAA', name: 'Group grpAAAAAAAA of organisationUnitGroups', shortName: 'G grpAAAAAAAA', organisationUnits: [{ id: 'member00001' }, { id: 'member00002' }] } },
    ]);
    expect(said(ou.builder.skipped)).toEqual([{ line: 5, reason: 'organisation unit group missingGrp1 does not exist' }, { line: 6, reason: 'no member UID' }]);
    expect((await objects('DATA_ELEMENT_GROUP_MEMBERSHIP', text))[0]).toMatchObject({ shortName: 'G grpAAAAAAAA', dataElements: [{ id: 'member00001' }, { id: 'member00002' }] });
    const ind = (await objects('INDICATOR_GROUP_MEMBERSHIP', text))[0]!;
    expect(ind).toEqual({ id: 'grpAAAAAAAA', name: 'Group grpAAAAAAAA of indicatorGroups', indicators: [{ id: 'member00001' }, { id: 'member00002' }] });
    expect((await objects('OPTION_GROUP_SET_MEMBERSHIP', text))[0]).toEqual({ id: 'grpAAAAAAAA', name: 'Group grpAAAAAAAA of optionGroupSets', optionGroups: [{ id: 'member00001' }, { id: 'member00002' }] });
  });
});

describe('writer', () => {
  const SAMPLES: Record<CsvClassKey, Record<string, unknown>> = {
    DATA_ELEMENT: { name: 'ANC, "first" visit', id: 'fbfJHSPpUQD', code: 'DE1', shortName: 'ANC1', description: 'Line\nbreak', formName: 'F', domainType: 'AGGREGATE', valueType: 'NUMBER', aggregationType: 'AVERAGE', categoryCombo: { id: 'catComboAAA' }, url: 'u', zeroIsSignificant: true, optionSet: { id: 'optSetAAAAA' }, commentOptionSet: { id: 'optSetBBBBB' } },
    DATA_ELEMENT_GROUP: { name: 'G', id: 'abcdefghij1', code: 'G', shortName: 'g' },
    CATEGORY_OPTION: { name: 'O', id: 'abcdefghij2', shortName: 'o' },
    CATEGORY: { name: 'C', id: 'abcdefghij3', code: 'C', shortName: 'C', description: 'd', dataDimensionType: 'ATTRIBUTE', dataDimension: true },
    CATEGORY_COMBO: { name: 'CC', id: 'abcdefghij4', dataDimensionType: 'DISAGGREGATION', skipTotal: false },
    CATEGORY_OPTION_GROUP: { name: 'COG', id: 'abcdefghij5', shortName: 'cog', dataDimensionType: 'ATTRIBUTE' },
    ORGANISATION_UNIT: { name: 'OU', id: 'abcdefghij6', code: 'OU', parent: { id: 'ImspTQPwCqd' }, shortName: 'ou', description: 'd', openingDate: '2001-02-03', closedDate: '2020-01-01', comment: 'c', geometry: { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] }, url: 'u', contactPerson: 'p', address: 'a', email: 'e@x.org', phoneNumber: '1' },
    ORGANISATION_UNIT_GROUP: { name: 'OUG', id: 'abcdefghij7', shortName: 'oug' },
    VALIDATION_RULE: { name: 'VR', id: 'abcdefghij8', description: 'd', instruction: 'i', importance: 'LOW', operator: 'not_equal_to', periodType: 'Yearly', leftSide: { expression: '#{a}', description: 'l', missingValueStrategy: 'NEVER_SKIP' }, rightSide: { expression: '0', missingValueStrategy: 'SKIP_IF_ALL_VALUES_MISSING' } },
    OPTION_SET: { name: 'OS', id: 'setAAAAAAAA', code: 'SET_A', valueType: 'TEXT', options: [{ id: 'optAAAAAAA1' }, { id: 'optAAAAAAA2' }] },
    OPTION_GROUP: { name: 'OG', id: 'grp1AAAAAAA', shortName: 'og', optionSet: { id: 'setAAAAAAAA' }, options: [{ id: 'optAAAAAAA1' }, { id: 'optAAAAAAA2' }] },
    OPTION_GROUP_SET: { name: 'OGS', id: 'abcdefghij9', description: 'd', dataDimension: true, optionSet: { id: 'setAAAAAAAA' } },
    INDICATOR: { name: 'I', id: 'abcdefghi10', description: 'd', shortName: 'i', denominator: '1', denominatorDescription: 'dd', numerator: '#{a}', numeratorDescription: 'nd', annualized: true, decimals: 3, indicatorType: { id: 'itypeAAAAAA' } },
    ORGANISATION_UNIT_GROUP_MEMBERSHIP: { id: 'grpAAAAAAAA', name: 'Group grpAAAAAAAA of organisationUnitGroups', shortName: 'G grpAAAAAAAA', organisationUnits: [{ id: 'member00001' }] },
    DATA_ELEMENT_GROUP_MEMBERSHIP: { id: 'grpAAAAAAAA', name: 'Group grpAAAAAAAA of dataElementGroups', shortName: 'G grpAAAAAAAA', dataElements: [{ id: 'member00001' }, { id: 'member00002' }] },
    INDICATOR_GROUP_MEMBERSHIP: { id: 'grpAAAAAAAA', name: 'Group grpAAAAAAAA of indicatorGroups', indicators: [{ id: 'member00001' }] },
    OPTION_GROUP_SET_MEMBERSHIP: { id: 'grpAAAAAAAA', name: 'Group grpAAAAAAAA of optionGroupSets', optionGroups: [{ id: 'member00001' }] },
  };
  const OPTIONS: Record<string, Record<string, unknown>> = {
    optAAAAAAA1: { name: 'A one', id: 'optAAAAAAA1', code: 'A1', optionSet: { id: 'setAAAAAAAA' } },
    optAAAAAAA2: { name: 'A two', id: 'optAAAAAAA2', code: 'A2', optionSet: { id: 'setAAAAAAAA' } },
  };
  const lookup = (t: string, uid: string): Record<string, unknown> | null => (t === 'options' ? (OPTIONS[uid] ?? null) : t === 'optionSets' && uid === 'setAAAAAAAA' ? SAMPLES.OPTION_SET : null);

  for (const k of CSV_CLASS_KEYS) {
    it(`${k}: the written rows read back to the same objects`, async () => {
      const text = csvHeaderLine(k) + csvRowsOf(k, SAMPLES[k], lookup).map(csvLine).join('');
      expect(text.split('\n')[0]).toBe(CSV_CLASSES[k].columns.map((c) => c.key).join(','));
      const back = (await parse(k, text)).records;
      expect(back.find((r) => r.type === CSV_CLASSES[k].type)?.object).toEqual(SAMPLES[k]);
      if (k === 'OPTION_SET') expect(back.filter((r) => r.type === 'options').map((r) => r.object)).toEqual(Object.values(OPTIONS));
    });
  }

  it('quotes fields holding commas, quotes and line breaks', () => {
    expect(csvLine(['a,b', 'say "hi"', 'x\ny', null, 'plain'])).toBe('"a,b","say ""hi""","x\ny",,plain\n');
  });

  it('a cell is blank as Java\'s isBlank says: white space yes, a no-break space no', async () => {
    const [o] = await objects('CATEGORY_OPTION', 'h\n\u00a0,\t, \u2003\n');
    expect(o).toEqual({ name: '\u00a0', id: 'gen00000001', shortName: '\u00a0' });
  });

  it('cellsOf gives a row as the preview shows it: defaults filled, long values cut', () => {
    expect(cellsOf('DATA_ELEMENT', ['Name', '', ' ', '', '', '', '', '', '', '', '', ''])).toEqual(['Name', null, null, 'Name', null, null, 'aggregate', 'INTEGER', 'SUM', null, null, 'false', null, null]);
  });
});
