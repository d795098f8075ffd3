/**
 * xlsx exports end to end (job API, CLI): the metadata workbook (Contents, one sheet per chosen type, references by
 * name and uid, skipSharing honoured), data as one row per value with names, the same rows as Ferry's CSV export of the
 * same selection, compression refused, and — the proof with a tool no one here wrote — LibreOffice Calc reading both
 * workbooks back (`soffice --headless --convert-to csv`, every sheet to its own file): the same cells as exceljs
 * reads, and the data rows equal to Ferry's CSV export. Skipped with a message when soffice is absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { ferryCli } from '../helpers/cli.ts';
import { seedData, seedMetadata, seedValues, U } from '../unit/exporters/seed.ts';
import { runExport, sha256, summaryOf } from '../unit/exporters/read-export.ts';
import { DATA_SHEET_COLUMNS } from '../../src-main/formats/xlsx/data-writer.ts';

let dir: string;
let f: Ferry;

beforeEach(() => {
  dir = tmpDir('ferry-xlsx-');
  f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  seedMetadata(f.db);
  seedData(f.db);
});
afterEach(async () => {
  await f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function workbook(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/** A sheet's cells as text, the way a CSV of it reads (numbers as written, booleans TRUE/FALSE, empty ''). */
function sheetText(ws: ExcelJS.Worksheet): string[][] {
  const out: string[][] = [];
  let width = 0;
  ws.eachRow({ includeEmpty: true }, (row) => {
    const vals = (row.values as unknown[]).slice(1);
    if (!out.length) width = vals.length;
    const cells: string[] = [];
    for (let i = 0; i < width; i++) {
      const v = vals[i];
      cells.push(v == null ? '' : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v));
    }
    out.push(cells);
  });
  return out;
}

const csvRows = (text: string): string[][] => Papa.parse<string[]>(text.replace(/\r?\n$/, ''), { header: false }).data;

/** The columns of the xlsx data sheet that Ferry's CSV export carries, in the CSV's order. */
const CSV_COLUMNS = ['dataElement', 'period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'value', 'storedBy', 'lastUpdated', 'comment', 'followup', 'deleted'];
const CSV_INDEX = CSV_COLUMNS.map((c) => DATA_SHEET_COLUMNS.findIndex((x) => x[0] === c));

/** A data selection as the wizard sends it: two districts with their children, one data set, 2024. */
const SELECTION = { orgUnits: [{ id: U.ouA, mode: 'CHILDREN' }, { id: U.ouB, mode: 'SELECTED' }], dataSet: [U.ds1], startDate: '2024-01-01', endDate: '2024-12-31', includeDeleted: true };

describe('xlsx metadata export', () => {
  it('writes Contents and one sheet per chosen type, DHIS2 property names, references by name and uid', async () => {
    const out = path.join(dir, 'meta.xlsx');
    const s = summaryOf(await runExport(f, { kind: 'metadata', out, format: 'xlsx', compression: 'none', options: { types: ['dataSets', 'dataElements', 'organisationUnits'], skipSharing: true } }));
    expect(s).toMatchObject({ status: 'OK', format: 'xlsx', compression: 'none', counts: { organisationUnits: 4, dataElements: 3, dataSets: 2 } });
    expect(s.bytes).toBe(fs.statSync(out).size);
    expect(s.sha256).toBe(sha256(out));
    // an xlsx is a zip: PK magic
    expect(fs.readFileSync(out).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const wb = await workbook(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Contents', 'organisationUnits', 'dataElements', 'dataSets']);
    expect(sheetText(wb.getWorksheet('Contents')!).slice(0, 4)).toEqual([
      ['sheet', 'type', 'objects'],
      ['organisationUnits', 'organisationUnits', '4'],
      ['dataElements', 'dataElements', '3'],
      ['dataSets', 'dataSets', '2'],
    ]);
    const de = sheetText(wb.getWorksheet('dataElements')!);
    expect(de[0]!.slice(0, 4)).toEqual(['id', 'code', 'name', 'shortName']);
    const col = (name: string): number => de[0]!.indexOf(name);
    const mal = de.find((r) => r[0] === U.deNum)!;
    expect(mal[col('categoryCombo')]).toBe(`Sex [${U.ccSex}]`);
    expect(mal[col('legendSets')]).toBe(`Traffic [${U.legendSet}]`);
    expect(mal[col('attributeValues')]).toBe(`Legacy id [${U.attr}]: L-NUM`);
    expect(mal[col('zeroIsSignificant')]).toBe('TRUE');
    const ds = sheetText(wb.getWorksheet('dataSets')!);
    // skipSharing: no sharing columns at all
    expect(ds[0]).not.toContain('sharing');
    expect(ds[0]).not.toContain('publicAccess');
    const monthly = ds.find((r) => r[0] === U.ds1)!;
    expect(monthly[ds[0]!.indexOf('organisationUnits')]).toBe(`District A [${U.ouA}]; District B [${U.ouB}]; Clinic A1 [${U.ouA1}]`);
    const ou = sheetText(wb.getWorksheet('organisationUnits')!);
    expect(ou.find((r) => r[0] === U.ouA1)![ou[0]!.indexOf('parent')]).toBe(`District A [${U.ouA}]`);
    for (const ws of wb.worksheets) expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('refuses zip and gzip for xlsx before any job starts (an xlsx is already a zip)', async () => {
    const before = f.jobs.jobs.list(1000).length;
    for (const compression of ['zip', 'gzip'] as const) {
      const r = await invoke(f.handlers, 'export:start', { kind: 'data', out: path.join(dir, 'x.xlsx'), format: 'xlsx', compression });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toBe(`An xlsx file is already compressed (it is a zip): export it with compression none, not ${compression}.`);
    }
    expect(f.jobs.jobs.list(1000)).toHaveLength(before);
    expect(fs.existsSync(path.join(dir, 'x.xlsx'))).toBe(false);
  });

  it('CLI: ferry export metadata --format xlsx --types …, and dependencies as xlsx', async () => {
    await f.close();
    const db = path.join(dir, 'site.sqlite');
    const out = path.join(dir, 'cli-meta.xlsx');
    const r = await ferryCli(['--db', db, 'export', 'metadata', '--format', 'xlsx', '--types', 'dataElements,indicators', '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.json()).toMatchObject({ status: 'OK', format: 'xlsx', counts: { dataElements: 3, indicators: 1 } });
    expect((await workbook(out)).worksheets.map((w) => w.name)).toEqual(['Contents', 'dataElements', 'indicators']);
    const dep = path.join(dir, 'cli-dep.xlsx');
    const d = await ferryCli(['--db', db, 'export', 'dependencies', '--format', 'xlsx', '--object-type', 'dataSets', '--object-id', U.ds2, '--out', dep, '--json']);
    expect(d.code).toBe(0);
    const names = (await workbook(dep)).worksheets.map((w) => w.name);
    expect(names[0]).toBe('Contents');
    expect(names).toEqual(expect.arrayContaining(['dataSets', 'dataElements', 'categoryCombos']));
    f = openFerry({ dbPath: db, mode: 'inline' });
  });
});

describe('xlsx data export', () => {
  it('gives the same rows as the CSV export of the same selection, with names beside the ids', async () => {
    const xlsx = path.join(dir, 'data.xlsx');
    const csv = path.join(dir, 'data.csv');
    const sx = summaryOf(await runExport(f, { kind: 'data', out: xlsx, format: 'xlsx', compression: 'none', options: SELECTION }));
    const sc = summaryOf(await runExport(f, { kind: 'data', out: csv, format: 'csv', compression: 'none', options: SELECTION }));
    const wanted = seedValues().filter((v) => [U.ouA, U.ouA1, U.ouB].includes(v.ou) && v.de !== U.deOther && v.pe.startsWith('2024'));
    expect(sx.counts).toEqual({ dataValues: wanted.length, sheets: 1, deleted: 1 });
    expect(sc.counts.dataValues).toBe(wanted.length);
    const rows = sheetText((await workbook(xlsx)).getWorksheet('dataValues')!);
    expect(rows[0]).toEqual(DATA_SHEET_COLUMNS.map((c) => c[0]));
    const fromCsv = csvRows(fs.readFileSync(csv, 'utf8')).slice(1);
    expect(rows.slice(1).map((r) => CSV_INDEX.map((i) => r[i]))).toEqual(fromCsv);
    const byKey = new Map(rows.slice(1).map((r) => [`${r[0]}|${r[2]}|${r[3]}|${r[5]}|${r[7]}`, r]));
    expect(byKey.get(`${U.deNum}|202401|${U.ouA}|${U.cocM}|${U.def.coc}`)!.slice(0, 11)).toEqual([
      U.deNum, 'Malaria cases', '202401', U.ouA, 'District A', U.cocM, 'Male', U.def.coc, 'default', '12', 'alice',
    ]);
    expect(byKey.get(`${U.deText}|202402|${U.ouB}|${U.def.coc}|${U.def.coc}`)![15]).toBe('true');
  });

  it('keeps the output id schemes and still names every dimension', async () => {
    const out = path.join(dir, 'codes.xlsx');
    summaryOf(await runExport(f, { kind: 'data', out, format: 'xlsx', compression: 'none', options: { ...SELECTION, idScheme: 'CODE' } }));
    const rows = sheetText((await workbook(out)).getWorksheet('dataValues')!);
    const r = rows.find((x) => x[0] === 'MAL_CASES' && x[6] === 'Female')!;
    expect(r.slice(0, 9)).toEqual(['MAL_CASES', 'Malaria cases', '202401', 'DIST_A', 'District A', 'COC_F', 'Female', 'default', 'default']);
  });
});

// LibreOffice Calc: the proof that another program reads the same cells
const soffice = spawnSync('soffice', ['--version'], { encoding: 'utf8' });
const hasSoffice = soffice.status === 0;
if (!hasSoffice) console.log('[export-xlsx] soffice (libreoffice-calc) is not installed: the LibreOffice read-back test is skipped');

describe.skipIf(!hasSoffice)('xlsx read back by LibreOffice Calc', () => {
  it('every sheet converts to the same cells, and the data rows equal the CSV export', { timeout: 180_000 }, async () => {
    const meta = path.join(dir, 'meta.xlsx');
    const data = path.join(dir, 'data.xlsx');
    const csv = path.join(dir, 'data.csv');
    summaryOf(await runExport(f, { kind: 'metadata', out: meta, format: 'xlsx', compression: 'none' }));
    summaryOf(await runExport(f, { kind: 'data', out: data, format: 'xlsx', compression: 'none', options: SELECTION }));
    summaryOf(await runExport(f, { kind: 'data', out: csv, format: 'csv', compression: 'none', options: SELECTION }));
    const lo = path.join(dir, 'lo');
    fs.mkdirSync(lo);
    // one start of LibreOffice for both files; token 12 = -1: every sheet to its own <name>-<sheet>.csv (LibreOffice 7.2+);
    // token 9 false: raw values, not as displayed; UTF-8 (76); comma, double quote
    const r = spawnSync(
      'soffice',
      [`-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', lo, meta, data],
      { encoding: 'utf8', timeout: 150_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    console.log(`[export-xlsx] ${soffice.stdout.trim()}: converted ${fs.readdirSync(lo).length} sheets`);

    const wb = await workbook(meta);
    expect(wb.worksheets.length).toBeGreaterThan(10);
    for (const ws of wb.worksheets) {
      const file = path.join(lo, `meta-${ws.name}.csv`);
      expect(fs.existsSync(file), `${ws.name} converted`).toBe(true);
      const got = csvRows(fs.readFileSync(file, 'utf8'));
      expect(got, ws.name).toEqual(sheetText(ws));
    }
    // markup kept as stored text (the seed's form holds a literal "&amp;")
    const forms = csvRows(fs.readFileSync(path.join(lo, 'meta-dataEntryForms.csv'), 'utf8'));
    expect(forms[1]![forms[0]!.indexOf('htmlCode')]).toBe('<p>form &amp; "quotes"</p>');
    const loData = csvRows(fs.readFileSync(path.join(lo, 'data-dataValues.csv'), 'utf8'));
    expect(loData[0]).toEqual(DATA_SHEET_COLUMNS.map((c) => c[0]));
    const fromCsv = csvRows(fs.readFileSync(csv, 'utf8'));
    expect(loData.length).toBe(fromCsv.length);
    expect(loData.slice(1).map((row) => CSV_INDEX.map((i) => row[i]))).toEqual(fromCsv.slice(1));
    // and the names LibreOffice shows beside the ids
    expect(loData.find((row) => row[0] === U.deNum && row[6] === 'Male' && row[8] === 'Mechanism A')?.[9]).toBe('40');
  });
});
