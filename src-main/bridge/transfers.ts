/**
 * Files in and out of a browser (the bridge of `ferry serve`, which has no native dialogs).
 *
 *  - In: the page streams a file the user chose or dropped (POST /api/upload?name=…, raw bytes, see server.ts) into
 *    its own folder under `dir`; the path is registered as picked to read (PathPolicy), so files:stat and
 *    import:start take it like a path from an open dialog. The body is piped to disk, never held in memory.
 *  - Out: `saveFile` (this door's "save dialog") names a file in its own folder under `dir` and the handler registers
 *    it as picked to write; after the export, files:downloadLink gives the page a link (GET /api/download/TICKET/NAME)
 *    from which the browser downloads it.
 *
 * `dir` belongs to one server: `ferry serve` puts it next to the database (not in the system temp folder, which is
 * often a RAM disk) and removes it when it stops.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { UploadedFile } from '../../src-shared/api/contract.ts';
import type { DialogPort, FileTransferPort, PathPolicy } from '../ipc/ports.ts';

/** Generous: a district's yearly data export is far below; the limit only stops a runaway upload filling the disk. */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
// control characters, characters Windows forbids in names, and bidirectional overrides (which disguise extensions)
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f<>:"/\\|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const MAX_NAME = 120;

/**
 * A file name safe to create in our folder on Windows and Linux: the last path segment only, no control or
 * reserved characters, no leading dots (hidden files, `..`), no trailing dots or spaces, not a device name, at most
 * 120 characters with its extensions (.csv.zip) kept.
 */
export function safeFileName(raw: string, fallback = 'upload'): string {
  let s = (raw.split(/[\\/]/).pop() ?? '').normalize('NFC').replace(UNSAFE, '_').trim();
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (!s || /^_*$/.test(s)) s = fallback;
  if (WINDOWS_DEVICE.test(s)) s = `_${s}`;
  if (s.length > MAX_NAME) {
    const ext = /(\.[A-Za-z0-9]{1,8}){1,2}$/.exec(s)?.[0] ?? '';
    s = s.slice(0, MAX_NAME - ext.length).replace(/[.\s]+$/, '') + ext;
  }
  return s;
}

export interface BrowserTransfersOptions {
  /** this server's folder (created, mode 0700); remove with dispose() */
  dir: string;
  /** the door's path policy: uploads become readable, save targets writable */
  paths: PathPolicy;
  maxUploadBytes?: number;
}

export class BrowserTransfers implements DialogPort, FileTransferPort {
  /** no dialog is shown: saveFile names a file here, which the browser downloads */
  readonly native = false;
  readonly dir: string;
  readonly maxUploadBytes: number;
  private readonly paths: PathPolicy;
  private slots = 0;
  /** download ticket → file, and back (one ticket per file) */
  private readonly tickets = new Map<string, string>();
  private readonly ticketOf = new Map<string, string>();
  private disposed = false;

  constructor(o: BrowserTransfersOptions) {
    this.dir = path.resolve(o.dir);
    this.paths = o.paths;
    this.maxUploadBytes = o.maxUploadBytes ?? MAX_UPLOAD_BYTES;
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** a browser has no open dialog: the page uploads instead (see receive) */
  async openFiles(): Promise<string[]> {
    return [];
  }

  /** where an export (or any file the page asks to save) goes before the browser downloads it */
  async saveFile(o: { defaultName: string }): Promise<string> {
    return path.join(this.slot('save'), safeFileName(o.defaultName, 'ferry-export'));
  }

  downloadLink(file: string): { url: string; name: string; size: number } {
    const target = path.resolve(file);
    let size: number;
    try {
      const st = fs.statSync(target);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      throw ferryError('FILE_NOT_FOUND', 'bridge.downloadGone', { file: path.basename(target) }, { file: target });
    }
    let ticket = this.ticketOf.get(target);
    if (!ticket) {
      ticket = randomBytes(24).toString('base64url');
      this.tickets.set(ticket, target);
      this.ticketOf.set(target, ticket);
    }
    const name = path.basename(target);
    return { url: `/api/download/${ticket}/${encodeURIComponent(name)}`, name, size };
  }

  /** the file a download ticket stands for (null: unknown ticket) */
  fileFor(ticket: string): string | null {
    return this.tickets.get(ticket) ?? null;
  }

  /**
   * Streams an upload to a new file in its own folder (backpressure all the way: memory stays flat whatever the
   * size), then lets the page read it. `declared`: the Content-Length, when sent (checked against the limit before
   * anything is written, and against what arrived). A failed or cut upload leaves no file.
   */
  async receive(body: Readable, name: string, declared: number | null): Promise<UploadedFile> {
    if (this.disposed) throw ferryError('BUSY', 'bridge.stopping');
    const max = this.maxUploadBytes;
    if (declared !== null && declared > max) throw ferryError('TOO_LARGE', 'bridge.uploadTooLarge', { file: safeFileName(name), limit: fmtLimit(max) });
    const safe = safeFileName(name);
    const file = path.join(this.slot('upload'), safe);
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > max) done(ferryError('TOO_LARGE', 'bridge.uploadTooLarge', { file: safe, limit: fmtLimit(max) }));
        else done(null, chunk);
      },
    });
    try {
      await pipeline(body, counter, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
      if (declared !== null && size !== declared) throw ferryError('BAD_REQUEST', 'bridge.uploadCut', { file: safe, size, declared });
    } catch (e) {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      if (e instanceof AppError) throw e;
      throw ferryError('BAD_REQUEST', 'bridge.uploadIncomplete', { file: safe, detail: (e as Error).message });
    }
    this.paths.pickedToRead([file]);
    return { path: file, name: safe, size };
  }

  /** Removes every uploaded and exported file (the server is stopping). */
  dispose(): void {
    this.disposed = true;
    this.tickets.clear();
    this.ticketOf.clear();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** a new folder per file: names never collide and keep what the user called the file */
  private slot(kind: 'upload' | 'save'): string {
    const d = path.join(this.dir, `${kind}-${++this.slots}`);
    fs.mkdirSync(d, { recursive: true, mode: 0o700 });
    return d;
  }
}

function fmtLimit(n: number): string {
  return n >= 1024 ** 3 ? `${n / 1024 ** 3} GB` : n >= 1024 ** 2 ? `${Math.round(n / 1024 ** 2)} MB` : `${n} bytes`;
}
