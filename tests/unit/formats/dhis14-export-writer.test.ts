/**
 * The DHIS 1.4 XML zip writer (formats/dhis14-xml/writer.ts, io/zip-entries.ts): Access's number and date forms, 1.4's
 * text rules (CRLF, {chr13}{chr10}, Latin-1 with references in XML and '?' in the CSV), rows with NULL columns left
 * out, and a multi-entry streaming zip that fflate, Info-ZIP's `unzip -t` and the 1.4 XML reader all read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DHIS14_TABLES,
  accessDateTime,
  accessNumber,
  latin1,
  metaDataEnd,
  metaDataHead,
  metaDataRow,
  oleDays,
  routineDataHeader,
  routineDataLine,
  xmlDateTime,
  xmlText,
} from '../../../src-main/formats/dhis14-xml/writer.ts';
import { dosStampOfIso, ZipEntriesWriter } from '../../../src-main/io/zip-entries.ts';
import { readDhis14RoutineData, readDhis14Xml } from '../../../src-main/formats/dhis14-xml/reader.ts';
import { tmpDir } from '../../helpers/tmp.ts';

let dir: string | null = null;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = null;
});

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b;
}

describe('values as 1.4 writes them', () => {
  it('numbers in Access style: whole numbers end in a dot, never an exponent', () => {
    expect(['4', '0', '-12', '4521215.2', '1.50', '-0', ' 7 ', '1e21', '0.0000001', '123456789012'].map(accessNumber)).toEqual([
      '4.', '0.', '-12.', '4521215.2', '1.5', '0.', '7.', '1000000000000000000000.', '0.0000001', '123456789012.',
    ]);
    expect(accessNumber('abc')).toBeNull();
    expect(accessNumber('')).toBeNull();
    expect(accessNumber('Infinity')).toBeNull();
  });

  it('dates: OLE serial days, XML date-times without zone, RoutineData yyyy/mm/dd hh:mm:ss', () => {
    expect(oleDays('2006-01-01')).toBe(38718);
    expect(oleDays('9999-12-31T00:00:00.000')).toBe(2958465);
    expect(oleDays('1899-12-30')).toBe(0);
    expect(oleDays('not a date')).toBeNull();
    expect(xmlDateTime('2008-08-25T00:15:53.123Z')).toBe('2008-08-25T00:15:53');
    expect(xmlDateTime('2024-01-05')).toBe('2024-01-05T00:00:00');
    expect(accessDateTime('2008-10-02T01:04:33.000+0000')).toBe('2008/10/02 01:04:33');
  });

  it('XML text: escapes, {chr13}{chr10}, references beyond Latin-1, no control characters', () => {
    expect(xmlText('a & b <c> "d"')).toBe('a &amp; b &lt;c&gt; "d"');
    expect(xmlText('one\r\ntwo\nthree')).toBe('one{chr13}{chr10}two{chr10}three');
    expect(xmlText('Ünï – ✓ 𝄞')).toBe('Ünï &#8211; &#10003; &#119070;');
    expect(xmlText('bell\u0007 tab\t')).toBe('bell tab\t');
    const counter = { replaced: 0 };
    expect(latin1('é–𝄞', counter)).toEqual(Buffer.from([0xe9, 0x3f, 0x3f]));
    expect(counter.replaced).toBe(2);
  });

  it('a row: one child per non-NULL column in the table order; an unknown column is refused', () => {
    const row = metaDataRow(DHIS14_TABLES.OrgUnit, { OrgUnitName: 'A & B', OrgUnitID: 7, OrgUnitCode: null, Active: true, LastUpdated: '2024-03-02T11:00:00.000Z', ValidFrom: 38718 });
    expect(row).toBe('<OrgUnit>\r\n<OrgUnitID>7</OrgUnitID>\r\n<OrgUnitName>A &amp; B</OrgUnitName>\r\n<ValidFrom>38718</ValidFrom>\r\n<Active>1</Active>\r\n<LastUpdated>2024-03-02T11:00:00</LastUpdated>\r\n</OrgUnit>\r\n');
    expect(() => metaDataRow(DHIS14_TABLES.OrgUnit, { OrgUnitID: 1, Nope: 2 })).toThrow(/no column Nope/);
  });

  it('RoutineData lines: the 16 columns, quoted texts and numbers, CRLF', () => {
    expect(routineDataHeader().split(',')).toHaveLength(16);
    expect(routineDataLine({ routineDataId: 1, orgUnitId: 144, dataElementId: 184, dataPeriodId: 582, entryNumber: '0.', comment: 'No stock out', lastUpdated: '2008-10-02T01:04:33' })).toBe(
      '1,144,184,582,,,"0.",,,,0,0,0,"No stock out",,2008/10/02 01:04:33\r\n',
    );
    expect(routineDataLine({ routineDataId: 2, orgUnitId: 1, dataElementId: 2, dataPeriodId: 3, entryText: 'say "hi", then\r\nleave', entryYesNo: null, lastUpdated: null })).toBe(
      '2,1,2,3,"say ""hi"", then\r\nleave",,,,,,0,0,0,,,\r\n',
    );
    expect(routineDataLine({ routineDataId: 3, orgUnitId: 1, dataElementId: 2, dataPeriodId: 3, entryYesNo: 1, entryDate: '2024-02-03', lastUpdated: null })).toBe('3,1,2,3,,1,,2024/02/03 00:00:00,,,0,0,0,,,\r\n');
  });
});

describe('the zip', () => {
  it('holds MetaData.xml then RoutineData.txt; fflate, unzip -t and the 1.4 reader read it back', async () => {
    dir = tmpDir('ferry-d14w-');
    const file = path.join(dir, 'x.zip');
    const chunks: Buffer[] = [];
    const zip = new ZipEntriesWriter(async (b) => void chunks.push(b), { stamp: dosStampOfIso('2024-05-06T07:08:09.000Z'), utf8Names: false, tooLarge: () => 'too large' });
    await zip.begin('MetaData.xml');
    const t = DHIS14_TABLES;
    await zip.write(latin1(metaDataHead({ tables: [t.DataElement, t.OrgUnit], dataFile: 'site.sqlite', exported: '2024-05-06T07:08:09.000Z' })));
    await zip.write(latin1(metaDataRow(t.DataElement, { DataElementID: 1, DataElementName: 'Malaria – cas', DataTypeID: 3, DataElementDescription: 'a\r\nb' })));
    // a large body in several writes: the deflate stream is fed while it works
    for (let i = 1; i <= 3000; i++) await zip.write(latin1(metaDataRow(t.OrgUnit, { OrgUnitID: i, OrgUnitName: `Unit ${i} é`, OrgUnitLevel: 2 })));
    await zip.write(latin1(metaDataEnd()));
    await zip.end();
    await zip.begin('RoutineData.txt');
    await zip.write(latin1(routineDataHeader()));
    await zip.write(latin1(routineDataLine({ routineDataId: 1, orgUnitId: 2, dataElementId: 1, dataPeriodId: 5, entryNumber: accessNumber('4'), comment: 'one, "two"\r\nthree', lastUpdated: '2024-01-02T03:04:05' })));
    await zip.finish();
    fs.writeFileSync(file, Buffer.concat(chunks));

    const entries = unzipSync(fs.readFileSync(file));
    expect(Object.keys(entries)).toEqual(['MetaData.xml', 'RoutineData.txt']);
    const xml = Buffer.from(entries['MetaData.xml']!);
    expect(xml.toString('latin1')).toContain('<OrgUnitName>Unit 3000 é</OrgUnitName>');
    expect(xml.includes(Buffer.from('Unit 1 \u00e9', 'latin1'))).toBe(true); // é is one byte (0xE9)
    try {
      execFileSync('unzip', ['-t', file], { stdio: 'pipe' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') console.log('unzip is not installed: the Info-ZIP check is skipped');
      else throw e;
    }

    const tables = await readDhis14Xml(once(xml), 'x.zip › MetaData.xml');
    expect(tables.get('DataElement')).toEqual([{ dataelementid: '1', dataelementname: 'Malaria – cas', datatypeid: '3', dataelementdescription: 'a\r\nb' }]);
    expect(tables.get('OrgUnit')).toHaveLength(3000);
    const rows = [];
    for await (const c of readDhis14RoutineData(once(Buffer.from(entries['RoutineData.txt']!)), 'x.zip › RoutineData.txt')) rows.push(...c);
    expect(rows).toEqual([expect.objectContaining({ ou: 2, de: 1, pe: 5, number: 4, comment: 'one, "two"\r\nthree', lastUpdated: '2024-01-02T03:04:05', deleted: false })]);
  });
});
