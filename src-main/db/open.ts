/**
 * Opening a site's database. Looks before it writes: what the file is (db/inspect.ts: plain reads, no SQLite
 * connection) decides whether Ferry may open it — a newer Ferry database, another program's SQLite file or a file that
 * is not SQLite is refused with not a byte written (journal mode, size and mtime unchanged, no -wal/-shm). Only a
 * Ferry database or an empty/new file is then opened read-write, switched to WAL and migrated.
 *
 * A database in a read-only place (a write-protected USB key, a CD, a read-only folder or file) cannot be opened by
 * SQLite directly: a WAL database needs its -shm, which cannot be created there (SQLITE_CANTOPEN); this better-sqlite3
 * build has URI filenames off, so `?immutable=1` is not available; locking_mode=EXCLUSIVE (no -shm) needs a write lock
 * a read-only file cannot take (SQLITE_IOERR_LOCK); a read-only connection in a writable folder leaves -wal and -shm
 * behind; and a dry run needs to write (it rolls back). openSite therefore
 * opens a private copy in the temp folder (the file and its -wal), refuses real imports (JobManager `readOnly`), and
 * deletes the copy on close: info, jobs, exports and dry runs work, the original is never opened for writing.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { migrate, type MigrationProgress } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { FERRY_APPLICATION_ID, FERRY_CORE_TABLES } from './migrations/application-id.ts';
import { inspectDbFile, type DbFileFacts } from './inspect.ts';
import { AppError, fromSqliteCode, type SerializedError } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** skip migrations (worker connections: the opener already migrated) */
  migrate?: boolean;
  /** how messages name the database (the user's path when `file` is a private copy of it) */
  displayName?: string;
  /** progress of a long schema upgrade (default: a line on stderr at most once a second) */
  onMigrationProgress?: MigrationProgress;
}

/** A long upgrade says what it does on stderr (the CLI's user and the app's log see it), at most once a second. */
function stderrProgress(name: string): MigrationProgress {
  const start = performance.now();
  let last = start;
  return (migration, done, total) => {
    const now = performance.now();
    if (now - start < 1000 || (now - last < 1000 && done < total)) return;
    last = now;
    process.stderr.write(`Ferry: upgrading the database ${name} (${migration}): ${Math.round((100 * done) / Math.max(total, 1))}%\n`);
  };
}

/** The newest schema this Ferry knows. */
export const LATEST_SCHEMA = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);

/**
 * Opens (creating and migrating if needed) a Ferry database read-write: WAL, synchronous=FULL, foreign keys, busy
 * timeout. Refuses, before writing anything, what is not Ferry's or is newer (see the file comment). A database in a
 * read-only place is refused with DB_READONLY and `details.readOnly: true` (openSite then opens a copy).
 */
export function openDb(file: string, opts: OpenOptions = {}): Db {
  if (file === ':memory:') return configure(new Database(':memory:'), opts, file);
  const abs = path.resolve(file);
  const name = opts.displayName ?? file;
  let facts = inspectDbFile(abs);
  const exists = facts.state !== 'missing';
  if (!exists) makeParent(abs, name);
  const readOnlyWhy = whyReadOnly(abs, exists);
  if (facts.state === 'sqlite' && (facts.walPending || facts.tables === null) && facts.applicationId !== FERRY_APPLICATION_ID) {
    // the file alone does not tell (a -wal holds newer pages, or the schema b-tree is unusual): ask SQLite
    if (readOnlyWhy) throw readOnlyError(name, readOnlyWhy);
    facts = askSqlite(abs, facts, name);
  } else if (facts.state === 'sqlite' && facts.walPending && readOnlyWhy) {
    throw readOnlyError(name, readOnlyWhy); // the header may be older than the -wal: judge the private copy
  }
  const verdict = recognise(facts, name);
  if (readOnlyWhy) {
    if (verdict === 'new') {
      throw ferryError('DB_READONLY', 'db.cannotCreate', { file: name, ...reasonParams(readOnlyWhy) }, {
        file: name,
        readOnly: false,
      });
    }
    throw readOnlyError(name, readOnlyWhy);
  }
  let db: Db;
  try {
    db = new Database(abs);
  } catch (e) {
    throw ferryError('BAD_FILE', 'db.cannotOpen', { file: name, detail: (e as Error).message }, { file: name });
  }
  return configure(db, opts, name);
}

function configure(db: Db, opts: OpenOptions, name: string): Db {
  try {
    db.pragma('busy_timeout = 30000');
    db.pragma('journal_mode = WAL');
    // FULL: in WAL mode a commit is on disk when COMMIT returns, so a power cut never loses what the job history
    // reports as done (NORMAL syncs only at checkpoints and may lose the last commits). Measured cost: BENCHMARKS.md.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536'); // 64 MB page cache
    // FILE (SQLite's default): sorts larger than the page cache (CREATE INDEX in a migration, ORDER BY without an index,
    // VACUUM) and a long savepoint's sub-journal spill to temporary files instead of growing the process. Measured on a
    // 10,000,000-value database: CREATE INDEX peaks at 724 MB RSS with MEMORY, 178 MB with FILE, and is no slower;
    // 200,000 inserts inside a savepoint cost the same (issue 14; scripts/bench/scale.ts).
    db.pragma('temp_store = FILE');
    if (opts.migrate !== false) migrate(db, MIGRATIONS, name, opts.onMigrationProgress ?? stderrProgress(name));
  } catch (e) {
    db.close();
    if (e instanceof AppError) throw e;
    const mapped = fromSqliteCode(String((e as { code?: unknown }).code ?? ''), (e as Error).message);
    if (mapped) throw sqliteError(mapped, name, (e as Error).message);
    throw ferryError('BAD_FILE', 'db.notFerryWhy', { file: name, detail: (e as Error).message }, { file: name });
  }
  return db;
}

/**
 * 'new' (missing, empty, or an SQLite file with no table and user_version 0) or 'ferry'; anything else is refused.
 * A Ferry database carries application_id 'FRRY' (migration 5); older ones are known by their tables and user_version.
 */
export function recognise(f: DbFileFacts, name: string): 'new' | 'ferry' {
  switch (f.state) {
    case 'missing':
    case 'empty':
      return 'new';
    case 'directory':
      throw ferryError('BAD_FILE', 'db.isFolder', { file: name }, { file: name });
    case 'not-sqlite':
      throw ferryError('BAD_FILE', 'db.notSqlite', { file: name }, { file: name });
    case 'sqlite':
      break;
  }
  const tables = f.tables ?? [];
  const newer = (): AppError =>
    ferryError('DB_VERSION', 'db.newer', { file: name, schema: f.userVersion, known: LATEST_SCHEMA }, { file: name, schema: f.userVersion, known: LATEST_SCHEMA });
  if (f.applicationId === FERRY_APPLICATION_ID) {
    if (f.userVersion > LATEST_SCHEMA) throw newer();
    return 'ferry';
  }
  if (f.applicationId !== 0) {
    const id = `0x${(f.applicationId >>> 0).toString(16).padStart(8, '0')}`;
    throw ferryError('BAD_FILE', 'db.otherAppId', { file: name, id }, { file: name });
  }
  if (f.userVersion === 0 && tables.length === 0) return 'new';
  if (f.userVersion > 0 && FERRY_CORE_TABLES.every((t) => tables.includes(t))) {
    if (f.userVersion > LATEST_SCHEMA) throw newer();
    return 'ferry';
  }
  const shown = tables.slice(0, 5).join(', ');
  const key = !tables.length ? 'db.otherProgramNoTables' : tables.length > 5 ? 'db.otherProgramMore' : 'db.otherProgram';
  throw ferryError('BAD_FILE', key, { file: name, tables: shown, more: tables.length - 5 }, { file: name });
}

/** The same facts read through a read-only SQLite connection (the -wal beside the file is used, never created). */
function askSqlite(file: string, facts: DbFileFacts, name: string): DbFileFacts {
  let db: Db | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).pluck().all() as string[];
    return {
      ...facts,
      userVersion: db.pragma('user_version', { simple: true }) as number,
      applicationId: db.pragma('application_id', { simple: true }) as number,
      tables,
    };
  } catch (e) {
    const mapped = fromSqliteCode(String((e as { code?: unknown }).code ?? ''), (e as Error).message);
    if (mapped) throw sqliteError(mapped, name, (e as Error).message);
    throw ferryError('BAD_FILE', 'db.cannotRead', { file: name, detail: (e as Error).message }, { file: name });
  } finally {
    db?.close();
  }
}

function readOnlyError(name: string, why: string): AppError {
  return ferryError('DB_READONLY', 'db.readOnly', { file: name, ...reasonParams(why) }, { file: name, readOnly: true, reason: why });
}

/** SQLite's damaged-file and read-only errors (fromSqliteCode), named by the database: SQLite's words as `detail`. */
function sqliteError(mapped: SerializedError, name: string, detail: string): AppError {
  const key = mapped.code === 'DB_CORRUPT' ? 'db.corrupt' : 'db.readOnlySqlite';
  return ferryError(mapped.code, key, { file: name, detail }, { file: name, ...mapped.details });
}

/**
 * The reasons whyReadOnly gives, by key (db.why.*) — whyReadOnly itself still answers the English sentence that
 * other code keeps as text (`reason`, a site's `readOnly`); the messages here say it in the user's language.
 */
const REASONS: Array<[RegExp, string]> = [
  [/^it is on a read-only disk /, 'readOnlyDisk'],
  [/^the (file|folder) (.*) is protected against changes$/, 'protected'],
  [/^this user may not write the (file|folder) (.*)$/, 'notAllowed'],
  [/^the (file|folder) (.*) cannot be written \((.*)\)$/, 'cannotWrite'],
];
export function reasonParams(why: string): Record<string, string> {
  for (const [re, key] of REASONS) {
    const m = re.exec(why);
    if (m) return { why: m[1] ? `${key}${m[1] === 'file' ? 'File' : 'Folder'}` : key, ...(m[2] ? { path: m[2] } : {}), ...(m[3] ? { detail: m[3] } : {}) };
  }
  return { why: 'other', reason: why };
}

/** Why Ferry cannot write the database (or create it and its -wal/-shm in its folder); null when it can. */
export function whyReadOnly(file: string, exists: boolean): string | null {
  const probe = (p: string, what: string): string | null => {
    try {
      fs.accessSync(p, fs.constants.W_OK);
      return null;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      if (code === 'EROFS') return `it is on a read-only disk (a write-protected USB key, a CD, a read-only mount)`;
      if (code === 'EPERM') return `the ${what} ${p} is protected against changes`;
      if (code === 'EACCES') return `this user may not write the ${what} ${p}`;
      return `the ${what} ${p} cannot be written (${code})`;
    }
  };
  return (
    (exists ? probe(file, 'file') : null) ??
    probe(path.dirname(file), 'folder') ??
    (exists ? (probe(`${file}-wal`, 'file') ?? probe(`${file}-shm`, 'file')) : null)
  );
}

function makeParent(file: string, name: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (e) {
    // (a recursive mkdir on a read-only disk reports ENOENT: ask the nearest folder that exists)
    let dir = path.dirname(file);
    while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    const why = whyReadOnly(path.join(dir, path.basename(file)), false) ?? (e as Error).message;
    throw ferryError('DB_READONLY', 'db.cannotCreateFolder', { folder: path.dirname(file), file: name, ...reasonParams(why) }, {
      file: name,
      readOnly: false,
    });
  }
}

// ---------- read-only places: a private copy ----------

export interface Site {
  db: Db;
  /** the file every connection of this session opens (job workers too): the database, or its private copy */
  path: string;
  /** the database the user named */
  source: string;
  /** why the database cannot be written; then `path` is a private copy in the temp folder, deleted by close() */
  readOnly: string | null;
  close(): void;
}

const COPY_PREFIX = 'ferry-readonly-';

/**
 * Opens a site: the database itself when Ferry may write it, else (a read-only place) a private copy of it — see the
 * file comment. What is not Ferry's, or is newer, is refused as by openDb.
 */
export function openSite(file: string, opts: OpenOptions = {}): Site {
  try {
    const db = openDb(file, opts);
    return { db, path: file === ':memory:' ? file : path.resolve(file), source: file, readOnly: null, close: () => db.close() };
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'DB_READONLY' && e.details.readOnly === true)) throw e;
    const copy = privateCopy(path.resolve(file), file);
    try {
      const db = openDb(copy.file, { ...opts, displayName: opts.displayName ?? file });
      return {
        db,
        path: copy.file,
        source: file,
        readOnly: String(e.details.reason),
        close() {
          try {
            db.close();
          } finally {
            copy.remove();
          }
        },
      };
    } catch (e2) {
      copy.remove();
      throw e2;
    }
  }
}

/** Copies the database (and its -wal, whose commits are part of it) into a new folder of the temp folder. */
export function privateCopy(src: string, name: string): { file: string; remove(): void } {
  removeStaleCopies();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), COPY_PREFIX));
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.writeFileSync(path.join(dir, 'owner'), `${process.pid} ${os.hostname()}\n`);
    const file = path.join(dir, path.basename(src));
    fs.copyFileSync(src, file);
    fs.chmodSync(file, 0o600);
    const wal = `${src}-wal`;
    if (fs.existsSync(wal) && fs.statSync(wal).size > 0) {
      fs.copyFileSync(wal, `${file}-wal`);
      fs.chmodSync(`${file}-wal`, 0o600);
    }
    return { file, remove };
  } catch (e) {
    remove();
    throw ferryError('DB_READONLY', 'db.cannotCopy', { file: name, temp: os.tmpdir(), detail: (e as Error).message }, {
      file: name,
      readOnly: false,
    });
  }
}

/** Private copies left by a Ferry process that is gone (killed, or a power cut). */
function removeStaleCopies(): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(COPY_PREFIX));
  } catch {
    return;
  }
  for (const n of entries) {
    const dir = path.join(os.tmpdir(), n);
    try {
      const [pid, host] = fs.readFileSync(path.join(dir, 'owner'), 'utf8').trim().split(' ');
      if (host !== os.hostname() || processAlive(Number(pid))) continue;
    } catch {
      try {
        if (Date.now() - fs.statSync(dir).mtimeMs < 86_400_000) continue; // being created, or not ours to judge yet
      } catch {
        continue;
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export { defaultDbPath } from './default-path.ts';
