/**
 * The transfer package's zip (src-shared/transfer.ts): several entries written one after the other by the shared
 * streaming zip writer (io/zip-entries.ts), each with its CRC-32 and the sha256 of its uncompressed bytes computed as
 * the bytes go by — nothing of an entry is held in memory beyond one batch. The file is written as `<file>.part`; the send reads it back with
 * the receiver's own verifyPackage (package-reader.ts), and only then is it renamed into place (`commitPart`). abort() deletes the part file.
 *
 * Entries use data descriptors (general purpose bit 3: sizes and CRC after the data) and UTF-8 names (bit 11), as the
 * export zips do; no zip64 — an entry or file past 4 GB is refused rather than written broken.
 */
import fs from 'node:fs';
import crypto from 'node:crypto';
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
