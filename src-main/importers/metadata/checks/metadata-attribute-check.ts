/**
 * MetadataAttributeCheck — every custom attribute value of an object (of a type that keeps attribute values):
 *  - E6012: the attribute is not assigned to the object's type (no Attribute flag such as `dataElementAttribute` for
 *    it; an unknown attribute is not assigned either);
 *  - E6006–E6011, E6013–E6018, E6021: a non-empty value invalid for the attribute's value type, tested as dhis2-core's
 *    DefaultAttributeValidator does (MathUtils, DateUtils, ValidationUtils); other value types (text, URL, option
 *    set values, …) are not tested by DHIS2 either;
 *  - E6019: an ORGANISATION_UNIT value that is no stored org unit's uid (DHIS2 looks in the database, not the payload).
 * FILE_RESOURCE (E6019) and USERNAME (E6020) values name file resources and users, which Ferry keeps none of offline:
 * not checked. The object is removed. Reports: E6012 on the Attribute, the value errors on AttributeValues, without a
 * mainId, as dhis2-core leaves them.
 */
import { simpleClassName } from '../../../../src-shared/dhis2/schema/registry.ts';
import { isEmail, isIntegerText, isNegativeIntegerText, isNumericText, isPhoneNumber, isPositiveIntegerText, isZeroOrPositiveIntegerText } from '../../../../src-shared/dhis2/value-types.ts';
import type { Bundle } from '../bundle.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { attributeEntries, attributeModel, hasAttributeEntries, typesWithAttributeValues } from './custom-attributes.ts';
import { ATTRIBUTE_KLASS } from './mandatory-attributes-check.ts';

const ATTRIBUTE_VALUES_KLASS = 'org.hisp.dhis.attribute.AttributeValues';

/** DateUtils' DEFAULT_DATE_REGEX, matched against the whole value */
const RE_DATE = /^\b(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-2])(.*)\b$/s;
/** the Joda patterns of DateUtils.dateTimeIsValid: yyyy-MM-dd'T'HH[:mm[:ss[.S{3,9}]]][Z], yyyy-MM-dd HH:mm:ssZ */
const RE_DATETIME = [
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.\d{3,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/,
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:Z|[+-]\d{2}(?::?\d{2})?)$/,
];
const validDay = (y: number, m: number, d: number): boolean => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};
function isDate(v: string): boolean {
  const m = RE_DATE.exec(v);
  return !!m && validDay(+m[1]!, +m[2]!, +m[3]!);
}
function isDateTime(v: string): boolean {
  for (const re of RE_DATETIME) {
    const m = re.exec(v);
    if (m) return validDay(+m[1]!, +m[2]!, +m[3]!) && +m[4]! < 24 && +(m[5] ?? 0) < 60 && +(m[6] ?? 0) < 60;
  }
  return false;
}

/** value type → [test, code, message tail] (DefaultAttributeValidator's switch) */
const TESTS: Record<string, [(v: string) => boolean, string, string]> = {
  INTEGER: [isIntegerText, 'E6006', 'an invalid integer value'],
  INTEGER_POSITIVE: [isPositiveIntegerText, 'E6007', 'an invalid positive integer value'],
  INTEGER_NEGATIVE: [isNegativeIntegerText, 'E6013', 'an invalid negative integer value'],
  NUMBER: [isNumericText, 'E6008', 'an invalid number value'],
  INTEGER_ZERO_OR_POSITIVE: [isZeroOrPositiveIntegerText, 'E6009', 'an invalid zero or positive integer value'],
  PERCENTAGE: [(v) => isNumericText(v) && Number(v) >= 0 && Number(v) <= 100, 'E6010', 'an invalid percentage value'],
  UNIT_INTERVAL: [(v) => isNumericText(v) && Number(v) >= 0 && Number(v) <= 1, 'E6011', 'an invalid Unit Interval value'],
  PHONE_NUMBER: [isPhoneNumber, 'E6021', 'an invalid phone number'],
  DATE: [isDate, 'E6014', 'an invalid date value'],
  DATETIME: [isDateTime, 'E6015', 'an invalid datetime value'],
  BOOLEAN: [(v) => v === 'true' || v === 'false', 'E6016', 'an invalid boolean value'],
  TRUE_ONLY: [(v) => v === 'true', 'E6017', 'an invalid true value'],
  EMAIL: [isEmail, 'E6018', 'an invalid email value'],
};

/** The error [code, message] of a non-empty value for a value type, or null (ORGANISATION_UNIT is checked apart). */
export function attributeValueError(valueType: string, value: string): [string, string] | null {
  const t = TESTS[valueType];
  if (!t || t[0](value)) return null;
  return [t[1], `AttributeValue \`${value}\` is ${t[2]}`];
}

/** Which of the values name a stored org unit: one batch query for all of them. */
function storedOrgUnits(b: Bundle, values: Set<string>): Set<string> {
  const found = new Set<string>();
  if (!values.size) return found;
  for (const r of b.repo.preheatByUids({ translations: false, sharing: false, jsonTypes: [] }, [...values])) {
    if (r.type === 'organisationUnits') found.add(r.uid);
  }
  return found;
}

export const metadataAttributeCheck: MetadataCheck = {
  name: 'MetadataAttributeCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const model = attributeModel(b);
    // each object on its own: no visiting order needed
    const work = [...typesWithAttributeValues(b)].map(([type]) => ({
      type,
      items: (b.byType.get(type) ?? []).filter((it) => !it.removed && hasAttributeEntries(it.obj)).map((it) => ({ it, entries: attributeEntries(it.obj) })),
    }));
    // the org unit values first, looked up together
    const ouValues = new Set<string>();
    for (const w of work) {
      const assigned = model.assigned(w.type);
      for (const { entries } of w.items) for (const [aid, v] of entries) if (v !== '' && assigned.get(aid)?.valueType === 'ORGANISATION_UNIT') ouValues.add(v);
    }
    const orgUnits = storedOrgUnits(b, ouValues);
    for (const { type, items } of work) {
      const assigned = model.assigned(type);
      const klass = simpleClassName(type);
      for (const { it, entries } of items) {
        if (!entries.length) continue;
        const before = it.errors.length;
        for (const [aid, v] of entries) {
          const a = assigned.get(aid);
          if (!a) {
            b.error(it, 'E6012', `Attribute \`${aid}\` is not assigned to \`${klass}\``, {
              mainKlass: ATTRIBUTE_KLASS, mainId: undefined, args: [aid, klass], errorProperties: [aid, klass],
            }, false);
            continue;
          }
          if (v === '') continue;
          const valueType = String(a.valueType);
          let e = attributeValueError(valueType, v);
          if (!e && valueType === 'ORGANISATION_UNIT' && !orgUnits.has(v)) e = ['E6019', `AttributeValue \`${v}\` is an invalid \`OrganisationUnit\` ID`];
          if (!e) continue;
          const args = e[0] === 'E6019' ? [v, 'OrganisationUnit'] : [v];
          b.error(it, e[0], e[1], { mainKlass: ATTRIBUTE_VALUES_KLASS, mainId: undefined, args, errorProperties: args, value: v }, false);
        }
        if (it.errors.length > before) it.removed = true;
      }
    }
  },
};
