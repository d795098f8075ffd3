/**
 * Excel's row limit, for real: 1,048,576 values through the xlsx data writer with its default limit fill the first
 * sheet to exactly 1,048,576 rows (header + 1,048,575 values) and put the last value on "dataValues 2" — nothing is
 * dropped. The workbook is read back by streaming it through fflate's unzip and counting <row> elements per sheet
 * (the cells are kept small so the file stays small; exceljs reading a million rows would take minutes).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Unzip, UnzipInflate, strFromU8 } from 'fflate';
import { createXlsxDataWriter, type DataSheetValue } from '../../src-main/formats/xlsx/data-writer.ts';
import { EXCEL_MAX_ROWS } from '../../src-main/formats/xlsx/sheet.ts';

const small = (i: number): DataSheetValue => ({
  dataElement: null,
  dataElementName: null,
  period: '',
  orgUnit: null,
  orgUnitName: null,
  categoryOptionCombo: null,
  categoryOptionComboName: null,
  attributeOptionCombo: null,
  attributeOptionComboName: null,
  value: String(i),
  numeric: true,
  storedBy: null,
  created: null,
  lastUpdated: null,
  comment: null,
  followup: false,
  deleted: false,
});

describe('xlsx data writer at Excel’s row limit', () => {
  it('fills a sheet to 1,048,576 rows and continues on the next', { timeout: 240_000 }, async () => {
    // rows per worksheet entry, counted while the zip streams out of the writer
    const rows = new Map<string, number>();
    const lastValue = new Map<string, string>();
    let workbookXml = '';
    const unzip = new Unzip((file) => {
      const sheet = /^xl\/worksheets\/(sheet\d+)\.xml$/.exec(file.name)?.[1];
      if (!sheet && file.name !== 'xl/workbook.xml') return;
      let carry = '';
      file.ondata = (err, chunk, final) => {
        if (err) throw err;
        const text = carry + strFromU8(chunk);
        if (!sheet) workbookXml += text;
        else {
          // a "<row " split across two chunks is counted once: keep the last 4 characters for the next chunk
          const counted = text.slice(0, Math.max(0, text.length - 4));
          rows.set(sheet, (rows.get(sheet) ?? 0) + (counted.match(/<row /g)?.length ?? 0));
          const at = text.lastIndexOf('<c r="J');
          const m = at >= 0 ? /^<c r="J\d+"><v>(\d+)<\/v><\/c>/.exec(text.slice(at, at + 40)) : null;
          if (m) lastValue.set(sheet, m[1]!);
        }
        carry = sheet ? text.slice(-4) : '';
        if (final && sheet) rows.set(sheet, rows.get(sheet)! + (carry.includes('<row') ? 1 : 0));
      };
      file.start();
    });
    unzip.register(UnzipInflate);
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        unzip.push(chunk);
        cb();
      },
      final(cb) {
        unzip.push(new Uint8Array(0), true);
        cb();
      },
    });
    const done = new Promise<void>((resolve) => out.on('finish', () => resolve()));
    const w = createXlsxDataWriter(out, { creator: 'Ferry test' });
    const total = EXCEL_MAX_ROWS; // one value more than the first sheet holds
    for (let i = 1; i <= total; i++) if (w.row(small(i))) await w.room();
    expect(await w.end()).toEqual({ sheets: 2, truncatedCells: 0 });
    await done;
    expect(workbookXml).toMatch(/<sheet sheetId="1" name="dataValues"[^>]*\/><sheet sheetId="2" name="dataValues 2"/);
    expect(Object.fromEntries(rows)).toEqual({ sheet1: EXCEL_MAX_ROWS, sheet2: 2 });
    expect(Object.fromEntries(lastValue)).toEqual({ sheet1: String(EXCEL_MAX_ROWS - 1), sheet2: String(EXCEL_MAX_ROWS) });
  });
});
