import { describe, expect, it } from 'vitest';
import { isNumericType, isZero, normalizeBoolean, validateValue } from '../../../src-shared/dhis2/value-types.ts';

describe('validateValue (spec §1.9)', () => {
  const table: [string, string[], string[], string][] = [
    // type, valid, invalid, error key
    ['NUMBER', ['0', '-0', '12', '-3.5', '10.25'], ['01', '1.', '+1', '1e3', 'abc', ' 1'], 'value_not_numeric'],
    ['INTEGER', ['0', '5', '-42', '2147483647'], ['1.5', '05', '-0', '2147483648', 'x'], 'value_not_integer'],
    ['INTEGER_POSITIVE', ['1', '99'], ['0', '-1', '1.0'], 'value_not_positive_integer'],
    ['INTEGER_NEGATIVE', ['-1', '-99'], ['0', '1'], 'value_not_negative_integer'],
    ['INTEGER_ZERO_OR_POSITIVE', ['0', '7'], ['-1', '00', '1.2'], 'value_not_zero_or_positive_integer'],
    ['PERCENTAGE', ['0', '100', '55.5'], ['100.1', '-1'], 'value_not_percentage'],
    ['UNIT_INTERVAL', ['0', '1', '0.25'], ['1.01', '-0.5'], 'value_not_unit_interval'],
    ['BOOLEAN', ['true', 'false', 'TRUE', 'False'], ['yes', 'not true'], 'value_not_bool'],
    ['TRUE_ONLY', ['true', 'TRUE'], ['false', 'test'], 'value_not_true_only'],
    ['DATE', ['2024-02-29', '2024-01-01T10:00'], ['2023-02-29', '2024/01/01', '01-01-2024'], 'value_not_valid_date'],
    ['DATETIME', ['2024-01-01T10:00', '2024-01-01T10:00:00.000Z', '2024-01-01 10:00:00Z'], ['2024-01-01', 'now'], 'value_not_valid_datetime'],
    ['TIME', ['9:30', '23:59'], ['24:00', '9.30'], 'value_not_valid_time'],
    ['LETTER', ['a', 'Z', 'é'], ['ab', '1'], 'value_not_valid_letter'],
    ['PHONE_NUMBER', ['+255 123 456', '(021) 555-1234'], ['12', 'call me'], 'value_not_valid_phone_number'],
    ['EMAIL', ['a.b@example.org'], ['a@b', 'not an email'], 'value_not_valid_email'],
    ['URL', ['https://dhis2.org/x'], ['dhis2 dot org'], 'value_not_url'],
    ['COORDINATE', ['[-11.5,8.2]'], ['[200,1]', '1,2'], 'value_not_coordinate'],
    ['FILE_RESOURCE', ['abcdefghijk'], ['short'], 'value_not_valid_file_resource_uid'],
    ['USERNAME', ['admin', 'john.doe'], ['ab', '.admin', 'a..b'], 'value_not_valid_username'],
  ];
  for (const [type, ok, bad, key] of table) {
    it(type, () => {
      for (const v of ok) expect(validateValue(type, v), `${type} ${v}`).toBeNull();
      for (const v of bad) expect(validateValue(type, v), `${type} ${v}`).toBe(key);
    });
  }
  it('TEXT accepts anything up to 50,000 characters', () => {
    expect(validateValue('TEXT', 'anything, "quoted"\nnew line')).toBeNull();
    expect(validateValue('TEXT', 'x'.repeat(50_001))).toBe('value_length_greater_than_max_length');
  });
  it('MULTI_TEXT needs an option set', () => {
    expect(validateValue('MULTI_TEXT', 'A,B', false)).toBe('data_element_lacks_option_set');
    expect(validateValue('MULTI_TEXT', 'A,B', true)).toBeNull();
  });
});

describe('normalizeBoolean', () => {
  it('maps DHIS2 spellings to true/false', () => {
    for (const v of ['true', 'True', 'TRUE', 't', 'T', '1']) expect(normalizeBoolean('BOOLEAN', v)).toBe('true');
    for (const v of ['false', 'False', 'FALSE', 'f', 'F', '0']) expect(normalizeBoolean('BOOLEAN', v)).toBe('false');
    expect(normalizeBoolean('BOOLEAN', 'test')).toBe('test');
  });
  it('TRUE_ONLY normalises only the true set', () => {
    expect(normalizeBoolean('TRUE_ONLY', '1')).toBe('true');
    expect(normalizeBoolean('TRUE_ONLY', 'false')).toBe('false');
    expect(validateValue('TRUE_ONLY', normalizeBoolean('TRUE_ONLY', '0'))).toBe('value_not_true_only');
  });
  it('leaves other types alone', () => expect(normalizeBoolean('INTEGER', '1')).toBe('1'));
});

describe('zero values', () => {
  it('recognises DHIS2 zeros', () => {
    for (const v of ['0', '0.0', '0.', '0.000']) expect(isZero(v), v).toBe(true);
    for (const v of ['00', '-0.1', '10', '0.01']) expect(isZero(v), v).toBe(false);
  });
  it('knows the numeric types', () => {
    expect(isNumericType('INTEGER_POSITIVE')).toBe(true);
    expect(isNumericType('TEXT')).toBe(false);
    expect(isNumericType('BOOLEAN')).toBe(false);
  });
});
