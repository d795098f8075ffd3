/**
 * Reading a transfer package (issue 13, receive side): the whole package is verified before anything is written — the
 * zip's structure (end of central directory, central directory, every local header and data descriptor, entries back
 * to back), the manifest (present, last, valid, its CRC-32), every other entry's size and sha256 against the zip and the
 * manifest, no entry missing or extra. Entries are
 * read from the file one piece at a time (never the whole package in memory); `entryChunks` streams one entry again for
 * the import and checks its sha256 once more at its end (a file changed between the check and the import).
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { z } from 'zod';
import { AppError } from '../../src-shared/errors.ts';
import type { ErrorKey, ErrorParams } from '../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import { MANIFEST_ENTRY, PACKAGE_FORMAT, type TransferManifest } from '../../src-shared/transfer.ts';

/** the manifest is read into memory: its control totals grow with org units × data sets × periods, not with values */
const MAX_MANIFEST = 256 * 1024 * 1024;
const READ = 256 * 1024;

const siteRef = z.object({ id: z.string().min(1), name: z.string(), orgUnit: z.string().nullable().optional() });
const manifestSchema = z.object({
  format: z.literal(PACKAGE_FORMAT),
  formatVersion: z.number().int().positive(),
  packageId: z.string().min(1),
  from: siteRef,
  to: siteRef,
  sequence: z.number().int().positive(),
  changes: z.object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() }),
  createdAt: z.string(),
  ferryVersion: z.string(),
  entries: z.array(
    z.object({
      name: z.string().min(1),
      content: z.enum(['dataValues', 'events', 'metadata']),
      size: z.number().int().nonnegative(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
  counts: z.object({ values: z.number().int().nonnegative(), deletions: z.number().int().nonnegative(), events: z.number().int().nonnegative(), metadataObjects: z.number().int().nonnegative() }),
  controlTotals: z.array(
    z.object({ orgUnit: z.string(), dataSet: z.string().nullable(), period: z.string(), values: z.number().int().nonnegative(), sum: z.number() }),
  ),
});

/** One zip entry as the central directory gives it. */
export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** where its compressed bytes start (after the local header) */
  dataOffset: number;
}

export interface VerifiedPackage {
  file: string;
  fileName: string;
  /** bytes of the package file */
  bytes: number;
  /** sha256 of the whole package file */
  sha256: string;
  manifest: TransferManifest;
  entries: ZipEntry[];
}

/** How a refusal is reported: BAD_FILE (exit 2), with the file and the entry when one is at fault. */
function refuse(fileName: string, reason: RefusalReason, params: ErrorParams = {}, entry?: string): AppError {
  return ferryError('BAD_FILE', 'transfer.refused', { file: fileName, reason, ...params }, { file: fileName, ...(entry ? { entry } : {}) });
}

/** why a package is refused: a key of the errors catalogue under transfer.refusal. */
type RefusalReason = ErrorKey extends infer K ? (K extends `transfer.refusal.${infer R}` ? R : never) : never;

function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = fs.readSync(fd, b, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return b.subarray(0, got);
}

/** A local header whose sizes are 0xffffffff (zip64: the real ones are in its extra field). */
function zip64Sizes(lh: Buffer): boolean {
  return lh.readUInt32LE(18) === 0xffffffff && lh.readUInt32LE(22) === 0xffffffff;
}

/** The central directory of a zip file (zip64 sizes and offsets understood); throws BAD_FILE naming what is wrong. */
export function readCentralDirectory(file: string): { entries: ZipEntry[]; bytes: number } {
  try {
    return centralDirectory(file);
  } catch (e) {
    // a damaged length can send a read past what was read: that is a damaged zip too
    if (e instanceof RangeError) throw refuse(path.basename(file), 'outsideFile', { detail: e.message });
    throw e;
  }
}

function centralDirectory(file: string): { entries: ZipEntry[]; bytes: number } {
  const fileName = path.basename(file);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    throw ferryError('FILE_NOT_FOUND', 'file.notFound', { file: fileName, path: file }, { file: fileName });
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size < 22) throw refuse(fileName, 'notZip');
    const tailLen = Math.min(size, 22 + 65535);
    const tail = readAt(fd, size - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw refuse(fileName, 'noEnd');
    if (tail.readUInt16LE(eocd + 4) !== 0 || tail.readUInt16LE(eocd + 6) !== 0 || tail.readUInt16LE(eocd + 8) !== tail.readUInt16LE(eocd + 10) || eocd + 22 + tail.readUInt16LE(eocd + 20) !== tail.length) {
      throw refuse(fileName, 'endRecord', { at: size - tailLen + eocd });
    }
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
      // zip64: the locator sits right before the end record
      const loc = eocd - 20;
      if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) throw refuse(fileName, 'zip64Locator');
      const z64pos = Number(tail.readBigUInt64LE(loc + 8));
      const z64 = readAt(fd, z64pos, 56);
      if (z64.length < 56 || z64.readUInt32LE(0) !== 0x06064b50) throw refuse(fileName, 'zip64End', { at: z64pos });
      count = Number(z64.readBigUInt64LE(32));
      cdSize = Number(z64.readBigUInt64LE(40));
      cdOffset = Number(z64.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > size) throw refuse(fileName, 'directoryPastEnd', { at: cdOffset });
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    let expectedAt = 0;
    let firstAttrs: Buffer | null = null;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw refuse(fileName, 'directoryEntry', { at: cdOffset + p, n: i + 1 });
      const method = cd.readUInt16LE(p + 10);
      const crc = cd.readUInt32LE(p + 16);
      let csize = cd.readUInt32LE(p + 20);
      let usize = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      let local = cd.readUInt32LE(p + 42);
      const name = cd.subarray(p + 46, p + 46 + nameLen).toString('utf8');
      const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
      if (usize === 0xffffffff || csize === 0xffffffff || local === 0xffffffff) {
        for (let e = 0; e + 4 <= extra.length; ) {
          const id = extra.readUInt16LE(e);
          const len = extra.readUInt16LE(e + 2);
          if (id === 0x0001) {
            let q = e + 4;
            if (usize === 0xffffffff) (usize = Number(extra.readBigUInt64LE(q)), (q += 8));
            if (csize === 0xffffffff) (csize = Number(extra.readBigUInt64LE(q)), (q += 8));
            if (local === 0xffffffff) local = Number(extra.readBigUInt64LE(q));
          }
          e += 4 + len;
        }
      }
      const at = cdOffset + p;
      const flags = cd.readUInt16LE(p + 8);
      if (commentLen !== 0 || cd.readUInt16LE(p + 34) !== 0) throw refuse(fileName, 'directoryEntryOf', { at, name }, name);
      const central = cd.subarray(p, p + 46);
      // the fields no other part of the zip repeats (version made by, internal and external attributes): one writer
      // makes every entry of a package, so they are the same in all entries — a flipped byte there shows as a difference
      const attrs = Buffer.concat([central.subarray(4, 6), central.subarray(36, 42)]);
      if (firstAttrs && !attrs.equals(firstAttrs)) throw refuse(fileName, 'directoryEntryDiffers', { at, name }, name);
      firstAttrs ??= attrs;
      p += 46 + nameLen + extraLen + commentLen;
      const lh = readAt(fd, local, 30);
      if (lh.length < 30 || lh.readUInt32LE(0) !== 0x04034b50) throw refuse(fileName, 'localHeader', { at: local, name }, name);
      const localNameLen = lh.readUInt16LE(26);
      const localExtraLen = lh.readUInt16LE(28);
      const dataOffset = local + 30 + localNameLen + localExtraLen;
      const localName = readAt(fd, local + 30, localNameLen).toString('utf8');
      if (localName !== name) throw refuse(fileName, 'localHeaderName', { at: local, local: JSON.stringify(localName), name: JSON.stringify(name) }, name);
      // the local header repeats the directory's version, flags, method, time and date, and (unless a data descriptor
      // follows the data: flag bit 3) its CRC and sizes: any difference is a changed byte
      const descriptor = (flags & 0x08) !== 0;
      const same = (lo: number, co: number, n: number): boolean => lh.subarray(lo, lo + n).equals(central.subarray(co, co + n));
      const zeroOrSame = (lo: number, co: number): boolean => same(lo, co, 4) || lh.readUInt32LE(lo) === 0 || (lh.readUInt32LE(lo) === 0xffffffff && co !== 16);
      const headerOk =
        same(4, 6, 2) && same(6, 8, 2) && same(8, 10, 2) && same(10, 12, 2) && same(12, 14, 2) &&
        (descriptor ? zeroOrSame(14, 16) && zeroOrSame(18, 20) && zeroOrSame(22, 24) : same(14, 16, 4) && (same(18, 20, 4) || zip64Sizes(lh)) && (same(22, 24, 4) || zip64Sizes(lh)));
      if (!headerOk) throw refuse(fileName, 'localHeaderDiffers', { at: local, name }, name);
      if (localExtraLen === extraLen && !readAt(fd, local + 30 + localNameLen, localExtraLen).equals(extra)) {
        throw refuse(fileName, 'localHeader', { at: local + 30 + localNameLen, name }, name);
      }
      // entries lie back to back: each starts where the previous one (with its data descriptor) ended
      if (local !== expectedAt) throw refuse(fileName, 'outOfPlace', { at: Math.min(local, expectedAt), name }, name);
      let end = dataOffset + csize;
      if (descriptor) {
        const d = readAt(fd, end, 24);
        let q = d.readUInt32LE(0) === 0x08074b50 ? 4 : 0;
        const big = csize >= 0xffffffff || usize >= 0xffffffff;
        const dCrc = d.readUInt32LE(q);
        const dC = big ? Number(d.readBigUInt64LE(q + 4)) : d.readUInt32LE(q + 4);
        const dU = big ? Number(d.readBigUInt64LE(q + 12)) : d.readUInt32LE(q + 8);
        q += big ? 20 : 12;
        if (dCrc !== crc || dC !== csize || dU !== usize) throw refuse(fileName, 'descriptorDiffers', { at: end, name }, name);
        end += q;
      }
      expectedAt = end;
      entries.push({ name, method, crc32: crc, compressedSize: csize, size: usize, localOffset: local, dataOffset });
    }
    if (p !== cd.length) throw refuse(fileName, 'directorySize', { at: cdOffset + p });
    if (expectedAt !== cdOffset) throw refuse(fileName, 'bytesBeforeDirectory', { at: expectedAt });
    return { entries, bytes: size };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The uncompressed bytes of one entry, streamed from the file, with its size, CRC-32 and sha256 checked at the end
 * against the zip (and `expectSha256` when given). Throws BAD_FILE naming the entry.
 */
export async function* entryChunks(file: string, entry: ZipEntry, expectSha256?: string): AsyncGenerator<Buffer> {
  const fileName = path.basename(file);
  const raw = fs.createReadStream(file, { start: entry.dataOffset, end: entry.dataOffset + entry.compressedSize - 1, highWaterMark: READ });
  const hash = crypto.createHash('sha256');
  let crc = 0;
  let size = 0;
  const take = (b: Buffer): Buffer => {
    hash.update(b);
    // the CRC-32 is computed only where no sha256 is expected (the manifest): an entry whose sha256 matches has the
    // bytes its CRC-32 stands for, and a changed CRC field shows as a difference between the directory and the local
    // header or data descriptor (readCentralDirectory)
    if (expectSha256 === undefined) crc = zlib.crc32(b, crc);
    size += b.length;
    if (size > entry.size) throw refuse(fileName, 'entryTooLong', { name: entry.name, size: entry.size }, entry.name);
    return b;
  };
  try {
    if (entry.method === 0) {
      for await (const c of raw as AsyncIterable<Buffer>) yield take(c);
    } else {
      const inflate = zlib.createInflateRaw();
      raw.on('error', (e) => inflate.destroy(e));
      try {
        for await (const d of raw.pipe(inflate) as AsyncIterable<Buffer>) yield take(d);
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw refuse(fileName, 'inflate', { name: entry.name, at: entry.dataOffset, detail: (e as Error).message }, entry.name);
      } finally {
        inflate.destroy();
      }
    }
  } finally {
    raw.destroy();
  }
  if (expectSha256 !== undefined && hash.digest('hex') !== expectSha256) throw refuse(fileName, 'sha256', { name: entry.name }, entry.name);
  if (size !== entry.size) throw refuse(fileName, 'entrySize', { name: entry.name, got: size, size: entry.size }, entry.name);
  if (expectSha256 === undefined && crc >>> 0 !== entry.crc32 >>> 0) throw refuse(fileName, 'crc', { name: entry.name }, entry.name);
}

async function entryBytes(file: string, entry: ZipEntry, limit: number): Promise<Buffer> {
  if (entry.size > limit) throw refuse(path.basename(file), 'entryTooLarge', { name: entry.name, limit }, entry.name);
  const parts: Buffer[] = [];
  for await (const c of entryChunks(file, entry)) parts.push(c);
  return Buffer.concat(parts);
}

/** Reads and checks the manifest only (the zip's directory and the manifest entry): what a package says it holds. */
export async function readManifest(file: string): Promise<{ manifest: TransferManifest; entries: ZipEntry[]; bytes: number }> {
  const fileName = path.basename(file);
  const { entries, bytes } = readCentralDirectory(file);
  const m = entries.find((e) => e.name === MANIFEST_ENTRY);
  if (!m) throw refuse(fileName, 'noManifest', { manifest: MANIFEST_ENTRY }, MANIFEST_ENTRY);
  if (entries[entries.length - 1] !== m) throw refuse(fileName, 'manifestNotLast', { manifest: MANIFEST_ENTRY }, MANIFEST_ENTRY);
  const text = (await entryBytes(file, m, MAX_MANIFEST)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw refuse(fileName, 'manifestJson', { manifest: MANIFEST_ENTRY, detail: (e as Error).message }, MANIFEST_ENTRY);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refuse(fileName, 'manifestInvalid', { manifest: MANIFEST_ENTRY, detail: `${issue.path.join('.') || 'root'}: ${issue.message}` }, MANIFEST_ENTRY);
  }
  return { manifest: parsed.data as TransferManifest, entries, bytes };
}

/**
 * Verifies a whole package before anything is written; throws BAD_FILE naming the entry at fault. `onBytes` reports
 * the uncompressed bytes checked so far (progress).
 */
export async function verifyPackage(file: string, onBytes?: (done: number, total: number) => void): Promise<VerifiedPackage> {
  const fileName = path.basename(file);
  const { manifest, entries, bytes } = await readManifest(file);
  const listed = new Map(manifest.entries.map((e) => [e.name, e]));
  const content = entries.filter((e) => e.name !== MANIFEST_ENTRY);
  for (const e of content) if (!listed.has(e.name)) throw refuse(fileName, 'notListed', { name: e.name }, e.name);
  for (const e of manifest.entries) if (!content.some((c) => c.name === e.name)) throw refuse(fileName, 'missing', { name: e.name }, e.name);
  if (new Set(content.map((e) => e.name)).size !== content.length) throw refuse(fileName, 'twice');
  const total = content.reduce((s, e) => s + e.size, 0);
  let done = 0;
  for (const e of content) {
    const m = listed.get(e.name)!;
    if (m.size !== e.size) throw refuse(fileName, 'sizeMismatch', { name: e.name, got: e.size, size: m.size }, e.name);
    for await (const c of entryChunks(file, e, m.sha256)) {
      done += c.length;
      onBytes?.(done, total);
    }
  }
  const dv = manifest.entries.find((e) => e.content === 'dataValues');
  if (dv && content[0]?.name !== dv.name) throw refuse(fileName, 'dataNotFirst', { name: dv.name }, dv.name);
  return { file, fileName, bytes, sha256: await sha256Of(file), manifest, entries };
}

async function sha256Of(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const c of fs.createReadStream(file, { highWaterMark: READ }) as AsyncIterable<Buffer>) h.update(c);
  return h.digest('hex');
}

/**
 * Whether a file is a Ferry transfer package: a zip whose central directory, at its end, names the manifest entry.
 * Only the file's first 4 bytes and last 64 KB are read (the manifest is the package's last entry).
 */
export function isTransferPackage(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(4);
    if (fs.readSync(fd, head, 0, 4, 0) < 4 || head.readUInt32LE(0) !== 0x04034b50) return false;
    const size = fs.fstatSync(fd).size;
    const n = Math.min(size, 65536);
    const tail = Buffer.alloc(n);
    fs.readSync(fd, tail, 0, n, size - n);
    // a central directory header (PK\x01\x02) naming the manifest: its name starts 46 bytes after the signature
    const name = Buffer.from(MANIFEST_ENTRY);
    for (let i = tail.indexOf(name); i >= 0; i = tail.indexOf(name, i + 1)) {
      if (i >= 46 && tail.readUInt32LE(i - 46) === 0x02014b50 && tail.readUInt16LE(i - 18) === name.length) return true;
    }
    return false;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
