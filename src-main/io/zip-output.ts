/**
 * A streaming single-entry zip writer for exports, on Node's native zlib (deflate runs on the libuv thread pool,
 * beside the JavaScript that produces the text): measured 6× faster than fflate's JavaScript deflate at the same
 * level (283 MB of DXF2 JSON: 1.75 s instead of 11 s). Same contract as io/output.ts: writes `<file>.part`, renames
 * on close, abort() deletes, returns bytes + sha256 of what landed on disk. The entry uses a data descriptor (sizes
 * and CRC after the data, general purpose bit 3) and a UTF-8 name (bit 11). An entry past the 4 GB zip limit is
 * refused rather than written as a broken file (gzip has no such limit).
 */
import fs from 'node:fs';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { AppError } from '../../src-shared/errors.ts';
import type { OutputSink } from './output.ts';

const LIMIT = 0xffffffff;

function dosDateTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: ((Math.max(d.getFullYear(), 1980) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

export function openZipOutput(file: string, entryName: string, level = 6): OutputSink {
  const part = file + '.part';
  const out = fs.createWriteStream(part);
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  let streamError: Error | null = null;
  out.on('error', (e) => (streamError = e));
  const raw = (b: Buffer): boolean => {
    hash.update(b);
    bytes += b.length;
    return out.write(b);
  };

  const name = Buffer.from(entryName, 'utf8');
  const { time, date } = dosDateTime(new Date());
  const FLAGS = 0x0808; // bit 3: sizes in a data descriptor; bit 11: UTF-8 name
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(FLAGS, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(time, 10);
  local.writeUInt16LE(date, 12);
  local.writeUInt16LE(name.length, 26);
  raw(Buffer.concat([local, name]));

  let crc = 0;
  let size = 0;
  let compressed = 0;
  const deflate = zlib.createDeflateRaw({ level });
  deflate.on('error', (e) => (streamError = e));
  deflate.on('data', (d: Buffer) => {
    compressed += d.length;
    if (!raw(d)) {
      deflate.pause();
      out.once('drain', () => deflate.resume());
    }
  });

  const writeBuf = async (b: Buffer): Promise<void> => {
    if (streamError) throw streamError;
    crc = zlib.crc32(b, crc);
    size += b.length;
    if (size > LIMIT) throw new AppError('TOO_LARGE', `The export is larger than the 4 GB a zip entry can hold; choose gzip compression for ${file}.`);
    if (!deflate.write(b)) await new Promise<void>((r) => deflate.once('drain', () => r()));
  };

  return {
    async write(chunk) {
      await writeBuf(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    },
    async close() {
      await new Promise<void>((resolve, reject) => {
        deflate.once('end', () => resolve());
        deflate.once('error', reject);
        deflate.end();
      });
      if (streamError) throw streamError;
      if (compressed > LIMIT || bytes > LIMIT) throw new AppError('TOO_LARGE', `The zip would pass 4 GB; choose gzip compression for ${file}.`);
      const desc = Buffer.alloc(16);
      desc.writeUInt32LE(0x08074b50, 0);
      desc.writeUInt32LE(crc >>> 0, 4);
      desc.writeUInt32LE(compressed, 8);
      desc.writeUInt32LE(size, 12);
      raw(desc);
      const cdStart = bytes;
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(FLAGS, 8);
      central.writeUInt16LE(8, 10);
      central.writeUInt16LE(time, 12);
      central.writeUInt16LE(date, 14);
      central.writeUInt32LE(crc >>> 0, 16);
      central.writeUInt32LE(compressed, 20);
      central.writeUInt32LE(size, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt32LE(0, 42); // local header at offset 0
      raw(Buffer.concat([central, name]));
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(1, 8);
      end.writeUInt16LE(1, 10);
      end.writeUInt32LE(bytes - cdStart, 12);
      end.writeUInt32LE(cdStart, 16);
      raw(end);
      await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
      if (streamError) throw streamError;
      await fs.promises.rename(part, file);
      return { bytes, sha256: hash.digest('hex') };
    },
    async abort() {
      deflate.destroy();
      out.destroy();
      await fs.promises.rm(part, { force: true });
    },
  };
}
