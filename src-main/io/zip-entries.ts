/**
 * THE streaming multi-entry zip writer: entries one after the other, each deflated by Node's zlib (on the thread pool)
 * as its bytes come, with its CRC-32 (and, on request, the sha256 of its uncompressed bytes) computed on the way, handed
 * to `sink` in order (awaited, so the sink's back-pressure reaches the caller). Each entry carries a data descriptor
 * (general purpose bit 3: sizes and CRC after the data), so nothing is held back. No Zip64: an entry or archive past
 * 4 GB is refused with `tooLarge`'s message rather than written broken.
 *
 * Used by the DHIS 1.4 zips (MetaData.xml + RoutineData.txt, Latin-1 names) and the transfer packages (UTF-8 names,
 * sha256 per entry), and every zipped export (io/output.ts: one entry).
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { AppError } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';

const LIMIT = 0xffffffff;

export type ZipSink = (bytes: Buffer) => Promise<void>;

/** A DOS time and date (what zip stores) of a Date's local wall clock. */
export function dosStamp(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(d.getFullYear(), 1980) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/** The DOS time and date of an ISO text's own wall-clock digits (no zone applied); 1980-01-01 when it is not one. */
export function dosStampOfIso(iso: string): { time: number; date: number } {
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)/.exec(iso);
  const [y, mo, d, h, mi, s] = m ? m.slice(1).map(Number) : [1980, 1, 1, 0, 0, 0];
  return { time: (h! << 11) | (mi! << 5) | Math.floor(s! / 2), date: ((Math.max(y!, 1980) - 1980) << 9) | (mo! << 5) | d! };
}

export interface ZipEntriesOptions {
  /** the entries' time stamp */
  stamp: { time: number; date: number };
  /** deflate level (default 6) */
  level?: number;
  /** names in UTF-8 (general purpose bit 11) — else Latin-1, as DHIS 1.4's tools read them */
  utf8Names: boolean;
  /** compute the sha256 of each entry's uncompressed bytes */
  sha256?: boolean;
  /** the refusal (TOO_LARGE) when an entry (name given) or the archive (null) would pass 4 GB: an error made with
   * ferryError (a key, said in the user's language), or an English message */
  tooLarge: (entry: string | null) => AppError | string;
}

export interface ZipEntryWritten {
  name: string;
  size: number;
  compressed: number;
  crc: number;
  /** '' unless options.sha256 */
  sha256: string;
  offset: number;
}

interface Open {
  name: string;
  nameBuf: Buffer;
  crc: number;
  size: number;
  compressed: number;
  offset: number;
  deflate: zlib.DeflateRaw;
  hash: crypto.Hash | null;
  pending: Buffer[];
  error: Error | null;
}

export class ZipEntriesWriter {
  private offset = 0;
  private readonly done: ZipEntryWritten[] = [];
  private entry: Open | null = null;
  private readonly flags: number;

  constructor(
    private readonly sink: ZipSink,
    private readonly opts: ZipEntriesOptions,
  ) {
    this.flags = opts.utf8Names ? 0x0808 : 0x0008;
  }

  /** bytes written so far */
  get bytes(): number {
    return this.offset;
  }

  private tooLarge(entry: string | null): AppError {
    const e = this.opts.tooLarge(entry);
    return e instanceof AppError ? e : new AppError('TOO_LARGE', e);
  }

  private async raw(b: Buffer): Promise<void> {
    this.offset += b.length;
    if (this.offset > LIMIT) throw this.tooLarge(null);
    await this.sink(b);
  }

  async begin(entryName: string): Promise<void> {
    if (this.entry) throw ferryError('INTERNAL', 'zip.entryStillOpen', { entry: this.entry.name });
    const nameBuf = Buffer.from(entryName, this.opts.utf8Names ? 'utf8' : 'latin1');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(this.flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(this.opts.stamp.time, 10);
    local.writeUInt16LE(this.opts.stamp.date, 12);
    local.writeUInt16LE(nameBuf.length, 26);
    const offset = this.offset;
    await this.raw(Buffer.concat([local, nameBuf]));
    const deflate = zlib.createDeflateRaw({ level: this.opts.level ?? 6 });
    const e: Open = { name: entryName, nameBuf, crc: 0, size: 0, compressed: 0, offset, deflate, hash: this.opts.sha256 ? crypto.createHash('sha256') : null, pending: [], error: null };
    deflate.on('data', (d: Buffer) => {
      e.compressed += d.length;
      e.pending.push(d);
    });
    deflate.on('error', (err) => (e.error = err));
    this.entry = e;
  }

  /** Deflated output so far goes to the sink. */
  private async drain(): Promise<void> {
    const e = this.entry!;
    if (e.error) throw e.error;
    while (e.pending.length) {
      const chunks = e.pending.splice(0);
      await this.raw(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    }
  }

  async write(bytes: Buffer): Promise<void> {
    const e = this.entry;
    if (!e) throw ferryError('INTERNAL', 'zip.noEntryOpen');
    e.crc = zlib.crc32(bytes, e.crc);
    e.hash?.update(bytes);
    e.size += bytes.length;
    if (e.size > LIMIT) throw this.tooLarge(e.name);
    // deflate runs on the thread pool while the caller makes the next batch: wait only when its buffer is full
    if (!e.deflate.write(bytes)) await new Promise<void>((resolve) => e.deflate.once('drain', () => resolve()));
    await this.drain();
  }

  /** Ends the open entry (its data descriptor) and says what was written. */
  async end(): Promise<ZipEntryWritten> {
    const e = this.entry;
    if (!e) throw ferryError('INTERNAL', 'zip.noEntryOpen');
    await new Promise<void>((resolve, reject) => {
      e.deflate.once('end', () => resolve());
      e.deflate.once('error', reject);
      e.deflate.end();
    });
    await this.drain();
    const desc = Buffer.alloc(16);
    desc.writeUInt32LE(0x08074b50, 0);
    desc.writeUInt32LE(e.crc >>> 0, 4);
    desc.writeUInt32LE(e.compressed, 8);
    desc.writeUInt32LE(e.size, 12);
    await this.raw(desc);
    const w: ZipEntryWritten = { name: e.name, size: e.size, compressed: e.compressed, crc: e.crc >>> 0, sha256: e.hash ? e.hash.digest('hex') : '', offset: e.offset };
    this.done.push(w);
    this.entry = null;
    return w;
  }

  /** Ends an open entry, then writes the central directory and its end record. */
  async finish(): Promise<ZipEntryWritten[]> {
    if (this.entry) await this.end();
    const start = this.offset;
    const parts: Buffer[] = [];
    for (const d of this.done) {
      const name = Buffer.from(d.name, this.opts.utf8Names ? 'utf8' : 'latin1');
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(this.flags, 8);
      c.writeUInt16LE(8, 10);
      c.writeUInt16LE(this.opts.stamp.time, 12);
      c.writeUInt16LE(this.opts.stamp.date, 14);
      c.writeUInt32LE(d.crc, 16);
      c.writeUInt32LE(d.compressed, 20);
      c.writeUInt32LE(d.size, 24);
      c.writeUInt16LE(name.length, 28);
      c.writeUInt32LE(d.offset, 42);
      parts.push(c, name);
    }
    const cd = Buffer.concat(parts);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.done.length, 8);
    end.writeUInt16LE(this.done.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(start, 16);
    await this.raw(Buffer.concat([cd, end]));
    return this.done;
  }

  /** Stops the open entry's deflate stream (the caller deletes the partial file). */
  destroy(): void {
    this.entry?.deflate.destroy();
    this.entry = null;
  }
}
