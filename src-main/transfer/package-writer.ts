/**
 * The transfer package's zip (src-shared/transfer.ts): several entries written one after the other by the shared
 * streaming zip writer (io/zip-entries.ts), each with its CRC-32 and the sha256 of its uncompressed bytes computed as
 * the bytes go by — nothing of an entry is held in memory beyond one batch. The file is written as `<file>.part`; `verifyPackageFile`
 * reads it back (every entry inflated: CRC-32, size and sha256), and only then is it renamed into place
 * (`commitPart`). abort() deletes the part file.
 *
 * Entries use data descriptors (general purpose bit 3: sizes and CRC after the data) and UTF-8 names (bit 11), as the
 * export zips do; no zip64 — an entry or file past 4 GB is refused rather than written broken.
 */
import fs from 'node:fs';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { AppError } from '../../src-shared/errors.ts';
import { dosStamp, ZipEntriesWriter, type ZipEntryWritten } from '../io/zip-entries.ts';

/**
 * Deflate level of a package's entries: 1, not the exports' 6. Measured on the transfer bench's 1,000,000 values
 * (same machine, runs back to back): level 6 took 7.6–9.0 CPU seconds for 7.7 MB, level 1 6.8 s for 9.9 MB — the
 * package is made on every send and read back whole, while 28 % more bytes on a USB key cost nothing.
 */
const PACKAGE_DEFLATE_LEVEL = 1;

export type WrittenEntry = ZipEntryWritten;

export function partOf(file: string): string {
  return file + '.part';
}

/**
 * The package zip written to `<file>.part` through io/zip-entries.ts (UTF-8 names, sha256 per entry, level 1), with
 * the whole file's sha256 and the stream's back-pressure on top; finish() syncs it to the disk before it is read back.
 */
export class PackageZipWriter {
  private readonly out: fs.WriteStream;
  private readonly fileHash = crypto.createHash('sha256');
  private streamError: Error | null = null;
  private readonly zip: ZipEntriesWriter;
  private pending: string[] = [];
  private pendingLen = 0;
  readonly part: string;

  constructor(readonly file: string) {
    this.part = partOf(file);
    fs.rmSync(this.part, { force: true });
    this.out = fs.createWriteStream(this.part);
    this.out.on('error', (e) => (this.streamError = e));
    this.zip = new ZipEntriesWriter((b) => this.raw(b), {
      stamp: dosStamp(new Date()),
      level: PACKAGE_DEFLATE_LEVEL,
      utf8Names: true,
      sha256: true,
      tooLarge: (entry) =>
        entry ? `${entry} would pass the 4 GB a zip entry can hold: send a shorter range (--from-sequence).` : `The package would pass the 4 GB a zip can hold: send a shorter range (--from-sequence) for ${this.file}.`,
    });
  }

  private async raw(b: Buffer): Promise<void> {
    if (this.streamError) throw this.streamError;
    this.fileHash.update(b);
    if (!this.out.write(b)) await new Promise<void>((r) => this.out.once('drain', () => r()));
  }

  /** Starts the next entry (the previous one must be ended). */
  async beginEntry(name: string): Promise<void> {
    await this.zip.begin(name);
  }

  /** Appends text to the open entry; returns true when the caller should `await flush()` (about every 64 KB). */
  push(s: string): boolean {
    this.pending.push(s);
    this.pendingLen += s.length;
    return this.pendingLen >= 65536;
  }

  async flush(): Promise<void> {
    if (!this.pendingLen) return;
    const b = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLen = 0;
    await this.zip.write(b);
  }

  /** Ends the open entry: its data descriptor; returns what was written. */
  async endEntry(): Promise<WrittenEntry> {
    await this.flush();
    return this.zip.end();
  }

  /** Writes the central directory and closes `<file>.part` (not yet renamed: see commitPart). */
  async finish(): Promise<{ bytes: number; sha256: string; entries: WrittenEntry[] }> {
    await this.flush();
    const entries = await this.zip.finish();
    await new Promise<void>((r, j) => this.out.end((e?: Error | null) => (e ? j(e) : r())));
    if (this.streamError) throw this.streamError;
    // on the disk before it is read back and renamed (a USB key pulled right after must not hold a torn package)
    const fd = fs.openSync(this.part, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return { bytes: this.zip.bytes, sha256: this.fileHash.digest('hex'), entries };
  }

  async abort(): Promise<void> {
    this.zip.destroy();
    this.out.destroy();
    await fs.promises.rm(this.part, { force: true }).catch(() => undefined);
  }
}

/** Renames the verified part file into place. */
export async function commitPart(file: string): Promise<void> {
  await fs.promises.rename(partOf(file), file);
}

export interface ReadBackEntry {
  name: string;
  size: number;
  sha256: string;
}

/**
 * Reads a package file back: its central directory, then every entry inflated from its local header on, checking
 * the CRC-32 and size the central directory gives; returns each entry's size and sha256 (of the inflated bytes), in
 * the zip's order. Streams (one entry at a time, 1 MB reads).
 */
export async function readBackPackage(file: string): Promise<ReadBackEntry[]> {
  const bad = (why: string): AppError => new AppError('BAD_FILE', `${file}: the package written is damaged (${why}); it was not kept.`, { file });
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    if (fileSize < 22) throw bad('too short');
    const tail = Buffer.alloc(Math.min(fileSize, 22 + 65535));
    await fh.read(tail, 0, tail.length, fileSize - tail.length);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) throw bad('no end of central directory');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset + cdSize > fileSize) throw bad('central directory outside the file');
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const out: ReadBackEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw bad('central directory entry');
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      const csize = cd.readUInt32LE(p + 20);
      const usize = cd.readUInt32LE(p + 24);
      const nlen = cd.readUInt16LE(p + 28);
      const xlen = cd.readUInt16LE(p + 30);
      const clen = cd.readUInt16LE(p + 32);
      const off = cd.readUInt32LE(p + 42);
      const name = cd.toString('utf8', p + 46, p + 46 + nlen);
      p += 46 + nlen + xlen + clen;
      const lh = Buffer.alloc(30);
      await fh.read(lh, 0, 30, off);
      if (lh.readUInt32LE(0) !== 0x04034b50) throw bad(`local header of ${name}`);
      const dataStart = off + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
      if (dataStart + csize > fileSize) throw bad(`${name} runs past the end`);
      const hash = crypto.createHash('sha256');
      let c = 0;
      let n = 0;
      const take = (b: Buffer): void => {
        c = zlib.crc32(b, c);
        hash.update(b);
        n += b.length;
      };
      const CHUNK = 1 << 20;
      if (method === 0) {
        for (let at = 0; at < csize; at += CHUNK) {
          const b = Buffer.alloc(Math.min(CHUNK, csize - at));
          await fh.read(b, 0, b.length, dataStart + at);
          take(b);
        }
      } else if (method === 8) {
        const inflate = zlib.createInflateRaw();
        inflate.on('data', take);
        const ended = new Promise<void>((resolve, reject) => {
          inflate.once('end', resolve);
          inflate.once('error', reject);
        });
        try {
          for (let at = 0; at < csize; at += CHUNK) {
            const b = Buffer.alloc(Math.min(CHUNK, csize - at));
            await fh.read(b, 0, b.length, dataStart + at);
            if (!inflate.write(b)) await new Promise<void>((r) => inflate.once('drain', () => r()));
          }
          inflate.end();
          await ended;
        } catch (e) {
          inflate.destroy();
          throw bad(`${name} does not inflate: ${(e as Error).message}`);
        }
      } else throw bad(`${name} uses compression method ${method}`);
      if ((c >>> 0) !== crc) throw bad(`${name}: CRC-32 ${(c >>> 0).toString(16)} instead of ${crc.toString(16)}`);
      if (n !== usize) throw bad(`${name}: ${n} bytes instead of ${usize}`);
      out.push({ name, size: n, sha256: hash.digest('hex') });
    }
    return out;
  } finally {
    await fh.close();
  }
}
