/**
 * What a database file is, read with plain file reads — no SQLite connection, so nothing is written: not the file,
 * not its journal mode, no -wal or -shm beside it (a read-only SQLite connection to a WAL database creates both and
 * leaves them behind). openDb decides from these facts whether Ferry may open, migrate or must refuse the file.
 *
 * The SQLite file format (https://sqlite.org/fileformat2.html): a 100-byte header (page size at 16, journal mode at
 * 18/19, user_version at 60, application_id at 68), then page 1 holds the root of the sqlite_schema table b-tree, whose
 * rows start with (type, name). Only table b-tree pages are walked and only those two leading columns are decoded.
 */
import fs from 'node:fs';

export const SQLITE_MAGIC = 'SQLite format 3\u0000';

export interface DbFileFacts {
  state: 'missing' | 'directory' | 'empty' | 'not-sqlite' | 'sqlite';
  size: number;
  pageSize: number;
  /** 'wal' when the header's read/write versions are 2 */
  journal: 'wal' | 'rollback' | null;
  userVersion: number;
  applicationId: number;
  /** names of the user tables (not sqlite_*); null when the schema could not be read from the file alone */
  tables: string[] | null;
  /** a non-empty -wal file lies beside it: the header and schema in the main file may not be the latest */
  walPending: boolean;
}

const NONE: Omit<DbFileFacts, 'state' | 'size'> = {
  pageSize: 0,
  journal: null,
  userVersion: 0,
  applicationId: 0,
  tables: null,
  walPending: false,
};

/** Facts about `file` from its bytes. Throws only on I/O errors other than "does not exist". */
export function inspectDbFile(file: string): DbFileFacts {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing', size: 0, ...NONE };
    throw e;
  }
  if (st.isDirectory()) return { state: 'directory', size: 0, ...NONE };
  if (st.size === 0) return { state: 'empty', size: 0, ...NONE, walPending: walPending(file) };
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(100);
    const n = fs.readSync(fd, head, 0, 100, 0);
    if (n < 100 || head.toString('latin1', 0, 16) !== SQLITE_MAGIC) return { state: 'not-sqlite', size: st.size, ...NONE };
    const raw = head.readUInt16BE(16);
    const pageSize = raw === 1 ? 65536 : raw;
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return { state: 'not-sqlite', size: st.size, ...NONE };
    const facts: DbFileFacts = {
      state: 'sqlite',
      size: st.size,
      pageSize,
      journal: head[18] === 2 && head[19] === 2 ? 'wal' : 'rollback',
      userVersion: head.readInt32BE(60),
      applicationId: head.readInt32BE(68),
      tables: null,
      walPending: walPending(file),
    };
    try {
      facts.tables = schemaRows(fd, pageSize, pageSize - head[20]!, st.size)
        .filter((r) => r.type === 'table' && !r.name.startsWith('sqlite_'))
        .map((r) => r.name);
    } catch {
      facts.tables = null; // a damaged or unusual schema b-tree: the caller asks SQLite instead
    }
    return facts;
  } finally {
    fs.closeSync(fd);
  }
}

function walPending(file: string): boolean {
  try {
    return fs.statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}

class Malformed extends Error {}

/** (type, name) of every row of sqlite_schema, walking its table b-tree from page 1. */
export function schemaRows(fd: number, pageSize: number, usable: number, fileSize: number): { type: string; name: string }[] {
  const pages = Math.floor(fileSize / pageSize);
  const out: { type: string; name: string }[] = [];
  const seen = new Set<number>();
  const buf = Buffer.alloc(pageSize);
  const visit = (pgno: number, depth: number): void => {
    if (pgno < 1 || pgno > pages || seen.has(pgno) || depth > 20 || seen.size > 10000) throw new Malformed(`page ${pgno}`);
    seen.add(pgno);
    if (fs.readSync(fd, buf, 0, pageSize, (pgno - 1) * pageSize) !== pageSize) throw new Malformed('short read');
    const page = Buffer.from(buf); // the recursion reuses buf
    const h = pgno === 1 ? 100 : 0;
    const type = page[h];
    const cells = page.readUInt16BE(h + 3);
    if (type === 0x05) {
      for (let i = 0; i < cells; i++) visit(page.readUInt32BE(cellAt(page, h + 12, i, usable)), depth + 1);
      visit(page.readUInt32BE(h + 8), depth + 1);
    } else if (type === 0x0d) {
      for (let i = 0; i < cells; i++) out.push(leafRow(page, cellAt(page, h + 8, i, usable), usable));
    } else throw new Malformed(`page type ${type}`);
  };
  visit(1, 0);
  return out;
}

function cellAt(page: Buffer, ptrs: number, i: number, usable: number): number {
  const at = page.readUInt16BE(ptrs + 2 * i);
  if (at < ptrs || at >= usable) throw new Malformed('cell pointer');
  return at;
}

function varint(b: Buffer, at: number): [value: number, next: number] {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    const byte = b[at + i];
    if (byte === undefined) throw new Malformed('varint');
    if (i === 8) return [v * 256 + byte, at + 9];
    v = v * 128 + (byte & 0x7f);
    if (byte < 0x80) return [v, at + i + 1];
  }
  throw new Malformed('varint');
}

/** The first two columns (type, name) of a sqlite_schema leaf cell, from its local payload. */
function leafRow(page: Buffer, cell: number, usable: number): { type: string; name: string } {
  const [payload, p1] = varint(page, cell);
  const [, start] = varint(page, p1); // rowid
  const maxLocal = usable - 35;
  let local = payload;
  if (payload > maxLocal) {
    const minLocal = Math.floor(((usable - 12) * 32) / 255) - 23;
    const k = minLocal + ((payload - minLocal) % (usable - 4));
    local = k <= maxLocal ? k : minLocal;
  }
  const end = Math.min(start + local, usable);
  const [headerSize, h1] = varint(page, start);
  const [t1, h2] = varint(page, h1);
  const [t2] = varint(page, h2);
  const text = (serial: number, at: number): [string, number] => {
    if (serial < 13 || serial % 2 === 0) throw new Malformed('schema column is not text');
    const len = (serial - 13) / 2;
    if (at + len > end) throw new Malformed('schema row overflows its page');
    return [page.toString('utf8', at, at + len), at + len];
  };
  const [type, a2] = text(t1, start + headerSize);
  const [name] = text(t2, a2);
  return { type, name };
}
