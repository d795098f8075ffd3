/**
 * DHIS2's CSV metadata import (spec §3; `POST /api/metadata?classKey=K`): the class keys of `CsvImportClass` and, per
 * key, its positional columns as `DefaultCsvImportService` reads them (where DHIS2's docs and code disagree, the code:
 * OPTION_GROUP_SET has dataDimension in column 3 and description in 4). Pure: the reader, the exporter, the CLI and the
 * wizard's preview all use these definitions.
 *
 * A cell is read as DHIS2's `getSafe` reads it: a missing or blank cell (only white space) takes the column's default
 * (or nothing); any other value is kept as it is (not trimmed) and cut to the column's maximum length.
 */

/** DHIS2's `CsvImportClass` values, in its order. */
export const CSV_CLASS_KEYS = [
  'ORGANISATION_UNIT_GROUP_MEMBERSHIP',
  'DATA_ELEMENT_GROUP_MEMBERSHIP',
  'INDICATOR_GROUP_MEMBERSHIP',
  'DATA_ELEMENT',
  'DATA_ELEMENT_GROUP',
  'CATEGORY_OPTION',
  'CATEGORY',
  'CATEGORY_COMBO',
  'CATEGORY_OPTION_GROUP',
  'ORGANISATION_UNIT',
  'ORGANISATION_UNIT_GROUP',
  'VALIDATION_RULE',
  'OPTION_SET',
  'OPTION_GROUP',
  'OPTION_GROUP_SET',
  'OPTION_GROUP_SET_MEMBERSHIP',
  'INDICATOR',
] as const;
export type CsvClassKey = (typeof CSV_CLASS_KEYS)[number];

export interface CsvColumn {
  /** the property (or what the column holds) — also the header the exporter writes */
  key: string;
  /** in words, for the preview */
  label: string;
  /** DHIS2 cuts longer values to this many characters */
  max?: number;
  /** what a blank cell means ('=name': the row's name) */
  default?: string;
  /** DHIS2 reads the column but ignores it */
  ignored?: boolean;
}

export interface CsvMembership {
  /** DXF2 type of the group */
  groupType: string;
  /** the group's collection property holding the members, and the members' type */
  property: string;
  memberType: string;
}

export interface CsvClass {
  key: CsvClassKey;
  /** in words (the wizard's picker) */
  label: string;
  /** the DXF2 type the rows become (OPTION_SET: option sets, plus their options) */
  type: string;
  columns: readonly CsvColumn[];
  /** membership files: the rows list a group's members, and the import replaces the group's member list */
  membership?: CsvMembership;
}

const c = (key: string, label: string, max?: number, def?: string): CsvColumn => ({ key, label, ...(max !== undefined ? { max } : {}), ...(def !== undefined ? { default: def } : {}) });
const ident = (what: string): CsvColumn[] => [c('name', `${what} name`, 230), c('uid', 'UID (generated when empty)', 11), c('code', 'Code', 50)];
const shortName = (): CsvColumn => c('shortName', 'Short name (default: the name)', 50, '=name');

const membership = (key: CsvClassKey, label: string, groupType: string, group: string, property: string, memberType: string, member: string): CsvClass => ({
  key,
  label,
  type: groupType,
  columns: [c(group, `${label.replace(/ memberships$/, '')} UID`), c(member, `Member UID (${member.replace(/([A-Z])/g, ' $1').toLowerCase()})`)],
  membership: { groupType, property, memberType },
});

export const CSV_CLASSES: Readonly<Record<CsvClassKey, CsvClass>> = {
  ORGANISATION_UNIT_GROUP_MEMBERSHIP: membership('ORGANISATION_UNIT_GROUP_MEMBERSHIP', 'Organisation unit group memberships', 'organisationUnitGroups', 'organisationUnitGroup', 'organisationUnits', 'organisationUnits', 'organisationUnit'),
  DATA_ELEMENT_GROUP_MEMBERSHIP: membership('DATA_ELEMENT_GROUP_MEMBERSHIP', 'Data element group memberships', 'dataElementGroups', 'dataElementGroup', 'dataElements', 'dataElements', 'dataElement'),
  INDICATOR_GROUP_MEMBERSHIP: membership('INDICATOR_GROUP_MEMBERSHIP', 'Indicator group memberships', 'indicatorGroups', 'indicatorGroup', 'indicators', 'indicators', 'indicator'),
  DATA_ELEMENT: {
    key: 'DATA_ELEMENT',
    label: 'Data elements',
    type: 'dataElements',
    columns: [
      ...ident('Data element'),
      shortName(),
      c('description', 'Description'),
      c('formName', 'Form name', 230),
      c('domainType', 'Domain type (aggregate or tracker)', 16, 'aggregate'),
      c('valueType', 'Value type', 50, 'INTEGER'),
      c('aggregationType', 'Aggregation type', 50, 'SUM'),
      c('categoryCombo', 'Category combination UID (default: the default one)', 11),
      c('url', 'URL', 255),
      c('zeroIsSignificant', 'Zero is significant (true/false)', undefined, 'false'),
      c('optionSet', 'Option set UID', 11),
      c('commentOptionSet', 'Comment option set UID', 11),
    ],
  },
  DATA_ELEMENT_GROUP: { key: 'DATA_ELEMENT_GROUP', label: 'Data element groups', type: 'dataElementGroups', columns: [...ident('Group'), shortName()] },
  CATEGORY_OPTION: { key: 'CATEGORY_OPTION', label: 'Category options', type: 'categoryOptions', columns: [...ident('Category option'), shortName()] },
  CATEGORY: {
    key: 'CATEGORY',
    label: 'Categories',
    type: 'categories',
    columns: [
      ...ident('Category'),
      c('description', 'Description', 255),
      c('dataDimensionType', 'Data dimension type (DISAGGREGATION or ATTRIBUTE)', 40, 'DISAGGREGATION'),
      c('dataDimension', 'Data dimension (true/false)', 40, 'false'),
    ],
  },
  CATEGORY_COMBO: {
    key: 'CATEGORY_COMBO',
    label: 'Category combinations',
    type: 'categoryCombos',
    columns: [...ident('Category combination'), c('dataDimensionType', 'Data dimension type (DISAGGREGATION or ATTRIBUTE)', 40, 'DISAGGREGATION'), c('skipTotal', 'Skip total (true/false)', 40, 'false')],
  },
  CATEGORY_OPTION_GROUP: {
    key: 'CATEGORY_OPTION_GROUP',
    label: 'Category option groups',
    type: 'categoryOptionGroups',
    columns: [...ident('Group'), shortName(), c('dataDimensionType', 'Data dimension type (disaggregation or attribute)', 50, 'disaggregation')],
  },
  ORGANISATION_UNIT: {
    key: 'ORGANISATION_UNIT',
    label: 'Organisation units',
    type: 'organisationUnits',
    columns: [
      ...ident('Organisation unit'),
      c('parent', 'Parent UID', 230),
      shortName(),
      c('description', 'Description'),
      c('openingDate', 'Opening date (yyyy-MM-dd)', undefined, '1970-01-01'),
      c('closedDate', 'Closed date (yyyy-MM-dd)'),
      c('comment', 'Comment'),
      c('featureType', 'Feature type (NONE, POINT, POLYGON or MULTI_POLYGON)', 50, 'NONE'),
      c('coordinates', 'Coordinates (GeoJSON coordinates)'),
      c('url', 'URL', 255),
      c('contactPerson', 'Contact person', 255),
      c('address', 'Address', 255),
      c('email', 'Email', 150),
      c('phoneNumber', 'Phone number', 150),
    ],
  },
  ORGANISATION_UNIT_GROUP: { key: 'ORGANISATION_UNIT_GROUP', label: 'Organisation unit groups', type: 'organisationUnitGroups', columns: [...ident('Group'), shortName()] },
  VALIDATION_RULE: {
    key: 'VALIDATION_RULE',
    label: 'Validation rules',
    type: 'validationRules',
    columns: [
      ...ident('Validation rule'),
      c('description', 'Description', 255),
      c('instruction', 'Instruction', 255),
      c('importance', 'Importance (HIGH, MEDIUM or LOW)', 255, 'MEDIUM'),
      { key: 'ruleType', label: 'Rule type (ignored)', ignored: true },
      c('operator', 'Operator (equal_to, less_than …)', 255, 'equal_to'),
      c('periodType', 'Period type', 255, 'Monthly'),
      c('leftSideExpression', 'Left side expression', 255),
      c('leftSideDescription', 'Left side description', 255),
      c('leftSideMissingValueStrategy', 'Left side missing value strategy', 50, 'NEVER_SKIP'),
      c('rightSideExpression', 'Right side expression', 255),
      c('rightSideDescription', 'Right side description', 255),
      c('rightSideMissingValueStrategy', 'Right side missing value strategy', 50, 'NEVER_SKIP'),
    ],
  },
  OPTION_SET: {
    key: 'OPTION_SET',
    label: 'Option sets (one row per option)',
    type: 'optionSets',
    columns: [
      c('optionSetName', 'Option set name', 230),
      c('optionSetUid', 'Option set UID', 11),
      c('optionSetCode', 'Option set code', 50),
      c('optionName', 'Option name', 230),
      c('optionUid', 'Option UID (generated when empty)', 11),
      c('optionCode', 'Option code', 50),
    ],
  },
  OPTION_GROUP: {
    key: 'OPTION_GROUP',
    label: 'Option groups (one row per option)',
    type: 'optionGroups',
    columns: [...ident('Option group'), c('shortName', 'Short name (required)', 50), c('optionSetUid', 'Option set UID', 11), c('optionUid', 'Option UID', 11), c('optionCode', 'Option code', 50)],
  },
  OPTION_GROUP_SET: {
    key: 'OPTION_GROUP_SET',
    label: 'Option group sets',
    type: 'optionGroupSets',
    columns: [...ident('Option group set'), c('dataDimension', 'Data dimension (true/false)', 40, 'false'), c('description', 'Description'), c('optionSetUid', 'Option set UID', 11), c('optionSetCode', 'Option set code', 50)],
  },
  OPTION_GROUP_SET_MEMBERSHIP: {
    key: 'OPTION_GROUP_SET_MEMBERSHIP',
    label: 'Option group set memberships',
    type: 'optionGroupSets',
    columns: [c('optionGroupSet', 'Option group set UID', 11), c('optionGroup', 'Member UID (option group)', 11)],
    membership: { groupType: 'optionGroupSets', property: 'optionGroups', memberType: 'optionGroups' },
  },
  INDICATOR: {
    key: 'INDICATOR',
    label: 'Indicators',
    type: 'indicators',
    columns: [
      ...ident('Indicator'),
      c('description', 'Description', 255),
      shortName(),
      c('denominator', 'Denominator'),
      c('denominatorDescription', 'Denominator description', 255),
      c('numerator', 'Numerator'),
      c('numeratorDescription', 'Numerator description', 255),
      c('annualized', 'Annualized (true/false)', 40, 'false'),
      c('decimals', 'Decimals', undefined, '0'),
      c('indicatorType', 'Indicator type UID'),
    ],
  },
};

/** The class key for `s` (any case, blanks and '-' read as '_'), or undefined. */
export function parseClassKey(s: unknown): CsvClassKey | undefined {
  if (typeof s !== 'string') return undefined;
  const k = s.trim().toUpperCase().replace(/[\s-]+/g, '_');
  return (CSV_CLASS_KEYS as readonly string[]).includes(k) ? (k as CsvClassKey) : undefined;
}

/** The message for a missing or unknown class key, listing the valid ones. */
export function classKeyProblem(s: unknown): string {
  const list = CSV_CLASS_KEYS.join(', ');
  return s === undefined || s === null || s === '' || s === true
    ? `a CSV metadata import needs a class key (classKey; CLI: --class-key K), one of ${list}`
    : `unknown class key '${String(s)}' (use one of ${list})`;
}

/** The warning membership imports carry (DHIS2 rebuilds the group from the file: its member list is replaced). */
export function membershipWarning(k: CsvClassKey): string | null {
  const m = CSV_CLASSES[k].membership;
  if (!m) return null;
  return `${CSV_CLASSES[k].label} replace the member list: each group named in the file keeps only the ${m.memberType.replace(/([A-Z])/g, ' $1').toLowerCase()} listed for it (members not listed are removed), and is saved with only its name${m.groupType === 'organisationUnitGroups' || m.groupType === 'dataElementGroups' ? ' and short name' : ''} (its code, description and other properties are cleared), as DHIS2 does.`;
}

/** Java's StringUtils.isBlank: only characters Character.isWhitespace counts (no-break spaces are not blank). */
export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const white =
      (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c === 0x1680 || (c >= 0x2000 && c <= 0x200a && c !== 0x2007) || c === 0x2028 || c === 0x2029 || c === 0x205f || c === 0x3000;
    if (!white) return false;
  }
  return true;
}

/**
 * One cell as DHIS2's getSafe reads it: a missing or blank cell gives the column's default (null when none;
 * '=name' is resolved by the caller), any other value is kept as is and cut to the column's maximum length.
 */
export function cellOf(col: CsvColumn | undefined, raw: string | undefined): string | null {
  if (!col) return null;
  if (raw === undefined || isBlank(raw)) return col.default !== undefined && col.default !== '=name' ? col.default : null;
  return col.max !== undefined && raw.length > col.max ? raw.slice(0, col.max) : raw;
}

/** A row's cells keyed by column (shortName '=name' resolved); what the reader and the preview show. */
export function cellsOf(k: CsvClassKey, values: readonly string[]): (string | null)[] {
  const cols = CSV_CLASSES[k].columns;
  const out = cols.map((col, i) => (col.ignored ? (values[i] ?? null) : cellOf(col, values[i])));
  const nameAt = cols.findIndex((col) => col.key === 'name');
  cols.forEach((col, i) => {
    if (col.default === '=name' && out[i] === null && nameAt >= 0) {
      const name = out[nameAt];
      out[i] = name === null || name === undefined ? null : col.max !== undefined ? name.slice(0, col.max) : name;
    }
  });
  return out;
}
