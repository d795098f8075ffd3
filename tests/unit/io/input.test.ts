import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { zipSync, strToU8 } from 'fflate';
import { openInput } from '../../../src-main/io/input.ts';
import { assertUtf8Head, detectFormat } from '../../../src-main/io/detect.ts';
import { tmpDir } from '../../helpers/tmp.ts';

async function readAll(file: string, limits?: Parameters<typeof openInput>[1]): Promise<{ text: string; sha: string; compression: string; entry: string | null }> {
  const inp = await openInput(file, limits);
  const parts: Buffer[] = [];
  for await (const c of inp.chunks()) parts.push(c);
  return { text: Buffer.concat(parts).toString('utf8'), sha: inp.sha256(), compression: inp.compression, entry: inp.entryName };
}

const sha = (b: Buffer | Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

describe('openInput', () => {
  const dir = tmpDir();
  const big = 'dataelement,period,orgunit\n' + 'abc,202401,ou1\n'.repeat(20000);

  it('reads plain files whole, with the sha256 of the file', async () => {
    const f = path.join(dir, 'a.csv');
    fs.writeFileSync(f, big);
    const r = await readAll(f);
    expect(r.text).toBe(big);
    expect(r.compression).toBe('none');
    expect(r.sha).toBe(sha(Buffer.from(big)));
  });

  it('decompresses gzip and hashes the compressed bytes', async () => {
    const f = path.join(dir, 'a.csv.gz');
    const gz = zlib.gzipSync(big);
    fs.writeFileSync(f, gz);
    const r = await readAll(f);
    expect(r.compression).toBe('gzip');
    expect(r.text).toBe(big);
    expect(r.sha).toBe(sha(gz));
  });

  it('reads the first file entry of a zip (as DHIS2 does)', async () => {
    const f = path.join(dir, 'a.zip');
    const z = zipSync({ 'folder/': new Uint8Array(0), 'values.csv': strToU8(big), 'other.csv': strToU8('x') });
    fs.writeFileSync(f, z);
    const r = await readAll(f);
    expect(r.compression).toBe('zip');
    expect(r.entry).toBe('values.csv');
    expect(r.text).toBe(big);
  });

  it('reads zips with data descriptors (as Ferry and many tools write them) and stored entries', async () => {
    const { openOutput } = await import('../../../src-main/io/output.ts');
    const f = path.join(dir, 'dd.json.zip');
    const sink = openOutput(f, 'zip', 'dd.json');
    await sink.write(big);
    await sink.close();
    const r = await readAll(f);
    expect(r.entry).toBe('dd.json');
    expect(r.text).toBe(big);
    const g = path.join(dir, 'stored.zip');
    fs.writeFileSync(g, zipSync({ 'dir/': new Uint8Array(0), '__MACOSX/._x': strToU8('junk'), 'v.csv': strToU8(big) }, { level: 0 }));
    const s2 = await readAll(g);
    expect(s2.entry).toBe('v.csv');
    expect(s2.text).toBe(big);
  });

  it('refuses a zip archive without files', async () => {
    const f = path.join(dir, 'nofiles.zip');
    fs.writeFileSync(f, zipSync({ 'dir/': new Uint8Array(0) }));
    await expect(readAll(f)).rejects.toThrow(/nofiles\.zip: the zip archive holds no file/);
  });

  it('says that a spreadsheet is a spreadsheet (xlsx, ods), not a zip of DHIS2 files', async () => {
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('dataValues').addRow(['dataElement', 'period', 'orgUnit', 'value']);
    const xlsx = path.join(dir, 'values.xlsx');
    await wb.xlsx.writeFile(xlsx);
    await expect(openInput(xlsx)).rejects.toThrow(/^values\.xlsx: this is a spreadsheet \(Excel or LibreOffice Calc\), not a DHIS2 file\. Ferry exports Excel workbooks but does not import them/);
    const ods = path.join(dir, 'values.ods');
    fs.writeFileSync(ods, zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.spreadsheet'), 'content.xml': strToU8('<office:document-content/>') }, { level: 0 }));
    await expect(openInput(ods)).rejects.toThrow(/values\.ods: this is a spreadsheet/);
    // a zip whose entries merely sit beside an unrelated [Content_Types].xml later on is still read
    const z = path.join(dir, 'data-and-more.zip');
    fs.writeFileSync(z, zipSync({ 'a.csv': strToU8('dataelement,period,orgunit\n'), '[Content_Types].xml': strToU8('<Types/>') }));
    const first = await openInput(z);
    expect(first.entryName).toBe('a.csv');
    first.close();
  });

  it('refuses empty files by name', async () => {
    const f = path.join(dir, 'empty.json');
    fs.writeFileSync(f, '');
    await expect(openInput(f)).rejects.toThrow(/empty\.json: the file is empty/);
  });

  it('refuses a missing file with FILE_NOT_FOUND', async () => {
    await expect(openInput(path.join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('refuses a truncated gzip', async () => {
    const f = path.join(dir, 'trunc.csv.gz');
    const gz = zlib.gzipSync(big);
    fs.writeFileSync(f, gz.subarray(0, Math.floor(gz.length / 2)));
    await expect(readAll(f)).rejects.toThrow(/trunc\.csv\.gz: the gzip file is truncated or damaged/);
  });

  it('refuses a truncated zip', async () => {
    const f = path.join(dir, 'trunc.zip');
    const z = zipSync({ 'values.csv': strToU8(big + crypto.randomBytes(50000).toString('hex')) });
    fs.writeFileSync(f, z.subarray(0, Math.floor(z.length / 2)));
    await expect(readAll(f)).rejects.toThrow(/trunc\.zip: the zip file is truncated or damaged/);
  });

  it('refuses a zip bomb before expanding it', async () => {
    const f = path.join(dir, 'bomb.zip');
    const z = zipSync({ 'bomb.json': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
    fs.writeFileSync(f, z);
    expect(z.length).toBeLessThan(100 * 1024);
    await expect(readAll(f, { maxRatio: 50, minBombBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });
});

describe('detectFormat', () => {
  const d = (s: string | Buffer, name = 'f'): ReturnType<typeof detectFormat> => detectFormat(Buffer.isBuffer(s) ? s : Buffer.from(s), name);
  it('tells DHIS2 formats apart from their first bytes', () => {
    expect(d('{"organisationUnits":[]}')).toMatchObject({ format: 'json', kind: 'metadata' });
    expect(d('\uFEFF  {"dataValues":[]}')).toMatchObject({ format: 'json', kind: 'data' });
    expect(d('<?xml version="1.0"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">')).toMatchObject({ format: 'xml', kind: 'data' });
    expect(d('<adx xmlns="urn:ihe:qrph:adx:2015">')).toMatchObject({ format: 'adx', kind: 'data' });
    expect(d('<metadata xmlns="http://dhis2.org/schema/dxf/2.0"><dataElements/>')).toMatchObject({ format: 'xml', kind: 'metadata' });
    expect(d('dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupd,comment,followup\n')).toMatchObject({ format: 'csv', kind: 'data' });
    expect(d('%PDF-1.7')).toMatchObject({ format: 'pdf', kind: 'data' }); // a filled PDF data entry form
  });
  it('accepts a text file with a stray NUL in a comment (a CSV export can carry one)', () => {
    const csv = Buffer.concat([Buffer.from('dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted\nde,202401,ou,,,5,,,"a'), Buffer.from([0]), Buffer.from('b",false,\n')]);
    expect(d(csv)).toMatchObject({ format: 'csv', kind: 'data' });
  });
  it('names the file and the problem for non-DHIS2 content', () => {
    expect(() => d('<html><body>hi</body></html>', 'page.html')).toThrow(/page\.html: XML root element <html> is not a DHIS2 format/);
    expect(() => d('hello world', 'notes.txt')).toThrow(/notes\.txt: not a DHIS2 file/);
    expect(() => d(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]), 'img.png')).toThrow(/img\.png: this is a binary file/);
  });
  it('refuses mis-encoded text with the line of the first bad byte', () => {
    const latin1 = Buffer.concat([Buffer.from('dataelement,period\nabc,202401\nnom,'), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from('\n'.repeat(4))]);
    expect(() => d(latin1, 'w.csv')).toThrow(/w\.csv: the file is not valid UTF-8 text \(line 3\)/);
    expect(() => d(Buffer.from([0xff, 0xfe, 0x7b, 0x00]), 'u16.json')).toThrow(/UTF-16/);
  });
});

describe('what a file really is (issue 16, defect 7)', () => {
  const d = (s: string | Buffer, name = 'f'): ReturnType<typeof detectFormat> => detectFormat(Buffer.isBuffer(s) ? s : Buffer.from(s), name);
  it('an XML file that ends before its root element', () => {
    expect(() => d('<', 'x.xml')).toThrow(/^x\.xml: the file ends before its XML root element/);
    expect(() => d('<?xml version="1.0" encoding="UTF-8"?>\n<!-- export', 'x.xml')).toThrow(/^x\.xml: the file ends before its XML root element/);
    expect(() => d('<1abc/>', 'x.xml')).toThrow(/^x\.xml: not well-formed XML: "<" is not followed by an element name/);
  });
  it('UTF-16 without a byte order mark, either byte order', () => {
    const text = 'dataelement,period,orgunit\nabc,202401,ou\n';
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le);
    be.swap16();
    expect(() => d(le, 'x.csv')).toThrow(/^x\.csv: the file looks UTF-16 encoded \(UTF-16LE, without a byte order mark: every other byte is 0\)/);
    expect(() => d(be, 'x.csv')).toThrow(/^x\.csv: the file looks UTF-16 encoded \(UTF-16BE/);
    expect(() => assertUtf8Head(Buffer.from('<metadata/>', 'utf16le'), 'm.xml')).toThrow(/m\.xml: the file looks UTF-16 encoded/);
  });
  it('an archive inside an archive', () => {
    expect(() => d(zlib.gzipSync('x'), 'a.zip › b.csv.gz')).toThrow(/^a\.zip › b\.csv\.gz: this is a compressed archive \(gzip\) inside an archive/);
    expect(() => d(Buffer.from(zipSync({ 'a.csv': strToU8('x') })), 'a.zip › b.zip')).toThrow(/this is a compressed archive \(zip\) inside an archive/);
  });
  it('a folder', async () => {
    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'folder'));
    await expect(openInput(path.join(dir, 'folder'))).rejects.toThrow(/^folder: this is a folder, not a file/);
  });
});

describe('the zip bomb guard fires while a reader is inside a long run (issue 16, defect 2)', () => {
  it('a gzip of 64 MB of blank space in a JSON data file, with an 8 MB / ×50 limit', async () => {
    const { readJsonDataValues } = await import('../../../src-main/formats/dxf2-json/data-reader.ts');
    const dir = tmpDir();
    const f = path.join(dir, 'blank.json.gz');
    fs.writeFileSync(f, zlib.gzipSync(Buffer.concat([Buffer.from('{"dataValues":['), Buffer.alloc(64 << 20, 32), Buffer.from(']}')])));
    const inp = await openInput(f, { maxRatio: 50, minBombBytes: 8 << 20 });
    const read = async (): Promise<void> => {
      for await (const _ of readJsonDataValues(inp.chunks(), { fileName: 'blank.json.gz' }));
    };
    await expect(read()).rejects.toThrow(/^blank\.json\.gz: the compressed file expands more than 50 times/);
    inp.close();
  });
});
