/**
 * Render types of program stage data elements and program tracked entity attributes (dhis2-core master
 * ProgramStageDataElementObjectBundleHook, ProgramTrackedEntityAttributeObjectBundleHook): for every device's entry
 * of `renderType` (`{"MOBILE": {"type": …}, "DESKTOP": {…}}`, in the payload's order):
 *  - E4011 (`renderType.type`) an entry without a type (DHIS2 then fails the request with a NullPointerException
 *    when the element has a value type; Ferry reports E4011 only);
 *  - a type ValidationUtils#validateRenderingType refuses for the value type of the data element / attribute (as
 *    the preheat holds it: stored, else the payload's): E4017 for a stage data element, and E4020 for a program
 *    attribute (DHIS2 uses E4020 here, so the message reads "The value `TYPE` does not conform to the attribute
 *    pattern `VALUE_TYPE`"). DEFAULT always passes when the value type is set; otherwise the type must be one of
 *    StaticRenderingConfiguration's set for the class, value type and whether an option set is linked. Those sets
 *    list option-set elements only with no value type, so an element with an option set (and a value type) accepts
 *    DEFAULT only: that is DHIS2's behaviour and is kept.
 * The hooks see the objects of the bundle: top-level `programStageDataElements` and `programTrackedEntityAttributes`;
 * the ones embedded in program stages and programs are not bundle objects to DHIS2's validation and are not checked.
 * A reference that does not resolve is left to the ReferencesCheck (DHIS2 would fail on it).
 */
import type { Bundle } from '../bundle.ts';
import { isObj } from '../objects.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { fmt, hookError, klassOf, preheated, refUid } from './hook-support.ts';

const OPTION_SET_TYPES = ['DEFAULT', 'DROPDOWN', 'VERTICAL_RADIOBUTTONS', 'HORIZONTAL_RADIOBUTTONS', 'VERTICAL_CHECKBOXES', 'HORIZONTAL_CHECKBOXES', 'SHARED_HEADER_RADIOBUTTONS', 'ICONS_AS_BUTTONS', 'SPINNER', 'ICON'];
const BOOLEAN_TYPES = ['DEFAULT', 'VERTICAL_RADIOBUTTONS', 'HORIZONTAL_RADIOBUTTONS', 'VERTICAL_CHECKBOXES', 'HORIZONTAL_CHECKBOXES', 'TOGGLE'];
const NUMERIC_TYPES = ['DEFAULT', 'VALUE', 'SLIDER', 'LINEAR_SCALE', 'SPINNER'];
const TEXT_TYPES = ['DEFAULT', 'VALUE', 'AUTOCOMPLETE', 'QR_CODE', 'BAR_CODE', 'GS1_DATAMATRIX'];
const IMAGE_TYPES = ['DEFAULT', 'CANVAS'];

/** StaticRenderingConfiguration (the same for both classes): value type → allowed types, without an option set. */
const BY_VALUE_TYPE: Readonly<Record<string, readonly string[]>> = {
  TRUE_ONLY: BOOLEAN_TYPES, BOOLEAN: BOOLEAN_TYPES,
  INTEGER: NUMERIC_TYPES, INTEGER_POSITIVE: NUMERIC_TYPES, INTEGER_NEGATIVE: NUMERIC_TYPES, INTEGER_ZERO_OR_POSITIVE: NUMERIC_TYPES,
  NUMBER: NUMERIC_TYPES, UNIT_INTERVAL: NUMERIC_TYPES, PERCENTAGE: NUMERIC_TYPES,
  TEXT: TEXT_TYPES, IMAGE: IMAGE_TYPES,
};

/** ValidationUtils#validateRenderingType. */
function validRenderingType(valueType: string | null, optionSet: boolean, type: string): boolean {
  if (valueType != null && type === 'DEFAULT') return true;
  const allowed = optionSet ? (valueType == null ? OPTION_SET_TYPES : undefined) : valueType == null ? undefined : BY_VALUE_TYPE[valueType];
  return allowed?.includes(type) ?? false;
}

const M = {
  E4011: 'Attribute `{0}` is required, but no value was found',
  E4017: 'RenderingType `{0}` is not supported for ValueType `{1}`',
  E4020: 'The value `{0}` does not conform to the attribute pattern `{1}`',
} as const;

function renderTypesOf(b: Bundle, type: string, refProp: string, target: string, code: 'E4017' | 'E4020'): void {
  const K = klassOf(type);
  for (const it of b.live(type)) {
    const map = it.obj.renderType;
    if (!isObj(map)) continue;
    const el = preheated(b, target, refUid(b, target, it.obj[refProp]));
    if (!el) continue;
    const valueType = typeof el.valueType === 'string' ? el.valueType : null;
    const optionSet = isObj(el.optionSet);
    const err = (c: keyof typeof M, args: unknown[]): void => hookError(b, it, K, c, fmt(M[c], ...args), args);
    for (const device of Object.values(map)) {
      const t = isObj(device) && typeof device.type === 'string' ? device.type : null;
      if (t == null) {
        err('E4011', ['renderType.type']);
        continue;
      }
      if (!validRenderingType(valueType, optionSet, t)) err(code, [t, valueType]);
    }
  }
}

export const renderTypesCheck: MetadataCheck = {
  name: 'RenderTypesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    renderTypesOf(b, 'programStageDataElements', 'dataElement', 'dataElements', 'E4017');
    renderTypesOf(b, 'programTrackedEntityAttributes', 'trackedEntityAttribute', 'trackedEntityAttributes', 'E4020');
  },
};
