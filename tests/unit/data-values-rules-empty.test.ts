/**
 * Empty values and empty comments, exactly as DHIS2 2.42 counts and reports them. Every case is one data value imported
 * over a key that holds nothing, a live value (5, no comment) or a soft-deleted one, through import:start (the CLI's
 * path). The DHIS2 code path each case follows (dhis2-core 2.42.0, dhis-service-dxf2):
 *
 *   E7618  DataValueSetImportValidator.validateDataValueIsDefined — `getValue() == null && getComment() == null`, the
 *          raw values (so "" is not null), not for deleted=true rows or the DELETE strategy
 *   E7621  DataValueSetImportValidator.validateDataValueOptionsExist — the raw value looked up among the option codes,
 *          also when it is null or "" (non MULTI_TEXT); MULTI_TEXT splits null into no codes, "" into one empty code
 *   zero   DefaultDataValueSetService.importDataValue — `dataValueIsZeroAndInsignificant && (existingValue == null ||
 *          strategy.isCreate())` → skipValue (counted nowhere); findObject also finds soft-deleted rows
 *   live   saveDataValueUpdate — internal value (value and comment trimmed to null) null, deleted=true or an
 *          insignificant zero → deleted; same value, comment and followup → ignored; else updated
 *   none   saveDataValueCreate — internal value null → ignored (not in rejectedIndexes); a soft-deleted row is
 *          undeleted (imported); else imported
 *   other  CREATE over a live value, UPDATE/DELETE over none → ignored and listed in rejectedIndexes
 *   storedBy ImportContext.getStoredBy — a blank storedBy is the importing user
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ferry } from '../../src-main/services/context.ts';
import { CSV_HEADER, SMALL_METADATA, freshFerry, loadMetadata, runImport, storedValues, writeFile } from './importers/data-values/helpers.ts';

let ferry: Ferry;
let dir: string;
beforeEach(() => {
  ({ ferry, dir } = freshFerry('inline'));
  loadMetadata(ferry.db, SMALL_METADATA);
  loadMetadata(ferry.db, {
    dataElements: [{ id: 'DeMulti0001', name: 'Colours', code: 'DE_MULTI', valueType: 'MULTI_TEXT', optionSet: { id: 'OsColor0001' }, categoryCombo: { id: 'bjDvmb4bfuf' } }],
  });
});
afterEach(async () => {
  await ferry.close();
});

type Existing = 'none' | 'live' | 'deleted';
type Row = Record<string, unknown>;

async function importJson(rows: Row[], options: Record<string, unknown> = {}, name = 'v.json') {
  const f = writeFile(dir, name, JSON.stringify({ dataValues: rows.map((r) => ({ period: '202401', orgUnit: 'OuClinicA01', ...r })) }));
  const r = await runImport(ferry, [f], options);
  expect(r.error).toBeNull();
  return r.summary!;
}

/** The stored row of the case's key (deleted ones too), or undefined. */
function stored(de: string) {
  return storedValues(ferry.db, { includeDeleted: true }).find((v) => v.dataElement === de && v.period === '202401' && v.orgUnit === 'OuClinicA01');
}

async function prepare(de: string, existing: Existing, live = '5'): Promise<void> {
  if (existing === 'none') return;
  const coc = de === 'DeNumber001' ? { categoryOptionCombo: 'CocMale0001' } : {};
  await importJson([{ dataElement: de, ...coc, value: live }], {}, 'seed.json');
  if (existing === 'deleted') await importJson([{ dataElement: de, ...coc, value: '' }], {}, 'seed-del.json');
  expect(stored(de)).toMatchObject({ value: live, deleted: existing === 'deleted' ? 1 : 0 });
}

interface Case {
  name: string;
  de?: string;
  existing: Existing;
  row: Row;
  strategy?: string;
  /** the single value's count bucket ('none' = counted nowhere) */
  counted: 'imported' | 'updated' | 'ignored' | 'deleted' | 'none';
  /** in rejectedIndexes */
  rejected?: boolean;
  conflict?: [string, string];
  /** what the key holds afterwards: undefined = no row at all */
  after?: { value: string | null; comment: string | null; deleted: 0 | 1 } | undefined;
}

const LIVE = { value: '5', comment: null, deleted: 0 } as const;
const DELETED = { value: '5', comment: null, deleted: 1 } as const;

const CASES: Case[] = [
  // value="" and comment="": both trim to null — a null value: deletes a live value, ignored (not rejected) otherwise
  { name: 'value "" comment "" over nothing', existing: 'none', row: { value: '', comment: '' }, counted: 'ignored' },
  { name: 'value "" comment "" over a live value', existing: 'live', row: { value: '', comment: '' }, counted: 'deleted', after: DELETED },
  { name: 'value "" comment "" over a deleted value', existing: 'deleted', row: { value: '', comment: '' }, counted: 'ignored', after: DELETED },
  // no value at all and no comment: E7618 before any outcome
  { name: 'no value, no comment over nothing', existing: 'none', row: {}, counted: 'ignored', rejected: true, conflict: ['E7618', 'Data value or comment not specified for data element: `DeText00001`'] },
  { name: 'no value, no comment over a live value', existing: 'live', row: {}, counted: 'ignored', rejected: true, conflict: ['E7618', 'Data value or comment not specified for data element: `DeText00001`'], after: LIVE },
  { name: 'value "" without comment over nothing', existing: 'none', row: { value: '' }, counted: 'ignored' },
  { name: 'value "" without comment over a live value', existing: 'live', row: { value: '' }, counted: 'deleted', after: DELETED },
  { name: 'blank value without comment over a live value', existing: 'live', row: { value: '   ' }, counted: 'deleted', after: DELETED },
  { name: 'no value, comment "" over a live value (not E7618: "" is not null)', existing: 'live', row: { comment: '' }, counted: 'deleted', after: DELETED },
  // a comment only
  { name: 'comment only over nothing', existing: 'none', row: { comment: 'seen' }, counted: 'imported', after: { value: null, comment: 'seen', deleted: 0 } },
  { name: 'comment only over a live value', existing: 'live', row: { comment: 'seen' }, counted: 'updated', after: { value: null, comment: 'seen', deleted: 0 } },
  { name: 'comment only over a deleted value', existing: 'deleted', row: { comment: 'seen' }, counted: 'imported', after: { value: null, comment: 'seen', deleted: 0 } },
  { name: 'value "" and a comment over a live value', existing: 'live', row: { value: '', comment: 'why' }, counted: 'updated', after: { value: null, comment: 'why', deleted: 0 } },
  // deleted=true and the DELETE strategy
  { name: 'deleted=true with a value over a live value', existing: 'live', row: { value: '7', deleted: true }, counted: 'deleted', after: DELETED },
  { name: 'deleted=true without value over nothing', existing: 'none', row: { deleted: true }, counted: 'ignored' },
  { name: 'DELETE without value over a live value', existing: 'live', row: {}, strategy: 'DELETE', counted: 'deleted', after: DELETED },
  { name: 'DELETE without value over nothing', existing: 'none', row: {}, strategy: 'DELETE', counted: 'ignored', rejected: true },
  { name: 'DELETE without value over a deleted value', existing: 'deleted', row: {}, strategy: 'DELETE', counted: 'ignored', rejected: true, after: DELETED },
  { name: 'UPDATE with value "" over nothing', existing: 'none', row: { value: '' }, strategy: 'UPDATE', counted: 'ignored', rejected: true },
  { name: 'CREATE with value "" over a live value', existing: 'live', row: { value: '' }, strategy: 'CREATE', counted: 'ignored', rejected: true, after: LIVE },
  // insignificant zeros (DeNumber001: NUMBER, zeroIsSignificant false, SUM)
  { name: 'zero over nothing', de: 'DeNumber001', existing: 'none', row: { value: '0' }, counted: 'none' },
  { name: 'zero over a live value', de: 'DeNumber001', existing: 'live', row: { value: '0.0' }, counted: 'deleted', after: DELETED },
  { name: 'zero over a deleted value (undeleted with 0)', de: 'DeNumber001', existing: 'deleted', row: { value: '0' }, counted: 'imported', after: { value: '0', comment: null, deleted: 0 } },
  { name: 'zero with UPDATE over a deleted value', de: 'DeNumber001', existing: 'deleted', row: { value: '0' }, strategy: 'UPDATE', counted: 'ignored', rejected: true, after: DELETED },
  { name: 'zero with CREATE over a live value', de: 'DeNumber001', existing: 'live', row: { value: '0' }, strategy: 'CREATE', counted: 'none', after: LIVE },
  { name: 'zero with a comment over nothing (still skipped)', de: 'DeNumber001', existing: 'none', row: { value: '0', comment: 'none seen' }, counted: 'none' },
  { name: 'significant zero over nothing', de: 'DeInteger01', existing: 'none', row: { value: '0' }, counted: 'imported', after: { value: '0', comment: null, deleted: 0 } },
  // option sets: 2.42 looks up the value as given, also an absent or empty one
  { name: 'option set: comment only', de: 'DeColour001', existing: 'none', row: { comment: 'x' }, counted: 'ignored', rejected: true, conflict: ['E7621', 'Data value is not a valid option of the data element option set: `DeColour001`'] },
  { name: 'option set: value "" over a live value (no delete)', de: 'DeColour001', existing: 'live', row: { value: '' }, counted: 'ignored', rejected: true, conflict: ['E7621', 'Data value is not a valid option of the data element option set: `DeColour001`'], after: { value: 'RED', comment: null, deleted: 0 } },
  { name: 'option set: DELETE without value', de: 'DeColour001', existing: 'live', row: {}, strategy: 'DELETE', counted: 'ignored', rejected: true, conflict: ['E7621', 'Data value is not a valid option of the data element option set: `DeColour001`'], after: { value: 'RED', comment: null, deleted: 0 } },
  { name: 'option set: a code', de: 'DeColour001', existing: 'live', row: { value: 'BLUE' }, counted: 'updated', after: { value: 'BLUE', comment: null, deleted: 0 } },
  { name: 'MULTI_TEXT: comment only (no codes)', de: 'DeMulti0001', existing: 'none', row: { comment: 'x' }, counted: 'imported', after: { value: null, comment: 'x', deleted: 0 } },
  { name: 'MULTI_TEXT: value "" (one empty code)', de: 'DeMulti0001', existing: 'none', row: { value: '' }, counted: 'ignored', rejected: true, conflict: ['E7621', 'Data value is not a valid option of the data element option set: `DeMulti0001`'] },
];

describe('empty value and empty comment (DHIS2 2.42 DefaultDataValueSetService + DataValueSetImportValidator)', () => {
  it.each(CASES)('$name', async (c) => {
    const de = c.de ?? 'DeText00001';
    const live = de === 'DeColour001' ? 'RED' : '5';
    await prepare(de, c.existing, live);
    const coc = de === 'DeNumber001' ? { categoryOptionCombo: 'CocMale0001' } : {};
    const s = await importJson([{ dataElement: de, ...coc, ...c.row }], c.strategy ? { importStrategy: c.strategy } : {});
    const count = { imported: 0, updated: 0, ignored: 0, deleted: 0 };
    if (c.counted !== 'none') count[c.counted] = 1;
    expect(s.importCount).toEqual(count);
    expect(s.rejectedIndexes).toEqual(c.rejected ? [0] : []);
    expect(s.conflicts.map((x) => [x.errorCode, x.value])).toEqual(c.conflict ? [c.conflict] : []);
    expect(s.status).toBe(c.conflict ? 'WARNING' : 'SUCCESS');
    const after = c.after === undefined ? (c.existing === 'none' ? undefined : c.existing === 'live' ? { ...LIVE, value: live } : { ...DELETED, value: live }) : c.after;
    const row = stored(de);
    if (c.after === undefined && c.existing === 'none') expect(row).toBeUndefined();
    else expect(row && { value: row.value, comment: row.comment, deleted: row.deleted }).toEqual(after);
  });
});

describe('CSV rows always carry a value and a comment (DHIS2 reads an empty column as "")', () => {
  it('an empty value and comment deletes a live value and is ignored (not rejected) where there is none; never E7618', async () => {
    await prepare('DeText00001', 'live');
    const f = writeFile(dir, 'e.csv', [CSV_HEADER, 'DeText00001,202401,OuClinicA01,,,,,,,,', 'DeText00001,202402,OuClinicA01,,,,,,,,', 'DeText00001,202403,OuClinicA01'].join('\n') + '\n');
    const r = await runImport(ferry, [f]);
    expect(r.summary!.importCount).toEqual({ imported: 0, updated: 0, ignored: 2, deleted: 1 });
    expect(r.summary!.conflicts).toEqual([]);
    expect(r.summary!.rejectedIndexes).toEqual([]);
    expect(stored('DeText00001')).toMatchObject({ value: '5', deleted: 1 });
  });

  it('a blank storedBy is the importing user; a given one is kept', async () => {
    const s = await importJson([
      { dataElement: 'DeText00001', value: 'a', storedBy: '  ' },
      { dataElement: 'DeInteger01', value: '1', storedBy: 'nurse' },
    ]);
    expect(s.importCount.imported).toBe(2);
    const rows = storedValues(ferry.db);
    expect(rows.map((v) => [v.dataElement, v.storedBy])).toEqual([['DeInteger01', 'nurse'], ['DeText00001', 'tester']]);
  });
});

describe('an absent followup is false (DataValueEntry.getFollowup is a primitive boolean in 2.42)', () => {
  it('updates a value marked for follow-up when the row repeats it without followup, and clears the mark', async () => {
    await importJson([{ dataElement: 'DeText00001', value: 'a', followup: true }], {}, 'seed.json');
    expect(stored('DeText00001')!.followup).toBe(1);
    const s = await importJson([{ dataElement: 'DeText00001', value: 'a' }]);
    expect(s.importCount).toEqual({ imported: 0, updated: 1, ignored: 0, deleted: 0 });
    expect(stored('DeText00001')!.followup).toBe(0);
    const again = await importJson([{ dataElement: 'DeText00001', value: 'a' }], {}, 'again.json');
    expect(again.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 });
  });
});

describe('DXF2 XML: an attribute left out is null, value="" is empty', () => {
  it('value="" comment="" deletes a live value; a dataValue without value and comment attributes is E7618', async () => {
    await prepare('DeText00001', 'live');
    const f = writeFile(dir, 'e.xml', `<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">
  <dataValue dataElement="DeText00001" period="202401" orgUnit="OuClinicA01" value="" comment=""/>
  <dataValue dataElement="DeText00001" period="202402" orgUnit="OuClinicA01"/>
  <dataValue dataElement="DeText00001" period="202403" orgUnit="OuClinicA01" comment="only a comment"/>
</dataValueSet>`);
    const r = await runImport(ferry, [f]);
    expect(r.summary!.importCount).toEqual({ imported: 1, updated: 0, ignored: 1, deleted: 1 });
    expect(r.summary!.conflicts.map((c) => [c.errorCode, c.indexes])).toEqual([['E7618', [1]]]);
    expect(stored('DeText00001')).toMatchObject({ value: '5', deleted: 1 });
  });
});
