/**
 * The in-memory DHIS 1.4 model both 1.4 readers produce (the Access .mdb reader in dhis14-mdb/ and the XML export
 * reader in dhis14-xml/), so that the importer maps one shape whatever the file (spec: ../shared/spec/dhis14.md).
 *
 * - Metadata tables (everything but the data tables) are small and held whole: `D14Tables`, canonical table name →
 *   rows. Unknown tables are left out (real 1.4 files hold many more tables, queries and forms).
 * - A row is keyed by the column's canonical key (`columnKey`: lower case, with the 1.4.0.101 XSD's typos
 *   `Indiacator…`/`Indiactor…` spelled `indicator…`), so lookups do not depend on how the file spells a column.
 * - Cells are numbers, strings or null. Readers turn Access DateTime values into `YYYY-MM-DDTHH:MM:SS` (the wall-clock
 *   time 1.4 stored, no zone), Yes/No into 1/0, `{chr13}{chr10}` markers into CR LF, and empty text into null, so
 *   the .mdb and its XML export give identical cells; the `d14*` helpers read a cell whatever its form.
 * - Data tables (RoutineData, RoutineDataArchive, SemiPermanentData, SemiPermanentDataArchive) stream as `D14DataRow`s
 *   in chunks.
 */

export type D14Cell = string | number | null;
export type D14Row = Record<string, D14Cell>;
export type D14Tables = Map<string, D14Row[]>;

/** The metadata tables the importer reads (canonical spelling). */
export const D14_META_TABLES = [
  'DataType',
  'DataPeriodType',
  'DataPeriod',
  'DataElement',
  'DataElementCalculated',
  'IndicatorType',
  'Indicator',
  'DataElementAndIndicatorGroup',
  'DataElementGroupMember',
  'IndicatorGroupMember',
  'DataSet',
  'DataSetElement',
  'DataSetOrgUnit',
  'OrgUnitStructure',
  'OrgUnit',
  'OrgHierarchy',
  'OrgUnitGroup',
  'OrgUnitGroupMember',
  'OrgUnitGroupSet',
  'OrgUnitGroupSetMember',
  'UserName',
  'UserInfoRole',
] as const;

/** The data tables (values), streamed rather than held. */
export const D14_DATA_TABLES = ['RoutineData', 'RoutineDataArchive', 'SemiPermanentData', 'SemiPermanentDataArchive'] as const;
export type D14DataTable = (typeof D14_DATA_TABLES)[number];

const CANONICAL = new Map<string, string>([...D14_META_TABLES, ...D14_DATA_TABLES].map((t) => [t.toLowerCase(), t]));

/** The canonical name of a 1.4 table the importer reads (case-insensitive), or null for any other table. */
export function canonicalTable(name: string): string | null {
  return CANONICAL.get(name.toLowerCase()) ?? null;
}

export function isDataTable(t: string): t is D14DataTable {
  return (D14_DATA_TABLES as readonly string[]).includes(t);
}

/** The key a column is stored under: lower case, the XSD's `Indiacator`/`Indiactor` typos corrected. */
export function columnKey(name: string): string {
  return name.toLowerCase().replace(/^indiacator|^indiactor/, 'indicator');
}

/** `{chr13}{chr10}` (1.4's XML export's markers for characters it did not write) → the characters. */
export function decodeChrMarkers(s: string): string {
  return s.indexOf('{chr') === -1 ? s : s.replace(/\{chr(\d{1,3})\}/gi, (_, n: string) => String.fromCharCode(Number(n)));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** An Access DateTime (mdb-reader: a Date whose UTC fields carry the wall-clock time) as `YYYY-MM-DDTHH:MM:SS`. */
export function accessDateText(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** A cell from mdb-reader normalised to the model (Date → text, boolean → 1/0, '' → null). */
export function mdbCell(v: unknown): D14Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return accessDateText(v);
  if (typeof v === 'bigint') return Number(v);
  // OLE objects, binary: not carried
  return null;
}

/** A number cell ("4.", "4521215.2", 12, "" …); null when empty or not a number. */
export function d14Num(v: D14Cell | undefined): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = v.trim();
  if (s === '') return null;
  const n = Number(s.endsWith('.') ? s.slice(0, -1) : s);
  return Number.isFinite(n) ? n : null;
}

/** An integer cell (IDs, flags); null when empty or not an integer. */
export function d14Int(v: D14Cell | undefined): number | null {
  const n = d14Num(v);
  return n !== null && Number.isInteger(n) ? n : null;
}

/** A text cell, trimmed of nothing; null when empty. */
export function d14Str(v: D14Cell | undefined): string | null {
  if (v === null || v === undefined) return null;
  const s = typeof v === 'number' ? String(v) : v;
  return s === '' ? null : s;
}

/**
 * A date-time cell as `YYYY-MM-DDTHH:MM:SS`: accepts the model's form, `YYYY-MM-DD`, and RoutineData.txt's
 * `yyyy/mm/dd hh:mm:ss` (also with one-digit parts). Null when empty or not a date.
 */
export function d14DateTime(v: D14Cell | undefined): string | null {
  if (v === null || v === undefined || typeof v === 'number') return null;
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?/.exec(v.trim());
  if (!m) return null;
  return `${m[1]}-${pad(+m[2]!)}-${pad(+m[3]!)}T${pad(+(m[4] ?? 0))}:${pad(+(m[5] ?? 0))}:${pad(+(m[6] ?? 0))}`;
}

/** OLE serial days (1.4's ValidFrom/ValidTo) → `YYYY-MM-DD`; null for 0/empty (DHIS2's converter threw on 0). */
export function oleDayToIso(v: D14Cell | undefined): string | null {
  const n = d14Int(v);
  if (n === null || n <= 0) return null;
  const d = new Date(Date.UTC(1899, 11, 30) + n * 86_400_000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** One data value row of RoutineData(Archive) or SemiPermanentData(Archive), as both readers give it. */
export interface D14DataRow {
  table: D14DataTable;
  ou: number | null;
  de: number | null;
  /** RoutineData: DataPeriodID */
  pe: number | null;
  /** SemiPermanentData: the validity range (OLE days) */
  validFrom: number | null;
  validTo: number | null;
  text: string | null;
  yesNo: number | null;
  number: number | null;
  /** EntryDate as `YYYY-MM-DDTHH:MM:SS` */
  date: string | null;
  memo: string | null;
  deleted: boolean;
  comment: string | null;
  lastUserId: number | null;
  /** `YYYY-MM-DDTHH:MM:SS` */
  lastUpdated: string | null;
}

/** A data row from a model row (keys as `columnKey` gives them). */
export function dataRowOf(table: D14DataTable, r: D14Row): D14DataRow {
  return {
    table,
    ou: d14Int(r.orgunitid),
    de: d14Int(r.dataelementid),
    pe: d14Int(r.dataperiodid),
    validFrom: d14Int(r.validfrom),
    validTo: d14Int(r.validto),
    text: d14Str(r.entrytext),
    yesNo: d14Int(r.entryyesno),
    number: d14Num(r.entrynumber),
    date: d14DateTime(r.entrydate),
    memo: d14Str(r.entrymemo),
    deleted: d14Int(r.deleted) === 1,
    comment: d14Str(r.comment),
    lastUserId: d14Int(r.lastuserid),
    lastUpdated: d14DateTime(r.lastupdated),
  };
}

/**
 * A source of 1.4 rows: the metadata tables whole, then the data tables in chunks. `since` (`YYYY-MM-DDTHH:MM:SS`)
 * keeps only rows whose LastUpdated is later (the old importer's incremental filter; rows without one are kept out).
 */
export interface D14Source {
  /** the file (or "archive.zip › entry") the rows come from, for messages */
  label: string;
  /** what was found: metadata tables with their row counts, data tables with theirs (null: unknown until read) */
  metadata(): Promise<D14Tables>;
  dataTables(): D14DataTable[];
  /** rows of one data table in chunks (each chunk at most a few thousand rows) */
  data(table: D14DataTable, since?: string | null): AsyncIterable<D14DataRow[]>;
  /** rows in a data table when known without reading it (mdb), else null */
  dataCount(table: D14DataTable): number | null;
  close(): void;
}
