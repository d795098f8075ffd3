/**
 * Opening an input file: compression detection (gzip / zip / plain, by magic bytes), streaming decompression with
 * zip-bomb limits, sha256 and byte counting over the raw file, and a sniffed head for format detection.
 * Nothing here holds a whole file in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { AppError } from '../../src-shared/errors.ts';
import type { Compression } from '../../src-shared/dhis2/options.ts';

export interface InputLimits {
  /** decompressed/compressed ratio above which (and above minBombBytes) a file counts as a zip bomb */
  maxRatio: number;
  minBombBytes: number;
}
export const DEFAULT_LIMITS: InputLimits = { maxRatio: 200, minBombBytes: 256 * 1024 * 1024 };

export interface OpenedInput {
  path: string;
  name: string;
  size: number;
  compression: Compression;
  /** name of the zip entry read (first file entry, as DHIS2 does) */
  entryName: string | null;
  /** the first bytes of the decompressed content (up to 64 KB) */
  head: Buffer;
  /** decompressed content from the start (head included); can be iterated once */
  chunks(): AsyncIterable<Buffer>;
  /** raw (compressed) bytes read so far: for progress against `size` */
  rawBytesRead(): number;
  /** hex sha256 of the raw file; complete once chunks() has been fully consumed */
  sha256(): string;
  close(): void;
}

const HEAD_BYTES = 64 * 1024;

function detectCompression(magic: Buffer): Compression {
  if (magic.length >= 2 && magic[0] === 0x1f && magic[1] === 0x8b) return 'gzip';
  if (magic.length >= 4 && magic[0] === 0x50 && magic[1] === 0x4b && (magic[2] === 0x03 || magic[2] === 0x05)) return 'zip';
  return 'none';
}

export async function openInput(file: string, limits: InputLimits = DEFAULT_LIMITS): Promise<OpenedInput> {
  const name = path.basename(file);
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    throw new AppError('FILE_NOT_FOUND', `${name}: the file does not exist or cannot be read (${file})`, { file: name });
  }
  if (!stat.isFile()) throw new AppError('BAD_FILE', `${name}: is not a file`, { file: name });
  if (stat.size === 0) throw new AppError('BAD_FILE', `${name}: the file is empty`, { file: name });

  const fd = await fs.promises.open(file, 'r');
  const magicBuf = Buffer.alloc(4);
  await fd.read(magicBuf, 0, 4, 0);
  await fd.close();
  const compression = detectCompression(magicBuf);

  const hash = crypto.createHash('sha256');
  let raw = 0;
  let out = 0;
  let entryName: string | null = null;
  const rawStream = fs.createReadStream(file, { highWaterMark: compression === 'none' ? 1024 * 1024 : 64 * 1024 });

  const bombCheck = (): void => {
    if (compression !== 'none' && out > limits.minBombBytes && out > limits.maxRatio * Math.max(raw, 1)) {
      throw new AppError(
        'TOO_LARGE',
        `${name}: the compressed file expands more than ${limits.maxRatio} times (${out} bytes from ${raw}); refusing it as a possible zip bomb`,
        { file: name },
      );
    }
  };

  async function* decompressed(): AsyncGenerator<Buffer> {
    if (compression === 'none') {
      for await (const c of rawStream as AsyncIterable<Buffer>) {
        hash.update(c);
        raw += c.length;
        out += c.length;
        yield c;
      }
      return;
    }
    const queue: Buffer[] = [];
    let failure: unknown = null;
    if (compression === 'gzip') {
      // Node's native zlib, driven synchronously chunk by chunk through a small handle.
      const gunzip = zlib.createGunzip();
      const pending: Buffer[] = [];
      gunzip.on('data', (d: Buffer) => pending.push(d));
      let ended = false;
      let error: Error | null = null;
      gunzip.on('error', (e) => (error = e));
      gunzip.on('end', () => (ended = true));
      for await (const c of rawStream as AsyncIterable<Buffer>) {
        hash.update(c);
        raw += c.length;
        if (!gunzip.write(c)) await new Promise<void>((r) => gunzip.once('drain', () => r()));
        await new Promise<void>((r) => setImmediate(r));
        if (error) throw badCompressed(name, 'gzip', error);
        while (pending.length) {
          const d = pending.shift()!;
          out += d.length;
          bombCheck();
          yield d;
        }
      }
      gunzip.end();
      await new Promise<void>((resolve) => {
        if (ended || error) return resolve();
        gunzip.once('end', () => resolve());
        gunzip.once('error', () => resolve());
      });
      if (error) throw badCompressed(name, 'gzip', error);
      while (pending.length) {
        const d = pending.shift()!;
        out += d.length;
        bombCheck();
        yield d;
      }
      if (!ended) throw badCompressed(name, 'gzip', new Error('unexpected end of data'));
      return;
    }
    // zip: first file entry only (DHIS2's StreamUtils does the same)
    let current: UnzipFile | null = null;
    let entryDone = false;
    const unzip = new Unzip((f) => {
      if (current || f.name.endsWith('/') || f.name.startsWith('__MACOSX/')) return;
      current = f;
      entryName = f.name;
      f.ondata = (err, data, final) => {
        if (err) {
          failure = err;
          return;
        }
        if (data.length) queue.push(Buffer.from(data.buffer, data.byteOffset, data.length));
        if (final) entryDone = true;
      };
      try {
        f.start();
      } catch (e) {
        failure = e;
      }
    });
    unzip.register(UnzipInflate);
    const push = (chunk: Buffer, final: boolean): void => {
      try {
        unzip.push(chunk, final);
      } catch (e) {
        failure = e;
      }
    };
    const finish = (): void => push(new Uint8Array(0) as Buffer, true);
    for await (const c of rawStream as AsyncIterable<Buffer>) {
      hash.update(c);
      raw += c.length;
      push(c, false);
      if (failure) throw badCompressed(name, 'zip', failure);
      while (queue.length) {
        const d = queue.shift()!;
        out += d.length;
        bombCheck();
        yield d;
      }
      if (entryDone) {
        // keep hashing the rest of the file without decompressing further entries
        continue;
      }
    }
    finish();
    if (failure) throw badCompressed(name, 'zip', failure);
    while (queue.length) {
      const d = queue.shift()!;
      out += d.length;
      bombCheck();
      yield d;
    }
    if (!current) throw new AppError('BAD_FILE', `${name}: the zip archive holds no file`, { file: name });
    if (!entryDone) throw badCompressed(name, 'zip', new Error('the archive is truncated'));
  }

  const gen = decompressed();
  const headChunks: Buffer[] = [];
  let headLen = 0;
  let exhausted = false;
  try {
    while (headLen < HEAD_BYTES) {
      const r = await gen.next();
      if (r.done) {
        exhausted = true;
        break;
      }
      headChunks.push(r.value);
      headLen += r.value.length;
    }
  } catch (e) {
    rawStream.destroy();
    throw e;
  }
  const headAll = Buffer.concat(headChunks);
  const head = headAll.subarray(0, HEAD_BYTES);
  if (headAll.length === 0) {
    rawStream.destroy();
    throw new AppError('BAD_FILE', `${name}: the file is empty${compression !== 'none' ? ' once decompressed' : ''}`, { file: name });
  }
  let used = false;
  return {
    path: file,
    name,
    size: stat.size,
    compression,
    get entryName() {
      return entryName;
    },
    head,
    chunks() {
      if (used) throw new Error('input already consumed');
      used = true;
      return (async function* () {
        if (headAll.length) yield headAll;
        if (!exhausted) yield* gen;
      })();
    },
    rawBytesRead: () => raw,
    sha256: () => hash.copy().digest('hex'),
    close: () => rawStream.destroy(),
  } as OpenedInput;
}

function badCompressed(name: string, kind: string, e: unknown): AppError {
  const msg = e instanceof Error ? e.message : String(e);
  return new AppError('BAD_FILE', `${name}: the ${kind} file is truncated or damaged (${msg})`, { file: name });
}

/** Reads the whole file once for its sha256 (used only where a format cannot stream, e.g. .mdb). */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const c of fs.createReadStream(file)) hash.update(c as Buffer);
  return hash.digest('hex');
}
