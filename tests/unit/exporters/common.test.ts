import { describe, expect, it } from 'vitest';
import { asBool, asStringList, dhis2Timestamp, orderTypes } from '../../../src-main/exporters/common.ts';
import { normalizeScheme } from '../../../src-main/exporters/id-maps.ts';
import { parseDataIdSchemes } from '../../../src-main/exporters/data.ts';

describe('export option helpers', () => {
  it('turns stored timestamps into DHIS2 export form (UTC, milliseconds, +0000)', () => {
    expect(dhis2Timestamp('2024-03-05T10:11:12.345Z')).toBe('2024-03-05T10:11:12.345+0000');
    expect(dhis2Timestamp('2024-03-05T10:11:12.000+0000')).toBe('2024-03-05T10:11:12.000+0000');
    expect(dhis2Timestamp('2024-03-05T12:11:12+02:00')).toBe('2024-03-05T10:11:12.000+0000');
    expect(dhis2Timestamp('2024-03-05T10:11:12.1')).toBe('2024-03-05T10:11:12.100+0000');
    expect(dhis2Timestamp('2024-03-05')).toBe('2024-03-05T00:00:00.000+0000');
    expect(dhis2Timestamp(null)).toBeNull();
    expect(dhis2Timestamp('not a date')).toBe('not a date');
  });

  it('reads CLI and API option shapes alike', () => {
    expect(asStringList(['a,b', ' c '])).toEqual(['a', 'b', 'c']);
    expect(asStringList('x')).toEqual(['x']);
    expect(asStringList(undefined)).toEqual([]);
    expect(asBool('true')).toBe(true);
    expect(asBool('false')).toBe(false);
    expect(asBool(true)).toBe(true);
  });

  it('orders types so references come after their targets', () => {
    expect(orderTypes(['dataSets', 'dataElements', 'categoryCombos', 'zzCustom', 'categoryOptions'])).toEqual([
      'categoryOptions', 'categoryCombos', 'dataElements', 'dataSets', 'zzCustom',
    ]);
  });

  it('id schemes: DHIS2 defaults (UID; CODE for ADX), specific over generic, AOC follows COC', () => {
    expect(parseDataIdSchemes({}, 'json')).toMatchObject({ dataElement: 'UID', orgUnit: 'UID', categoryOptionCombo: 'UID', attributeOptionCombo: 'UID' });
    expect(parseDataIdSchemes({}, 'adx')).toMatchObject({ dataElement: 'CODE', dataSet: 'CODE', category: 'CODE', categoryOption: 'CODE' });
    expect(parseDataIdSchemes({ idScheme: 'name', orgUnitIdScheme: 'CODE', categoryOptionComboIdScheme: 'code' }, 'csv')).toMatchObject({
      dataElement: 'NAME', orgUnit: 'CODE', categoryOptionCombo: 'CODE', attributeOptionCombo: 'CODE',
    });
    expect(normalizeScheme('attribute:Attr0000001', 'UID')).toBe('ATTRIBUTE:Attr0000001');
    expect(() => normalizeScheme('SHORTNAME', 'UID')).toThrow(/Unknown id scheme/);
  });
});
