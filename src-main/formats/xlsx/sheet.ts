/**
 * What the xlsx writers share: a streaming workbook (exceljs 4.4 `stream.xlsx.WorkbookWriter`, no shared strings and
 * no styles), Excel's limits (1,048,576 rows a sheet, 32,767 characters a cell, 31-character sheet names without
 * []:*?/\), and back-pressure.
 *
 * exceljs writes the package (content types, workbook, relationships, core properties, the zip) and each sheet's
 * frame: the frozen header view and the column widths. The rows (header included) are written here as
 * SpreadsheetML `<row>` elements straight into the sheet's stream: exceljs's Row and Cell objects (a model, an address
 * and a style lookup per cell) made 1,000,000 values take about 45 s on the bench machine; the same XML written here
 * (inline strings, numbers, booleans) takes about 14 s.
 *
 * Back-pressure: exceljs pipes each sheet into the zip without waiting, so the writers pause the producer whenever the
 * zip's deflate is more than 1 MB behind (see room()).
 */
import type { Writable } from 'node:stream';
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';

type WorkbookWriterClass = typeof ExcelJS.stream.xlsx.WorkbookWriter;

/**
 * exceljs's streaming WorkbookWriter, loaded on the first xlsx export and alone: the registry (and so every import
 * and export, in the main thread and in each worker) loads this module; the whole of exceljs (reader, CSV, document
 * model) costs about 29 MB of RSS once loaded, the writer 17 MB.
 */
let writerClass: WorkbookWriterClass | null = null;
function workbookWriter(): WorkbookWriterClass {
  writerClass ??= createRequire(import.meta.url)('exceljs/lib/stream/xlsx/workbook-writer.js') as WorkbookWriterClass;
  return writerClass;
}

/** Rows an Excel sheet holds (header included). */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Characters an Excel cell holds. */
export const EXCEL_MAX_CELL = 32_767;
const SHEET_NAME_MAX = 31;
/** How far the zip may fall behind the rows before the producer waits (bytes of sheet XML not yet deflated). */
const BEHIND_MAX = 1024 * 1024;
/** Row XML is handed to the sheet's stream in pieces of about this many characters. */
const WRITE_AT = 64 * 1024;

export type CellValue = string | number | boolean | null;

/** One sheet being written: its header is out; rows follow. */
export interface XlsxSheet {
  readonly name: string;
  /** appends one row (null and '' cells stay empty) */
  row(cells: readonly CellValue[]): void;
  /** rows written under the header (the first row() is the header) */
  readonly rows: number;
  /** resolves when the zip has caught up with this sheet */
  room(): Promise<void>;
  /** ends the sheet (no rows after this) */
  commit(): void;
}

export interface XlsxWorkbook {
  /** adds a sheet with a frozen header row; widths in characters */
  addSheet(name: string, header: string[], widths: number[]): XlsxSheet;
  /** a cell's text cut to Excel's limit (counted in `truncated`) */
  fit(s: string): string;
  truncated: number;
  /** writes the workbook's closing parts and ends `out` */
  commit(): Promise<void>;
}

/** An Excel-safe, unique sheet name. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, '-').replace(/^'+|'+$/g, '').slice(0, SHEET_NAME_MAX) || 'Sheet';
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) {
    const suffix = ` ${i}`;
    name = base.slice(0, SHEET_NAME_MAX - suffix.length) + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** 1 → A, 27 → AA */
export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

// XML 1.0 has no place for most control characters (nor U+FFFE/U+FFFF): they are dropped, as exceljs does
// eslint-disable-next-line no-control-regex
const XML_SPECIAL = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const XML_SPECIAL_ALL = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// a carriage return as a reference: a raw one would be read back as a line feed
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

export function xmlText(s: string): string {
  return XML_SPECIAL.test(s) ? s.replace(XML_SPECIAL_ALL, (c) => ESCAPES[c] ?? '') : s;
}

/** A `<c>` element: inline string, number or boolean ('' for an empty cell). */
export function cellXml(ref: string, v: CellValue): string {
  if (v == null || v === '') return '';
  if (typeof v === 'number') return Number.isFinite(v) ? `<c r="${ref}"><v>${v}</v></c>` : cellXml(ref, String(v));
  if (typeof v === 'boolean') return `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
  const space = v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32 ? ' xml:space="preserve"' : '';
  return `<c r="${ref}" t="inlineStr"><is><t${space}>${xmlText(v)}</t></is></c>`;
}

/** A writable of Node's or of readable-stream 2 (archiver's PassThrough), which lacks writableLength/writableNeedDrain. */
interface PipeDest {
  write(chunk: Buffer): unknown;
  writableLength?: number;
  writableNeedDrain?: boolean;
  _writableState?: { length?: number; needDrain?: boolean };
  once(event: 'drain', cb: () => void): unknown;
}

/** exceljs's StreamBuf (the sheet's stream): `pipes` once the zip reads it, `buffers` while it waits in the zip's queue. */
interface SheetStream {
  write(s: string): unknown;
  pipes?: PipeDest[];
  buffers?: unknown[];
  /** hands every buffered chunk to the pipes, in order */
  _flush?: () => void;
}

export function openWorkbook(out: Writable, opts: { creator: string; created?: Date }): XlsxWorkbook {
  const WorkbookWriter = workbookWriter();
  const wb = new WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  // the document properties go out when the workbook is committed
  wb.creator = opts.creator;
  wb.lastModifiedBy = opts.creator;
  if (opts.created) {
    wb.created = opts.created;
    wb.modified = opts.created;
  }
  // a failing output (disk full, medium gone) must fail the export, not leave it waiting for a drain that never comes
  let failure: Error | null = null;
  const waiting = new Set<(e: Error) => void>();
  out.on('error', (e: Error) => {
    failure = e;
    for (const reject of waiting) reject(e);
  });
  const guard = <T>(p: Promise<T>): Promise<T> => {
    if (failure) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => {
      waiting.add(reject);
      p.then(resolve, reject).finally(() => waiting.delete(reject));
    });
  };
  const book: XlsxWorkbook = {
    truncated: 0,
    addSheet(name, header, widths) {
      // the sheet view (frozen header) is written when the sheet opens, the widths with the first row. No auto filter:
      // Excel expects a hidden _xlnm._FilterDatabase name per sheet with it, which exceljs's streaming writer does not write
      const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
      ws.columns = widths.map((width) => ({ width }));
      // an empty first row makes exceljs write the columns and open <sheetData> (it writes no empty row); the header
      // is then row 1 of our own XML, inline strings like every other cell
      ws.addRow([]).commit();
      const sheet = rawSheet(name, ws, header.length, guard);
      sheet.row(header);
      return sheet;
    },
    fit(s) {
      if (s.length <= EXCEL_MAX_CELL) return s;
      book.truncated++;
      const note = ` … [cut: ${s.length} characters, Excel holds ${EXCEL_MAX_CELL}]`;
      return s.slice(0, EXCEL_MAX_CELL - note.length) + note;
    },
    async commit() {
      await guard(wb.commit());
    },
  };
  return book;
}

/** The rows of one sheet, written as XML into the stream exceljs opened for it (after its header row). */
function rawSheet(name: string, ws: ExcelJS.Worksheet, width: number, guard: <T>(p: Promise<T>) => Promise<T>): XlsxSheet {
  const stream = (ws as unknown as { stream: SheetStream }).stream;
  const letters = Array.from({ length: Math.max(width, 1) }, (_, i) => columnLetter(i + 1));
  let rowNo = 0;
  let pending = '';
  // Once the zip reads this sheet, rows go straight to the zip's input: exceljs's StreamBuf would copy every byte
  // into its own 64 KB buffers first, and that garbage (about 1 GB for 1,000,000 values) is what raised the peak
  // RSS. Its buffered chunks (the header) are handed on first, so the order stays.
  let direct: PipeDest | null = null;
  const flush = (): void => {
    if (!pending) return;
    if (!direct && stream.pipes?.length === 1 && stream._flush && Array.isArray(stream.buffers)) {
      stream._flush();
      if (stream.buffers.length === 0) direct = stream.pipes[0]!;
    }
    if (direct) direct.write(Buffer.from(pending, 'utf8'));
    else stream.write(pending);
    pending = '';
  };
  return {
    name,
    get rows() {
      return Math.max(0, rowNo - 1);
    },
    row(cells) {
      const r = String(++rowNo);
      let xml = '';
      for (let i = 0; i < cells.length; i++) {
        const v = cells[i];
        if (v == null || v === '') continue;
        xml += cellXml((letters[i] ?? columnLetter(i + 1)) + r, v);
      }
      if (xml) pending += `<row r="${r}">${xml}</row>`;
      if (pending.length >= WRITE_AT) flush();
    },
    async room() {
      flush();
      for (;;) {
        const dest = stream.pipes?.[0];
        if (dest) {
          const behind = dest.writableLength ?? dest._writableState?.length ?? 0;
          const needDrain = dest.writableNeedDrain ?? dest._writableState?.needDrain ?? false;
          if (behind <= BEHIND_MAX || !needDrain) return;
          await guard(new Promise<void>((resolve) => dest.once('drain', () => resolve())));
        } else if (stream.buffers && stream.buffers.length * 65536 > BEHIND_MAX) {
          // the sheet waits in the zip's queue behind an earlier part
          await guard(new Promise<void>((resolve) => setImmediate(resolve)));
        } else return;
      }
    },
    commit() {
      flush();
      ws.commit();
    },
  };
}
