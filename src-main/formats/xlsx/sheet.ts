/**
 * What the xlsx writers share: a streaming workbook (exceljs 4.4 `stream.xlsx.WorkbookWriter`, no shared strings and
 * no styles so memory stays flat and rows stay cheap), Excel's limits (1,048,576 rows a sheet, 32,767 characters a
 * cell, 31-character sheet names without []:*?/\), and back-pressure: exceljs pipes each sheet into the zip without
 * waiting, so the writers pause the producer whenever the zip's deflate is more than a few MB behind.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';

/** Rows an Excel sheet holds (header included). */
export const EXCEL_MAX_ROWS = 1_048_576;
/** Characters an Excel cell holds. */
export const EXCEL_MAX_CELL = 32_767;
const SHEET_NAME_MAX = 31;
/** How far the zip may fall behind the rows before the producer waits (bytes of sheet XML not yet deflated). */
const BEHIND_MAX = 4 * 1024 * 1024;

export type CellValue = string | number | boolean | null;

export interface XlsxWorkbook {
  readonly wb: ExcelJS.stream.xlsx.WorkbookWriter;
  /** adds a sheet with a frozen header row; widths in characters */
  addSheet(name: string, header: string[], widths: number[]): ExcelJS.Worksheet;
  /** a cell's text cut to Excel's limit (counted in `truncated`) */
  fit(s: string): string;
  truncated: number;
  /** resolves when the zip has caught up with the sheet being written */
  room(ws: ExcelJS.Worksheet): Promise<void>;
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

interface SheetStreamInternals {
  pipes?: Writable[];
  buffers?: unknown[];
}

export function openWorkbook(out: Writable, opts: { creator: string; created?: Date }): XlsxWorkbook {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  // the document properties go out when the workbook is committed
  wb.creator = opts.creator;
  wb.lastModifiedBy = opts.creator;
  if (opts.created) {
    wb.created = opts.created;
    wb.modified = opts.created;
  }
  const book: XlsxWorkbook = {
    wb,
    truncated: 0,
    addSheet(name, header, widths) {
      // the sheet view (frozen header) is written when the sheet opens; the filter when it is committed
      const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
      if (header.length) ws.autoFilter = `A1:${columnLetter(header.length)}1`;
      // widths go out with the first committed row, so they are set before it
      ws.columns = widths.map((width) => ({ width }));
      ws.addRow(header).commit();
      return ws;
    },
    fit(s) {
      if (s.length <= EXCEL_MAX_CELL) return s;
      book.truncated++;
      const note = ` … [cut: ${s.length} characters, Excel holds ${EXCEL_MAX_CELL}]`;
      return s.slice(0, EXCEL_MAX_CELL - note.length) + note;
    },
    async room(ws) {
      // exceljs internals (StreamBuf.pipes / .buffers): when they are not there, only yield to the event loop
      for (;;) {
        const s = (ws as unknown as { stream?: SheetStreamInternals }).stream;
        const dest = s?.pipes?.[0];
        if (dest) {
          if (dest.writableLength <= BEHIND_MAX || !dest.writableNeedDrain) return;
          await new Promise<void>((resolve) => dest.once('drain', () => resolve()));
        } else if (s?.buffers && s.buffers.length * 65536 > BEHIND_MAX) {
          // the sheet waits in the zip's queue behind an earlier part
          await new Promise<void>((resolve) => setImmediate(resolve));
        } else {
          if (!s) await new Promise<void>((resolve) => setImmediate(resolve));
          return;
        }
      }
    },
    async commit() {
      await wb.commit();
    },
  };
  return book;
}
