/**
 * Data value import end to end: the CLI with several files (district merge), re-import, job history with file names
 * and sha256, source_file_id per value, broken files (truncated zip, malformed XML) changing nothing, worker mode.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { openDb, type Db } from '../../src-main/db/open.ts';
import { openFerry } from '../../src-main/services/context.ts';
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata, runImport, storedValues, writeFile } from '../unit/importers/data-values/helpers.ts';
import { withDbAt } from '../helpers/db.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-dvi-');
  dbPath = path.join(dir, 'site.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, SMALL_METADATA);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha = (p: string): string => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
function snapshot(db: Db): Record<string, unknown[]> {
  return {
    data_value: db.prepare(`SELECT * FROM data_value ORDER BY ou, pe, de, coc, aoc`).all(),
    period: db.prepare(`SELECT * FROM period ORDER BY id`).all(),
    complete_registration: db.prepare(`SELECT * FROM complete_registration`).all(),
  };
}
const withDb = <T>(fn: (db: Db) => T): T => withDbAt(dbPath, fn);

const facilityA = (d: string) =>
  writeFile(d, 'clinic-a.csv', [CSV_HEADER, 'DeInteger01,202401,OuClinicA01,,,10,,,"late, but ""complete""\nreport",false,', 'DeInteger01,202402,OuClinicA01,,,11,,,,false,'].join('\n') + '\n');
const facilityB = (d: string) =>
  writeFile(
    d,
    'clinic-b.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" orgUnit="OuClinicB01">
  <dataValue dataElement="DeInteger01" period="202401" value="20" followUp="false"/>
  <dataValue dataElement="DeNumber001" period="202401" categoryOptionCombo="CocMale0001" value="2.5" followUp="false"/>
  <dataValue dataElement="DeNope00001" period="202401" value="1"/>
</dataValueSet>`,
  );

describe('district merge through the CLI', () => {
  it('imports several files in one job with one summary per file and a combined one; re-import changes nothing', async () => {
    const a = facilityA(dir);
    const b = facilityB(dir);
    const r = await ferryCli(['--db', dbPath, 'import', a, b, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = r.json<ImportSummary>();
    expect(s.status).toBe('WARNING');
    expect(s.importCount).toEqual({ imported: 4, updated: 0, ignored: 1, deleted: 0 });
    expect(s.fileSummaries!.map((f) => [f.file, f.sha256, f.format, f.compression, f.status, f.importCount.imported, f.rejectedIndexes])).toEqual([
      ['clinic-a.csv', sha(a), 'csv', 'none', 'SUCCESS', 2, []],
      ['clinic-b.xml', sha(b), 'xml', 'none', 'WARNING', 2, [2]],
    ]);
    expect(s.conflicts.map((c) => c.errorCode)).toEqual(['E7610']);
    const stored = withDb((db) => storedValues(db));
    expect(stored.find((v) => v.orgUnit === 'OuClinicA01' && v.period === '202401')!.comment).toBe('late, but "complete"\nreport');

    // job history: names + sha256, and every value points at the job_file that brought it
    const jobs = await ferryCli(['--db', dbPath, 'jobs', '--json']);
    const [job] = jobs.json<JobRecord[]>();
    expect(job!.files.map((f) => [f.name, f.sha256, f.status])).toEqual([
      ['clinic-a.csv', sha(a), 'SUCCESS'],
      ['clinic-b.xml', sha(b), 'WARNING'],
    ]);
    const sources = withDb((db) =>
      db
        .prepare(`SELECT ou.uid AS ou, f.name AS name, f.sha256 AS sha FROM data_value v JOIN job_file f ON f.id = v.source_file_id JOIN metadata_object ou ON ou.id = v.ou ORDER BY ou.uid`)
        .all(),
    ) as { ou: string; name: string; sha: string }[];
    expect(sources.map((x) => [x.ou, x.name])).toEqual([
      ['OuClinicA01', 'clinic-a.csv'],
      ['OuClinicA01', 'clinic-a.csv'],
      ['OuClinicB01', 'clinic-b.xml'],
      ['OuClinicB01', 'clinic-b.xml'],
    ]);

    const before = withDb(snapshot);
    const again = await ferryCli(['--db', dbPath, 'import', a, b, '--json']);
    const s2 = again.json<ImportSummary>();
    expect(s2.importCount).toEqual({ imported: 0, updated: 0, ignored: 5, deleted: 0 });
    expect(s2.fileSummaries!.map((f) => f.importCount.ignored)).toEqual([2, 3]);
    expect(withDb(snapshot)).toEqual(before);
  });

  it('passes DHIS2 options as kebab-case flags (--strategy, --dry-run, --id-scheme, --first-row-is-header)', async () => {
    const f = writeFile(dir, 'noheader.csv', 'DE_INT,202405,OU_A,,,3,,,,,\n');
    const dry = await ferryCli(['--db', dbPath, 'import', f, '--id-scheme', 'CODE', '--first-row-is-header', 'false', '--dry-run', '--json']);
    expect(dry.json<ImportSummary>().importCount.imported).toBe(1);
    expect(withDb((db) => storedValues(db))).toEqual([]);
    const upd = await ferryCli(['--db', dbPath, 'import', f, '--id-scheme', 'CODE', '--first-row-is-header', 'false', '--strategy', 'UPDATES', '--json']);
    expect(upd.json<ImportSummary>().importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 });
  });
});

describe('options and progress', () => {
  it('--data-set (given once) applies the data set checks to a CSV file', async () => {
    const f = writeFile(dir, 'ds.csv', [CSV_HEADER, 'DeInteger01,202401,OuClinicA01,,,5,,,,,', 'DeText00001,202401,OuClinicA01,,,x,,,,,'].join('\n'));
    const r = await ferryCli(['--db', dbPath, 'import', f, '--data-set', 'DsMonthly01', '--strict-data-elements', '--json']);
    const s = r.json<ImportSummary>();
    expect(s.conflicts.map((c) => [c.errorCode, c.indexes, c.value])).toEqual([['E7633', [1], 'Data element: `DeText00001` is not part of dataset(s): `DsMonthly01`']]);
    const bad = await ferryCli(['--db', dbPath, 'import', f, '--data-set', 'DsNope00001', '--json']);
    expect(bad.json<ImportSummary>().conflicts[0]!.errorCode).toBe('E7600');
  });

  it('reports progress in bytes of the current file and records', async () => {
    const ferry = openFerry({ dbPath, mode: 'inline' });
    try {
      const rows = [CSV_HEADER];
      // 5,000 past days from 2000-01-01 (daily periods)
      for (let i = 0; i < 5000; i++) rows.push(`DeInteger01,${new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10).replace(/-/g, '')},OuClinicA01,,,${i + 1},,,,,`);
      const f = writeFile(dir, 'big.csv', rows.join('\n') + '\n');
      const events: { stage: string; done: number; total: number | null; records: number; fileName: string; unit: string }[] = [];
      const off = ferry.jobs.on('job:progress', (e) => void events.push(e));
      const r = await runImport(ferry, [f]);
      off();
      expect(r.summary!.importCount.imported).toBe(5000);
      // the final reading update is always delivered (the throttle may merge the 'committing' stage into it)
      const last = events.reduce((a, e) => (e.records >= a.records ? e : a));
      expect(last).toMatchObject({ unit: 'bytes', done: fs.statSync(f).size, total: fs.statSync(f).size, records: 5000, fileName: 'big.csv' });
    } finally {
      await ferry.close();
    }
  });
});

describe('broken files change nothing', () => {
  it('a truncated zip or malformed XML fails a single-file job and leaves every table as it was', async () => {
    await ferryCli(['--db', dbPath, 'import', facilityA(dir), '--json']);
    const before = withDb(snapshot);
    const rows = [CSV_HEADER];
    for (let i = 1; i <= 28; i++) rows.push(`DeInteger01,2024${String((i % 12) + 1).padStart(2, '0')},OuClinicB01,,,${i},,,,,`);
    const zip = zipSync({ 'values.csv': strToU8(rows.join('\n').repeat(50)) }, { level: 0 });
    const truncated = writeFile(dir, 'truncated.zip', Buffer.from(zip.subarray(0, Math.floor(zip.length * 0.7))));
    const t = await ferryCli(['--db', dbPath, 'import', truncated, '--json']);
    expect(t.code).toBe(2);
    expect(t.stdout).toMatch(/truncated\.zip: the zip file is truncated or damaged/);
    expect(withDb(snapshot)).toEqual(before);

    const bad = writeFile(
      dir,
      'broken.xml',
      `<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n` +
        Array.from({ length: 3000 }, (_, i) => `<dataValue dataElement="DeInteger01" period="2023${String((i % 12) + 1).padStart(2, '0')}" orgUnit="OuClinicB01" value="${i}"/>`).join('\n') +
        `\n<dataValue dataElement="DeInteger01" period="202301" orgUnit="OuClinicB01" value="1">\n</dataValueSet>\n`,
    );
    const x = await ferryCli(['--db', dbPath, 'import', bad, '--json']);
    expect(x.code).toBe(2);
    const err = x.json<{ error: { code: string; message: string } }>().error;
    expect(err.code).toBe('BAD_FILE');
    expect(err.message).toMatch(/^broken\.xml, line 3003: malformed XML/);
    expect(withDb(snapshot)).toEqual(before);
  });

  it('in a multi-file job the broken file is rolled back and reported while the others import', async () => {
    const good = facilityA(dir);
    const bad = writeFile(dir, 'broken.json', '{"dataValues":[{"dataElement":"DeInteger01","period":"202407","orgUnit":"OuClinicB01","value":"1"},\n{"dataElement":');
    const r = await ferryCli(['--db', dbPath, 'import', bad, good, '--json']);
    const s = r.json<ImportSummary>();
    expect(r.code).toBe(1);
    expect(s.status).toBe('ERROR');
    expect(s.fileSummaries!.map((f) => [f.file, f.status, f.importCount.imported])).toEqual([
      ['broken.json', 'ERROR', 0],
      ['clinic-a.csv', 'SUCCESS', 2],
    ]);
    expect(s.fileSummaries![0]!.description).toMatch(/^The import process failed: broken\.json, line 2: malformed JSON/);
    const stored = withDb((db) => storedValues(db));
    expect(stored.map((v) => [v.orgUnit, v.period])).toEqual([
      ['OuClinicA01', '202401'],
      ['OuClinicA01', '202402'],
    ]);
  });
});

describe('worker mode', () => {
  it('runs the import in a worker thread with the same result', async () => {
    const ferry = openFerry({ dbPath, mode: 'worker' });
    try {
      const r = await runImport(ferry, [facilityB(dir)]);
      expect(r.error).toBeNull();
      expect(r.summary!.importCount).toEqual({ imported: 2, updated: 0, ignored: 1, deleted: 0 });
      expect(storedValues(ferry.db).map((v) => v.value)).toEqual(['20', '2.5']);
    } finally {
      await ferry.close();
    }
  });
});

describe('JSON values are read as text, as DHIS2 reads them', () => {
  it('stores numbers exactly as written and refuses an exponent for a NUMBER element (E7619)', async () => {
    const f = writeFile(
      dir,
      'numbers.json',
      `{"dataValues":[
  {"dataElement":"DeNumber001","categoryOptionCombo":"CocMale0001","period":"202401","orgUnit":"OuClinicA01","value":3.14159265358979323846},
  {"dataElement":"DeNumber001","categoryOptionCombo":"CocMale0001","period":"202402","orgUnit":"OuClinicA01","value":1.10},
  {"dataElement":"DeNumber001","categoryOptionCombo":"CocMale0001","period":"202403","orgUnit":"OuClinicA01","value":1e2},
  {"dataElement":"DeText00001","period":"202401","orgUnit":"OuClinicA01","value":12345678901234567890,"comment":true}
]}`,
    );
    const r = await ferryCli(['--db', dbPath, 'import', f, '--json']);
    const s = r.json<ImportSummary>();
    expect(s.importCount).toEqual({ imported: 3, updated: 0, ignored: 1, deleted: 0 });
    expect(s.conflicts.map((c) => [c.errorCode, c.indexes, c.lines])).toEqual([['E7619', [2], [4]]]);
    expect(withDb((db) => storedValues(db)).map((v) => [v.dataElement, v.period, v.value, v.comment])).toEqual([
      ['DeNumber001', '202401', '3.14159265358979323846', null],
      ['DeNumber001', '202402', '1.10', null],
      ['DeText00001', '202401', '12345678901234567890', 'true'],
    ]);
  });
});

describe('conflicts name the lines of the file', () => {
  it('gives each conflict the line of every row it groups, in CSV (quoted line breaks counted) and the CLI text', async () => {
    const f = writeFile(
      dir,
      'lines.csv',
      `${CSV_HEADER}
DeNumber001,202401,OuClinicA01,CocMale0001,,abc,,,,,
DeNumber001,202402,OuClinicA01,CocMale0001,,5,,,"a comment
over two lines",,
DeUnknown01,202401,OuClinicA01,,,1,,,,,
DeNumber001,202403,OuClinicA01,CocMale0001,,xyz,,,,,
`,
    );
    const r = await ferryCli(['--db', dbPath, 'import', f, '--json']);
    const s = r.json<ImportSummary>();
    expect(s.conflicts.map((c) => [c.errorCode, c.indexes, c.lines])).toEqual([
      ['E7619', [0, 3], [2, 6]],
      ['E7610', [2], [5]],
    ]);
    const text = await ferryCli(['--db', dbPath, 'import', f, '--dry-run']);
    expect(text.stdout).toContain('(lines 5)');
  });
});

describe('CSV without header imported with the defaults', () => {
  it('keeps its first row and says how the first row was read; an explicit option is obeyed', async () => {
    const f = writeFile(dir, 'noheader.csv', 'DeInteger01,202401,OuClinicA01,,,10001,,,,false,\nDeInteger01,202402,OuClinicA01,,,10002,,,,false,\n');
    const text = await ferryCli(['--db', dbPath, 'import', f, '--dry-run']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/imported 2, updated 0, deleted 0, ignored 0/);
    expect(text.stdout).toMatch(/first row read as data \(it is not a header\) and imported; give --first-row-is-header true if it is a header/);
    const r = await ferryCli(['--db', dbPath, 'import', f, '--json']);
    const s = r.json<ImportSummary>();
    expect(s.importCount.imported).toBe(2);
    expect([s.firstRowIsHeader, s.firstRowIsHeaderDetected]).toEqual([false, true]);
    expect(withDb((db) => storedValues(db)).map((v) => v.value)).toEqual(['10001', '10002']);

    const h = writeFile(dir, 'header.csv', `${CSV_HEADER}\nDeInteger01,202403,OuClinicA01,,,3,,,,,\n`);
    const hs = await ferryCli(['--db', dbPath, 'import', h]);
    expect(hs.stdout).toMatch(/imported 1, .*\n.*\n\s+first row read as a header \(it names the columns\), not imported/);

    // explicit: obeyed, and nothing to say
    const explicit = await ferryCli(['--db', dbPath, 'import', f, '--first-row-is-header', 'true', '--dry-run', '--json']);
    const es = explicit.json<ImportSummary>();
    expect(es.importCount).toEqual({ imported: 0, updated: 0, ignored: 1, deleted: 0 });
    expect([es.firstRowIsHeader, es.firstRowIsHeaderDetected]).toEqual([true, false]);
    const et = await ferryCli(['--db', dbPath, 'import', f, '--first-row-is-header', 'true', '--dry-run']);
    expect(et.stdout).not.toMatch(/first row read/);
  });
});
