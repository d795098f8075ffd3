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
import { ferryError } from '../../src-shared/keyed-errors.ts';
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
  /** the name of the zip entry (null for plain and gzip files) */
  entryName: string | null;
  /** how messages and summaries name what is read: the file name, or "archive.zip › entry.csv" for a zip entry */
  label: string;
  /** the first bytes of the decompressed content (up to 64 KB) */
  head: Buffer;
  /** decompressed content from the start (head included); can be iterated once */
  chunks(): AsyncIterable<Buffer>;
  /** raw (compressed) bytes read so far: for progress against `size` */
  rawBytesRead(): number;
  /** hex sha256 of the raw file; complete once chunks() of the last entry has been fully consumed */
  sha256(): string;
  /**
   * The next file entry of a zip archive, opened like a file (its own head), once what is left of this one has been
   * read through (and thrown away); null after the last entry, and for plain and gzip files. Directory and __MACOSX/
   * entries are never handed out. Throws (BAD_FILE, TOO_LARGE) when the archive is damaged further on.
   */
  next(): Promise<OpenedInput | null>;
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
    throw ferryError('FILE_NOT_FOUND', 'file.notFound', { file: name, path: file }, { file: name });
  }
  if (stat.isDirectory()) throw ferryError('BAD_FILE', 'file.isFolder', { file: name }, { file: name });
  if (!stat.isFile()) throw ferryError('BAD_FILE', 'file.notAFile', { file: name }, { file: name });
  if (stat.size === 0) throw ferryError('BAD_FILE', 'file.empty', { file: name }, { file: name });

  const fd = await fs.promises.open(file, 'r');
  const magicBuf = Buffer.alloc(4);
  await fd.read(magicBuf, 0, 4, 0);
  await fd.close();
  const compression = detectCompression(magicBuf);

  const hash = crypto.createHash('sha256');
  let raw = 0;
  let out = 0;
  const rawStream = fs.createReadStream(file, { highWaterMark: compression === 'none' ? 1024 * 1024 : 64 * 1024 });

  // bytes inflated only to find the end of a skipped zip entry (never handed out) count towards the zip bomb limit too
  let skipped = 0;
  const skippedCheck = (n: number): void => {
    skipped += n;
    if (skipped > limits.minBombBytes && skipped > limits.maxRatio * Math.max(raw, 1)) {
      throw ferryError('TOO_LARGE', 'limits.skippedZipBomb', { file: name, ratio: limits.maxRatio }, { file: name });
    }
  };
  // checked for every piece handed out, so it fires while a reader takes in one long token too (readers are linear)
  const bombCheck = (): void => {
    if (compression !== 'none' && out > limits.minBombBytes && out > limits.maxRatio * Math.max(raw, 1)) {
      throw ferryError('TOO_LARGE', 'limits.zipBomb', { file: name, ratio: limits.maxRatio, out, raw }, { file: name });
    }
  };

  // Plain files are read straight through. gzip and zip inflate through Node's native zlib (on the thread pool,
  // beside the parser: much faster than a JavaScript inflater) in a producer that fills `queue`; a zip is read as a
  // stream of local headers, every file entry in turn, each between a start and an end mark.
  const queue: Item[] = [];
  let producerError: unknown = null;
  let producerDone = compression === 'none';
  let closed = false;
  let wake: (() => void) | null = null;
  let room: (() => void) | null = null;
  const signal = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const push = (it: Item): void => {
    queue.push(it);
    signal();
  };
  let zip: ReturnType<typeof zipEntryStream> | null = null;
  if (compression !== 'none') {
    void (async () => {
      let gunzip: zlib.Gunzip | null = null;
      try {
        let gunzipEnded: Promise<void> = Promise.resolve();
        if (compression === 'gzip') {
          const z = zlib.createGunzip();
          gunzip = z;
          gunzipEnded = new Promise<void>((resolve) => {
            z.once('end', resolve);
            z.once('close', resolve);
          });
          z.on('data', (d: Buffer) => push(d));
          z.on('error', (e) => {
            producerError ??= badCompressed(name, compression, e);
            signal();
          });
        } else zip = zipEntryStream(name, { start: (n) => push({ start: n }), data: push, end: () => push(ENTRY_END), skipped: skippedCheck });
        for await (const c of rawStream as AsyncIterable<Buffer>) {
          hash.update(c);
          raw += c.length;
          if (producerError || closed) break;
          if (zip) await zip.feed(c);
          else if (gunzip && !gunzip.write(c)) await new Promise<void>((r) => gunzip!.once('drain', () => r()));
          // let the consumer catch up: at most a few chunks wait (plus what one raw chunk inflates to)
          while (queue.length > 16 && !closed && !producerError) await new Promise<void>((r) => (room = r));
        }
        if (closed) return;
        if (zip) zip.finish();
        else if (gunzip && !producerError) {
          gunzip.end();
          await gunzipEnded;
        }
      } catch (e) {
        producerError ??= e;
      } finally {
        gunzip?.destroy();
        zip?.destroy();
        producerDone = true;
        signal();
      }
    })();
  }
  /** The next item from the producer; null once it is done and everything was taken. Its error after what came before. */
  const take = async (): Promise<Item | null> => {
    for (;;) {
      if (queue.length) {
        const it = queue.shift()!;
        if (queue.length <= 8 && room) {
          const r = room;
          room = null;
          r();
        }
        return it;
      }
      if (producerError) throw producerError;
      if (producerDone) return null;
      await new Promise<void>((r) => (wake = r));
    }
  };
  let peeked: Item | null | undefined;
  const pull = async (): Promise<Item | null> => {
    if (peeked !== undefined) {
      const p = peeked;
      peeked = undefined;
      return p;
    }
    return take();
  };

  /** The decompressed bytes of one entry (the whole content for plain and gzip files). */
  async function* entryData(state: { over: boolean }): AsyncGenerator<Buffer> {
    if (compression === 'none') {
      for await (const c of rawStream as AsyncIterable<Buffer>) {
        hash.update(c);
        raw += c.length;
        out += c.length;
        yield c;
      }
      state.over = true;
      return;
    }
    while (!state.over) {
      const it = await pull();
      if (it === null) break;
      if (Buffer.isBuffer(it)) {
        out += it.length;
        bombCheck();
        yield it;
        continue;
      }
      state.over = true;
      // after an entry's end, wait for what follows (the next entry's start, or the end of the archive: then the
      // sha256 is complete when the last entry has been read)
      if ('end' in it) peeked = await take();
      else peeked = it;
      return;
    }
    state.over = true;
  }
  /** Reads through (and throws away) what is left of an entry. */
  const skipRest = async (state: { over: boolean }): Promise<void> => {
    for await (const _ of entryData(state)) {
      /* counted against the zip bomb limit in entryData */
    }
  };

  async function openEntry(entryName: string | null): Promise<OpenedInput> {
    const state = { over: false };
    const gen = entryData(state);
    const headChunks: Buffer[] = [];
    let headLen = 0;
    let exhausted = false;
    while (headLen < HEAD_BYTES) {
      const r = await gen.next();
      if (r.done) {
        exhausted = true;
        break;
      }
      headChunks.push(r.value);
      headLen += r.value.length;
    }
    const headAll = Buffer.concat(headChunks);
    let used = false;
    return {
      path: file,
      name,
      label: entryName !== null ? `${name} › ${entryName}` : name,
      size: stat.size,
      compression,
      entryName,
      head: headAll.subarray(0, HEAD_BYTES),
      chunks() {
        if (used) throw new Error('input already consumed');
        used = true;
        return (async function* () {
          if (headAll.length) yield headAll;
          if (!exhausted) yield* gen;
        })();
      },
      async next() {
        if (compression !== 'zip') return null;
        await skipRest(state);
        const it = await pull();
        if (it === null) return null;
        if (Buffer.isBuffer(it) || !('start' in it)) throw new Error('zip entries out of order');
        return openEntry(it.start);
      },
      rawBytesRead: () => raw,
      sha256: () => hash.copy().digest('hex'),
      close,
    };
  }
  const close = (): void => {
    closed = true;
    const r = room;
    room = null;
    r?.();
    rawStream.destroy();
  };

  try {
    let entryName: string | null = null;
    if (compression === 'zip') {
      const it = await pull();
      // the producer refuses an archive without a file entry; anything else would be a bug
      if (it === null || Buffer.isBuffer(it) || !('start' in it)) throw ferryError('BAD_FILE', 'zip.noFile', { file: name }, { file: name });
      entryName = it.start;
    }
    const first = await openEntry(entryName);
    const office = officeDocument(name, entryName, first.head);
    if (office) throw ferryError('BAD_FILE', office, { file: name }, { file: name });
    if (first.head.length === 0 && compression !== 'zip') {
      throw ferryError('BAD_FILE', compression !== 'none' ? 'file.emptyDecompressed' : 'file.empty', { file: name }, { file: name });
    }
    return first;
  } catch (e) {
    close();
    throw e;
  }
}

/**
 * Office documents are zip archives too (xlsx, docx: `[Content_Types].xml` first; ods, odt: `mimetype` first). Their
 * XML parts must not be taken for DHIS2 files inside a zip: say what the file is instead.
 */
function officeDocument(name: string, firstEntry: string | null, head: Buffer): 'file.spreadsheet' | 'file.officeDocument' | null {
  const ooxml = firstEntry === '[Content_Types].xml';
  const odf = firstEntry === 'mimetype' && head.subarray(0, 64).toString('latin1').startsWith('application/vnd.oasis.opendocument');
  if (!ooxml && !odf) return null;
  const sheet = /\.(xlsx|xlsm|ods)$/i.test(name) || head.toString('latin1').includes('spreadsheet');
  return sheet ? 'file.spreadsheet' : 'file.officeDocument';
}

/** What the producer hands the consumer: decompressed bytes, and for a zip the start and end of each entry. */
type Item = Buffer | { start: string } | { end: true };
const ENTRY_END: Item = { end: true };

function badCompressed(name: string, kind: string, e: unknown): AppError {
  const msg = e instanceof Error ? e.message : String(e);
  return ferryError('BAD_FILE', 'file.compressedDamaged', { file: name, kind, detail: msg }, { file: name });
}

/** Reads the whole file once for its sha256 (used only where a format cannot stream, e.g. .mdb). */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const c of fs.createReadStream(file)) hash.update(c as Buffer);
  return hash.digest('hex');
}

/**
 * Reads a zip archive's local headers as the bytes stream by and hands out every file entry in turn: its name
 * (`start`), its decompressed bytes (`data`) and its end (`end`). Directory entries (a name ending in "/") and
 * __MACOSX/ entries are skipped by name, whatever their flags. A stored entry ends after the size its header gives; a
 * deflated one where its deflate stream ends (the inflater says so: the bytes it did not take are the data
 * descriptor, if any, and the next header), so an entry written with a data descriptor (general purpose flag bit 3:
 * the sizes follow the data) is read too.
 *
 * A skipped entry written with a data descriptor is read to its end to find the next header: a deflated one through
 * an inflater (its output is thrown away but counts against the zip bomb limit, `skipped`), any other by scanning for
 * its data descriptor: a descriptor whose compressed size equals the bytes scanned (for a stored entry also its
 * uncompressed size and crc32), followed by the next header's signature.
 */
function zipEntryStream(
  fileName: string,
  ev: { start: (name: string) => void; data: (b: Buffer) => void; end: () => void; skipped: (n: number) => void },
) {
  let header: Buffer = Buffer.alloc(0);
  let state: 'header' | 'skip' | 'skip-inflate' | 'skip-scan' | 'descriptor' | 'stored' | 'inflate' | 'after' = 'header';
  let skipLeft = 0;
  let storedLeft = 0;
  /** file entries found and read to their end; whether the entry being read has a data descriptor, and its name */
  let entries = 0;
  let done = 0;
  let current = '';
  let withDescriptor = false;
  // the skipped entry with a data descriptor: its method, whether its sizes are 8 bytes (zip64)
  let skipMethod = 0;
  let zip64 = false;
  // an inflating entry (read or skipped): the inflater, bytes written to it, a promise of its end, its error
  let inflater: { z: zlib.InflateRaw; written: number; ended: Promise<void> } | null = null;
  let inflateError: unknown = null;
  // skip-scan: the last bytes scanned (a descriptor and the next signature may straddle chunks) and the bytes before them
  let scanTail: Buffer = Buffer.alloc(0);
  let scanned = 0;
  let scannedCrc = 0; // crc32 of those bytes
  type Why = { why: 'entryDataDamaged' | 'dataDamaged' | 'noLocalHeader' | 'firstEntryMethod' | 'endsInFirstHeader' | 'endsInEntry' | 'endsInEntryHeader' } & Record<string, string | number>;
  const truncated = (why: Why): AppError => ferryError('BAD_FILE', 'zip.truncated', { file: fileName, ...why }, { file: fileName });
  /** damaged content: before any entry was read whole, the file is rather not a zip archive at all */
  const bad = (why: Why): AppError => (done ? truncated(why) : ferryError('BAD_FILE', 'zip.notZip', { file: fileName, ...why }, { file: fileName }));
  const noFile = (): AppError => ferryError('BAD_FILE', 'zip.noFile', { file: fileName }, { file: fileName });

  /**
   * Writes b to the inflater of the current entry, its output to `out`; returns the bytes after its deflate stream
   * once all its output has been handed out, or null (more needed).
   */
  const inflate = async (b: Buffer, out: (d: Buffer) => void): Promise<Buffer | null> => {
    if (!inflater) {
      const z = zlib.createInflateRaw();
      const ended = new Promise<void>((resolve) => {
        z.once('end', resolve);
        z.once('close', resolve);
      });
      z.on('data', (d: Buffer) => {
        try {
          out(d);
        } catch (e) {
          inflateError ??= e;
          z.destroy();
        }
      });
      z.on('error', (e) => void (inflateError ??= bad(current ? { why: 'entryDataDamaged', entry: current, detail: e.message } : { why: 'dataDamaged', detail: e.message })));
      inflater = { z, written: 0, ended };
    }
    const cur = inflater;
    // the write's callback, or the inflater's end or close (after an error the callback may never come)
    await Promise.race([
      new Promise<void>((resolve) => {
        if (cur.z.destroyed) resolve();
        else cur.z.write(b, () => resolve());
      }),
      cur.ended,
    ]);
    if (inflateError) throw inflateError;
    cur.written += b.length;
    const unused = cur.written - cur.z.bytesWritten;
    if (unused <= 0) return null;
    // the deflate stream ended inside b: the inflater ends by itself, after its last output
    await cur.ended;
    if (inflateError) throw inflateError;
    cur.z.destroy();
    inflater = null;
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
    async feed(chunk: Buffer): Promise<void> {
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
        if (state === 'skip-inflate' || state === 'inflate') {
          const rest = await inflate(b, state === 'inflate' ? ev.data : (d) => ev.skipped(d.length));
          if (rest === null) break;
          b = rest;
          if (state === 'inflate') {
            done++;
            ev.end();
          }
          state = state === 'skip-inflate' || withDescriptor ? 'descriptor' : 'header';
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
          // after a deflate stream: [signature] crc32, compressed size, uncompressed size
          header = header.length ? Buffer.concat([header, b]) : b;
          if (header.length < 4) break;
          const need = (header.readUInt32LE(0) === SIG_DESCRIPTOR ? 8 : 4) + (zip64 ? 16 : 8);
          if (header.length < need) break;
          b = header.subarray(need);
          header = Buffer.alloc(0);
          state = 'header';
          continue;
        }
        if (state === 'stored') {
          const n = Math.min(storedLeft, b.length);
          if (n) ev.data(b.subarray(0, n));
          storedLeft -= n;
          b = b.subarray(n);
          if (storedLeft === 0) {
            done++;
            ev.end();
            state = 'header';
          }
          continue;
        }
        header = header.length ? Buffer.concat([header, b]) : b;
        if (header.length < 30) break;
        const sig = header.readUInt32LE(0);
        if (sig === SIG_CENTRAL || sig === SIG_END) {
          // the central directory: every entry has been read
          if (!entries) throw noFile();
          state = 'after';
          header = Buffer.alloc(0);
          break;
        }
        if (sig !== SIG_LOCAL) throw bad({ why: 'noLocalHeader' });
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
        if (flags & 1) throw ferryError('UNSUPPORTED', 'zip.encrypted', { file: fileName, entry: name }, { file: fileName });
        if (skippable) {
          current = name;
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
        if (m !== 0 && m !== 8) {
          if (!entries) throw bad({ why: 'firstEntryMethod', entry: name, method: m });
          throw ferryError('UNSUPPORTED', 'zip.unknownMethod', { file: fileName, entry: name, method: m }, { file: fileName });
        }
        if (m === 0 && flags & 8) throw ferryError('UNSUPPORTED', 'zip.storedWithoutSize', { file: fileName, entry: name }, { file: fileName });
        entries++;
        current = name;
        withDescriptor = (flags & 8) !== 0;
        ev.start(name);
        if (m === 8) state = 'inflate';
        else {
          storedLeft = compSize;
          state = 'stored';
          if (compSize === 0) {
            done++;
            ev.end();
            state = 'header';
          }
        }
      }
    },
    finish(): void {
      this.destroy();
      if (state === 'header' && !entries) {
        if (header.length >= 4 && header.readUInt32LE(0) === SIG_END) throw noFile();
        throw header.length ? bad({ why: 'endsInFirstHeader' }) : noFile();
      }
      if (state !== 'after' && state !== 'header') throw truncated({ why: 'endsInEntry' });
      if (state === 'header' && header.length) throw truncated({ why: 'endsInEntryHeader' });
    },
    destroy(): void {
      (inflater as { z: zlib.InflateRaw } | null)?.z.destroy();
      inflater = null;
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
