/**
 * Exports to DHIS 1.4 through the job API (export:start + jobs.wait), read back with Ferry's 1.4 XML reader
 * (importers/dhis14/source.ts): the zip's two entries and their bytes (ISO-8859-1, CRLF, `{chr13}{chr10}`, "4."),
 * the objects (names, codes, hierarchy, groups, data sets, indicator formulas in 1.4's form), the values with their
 * comments and periods as 1.4 numbers them, what 1.4 cannot hold (counted, warned), bad options, and the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import { openDhis14Source } from '../../src-main/importers/dhis14/source.ts';
import type { D14DataRow, D14Row, D14Tables } from '../../src-main/formats/shared/dhis14.ts';
import { oleDayToIso } from '../../src-main/formats/shared/dhis14.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';
import { ferryCli } from '../helpers/cli.ts';
import { seedData, seedMetadata, U } from '../unit/exporters/seed.ts';
import { runExport, sha256, summaryOf } from '../unit/exporters/read-export.ts';

let dir: string;
let f: Ferry;

beforeEach(() => {
  dir = tmpDir('ferry-dhis14-export-');
  f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  seedMetadata(f.db);
  seedData(f.db);
});
afterEach(async () => {
  await f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function readBack(file: string): Promise<{ tables: D14Tables; rows: D14DataRow[] }> {
  const src = await openDhis14Source(file, { requireData: true });
  try {
    const tables = await src.metadata();
    const rows: D14DataRow[] = [];
    for await (const chunk of src.data('RoutineData')) rows.push(...chunk);
    return { tables, rows };
  } finally {
    src.close();
  }
}
/** rows with their id, level, flag and date-number columns as numbers (the XML reader keeps cells as text) */
const NUMERIC = /id$|^validfrom$|^validto$|factor$|level$|^active$|^annualised$|count$/;
const rowsOf = (t: D14Tables, name: string): D14Row[] =>
  (t.get(name) ?? []).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, NUMERIC.test(k) && typeof v === 'string' ? Number(v) : v])));
const byName = (t: D14Tables, table: string, col: string, name: string): D14Row => {
  const r = rowsOf(t, table).find((x) => x[col] === name);
  if (!r) throw new Error(`${table}: no row named ${name}`);
  return r;
};

describe('dhis14-metadata', () => {
  it('writes the zip 1.4 writes and the 1.4 XML reader gives back the objects, hierarchy and groups', async () => {
    const out = path.join(dir, 'meta14.zip');
    const s = summaryOf(await runExport(f, { kind: 'dhis14-metadata', out }));
    expect(s).toMatchObject({ responseType: 'ExportSummary', format: 'xml', compression: 'zip' });
    expect(s.bytes).toBe(fs.statSync(out).size);
    expect(s.sha256).toBe(sha256(out));
    expect(fs.existsSync(out + '.part')).toBe(false);
    expect(s.counts).toMatchObject({ dataElements: 3, indicators: 1, indicatorTypes: 1, dataElementGroups: 1, indicatorGroups: 0, dataSets: 2, organisationUnits: 4, organisationUnitGroups: 1 });

    // the zip: MetaData.xml then RoutineData.txt; Latin-1, CRLF only
    const entries = unzipSync(fs.readFileSync(out));
    expect(Object.keys(entries)).toEqual(['MetaData.xml', 'RoutineData.txt']);
    const xml = Buffer.from(entries['MetaData.xml']!).toString('latin1');
    expect(xml.startsWith('<?xml version="1.0" encoding="ISO-8859-1"?>\r\n<root xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:od="urn:schemas-microsoft-com:officedata">\r\n<xsd:schema>')).toBe(true);
    expect(xml.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(xml).toContain('<xsd:element name="DataElementID" minOccurs="1" od:jetType="integer" od:sqlSType="smallint" od:nonNullable="yes" type="xsd:short">');
    expect(Buffer.from(entries['RoutineData.txt']!).toString('latin1')).toBe(
      '"RoutineDataID","OrgUnitID","DataElementID","DataPeriodID","EntryText","EntryYesNo","EntryNumber","EntryDate","EntryMemo","EntryObject","Check","Verified","Deleted","Comment","LastUserID","LastUpdated"\r\n',
    );

    const { tables, rows } = await readBack(out);
    expect(rows).toHaveLength(0);
    // data elements: ids are ranks in id order; value types and aggregation as 1.4 codes them
    const des = rowsOf(tables, 'DataElement');
    expect(des.map((r) => [r.dataelementid, r.dataelementname, r.dataelementshort, r.dataelementcode, r.datatypeid, r.aggregateoperator, r.dataperiodtypeid])).toEqual([
      [1, 'Malaria cases', 'Malaria cases', 'MAL_CASES', 3, 'Sum', 1],
      [2, 'Remarks, free text', 'Remarks', 'REMARKS', 4, 'Sum', 1],
      [3, 'Other', 'Other', 'OTHER', 3, 'Sum', 1],
    ]);
    expect(rowsOf(tables, 'IndicatorType')).toEqual([{ indicatortypeid: 1, indicatortypename: 'Per cent', factor: 100 }]);
    const ind = byName(tables, 'Indicator', 'indicatorname', 'Share male');
    expect(ind).toMatchObject({ indicatorcode: 'SHARE_M', indicatortypeid: 1, indicatornumerator: 'Sum([R1])', indicatordenominator: 'Sum([R1])', annualised: 0 });
    expect(s.counts.indicatorFormulasChanged).toBe(1); // #{de.cocMale}: 1.4 has no disaggregation
    expect(s.status).toBe('WARNING');
    expect(s.warnings?.join(' ')).toContain('Share male');

    // org units and the hierarchy: the root row has parent = child; levels from the tree
    const ous = new Map(rowsOf(tables, 'OrgUnit').map((r) => [r.orgunitname, r]));
    expect([...ous.keys()].sort()).toEqual(['Clinic A1', 'District A', 'District B', 'Root']);
    expect(ous.get('Clinic A1')).toMatchObject({ orgunitcode: 'CLINIC_A1', orgunitlevel: 3, active: 1, orgunitshort: 'Clinic A1' });
    expect(oleDayToIso(ous.get('Root')!.validfrom!)).toBe('1970-01-01');
    const idOf = (name: string): number => ous.get(name)!.orgunitid as number;
    const edges = rowsOf(tables, 'OrgHierarchy').map((r) => [r.orgunitchildid, r.orgunitparentid, r.orgunitlevel]);
    expect(edges).toEqual(
      expect.arrayContaining([
        [idOf('Root'), idOf('Root'), 1],
        [idOf('District A'), idOf('Root'), 2],
        [idOf('District B'), idOf('Root'), 2],
        [idOf('Clinic A1'), idOf('District A'), 3],
      ]),
    );
    expect(edges).toHaveLength(4);
    expect(rowsOf(tables, 'OrgUnitStructure')[0]).toMatchObject({ orgunitstructureid: 1, orgunitlevelcount: 3 });

    // groups: one 1.4 table for data element and indicator groups
    expect(rowsOf(tables, 'DataElementAndIndicatorGroup').map((r) => r.dataelementandindicatorgroupname)).toEqual(['Text elements']);
    expect(rowsOf(tables, 'DataElementGroupMember')).toEqual([{ dataelementandindicatorgroupid: 1, dataelementid: 2 }]);
    expect(rowsOf(tables, 'OrgUnitGroup')).toEqual([{ orgunitgroupid: 1, orgunitgroupname: 'Hospitals' }]);
    expect(rowsOf(tables, 'OrgUnitGroupMember')).toEqual([{ orgunitgroupid: 1, orgunitid: idOf('District B') }]);

    // data sets with their period type, elements and org units
    const ds = byName(tables, 'DataSet', 'datasetname', 'Monthly report');
    expect(ds.dataperiodtypeid).toBe(1);
    const dsId = ds.datasetid;
    expect(rowsOf(tables, 'DataSetElement').filter((r) => r.datasetid === dsId).map((r) => r.dataelementid).sort()).toEqual([1, 2]);
    expect(rowsOf(tables, 'DataSetOrgUnit').filter((r) => r.datasetid === dsId).map((r) => r.orgunitid).sort()).toEqual([idOf('District A'), idOf('District B'), idOf('Clinic A1')].sort());

    // periods of 1.4's types, with OLE ValidFrom/ValidTo and 1.4's type ids
    const periods = new Map(rowsOf(tables, 'DataPeriod').map((r) => [r.dataperiodnameeng, r]));
    expect(periods.get('Jan-24')).toMatchObject({ dataperiodtypeid: 1, validfrom: 45292, validto: 45322 });
    expect(periods.get('2024Q1')).toMatchObject({ dataperiodtypeid: 2 });
    expect(periods.get('2024W10')).toMatchObject({ dataperiodtypeid: 7 });
    expect(oleDayToIso(periods.get('2023')!.validto!)).toBe('2023-12-31');
  });

  it('writes CR/LF in texts as {chr13}{chr10}, characters beyond Latin-1 as references, and reads them back', async () => {
    f.db.prepare(`UPDATE metadata_object SET name = ?, json = json_set(json, '$.name', ?, '$.description', ?) WHERE uid = ?`).run('Malaria – cas', 'Malaria – cas', 'Line one\r\nLine two & <three>', U.deNum);
    const out = path.join(dir, 'meta14.zip');
    summaryOf(await runExport(f, { kind: 'dhis14-metadata', out }));
    const xml = Buffer.from(unzipSync(fs.readFileSync(out))['MetaData.xml']!).toString('latin1');
    expect(xml).toContain('<DataElementName>Malaria &#8211; cas</DataElementName>');
    expect(xml).toContain('<DataElementDescription>Line one{chr13}{chr10}Line two &amp; &lt;three&gt;</DataElementDescription>');
    const { tables } = await readBack(out);
    expect(byName(tables, 'DataElement', 'dataelementname', 'Malaria – cas').dataelementdescription).toBe('Line one\r\nLine two & <three>');
  });
});

describe('dhis14-data', () => {
  it('writes the default-disaggregation values as RoutineData that read back with values, comments and periods', async () => {
    const out = path.join(dir, 'data14.zip');
    const s = summaryOf(await runExport(f, { kind: 'dhis14-data', out }));
    // 10 live values: 5 with a non-default category or attribute option combo are left out, and said so
    expect(s.counts).toMatchObject({ dataValues: 5, valuesWithDisaggregation: 5 });
    expect(s.status).toBe('WARNING');
    expect(s.warnings?.some((w) => w.includes('5 values were left out: DHIS 1.4 has no disaggregation'))).toBe(true);
    const txt = Buffer.from(unzipSync(fs.readFileSync(out))['RoutineData.txt']!).toString('latin1');
    const lines = txt.split('\r\n');
    expect(lines[lines.length - 1]).toBe('');
    expect(txt).toContain(',"1.5",'); // 1.4's EntryNumber
    expect(txt).toContain(',"-2.",');
    expect(txt).toContain(',"99.",');
    expect(txt).toContain('"Stock-out <24h> & ""late"""');
    expect(txt).toContain('2024/03/02 11:00:00');

    const { tables, rows } = await readBack(out);
    const deName = new Map(rowsOf(tables, 'DataElement').map((r) => [r.dataelementid, r.dataelementname]));
    const ouName = new Map(rowsOf(tables, 'OrgUnit').map((r) => [r.orgunitid, r.orgunitname]));
    const pe = new Map(rowsOf(tables, 'DataPeriod').map((r) => [r.dataperiodid, [r.dataperiodtypeid, oleDayToIso(r.validfrom!), oleDayToIso(r.validto!)]]));
    const got = rows
      .map((r) => [deName.get(r.de!), ouName.get(r.ou!), ...(pe.get(r.pe!) ?? []), r.number ?? r.text, r.comment, r.lastUpdated])
      .sort((a, b) => String(a).localeCompare(String(b)));
    expect(got).toEqual(
      [
        ['Other', 'Clinic A1', 2, '2024-01-01', '2024-03-31', -2, 'tab\there', '2024-03-02T11:00:00'],
        ['Other', 'District A', 7, '2024-03-04', '2024-03-10', 99, null, '2024-03-02T11:00:00'],
        ['Other', 'District B', 3, '2023-01-01', '2023-12-31', 1.5, null, '2024-03-02T11:00:00'],
        ['Remarks, free text', 'District A', 1, '2024-01-01', '2024-01-31', 'Stock-out <24h> & "late"', null, '2024-03-02T11:00:00'],
        // RoutineData.txt is ISO-8859-1: what lies beyond it is '?', counted in the summary
        ['Remarks, free text', 'Root', 1, '2024-03-01', '2024-03-31', 'Ünïcödé ? ? ??', null, '2024-04-05T06:07:08'],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );
    expect(s.counts.charactersReplaced).toBe(4);
    expect(rows.every((r) => !r.deleted)).toBe(true);
  });

  it('keeps comments with commas, quotes and line breaks, and selects by org unit, data element and period range', async () => {
    f.db.prepare(`UPDATE data_value SET comment = ? WHERE de = (SELECT id FROM metadata_object WHERE uid = ?)`).run('one, "two"\r\nthree', U.deOther);
    const out = path.join(dir, 'sel14.zip');
    const s = summaryOf(
      await runExport(f, { kind: 'dhis14-data', out, options: { orgUnit: [U.ouA], descendants: true, dataElement: [U.deOther], startDate: '2024-01-01', endDate: '2024-12-31' } }),
    );
    expect(s.counts.dataValues).toBe(2);
    const { tables, rows } = await readBack(out);
    expect(rowsOf(tables, 'DataElement').map((r) => r.dataelementname)).toEqual(['Other']);
    expect(rows.map((r) => r.comment)).toEqual(['one, "two"\r\nthree', 'one, "two"\r\nthree']);
    expect(rows.map((r) => r.number).sort()).toEqual([-2, 99]);
    // changed since: only the value last updated on 2024-04-05
    const since = summaryOf(await runExport(f, { kind: 'dhis14-data', out: path.join(dir, 'since14.zip'), options: { lastUpdated: '2024-04-01' } }));
    expect(since.counts.dataValues).toBe(1);
    expect((await readBack(path.join(dir, 'since14.zip'))).rows.map((r) => r.lastUpdated)).toEqual(['2024-04-05T06:07:08']);
  });

  it('puts each value in the entry column of its data type: YesNo, Date, Memo, Number (or text when not a number)', async () => {
    const setType = (uid: string, vt: string): void => void f.db.prepare(`UPDATE metadata_object SET json = json_set(json, '$.valueType', ?) WHERE uid = ?`).run(vt, uid);
    const setValue = (uid: string, iso: string, v: string): void =>
      void f.db
        .prepare(`UPDATE data_value SET value = ? WHERE de = (SELECT id FROM metadata_object WHERE uid = ?) AND pe = (SELECT id FROM period WHERE iso = ?)`)
        .run(v, uid, iso);
    setType(U.deText, 'BOOLEAN');
    setValue(U.deText, '202401', 'true');
    setValue(U.deText, '202403', 'false');
    setType(U.deOther, 'DATE');
    setValue(U.deOther, '2023', '2023-06-30');
    const out = path.join(dir, 'types14.zip');
    const s1 = summaryOf(await runExport(f, { kind: 'dhis14-data', out, options: { dataElement: [U.deText, U.deOther], startDate: '2023-01-01', endDate: '2024-12-31' } }));
    expect(s1.counts.valuesWrittenAsText).toBe(2);
    expect(s1.warnings).toContain("2 values do not fit their data element's DHIS 1.4 data type (a number or a date) and were written as text (EntryText).");
    const { tables, rows } = await readBack(out);
    expect(rowsOf(tables, 'DataElement').map((r) => [r.dataelementname, r.datatypeid])).toEqual([
      ['Remarks, free text', 5],
      ['Other', 1],
    ]);
    const pick = (r: D14DataRow): unknown[] => [r.yesNo, r.date, r.number, r.text, r.memo];
    expect(rows.map(pick).sort((a, b) => String(a).localeCompare(String(b)))).toEqual(
      [
        [1, null, null, null, null],
        [0, null, null, null, null],
        [null, '2023-06-30T00:00:00', null, null, null],
        // values of the DATE data element that are not dates: text, counted
        [null, null, null, '-2', null],
        [null, null, null, '99', null],
      ].sort((a, b) => String(a).localeCompare(String(b))),
    );

    setType(U.deOther, 'LONG_TEXT');
    setType(U.deText, 'NUMBER');
    const out2 = path.join(dir, 'types14b.zip');
    const s2 = summaryOf(await runExport(f, { kind: 'dhis14-data', out: out2, options: { dataElement: [U.deText, U.deOther], startDate: '2023-01-01', endDate: '2024-12-31' } }));
    expect(s2.counts.valuesWrittenAsText).toBe(2); // 'true' and 'false' are not numbers
    const back = await readBack(out2);
    expect(back.rows.map((r) => r.memo).filter(Boolean).sort()).toEqual(['-2', '2023-06-30', '99']);
    expect(back.rows.map((r) => r.text).filter(Boolean).sort()).toEqual(['false', 'true']);
  });

  it('a cancelled 1.4 data export stops, reports cancelled and leaves no file', async () => {
    const ids = f.db.prepare(`SELECT id FROM metadata_object WHERE uid = ?`).pluck();
    const insP = f.db.prepare(`INSERT INTO period (iso, type, start_date, end_date) VALUES (?, 'Daily', ?, ?)`);
    const ins = f.db.prepare(`INSERT INTO data_value (de, pe, ou, coc, aoc, value, created, last_updated) VALUES (?, ?, ?, ?, ?, ?, '2024-01-01', '2024-01-01')`);
    const coc = ids.get(U.def.coc);
    f.db.transaction(() => {
      for (let day = 1; day <= 300; day++) {
        const d = new Date(Date.UTC(2022, 0, day)).toISOString().slice(0, 10);
        const p = Number(insP.run(d.replace(/-/g, ''), d, d).lastInsertRowid);
        for (const de of [U.deText, U.deOther]) for (const ou of [U.ouRoot, U.ouA, U.ouB, U.ouA1]) ins.run(ids.get(de), p, ids.get(ou), coc, coc, 'x'.repeat(2000));
      }
    })();
    const out = path.join(dir, 'cancel14.zip');
    const started = await invoke(f.handlers, 'export:start', { kind: 'dhis14-data', out });
    const jobId = (started as { value: { jobId: number } }).value.jobId;
    const off = f.jobs.on('job:progress', (e) => {
      if (e.jobId === jobId && e.records > 0) f.jobs.cancel(jobId);
    });
    const job = await f.jobs.wait(jobId);
    off();
    expect(job.status).toBe('cancelled');
    expect(job.error?.code).toBe('CANCELLED');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(out + '.part')).toBe(false);
  });

  it('refuses bad options before a job exists, and unknown ids and bad dates with clear errors', async () => {
    const bad = await invoke(f.handlers, 'export:start', { kind: 'dhis14-data', out: path.join(dir, 'x.zip'), options: { idScheme: 'CODE' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('not idScheme');
    const gz = await runExport(f, { kind: 'dhis14-data', out: path.join(dir, 'x.zip'), compression: 'gzip' });
    expect(gz.error?.message).toContain('A DHIS 1.4 export is a zip already');
    const csv = await invoke(f.handlers, 'export:start', { kind: 'dhis14-data', out: path.join(dir, 'x.zip'), format: 'csv' });
    expect(csv.ok).toBe(false);
    if (!csv.ok) expect(csv.error.message).toBe("A DHIS 1.4 export is exported as xml, not 'csv'.");
    const ou = await runExport(f, { kind: 'dhis14-data', out: path.join(dir, 'x.zip'), options: { orgUnit: ['Nowhere'] } });
    expect(ou.error?.message).toBe("No organisation unit matching 'Nowhere' is stored in this database.");
    const date = await runExport(f, { kind: 'dhis14-data', out: path.join(dir, 'x.zip'), options: { startDate: '2024-02-30' } });
    expect(date.error?.message).toContain("startDate must be a real date (yyyy-MM-dd), got '2024-02-30'");
    expect(fs.existsSync(path.join(dir, 'x.zip'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'x.zip.part'))).toBe(false);
  });
});

describe('dhis14-detailed-metadata', () => {
  it('writes the picked indicators with their types and the data elements their formulas use', async () => {
    const out = path.join(dir, 'detail14.zip');
    const s = summaryOf(await runExport(f, { kind: 'dhis14-detailed-metadata', out, options: { indicators: ['SHARE_M'], dataElements: ['Other'] } }));
    expect(s.counts).toMatchObject({ dataElements: 2, indicators: 1, indicatorTypes: 1 });
    const { tables } = await readBack(out);
    expect(rowsOf(tables, 'DataElement').map((r) => [r.dataelementid, r.dataelementname])).toEqual([
      [1, 'Malaria cases'],
      [3, 'Other'],
    ]);
    expect(rowsOf(tables, 'Indicator').map((r) => r.indicatornumerator)).toEqual(['Sum([R1])']);
    expect(tables.has('OrgUnit')).toBe(false);
  });

  it('needs at least one data element or indicator, and names unknown ones', async () => {
    const none = await invoke(f.handlers, 'export:start', { kind: 'dhis14-detailed-metadata', out: path.join(dir, 'x.zip') });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error.message).toContain('needs the data elements and/or indicators');
    const job = await runExport(f, { kind: 'dhis14-detailed-metadata', out: path.join(dir, 'x.zip'), options: { indicators: ['Nope'] } });
    expect(job.error?.message).toBe("No indicator matching 'Nope' is stored in this database.");
  });
});

describe('round trip through Ferry\'s DHIS 1.4 import', () => {
  /** what a database holds, by names (uids differ between databases) */
  function world(db: Ferry['db']): { objects: string[]; values: string[] } {
    const objects = (
      db
        .prepare(
          `SELECT m.type, m.name, m.code, json_extract(m.json, '$.shortName') AS short, p.name AS parent, json_extract(m.json, '$.valueType') AS vt, json_extract(m.json, '$.aggregationType') AS agg
           FROM metadata_object m LEFT JOIN metadata_object p ON p.uid = json_extract(m.json, '$.parent.id')
           WHERE m.type IN ('dataElements', 'organisationUnits', 'indicatorTypes', 'dataSets', 'organisationUnitGroups')`,
        )
        .all() as Record<string, unknown>[]
    ).map((r) => JSON.stringify(r));
    const values = (
      db
        .prepare(
          `SELECT d.name AS de, o.name AS ou, p.iso AS pe, v.value, v.comment FROM data_value v JOIN metadata_object d ON d.id = v.de JOIN metadata_object o ON o.id = v.ou
           JOIN period p ON p.id = v.pe WHERE v.deleted = 0 AND v.coc = (SELECT id FROM metadata_object WHERE uid = ?) AND v.aoc = v.coc`,
        )
        .all(U.def.coc) as Record<string, unknown>[]
    ).map((r) => JSON.stringify(r));
    return { objects: objects.sort(), values: values.sort() };
  }

  it('metadata then data, imported into an empty database, give the same names, codes, hierarchy, values and comments', async () => {
    f.db.prepare(`UPDATE data_value SET comment = ? WHERE de = (SELECT id FROM metadata_object WHERE uid = ?)`).run('one, "two"\r\nthree', U.deOther);
    // RoutineData.txt is ISO-8859-1 (beyond it: '?', tested above): Latin-1 text here
    f.db.prepare(`UPDATE data_value SET value = ? WHERE value LIKE 'Ünïcödé%'`).run('Ünïcödé, café');
    // the seed's numeric data element is disaggregated; 1.4 has none: compare the values it can hold
    const meta = path.join(dir, 'm14.zip');
    const data = path.join(dir, 'd14.zip');
    summaryOf(await runExport(f, { kind: 'dhis14-metadata', out: meta }));
    const ds = summaryOf(await runExport(f, { kind: 'dhis14-data', out: data }));
    const before = world(f.db);

    const g = openFerry({ dbPath: path.join(dir, 'b.sqlite'), mode: 'inline' });
    try {
      for (const file of [meta, data]) {
        const r = await invoke(g.handlers, 'import:start', { files: [file], kind: 'dhis14', options: {} });
        if (!r.ok) throw new Error(r.error.message);
        const job = await g.jobs.wait((r.value as { jobId: number }).jobId);
        expect(job.error, JSON.stringify(job.error)).toBeNull();
      }
      const after = world(g.db);
      expect(after.values).toEqual(before.values);
      expect(after.values).toHaveLength(ds.counts.dataValues!);
      // names, codes, short names, parents: the same objects (value and aggregation types as 1.4 can say them;
      // 1.4's DataSet and OrgUnitGroup tables hold a name only)
      const strip = (s: string): string => {
        const o = JSON.parse(s) as Record<string, unknown>;
        delete o.vt;
        delete o.agg;
        if (o.type === 'dataSets' || o.type === 'organisationUnitGroups') delete o.code, delete o.short;
        return JSON.stringify(o);
      };
      expect(after.objects.map(strip)).toEqual(before.objects.map(strip));
      // the indicator's formula comes back pointing at the same data element (the disaggregation 1.4 lacks is gone)
      const mal = g.db.prepare(`SELECT uid FROM metadata_object WHERE type = 'dataElements' AND name = 'Malaria cases'`).pluck().get() as string;
      const ind = g.db.prepare(`SELECT json FROM metadata_object WHERE type = 'indicators' AND name = 'Share male'`).pluck().get() as string;
      expect(JSON.parse(ind)).toMatchObject({ numerator: `(#{${mal}})`, denominator: `(#{${mal}})` });
    } finally {
      await g.close();
    }
  });
});

describe('a database imported from DHIS 1.4 exports back with the 1.4 ids', () => {
  it('data elements, org units and their hierarchy keep their 1.4 ids; values come back on the same ids and days', async () => {
    const source = path.join(repoRoot, 'tests/fixtures/dhis14/small.zip');
    const g = openFerry({ dbPath: path.join(dir, 'from14.sqlite'), mode: 'inline' });
    try {
      // objects stored before the 1.4 import (numbered first in id order): the 1.4 ids must not shift
      const repo = new MetadataRepo(g.db);
      g.db.transaction(() => {
        repo.upsert('dataElements', { id: 'DeFerryOnly', name: 'Ferry only element', shortName: 'Ferry only', valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM' });
        repo.upsert('organisationUnits', { id: 'OuFerryOnly', name: 'Ferry only unit', shortName: 'Ferry only', openingDate: '2000-01-01' });
        repo.rebuildOrgUnitPaths();
      })();
      const r = await invoke(g.handlers, 'import:start', { files: [source], kind: 'dhis14', options: {} });
      if (!r.ok) throw new Error(r.error.message);
      expect((await g.jobs.wait((r.value as { jobId: number }).jobId)).error).toBeNull();
      const meta = path.join(dir, 'back-m.zip');
      const data = path.join(dir, 'back-d.zip');
      summaryOf(await runExport(g, { kind: 'dhis14-metadata', out: meta }));
      const ds = summaryOf(await runExport(g, { kind: 'dhis14-data', out: data }));
      const src = await readBack(source);
      const back = await readBack(meta);
      const pairs = (t: D14Tables, table: string, id: string, name: string): string[] => rowsOf(t, table).map((x) => `${x[id]} ${String(x[name])}`);
      const srcDes = new Set(pairs(src.tables, 'DataElement', 'dataelementid', 'dataelementname'));
      const backDes = pairs(back.tables, 'DataElement', 'dataelementid', 'dataelementname');
      expect(backDes.length).toBeGreaterThan(5);
      // the Ferry-only element is numbered after the largest 1.4 id
      const maxSrc = Math.max(...rowsOf(src.tables, 'DataElement').map((x) => x.dataelementid as number));
      expect(backDes.filter((p) => !srcDes.has(p))).toEqual([`${maxSrc + 1} Ferry only element`]);
      const srcOus = new Set(pairs(src.tables, 'OrgUnit', 'orgunitid', 'orgunitname'));
      const backOus = pairs(back.tables, 'OrgUnit', 'orgunitid', 'orgunitname');
      expect(backOus.length).toBeGreaterThan(5);
      const maxOu = Math.max(...rowsOf(src.tables, 'OrgUnit').map((x) => x.orgunitid as number));
      expect(backOus.filter((p) => !srcOus.has(p))).toEqual([`${maxOu + 1} Ferry only unit`]);
      const edges = (t: D14Tables): string[] => rowsOf(t, 'OrgHierarchy').map((x) => `${x.orgunitchildid}<${x.orgunitparentid}`);
      const srcEdges = new Set(edges(src.tables));
      expect(edges(back.tables).filter((e) => !srcEdges.has(e))).toEqual([`${maxOu + 1}<${maxOu + 1}`]);

      // values: on the same 1.4 data element and org unit ids, the same period start, the same number or text
      const dayOf = (t: D14Tables): Map<number, string | null> => new Map(rowsOf(t, 'DataPeriod').map((x) => [x.dataperiodid as number, oleDayToIso(x.validfrom!)]));
      const key = (t: D14Tables, rows: D14DataRow[]): string[] => {
        const day = dayOf(t);
        return rows.map((x) => `${x.de}|${x.ou}|${day.get(x.pe!)}|${x.number ?? x.text ?? x.yesNo ?? x.date ?? x.memo}|${x.comment}`);
      };
      const dataBack = await readBack(data);
      const srcKeys = new Set(key(src.tables, src.rows));
      const backKeys = key(dataBack.tables, dataBack.rows);
      expect(backKeys).toHaveLength(ds.counts.dataValues!);
      expect(backKeys.length).toBeGreaterThan(100);
      expect(backKeys.filter((k) => !srcKeys.has(k)).slice(0, 5)).toEqual([]);
    } finally {
      await g.close();
    }
  });
});

describe('CLI', () => {
  it('ferry export dhis14-data|dhis14-metadata|dhis14-detailed-metadata --out FILE.zip', async () => {
    await f.close();
    const db = path.join(dir, 'site.sqlite');
    const data = await ferryCli(['--db', db, 'export', 'dhis14-data', '--out', path.join(dir, 'd.zip'), '--org-unit', U.ouRoot, '--descendants', '--start-date', '2024-01-01', '--end-date', '2024-03-31', '--json']);
    expect(data.code).toBe(0);
    expect(data.json<{ counts: Record<string, number> }>().counts.dataValues).toBe(4);
    const meta = await ferryCli(['--db', db, 'export', 'dhis14-metadata', '--out', path.join(dir, 'm.zip'), '--json']);
    expect(meta.code).toBe(0);
    const det = await ferryCli(['--db', db, 'export', 'dhis14-detailed-metadata', '--out', path.join(dir, 'dm.zip'), '--indicator', 'SHARE_M', '--json']);
    expect(det.code).toBe(0);
    expect(det.json<{ counts: Record<string, number> }>().counts).toMatchObject({ indicators: 1, dataElements: 1 });
    const bad = await ferryCli(['--db', db, 'export', 'dhis14-detailed-metadata', '--out', path.join(dir, 'dm2.zip')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('needs the data elements and/or indicators');
    f = openFerry({ dbPath: db, mode: 'inline' });
  });
});
