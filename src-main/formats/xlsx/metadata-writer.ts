/**
 * Metadata as an Excel workbook (the Import/Export app's "XLS metadata export"): a first sheet "Contents" listing each
 * object type with its sheet and number of objects, then one sheet per type with DHIS2's property names as the column
 * headers (id, code, name, shortName, formName, description first, the rest alphabetically), the header row frozen
 * and column widths set from the header and the first rows.
 *
 * Cells: text, numbers and booleans as they are; a reference `{"id": uid}` as "name [uid]" (the uid alone when no
 * name is known); a list as its items joined by "; "; an attribute value as "attribute name [uid]: value"; another
 * object holding references as "(key: value, …)", one without (geometry, style …) as compact JSON. Text past Excel's
 * 32,767 characters a cell is cut with a note saying so, and counted.
 */
import type { Writable } from 'node:stream';
import type { SystemInfo } from '../shared/metadata-record.ts';
import { EXCEL_MAX_ROWS, openWorkbook, sheetName, type CellValue, type XlsxSheet, type XlsxWorkbook } from './sheet.ts';

export interface MetadataSheetWriter {
  /** writes the Contents sheet: the types in the order their sheets follow, with their numbers of objects */
  begin(system: SystemInfo, contents: { type: string; count: number }[]): void;
  /** starts the sheet of `type` with these columns (DHIS2 property names) */
  beginType(type: string, columns: string[]): void;
  /** adds one object; true when the caller should `await room()` before the next */
  object(obj: Record<string, unknown>): boolean;
  room(): Promise<void>;
  endType(type: string): void;
  /** closes the workbook (the output stream ends) */
  end(): Promise<{ truncatedCells: number }>;
}

/** The name of a stored object by uid (null when none is stored). */
export type NameOf = (uid: string) => string | null;

export const CONTENTS_SHEET = 'Contents';
/** properties that lead every sheet, in this order, when the type has them */
export const LEADING_COLUMNS = ['id', 'code', 'name', 'shortName', 'formName', 'description'];
const SAMPLE_ROWS = 50;
const CHECK_EVERY = 500;
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;
/** the keys a reference object may carry besides its id (DHIS2 writes some with names) */
const REF_KEYS = new Set(['id', 'name', 'code', 'displayName', 'shortName', 'displayShortName', 'displayFormName']);

/** The columns of a type's sheet from the property names its objects carry. */
export function orderColumns(keys: Iterable<string>): string[] {
  const all = new Set(keys);
  const lead = LEADING_COLUMNS.filter((k) => all.has(k));
  const rest = [...all].filter((k) => !LEADING_COLUMNS.includes(k)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...lead, ...rest];
}

function isRef(v: unknown): v is { id: string; name?: unknown; displayName?: unknown } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  if (typeof o.id !== 'string') return false;
  for (const k of Object.keys(o)) if (!REF_KEYS.has(k)) return false;
  return true;
}

function holdsRef(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(holdsRef);
  if (!v || typeof v !== 'object') return false;
  if (isRef(v)) return true;
  return Object.values(v).some(holdsRef);
}

/** The text of a reference: "name [uid]", or the uid when no name is known. */
export function refText(ref: { id: string; name?: unknown; displayName?: unknown }, nameOf: NameOf): string {
  const name = nameOf(ref.id) ?? (typeof ref.name === 'string' ? ref.name : typeof ref.displayName === 'string' ? ref.displayName : null);
  return name ? `${name} [${ref.id}]` : ref.id;
}

function text(v: unknown, nameOf: NameOf): string {
  if (v == null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map((x) => text(x, nameOf)).join('; ');
  if (isRef(v)) return refText(v, nameOf);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 2 && isRef(o.attribute) && 'value' in o) return `${refText(o.attribute, nameOf)}: ${text(o.value, nameOf)}`;
  if (!holdsRef(o)) return JSON.stringify(o);
  return '(' + keys.map((k) => `${k}: ${text(o[k], nameOf)}`).join(', ') + ')';
}

/** The cell of one property value. */
export function metadataCell(v: unknown, nameOf: NameOf): CellValue {
  if (v == null) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return text(v, nameOf);
}

function widthOf(header: string, rows: CellValue[][], col: number): number {
  let w = header.length + 3;
  for (const r of rows) {
    const v = r[col];
    if (v == null) continue;
    const s = typeof v === 'string' ? (v.split('\n', 1)[0] ?? '') : String(v);
    if (s.length + 2 > w) w = s.length + 2;
    if (w >= MAX_WIDTH) return MAX_WIDTH;
  }
  return Math.max(MIN_WIDTH, w);
}

export function createXlsxMetadataWriter(out: Writable, nameOf: NameOf, opts: { creator: string; created?: Date; rowsPerSheet?: number }): MetadataSheetWriter {
  const perSheet = Math.max(1, Math.min(opts.rowsPerSheet ?? EXCEL_MAX_ROWS - 1, EXCEL_MAX_ROWS - 1));
  const book: XlsxWorkbook = openWorkbook(out, { creator: opts.creator, created: opts.created });
  const taken = new Set<string>();
  const sheetOf = new Map<string, string>();
  let columns: string[] = [];
  let type = '';
  let ws: XlsxSheet | null = null;
  let pending: CellValue[][] = [];
  let inSheet = 0;
  let sinceCheck = 0;
  let widths: number[] = [];

  const cell = (v: unknown): CellValue => {
    const c = metadataCell(v, nameOf);
    return typeof c === 'string' ? book.fit(c) : c;
  };
  const open = (name: string): XlsxSheet => book.addSheet(name, columns, widths);
  const flushPending = (): void => {
    if (!ws) {
      widths = columns.map((c, i) => widthOf(c, pending, i));
      ws = open(sheetOf.get(type) ?? sheetName(type, taken));
    }
    for (const r of pending) add(r);
    pending = [];
  };
  const add = (r: CellValue[]): void => {
    if (inSheet === perSheet) {
      ws!.commit();
      ws = open(sheetName(sheetOf.get(type) ?? type, taken));
      inSheet = 0;
    }
    ws!.row(r);
    inSheet++;
  };

  return {
    begin(system, contents) {
      for (const c of contents) sheetOf.set(c.type, sheetName(c.type, taken));
      const name = sheetName(CONTENTS_SHEET, new Set([...taken]));
      taken.add(name.toLowerCase());
      const rows: CellValue[][] = contents.map((c) => [sheetOf.get(c.type)!, c.type, c.count]);
      const info: CellValue[][] = [[], ['exported', system.date], ['by', system.version]];
      columns = ['sheet', 'type', 'objects'];
      widths = columns.map((c, i) => widthOf(c, rows, i));
      const contentsSheet = book.addSheet(name, columns, widths);
      for (const r of [...rows, ...info]) contentsSheet.row(r);
      // committed now: the zip writes its parts in order, and every later sheet waits for this one
      contentsSheet.commit();
    },
    beginType(t, cols) {
      type = t;
      columns = cols;
      ws = null;
      pending = [];
      inSheet = 0;
    },
    object(obj) {
      const r = columns.map((c) => cell(obj[c]));
      if (ws) add(r);
      else {
        pending.push(r);
        if (pending.length >= SAMPLE_ROWS) flushPending();
      }
      return ++sinceCheck >= CHECK_EVERY;
    },
    async room() {
      sinceCheck = 0;
      if (ws) await ws.room();
    },
    endType() {
      flushPending();
      ws!.commit();
      ws = null;
    },
    async end() {
      await book.commit();
      return { truncatedCells: book.truncated };
    },
  };
}
