/**
 * Opening an input file: compression detection (gzip / zip / plain, by magic bytes), streaming decompression with
 * zip-bomb limits, sha256 and byte counting over the raw file, and a sniffed head for format detection.
 * Nothing here holds a whole file in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
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

  // bytes inflated only to find the end of a skipped zip entry (never handed out) count towards the zip bomb limit too
  let skipped = 0;
  const skippedCheck = (n: number): void => {
    skipped += n;
    if (skipped > limits.minBombBytes && skipped > limits.maxRatio * Math.max(raw, 1)) {
      throw new AppError('TOO_LARGE', `${name}: a skipped zip entry expands more than ${limits.maxRatio} times; refusing it as a possible zip bomb`, { file: name });
    }
  };
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
    // gzip and zip both inflate through Node's native zlib (on the thread pool, beside the parser): much faster than
    // a JavaScript inflater. A zip is read as a stream of local headers: its first file entry only, as DHIS2 does.
    const zip = compression === 'zip' ? zipEntryStream(name, (n) => (entryName = n), skippedCheck) : null;
    let inflater: zlib.Gunzip | zlib.InflateRaw | null = compression === 'gzip' ? zlib.createGunzip() : null;
    let stored = false; // a zip entry without compression
    let producerError: unknown = null;
    let ended = false;
    const queue: Buffer[] = [];
    let wake: (() => void) | null = null;
    const signal = (): void => {
      const w = wake;
      wake = null;
      w?.();
    };
    const attach = (z: zlib.Gunzip | zlib.InflateRaw): void => {
      z.on('data', (d: Buffer) => {
        queue.push(d);
        signal();
      });
      z.on('end', () => {
        ended = true;
        signal();
      });
      z.on('error', (e) => {
        producerError ??= badCompressed(name, compression, e);
        signal();
      });
    };
    if (inflater) attach(inflater);
    const producer = (async () => {
      try {
        for await (const c of rawStream as AsyncIterable<Buffer>) {
          hash.update(c);
          raw += c.length;
          if (producerError) break;
          const parts = zip ? await zip.feed(c) : [c];
          if (zip && !inflater && zip.method() != null) {
            if (zip.method() === 0) stored = true;
            else attach((inflater = zlib.createInflateRaw()));
          }
          for (const part of parts) {
            if (stored) {
              queue.push(part);
              signal();
            } else if (inflater && !ended && !inflater.write(part)) await new Promise<void>((r) => inflater!.once('drain', () => r()));
          }
          if (queue.length > 16) await new Promise<void>((r) => setImmediate(r)); // let the consumer catch up
        }
        if (zip) zip.finish();
        if (stored) ended = true;
        else if (inflater) inflater.end();
        else if (zip) throw new AppError('BAD_FILE', `${name}: the zip archive holds no file`, { file: name });
      } catch (e) {
        producerError ??= e;
      } finally {
        signal();
      }
    })();
    try {
      for (;;) {
        if (queue.length) {
          const d = queue.shift()!;
          out += d.length;
          bombCheck();
          yield d;
          continue;
        }
        if (producerError) throw producerError;
        if (ended) break;
        await new Promise<void>((r) => (wake = r));
      }
      await producer;
      if (producerError) throw producerError;
    } finally {
      inflater?.destroy();
      rawStream.destroy();
    }
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

/**
 * Reads a zip archive's local headers as the bytes stream by and hands out the compressed bytes of its first file
 * entry (directories and __MACOSX/ entries are skipped). For a deflated entry everything after its header is handed
 * out: the inflater stops by itself at the end of the deflate stream.
 *
 * A skipped entry written with a data descriptor (general purpose flag bit 3: the sizes in its local header are 0 and
 * follow the data) is read to its end to find the next header: a deflated one through an inflater (which stops where
 * the deflate stream ends; its output is thrown away but counts against the zip bomb limit), any other by scanning
 * for its data descriptor: a descriptor whose compressed size equals the bytes scanned (for a stored entry also its
 * uncompressed size and crc32), followed by the next header's signature.
 */
function zipEntryStream(fileName: string, onEntry: (name: string) => void, onSkippedBytes: (n: number) => void) {
  let header: Buffer = Buffer.alloc(0);
  let state: 'header' | 'skip' | 'skip-inflate' | 'skip-scan' | 'descriptor' | 'data' | 'after' = 'header';
  let skipLeft = 0;
  let storedLeft = 0;
  let method: number | null = null;
  // the skipped entry with a data descriptor: its method, whether its sizes are 8 bytes (zip64)
  let skipMethod = 0;
  let zip64 = false;
  // skip-inflate: the inflater, bytes written to it, its error
  let skipper: zlib.InflateRaw | null = null;
  let skipWritten = 0;
  let skipError: unknown = null;
  // skip-scan: the last bytes scanned (a descriptor and the next signature may straddle chunks) and the bytes before them
  let scanTail: Buffer = Buffer.alloc(0);
  let scanned = 0;
  let scannedCrc = 0; // crc32 of those bytes
  const bad = (why: string): AppError => new AppError('BAD_FILE', `${fileName}: the zip file is truncated or damaged (${why})`, { file: fileName });

  /** Writes b to the inflater of a skipped deflated entry; returns the bytes after its deflate stream, or null (more needed). */
  const inflateSkip = async (b: Buffer): Promise<Buffer | null> => {
    if (!skipper) {
      const z = zlib.createInflateRaw();
      z.on('data', (d: Buffer) => {
        try {
          onSkippedBytes(d.length);
        } catch (e) {
          skipError ??= e;
          z.destroy();
        }
      });
      z.on('error', (e) => void (skipError ??= badCompressed(fileName, 'zip', e)));
      skipper = z;
      skipWritten = 0;
    }
    const z = skipper;
    await new Promise<void>((resolve) => {
      if (z.destroyed) resolve();
      else z.write(b, () => resolve());
    });
    if (skipError) throw skipError;
    skipWritten += b.length;
    const unused = skipWritten - z.bytesWritten;
    if (unused <= 0) return null;
    z.destroy();
    skipper = null;
    return b.subarray(b.length - unused);
  };

  const SIG_LOCAL = 0x04034b50;
  const SIG_CENTRAL = 0x02014b50;
  const SIG_END = 0x06054b50;
  const SIG_DESCRIPTOR = 0x08074b50;
  /** Scans the data of a skipped stored entry for its end; returns the bytes from the next header on, or null. */
  const scanSkip = (b: Buffer): Buffer | null => {
    const buf = scanTail.length ? Buffer.concat([scanTail, b]) : b;
    for (let q = buf.indexOf(0x50); q !== -1 && q + 4 <= buf.length; q = buf.indexOf(0x50, q + 1)) {
      const sig = buf.readUInt32LE(q);
      if (sig !== SIG_LOCAL && sig !== SIG_CENTRAL && sig !== SIG_END) continue;
      const at = scanned + q; // entry bytes (data and descriptor) before q
      // the descriptor just before q: [signature] crc32, compressed size, uncompressed size (8-byte sizes in zip64)
      const n = zip64 ? 8 : 4;
      for (const len of [4 + 4 + 2 * n, 4 + 2 * n]) {
        if (q < len || at < len) continue;
        const d = q - len;
        if (len === 4 + 4 + 2 * n && buf.readUInt32LE(d) !== SIG_DESCRIPTOR) continue;
        const size = (o: number): number => (zip64 ? Number(buf.readBigUInt64LE(o)) : buf.readUInt32LE(o));
        const comp = size(q - 2 * n);
        const uncomp = size(q - n);
        if (comp !== at - len) continue;
        // a stored entry's data is its content: its size and crc32 must match too (data can look like a descriptor)
        if (skipMethod === 0 && (uncomp !== comp || buf.readUInt32LE(q - 2 * n - 4) !== zlib.crc32(buf.subarray(0, d), scannedCrc))) continue;
        scanTail = Buffer.alloc(0);
        return buf.subarray(q);
      }
    }
    const keep = Math.min(buf.length, 27);
    scannedCrc = zlib.crc32(buf.subarray(0, buf.length - keep), scannedCrc);
    scanned += buf.length - keep;
    scanTail = Buffer.from(buf.subarray(buf.length - keep));
    return null;
  };

  return {
    method: () => method,
    async feed(chunk: Buffer): Promise<Buffer[]> {
      const parts: Buffer[] = [];
      let b = chunk;
      while (b.length) {
        if (state === 'after') break;
        if (state === 'skip') {
          const n = Math.min(skipLeft, b.length);
          skipLeft -= n;
          b = b.subarray(n);
          if (skipLeft === 0) state = 'header';
          continue;
        }
        if (state === 'skip-inflate') {
          const rest = await inflateSkip(b);
          if (rest === null) break;
          b = rest;
          state = 'descriptor';
          continue;
        }
        if (state === 'skip-scan') {
          const rest = scanSkip(b);
          if (rest === null) break;
          b = rest;
          state = 'header';
          continue;
        }
        if (state === 'descriptor') {
          // after a skipped deflate stream: [signature] crc32, compressed size, uncompressed size
          header = header.length ? Buffer.concat([header, b]) : b;
          if (header.length < 4) break;
          const need = (header.readUInt32LE(0) === SIG_DESCRIPTOR ? 8 : 4) + (zip64 ? 16 : 8);
          if (header.length < need) break;
          b = header.subarray(need);
          header = Buffer.alloc(0);
          state = 'header';
          continue;
        }
        if (state === 'data') {
          if (method === 0) {
            const n = Math.min(storedLeft, b.length);
            parts.push(b.subarray(0, n));
            storedLeft -= n;
            b = b.subarray(n);
            if (storedLeft === 0) state = 'after';
            continue;
          }
          parts.push(b);
          break;
        }
        header = header.length ? Buffer.concat([header, b]) : b;
        if (header.length < 30) break;
        const sig = header.readUInt32LE(0);
        if (sig === SIG_CENTRAL || sig === SIG_END) throw new AppError('BAD_FILE', `${fileName}: the zip archive holds no file`, { file: fileName });
        if (sig !== SIG_LOCAL) throw bad('no local file header');
        const flags = header.readUInt16LE(6);
        const m = header.readUInt16LE(8);
        const compSize = header.readUInt32LE(18);
        const nameLen = header.readUInt16LE(26);
        const need = 30 + nameLen + header.readUInt16LE(28);
        if (header.length < need) break; // wait for more bytes (the header so far is kept)
        const name = header.toString(flags & 0x800 ? 'utf8' : 'latin1', 30, 30 + nameLen);
        zip64 = hasZip64Extra(header.subarray(30 + nameLen, need));
        b = header.subarray(need);
        header = Buffer.alloc(0);
        const skippable = name.endsWith('/') || name.startsWith('__MACOSX/');
        if (flags & 1) throw new AppError('UNSUPPORTED', `${fileName}: the zip entry ${name} is encrypted; Ferry cannot read it`, { file: fileName });
        if (skippable) {
          if (!(flags & 8)) {
            state = 'skip';
            skipLeft = compSize;
          } else {
            // sizes after the data: read the entry to its end
            skipMethod = m;
            state = m === 8 ? 'skip-inflate' : 'skip-scan';
            scanTail = Buffer.alloc(0);
            scanned = 0;
            scannedCrc = 0;
          }
          continue;
        }
        if (m !== 0 && m !== 8) throw new AppError('UNSUPPORTED', `${fileName}: the zip entry ${name} uses compression method ${m}; save it again with ordinary (deflate) compression`, { file: fileName });
        if (m === 0 && flags & 8) throw new AppError('UNSUPPORTED', `${fileName}: the zip entry ${name} is stored without its size; save it again with ordinary (deflate) compression`, { file: fileName });
        method = m;
        storedLeft = compSize;
        onEntry(name);
        state = 'data';
        if (m === 0 && compSize === 0) state = 'after';
      }
      return parts;
    },
    finish(): void {
      (skipper as zlib.InflateRaw | null)?.destroy();
      if (state === 'header' && method == null) throw new AppError('BAD_FILE', `${fileName}: the zip archive holds no file`, { file: fileName });
      if (state === 'skip' || state === 'skip-inflate' || state === 'skip-scan' || state === 'descriptor' || (method === 0 && state === 'data')) {
        throw bad('the archive ends inside an entry');
      }
    },
  };
}

/** Whether a local header's extra fields hold a zip64 field (0x0001): then a data descriptor's sizes are 8 bytes. */
function hasZip64Extra(extra: Buffer): boolean {
  for (let i = 0; i + 4 <= extra.length; ) {
    if (extra.readUInt16LE(i) === 0x0001) return true;
    i += 4 + extra.readUInt16LE(i + 2);
  }
  return false;
}
