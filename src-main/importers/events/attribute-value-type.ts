/**
 * E1007's second argument: the text DHIS2 2.42.0's tracker AttributeValidator.validateAttrValueType gives for a
 * tracked entity attribute value that is not of its type. DHIS2 checks only some value types there (the rest are
 * E1085's, from ValidationUtils.valueIsValid):
 *  - ORGANISATION_UNIT: " Value X is not a valid org unit value" when no such organisation unit (by uid);
 *  - USERNAME: whether the user exists on the server — not knowable offline, so not checked (as E1118);
 *  - IMAGE: whether the value is the uid of a stored image file — not knowable offline, not checked;
 *  - the rest through TrackedAttributeValidationService.validateValueType: a value over 50,000 characters, then the
 *    first failing check of the type (NUMBER, BOOLEAN, DATE twice, TRUE_ONLY, DATETIME), worded "Value '<first 30
 *    characters>' is not … for attribute <uid> " (the trailing space is DHIS2's).
 * A DATE value Joda cannot parse makes DateUtils.parseDate throw, and DHIS2 reports the exception's message instead
 * (`Invalid format: "heavy"`, `… is malformed at "x"`, `Cannot parse "2024-13-01": Value 13 for monthOfYear must be in
 * the range [1,12]`): reproduced for the usual shapes, not for every one of Joda's parsers.
 */

import { MAX_VALUE_LENGTH, isNumericText } from '../../../src-shared/dhis2/value-types.ts';

/** DHIS2's tracker Constant.ATTRIBUTE_VALUE_MAX_LENGTH (the same 50,000 as a data value's) */
const ATTRIBUTE_VALUE_MAX_LENGTH = MAX_VALUE_LENGTH;
/** MathUtils.isNumeric */
const isNumeric = isNumericText;

const DATE_TIME_FORMS = [
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}(Z|[+-]\d{2}:?\d{2})$/,
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:?\d{2})?$/,
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{4}(Z|[+-]\d{2}:?\d{2})?$/,
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:?\d{2})?$/,
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?$/,
  /^\d{4}-\d{2}-\d{2}T\d{2}(Z|[+-]\d{2}:?\d{2})?$/,
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})$/,
];

const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** fields in range (Joda's ISO chronology), else the IllegalFieldValueException's message */
function fieldRangeError(v: string, y: number, mo?: number, d?: number, h?: number, mi?: number, s?: number): string | null {
  const bad = (value: number, field: string, lo: number, hi: number) => `Cannot parse "${v}": Value ${value} for ${field} must be in the range [${lo},${hi}]`;
  if (mo != null && (mo < 1 || mo > 12)) return bad(mo, 'monthOfYear', 1, 12);
  if (d != null && (d < 1 || d > daysIn(y, mo ?? 1))) return bad(d, 'dayOfMonth', 1, daysIn(y, mo ?? 1));
  if (h != null && h > 23) return bad(h, 'hourOfDay', 0, 23);
  if (mi != null && mi > 59) return bad(mi, 'minuteOfHour', 0, 59);
  if (s != null && s > 59) return bad(s, 'secondOfMinute', 0, 59);
  return null;
}

/** DateUtils.dateTimeIsValid: one of DHIS2's date-time forms, fields in range */
function dateTimeIsValid(v: string): boolean {
  if (!DATE_TIME_FORMS.some((re) => re.test(v))) return false;
  const n = v.match(/\d+/g)!.map(Number);
  return fieldRangeError(v, n[0]!, n[1], n[2], n[3], n[4], n[5]) == null;
}

/** DateUtils.parseDate: null when parsed, else the exception's message (Joda) */
function parseDateError(v: string): string | null {
  const dateOnly = /^(\d{4})(\d{2})(\d{2})$|^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(v);
  if (dateOnly) {
    const y = +(dateOnly[1] ?? dateOnly[4]!);
    const mo = dateOnly[2] ?? dateOnly[5];
    const d = dateOnly[3] ?? dateOnly[6];
    return fieldRangeError(v, y, mo == null ? undefined : +mo, d == null ? undefined : +d);
  }
  if (DATE_TIME_FORMS.some((re) => re.test(v))) {
    const n = v.match(/\d+/g)!.map(Number);
    return fieldRangeError(v, n[0]!, n[1], n[2], n[3], n[4], n[5]);
  }
  const prefix = /^\d{4}(?:-\d{1,2}(?:-\d{1,2}(?:T\d{2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?)?)?)?/.exec(v)?.[0] ?? '';
  return prefix === '' ? `Invalid format: "${v}"` : `Invalid format: "${v}" is malformed at "${v.slice(prefix.length)}"`;
}

/** DateUtils.dateIsValid: yyyy-MM-dd (anything after it), a day of the calendar */
function dateIsValid(v: string): boolean {
  const m = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-2])(.*)$/s.exec(v);
  if (!m || !/\w$/.test(v)) return false;
  return +m[3]! <= daysIn(+m[1]!, +m[2]!);
}

/**
 * The E1007 error text of an attribute value (null: no E1007). `orgUnitExists` answers whether an organisation unit
 * has that uid.
 */
export function attributeValueTypeError(valueType: string, value: string, attributeUid: string, orgUnitExists: (uid: string) => boolean): string | null {
  if (valueType === 'ORGANISATION_UNIT') return orgUnitExists(value) ? null : ` Value ${value} is not a valid org unit value`;
  if (valueType === 'USERNAME' || valueType === 'IMAGE') return null;
  if (value.length > ATTRIBUTE_VALUE_MAX_LENGTH) return `Value length is greater than ${ATTRIBUTE_VALUE_MAX_LENGTH} chars for attribute ${attributeUid}`;
  const say = (what: string) => `Value '${value.slice(0, 30)}' ${what} for attribute ${attributeUid} `;
  switch (valueType) {
    case 'NUMBER':
      return isNumeric(value) ? null : say('is not a valid numeric type');
    case 'BOOLEAN':
      return value === 'true' || value === 'false' ? null : say('is not a valid boolean type');
    case 'DATE': {
      const thrown = parseDateError(value);
      if (thrown) return thrown;
      return dateIsValid(value) ? null : say('is not a valid date');
    }
    case 'TRUE_ONLY':
      return value === 'true' ? null : say('is not true (true-only type)');
    case 'DATETIME':
      return dateTimeIsValid(value) ? null : say('is not a valid datetime');
    default:
      return null;
  }
}
