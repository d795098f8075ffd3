/**
 * A streaming zip of several entries, one after the other (a 1.4 export holds MetaData.xml, then RoutineData.txt),
 * deflated by Node's zlib as the bytes come and handed to `sink` (the exporter's output file). Each entry carries a
 * data descriptor (sizes and CRC after the data, general purpose bit 3), so nothing is held back; ASCII names. An
 * entry or archive past the 4 GB a zip without Zip64 can describe is refused rather than written broken.
 */
import zlib from 'node:zlib';
import { AppError } from '../../../src-shared/errors.ts';

const LIMIT = 0xffffffff;

export type ZipSink = (bytes: Buffer) => Promise<void>;

function dosDateTime(iso: string): { time: number; date: number } {
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)/.exec(iso);
  const [y, mo, d, h, mi, s] = m ? m.slice(1).map(Number) : [1980, 1, 1, 0, 0, 0];
  return { time: (h! << 11) | (mi! << 5) | Math.floor(s! / 2), date: ((Math.max(y!, 1980) - 1980) << 9) | (mo! << 5) | d! };
}

interface Done {
  name: Buffer;
  crc: number;
  size: number;
  compressed: number;
  offset: number;
}

export class MultiEntryZipWriter {
  private offset = 0;
  private readonly done: Done[] = [];
  private entry: { name: Buffer; crc: number; size: number; compressed: number; offset: number; deflate: zlib.DeflateRaw; pending: Buffer[]; error: Error | null } | null = null;
  private readonly time: number;
  private readonly date: number;

  /** `modified`: the entries' time stamp, ISO (local wall clock, as zip stores it) */
  constructor(
    private readonly sink: ZipSink,
    modified: string,
    private readonly level = 6,
  ) {
    ({ time: this.time, date: this.date } = dosDateTime(modified));
  }

  private async raw(b: Buffer): Promise<void> {
    this.offset += b.length;
    if (this.offset > LIMIT) throw new AppError('TOO_LARGE', 'The DHIS 1.4 export would pass the 4 GB a zip can hold: export fewer values at a time (an org unit, a data set or a period range).');
    await this.sink(b);
  }

  async begin(entryName: string): Promise<void> {
    if (this.entry) throw new AppError('INTERNAL', 'zip: an entry is still open');
    const name = Buffer.from(entryName, 'latin1');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0008, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(this.time, 10);
    local.writeUInt16LE(this.date, 12);
    local.writeUInt16LE(name.length, 26);
    const offset = this.offset;
    await this.raw(Buffer.concat([local, name]));
    const deflate = zlib.createDeflateRaw({ level: this.level });
    const e = { name, crc: 0, size: 0, compressed: 0, offset, deflate, pending: [] as Buffer[], error: null as Error | null };
    deflate.on('data', (d: Buffer) => {
      e.compressed += d.length;
      e.pending.push(d);
    });
    deflate.on('error', (err) => (e.error = err));
    this.entry = e;
  }

  /** Deflated output so far goes to the sink (awaited: the sink's back-pressure reaches the caller). */
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
    if (!e) throw new AppError('INTERNAL', 'zip: no entry is open');
    e.crc = zlib.crc32(bytes, e.crc);
    e.size += bytes.length;
    if (e.size > LIMIT) throw new AppError('TOO_LARGE', 'The DHIS 1.4 export would pass the 4 GB a zip entry can hold: export fewer values at a time (an org unit, a data set or a period range).');
    // deflate runs on the thread pool while the caller makes the next batch: wait only when its buffer is full
    if (!e.deflate.write(bytes)) await new Promise<void>((resolve) => e.deflate.once('drain', () => resolve()));
    await this.drain();
  }

  async end(): Promise<void> {
    const e = this.entry;
    if (!e) throw new AppError('INTERNAL', 'zip: no entry is open');
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
    this.done.push({ name: e.name, crc: e.crc >>> 0, size: e.size, compressed: e.compressed, offset: e.offset });
    this.entry = null;
  }

  /** The central directory and its end record. */
  async finish(): Promise<void> {
    if (this.entry) await this.end();
    const start = this.offset;
    const parts: Buffer[] = [];
    for (const d of this.done) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(0x0008, 8);
      c.writeUInt16LE(8, 10);
      c.writeUInt16LE(this.time, 12);
      c.writeUInt16LE(this.date, 14);
      c.writeUInt32LE(d.crc, 16);
      c.writeUInt32LE(d.compressed, 20);
      c.writeUInt32LE(d.size, 24);
      c.writeUInt16LE(d.name.length, 28);
      c.writeUInt32LE(d.offset, 42);
      parts.push(c, d.name);
    }
    const cd = Buffer.concat(parts);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.done.length, 8);
    end.writeUInt16LE(this.done.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(start, 16);
    await this.raw(Buffer.concat([cd, end]));
  }

  /** Stops the open entry's deflate stream (the exporter deletes the partial file). */
  destroy(): void {
    this.entry?.deflate.destroy();
    this.entry = null;
  }
}
