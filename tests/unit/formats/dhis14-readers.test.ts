/**
 * The DHIS 1.4 readers: the 1.4 XML export (MetaData.xml + RoutineData.txt) and the Access .mdb give the same model
 * rows for the same database (fixtures made by ../shared/tools/dhis14 with its edge cases); what real files contain
 * (typos, {chr13}{chr10}, "4.", Windows-1252, comments with commas, quotes and line breaks, unknown tables, empty
 * elements); bad input as AppErrors naming the file.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readDhis14RoutineData, readDhis14Xml } from '../../../src-main/formats/dhis14-xml/reader.ts';
import { openDhis14Mdb } from '../../../src-main/formats/dhis14-mdb/reader.ts';
import { openDhis14Source } from '../../../src-main/importers/dhis14/source.ts';
import type { D14DataRow, D14Row } from '../../../src-main/formats/shared/dhis14.ts';
import { AppError, toSerializedError } from '../../../src-shared/errors.ts';
import { localizedMessage } from '../../../src-shared/i18n/error-messages.ts';
import { createI18n } from '../../../src-shared/i18n/create.ts';
import { repoRoot, tmpDir } from '../../helpers/tmp.ts';

const FIX = path.join(repoRoot, 'tests/fixtures/dhis14');
const MDB = path.join(FIX, 'small.mdb');
const ZIP = path.join(FIX, 'small.zip');

async function* chunksOf(s: string | Buffer, size = 7): AsyncGenerator<Uint8Array> {
  const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
async function all(it: AsyncIterable<D14DataRow[]>): Promise<D14DataRow[]> {
  const out: D14DataRow[] = [];
  for await (const c of it) out.push(...c);
  return out;
}
/** cells as text (the .mdb gives numbers, the XML text: the model's readers take either); NULL = left out, as in the XML */
const asText = (r: D14Row): Record<string, string> => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null).map(([k, v]) => [k, String(v)]));

/** the RC4 the Jet header is masked with (key c7 da 39 6b): to write a database password into a fixture */
function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}
/** A copy of a Jet 4 file with a database password (as Access stores it: UCS-2 at 0x42, masked with the creation date). */
function withPassword(buf: Buffer, pw: string): Buffer {
  const b = Buffer.from(buf);
  const key = Buffer.from([0xc7, 0xda, 0x39, 0x6b]);
  const hdr = rc4(key, b.subarray(0x18, 0x18 + 128));
  const created = Math.floor(hdr.readDoubleLE(0x72 - 0x18));
  const mask = Buffer.alloc(4);
  mask.writeInt32LE(created);
  const p = Buffer.alloc(40);
  Buffer.from(pw, 'utf16le').copy(p);
  for (let i = 0; i < 40; i++) hdr[0x42 - 0x18 + i] = p[i]! ^ mask[i % 4]!;
  rc4(key, hdr).copy(b, 0x18);
  return b;
}

describe('the same 1.4 database as .mdb and as its XML export', () => {
  it('gives the same metadata rows and the same RoutineData rows', async () => {
    const mdb = await openDhis14Source(MDB);
    const xml = await openDhis14Source(ZIP, { requireData: true });
    expect(mdb.format).toBe('mdb');
    expect(xml.format).toBe('xml');
    const a = await mdb.metadata();
    const b = await xml.metadata();
    // the shared tool's XML export carries these tables (no DataSet, groups of org units, archives: 1.4's export neither)
    const shared = [...b.keys()];
    expect(shared.sort()).toEqual(
      ['DataElement', 'DataElementAndIndicatorGroup', 'DataElementGroupMember', 'DataPeriod', 'DataPeriodType', 'DataType', 'Indicator', 'IndicatorGroupMember', 'IndicatorType', 'OrgHierarchy', 'OrgUnit', 'OrgUnitStructure', 'UserInfoRole', 'UserName'].sort(),
    );
    for (const t of shared) {
      expect(b.get(t)!.map(asText), t).toEqual(a.get(t)!.map(asText));
    }
    const ra = await all(mdb.data('RoutineData'));
    const rb = await all(xml.data('RoutineData'));
    expect(ra).toHaveLength(2000);
    expect(rb).toEqual(ra);
    // edge cases the tool writes: comments with commas, quotes and CRLF; two-decimal values; deleted rows; Latin-1
    expect(ra.some((r) => r.comment === 'line1\r\nline2')).toBe(true);
    expect(ra.some((r) => r.comment === 'others for conversion, "late"')).toBe(true);
    expect(ra.some((r) => r.number !== null && !Number.isInteger(r.number))).toBe(true);
    expect(ra.filter((r) => r.deleted)).toHaveLength(2);
    expect(a.get('DataElement')!.find((r) => r.dataelementid === 3)!.dataelementname).toBe('DE 3 headcount (crèche)');
    // a 2 KB memo (the LVAL path) and NULL / blank codes
    const de1 = a.get('DataElement')!.find((r) => r.dataelementid === 1)!;
    expect(String(de1.comment).length).toBeGreaterThan(2000);
    expect(a.get('DataElement')!.find((r) => r.dataelementid === 5)!.dataelementcode).toBeNull();
    expect(b.get('OrgUnit')!.filter((r) => (r.orgunitcode ?? null) === null).length).toBe(31);
    // the root row of OrgHierarchy has parent = child
    expect(a.get('OrgHierarchy')!.filter((r) => r.orgunitchildid === r.orgunitparentid)).toHaveLength(1);
  });

  it('reads the archive and semi-permanent tables of the .mdb, and filters by LastUpdated', async () => {
    const mdb = await openDhis14Source(MDB);
    expect(mdb.dataTables()).toEqual(['RoutineData', 'RoutineDataArchive', 'SemiPermanentData']);
    expect(await all(mdb.data('RoutineDataArchive'))).toHaveLength(40);
    const semi = await all(mdb.data('SemiPermanentData'));
    expect(semi).toHaveLength(20);
    expect(semi[0]).toMatchObject({ de: 2, validFrom: 38718, validTo: 39082, number: 1000 });
    const since = '2008-10-02T01:20:00';
    const a = await all(mdb.data('RoutineData', since));
    const b = await all((await openDhis14Source(ZIP)).data('RoutineData', since));
    expect(a.length).toBeGreaterThan(0);
    expect(a.length).toBeLessThan(2000);
    expect(a.every((r) => r.lastUpdated! > since)).toBe(true);
    expect(b).toEqual(a);
  });
});

describe('1.4 XML export reader', () => {
  it('reads what real exports hold: schema skipped, typos, aliases, empty elements, {chr13}{chr10}, unknown tables, Windows-1252', async () => {
    const xml =
      `<?xml version="1.0" encoding="ISO-8859-1"?>\r\n<root xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:od="urn:schemas-microsoft-com:officedata">\r\n` +
      `<xsd:schema><xsd:element name="dataroot"><xsd:complexType><xsd:sequence><xsd:element ref="DataElement"/></xsd:sequence></xsd:complexType></xsd:element>` +
      `<xsd:element name="DataElement"><xsd:complexType><xsd:sequence><xsd:element name="DataElementID"/></xsd:sequence></xsd:complexType></xsd:element></xsd:schema>\r\n` +
      `<dataroot xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" generated="2008-12-19T15:38:03">\r\n` +
      `<DataElement><DataElementID>2</DataElementID><DataElementName>Cr\xe8che &lt;5 \x96 visits</DataElementName><DataElementCode></DataElementCode>` +
      `<Comment>GUIDE:{chr13}{chr10}count</Comment><LastUpdated>2008-08-25T00:15:53</LastUpdated></DataElement>\r\n` +
      `<Indicator><IndicatorID>1</IndicatorID><IndiactorNumerator>(Sum([R2])*1)</IndiactorNumerator><ShortName>Ind</ShortName></Indicator>\r\n` +
      `<Switchboard><ItemNumber>1</ItemNumber></Switchboard>\r\n` +
      `<USERNAME><UserID>3</UserID><UserName>clerk</UserName></USERNAME>\r\n` +
      `</dataroot>\r\n</root>\r\n`;
    const t = await readDhis14Xml(chunksOf(xml), 'MetaData.xml');
    expect([...t.keys()]).toEqual(['DataElement', 'Indicator', 'UserName']);
    expect(t.get('DataElement')).toEqual([
      { dataelementid: '2', dataelementname: 'Crèche <5 – visits', dataelementcode: null, comment: 'GUIDE:\r\ncount', lastupdated: '2008-08-25T00:15:53' },
    ]);
    expect(t.get('Indicator')![0]).toEqual({ indicatorid: '1', indicatornumerator: '(Sum([R2])*1)', shortname: 'Ind' });
    expect(t.get('UserName')![0]).toEqual({ userid: '3', username: 'clerk' });
  });

  it('reads UTF-8 when the declaration says so', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><root><dataroot><OrgUnit><OrgUnitID>1</OrgUnitID><OrgUnitName>Kraków</OrgUnitName></OrgUnit></dataroot></root>`;
    const t = await readDhis14Xml(chunksOf(Buffer.from(xml, 'utf8'), 5), 'x.xml');
    expect(t.get('OrgUnit')![0]!.orgunitname).toBe('Kraków');
  });

  it('refuses malformed XML and a file that is not a 1.4 export, naming the file', async () => {
    await expect(readDhis14Xml(chunksOf('<root><dataroot><OrgUnit></dataroot>'), 'bad.zip › MetaData.xml')).rejects.toThrow(/bad\.zip › MetaData\.xml: not well-formed XML/);
    await expect(readDhis14Xml(chunksOf('<metadata><dataElements/></metadata>'), 'meta.xml')).rejects.toThrow(/meta\.xml: not a DHIS 1\.4 XML export/);
    await expect(readDhis14Xml(chunksOf('<!DOCTYPE root [<!ENTITY x "y">]><root><dataroot/></root>'), 'e.xml')).rejects.toThrow(/DOCTYPE/);
  });

  it('reads RoutineData.txt: quoted CSV, CRLF, "4." numbers, commas, quotes and line breaks in comments, Windows-1252, yyyy/mm/dd dates', async () => {
    const txt =
      `"RoutineDataID","OrgUnitID","DataElementID","DataPeriodID","EntryText","EntryYesNo","EntryNumber","EntryDate","EntryMemo","EntryObject","Check","Verified","Deleted","Comment","LastUserID","LastUpdated"\r\n` +
      `1,144,184,582,,,"0.",,,,0,0,0,"No stock out",3,2008/10/02 01:04:33\r\n` +
      `19889,491,1,583,,,"93.",,,,0,0,0,"1course,1 leave",3,2008/10/02 00:57:56\r\n` +
      `5,7,2,583,,,"4521215.2",,,,0,0,1,"said ""late""\r\nthen \xe9",2,2008/9/3 7:05:00\r\n` +
      `6,7,3,583,"ok, fine",1,,2006/01/31 00:00:00,,,0,0,0,,2,2009/01/01 00:00:00\r\n`;
    const rows = await all(readDhis14RoutineData(chunksOf(txt, 11), 'x.zip › RoutineData.txt'));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ ou: 144, de: 184, pe: 582, number: 0, comment: 'No stock out', lastUserId: 3, lastUpdated: '2008-10-02T01:04:33', deleted: false });
    expect(rows[1]).toMatchObject({ number: 93, comment: '1course,1 leave' });
    expect(rows[2]).toMatchObject({ number: 4521215.2, comment: 'said "late"\r\nthen é', deleted: true, lastUpdated: '2008-09-03T07:05:00' });
    expect(rows[3]).toMatchObject({ text: 'ok, fine', yesNo: 1, number: null, date: '2006-01-31T00:00:00' });
    const since = await all(readDhis14RoutineData(chunksOf(txt), 'x', '2008-10-02T00:59:00'));
    expect(since.map((r) => r.de)).toEqual([184, 3]);
    await expect(all(readDhis14RoutineData(chunksOf('"a","b"\r\n1,2\r\n'), 'y.zip › RoutineData.txt'))).rejects.toThrow(/y\.zip › RoutineData\.txt: line 1: the header has no OrgUnitID column/);
  });
});

describe('bad input', () => {
  it('a file that is not an Access database, a truncated .mdb, a protected one without or with a wrong password', async () => {
    const dir = tmpDir('ferry-d14-');
    try {
      const junk = path.join(dir, 'notes.mdb');
      fs.writeFileSync(junk, 'this is a text file, not Access');
      await expect(openDhis14Source(junk)).rejects.toThrow(/notes\.mdb: not a Microsoft Access database/);
      const cut = path.join(dir, 'cut.mdb');
      fs.writeFileSync(cut, fs.readFileSync(MDB).subarray(0, 40_000));
      const err = await (async () => {
        const s = await openDhis14Source(cut);
        await s.metadata();
        for (const t of s.dataTables()) await all(s.data(t));
      })().catch((e: unknown) => e);
      expect(String(err)).toMatch(/cut\.mdb: the Access database is truncated or damaged/);
      const locked = withPassword(fs.readFileSync(MDB), 'secret');
      expect(() => openDhis14Mdb(locked, 'locked.mdb')).toThrow(/locked\.mdb: this Access database is protected by a password/);
      expect(() => openDhis14Mdb(locked, 'locked.mdb', { password: 'guess' })).toThrow(/locked\.mdb: the password is wrong/);
      expect(openDhis14Mdb(locked, 'locked.mdb', { password: 'secret' }).metadata().get('DataElement')).toHaveLength(21);
      // too large for this computer's memory: refused before reading
      const prev = process.env.FERRY_MDB_MAX_BYTES;
      process.env.FERRY_MDB_MAX_BYTES = '100000';
      try {
        const err = await openDhis14Source(MDB).then(() => null, (e: unknown) => e as AppError);
        expect(err?.message).toMatch(/small\.mdb: this Access database is 0\.3 MB; on this computer \([\d,]+ MB of memory\) Ferry reads \.mdb files up to 0\.1 MB/);
        // in French, the sizes the French way
        expect(localizedMessage(createI18n('fr'), toSerializedError(err))).toMatch(/small\.mdb : cette base de données Access fait 0,3 Mo ; sur cet ordinateur \([\d\s\u202f]+ Mo de mémoire\), Ferry lit les fichiers \.mdb jusqu’à 0,1 Mo/);
      } finally {
        if (prev === undefined) delete process.env.FERRY_MDB_MAX_BYTES;
        else process.env.FERRY_MDB_MAX_BYTES = prev;
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an XML export without its data file, when data values are asked for', async () => {
    const corpus = path.resolve(repoRoot, '../shared/corpus/dhis14/dhis14A.zip');
    if (!fs.existsSync(corpus)) {
      console.warn('[corpus] ../shared/corpus/dhis14/dhis14A.zip not found: skipped');
      return;
    }
    await expect(openDhis14Source(corpus, { requireData: true })).rejects.toThrow(/dhis14A\.zip: this DHIS 1\.4 XML export has no data file \(RoutineData\.txt is missing/);
    const s = await openDhis14Source(corpus, { requireData: false });
    expect(s.dataTables()).toEqual([]);
  });
});
