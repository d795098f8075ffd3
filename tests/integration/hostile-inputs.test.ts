/**
 * Issue 16 through the real importer (the CLI, jobs inline): the pathological files of defect 2 finish fast with a
 * clear error (they took 15 s to minutes), deep nesting (defect 6) and lone surrogates (defect 7) are BAD_FILE naming
 * the line, every file entry of a zip is imported or the archive refused naming them (defect 3), and the messages say
 * what a file is (defect 7). Every refusal leaves the database exactly as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';
import { openDb, type Db } from '../../src-main/db/open.ts';
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata, storedValues, writeFile } from '../unit/importers/data-values/helpers.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-hostile-');
  dbPath = path.join(dir, 'site.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, SMALL_METADATA);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every table but the job history, as rows. */
function tables(): Record<string, unknown[]> {
  const db: Db = openDb(dbPath);
  try {
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'job%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    return Object.fromEntries(names.map((n) => [n, db.prepare(`SELECT * FROM "${n}"`).all()]));
  } finally {
    db.close();
  }
}
const gz = (name: string, text: string | Buffer): string => writeFile(dir, name, zlib.gzipSync(text, { level: 9 }));
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n';

/** Runs the CLI; returns the exit code, the error (when the job failed) and the CPU seconds it took. */
async function importing(files: string[], extra: string[] = []) {
  const t0 = process.cpuUsage();
  const r = await ferryCli(['--db', dbPath, 'import', ...files, ...extra, '--json']);
  const c = process.cpuUsage(t0);
  const out = r.stdout ? (JSON.parse(r.stdout) as { error?: { code: string; message: string } } & ImportSummary) : null;
  return { code: r.code, error: out?.error ?? null, summary: out && !out.error ? out : null, cpu: (c.user + c.system) / 1e6, stderr: r.stderr };
}

describe('defect 2: no input makes a reader slow (each took 15 s to minutes before)', () => {
  it('a 32 KB .xml.gz holding 32 MB of blank space (was 230 s)', async () => {
    const f = gz('spaces.xml.gz', XML_HEAD + ' '.repeat(32 << 20) + '</dataValueSet>');
    expect(fs.statSync(f).size).toBeLessThan(40_000);
    const before = tables();
    const r = await importing([f]);
    expect(r.code).toBe(2);
    expect(r.error?.code).toBe('BAD_FILE');
    expect(r.error?.message).toMatch(/^spaces\.xml\.gz, line 2: text between two XML tags is longer than 1 MB/);
    expect(r.cpu).toBeLessThan(5);
    expect(tables()).toEqual(before);
  });

  it('a one-line CSV (50 MB took up to 1.3 GB), a huge XML text node and a huge JSON string, 16 MB each', async () => {
    const before = tables();
    const csv = await importing([gz('line.csv.gz', CSV_HEADER + '\nDeInteger01,202401,OuClinicA01,,,' + '7'.repeat(16 << 20) + '\n')]);
    expect(csv.error?.message).toMatch(/^line\.csv\.gz, line 2: a CSV record .* is longer than 1 MB/);
    const xml = await importing([gz('text.xml.gz', XML_HEAD + '<dataValue dataElement="DeInteger01" period="202401" orgUnit="OuClinicA01" value="1"/>x' + 'y'.repeat(16 << 20) + '</dataValueSet>')]);
    expect(xml.error?.message).toMatch(/^text\.xml\.gz, line 3: text between two XML tags is longer than 1 MB/);
    const json = await importing([gz('str.json.gz', '{"dataValues":[\n{"dataElement":"DeInteger01","period":"202401","orgUnit":"OuClinicA01","value":"' + '1'.repeat(16 << 20) + '"}]}')]);
    expect(json.error?.message).toMatch(/^str\.json\.gz, line 2: a JSON string is longer than 1 MB/);
    for (const r of [csv, xml, json]) {
      expect(r.code).toBe(2);
      expect(r.cpu).toBeLessThan(5);
    }
    expect(tables()).toEqual(before);
  });

  it('blank space between values is read in linear time and imports what the file holds', async () => {
    const row = '{"dataElement":"DeInteger01","period":"202401","orgUnit":"OuClinicA01","value":"5"}';
    const f = gz('blank.json.gz', '{"dataValues":[' + ' '.repeat(8 << 20) + row + '\n' + ' '.repeat(8 << 20) + ']}');
    const r = await importing([f]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.summary!.importCount.imported).toBe(1);
    expect(r.cpu).toBeLessThan(5);
  });
});

/** A .gz of head, `mb` MB of blank space and tail, built from one compressed block (sync-flushed blocks concatenate). */
function gzBlank(name: string, head: string, mb: number, tail: string): string {
  const sync = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const block = Buffer.alloc(1 << 20, 32);
  const z = zlib.deflateRawSync(block, sync);
  let crc = zlib.crc32(head);
  for (let i = 0; i < mb; i++) crc = zlib.crc32(block, crc);
  crc = zlib.crc32(tail, crc);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE((head.length + mb * block.length + tail.length) >>> 0, 4);
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
  return writeFile(dir, name, Buffer.concat([header, zlib.deflateRawSync(head, sync), ...Array.from({ length: mb }, () => z), zlib.deflateRawSync(tail), trailer]));
}

describe('defect 2: cancel lands while a reader is inside a long run', () => {
  it('a job cancelled in the middle of 200 MB of blank space ends at once, having changed nothing', async () => {
    const row = (pe: string) => `{"dataElement":"DeInteger01","period":"${pe}","orgUnit":"OuClinicA01","value":"5"}`;
    const f = gzBlank('blank.json.gz', '{"dataValues":[' + row('202401') + ',', 200, row('202402') + ']}');
    const before = tables();
    const ferry = openFerry({ dbPath, mode: 'inline' });
    try {
      const r = await invoke(ferry.handlers, 'import:start', { files: [f], options: {} });
      expect(r.ok).toBe(true);
      const id = (r as { value: { jobId: number } }).value.jobId;
      let cancelledAt = 0;
      const off = ferry.jobs.on('job:progress', (e) => {
        if (e.jobId === id && e.stage === 'importing' && !cancelledAt) {
          cancelledAt = Date.now();
          ferry.jobs.cancel(id);
        }
      });
      const job = await ferry.jobs.wait(id);
      off();
      expect(job.status).toBe('cancelled');
      expect(cancelledAt).toBeGreaterThan(0);
      // the old JSON reader took in the whole run before it yielded again
      expect(Date.now() - cancelledAt).toBeLessThan(1000);
    } finally {
      await ferry.close();
    }
    expect(tables()).toEqual(before);
  });
});

describe('defect 6 and 7: deep nesting and lone surrogates', () => {
  it('200,000 nested arrays in a metadata file: BAD_FILE naming line and column, not INTERNAL', async () => {
    const f = writeFile(dir, 'deep.json', '{"dataElements":[\n' + '['.repeat(200_000) + ']'.repeat(200_000) + ']}');
    const before = tables();
    const r = await importing([f]);
    expect(r.code).toBe(2);
    expect(r.error?.code).toBe('BAD_FILE');
    expect(r.error?.message).toMatch(/^deep\.json, line 2, column 255: arrays and objects are nested more than 256 levels deep/);
    const x = await importing([writeFile(dir, 'deep.xml', '<metadata>\n<dataElements>' + '<a>'.repeat(200_000) + '</a>'.repeat(200_000) + '</dataElements></metadata>')]);
    expect(x.error?.message).toMatch(/^deep\.xml, line 2: XML elements are nested more than 256 levels deep/);
    expect(tables()).toEqual(before);
  });

  it('a lone \\ud800 escape is refused naming the line; nothing is stored', async () => {
    const before = tables();
    const m = await importing([writeFile(dir, 'lone.json', '{"dataElements":[\n{"id":"DeLone00001","name":"x\\ud800","shortName":"x","valueType":"NUMBER","aggregationType":"SUM","domainType":"AGGREGATE"}]}')]);
    expect(m.error?.message).toMatch(/^lone\.json, line 2, column \d+: a \\u escape leaves half of a UTF-16 surrogate pair/);
    const d = await importing([writeFile(dir, 'lone-data.json', '{"dataValues":[\n{"dataElement":"DeInteger01","period":"202401","orgUnit":"OuClinicA01","value":"1","comment":"\\udc00"}]}')]);
    expect(d.error?.message).toMatch(/^lone-data\.json, line 2: malformed JSON at column \d+ \(a \\u escape leaves half of a UTF-16 surrogate pair/);
    expect(tables()).toEqual(before);
  });
});

describe('defect 3: every file entry of a zip is imported, each named, each all-or-nothing', () => {
  const clinicA = [CSV_HEADER, 'DeInteger01,202401,OuClinicA01,,,10,,,,false,', 'DeInteger01,202402,OuClinicA01,,,11,,,,false,'].join('\n') + '\n';
  const clinicB = `${XML_HEAD}<dataValue dataElement="DeInteger01" period="202401" orgUnit="OuClinicB01" value="20"/>\n</dataValueSet>\n`;
  const broken = '{"dataValues":[{"dataElement":"DeInteger01","period":"202403","orgUnit":"OuClinicA01","value":"30"},\n{"dataElement":';

  it('a district zip of facility files: one job, a summary per entry, the broken entry rolled back alone', async () => {
    const f = writeFile(dir, 'facilities.zip', Buffer.from(zipSync({
      'district/': new Uint8Array(0),
      'district/clinicA.csv': strToU8(clinicA),
      '__MACOSX/district/._clinicA.csv': strToU8('junk'),
      'district/broken.json': strToU8(broken),
      'district/clinicB.xml': strToU8(clinicB),
    })));
    const r = await importing([f]);
    expect(r.code, r.stderr).toBe(1);
    const s = r.summary!;
    expect(s.status).toBe('ERROR');
    expect(s.fileSummaries!.map((x) => [x.file, x.status, x.importCount.imported])).toEqual([
      ['facilities.zip › district/clinicA.csv', 'SUCCESS', 2],
      ['facilities.zip › district/broken.json', 'ERROR', 0],
      ['facilities.zip › district/clinicB.xml', 'SUCCESS', 1],
    ]);
    expect(s.fileSummaries![1]!.description).toMatch(/facilities\.zip › district\/broken\.json, line 2: malformed JSON/);
    // the sha256 of the archive, once read whole, on every entry
    const sha = s.fileSummaries![0]!.sha256;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(s.fileSummaries!.map((x) => x.sha256))).toEqual(new Set([sha]));
    const db = openDb(dbPath);
    const stored = storedValues(db).map((v) => `${v.orgUnit} ${v.period} ${v.value}`).sort();
    db.close();
    expect(stored).toEqual(['OuClinicA01 202401 10', 'OuClinicA01 202402 11', 'OuClinicB01 202401 20']);
    const [job] = (await ferryCli(['--db', dbPath, 'jobs', '--json'])).json<JobRecord[]>();
    expect(job!.files.map((x) => [x.name, x.status, x.sha256])).toEqual([['facilities.zip', 'ERROR', sha]]);
  });

  it('a README first in the zip does not decide what it holds; it is reported, the data imported', async () => {
    const f = writeFile(dir, 'with-readme.zip', Buffer.from(zipSync({ 'README.txt': strToU8('Monthly reports of the district.\n'), 'clinicA.csv': strToU8(clinicA) })));
    const r = await importing([f]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.summary!.fileSummaries!.map((x) => [x.file, x.status, x.importCount.imported])).toEqual([
      ['with-readme.zip › README.txt', 'ERROR', 0],
      ['with-readme.zip › clinicA.csv', 'SUCCESS', 2],
    ]);
    expect(r.summary!.fileSummaries![0]!.description).toMatch(/with-readme\.zip › README\.txt: not a DHIS2 file/);
  });

  it('a zip holding one broken file fails the job with its error, as a single file does', async () => {
    const before = tables();
    const r = await importing([writeFile(dir, 'one.zip', Buffer.from(zipSync({ 'dir/': new Uint8Array(0), 'broken.json': strToU8(broken) })))]);
    expect(r.code).toBe(2);
    expect(r.error?.message).toMatch(/^one\.zip › broken\.json, line 2: malformed JSON/);
    expect(tables()).toEqual(before);
  });

  it('a metadata zip with several files is refused, naming them; nothing is written', async () => {
    const md = (id: string) => strToU8(JSON.stringify({ dataElements: [{ id, name: id, shortName: id, valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE' }] }));
    const before = tables();
    const r = await importing([writeFile(dir, 'package.zip', Buffer.from(zipSync({ 'a.json': md('DeZipA00001'), 'b.json': md('DeZipB00001') })))]);
    expect(r.code).toBe(2);
    expect(r.error?.message).toBe(
      'package.zip: the zip archive holds 2 files (a.json, b.json); a metadata import reads one file per archive — unzip it and import the files together, in one import',
    );
    expect(tables()).toEqual(before);
  });
});

describe('defect 7: messages say what the file is', () => {
  it('a folder, a 1-byte XML, a garbage zip, UTF-16 without a byte order mark', async () => {
    fs.mkdirSync(path.join(dir, 'folder'));
    const cases: [string, RegExp][] = [
      [path.join(dir, 'folder'), /^folder: this is a folder, not a file/],
      [writeFile(dir, 'x.xml', '<'), /^x\.xml: the file ends before its XML root element/],
      [writeFile(dir, 'x.zip', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 0x41)])), /^x\.zip: not a readable zip archive \(/],
      [writeFile(dir, 'x.csv', Buffer.from(CSV_HEADER + '\nDeInteger01,202401,OuClinicA01,,,1\n', 'utf16le')), /^x\.csv: the file looks UTF-16 encoded \(UTF-16LE, without a byte order mark: every other byte is 0\)/],
    ];
    for (const [f, re] of cases) {
      const r = await importing([f]);
      expect(r.code, f).toBe(2);
      expect(r.error?.message, f).toMatch(re);
    }
  });
});
