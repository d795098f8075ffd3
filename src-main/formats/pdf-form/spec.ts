/**
 * What a PDF data entry form shows (DHIS2's layout, spec §8): the data set, its sections (or all its data elements),
 * each data element with its value type, option set and category combo. Plain data, read from the database by
 * `db/repos/data-set-forms.ts` and laid out by `writer.ts`; and DHIS2's field names, which both the writer and the
 * reader use.
 */

export interface FormOption {
  uid: string;
  name: string;
}

export interface FormCategory {
  uid: string;
  name: string;
  options: FormOption[];
}

export interface FormCoc {
  uid: string;
  name: string;
  /** uids of its category options */
  optionUids: string[];
}

export interface FormCombo {
  uid: string;
  name: string;
  /** the system default combo (one option combo, named "default", whose name a form never shows) */
  isDefault: boolean;
  categories: FormCategory[];
  /** in DHIS2's sorted order: the category options' cartesian product, then any others by name */
  cocs: FormCoc[];
}

export interface FormDataElement {
  uid: string;
  name: string;
  formName: string | null;
  valueType: string;
  /** option set choices (code → name) */
  options: { code: string; name: string }[] | null;
  combo: FormCombo;
}

export interface FormSection {
  /** '' when the data set has no sections (one block of all its data elements) */
  name: string;
  dataElements: FormDataElement[];
}

export interface DataSetForm {
  uid: string;
  name: string;
  description: string | null;
  periodType: string;
  sections: FormSection[];
}

/** What the writer lays out: the data set form plus the header fields' choices and pre-filled values. */
export interface PdfFormInput {
  form: DataSetForm;
  /** pre-filled and read-only when given */
  orgUnit: { id: string; name: string } | null;
  /** every period the form offers (DHIS2's range rules), ISO id → label */
  periods: { iso: string; label: string }[];
  /** pre-selected when given (one of `periods`) */
  period: string | null;
  /** footer line (what made the form, when) */
  footer: string;
}

export const ORG_UNIT_FIELD = 'TXFD_OrgID';
export const PERIOD_FIELD = 'TXFD_PeriodID';
export const VALUE_FIELD_PREFIX = 'TXFDDV_';
/** DHIS2's suffix of a checkbox field name: "T" + PdfFieldCell.TYPE_CHECKBOX (4) */
export const CHECKBOX_SUFFIX = '_T4';
/** the checkbox "on" state DHIS2 writes and reads */
export const CHECKBOX_ON = 'On';

/** The field name DHIS2 gives a data element × category option combo (TRUE_ONLY checkboxes end in _T4). */
export function valueFieldName(dataElement: string, coc: string, valueType: string): string {
  return `${VALUE_FIELD_PREFIX}${dataElement}_${coc}${valueType === 'TRUE_ONLY' ? CHECKBOX_SUFFIX : ''}`;
}

/** The data element and option combo a value field names, with whether it is a checkbox; null for other names. */
export function parseValueFieldName(name: string): { dataElement: string; coc: string; checkbox: boolean } | null {
  if (!name.startsWith(VALUE_FIELD_PREFIX)) return null;
  const parts = name.split('_');
  const de = parts[1];
  const coc = parts[2];
  if (!de || !coc || parts.length > 4) return null;
  return { dataElement: de, coc, checkbox: parts[3] === 'T4' };
}

export const NUMERIC_VALUE_TYPES = new Set([
  'NUMBER', 'UNIT_INTERVAL', 'PERCENTAGE', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE',
]);
