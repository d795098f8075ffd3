/**
 * The xlsx writers, read back with exceljs's own reader: the data sheet (columns, names beside ids, numbers only
 * where the text is a plain number of a numeric data element, further sheets past the row limit, frozen header,
 * widths), the metadata workbook (Contents first with counts, one sheet per type, references as "name [uid]", lists,
 * attribute values, long text cut and counted) and the helpers (sheet names, value cells).
 */
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createXlsxDataWriter, DATA_SHEET_COLUMNS, valueCell, type DataSheetValue } from '../../../../src-main/formats/xlsx/data-writer.ts';
import { createXlsxMetadataWriter, metadataCell, orderColumns } from '../../../../src-main/formats/xlsx/metadata-writer.ts';
import { cellXml, columnLetter, EXCEL_MAX_CELL, sheetName, xmlText } from '../../../../src-main/formats/xlsx/sheet.ts';
import { xlsxFormat, XLSX_MIME } from '../../../../src-main/formats/xlsx/index.ts';
import { findFormat, formatInfos } from '../../../../src-main/formats/registry.ts';

/** A stream collecting what is written to it, and the bytes once it ends. */
function collector(): { out: PassThrough; bytes: Promise<Buffer> } {
  const out = new PassThrough();
  const parts: Buffer[] = [];
  out.on('data', (b: Buffer) => parts.push(b));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    out.on('end', () => resolve(Buffer.concat(parts)));
    out.on('error', reject);
  });
  return { out, bytes };
}

async function load(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}

/** The cell values of a sheet, row by row, as wide as the header (empty cells null). */
function rowsOf(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  let width = 0;
  ws.eachRow({ includeEmpty: true }, (row) => {
    const vals = (row.values as unknown[]).slice(1);
    if (!out.length) width = vals.length;
    while (vals.length < width) vals.push(null);
    out.push(Array.from(vals, (v) => (v === undefined ? null : v)));
  });
  return out;
}

const value = (i: number, over: Partial<DataSheetValue> = {}): DataSheetValue => ({
  dataElement: 'fbfJHSPpUQD',
  dataElementName: 'ANC 1st visit',
  period: '202401',
  orgUnit: 'DiszpKrYNg8',
  orgUnitName: 'Ngelehun CHC',
  categoryOptionCombo: 'PT59n8BQbqM',
  categoryOptionComboName: 'Fixed, <1y',
  attributeOptionCombo: 'HllvX50cXC0',
  attributeOptionComboName: 'default',
  value: String(i),
  numeric: true,
  storedBy: 'admin',
  created: '2024-02-01T10:00:00.000+0000',
  lastUpdated: '2024-02-02T10:00:00.000+0000',
  comment: null,
  followup: false,
  deleted: false,
  ...over,
});

describe('xlsx format module', () => {
  it('is registered for metadata and data, written only, as an already compressed .xlsx', () => {
    expect(findFormat('data', 'xlsx')).toBe(xlsxFormat);
    expect(findFormat('metadata', 'xlsx')).toBe(xlsxFormat);
    expect(formatInfos().find((f) => f.id === 'xlsx')).toMatchObject({
      format: 'xlsx', extensions: ['xlsx'], mimeTypes: [XLSX_MIME], reads: [], writes: ['data', 'metadata'], compressed: true,
    });
  });
});

describe('xlsx helpers', () => {
  it('makes Excel-safe, unique sheet names of at most 31 characters', () => {
    const taken = new Set<string>();
    expect(sheetName('dataValues', taken)).toBe('dataValues');
    expect(sheetName('dataValues', taken)).toBe('dataValues 2');
    expect(sheetName('DATAVALUES', taken)).toBe('DATAVALUES 3');
    expect(sheetName('a/b[c]:d*e?f\\g', taken)).toBe('a-b-c--d-e-f-g');
    const long = 'programNotificationTemplatesAndMore';
    expect(sheetName(long, taken)).toBe(long.slice(0, 31));
    expect(sheetName(long, taken)).toBe(long.slice(0, 29) + ' 2');
  });

  it('writes cells as SpreadsheetML: inline strings escaped, numbers, booleans, nothing for empty cells', () => {
    expect(cellXml('A2', 'a < b & c > "d"')).toBe('<c r="A2" t="inlineStr"><is><t>a &lt; b &amp; c &gt; "d"</t></is></c>');
    expect(cellXml('B2', ' padded ')).toBe('<c r="B2" t="inlineStr"><is><t xml:space="preserve"> padded </t></is></c>');
    expect(cellXml('C2', 12.5)).toBe('<c r="C2"><v>12.5</v></c>');
    expect(cellXml('D2', false)).toBe('<c r="D2" t="b"><v>0</v></c>');
    expect(cellXml('E2', null)).toBe('');
    expect(cellXml('E2', '')).toBe('');
    // characters XML 1.0 cannot hold are dropped; a carriage return survives as a reference
    expect(xmlText('a\u0001b\u001fc\td\ne\rf\uffff')).toBe('abc\td\ne&#13;f');
  });

  it('names columns as Excel does', () => {
    expect([1, 16, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'P', 'Z', 'AA', 'AZ', 'AAA']);
  });

  it('writes a value as a number only when it is numeric and its text comes back the same', () => {
    expect(valueCell('12', true)).toBe(12);
    expect(valueCell('-2', true)).toBe(-2);
    expect(valueCell('1.5', true)).toBe(1.5);
    expect(valueCell('0', true)).toBe(0);
    expect(valueCell('12', false)).toBe('12');
    for (const keep of ['007', '1.50', '1e3', '-0', '+4', ' 4', '1234567890123456', '0.1234567890123456', 'abc', '']) expect(valueCell(keep, true)).toBe(keep);
    expect(valueCell('123456789012345', true)).toBe(123456789012345);
    expect(valueCell(null, true)).toBeNull();
  });

  it('orders columns: id, code, name, shortName, formName, description, then the rest alphabetically', () => {
    expect(orderColumns(['valueType', 'name', 'zeta', 'id', 'aggregationType', 'shortName', 'code'])).toEqual([
      'id', 'code', 'name', 'shortName', 'aggregationType', 'valueType', 'zeta',
    ]);
  });

  it('shows references by name and uid, lists joined, attribute values, other objects', () => {
    const names: Record<string, string> = { Ref00000001: 'Sex', Ref00000002: 'Age', Attr0000001: 'Legacy id' };
    const nameOf = (uid: string): string | null => names[uid] ?? null;
    expect(metadataCell({ id: 'Ref00000001' }, nameOf)).toBe('Sex [Ref00000001]');
    expect(metadataCell({ id: 'Unknown0001' }, nameOf)).toBe('Unknown0001');
    expect(metadataCell({ id: 'Unknown0001', name: 'From the file' }, nameOf)).toBe('From the file [Unknown0001]');
    expect(metadataCell([{ id: 'Ref00000001' }, { id: 'Ref00000002' }], nameOf)).toBe('Sex [Ref00000001]; Age [Ref00000002]');
    expect(metadataCell([{ attribute: { id: 'Attr0000001' }, value: 'L-1' }], nameOf)).toBe('Legacy id [Attr0000001]: L-1');
    expect(metadataCell([{ dataElement: { id: 'Ref00000002' }, categoryCombo: { id: 'Ref00000001' } }], nameOf)).toBe(
      '(dataElement: Age [Ref00000002], categoryCombo: Sex [Ref00000001])',
    );
    expect(metadataCell({ type: 'Point', coordinates: [-11.5, 8.25] }, nameOf)).toBe('{"type":"Point","coordinates":[-11.5,8.25]}');
    expect(metadataCell(['A', 'B'], nameOf)).toBe('A; B');
    expect(metadataCell(true, nameOf)).toBe(true);
    expect(metadataCell(12, nameOf)).toBe(12);
    expect(metadataCell(null, nameOf)).toBeNull();
  });
});

describe('xlsx data writer', () => {
  it('writes one row per value with names beside the ids, numbers for plain numeric values, a frozen header', async () => {
    const { out, bytes } = collector();
    const w = createXlsxDataWriter(out, { creator: 'Ferry test', created: new Date('2024-05-01T00:00:00Z') });
    w.row(value(12, { comment: 'checked, "twice"', followup: true }));
    w.row(value(0, { value: '007', categoryOptionComboName: null }));
    w.row(value(0, { value: 'Stock-out <24h> & "late"', numeric: false, deleted: true, dataElementName: 'Remarks' }));
    w.row(value(0, { value: '1.5', storedBy: null, created: null, comment: ' line 1\r\nline 2 \u0007' }));
    expect(await w.end()).toEqual({ sheets: 1, truncatedCells: 0 });
    const wb = await load(await bytes);
    expect(wb.creator).toBe('Ferry test');
    expect(wb.worksheets.map((s) => s.name)).toEqual(['dataValues']);
    const ws = wb.worksheets[0]!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.columns.map((c) => c.width)).toEqual(DATA_SHEET_COLUMNS.map((c) => c[1]));
    const rows = rowsOf(ws);
    expect(rows[0]).toEqual(DATA_SHEET_COLUMNS.map((c) => c[0]));
    expect(rows[1]).toEqual([
      'fbfJHSPpUQD', 'ANC 1st visit', '202401', 'DiszpKrYNg8', 'Ngelehun CHC', 'PT59n8BQbqM', 'Fixed, <1y', 'HllvX50cXC0', 'default',
      12, 'admin', '2024-02-01T10:00:00.000+0000', '2024-02-02T10:00:00.000+0000', 'checked, "twice"', 'true', 'false',
    ]);
    expect(rows[2]![9]).toBe('007');
    expect(rows[2]![6]).toBeNull();
    expect(rows[3]![9]).toBe('Stock-out <24h> & "late"');
    expect(rows[3]![1]).toBe('Remarks');
    expect(rows[3]![15]).toBe('true');
    expect(rows[4]![9]).toBe(1.5);
    expect(rows[4]![10]).toBeNull();
    expect(rows[4]![13]).toBe(' line 1\r\nline 2 ');
    expect(rows).toHaveLength(5);
  });

  it('continues on further sheets past the row limit, dropping nothing', async () => {
    const { out, bytes } = collector();
    const w = createXlsxDataWriter(out, { creator: 'Ferry test', rowsPerSheet: 3 });
    for (let i = 1; i <= 7; i++) {
      if (w.row(value(i))) await w.room();
    }
    expect(await w.end()).toEqual({ sheets: 3, truncatedCells: 0 });
    const wb = await load(await bytes);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['dataValues', 'dataValues 2', 'dataValues 3']);
    const values = wb.worksheets.map((s) => rowsOf(s).slice(1).map((r) => r[9]));
    expect(values).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    for (const s of wb.worksheets) {
      expect(rowsOf(s)[0]![0]).toBe('dataElement');
      expect(s.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
  });

  it('fails, rather than waiting for ever, when the output fails (a full disk)', async () => {
    let bytes = 0;
    const out = new Writable({
      write(chunk: Buffer, _enc, cb) {
        bytes += chunk.length;
        cb(bytes > 20_000 ? new Error('ENOSPC: no space left on device') : null);
      },
    });
    const w = createXlsxDataWriter(out, { creator: 'Ferry test' });
    const run = async (): Promise<void> => {
      for (let i = 0; i < 200_000; i++) if (w.row(value(i, { comment: 'x'.repeat(50) }))) await w.room();
      await w.end();
    };
    await expect(run()).rejects.toThrow(/ENOSPC/);
  });

  it('cuts text past 32,767 characters with a note, and counts it', async () => {
    const { out, bytes } = collector();
    const w = createXlsxDataWriter(out, { creator: 'Ferry test' });
    w.row(value(0, { value: 'x'.repeat(40_000), numeric: false }));
    expect(await w.end()).toEqual({ sheets: 1, truncatedCells: 1 });
    const cell = rowsOf((await load(await bytes)).worksheets[0]!)[1]![9] as string;
    expect(cell).toHaveLength(EXCEL_MAX_CELL);
    expect(cell).toMatch(/^x+ … \[cut: 40000 characters, Excel holds 32767\]$/);
  });
});

describe('xlsx metadata writer', () => {
  it('writes Contents first, then a sheet per type with DHIS2 property names, references by name and uid', async () => {
    const { out, bytes } = collector();
    const names: Record<string, string> = { CcSex000001: 'Sex', OuRoot00001: 'Root' };
    const w = createXlsxMetadataWriter(out, (uid) => names[uid] ?? null, { creator: 'Ferry test' });
    w.begin({ id: 'ferry', rev: 'r', version: 'ferry-9.9.9', date: '2024-05-01T00:00:00.000' }, [
      { type: 'dataElements', count: 2 },
      { type: 'organisationUnits', count: 1 },
      { type: 'indicators', count: 0 },
    ]);
    w.beginType('dataElements', ['id', 'name', 'categoryCombo', 'zeroIsSignificant', 'description']);
    w.object({ id: 'DeNum000001', name: 'Malaria cases', categoryCombo: { id: 'CcSex000001' }, zeroIsSignificant: true });
    w.object({ id: 'DeText00001', name: 'Remarks', categoryCombo: { id: 'Missing0001' }, zeroIsSignificant: false, description: 'y'.repeat(EXCEL_MAX_CELL + 1) });
    w.endType('dataElements');
    w.beginType('organisationUnits', ['id', 'name', 'parent', 'openingDate']);
    w.object({ id: 'OuA00000001', name: 'District A', parent: { id: 'OuRoot00001' }, openingDate: '1970-01-01T00:00:00.000', ignored: 'not a column' });
    w.endType('organisationUnits');
    w.beginType('indicators', ['id', 'name']);
    w.endType('indicators');
    expect(await w.end()).toEqual({ truncatedCells: 1 });

    const wb = await load(await bytes);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Contents', 'dataElements', 'organisationUnits', 'indicators']);
    const contents = rowsOf(wb.getWorksheet('Contents')!);
    expect(contents.slice(0, 4)).toEqual([
      ['sheet', 'type', 'objects'],
      ['dataElements', 'dataElements', 2],
      ['organisationUnits', 'organisationUnits', 1],
      ['indicators', 'indicators', 0],
    ]);
    expect(contents.slice(4)).toEqual([[null, null, null], ['exported', '2024-05-01T00:00:00.000', null], ['by', 'ferry-9.9.9', null]]);

    const de = wb.getWorksheet('dataElements')!;
    const deRows = rowsOf(de);
    expect(deRows[0]).toEqual(['id', 'name', 'categoryCombo', 'zeroIsSignificant', 'description']);
    expect(deRows[1]).toEqual(['DeNum000001', 'Malaria cases', 'Sex [CcSex000001]', true, null]);
    expect(deRows[2]!.slice(0, 4)).toEqual(['DeText00001', 'Remarks', 'Missing0001', false]);
    expect(deRows[2]![4]).toHaveLength(EXCEL_MAX_CELL);
    expect(de.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // widths: header or the longest value (+2), at least 8, at most 60
    expect(de.columns.map((c) => c.width)).toEqual([13, 15, 19, 20, 60]);

    expect(rowsOf(wb.getWorksheet('organisationUnits')!)).toEqual([
      ['id', 'name', 'parent', 'openingDate'],
      ['OuA00000001', 'District A', 'Root [OuRoot00001]', '1970-01-01T00:00:00.000'],
    ]);
    expect(rowsOf(wb.getWorksheet('indicators')!)).toEqual([['id', 'name']]);
  });
});
