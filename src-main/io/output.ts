/**
 * Output sink for exports: text/bytes → (gzip | zip | none) → `<file>.part` → renamed to `<file>` on success. Zip
 * is one entry written by io/zip-entries.ts (deflate on the thread pool, a data descriptor, no Zip64: past 4 GB the
 * export is refused and gzip suggested).
 * Backpressure-aware; sha256 and byte count over what lands on disk. An aborted export leaves no file behind; one
 * killed mid-way (power cut, kill -9) leaves its `.part`, removed when the next export of that file starts or when
 * Ferry next opens the database and marks the job interrupted (removePart).
 */
import fs from 'node:fs';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { Writable } from 'node:stream';
import { dosStamp, ZipEntriesWriter } from './zip-entries.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { Compression } from '../../src-shared/dhis2/options.ts';

export interface OutputSink {
  write(chunk: string | Uint8Array): Promise<void>;
  /** flush, finish compression, rename into place */
  close(): Promise<{ bytes: number; sha256: string }>;
  /** delete the partial file */
  abort(): Promise<void>;
}

/** The partial file an export writes before renaming it into place. */
export function partOf(file: string): string {
  return file + '.part';
}

/** Removes an export's partial file, if any (false when it could not be removed, e.g. on a read-only medium). */
export function removePart(file: string): boolean {
  try {
    fs.rmSync(partOf(file), { force: true });
    return true;
  } catch {
    return false;
  }
}

export function openOutput(file: string, compression: Compression, entryName: string): OutputSink {
  // a stale `.part` of this target (left by an export that was killed) goes first
  removePart(file);
  const part = partOf(file);
  const fileStream = fs.createWriteStream(part);
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  let streamError: Error | null = null;
  fileStream.on('error', (e) => (streamError = e));
  const writeRaw = (b: Uint8Array): Promise<void> | void => {
    hash.update(b);
    bytes += b.length;
    if (!fileStream.write(b)) return new Promise<void>((r) => fileStream.once('drain', () => r()));
  };
  let buf: string[] = [];
  let bufLen = 0;
  const FLUSH_AT = 256 * 1024;

  let sinkWrite: (b: Uint8Array) => Promise<void> | void;
  let sinkEnd: () => Promise<void>;
  let aborting = (): void => {};
  if (compression === 'gzip') {
    const gz = zlib.createGzip({ level: 6 });
    gz.on('data', (d: Buffer) => {
      hash.update(d);
      bytes += d.length;
      if (!fileStream.write(d)) gz.pause(), fileStream.once('drain', () => gz.resume());
    });
    sinkWrite = (b) => {
      if (!gz.write(b)) return new Promise<void>((r) => gz.once('drain', () => r()));
    };
    sinkEnd = () => new Promise<void>((r, j) => { gz.once('end', () => r()); gz.once('error', j); gz.end(); });
  } else if (compression === 'zip') {
    const zip = new ZipEntriesWriter(async (b) => writeRaw(b), {
      stamp: dosStamp(new Date()),
      utf8Names: true,
      tooLarge: () => ferryError('TOO_LARGE', 'zip.exportTooLarge', { file }),
    });
    let begun: Promise<void> | null = null;
    sinkWrite = async (b) => {
      await (begun ??= zip.begin(entryName));
      await zip.write(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    };
    sinkEnd = async () => {
      await (begun ??= zip.begin(entryName));
      await zip.finish();
    };
    aborting = () => zip.destroy();
  } else {
    sinkWrite = (b) => writeRaw(b);
    sinkEnd = async () => {};
  }
  const flush = async (): Promise<void> => {
    if (!bufLen) return;
    const s = buf.join('');
    buf = [];
    bufLen = 0;
    await sinkWrite(Buffer.from(s, 'utf8'));
  };
  return {
    async write(chunk) {
      if (streamError) throw streamError;
      if (typeof chunk === 'string') {
        buf.push(chunk);
        bufLen += chunk.length;
        if (bufLen >= FLUSH_AT) await flush();
      } else {
        await flush();
        await sinkWrite(chunk);
      }
    },
    async close() {
      await flush();
      await sinkEnd();
      await new Promise<void>((r, j) => fileStream.end((e?: Error | null) => (e ? j(e) : r())));
      if (streamError) throw streamError;
      await fs.promises.rename(part, file);
      return { bytes, sha256: hash.digest('hex') };
    },
    async abort() {
      aborting();
      // the stream may still be opening the file: removing it before the stream has closed would let the open create
      // it again afterwards (a .part left behind)
      if (!fileStream.closed) await new Promise<void>((r) => (fileStream.once('close', () => r()), fileStream.destroy()));
      await fs.promises.rm(part, { force: true });
    },
  };
}

/**
 * A Node stream over a sink, for writers that write through a library (xlsx): each chunk waits for the sink (so
 * the library sees back-pressure); ending the stream does not close the sink (the exporter closes or aborts it).
 */
export function sinkWritable(sink: OutputSink): Writable {
  return new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _enc, cb) {
      sink.write(chunk).then(() => cb(), cb);
    },
    final(cb) {
      cb();
    },
  });
}
