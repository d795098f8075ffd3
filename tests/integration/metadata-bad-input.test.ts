/**
 * Bad input: every kind of unreadable file gives a clear error naming the file (and the line/column where it applies)
 * and leaves the database exactly as it was (all tables compared before and after, job history aside).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { unzipSync } from 'fflate';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { openDb } from '../../src-main/db/open.ts';

const dir = tmpDir();
const db = path.join(dir, 'site.sqlite');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, content: string | Buffer): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
};

/**
 * A one-entry zip of head + `times` × block + tail, built with native deflate: independently compressed pieces,
 * sync-flushed, concatenate into one valid deflate stream (no piece refers back into another).
 */
function zipBomb(name: string, head: Buffer, block: Buffer, times: number, tail: Buffer): Buffer {
  const sync = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const blockZ = zlib.deflateRawSync(block, sync);
  const data = Buffer.concat([zlib.deflateRawSync(head, sync), ...Array.from({ length: times }, () => blockZ), zlib.deflateRawSync(tail)]);
  let crc = zlib.crc32(head);
  for (let i = 0; i < times; i++) crc = zlib.crc32(block, crc);
  crc = zlib.crc32(tail, crc);
  const size = head.length + block.length * times + tail.length;
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(n.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + n.length, 12);
  end.writeUInt32LE(local.length + n.length + data.length, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}

const TABLES = ['metadata_object', 'metadata_ref', 'org_unit', 'period', 'data_value', 'complete_registration', 'event'];
function snapshot(): Record<string, unknown[]> {
  const d = openDb(db);
  try {
    return Object.fromEntries(TABLES.map((t) => [t, d.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));
  } finally {
    d.close();
  }
}

const good = {
  organisationUnits: [{ id: 'OuRoot00001', name: 'Sierra Leone', shortName: 'SL', openingDate: '2000-01-01' }],
  dataElements: [{ id: 'DeAncVisit1', name: 'ANC 1st visit', shortName: 'ANC1', valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM' }],
};
let before: Record<string, unknown[]>;

beforeAll(async () => {
  const r = await ferryCli(['--db', db, 'import', write('good.json', JSON.stringify(good)), '--json']);
  expect(r.code).toBe(0);
  before = snapshot();
  expect(before.metadata_object!.length).toBeGreaterThan(4);
});

interface Case {
  name: string;
  file: () => string;
  args?: string[];
  code: string;
  message: RegExp;
  line?: number;
  column?: number;
}

const cases: Case[] = [
  { name: 'empty file', file: () => write('empty.json', ''), code: 'BAD_FILE', message: /^empty\.json: the file is empty/ },
  { name: 'blank file', file: () => write('blank.json', '  \n\n'), args: ['--kind', 'metadata'], code: 'BAD_FILE', message: /blank\.json: the file is empty/ },
  {
    name: 'truncated JSON',
    file: () => write('truncated.json', JSON.stringify(good, null, 2).slice(0, 150)),
    code: 'BAD_FILE', message: /truncated\.json, line \d+, column \d+: the JSON ends too early/,
  },
  {
    name: 'JSON syntax error',
    file: () => write('syntax.json', '{\n  "dataElements": [\n    {"id": "DeAncVisit1", "name": "x",}\n  ]\n}'),
    code: 'BAD_FILE', message: /syntax\.json, line 3, column 39: invalid JSON/, line: 3, column: 39,
  },
  {
    name: 'truncated gzip',
    file: () => write('cut.json.gz', zlib.gzipSync(Buffer.from(JSON.stringify(good).repeat(50))).subarray(0, 60)),
    args: ['--kind', 'metadata'], code: 'BAD_FILE', message: /cut\.json\.gz/,
  },
  {
    name: 'wrong format (a data value set given as metadata)',
    file: () => write('values.json', JSON.stringify({ dataSet: 'x', dataValues: [{ dataElement: 'a', period: '202401', orgUnit: 'b', value: '1' }] })),
    args: ['--kind', 'metadata'], code: 'BAD_FILE', message: /values\.json: this is a data file \(json\), not DHIS2 metadata/,
  },
  {
    name: 'mis-encoded (Windows-1252)',
    file: () => write('latin1.json', Buffer.from('{"dataElements": [\n{"id": "DeAncVisit1", "name": "Consultation pr\xe9natale"}]}', 'latin1')),
    code: 'BAD_FILE', message: /latin1\.json: the file is not valid UTF-8 text \(line 2\)/, line: 2,
  },
  {
    name: 'not DHIS2 (JSON without metadata)',
    file: () => write('other.json', JSON.stringify({ name: 'my app', version: 3, dependencies: { a: 1 } })),
    code: 'BAD_FILE', message: /other\.json: no DHIS2 metadata found \(top-level keys: name, version, dependencies\)/,
  },
  {
    name: 'not DHIS2 (XML with another root)',
    file: () => write('page.xml', '<?xml version="1.0"?>\n<html><body>hi</body></html>'),
    args: ['--kind', 'metadata'], code: 'BAD_FILE', message: /page\.xml, line 2, column \d+: the root element is <html>, not DHIS2 metadata \(a DXF2 <metadata> document\)/,
  },
  {
    name: 'malformed XML',
    file: () => write('broken.xml', '<?xml version="1.0"?>\n<metadata>\n  <dataElements>\n    <dataElement id="DeAncVisit1" name="a"></dataElemnt>\n</metadata>'),
    code: 'BAD_FILE', message: /broken\.xml, line 4, column \d+: invalid XML/, line: 4,
  },
  {
    name: 'XML bomb (entity expansion)',
    file: () =>
      write(
        'bomb.xml',
        '<?xml version="1.0"?>\n<!DOCTYPE metadata [\n <!ENTITY a "aaaaaaaaaa">\n <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n' +
          ' <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">\n]>\n<metadata><dataElements><dataElement id="DeAncVisit1" name="&e;&e;&e;"/></dataElements></metadata>',
      ),
    args: ['--kind', 'metadata'],
    code: 'BAD_FILE', message: /bomb\.xml, line \d+, column \d+: DOCTYPE and entity declarations are not allowed/,
  },
];

describe('bad metadata input leaves the database unchanged', () => {
  for (const c of cases) {
    it(`${c.name}: exit 2, clear error naming the file`, async () => {
      const f = c.file();
      const r = await ferryCli(['--db', db, 'import', f, ...(c.args ?? []), '--json']);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      const out = r.json<{ status: string; error: { code: string; message: string; details: { file?: string; line?: number; column?: number } } }>();
      expect(out.status).toBe('ERROR');
      expect(out.error.code).toBe(c.code);
      expect(out.error.message).toMatch(c.message);
      expect(out.error.details.file).toBe(path.basename(f));
      if (c.line != null) expect(out.error.details.line).toBe(c.line);
      if (c.column != null) expect(out.error.details.column).toBe(c.column);
      expect(snapshot()).toEqual(before);
    });
  }

  it('zip bomb: refused as TOO_LARGE, database unchanged', async () => {
    // the generator makes real zips: a small one unpacks to exactly its content
    const small = unzipSync(zipBomb('a.json', Buffer.from('{"x": ['), Buffer.alloc(1000, 0x20), 3, Buffer.from(']}')));
    expect(Buffer.from(small['a.json']!).toString()).toBe('{"x": [' + ' '.repeat(3000) + ']}');
    // a 300 MB metadata document of blank space compresses to about 300 KB (ratio ≈ 1000)
    const f = path.join(dir, 'bomb.zip');
    fs.writeFileSync(f, zipBomb('metadata.json', Buffer.from('{"dataElements": ['), Buffer.alloc(4 * 1024 * 1024, 0x20), 75, Buffer.from(']}')));
    expect(fs.statSync(f).size).toBeLessThan(2 * 1024 * 1024);
    const r = await ferryCli(['--db', db, 'import', f, '--json']);
    expect(r.code).toBe(2);
    const out = r.json<{ error: { code: string; message: string; details: { file?: string } } }>();
    expect(out.error.code).toBe('TOO_LARGE');
    expect(out.error.message).toMatch(/^bomb\.zip: the compressed file expands more than 200 times/);
    expect(out.error.details.file).toBe('bomb.zip');
    expect(snapshot()).toEqual(before);
  });

  it('XML bomb with the kind detected: still refused before anything is read', async () => {
    const f = write('bomb2.xml', '<?xml version="1.0"?>\n<!DOCTYPE metadata [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n<metadata>&b;</metadata>');
    const r = await ferryCli(['--db', db, 'import', f, '--json']);
    expect(r.code).toBe(2);
    const out = r.json<{ error: { code: string; message: string; details: { file?: string } } }>();
    expect(out.error.code).toBe('BAD_FILE');
    expect(out.error.details.file).toBe('bomb2.xml');
    expect(out.error.message).toMatch(/^bomb2\.xml/);
    expect(snapshot()).toEqual(before);
  });

  it('a failed validation (atomic ALL) also leaves every table as it was', async () => {
    const f = write('invalid.json', JSON.stringify({ dataElements: [{ id: 'DeAncVisit2', name: 'no value type', shortName: 'x' }], organisationUnits: [{ id: 'OuNew000001', name: 'New', shortName: 'New', openingDate: '2001-01-01' }] }));
    const r = await ferryCli(['--db', db, 'import', f, '--json']);
    expect(r.code).toBe(1);
    expect(r.json<{ status: string }>().status).toBe('ERROR');
    expect(snapshot()).toEqual(before);
  });
});
