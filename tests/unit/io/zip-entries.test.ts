/**
 * Zip archives built by hand, byte by byte, to check which entry openInput reads: the first file entry, skipping
 * directories and __MACOSX/ entries — also when those were written with a data descriptor (general purpose flag bit 3:
 * zero sizes in the local header, the sizes after the data), as macOS's Archive Utility, Java's ZipOutputStream and
 * `zip` writing to a pipe do.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { unzipSync } from 'fflate';
import { openInput } from '../../../src-main/io/input.ts';
import { tmpDir } from '../../helpers/tmp.ts';

interface Entry {
  name: string;
  data: Buffer;
  method: 0 | 8;
  /** bit 3: sizes after the data, in a descriptor with or without its signature */
  descriptor?: 'signature' | 'bare';
  /** zip64 extra field in the local header (then the descriptor's sizes are 8 bytes) */
  zip64?: boolean;
}

const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const u64 = (n: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};

/** A zip file: local headers, data (and descriptors), central directory, end record. */
function buildZip(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.method === 8 ? zlib.deflateRawSync(e.data) : e.data;
    const crc = zlib.crc32(e.data);
    const dd = e.descriptor !== undefined;
    const flags = (dd ? 8 : 0) | 0x800;
    const name = Buffer.from(e.name, 'utf8');
    const extra = e.zip64 ? Buffer.concat([u16(1), u16(16), u64(0), u64(0)]) : Buffer.alloc(0);
    const local = Buffer.concat([
      u32(0x04034b50), u16(e.zip64 ? 45 : 20), u16(flags), u16(e.method), u16(0), u16(0x21),
      u32(dd ? 0 : crc), u32(dd ? 0 : body.length), u32(dd ? 0 : e.data.length), u16(name.length), u16(extra.length), name, extra,
    ]);
    const size = e.zip64 ? u64 : u32;
    const descriptor = !dd
      ? Buffer.alloc(0)
      : Buffer.concat([e.descriptor === 'signature' ? u32(0x08074b50) : Buffer.alloc(0), u32(crc), size(body.length), size(e.data.length)]);
    central.push(
      Buffer.concat([
        u32(0x02014b50), u16(20), u16(20), u16(flags), u16(e.method), u16(0), u16(0x21), u32(crc), u32(body.length), u32(e.data.length),
        u16(name.length), u16(0), u16(0), u16(0), u16(0), u32(e.name.endsWith('/') ? 0x10 : 0), u32(offset), name,
      ]),
    );
    parts.push(local, body, descriptor);
    offset += local.length + body.length + descriptor.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(cd.length), u32(offset), u16(0)]);
  return Buffer.concat([...parts, cd, end]);
}

/** Incompressible bytes that contain what a careless scan would take for a descriptor and the next header. */
function trickyBytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    b[i] = s >>> 24;
  }
  for (let i = 1000; i + 40 < n; i += 50_000) {
    Buffer.concat([u32(0x08074b50), u32(0), u32(i), u32(i), u32(0x04034b50)]).copy(b, i);
    Buffer.concat([u32(0), u32(i + 24), u32(i + 24), u32(0x02014b50)]).copy(b, i + 24);
  }
  return b;
}

const CSV = Buffer.from('dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n' + 'deA,202401,ouA,,,1\n'.repeat(30_000));
const APPLE_DOUBLE = Buffer.concat([Buffer.from([0, 5, 0x16, 7, 0, 2, 0, 0]), Buffer.from('Mac OS X        '), Buffer.alloc(4000, 1)]);

describe('openInput: zip entries with data descriptors', () => {
  const dir = tmpDir();
  const read = async (entries: Entry[], file = 'a.zip'): Promise<{ entry: string | null; bytes: Buffer; sha: string; zip: Buffer }> => {
    const zip = buildZip(entries);
    // the hand-built archive is a valid zip (fflate reads it through its central directory)
    const check = unzipSync(zip);
    for (const e of entries) expect(Buffer.from(check[e.name]!).equals(e.data), e.name).toBe(true);
    const f = path.join(dir, file);
    fs.writeFileSync(f, zip);
    const inp = await openInput(f);
    const parts: Buffer[] = [];
    for await (const c of inp.chunks()) parts.push(c);
    return { entry: inp.entryName, bytes: Buffer.concat(parts), sha: inp.sha256(), zip };
  };

  it('skips a deflated __MACOSX/._data.csv with a data descriptor before data.csv (as macOS writes them)', async () => {
    const r = await read([
      { name: '__MACOSX/', data: Buffer.alloc(0), method: 0, descriptor: 'signature' },
      { name: '__MACOSX/._data.csv', data: APPLE_DOUBLE, method: 8, descriptor: 'signature' },
      { name: 'data.csv', data: CSV, method: 8, descriptor: 'signature' },
    ]);
    expect(r.entry).toBe('data.csv');
    expect(r.bytes.equals(CSV)).toBe(true);
    expect(r.sha).toBe(crypto.createHash('sha256').update(r.zip).digest('hex'));
  });

  it('skips a directory entry "dir/" with bit 3 set, stored or deflated (Java writes 2 bytes of deflate for it)', async () => {
    for (const method of [0, 8] as const) {
      for (const descriptor of ['signature', 'bare'] as const) {
        const r = await read([
          { name: 'dir/', data: Buffer.alloc(0), method, descriptor },
          { name: 'dir/data.csv', data: CSV, method: 0 },
        ]);
        expect(r.entry, `${method} ${descriptor}`).toBe('dir/data.csv');
        expect(r.bytes.equals(CSV), `${method} ${descriptor}`).toBe(true);
      }
    }
  });

  it('finds the end of a large skipped entry across read chunks: inflating a deflated one, scanning a stored one', async () => {
    const junk = trickyBytes(300_000, 7);
    for (const method of [0, 8] as const) {
      for (const descriptor of ['signature', 'bare'] as const) {
        for (const zip64 of [false, true]) {
          const r = await read([
            { name: '__MACOSX/._big.bin', data: junk, method, descriptor, zip64 },
            { name: '__MACOSX/._data.csv', data: APPLE_DOUBLE, method: 8, descriptor, zip64 },
            { name: 'values/', data: Buffer.alloc(0), method: 0, descriptor, zip64 },
            { name: 'values/data.csv', data: CSV, method: 8, descriptor: 'signature' },
            { name: 'other.csv', data: Buffer.from('x\n'), method: 8 },
          ]);
          const what = `${method} ${descriptor} ${zip64 ? 'zip64' : ''}`;
          expect(r.entry, what).toBe('values/data.csv');
          expect(r.bytes.equals(CSV), what).toBe(true);
        }
      }
    }
  });

  it('still reads a first file entry stored or deflated without descriptor after skipped ones', async () => {
    for (const method of [0, 8] as const) {
      const r = await read([
        { name: '__MACOSX/._data.csv', data: APPLE_DOUBLE, method: 8, descriptor: 'signature' },
        { name: 'data.csv', data: CSV, method },
      ]);
      expect(r.entry).toBe('data.csv');
      expect(r.bytes.equals(CSV)).toBe(true);
    }
  });

  it('counts what a skipped entry inflates to against the zip bomb limit', async () => {
    const f = path.join(dir, 'bomb.zip');
    fs.writeFileSync(f, buildZip([
      { name: '__MACOSX/._data.csv', data: Buffer.alloc(20 << 20), method: 8, descriptor: 'signature' },
      { name: 'data.csv', data: CSV, method: 8 },
    ]));
    await expect(openInput(f, { maxRatio: 50, minBombBytes: 1 << 20 })).rejects.toThrow(/bomb\.zip: a skipped zip entry expands more than 50 times/);
  });

  it('refuses an archive holding only skipped entries, or one that ends inside a skipped entry', async () => {
    await expect(
      read([
        { name: 'dir/', data: Buffer.alloc(0), method: 8, descriptor: 'signature' },
        { name: '__MACOSX/._x', data: APPLE_DOUBLE, method: 8, descriptor: 'signature' },
      ], 'nofile.zip'),
    ).rejects.toThrow(/nofile\.zip: the zip archive holds no file/);
    for (const method of [0, 8] as const) {
      const zip = buildZip([
        { name: '__MACOSX/._x', data: trickyBytes(100_000, 3), method, descriptor: 'signature' },
        { name: 'data.csv', data: CSV, method: 8 },
      ]);
      const f = path.join(dir, `cut-${method}.zip`);
      fs.writeFileSync(f, zip.subarray(0, 60_000));
      await expect(openInput(f)).rejects.toThrow(new RegExp(`cut-${method}\\.zip: the zip file is truncated or damaged`));
    }
  });
});

/** Every entry openInput hands out, in turn (next()), each read whole or only `take` chunks of it. */
async function entries(f: string, take = Infinity): Promise<{ names: string[]; bytes: Buffer[]; sha: string }> {
  const names: string[] = [];
  const bytes: Buffer[] = [];
  let inp = await openInput(f);
  let sha: string;
  try {
    for (let e: Awaited<ReturnType<typeof openInput>> | null = inp; e; e = await e.next()) {
      inp = e;
      names.push(e.entryName!);
      expect(e.label).toBe(`${path.basename(f)} › ${e.entryName}`);
      const parts: Buffer[] = [];
      let n = 0;
      for await (const c of e.chunks()) {
        parts.push(c);
        if (++n >= take) break;
      }
      bytes.push(Buffer.concat(parts));
    }
    sha = inp.sha256();
  } finally {
    inp.close();
  }
  return { names, bytes, sha };
}

describe('openInput: every file entry of a zip, one after another (issue 16, defect 3)', () => {
  const dir = tmpDir();
  const other = Buffer.from('dataelement,period,orgunit\nx,202401,y\n');

  it('hands out each entry with its own head, skipping directories and __MACOSX/ whatever their flags', async () => {
    for (const dd of [undefined, 'signature', 'bare'] as const) {
      for (const method of [0, 8] as const) {
        const list: Entry[] = [
          { name: '__MACOSX/', data: Buffer.alloc(0), method: 0, descriptor: dd && 'signature' },
          { name: 'district/', data: Buffer.alloc(0), method: 8, descriptor: 'bare' },
          { name: 'district/clinicA.csv', data: CSV, method: 8, descriptor: dd },
          { name: '__MACOSX/district/._clinicA.csv', data: APPLE_DOUBLE, method: 8, descriptor: 'signature' },
          { name: 'district/clinicB.csv', data: other, method, descriptor: method === 8 ? dd : undefined },
          { name: 'district/empty.csv', data: Buffer.alloc(0), method: 0 },
          { name: 'district/clinicC.csv', data: CSV, method: 8, descriptor: 'signature' },
        ];
        const zip = buildZip(list);
        const f = path.join(dir, 'facilities.zip');
        fs.writeFileSync(f, zip);
        const r = await entries(f);
        const what = `${dd} ${method}`;
        expect(r.names, what).toEqual(['district/clinicA.csv', 'district/clinicB.csv', 'district/empty.csv', 'district/clinicC.csv']);
        expect(r.bytes.map((b) => b.length), what).toEqual([CSV.length, other.length, 0, CSV.length]);
        expect(r.bytes[0]!.equals(CSV) && r.bytes[1]!.equals(other) && r.bytes[3]!.equals(CSV), what).toBe(true);
        // complete once the last entry has been read
        expect(r.sha, what).toBe(crypto.createHash('sha256').update(zip).digest('hex'));
      }
    }
  });

  it('reads on to the next entry when one was left half-read (a reader that failed)', async () => {
    const f = path.join(dir, 'half.zip');
    const big = Buffer.concat([CSV, CSV, CSV, CSV]);
    fs.writeFileSync(f, buildZip([
      { name: 'a.csv', data: big, method: 8, descriptor: 'signature' },
      { name: 'b.csv', data: other, method: 8 },
      { name: 'c.csv', data: big, method: 0 },
      { name: 'd.csv', data: other, method: 8, descriptor: 'bare' },
    ]));
    const r = await entries(f, 1);
    expect(r.names).toEqual(['a.csv', 'b.csv', 'c.csv', 'd.csv']);
    expect(r.bytes[1]!.equals(other) && r.bytes[3]!.equals(other)).toBe(true);
  });

  it('counts every entry against the zip bomb limit', async () => {
    const f = path.join(dir, 'bombs.zip');
    fs.writeFileSync(f, buildZip(Array.from({ length: 6 }, (_, i) => ({ name: `v${i}.json`, data: Buffer.alloc(4 << 20, 32), method: 8 as const }))));
    const inp = await openInput(f, { maxRatio: 50, minBombBytes: 8 << 20 });
    const read = async (): Promise<void> => {
      for (let e: Awaited<ReturnType<typeof openInput>> | null = inp; e; e = await e.next()) for await (const _ of e.chunks());
    };
    await expect(read()).rejects.toThrow(/bombs\.zip: the compressed file expands more than 50 times/);
    inp.close();
  });

  it('says what a garbage or empty archive is', async () => {
    const g = path.join(dir, 'garbage.zip');
    fs.writeFileSync(g, Buffer.concat([Buffer.from('PK\x03\x04'), crypto.randomBytes(40)]));
    await expect(openInput(g)).rejects.toThrow(/^garbage\.zip: not a readable zip archive \(/);
    const h = path.join(dir, 'garbage2.zip');
    const head = Buffer.from(buildZip([{ name: 'a.csv', data: CSV, method: 8 }]).subarray(0, 40));
    fs.writeFileSync(h, Buffer.concat([head, Buffer.alloc(5000, 0xff)]));
    await expect(entries(h)).rejects.toThrow(/^garbage2\.zip: not a readable zip archive \(the data of a\.csv is damaged/);
    const e = path.join(dir, 'empty.zip');
    fs.writeFileSync(e, Buffer.concat([u32(0x06054b50), Buffer.alloc(18)]));
    await expect(openInput(e)).rejects.toThrow(/^empty\.zip: the zip archive holds no file/);
  });
});
