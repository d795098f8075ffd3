/**
 * The transfer package's zip (src-shared/transfer.ts): several entries written one after the other, each streamed
 * through Node's native deflate with its CRC-32 and the sha256 of its uncompressed bytes computed as the bytes go by —
 * nothing of an entry is held in memory beyond one batch. The file is written as `<file>.part`; `verifyPackageFile`
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

const LIMIT = 0xffffffff;
const FLAGS = 0x0808;
/**
 * Deflate level of a package's entries: 1, not the exports' 6. Measured on the transfer bench's 1,000,000 values
 * (same machine, runs back to back): level 6 took 7.6–9.0 CPU seconds for 7.7 MB, level 1 6.8 s for 9.9 MB — the
 * package is made on every send and read back whole, while 28 % more bytes on a USB key cost nothing.
 */
const PACKAGE_DEFLATE_LEVEL = 1;

export interface WrittenEntry {
  name: string;
  size: number;
  compressed: number;
  crc: number;
  sha256: string;
  offset: number;
}

function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(d.getFullYear(), 1980) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export function partOf(file: string): string {
  return file + '.part';
}

export class PackageZipWriter {
  private readonly out: fs.WriteStream;
  private readonly fileHash = crypto.createHash('sha256');
  private bytes = 0;
  private streamError: Error | null = null;
  private readonly written: WrittenEntry[] = [];
  private readonly stamp = dosDateTime(new Date());
  private entry: { name: string; nameBuf: Buffer; offset: number; deflate: zlib.DeflateRaw; hash: crypto.Hash; crc: number; size: number; compressed: number } | null = null;
  private pending: string[] = [];
  private pendingLen = 0;
  readonly part: string;

  constructor(readonly file: string) {
    this.part = partOf(file);
    fs.rmSync(this.part, { force: true });
    this.out = fs.createWriteStream(this.part);
    this.out.on('error', (e) => (this.streamError = e));
  }

  private raw(b: Buffer): boolean {
    this.fileHash.update(b);
    this.bytes += b.length;
    if (this.bytes > LIMIT) throw new AppError('TOO_LARGE', `The package would pass the 4 GB a zip can hold: send a shorter range (--from-sequence) for ${this.file}.`);
    return this.out.write(b);
  }

  private async drainOut(): Promise<void> {
    if (this.out.writableNeedDrain) await new Promise<void>((r) => this.out.once('drain', () => r()));
  }

  /** Starts the next entry (the previous one must be ended). */
  beginEntry(name: string): void {
    if (this.entry) throw new Error(`entry ${this.entry.name} is still open`);
    const nameBuf = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(FLAGS, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(this.stamp.time, 10);
    local.writeUInt16LE(this.stamp.date, 12);
    local.writeUInt16LE(nameBuf.length, 26);
    const offset = this.bytes;
    this.raw(Buffer.concat([local, nameBuf]));
    const deflate = zlib.createDeflateRaw({ level: PACKAGE_DEFLATE_LEVEL });
    const e = { name, nameBuf, offset, deflate, hash: crypto.createHash('sha256'), crc: 0, size: 0, compressed: 0 };
    deflate.on('error', (err) => (this.streamError = err));
    deflate.on('data', (d: Buffer) => {
      e.compressed += d.length;
      try {
        if (!this.raw(d)) {
          deflate.pause();
          this.out.once('drain', () => deflate.resume());
        }
      } catch (err) {
        this.streamError = err as Error;
      }
    });
    this.entry = e;
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
    await this.writeBuf(b);
  }

  private async writeBuf(b: Buffer): Promise<void> {
    const e = this.entry;
    if (!e) throw new Error('no entry is open');
    if (this.streamError) throw this.streamError;
    e.crc = zlib.crc32(b, e.crc);
    e.hash.update(b);
    e.size += b.length;
    if (e.size > LIMIT) throw new AppError('TOO_LARGE', `${e.name} would pass the 4 GB a zip entry can hold: send a shorter range (--from-sequence).`);
    if (!e.deflate.write(b)) await new Promise<void>((r) => e.deflate.once('drain', () => r()));
  }

  /** Ends the open entry: its data descriptor; returns what was written. */
  async endEntry(): Promise<WrittenEntry> {
    await this.flush();
    const e = this.entry;
    if (!e) throw new Error('no entry is open');
    await new Promise<void>((resolve, reject) => {
      e.deflate.once('end', () => resolve());
      e.deflate.once('error', reject);
      e.deflate.end();
    });
    if (this.streamError) throw this.streamError;
    const desc = Buffer.alloc(16);
    desc.writeUInt32LE(0x08074b50, 0);
    desc.writeUInt32LE(e.crc >>> 0, 4);
    desc.writeUInt32LE(e.compressed, 8);
    desc.writeUInt32LE(e.size, 12);
    this.raw(desc);
    await this.drainOut();
    const w: WrittenEntry = { name: e.name, size: e.size, compressed: e.compressed, crc: e.crc >>> 0, sha256: e.hash.digest('hex'), offset: e.offset };
    this.written.push(w);
    this.entry = null;
    return w;
  }

  /** Writes the central directory and closes `<file>.part` (not yet renamed: see commitPart). */
  async finish(): Promise<{ bytes: number; sha256: string; entries: WrittenEntry[] }> {
    if (this.entry) await this.endEntry();
    const cdStart = this.bytes;
    for (const w of this.written) {
      const name = Buffer.from(w.name, 'utf8');
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(FLAGS, 8);
      c.writeUInt16LE(8, 10);
      c.writeUInt16LE(this.stamp.time, 12);
      c.writeUInt16LE(this.stamp.date, 14);
      c.writeUInt32LE(w.crc, 16);
      c.writeUInt32LE(w.compressed, 20);
      c.writeUInt32LE(w.size, 24);
      c.writeUInt16LE(name.length, 28);
      c.writeUInt32LE(w.offset, 42);
      this.raw(Buffer.concat([c, name]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.written.length, 8);
    end.writeUInt16LE(this.written.length, 10);
    end.writeUInt32LE(this.bytes - cdStart, 12);
    end.writeUInt32LE(cdStart, 16);
    this.raw(end);
    await new Promise<void>((r, j) => this.out.end((e?: Error | null) => (e ? j(e) : r())));
    if (this.streamError) throw this.streamError;
    // on the disk before it is read back and renamed (a USB key pulled right after must not hold a torn package)
    const fd = fs.openSync(this.part, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return { bytes: this.bytes, sha256: this.fileHash.digest('hex'), entries: this.written };
  }

  async abort(): Promise<void> {
    this.entry?.deflate.destroy();
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
