/**
 * Data value validation by value type (spec §1.9, DHIS2 `ValidationUtils.valueIsValid`) and boolean normalisation
 * (spec §1.7 step c). `validateValue` returns null when valid, else DHIS2's i18n key (used in E7619 messages).
 */
import { isValidUid } from './uid.ts';

export const MAX_VALUE_LENGTH = 50_000;

const NUMERIC = new Set(['NUMBER', 'UNIT_INTERVAL', 'PERCENTAGE', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE']);
export function isNumericType(valueType: string): boolean {
  return NUMERIC.has(valueType);
}

const RE_NUMBER = /^(-?0|-?[1-9]\d*)(\.\d+)?$/;
const RE_INT = /^(0|-?[1-9]\d*)$/;
const RE_INT_POS = /^[1-9]\d*$/;
const RE_INT_NEG = /^-[1-9]\d*$/;
const RE_INT_ZERO_POS = /(^0$)|(^[1-9]\d*$)/;
const RE_PHONE = /^[0-9+()#.\s/ext-]{6,50}$/;
const RE_DATE = /\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-2])(.*)\b/;
const RE_DATETIME = [
  /^\d{4}-\d{2}-\d{2}T\d{2}(:\d{2}(:\d{2}(\.\d{3,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/,
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(Z|[+-]\d{2}(:?\d{2})?)$/,
];
const RE_TIME = /^([0-9]|0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$/;
const RE_USERNAME = /^(?=.{4,255}$)(?![-_.@])(?!.*[-_.@]{2})[-_.@a-zA-Z0-9]+(?<![-_.@])$/;
/**
 * Apache Commons' EmailValidator (ValidationUtils.emailIsValid, used by every DHIS2 validator), approximated: a local part
 * of dot-separated atoms (or a quoted string) without spaces, controls or specials, `@`, a domain of letter/digit/hyphen
 * labels ending in an alphabetic top-level label.
 */
const RE_EMAIL = /^(?:[^\s\p{Cc}()<>@,;:'\\".[\]]+|"(?:\\"|[^"])*")(?:\.(?:[^\s\p{Cc}()<>@,;:'\\".[\]]+|"(?:\\"|[^"])*"))*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/u;
const RE_COORDINATE = /^\[\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\]$/;
const RE_LETTER = /^\p{L}$/u;
const RE_ZERO = /^0(\.0*)?$/;

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const inInt = (v: string): boolean => {
  const n = Number(v);
  return n >= INT_MIN && n <= INT_MAX;
};

/**
 * The value patterns DHIS2's validators share (ValidationUtils, MathUtils, DefaultAttributeValidator, the tracker's
 * attribute checks): data values, metadata attribute values and tracked entity attributes use these, each validator
 * keeping only its own wording and its own differences (e.g. the attribute validator's case-sensitive booleans).
 */
export const isNumericText = (v: string): boolean => v.length < 250 && RE_NUMBER.test(v);
export const isIntegerText = (v: string): boolean => RE_INT.test(v) && inInt(v);
export const isPositiveIntegerText = (v: string): boolean => RE_INT_POS.test(v) && inInt(v);
export const isNegativeIntegerText = (v: string): boolean => RE_INT_NEG.test(v) && inInt(v);
export const isZeroOrPositiveIntegerText = (v: string): boolean => RE_INT_ZERO_POS.test(v) && inInt(v);
export const isPhoneNumber = (v: string): boolean => RE_PHONE.test(v);
export const isEmail = (v: string): boolean => v.length <= 320 && RE_EMAIL.test(v);

function validDate(v: string): boolean {
  const m = RE_DATE.exec(v);
  if (!m) return false;
  const y = +m[1]!, mo = +m[2]!, d = +m[3]!;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCDate() === d && t.getUTCMonth() === mo - 1;
}

function validUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return ['http:', 'https:', 'ftp:'].includes(u.protocol) && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * Validates a (trimmed, non-empty) value against a DHIS2 value type. Returns null when valid, else the i18n key
 * DHIS2 reports. `hasOptionSet` matters for MULTI_TEXT only.
 */
export function validateValue(valueType: string, value: string, hasOptionSet = false): string | null {
  if (value.length > MAX_VALUE_LENGTH) return 'value_length_greater_than_max_length';
  switch (valueType) {
    case 'INTEGER':
      return isIntegerText(value) ? null : 'value_not_integer';
    case 'INTEGER_POSITIVE':
      return isPositiveIntegerText(value) ? null : 'value_not_positive_integer';
    case 'INTEGER_NEGATIVE':
      return isNegativeIntegerText(value) ? null : 'value_not_negative_integer';
    case 'INTEGER_ZERO_OR_POSITIVE':
      return isZeroOrPositiveIntegerText(value) ? null : 'value_not_zero_or_positive_integer';
    case 'NUMBER':
      return isNumericText(value) ? null : 'value_not_numeric';
    case 'UNIT_INTERVAL': {
      if (!isNumericText(value)) return 'value_not_numeric';
      const n = Number(value);
      return n >= 0 && n <= 1 ? null : 'value_not_unit_interval';
    }
    case 'PERCENTAGE': {
      if (!isNumericText(value)) return 'value_not_numeric';
      const n = Number(value);
      return n >= 0 && n <= 100 ? null : 'value_not_percentage';
    }
    case 'BOOLEAN': {
      const l = value.toLowerCase();
      return l === 'true' || l === 'false' ? null : 'value_not_bool';
    }
    case 'TRUE_ONLY':
      return value.toLowerCase() === 'true' ? null : 'value_not_true_only';
    case 'LETTER':
      return RE_LETTER.test(value) ? null : 'value_not_valid_letter';
    case 'DATE':
    case 'AGE':
      return validDate(value) ? null : 'value_not_valid_date';
    case 'DATETIME':
      return RE_DATETIME.some((r) => r.test(value)) && validDate(value.slice(0, 10)) ? null : 'value_not_valid_datetime';
    case 'TIME':
      return RE_TIME.test(value) ? null : 'value_not_valid_time';
    case 'PHONE_NUMBER':
      return isPhoneNumber(value) ? null : 'value_not_valid_phone_number';
    case 'EMAIL':
      return isEmail(value) ? null : 'value_not_valid_email';
    case 'URL':
      return validUrl(value) ? null : 'value_not_url';
    case 'COORDINATE': {
      const m = RE_COORDINATE.exec(value);
      if (!m) return 'value_not_coordinate';
      const lng = Number(m[1]), lat = Number(m[2]);
      return lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90 ? null : 'value_not_coordinate';
    }
    case 'FILE_RESOURCE':
    case 'IMAGE':
      return isValidUid(value) ? null : 'value_not_valid_file_resource_uid';
    case 'ORGANISATION_UNIT':
      return isValidUid(value) ? null : 'value_not_valid_organisation_unit_uid';
    case 'USERNAME':
      return RE_USERNAME.test(value) ? null : 'value_not_valid_username';
    case 'MULTI_TEXT':
      return hasOptionSet ? null : 'data_element_lacks_option_set';
    default:
      // TEXT, LONG_TEXT, TRACKER_ASSOCIATE, REFERENCE, GEOJSON and unknown types: anything
      return null;
  }
}

/**
 * DHIS2's boolean normalisation for BOOLEAN and TRUE_ONLY values: true|True|TRUE|t|T|1 → 'true';
 * false|False|FALSE|f|F|0 → 'false' (BOOLEAN only). Anything else is returned unchanged (and will fail validation).
 */
export function normalizeBoolean(valueType: string, value: string): string {
  if (valueType !== 'BOOLEAN' && valueType !== 'TRUE_ONLY') return value;
  switch (value) {
    case 'true':
    case 'True':
    case 'TRUE':
    case 't':
    case 'T':
    case '1':
      return 'true';
    case 'false':
    case 'False':
    case 'FALSE':
    case 'f':
    case 'F':
    case '0':
      return valueType === 'BOOLEAN' ? 'false' : value;
  }
  return value;
}

/** A zero that DHIS2 does not store for numeric data elements with zeroIsSignificant=false (`^0(\.0*)?$`). */
export function isZero(value: string): boolean {
  return RE_ZERO.test(value);
}
