/**
 * Data export through the job API (openFerry + export:start + jobs.wait), read back with Ferry's own readers:
 * every format and compression, the filters (org unit modes, data sets, groups, periods, dates, changed since,
 * deleted, attribute option combos), output id schemes, the single data value set header, errors and the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { ferryCli } from '../helpers/cli.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { seedData, seedMetadata, seedValues, U } from '../unit/exporters/seed.ts';
import { keyOf, readDataRows, readExport, runExport, sha256, summaryOf } from '../unit/exporters/read-export.ts';

let dir: string;
let f: Ferry;
const live = seedValues().filter((v) => !v.deleted);
const expectedKey = (v: { de: string; pe: string; ou: string; coc: string; aoc: string }): string => `${v.de}|${v.pe}|${v.ou}|${v.coc}|${v.aoc}`;

beforeEach(() => {
  dir = tmpDir('ferry-export-');
  f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  seedMetadata(f.db);
  seedData(f.db);
});
afterEach(async () => {
  await f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function keys(options: Record<string, unknown>, format: 'json' | 'xml' | 'csv' = 'csv'): Promise<string[]> {
  const out = path.join(dir, `sel-${Math.random().toString(36).slice(2)}.${format}`);
  const job = await runExport(f, { kind: 'data', out, format, options });
  const s = summaryOf(job);
  const { rows } = await readDataRows(out, format);
  expect(s.counts.dataValues).toBe(rows.length);
  return rows.map(keyOf).sort();
}
const expectKeys = (pred: (v: (typeof live)[number]) => boolean, all = live): string[] => all.filter(pred).map(expectedKey).sort();

describe('data export: formats and compression', () => {
  for (const format of ['json', 'xml', 'csv'] as const)
    for (const compression of ['none', 'zip', 'gzip'] as const) {
      it(`${format} / ${compression}: every stored value, field by field`, async () => {
        const ext = format + (compression === 'zip' ? '.zip' : compression === 'gzip' ? '.gz' : '');
        const out = path.join(dir, `all.${ext}`);
        const s = summaryOf(await runExport(f, { kind: 'data', out, format, compression }));
        expect(s).toMatchObject({ responseType: 'ExportSummary', status: 'OK', format, compression, counts: { dataValues: live.length } });
        expect(s.bytes).toBe(fs.statSync(out).size);
        expect(s.sha256).toBe(sha256(out));
        expect(fs.existsSync(out + '.part')).toBe(false);
        const raw = await readExport(out);
        expect(raw.compression).toBe(compression);
        if (compression === 'zip') expect(raw.entryName).toBe(`all.${format}`);
        const { rows } = await readDataRows(out, format);
        expect(rows).toHaveLength(live.length);
        const byKey = new Map(rows.map((r) => [keyOf(r), r]));
        for (const v of live) {
          const r = byKey.get(expectedKey(v));
          expect(r, expectedKey(v)).toBeDefined();
          expect(r!.value).toBe(v.value);
          expect(r!.storedBy ?? null).toBe(v.storedBy ?? null);
          // CSV cannot tell an empty comment from none
          expect(format === 'csv' ? r!.comment || null : (r!.comment ?? null)).toBe(v.comment ?? null);
          expect(r!.followup ?? false).toBe(v.followup ?? false);
          expect(r!.deleted ?? false).toBe(false);
        }
      });
    }

  it('CSV carries DHIS2 lastupdated timestamps; JSON carries created too', async () => {
    const csv = path.join(dir, 'a.csv');
    summaryOf(await runExport(f, { kind: 'data', out: csv, format: 'csv', options: { orgUnit: U.ouRoot } }));
    const lines = fs.readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual([
      'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted',
      `${U.deText},202403,${U.ouRoot},HllvX50cXC0,HllvX50cXC0,Ünïcödé — ✓ 日本,dave,2024-04-05T06:07:08.900+0000,,false,false`,
    ]);
    const json = path.join(dir, 'a.json');
    summaryOf(await runExport(f, { kind: 'data', out: json, format: 'json', options: { orgUnit: U.ouRoot } }));
    const doc = JSON.parse(fs.readFileSync(json, 'utf8')) as { dataValues: Record<string, unknown>[] };
    expect(doc.dataValues[0]).toMatchObject({ created: '2024-03-01T10:00:00.000+0000', lastUpdated: '2024-04-05T06:07:08.900+0000', followup: false });
  });

  it('includeDeleted adds soft-deleted values marked deleted', async () => {
    const out = path.join(dir, 'del.xml');
    const s = summaryOf(await runExport(f, { kind: 'data', out, format: 'xml', options: { includeDeleted: true } }));
    expect(s.counts).toMatchObject({ dataValues: live.length + 1, deleted: 1 });
    const { rows } = await readDataRows(out, 'xml');
    const del = rows.filter((r) => r.deleted);
    expect(del.map(keyOf)).toEqual([`${U.deText}|202402|${U.ouB}|HllvX50cXC0|HllvX50cXC0`]);
    expect(del[0]!.value).toBe('gone');
  });
});

describe('data export: cancel', () => {
  it('a cancelled export stops, reports cancelled and leaves no file', async () => {
    const ids = f.db.prepare(`SELECT id FROM metadata_object WHERE uid = ?`).pluck();
    const insP = f.db.prepare(`INSERT INTO period (iso, type, start_date, end_date) VALUES (?, 'Daily', ?, ?)`);
    const peOf = f.db.prepare(`SELECT id FROM period WHERE iso = ?`).pluck();
    const ins = f.db.prepare(`INSERT INTO data_value (de, pe, ou, coc, aoc, value, created, last_updated) VALUES (?, ?, ?, ?, ?, ?, '2024-01-01', '2024-01-01')`);
    const coc = ids.get(U.def.coc);
    f.db.transaction(() => {
      for (const de of [U.deNum, U.deText, U.deOther]) for (const ou of [U.ouRoot, U.ouA, U.ouB, U.ouA1]) for (const c of [U.cocM, U.cocF, U.aocA])
        for (let day = 1; day <= 200; day++) {
          const iso = `2022${String(Math.ceil(day / 28)).padStart(2, '0')}${String(((day - 1) % 28) + 1).padStart(2, '0')}`;
          const date = `${iso.slice(0, 4)}-${iso.slice(4, 6)}-${iso.slice(6)}`;
          const p = (peOf.get(iso) as number | undefined) ?? Number(insP.run(iso, date, date).lastInsertRowid);
          ins.run(ids.get(de), p, ids.get(ou), ids.get(c), coc, 'x'.repeat(2000));
        }
    })();
    const out = path.join(dir, 'cancel.json');
    const started = await (await import('../../src-main/ipc/register.ts')).invoke(f.handlers, 'export:start', { kind: 'data', out, format: 'json' });
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
});

describe('data export: selection', () => {
  it('org unit alone, with direct children, with all descendants', async () => {
    expect(await keys({ orgUnit: [U.ouRoot] })).toEqual(expectKeys((v) => v.ou === U.ouRoot));
    expect(await keys({ orgUnit: [U.ouRoot], children: true })).toEqual(expectKeys((v) => [U.ouRoot, U.ouA, U.ouB].includes(v.ou)));
    expect(await keys({ orgUnit: [U.ouRoot], descendants: true })).toEqual(expectKeys(() => true));
    expect(await keys({ orgUnit: [U.ouRoot], includeDescendants: 'true' })).toEqual(expectKeys(() => true));
  });

  it('several org units each with its own mode (the wizard form), and org unit groups', async () => {
    // the wizard sends both orgUnit (ids) and orgUnits (ids with modes)
    const got = await keys({ orgUnit: [U.ouA, U.ouB], orgUnits: [{ id: U.ouA, mode: 'DESCENDANTS' }, { id: U.ouB, mode: 'SELECTED' }] }, 'json');
    expect(got).toEqual(expectKeys((v) => [U.ouA, U.ouA1, U.ouB].includes(v.ou)));
    expect(await keys({ orgUnit: ['DIST_A'] })).toEqual(expectKeys((v) => v.ou === U.ouA)); // codes are accepted too
    expect(await keys({ orgUnitGroup: [U.ouGroup] })).toEqual(expectKeys((v) => v.ou === U.ouB));
  });

  it('data sets, data element groups and data elements unite', async () => {
    expect(await keys({ dataSet: [U.ds1] })).toEqual(expectKeys((v) => v.de === U.deNum || v.de === U.deText));
    expect(await keys({ dataSet: U.ds2 })).toEqual(expectKeys((v) => v.de === U.deNum));
    expect(await keys({ dataElementGroup: [U.deg], dataElement: [U.deOther] })).toEqual(expectKeys((v) => v.de !== U.deNum));
  });

  it('explicit periods win over start/end dates; dates select periods lying completely inside', async () => {
    expect(await keys({ period: ['202401', '2023'] })).toEqual(expectKeys((v) => v.pe === '202401' || v.pe === '2023'));
    expect(await keys({ period: ['2024-01'] })).toEqual(expectKeys((v) => v.pe === '202401'));
    expect(await keys({ startDate: '2024-01-01', endDate: '2024-02-29' })).toEqual(expectKeys((v) => v.pe === '202401' || v.pe === '202402'));
    expect(await keys({ startDate: '2024-01-01', endDate: '2024-03-31' })).toEqual(expectKeys((v) => v.pe.startsWith('2024')));
    expect(await keys({ period: ['2023'], startDate: '2024-01-01', endDate: '2024-12-31' })).toEqual(expectKeys((v) => v.pe === '2023'));
  });

  it('values changed since a date, attribute option combos, limit', async () => {
    expect(await keys({ lastUpdated: '2024-04-01' })).toEqual(expectKeys((v) => v.lastUpdated != null));
    expect(await keys({ attributeOptionCombo: [U.aocA] })).toEqual(expectKeys((v) => v.aoc === U.aocA));
    expect(await keys({ limit: 3 })).toHaveLength(3);
  });

  it('an unknown org unit or data set fails the job naming it, and leaves no file', async () => {
    const out = path.join(dir, 'bad.csv');
    const job = await runExport(f, { kind: 'data', out, format: 'csv', options: { orgUnit: ['NoSuchOu01'] } });
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('BAD_REQUEST');
    expect(job.error?.message).toContain("'NoSuchOu01'");
    expect(fs.existsSync(out)).toBe(false);
    const job2 = await runExport(f, { kind: 'data', out, format: 'csv', options: { dataSet: 'Nope', startDate: '2024-05-01', endDate: '2024-01-01' } });
    expect(job2.error?.message).toContain("'Nope'");
    const job3 = await runExport(f, { kind: 'data', out, format: 'csv', options: { startDate: '2024-05-01', endDate: '2024-01-01' } });
    expect(job3.error?.message).toContain('E2004');
    const job5 = await runExport(f, { kind: 'data', out, format: 'csv', options: { period: ['2024M13'] } });
    expect(job5.error?.message).toContain("'2024M13' is not a DHIS2 period");
    const job4 = await runExport(f, { kind: 'data', out, format: 'adx', options: { includeDeleted: true } });
    expect(job4.error?.code).toBe('BAD_REQUEST');
    expect(job4.error?.message).toContain('ADX cannot mark a value as deleted');
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('data export: date options must be real calendar dates', () => {
  it('an impossible startDate, endDate or lastUpdated fails the job naming the option and value, and leaves no file', async () => {
    const out = path.join(dir, 'dates.json');
    const bad: [string, string][] = [
      ['startDate', '2012-02-30'], ['endDate', '2023-02-29'], ['startDate', '2024-13-01'], ['endDate', '2024-04-31'], ['startDate', '2024-1-5'],
      ['startDate', '2024-01-01T00:00'], ['lastUpdated', '2024-02-30'], ['lastUpdated', '2024-01-01T25:00:00'], ['lastUpdated', '2024-01-01garbage'],
      ['lastUpdated', 'yesterday'],
    ];
    for (const [option, value] of bad) {
      const job = await runExport(f, { kind: 'data', out, format: 'json', options: { [option]: value, ...(option === 'lastUpdated' ? {} : { startDate: '2024-01-01', endDate: '2024-12-31', [option]: value }) } });
      expect(job.status, `${option}=${value}`).toBe('failed');
      expect(job.error?.code).toBe('BAD_REQUEST');
      expect(job.error?.message).toContain(option);
      expect(job.error?.message).toContain(`'${value}'`);
      expect(fs.existsSync(out)).toBe(false);
    }
  });

  it('real dates (leap day included) and lastUpdated date-times are accepted; start after end is still E2004', async () => {
    expect(await keys({ startDate: '2024-02-01', endDate: '2024-02-29' }, 'json')).toEqual(expectKeys((v) => v.pe === '202402'));
    expect(await keys({ lastUpdated: '2024-04-01T00:00:00.000Z' }, 'json')).toEqual(expectKeys((v) => v.lastUpdated != null));
    expect(await keys({ lastUpdated: '2024-04-01T00:00' }, 'json')).toEqual(expectKeys((v) => v.lastUpdated != null));
    const job = await runExport(f, { kind: 'data', out: path.join(dir, 'e2004.json'), format: 'json', options: { startDate: '2024-05-01', endDate: '2024-01-01' } });
    expect(job.error?.code).toBe('BAD_REQUEST');
    expect(job.error?.message).toContain('E2004');
  });

  it('CLI: --start-date 2012-02-30 is refused with exit status 2 and nothing is written', async () => {
    await f.close();
    const db = path.join(dir, 'site.sqlite');
    const out = path.join(dir, 'x.json');
    const run = await ferryCli(['--db', db, 'export', 'data', '--out', out, '--start-date', '2012-02-30']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("startDate must be a real date (yyyy-MM-dd), got '2012-02-30'");
    expect(fs.existsSync(out)).toBe(false);
    const j = await ferryCli(['--db', db, 'export', 'data', '--out', out, '--last-updated', '2024-02-30T10:00:00', '--json']);
    expect(j.code).toBe(2);
    expect(j.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(j.json<{ error: { message: string } }>().error.message).toContain("lastUpdated must be a real date");
    f = openFerry({ dbPath: db, mode: 'inline' });
  });
});

describe('data export: id schemes and header', () => {
  it('CODE, NAME and ATTRIBUTE schemes for data elements, org units and option combos', async () => {
    const out = path.join(dir, 'code.json');
    summaryOf(await runExport(f, { kind: 'data', out, format: 'json', options: { idScheme: 'CODE', orgUnit: U.ouA, period: '202401' } }));
    const { rows } = await readDataRows(out, 'json');
    expect(rows.map(keyOf).sort()).toEqual(
      [
        'MAL_CASES|202401|DIST_A|COC_M|default',
        'MAL_CASES|202401|DIST_A|COC_F|default',
        'MAL_CASES|202401|DIST_A|COC_M|AOC_A',
        'REMARKS|202401|DIST_A|default|default',
      ].sort(),
    );
    const out2 = path.join(dir, 'mixed.csv');
    summaryOf(
      await runExport(f, {
        kind: 'data', out: out2, format: 'csv',
        options: { dataElementIdScheme: 'NAME', orgUnitIdScheme: `ATTRIBUTE:${U.attr}`, categoryOptionComboIdScheme: 'code', orgUnit: U.ouA, period: '202401', dataElement: U.deNum, attributeOptionCombo: U.def.coc },
      }),
    );
    const { rows: r2 } = await readDataRows(out2, 'csv');
    expect(r2.map(keyOf).sort()).toEqual(['Malaria cases|202401|L-A|COC_F|default', 'Malaria cases|202401|L-A|COC_M|default']);
  });

  it('objects lacking the chosen property are written as null and counted', async () => {
    f.db.prepare(`UPDATE metadata_object SET code = NULL WHERE uid = ?`).run(U.ouA1);
    const out = path.join(dir, 'nocode.json');
    const s = summaryOf(await runExport(f, { kind: 'data', out, format: 'json', options: { orgUnitIdScheme: 'CODE', orgUnit: U.ouA1 } }));
    expect(s.counts).toMatchObject({ dataValues: 2, valuesWithMissingIdentifiers: 2 });
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { dataValues: { orgUnit: unknown }[] };
    expect(doc.dataValues.map((v) => v.orgUnit)).toEqual([null, null]);
  });

  it('a single data value set (one data set, period and org unit) gets the DHIS2 root header with completeDate', async () => {
    const ds = f.db.prepare(`SELECT id FROM metadata_object WHERE uid = ?`).pluck();
    const pe = f.db.prepare(`SELECT id FROM period WHERE iso = '202401'`).pluck().get();
    f.db.prepare(`INSERT INTO complete_registration (dataset, pe, ou, aoc, date, stored_by) VALUES (?, ?, ?, ?, '2024-02-03T08:00:00.000', 'alice')`).run(ds.get(U.ds1), pe, ds.get(U.ouA), ds.get(U.def.coc));
    for (const format of ['json', 'xml'] as const) {
      const out = path.join(dir, `single.${format}`);
      summaryOf(await runExport(f, { kind: 'data', out, format, options: { dataSet: U.ds1, period: '202401', orgUnit: U.ouA, orgUnits: [{ id: U.ouA, mode: 'SELECTED' }] } }));
      const { header, rows } = await readDataRows(out, format);
      expect(header).toMatchObject({ dataSet: U.ds1, completeDate: '2024-02-03', period: '202401', orgUnit: U.ouA });
      expect(rows).toHaveLength(4);
    }
  });
});

describe('data export: ADX', () => {
  it('groups by data set, attribute option combo, org unit and period; text values go into annotations', async () => {
    const out = path.join(dir, 'all.adx.xml');
    const s = summaryOf(await runExport(f, { kind: 'data', out, format: 'adx' }));
    // DeOther belongs to no data set: ADX (DHIS2) exports data set by data set, so its 3 values cannot be written —
    // and the summary says so (status WARNING, a count and a warning naming the data element)
    const other = live.filter((v) => v.de === U.deOther).length;
    expect(s.counts).toEqual({ dataValues: live.length - other, groups: 5, valuesNotInAnyDataSet: other });
    expect(s.status).toBe('WARNING');
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings![0]).toContain(`${other} values were left out`);
    expect(s.warnings![0]).toContain('no data set (OTHER)');
    const xml = fs.readFileSync(out, 'utf8');
    expect(xml).toContain('<group dataSet="MECH_REPORT" period="2024-01-01/P1M" orgUnit="DIST_A" MECH="MECH_A">');
    expect(xml).toContain('<dataValue dataElement="MAL_CASES" SEX="M" value="12" comment="checked, ok"/>');
    expect(xml).toContain('<annotation>Stock-out &lt;24h&gt; &amp; "late"</annotation>');
    expect(xml).not.toContain('"OTHER"');
  });

  it('everything in a data set: status OK, no warnings', async () => {
    const s = summaryOf(await runExport(f, { kind: 'data', out: path.join(dir, 'ds.adx.xml'), format: 'adx', options: { dataSet: [U.ds1, U.ds2] } }));
    expect(s.status).toBe('OK');
    expect(s.warnings).toBeUndefined();
    expect(s.counts).toEqual({ dataValues: live.filter((v) => v.de !== U.deOther).length, groups: 5 });
  });

  it('a value whose attribute option combo is not of the data set is counted and warned about, not dropped silently', async () => {
    const s = summaryOf(await runExport(f, { kind: 'data', out: path.join(dir, 'ds1.adx.xml'), format: 'adx', options: { dataSet: U.ds1 } }));
    const outside = live.filter((v) => v.de === U.deNum && v.aoc === U.aocA).length;
    expect(outside).toBe(1);
    expect(s.status).toBe('WARNING');
    expect(s.counts).toMatchObject({ valuesWithAttributeOptionComboNotInDataSet: 1 });
    expect(s.counts.valuesNotInAnyDataSet).toBeUndefined();
    expect(s.warnings![0]).toContain('1 value was left out: its attribute option combo');
  });

  it('comments, and a comment-only value, travel in a comment attribute and come back on import', async () => {
    const id = f.db.prepare(`SELECT id FROM metadata_object WHERE uid = ?`).pluck();
    const pe = f.db.prepare(`SELECT id FROM period WHERE iso = ?`).pluck();
    const ins = f.db.prepare(`INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,0,0)`);
    const t = '2024-03-01T10:00:00.000Z';
    ins.run(id.get(U.deNum), pe.get('202403'), id.get(U.ouA), id.get(U.cocF), id.get(U.def.coc), null, 'alice', t, t, 'not counted yet: <ask> & "call"');
    ins.run(id.get(U.deText), pe.get('202403'), id.get(U.ouA), id.get(U.def.coc), id.get(U.def.coc), null, 'alice', t, t, 'line 1\nline\t2');
    const out = path.join(dir, 'comments.adx.xml');
    const s = summaryOf(await runExport(f, { kind: 'data', out, format: 'adx', options: { dataSet: U.ds1, period: '202403' } }));
    expect(s).toMatchObject({ status: 'OK', counts: { dataValues: 3 } });
    const xml = fs.readFileSync(out, 'utf8');
    expect(xml).toContain('<dataValue dataElement="MAL_CASES" SEX="F" comment="not counted yet: &lt;ask&gt; &amp; &quot;call&quot;"/>');
    expect(xml).not.toMatch(/<dataValue dataElement="[A-Z_]+"\/>/);
    // import the file back into the same database, emptied of data values
    const before = f.db.prepare(`SELECT de, pe, ou, coc, aoc, value, comment FROM data_value WHERE pe = ? AND deleted = 0 ORDER BY de, coc`).all(pe.get('202403'));
    f.db.prepare(`DELETE FROM data_value`).run();
    const r = await invoke(f.handlers, 'import:start', { files: [out], kind: 'data', options: {} });
    if (!r.ok) throw new Error(r.error.message);
    const job = await f.jobs.wait((r.value as { jobId: number }).jobId);
    expect(job.error).toBeNull();
    const after = f.db.prepare(`SELECT de, pe, ou, coc, aoc, value, comment FROM data_value WHERE pe = ? AND deleted = 0 ORDER BY de, coc`).all(pe.get('202403'));
    expect(after).toEqual(before);
    expect(after.filter((v) => (v as { value: unknown }).value === null)).toHaveLength(2);
  });

  it('a category without a usable code falls back to the categoryOptionCombo attribute instead of losing the value', async () => {
    f.db.prepare(`UPDATE metadata_object SET code = NULL WHERE uid = ?`).run(U.catSex);
    const out = path.join(dir, 'fallback.adx.xml');
    const s = summaryOf(await runExport(f, { kind: 'data', out, format: 'adx', options: { dataSet: U.ds1, period: '202401' } }));
    expect(s.counts).toMatchObject({ dataValues: 3, categoryOptionComboFallbacks: 2 });
    const xml = fs.readFileSync(out, 'utf8');
    expect(xml).toContain('<dataValue dataElement="MAL_CASES" categoryOptionCombo="COC_M" value="12" comment="checked, ok"/>');
    expect(xml).toContain('<dataValue dataElement="MAL_CASES" categoryOptionCombo="COC_F" value="7"/>');
  });
});

describe('data export: CLI and worker thread', () => {
  it('ferry export data with DHIS2-named flags writes the zip it was asked for', async () => {
    await f.close();
    const out = path.join(dir, 'cli.csv.zip');
    const run = await ferryCli(['--db', path.join(dir, 'site.sqlite'), 'export', 'data', '--out', out, '--format', 'csv', '--compression', 'zip',
      '--org-unit', U.ouA, '--org-unit', U.ouB, '--children', '--data-set', U.ds1, '--start-date', '2024-01-01', '--end-date', '2024-12-31', '--json'], { inline: false });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const s = run.json<{ counts: { dataValues: number }; compression: string; format: string }>();
    const want = expectKeys((v) => [U.ouA, U.ouA1, U.ouB].includes(v.ou) && (v.de === U.deNum || v.de === U.deText) && v.pe.startsWith('2024'));
    expect(s).toMatchObject({ format: 'csv', compression: 'zip', counts: { dataValues: want.length } });
    const raw = await readExport(out);
    expect(raw.compression).toBe('zip');
    expect(raw.entryName).toBe('cli.csv');
    const { rows } = await readDataRows(out, 'csv');
    expect(rows.map(keyOf).sort()).toEqual(want);
    f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  });

  it('CLI: --include-descendants and --org-unit-group, ids by code', async () => {
    await f.close();
    const db = path.join(dir, 'site.sqlite');
    const out1 = path.join(dir, 'desc.csv');
    const r1 = await ferryCli(['--db', db, 'export', 'data', '--org-unit', 'DIST_A', '--include-descendants', '--out', out1, '--format', 'csv', '--json']);
    expect(r1.code).toBe(0);
    expect((await readDataRows(out1, 'csv')).rows.map(keyOf).sort()).toEqual(expectKeys((v) => v.ou === U.ouA || v.ou === U.ouA1));
    const out2 = path.join(dir, 'group.csv');
    const r2 = await ferryCli(['--db', db, 'export', 'data', '--org-unit-group', 'HOSP', '--org-unit-id-scheme', 'CODE', '--out', out2, '--format', 'csv', '--json']);
    expect(r2.code).toBe(0);
    const rows = (await readDataRows(out2, 'csv')).rows;
    expect(rows.length).toBe(expectKeys((v) => v.ou === U.ouB).length);
    expect(new Set(rows.map((r) => r.orgUnit))).toEqual(new Set(['DIST_B']));
    f = openFerry({ dbPath: db, mode: 'inline' });
  });

  it('CLI: ADX with no filter says which values it left out (status WARNING, exit 0)', async () => {
    await f.close();
    const db = path.join(dir, 'site.sqlite');
    const out = path.join(dir, 'cli.adx.xml');
    const run = await ferryCli(['--db', db, 'export', 'data', '--out', out, '--format', 'adx']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('export data: WARNING');
    expect(run.stdout).toContain('valuesNotInAnyDataSet 3');
    expect(run.stdout).toMatch(/\n {2}warning: 3 values were left out: their data elements belong to no data set \(OTHER\)/);
    const j = await ferryCli(['--db', db, 'export', 'data', '--out', out, '--format', 'adx', '--json']);
    expect(j.code).toBe(0);
    expect(j.json<{ status: string; counts: Record<string, number>; warnings: string[] }>()).toMatchObject({ status: 'WARNING', counts: { valuesNotInAnyDataSet: 3 }, warnings: [expect.stringContaining('left out')] });
    f = openFerry({ dbPath: db, mode: 'inline' });
  });

  it('with no filter the CLI exports everything stored', async () => {
    await f.close();
    const out = path.join(dir, 'everything.json.gz');
    const run = await ferryCli(['--db', path.join(dir, 'site.sqlite'), 'export', 'data', '--out', out, '--format', 'json', '--compression', 'gzip', '--json']);
    expect(run.code).toBe(0);
    expect(run.json<{ counts: { dataValues: number } }>().counts.dataValues).toBe(live.length);
    expect((await readExport(out)).compression).toBe('gzip');
    f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  });
});
