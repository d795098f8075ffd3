/**
 * The DHIS 1.4 XML export as 1.4 itself wrote it ("DHIS 2" export format; spec dhis14.md §3), pure and streaming:
 *  - `MetaData.xml`: `<root>` › Access-style `<xsd:schema>` declaring the tables written › `<dataroot>` with one
 *    element per row and one child per non-NULL column. ISO-8859-1 with CRLF line ends; CR and LF inside text are
 *    the markers `{chr13}{chr10}` (what 1.4 reads); characters beyond Latin-1 become character references (`&#8364;`),
 *    which any XML parser turns back into the character.
 *  - `RoutineData.txt`: a quoted CSV with RoutineData's 16 columns, CRLF, RFC-4180 quoting (line breaks inside a
 *    quoted comment stay as they are), EntryNumber in Access's style (`"4."`, `"4521215.2"`), dates as
 *    `yyyy/mm/dd hh:mm:ss`. Latin-1 has no references: characters beyond it become `?` (counted: `replaced`).
 * The text goes through `latin1()` into bytes; io/zip-entries.ts puts both entries into the zip. Tables and columns follow
 * the 1.4 schema (dhis14-schema in ../shared/tools/dhis14, the real 1.4.0.108 XSD where it exists).
 */
import { ferryError } from '../../../src-shared/keyed-errors.ts';

export type JetType = 'integer' | 'long' | 'double' | 'datetime' | 'text' | 'memo';
export interface Dhis14Column {
  name: string;
  type: JetType;
  /** text: the column's size in characters */
  size?: number;
  /** the column may not be NULL (od:nonNullable) */
  required?: boolean;
}
export interface Dhis14Table {
  name: string;
  columns: Dhis14Column[];
}

const col = (name: string, type: JetType, size?: number, required?: boolean): Dhis14Column => ({ name, type, ...(size ? { size } : {}), ...(required ? { required } : {}) });
const I = (name: string, required = false): Dhis14Column => col(name, 'integer', undefined, required);
const L = (name: string, required = false): Dhis14Column => col(name, 'long', undefined, required);
const T = (name: string, size: number, required = false): Dhis14Column => col(name, 'text', size, required);
const D = (name: string): Dhis14Column => col(name, 'double');
const DT = (name: string): Dhis14Column => col(name, 'datetime');
const M = (name: string): Dhis14Column => col(name, 'memo');

/** The 1.4 tables Ferry writes, with their columns in 1.4's order. */
export const DHIS14_TABLES = {
  DataType: { name: 'DataType', columns: [I('DataTypeID', true), T('DataTypeName', 25), T('DataTypeDisplay', 25)] },
  DataPeriodType: {
    name: 'DataPeriodType',
    columns: [
      I('DataPeriodTypeID', true), T('DataPeriodTypeNameEng', 25), T('DataPeriodTypeName', 25), I('SortOrder'), T('DataPeriodFormat', 230),
      D('AnnualisationFactor'), I('UpperRangeDayCount'), T('DataPeriodIntervalSetting', 10), I('FirstDayOfWeekID'), I('FirstWeekOfYearID'),
      I('Supported'), T('BasePeriodPart', 8),
    ],
  },
  DataPeriod: {
    name: 'DataPeriod',
    columns: [I('DataPeriodID', true), T('DataPeriodNameEng', 25, true), T('DataPeriodName', 25), I('DataPeriodTypeID', true), L('ValidFrom', true), L('ValidTo', true), I('Selected')],
  },
  DataElement: {
    name: 'DataElement',
    columns: [
      I('DataElementID', true), I('SortOrder'), T('DataElementCode', 15), T('DataElementName', 230, true), T('DataElementShort', 25), T('DataElementDOS', 8),
      T('DataElementPrompt', 230), I('MetaDataElement'), I('DataTypeID', true), I('DataPeriodTypeID'), L('ValidFrom'), L('ValidTo'), M('DataElementDescription'),
      M('Comment'), I('Calculated'), L('CalculatedValidFrom'), L('CalculatedValidTo'), I('SaveCalculated'), I('AggregateStartLevel'), T('AggregateOperator', 6),
      I('Selected'), I('LastUserID'), DT('LastUpdated'),
    ],
  },
  DataElementCalculated: { name: 'DataElementCalculated', columns: [I('DataElementCalculatedID', true), I('DataElementID', true), D('DataElementFactor')] },
  IndicatorType: { name: 'IndicatorType', columns: [I('IndicatorTypeID', true), T('IndicatorTypeName', 230, true), D('Factor')] },
  Indicator: {
    name: 'Indicator',
    columns: [
      I('IndicatorID', true), I('SortOrder'), T('IndicatorCode', 15), T('IndicatorName', 230, true), T('IndicatorShort', 25), T('IndicatorDOS', 8), T('IndicatorPrompt', 230),
      L('ValidFrom'), L('ValidTo'), M('IndicatorDescription'), M('Comment'), I('Selected'), I('IndicatorTypeID', true), I('DataPeriodTypeID'), I('Annualised'),
      M('IndicatorNumerator'), I('IndicatorNumeratorAggregateStartLevel'), I('IndicatorNumeratorTimeLag'), T('IndicatorNumeratorDescription', 100),
      M('IndicatorDenominator'), I('IndicatorDenominatorAggregateStartLevel'), I('IndicatorDenominatorTimeLag'), T('IndicatorDenominatorDescription', 100),
      I('LastUserID'), DT('LastUpdated'),
    ],
  },
  DataElementAndIndicatorGroup: {
    name: 'DataElementAndIndicatorGroup',
    columns: [I('DataElementAndIndicatorGroupID', true), T('DataElementAndIndicatorGroupName', 230, true), M('DataElementAndIndicatorGroupDescription'), I('LastUserID'), DT('LastUpdated')],
  },
  DataElementGroupMember: { name: 'DataElementGroupMember', columns: [I('DataElementAndIndicatorGroupID', true), I('DataElementID', true)] },
  IndicatorGroupMember: { name: 'IndicatorGroupMember', columns: [I('DataElementAndIndicatorGroupID', true), I('IndicatorID', true)] },
  DataSet: { name: 'DataSet', columns: [I('DataSetID', true), T('DataSetName', 230, true), I('DataPeriodTypeID'), I('SortOrder'), I('UseDailyCaptureForm')] },
  DataSetElement: { name: 'DataSetElement', columns: [I('DataSetID', true), I('DataElementID', true)] },
  DataSetOrgUnit: { name: 'DataSetOrgUnit', columns: [I('DataSetID', true), I('OrgUnitID', true)] },
  OrgUnitStructure: {
    name: 'OrgUnitStructure',
    columns: [I('OrgUnitStructureID', true), T('OrgUnitStructureName', 230), M('OrgUnitStructureDescription'), I('OrgUnitLevelCount')],
  },
  OrgUnit: {
    name: 'OrgUnit',
    columns: [
      I('OrgUnitID', true), T('OrgUnitCode', 15), I('OrgUnitLevel'), T('OrgUnitName', 230, true), T('OrgUnitShort', 25), L('ValidFrom'), L('ValidTo'), I('Active'),
      T('Comment', 230), I('Selected'), I('LastUserID'), DT('LastUpdated'),
    ],
  },
  OrgHierarchy: {
    name: 'OrgHierarchy',
    columns: [L('OrgHierarchyID', true), I('OrgUnitLevel'), I('OrgUnitStructureID'), I('OrgUnitChildID', true), I('OrgUnitParentID', true), I('LastUserID'), DT('LastUpdated')],
  },
  OrgUnitGroup: { name: 'OrgUnitGroup', columns: [I('OrgUnitGroupID', true), T('OrgUnitGroupName', 230, true)] },
  OrgUnitGroupMember: { name: 'OrgUnitGroupMember', columns: [I('OrgUnitGroupID', true), I('OrgUnitID', true)] },
  OrgUnitGroupSet: {
    name: 'OrgUnitGroupSet',
    columns: [I('OrgUnitGroupSetID', true), T('OrgUnitGroupSetName', 230, true), M('OrgUnitGroupSetDescription'), I('OrgUnitGroupSetCompulsory')],
  },
  OrgUnitGroupSetMember: { name: 'OrgUnitGroupSetMember', columns: [I('OrgUnitGroupSetID', true), I('OrgUnitGroupID', true)] },
} satisfies Record<string, Dhis14Table>;
export type Dhis14TableName = keyof typeof DHIS14_TABLES;

/** RoutineData.txt's columns, in the order of the real 1.4 file. */
export const ROUTINE_DATA_COLUMNS = [
  'RoutineDataID', 'OrgUnitID', 'DataElementID', 'DataPeriodID', 'EntryText', 'EntryYesNo', 'EntryNumber', 'EntryDate', 'EntryMemo', 'EntryObject',
  'Check', 'Verified', 'Deleted', 'Comment', 'LastUserID', 'LastUpdated',
] as const;

export const CRLF = '\r\n';
export const META_ENTRY = 'MetaData.xml';
export const ROUTINE_DATA_ENTRY = 'RoutineData.txt';

// ---- dates -----------------------------------------------------------------------------------------------------

const OLE_EPOCH = Date.UTC(1899, 11, 30);
/** 1.4's "open ended" ValidTo: 9999-12-31 as OLE serial days. */
export const OLE_NEVER = 2958465;

/** yyyy-MM-dd (the first 10 characters of an ISO date or date-time) → OLE serial days (38718 = 2006-01-01); null when not a date. */
export function oleDays(date: string | null | undefined): number | null {
  const m = date ? /^(\d{4})-(\d\d)-(\d\d)/.exec(date) : null;
  if (!m) return null;
  const t = new Date(0);
  t.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round((t.getTime() - OLE_EPOCH) / 86_400_000);
}

const TS = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?)?/;

/**
 * An ISO date-time as 1.4's XML writes DateTime columns (`2008-08-25T00:15:53`, no zone: Ferry's UTC wall clock,
 * as mdb-reader reads Access's local time); null when not a date.
 */
export function xmlDateTime(s: string | null | undefined): string | null {
  const m = s ? TS.exec(s) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}` : null;
}

/** An ISO date-time as RoutineData.txt writes dates (`2008/10/02 01:04:33`); null when not a date. */
export function accessDateTime(s: string | null | undefined): string | null {
  const m = s ? TS.exec(s) : null;
  return m ? `${m[1]}/${m[2]}/${m[3]} ${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}` : null;
}

/**
 * A number in Access's text form as 1.4 wrote EntryNumber: whole numbers end in a dot (`4.`, `-12.`), others are the
 * shortest decimal (`4521215.2`), never an exponent. Null when `v` is not a finite number.
 */
export function accessNumber(v: string | number): string | null {
  const n = typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(n)) return null;
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return (Object.is(n, -0) ? 0 : n).toFixed(0) + '.';
  let s = String(n);
  if (/e/i.test(s)) {
    s = Math.abs(n) >= 1 ? BigInt(Math.trunc(n)).toString() + '.' : n.toFixed(20).replace(/0+$/, '');
    if (s.endsWith('.') && !Number.isInteger(n)) s += '0';
  }
  return s;
}

// ---- text ------------------------------------------------------------------------------------------------------

// eslint-disable-next-line no-control-regex -- the control characters are exactly what must be dropped or marked
const XML_TEST = /[&<>\r\n\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[^\x00-\xFF]/;
// eslint-disable-next-line no-control-regex
const XML_ALL = /[&<>\r\n\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\x00-\xFF]/g;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '{chr13}', '\n': '{chr10}' };

/**
 * Element text as 1.4 writes it: &, <, > escaped; CR and LF as `{chr13}` / `{chr10}`; characters beyond Latin-1 as
 * character references; characters XML cannot carry dropped.
 */
export function xmlText(s: string): string {
  if (!XML_TEST.test(s)) return s;
  return s.replace(XML_ALL, (c) => {
    const e = XML_ENTITIES[c];
    if (e) return e;
    const cp = c.codePointAt(0)!;
    if (cp < 0x20 || cp === 0xfffe || cp === 0xffff || (c.length === 1 && cp >= 0xd800 && cp <= 0xdfff)) return '';
    return `&#${cp};`;
  });
}

// eslint-disable-next-line no-control-regex -- the whole Latin-1 range, control characters included
const BEYOND_LATIN1 = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\u0000-\u00FF]/g;

/** Text → ISO-8859-1 bytes; characters beyond Latin-1 (there should be none left in XML) become `?`, counted. */
export function latin1(s: string, counter?: { replaced: number }): Buffer {
  // eslint-disable-next-line no-control-regex -- the whole Latin-1 range
  if (/[^\u0000-\u00FF]/.test(s)) {
    s = s.replace(BEYOND_LATIN1, () => {
      if (counter) counter.replaced++;
      return '?';
    });
  }
  return Buffer.from(s, 'latin1');
}

const csvQuote = (s: string): string => '"' + (s.includes('"') ? s.replace(/"/g, '""') : s) + '"';

// ---- MetaData.xml ------------------------------------------------------------------------------------------------

function xsdColumn(c: Dhis14Column): string {
  const nn = c.required ? ' od:nonNullable="yes"' : '';
  const open = (jet: string, sql: string, type: string): string =>
    `<xsd:element name="${c.name}" minOccurs="${c.required ? 1 : 0}" od:jetType="${jet}" od:sqlSType="${sql}"${nn}${type ? ` type="${type}"` : ''}>${CRLF}`;
  const text = (jet: string, sql: string, len: number): string =>
    open(jet, sql, '') +
    `<xsd:simpleType>${CRLF}<xsd:restriction base="xsd:string">${CRLF}<xsd:maxLength value="${len}">${CRLF}</xsd:maxLength>${CRLF}</xsd:restriction>${CRLF}</xsd:simpleType>${CRLF}</xsd:element>${CRLF}`;
  switch (c.type) {
    case 'integer':
      return open('integer', 'smallint', 'xsd:short') + `</xsd:element>${CRLF}`;
    case 'long':
      return open('longinteger', 'int', 'xsd:int') + `</xsd:element>${CRLF}`;
    case 'double':
      return open('double', 'float', 'xsd:double') + `</xsd:element>${CRLF}`;
    case 'datetime':
      return open('datetime', 'datetime', 'xsd:dateTime') + `</xsd:element>${CRLF}`;
    case 'text':
      return text('text', 'nvarchar', c.size ?? 255);
    case 'memo':
      return text('memo', 'ntext', 536870910);
  }
}

export interface MetaDataHead {
  /** the tables whose rows follow, in the order they are written */
  tables: Dhis14Table[];
  /** what 1.4 puts in data-file (the database's file name) */
  dataFile: string;
  /** export time, ISO (UTC) */
  exported: string;
}

/** `<?xml …?>`, `<root>`, the XSD of the tables, and the opening `<dataroot>`. */
export function metaDataHead(h: MetaDataHead): string {
  const when = xmlDateTime(h.exported) ?? '1970-01-01T00:00:00';
  const hour = Number(when.slice(11, 13));
  const exportDate = `${when.slice(0, 4)}/${when.slice(5, 7)}/${when.slice(8, 10)} ${String(((hour + 11) % 12) + 1).padStart(2, '0')}:${when.slice(14, 16)}:${when.slice(17, 19)} ${hour < 12 ? 'AM' : 'PM'}`;
  let s =
    `<?xml version="1.0" encoding="ISO-8859-1"?>${CRLF}` +
    `<root xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:od="urn:schemas-microsoft-com:officedata">${CRLF}<xsd:schema>${CRLF}` +
    `<xsd:element name="dataroot" dhis-version="1.4.0.108" dhis-application="DHIS_CORE" data-file="${xmlText(h.dataFile).replace(/"/g, '&quot;')}" export-date="${exportDate}" >${CRLF}` +
    `<xsd:complexType>${CRLF}<xsd:sequence>${CRLF}`;
  for (const t of h.tables) s += `<xsd:element ref="${t.name}" minOccurs="0" maxOccurs="unbounded">${CRLF}</xsd:element>${CRLF}`;
  s += `</xsd:sequence>${CRLF}<xsd:attribute name="generated" type="xsd:dateTime">${CRLF}</xsd:attribute>${CRLF}</xsd:complexType>${CRLF}</xsd:element>${CRLF}`;
  for (const t of h.tables) {
    s += `<xsd:element name="${t.name}">${CRLF}<xsd:annotation>${CRLF}<xsd:appinfo>${CRLF}</xsd:appinfo>${CRLF}</xsd:annotation>${CRLF}<xsd:complexType>${CRLF}<xsd:sequence>${CRLF}`;
    for (const c of t.columns) s += xsdColumn(c);
    s += `</xsd:sequence>${CRLF}</xsd:complexType>${CRLF}</xsd:element>${CRLF}`;
  }
  return s + `</xsd:schema>${CRLF}<dataroot xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" generated="${when}">${CRLF}`;
}

export type Dhis14Value = string | number | boolean | null | undefined;

/**
 * One row of a table: an element named after it, one child per non-NULL column (in the table's column order; keys
 * that are not columns of the table are a programming error). Datetime columns take ISO date-times; long "date"
 * columns take OLE serial days (numbers); booleans are 1/0.
 */
export function metaDataRow(table: Dhis14Table, row: Record<string, Dhis14Value>): string {
  let s = `<${table.name}>${CRLF}`;
  for (const c of table.columns) {
    const v = row[c.name];
    if (v == null || v === '') continue;
    let text: string;
    if (typeof v === 'boolean') text = v ? '1' : '0';
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) continue;
      text = c.type === 'double' ? String(v) : String(Math.trunc(v));
    } else if (c.type === 'datetime') {
      const d = xmlDateTime(v);
      if (!d) continue;
      text = d;
    } else text = xmlText(v);
    s += `<${c.name}>${text}</${c.name}>${CRLF}`;
  }
  for (const k of Object.keys(row)) if (!table.columns.some((c) => c.name === k)) throw ferryError('INTERNAL', 'format.dhis14NoColumn', { table: table.name, column: k });
  return s + `</${table.name}>${CRLF}`;
}

export function metaDataEnd(): string {
  return `</dataroot>${CRLF}</root>${CRLF}`;
}

// ---- RoutineData.txt ---------------------------------------------------------------------------------------------

/** One RoutineData row; exactly one of the entry columns is normally set (the data element's DataTypeID decides). */
export interface RoutineDataRow {
  routineDataId: number;
  orgUnitId: number;
  dataElementId: number;
  dataPeriodId: number;
  entryText?: string | null;
  /** 1 (yes) or 0 (no) */
  entryYesNo?: number | null;
  /** the number as Access writes it (accessNumber) */
  entryNumber?: string | null;
  /** ISO date or date-time */
  entryDate?: string | null;
  entryMemo?: string | null;
  comment?: string | null;
  lastUserId?: number | null;
  /** ISO date-time */
  lastUpdated?: string | null;
}

export function routineDataHeader(): string {
  return ROUTINE_DATA_COLUMNS.map(csvQuote).join(',') + CRLF;
}

const q = (s: string | null | undefined): string => (s == null || s === '' ? '' : csvQuote(s));
// consecutive values mostly share their last-updated time: one-entry cache
let lastIn: string | null | undefined = null;
let lastOut = '';

/** One CSV line (CRLF-terminated). Check, Verified and Deleted are 0: Ferry exports live values only. */
export function routineDataLine(r: RoutineDataRow): string {
  if (r.lastUpdated !== lastIn) {
    lastIn = r.lastUpdated;
    lastOut = accessDateTime(r.lastUpdated) ?? '';
  }
  return (
    `${r.routineDataId},${r.orgUnitId},${r.dataElementId},${r.dataPeriodId},${q(r.entryText)},${r.entryYesNo ?? ''},${q(r.entryNumber)},` +
    `${r.entryDate ? (accessDateTime(r.entryDate) ?? '') : ''},${q(r.entryMemo)},,0,0,0,${q(r.comment)},${r.lastUserId ?? ''},${lastOut}${CRLF}`
  );
}
