/**
 * DHIS 1.4 import end to end through the CLI (issue 8): Analyse writes nothing and reports the integrity issues;
 * Preview is a dry run with per-type counts; Import writes objects and values (job history with sha256); a re-import
 * changes nothing; an incremental import (--last-updated) takes only the later rows and maps them to the same objects;
 * the same database as .mdb and as its 1.4 XML zip gives identical objects and values; bad files write nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { Dhis14ImportSummary } from '../../src-shared/dhis14-report.ts';
import { ferryCli } from '../helpers/cli.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';
import { withDbAt } from '../helpers/db.ts';

const FIX = path.join(repoRoot, 'tests/fixtures/dhis14');
const MDB = path.join(FIX, 'small.mdb');
const ZIP = path.join(FIX, 'small.zip');

let dir: string;
beforeEach(() => {
  dir = tmpDir('ferry-d14i-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha = (p: string): string => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
const withDb = withDbAt;
function counts(dbPath: string): { objects: number; values: number; periods: number; mapping: number } {
  return withDb(dbPath, (db) => ({
    objects: db.prepare(`SELECT count(*) AS n FROM metadata_object`).pluck().get() as number,
    values: db.prepare(`SELECT count(*) FROM data_value`).pluck().get() as number,
    periods: db.prepare(`SELECT count(*) FROM period`).pluck().get() as number,
    mapping: db.prepare(`SELECT count(*) FROM dhis14_mapping`).pluck().get() as number,
  }));
}
async function run(dbPath: string, file: string, ...args: string[]): Promise<Dhis14ImportSummary> {
  const r = await ferryCli(['--db', dbPath, 'import', file, '--kind', 'dhis14', ...args, '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return r.json<Dhis14ImportSummary>();
}
const objectCounts = (s: Dhis14ImportSummary) => Object.fromEntries(s.dhis14.objects.map((o) => [o.type, [o.created, o.updated, o.unchanged, o.ignored]]));

/** Objects and values as their 1.4 ids see them (through the kept mapping): comparable across databases. */
function byLegacy(dbPath: string): { objects: Record<string, unknown>; values: string[] } {
  return withDb(dbPath, (db) => {
    const map = db.prepare(`SELECT m.object_type AS t, m.legacy_id AS id, o.json AS json FROM dhis14_mapping m JOIN metadata_object o ON o.type = m.object_type AND o.uid = m.uid`).all() as {
      t: string;
      id: number;
      json: string;
    }[];
    const legacyOf = new Map<string, string>();
    for (const m of map) legacyOf.set((JSON.parse(m.json) as { id: string }).id, `${m.t}:${m.id}`);
    const swap = (v: unknown): unknown =>
      typeof v === 'string' ? v.replace(/[A-Za-z][A-Za-z0-9]{10}/g, (u) => legacyOf.get(u) ?? u) : Array.isArray(v) ? v.map(swap).sort() : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)])) : v;
    const objects: Record<string, unknown> = {};
    for (const m of map) {
      const o = JSON.parse(m.json) as Record<string, unknown>;
      for (const k of ['id', 'created', 'lastUpdated', 'path', 'level', 'href']) delete o[k];
      objects[`${m.t}:${m.id}`] = swap(o);
    }
    const values = (
      db
        .prepare(
          `SELECT dm.legacy_id AS de, om.legacy_id AS ou, p.iso AS pe, v.value AS value, v.comment AS comment, v.deleted AS deleted
           FROM data_value v JOIN metadata_object d ON d.id = v.de JOIN metadata_object o ON o.id = v.ou JOIN period p ON p.id = v.pe
           JOIN dhis14_mapping dm ON dm.object_type = 'dataElements' AND dm.uid = d.uid JOIN dhis14_mapping om ON om.object_type = 'organisationUnits' AND om.uid = o.uid`,
        )
        .all() as Record<string, unknown>[]
    ).map((r) => JSON.stringify(r));
    return { objects, values: values.sort() };
  });
}

describe('DHIS 1.4 .mdb import: Analyse, Preview, Import, re-import, incremental', () => {
  it('runs the three modes of the old importer', async () => {
    const db = path.join(dir, 'site.sqlite');
    await ferryCli(['--db', db, 'info', '--json']);
    const fresh = counts(db);

    // ---- Analyse: the integrity report, nothing written ----
    const a = await run(db, MDB, '--mode', 'analyse');
    expect(a.dhis14.mode).toBe('analyse');
    expect(counts(db)).toEqual(fresh);
    const issue = (code: string) => a.dhis14.issues.find((i) => i.code === code);
    expect(issue('deletedRows')?.count).toBe(2);
    expect(issue('calculatedDataElement')?.examples).toEqual(['21 Calculated total 1+2']);
    expect(issue('duplicateOrgUnitName')?.examples[0]).toBe('"Demoland L3-1": ids 6, 9, 12, 15');
    expect(issue('orgUnitInactive')?.count).toBe(2);
    expect(a.dhis14.values).toMatchObject({ read: 2060, skipped: 2, imported: 0 });
    expect(a.dhis14.tables.find((t) => t.name === 'RoutineDataArchive')?.rows).toBe(40);

    // ---- Preview: a dry run with per-type counts ----
    const p = await run(db, MDB, '--mode', 'preview');
    expect(p.dryRun).toBe(true);
    expect(counts(db)).toEqual(fresh);
    expect(objectCounts(p)).toEqual({
      dataElements: [20, 0, 0, 0],
      indicatorTypes: [3, 0, 0, 0],
      indicators: [4, 0, 0, 0],
      dataElementGroups: [2, 0, 0, 0],
      indicatorGroups: [2, 0, 0, 0],
      organisationUnits: [93, 0, 0, 0],
      organisationUnitGroups: [4, 0, 0, 0],
      organisationUnitGroupSets: [2, 0, 0, 0],
      dataSets: [2, 0, 0, 0],
    });
    expect(p.dhis14.values).toMatchObject({ read: 2060, imported: 2058, updated: 0, unchanged: 0, skipped: 2 });

    // ---- Import ----
    const i = await run(db, MDB);
    expect(i.dryRun).toBeUndefined();
    expect(i.importCount).toEqual({ imported: 2058, updated: 0, ignored: 2, deleted: 0 });
    expect(objectCounts(i)).toEqual(objectCounts(p));
    const after = counts(db);
    expect(after.values).toBe(2058);
    expect(after.objects - fresh.objects).toBe(132);
    expect(after.mapping).toBe(132);
    const jobs = (await ferryCli(['--db', db, 'jobs', '--json'])).json<JobRecord[]>();
    expect(jobs[0]!.files.map((f) => [f.name, f.sha256, f.format])).toEqual([['small.mdb', sha(MDB), 'mdb']]);

    // what the mapping made of the 1.4 objects
    withDb(db, (d) => {
      const obj = (type: string, name: string) => JSON.parse(d.prepare(`SELECT json FROM metadata_object WHERE type = ? AND name = ?`).pluck().get(type, name) as string) as Record<string, unknown>;
      const uidOf = (type: string, name: string) => obj(type, name).id as string;
      expect(obj('dataElements', 'DE 1 headcount')).toMatchObject({ code: 'R1', shortName: 'DE1 short', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE' });
      expect(obj('dataElements', 'DE 7 headcount')).toMatchObject({ aggregationType: 'AVERAGE_SUM_ORG_UNIT' });
      expect(obj('dataElements', 'DE 10 stock out')).toMatchObject({ valueType: 'BOOLEAN' });
      expect(obj('dataElements', 'DE 17 note')).toMatchObject({ valueType: 'TEXT' });
      expect(obj('dataElements', 'DE 5 headcount').code).toBeUndefined(); // blank code → none
      const de = (n: number) => uidOf('dataElements', `DE ${n} ${n === 10 || n === 20 ? 'stock out' : n === 17 ? 'note' : 'headcount'}${n === 3 ? ' (crèche)' : ''}`);
      // 1.4's (Sum([R1])*1)+(Sum([R2])*1): the letters dropped, as DHIS2's converter did, operands as #{uid}
      expect(obj('indicators', 'Indicator 1')).toMatchObject({ numerator: `((#{${de(1)}})*1)+((#{${de(2)}})*1)`, denominator: `(#{${de(5)}})`, annualized: false });
      expect(obj('indicators', 'Indicator 2')).toMatchObject({ annualized: true });
      expect(obj('indicators', 'Calculated total 1+2')).toMatchObject({ numerator: `(#{${de(1)}}*1)+(#{${de(2)}}*1)`, denominator: '1' });
      // the hierarchy: OrgHierarchy edges → parents, 5 levels, the root row skipped
      const levels = d.prepare(`SELECT level, count(*) AS n FROM org_unit GROUP BY level ORDER BY level`).all();
      expect(levels).toEqual([
        { level: 1, n: 1 },
        { level: 2, n: 4 },
        { level: 3, n: 12 },
        { level: 4, n: 36 },
        { level: 5, n: 40 },
      ]);
      const f1 = obj('organisationUnits', 'lp Facility 1 Clinic');
      expect(f1).toMatchObject({ openingDate: '2000-01-01T00:00:00.000' });
      expect(obj('dataSets', 'Monthly PHC')).toMatchObject({ periodType: 'Monthly' });
      expect((obj('dataSets', 'Monthly PHC').dataSetElements as unknown[]).length).toBe(20);
      expect((obj('dataSets', 'Monthly PHC').organisationUnits as unknown[]).length).toBe(40);
      // values: periods as ISO (the Dec-05 archive month, the semi-permanent year), comments, value types
      const pes = d.prepare(`SELECT p.iso, count(*) AS n FROM data_value v JOIN period p ON p.id = v.pe GROUP BY p.iso ORDER BY p.iso`).all() as { iso: string; n: number }[];
      expect(pes.slice(0, 3)).toEqual([
        { iso: '200512', n: 40 },
        { iso: '2006', n: 20 },
        { iso: '200601', n: 800 },
      ]);
      const comments = d.prepare(`SELECT DISTINCT comment FROM data_value WHERE comment IS NOT NULL ORDER BY comment`).pluck().all();
      expect(comments).toEqual(['No stock out', 'line1\r\nline2', 'others for conversion, "late"']);
      const bools = d.prepare(`SELECT DISTINCT v.value FROM data_value v JOIN metadata_object d ON d.id = v.de WHERE d.name = 'DE 10 stock out' ORDER BY 1`).pluck().all();
      expect(bools).toEqual(['false', 'true']);
    });

    // ---- re-import: nothing changes, nothing is duplicated ----
    const again = await run(db, MDB);
    expect(objectCounts(again)).toEqual({
      dataElements: [0, 0, 20, 0],
      indicatorTypes: [0, 0, 3, 0],
      indicators: [0, 0, 4, 0],
      dataElementGroups: [0, 0, 2, 0],
      indicatorGroups: [0, 0, 2, 0],
      organisationUnits: [0, 0, 93, 0],
      organisationUnitGroups: [0, 0, 4, 0],
      organisationUnitGroupSets: [0, 0, 2, 0],
      dataSets: [0, 0, 2, 0],
    });
    expect(again.dhis14.values).toMatchObject({ imported: 0, updated: 0, unchanged: 2058 });
    expect(counts(db)).toEqual(after);
  });

  it('an incremental import (--last-updated) takes only later rows and maps them to the same objects', async () => {
    const db = path.join(dir, 'site.sqlite');
    await run(db, ZIP);
    const before = counts(db);
    expect(before.values).toBe(1998);
    // the district went on working in 1.4: two values edited, one added, a data element renamed, after 2009-01-01
    const files = unzipSync(fs.readFileSync(ZIP));
    const lines = strFromU8(files['RoutineData.txt']!, true).split('\r\n');
    const cols = lines[0]!.split(',');
    const lu = cols.indexOf('"LastUpdated"');
    const num = cols.indexOf('"EntryNumber"');
    const edit = (k: number, value: string) => {
      const f = lines[k]!.split(',');
      f[num] = `"${value}."`;
      f[lu] = '2009/02/01 10:00:00';
      lines[k] = f.join(',');
    };
    edit(1, '777');
    edit(2, '778');
    const added = lines[3]!.split(',');
    added[0] = '99999';
    added[cols.indexOf('"DataPeriodID"')] = '600'; // Jul-07
    added[num] = '"4321."';
    added[lu] = '2009/03/01 08:00:00';
    lines.splice(lines.length - 1, 0, added.join(','));
    const meta = strFromU8(files['MetaData.xml']!, true).replace('<DataElementName>DE 2 headcount</DataElementName>', '<DataElementName>DE 2 headcount (renamed)</DataElementName>');
    const later = path.join(dir, 'later.zip');
    fs.writeFileSync(later, zipSync({ 'MetaData.xml': Buffer.from(meta, 'latin1'), 'RoutineData.txt': Buffer.from(lines.join('\r\n'), 'latin1') }));
    void strToU8;

    const s = await run(db, later, '--last-updated', '2009-01-01');
    expect(s.dhis14.lastUpdated).toBe('2009-01-01T00:00:00');
    expect(s.dhis14.values).toMatchObject({ read: 3, imported: 1, updated: 2, unchanged: 0 });
    expect(objectCounts(s).dataElements).toEqual([0, 1, 19, 0]);
    const now = counts(db);
    expect(now).toEqual({ ...before, values: before.values + 1, periods: before.periods + 1 });
    withDb(db, (d) => {
      expect(d.prepare(`SELECT count(*) FROM metadata_object WHERE type = 'dataElements' AND name LIKE 'DE 2 headcount%'`).pluck().get()).toBe(1);
      expect(d.prepare(`SELECT value FROM data_value WHERE value IN ('777', '778', '4321') ORDER BY value`).pluck().all()).toEqual(['4321', '777', '778']);
    });
  });

  it('the same database as .mdb and as its 1.4 XML zip gives the same objects and values', async () => {
    const a = path.join(dir, 'a.sqlite');
    const b = path.join(dir, 'b.sqlite');
    await run(a, MDB);
    await run(b, ZIP);
    const A = byLegacy(a);
    const B = byLegacy(b);
    // the XML export carries no DataSet, org unit groups, DataElementCalculated, archive or semi-permanent tables
    const onlyMdb = /^(dataSets|organisationUnitGroups|organisationUnitGroupSets):/;
    const calc = 'indicators:100021';
    const keys = Object.keys(A.objects).filter((k) => !onlyMdb.test(k) && k !== calc);
    expect(Object.keys(B.objects).filter((k) => k !== calc).sort()).toEqual(keys.sort());
    for (const k of keys) expect(B.objects[k], k).toEqual(A.objects[k]);
    const routine = A.values.filter((v) => !/"pe":"(200512|2006)"/.test(v));
    expect(routine).toHaveLength(1998);
    expect(B.values).toEqual(routine);
  });
});

describe('matching existing DHIS2 objects as the old importer did', () => {
  it('by name, then short name, then code: the existing objects are updated and take the values', async () => {
    const db = path.join(dir, 'site.sqlite');
    const meta = path.join(dir, 'existing.json');
    const de = (id: string, name: string, shortName: string, code?: string) => ({ id, name, shortName, ...(code ? { code } : {}), valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE' });
    fs.writeFileSync(
      meta,
      JSON.stringify({
        dataElements: [de('ExistByName', 'DE 1 headcount', 'Other short 1'), de('ExistShort1', 'Another name 2', 'DE2 short'), de('ExistByCode', 'Yet another 4', 'Short 4', 'R4')],
        organisationUnits: [{ id: 'ExistingRoo', name: 'Demoland', shortName: 'Demoland', openingDate: '1990-01-01' }],
      }),
    );
    const m = await ferryCli(['--db', db, 'import', meta, '--json']);
    expect(m.code, m.stdout).toBe(0);
    const s = await run(db, MDB);
    expect(objectCounts(s).dataElements).toEqual([17, 3, 0, 0]);
    expect(objectCounts(s).organisationUnits).toEqual([92, 1, 0, 0]);
    withDb(db, (d) => {
      const one = (uid: string) => JSON.parse(d.prepare(`SELECT json FROM metadata_object WHERE uid = ?`).pluck().get(uid) as string) as Record<string, unknown>;
      expect(one('ExistByName')).toMatchObject({ name: 'DE 1 headcount', shortName: 'DE1 short', code: 'R1' });
      expect(one('ExistShort1')).toMatchObject({ name: 'DE 2 headcount', code: 'R2' });
      expect(one('ExistByCode')).toMatchObject({ name: 'DE 4 headcount', code: 'R4' });
      const values = (uid: string) => d.prepare(`SELECT count(*) FROM data_value v JOIN metadata_object m ON m.id = v.de WHERE m.uid = ?`).pluck().get(uid);
      expect(values('ExistByName')).toBe(100 + 40); // its RoutineData values and the Dec-05 archive month
      expect(d.prepare(`SELECT count(*) FROM metadata_object WHERE type = 'dataElements' AND name LIKE 'DE 1 %'`).pluck().get()).toBe(1);
      expect(d.prepare(`SELECT count(*) FROM org_unit WHERE level = 1`).pluck().get()).toBe(1);
    });
  });
});

describe('Analyse on a damaged 1.4 database', () => {
  it('reports formulas and values pointing at a missing data element, org units outside the hierarchy; Import skips those values with DHIS2\'s warning', async () => {
    const db = path.join(dir, 'site.sqlite');
    const files = unzipSync(fs.readFileSync(ZIP));
    let xml = strFromU8(files['MetaData.xml']!, true);
    // data element 2 gone; org unit 60 without its OrgHierarchy row
    xml = xml.replace(/<DataElement>\r\n<DataElementID>2<\/DataElementID>[\s\S]*?<\/DataElement>\r\n/, '');
    xml = xml.replace(/<OrgHierarchy>\r\n<OrgHierarchyID>60<\/OrgHierarchyID>[\s\S]*?<\/OrgHierarchy>\r\n/, '');
    const bad = path.join(dir, 'damaged.zip');
    fs.writeFileSync(bad, zipSync({ 'MetaData.xml': Buffer.from(xml, 'latin1'), 'RoutineData.txt': files['RoutineData.txt']! }));
    const a = await run(db, bad, '--mode', 'analyse');
    const issue = (code: string) => a.dhis14.issues.find((i) => i.code === code);
    expect(issue('formulaMissingDataElement')).toMatchObject({ count: 2 });
    expect(issue('formulaMissingDataElement')!.examples).toEqual(['indicator 1 Indicator 1 (numerator): data element 2', 'indicator 2 Indicator 2 (numerator): data element 2']);
    expect(issue('valueMissingDataElement')).toMatchObject({ count: 100, examples: expect.arrayContaining(['RoutineData: data element 2']) as unknown });
    expect(issue('orgUnitOutsideHierarchy')).toMatchObject({ count: 1, examples: ['60 lp Facility 7 Clinic'] });
    const i = await run(db, bad);
    expect(i.dhis14.values).toMatchObject({ read: 2000, imported: 1898, skipped: 102 });
    expect(i.conflicts).toEqual([{ object: '2', objects: {}, value: 'Data element not found or not accessible: `2`', errorCode: 'E7610' }]);
    withDb(db, (d) => {
      const ind = JSON.parse(d.prepare(`SELECT json FROM metadata_object WHERE type = 'indicators' AND name = 'Indicator 1'`).pluck().get() as string) as { numerator: string };
      expect(ind.numerator).toMatch(/^\(\(#\{\w{11}\}\)\*1\)\+\(\(0\)\*1\)$/);
    });
  });
});

describe('bad input writes nothing', () => {
  it('not an Access file, a truncated .mdb, an XML zip without its data file: a clear error naming the file', async () => {
    const db = path.join(dir, 'site.sqlite');
    await ferryCli(['--db', db, 'info', '--json']);
    const fresh = counts(db);
    const junk = path.join(dir, 'district.mdb');
    fs.writeFileSync(junk, 'Standard text, not Jet');
    const cut = path.join(dir, 'cut.mdb');
    fs.writeFileSync(cut, fs.readFileSync(MDB).subarray(0, 200_000));
    const noData = path.join(dir, 'nodata.zip');
    fs.writeFileSync(noData, zipSync({ 'MetaData.xml': unzipSync(fs.readFileSync(ZIP))['MetaData.xml']! }));
    for (const [f, msg] of [
      [junk, /district\.mdb: not a Microsoft Access database/],
      [cut, /cut\.mdb: the Access database is truncated or damaged/],
      [noData, /nodata\.zip: this DHIS 1\.4 XML export has no data file/],
    ] as const) {
      const r = await ferryCli(['--db', db, 'import', f, '--kind', 'dhis14', '--json']);
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(msg);
      expect(counts(db)).toEqual(fresh);
    }
    // the metadata alone of an export without data: --data-values false
    const m = await run(db, noData, '--data-values', 'false');
    expect(m.dhis14.values.read).toBe(0);
    expect(counts(db).values).toBe(0);
    expect(counts(db).objects).toBeGreaterThan(fresh.objects);
  });
});
