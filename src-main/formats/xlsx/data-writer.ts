/**
 * Data values as an Excel workbook, for people who analyse in a spreadsheet: one row per value with DHIS2's data
 * value columns (dataElement, period, orgUnit, categoryOptionCombo, attributeOptionCombo, value, storedBy, created,
 * lastUpdated, comment, followup, deleted) and the names beside the identifiers. Values of numeric data elements whose
 * text is a plain number (up to 15 significant digits, so the spreadsheet keeps it exactly) are written as numbers,
 * everything else as text. A sheet holds 1,048,575 values under its header; more continue on "dataValues 2", … —
 * no value is ever dropped. Streams: rows are committed as they come and the zip is written while they do.
 */
import type { Writable } from 'node:stream';
import type { DataValueOut } from '../data-value-writer.ts';
import { EXCEL_MAX_ROWS, openWorkbook, sheetName, type CellValue, type XlsxSheet, type XlsxWorkbook } from './sheet.ts';

/** A value with the names of its dimensions (null when the object has no name or is not stored). */
export interface DataSheetValue extends DataValueOut {
  dataElementName: string | null;
  orgUnitName: string | null;
  categoryOptionComboName: string | null;
  attributeOptionComboName: string | null;
  /** the data element's value type is numeric (NUMBER, INTEGER, PERCENTAGE …) */
  numeric: boolean;
}

export interface DataSheetWriter {
  /** adds one value; true when the caller should `await room()` before the next */
  row(v: DataSheetValue): boolean;
  /** resolves when the zip has caught up */
  room(): Promise<void>;
  /** closes the last sheet and the workbook (the output stream ends) */
  end(): Promise<DataSheetResult>;
}

export interface DataSheetResult {
  /** data value sheets written (more than one past 1,048,575 values) */
  sheets: number;
  /** cells cut to Excel's 32,767 characters */
  truncatedCells: number;
}

export interface DataSheetOptions {
  creator: string;
  created?: Date;
  /** values per sheet (Excel: 1,048,575; smaller in tests) */
  rowsPerSheet?: number;
}

/** [header, width] of each column, in order. */
export const DATA_SHEET_COLUMNS: readonly (readonly [string, number])[] = [
  ['dataElement', 14],
  ['dataElementName', 36],
  ['period', 10],
  ['orgUnit', 14],
  ['orgUnitName', 28],
  ['categoryOptionCombo', 14],
  ['categoryOptionComboName', 26],
  ['attributeOptionCombo', 14],
  ['attributeOptionComboName', 26],
  ['value', 12],
  ['storedBy', 14],
  ['created', 29],
  ['lastUpdated', 29],
  ['comment', 30],
  ['followup', 10],
  ['deleted', 10],
];

const SHEET = 'dataValues';
/** how many rows between two back-pressure checks */
const CHECK_EVERY = 500;
const PLAIN_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** A value's cell: a number when the data element is numeric and the text is a plain number the sheet keeps exactly. */
export function valueCell(value: string | null, numeric: boolean): CellValue {
  if (value == null) return null;
  if (!numeric || value.length > 17 || !PLAIN_NUMBER.test(value)) return value;
  const digits = value.replace(/[-.]/g, '').replace(/^0+/, '');
  const n = Number(value);
  // 15 significant digits: what a spreadsheet keeps exactly; the same text back (no "-0")
  return digits.length <= 15 && String(n) === value ? n : value;
}

export function createXlsxDataWriter(out: Writable, opts: DataSheetOptions): DataSheetWriter {
  const perSheet = Math.max(1, Math.min(opts.rowsPerSheet ?? EXCEL_MAX_ROWS - 1, EXCEL_MAX_ROWS - 1));
  const book: XlsxWorkbook = openWorkbook(out, { creator: opts.creator, created: opts.created });
  const names = new Set<string>();
  const header = DATA_SHEET_COLUMNS.map((c) => c[0]);
  const widths = DATA_SHEET_COLUMNS.map((c) => c[1]);
  let sheets = 1;
  let ws: XlsxSheet = book.addSheet(sheetName(SHEET, names), header, widths);
  let inSheet = 0;
  let sinceCheck = 0;
  const text = (s: string | null): string | null => (s == null ? null : s.length > 32_767 ? book.fit(s) : s);
  return {
    row(v) {
      if (inSheet === perSheet) {
        ws.commit();
        sheets++;
        ws = book.addSheet(sheetName(SHEET, names), header, widths);
        inSheet = 0;
      }
      const value = valueCell(v.value, v.numeric);
      ws.row([
        v.dataElement,
        text(v.dataElementName),
        v.period,
        v.orgUnit,
        text(v.orgUnitName),
        v.categoryOptionCombo,
        text(v.categoryOptionComboName),
        v.attributeOptionCombo,
        text(v.attributeOptionComboName),
        typeof value === 'string' ? text(value) : value,
        v.storedBy,
        v.created,
        v.lastUpdated,
        text(v.comment),
        v.followup ? 'true' : 'false',
        v.deleted ? 'true' : 'false',
      ]);
      inSheet++;
      return ++sinceCheck >= CHECK_EVERY;
    },
    async room() {
      sinceCheck = 0;
      await ws.room();
    },
    async end() {
      ws.commit();
      await book.commit();
      return { sheets, truncatedCells: book.truncated };
    },
  };
}
