/**
 * Issue 16, defect 4: opening looks before it writes. A newer Ferry database, another program's SQLite file (rollback
 * or WAL journal, with or without a -wal being written) and files that are not SQLite are refused with not a byte
 * written — same bytes, size, mtime, journal mode, and no -wal/-shm/-journal beside them. Ferry's own databases (marked
 * with application_id 'FRRY' since migration 5, or known by their tables before it) and new or empty files are opened
 * read-write, in WAL mode with synchronous=FULL, and migrated.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LATEST_SCHEMA, openDb, openSite, recognise } from '../../../src-main/db/open.ts';
import { inspectDbFile } from '../../../src-main/db/inspect.ts';
import { migrate } from '../../../src-main/db/migrate.ts';
import { MIGRATIONS } from '../../../src-main/db/migrations/index.ts';
import { FERRY_APPLICATION_ID } from '../../../src-main/db/migrations/application-id.ts';
import { AppError } from '../../../src-shared/errors.ts';
import { tmpDir } from '../../helpers/tmp.ts';

let dir: string;
beforeEach(() => {
  dir = tmpDir('ferry-open-');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const file = (name: string): string => path.join(dir, name);

/** Everything a write could change: the bytes, size, mtime, the header's journal mode and the files beside it. */
function fingerprint(p: string): { sha: string; size: number; mtimeMs: number; journal: string; siblings: string[] } {
  const bytes = fs.readFileSync(p);
  return {
    sha: crypto.createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    mtimeMs: fs.statSync(p).mtimeMs,
    journal: bytes.length >= 20 ? `${bytes[18]}/${bytes[19]}` : '-',
    siblings: fs.readdirSync(path.dirname(p)).filter((n) => n.startsWith(path.basename(p))).sort(),
  };
}

function refusal(p: string): AppError {
  try {
    openDb(p).close();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error(`${p} was opened`);
}

/** A database of another program: two tables, a row each. */
function foreign(p: string, journal: 'delete' | 'wal'): void {
  const db = new Database(p);
  db.pragma(`journal_mode = ${journal}`);
  db.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL);
           INSERT INTO users (name) VALUES ('ann'); INSERT INTO orders (total) VALUES (12.5);`);
  db.close();
}

/** A Ferry database as an older Ferry left it: migrations up to `version`, no application_id. */
function ferryAt(p: string, version: number): void {
  const db = new Database(p);
  db.pragma('journal_mode = WAL');
  migrate(db, MIGRATIONS.filter((m) => m.version <= version), p);
  db.close();
}

describe('inspectDbFile reads the header and the table list without SQLite', () => {
  it('matches what SQLite says, across page sizes, interior schema pages and long CREATE statements', () => {
    for (const [tables, pageSize, padding] of [[3, 4096, 0], [300, 1024, 0], [200, 512, 3000], [40, 65536, 200]] as const) {
      const p = file(`many-${tables}-${pageSize}.db`);
      const db = new Database(p);
      db.pragma(`page_size = ${pageSize}`);
      db.pragma('user_version = 7');
      db.pragma('application_id = 123456');
      db.pragma('synchronous = OFF');
      db.exec('BEGIN');
      for (let i = 0; i < tables; i++) db.exec(`CREATE TABLE "t ${i} ${'é'.repeat(i % 30)}" (a TEXT /* ${'x'.repeat(padding)} */); CREATE INDEX i${i} ON "t ${i} ${'é'.repeat(i % 30)}"(a);`);
      db.exec('COMMIT');
      const want = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'`).pluck().all();
      db.close();
      const f = inspectDbFile(p);
      expect(f).toMatchObject({ state: 'sqlite', pageSize, userVersion: 7, applicationId: 123456, journal: 'rollback', walPending: false });
      expect(f.tables).toEqual(want);
    }
  });

  it('tells missing, empty, directory, non-SQLite and WAL files apart', () => {
    expect(inspectDbFile(file('nope.db')).state).toBe('missing');
    fs.writeFileSync(file('empty.db'), '');
    expect(inspectDbFile(file('empty.db')).state).toBe('empty');
    fs.mkdirSync(file('folder.db'));
    expect(inspectDbFile(file('folder.db')).state).toBe('directory');
    fs.writeFileSync(file('text.db'), 'SQLite format 2 — no, just text\n'.repeat(10));
    expect(inspectDbFile(file('text.db')).state).toBe('not-sqlite');
    foreign(file('wal.db'), 'wal');
    expect(inspectDbFile(file('wal.db'))).toMatchObject({ state: 'sqlite', journal: 'wal', tables: ['users', 'orders'] });
  });
});

describe('openDb refuses what is not Ferry\'s without writing a byte', () => {
  const cases: [string, (p: string) => void, AppError['code'], RegExp][] = [
    ['another program\'s database (rollback journal)', (p) => foreign(p, 'delete'), 'BAD_FILE', /another program \(tables users, orders\), not a Ferry database; Ferry did not change it/],
    ['another program\'s database (WAL)', (p) => foreign(p, 'wal'), 'BAD_FILE', /another program \(tables users, orders\)/],
    ['a database with another application id', (p) => {
      const db = new Database(p);
      db.pragma('application_id = 1095192148'); // 'AGNT'
      db.exec('CREATE TABLE job (x)');
      db.close();
    }, 'BAD_FILE', /another program's SQLite database \(application id 0x41474e54\), not a Ferry database; Ferry did not change it/],
    ['a newer Ferry database', (p) => {
      ferryAt(p, LATEST_SCHEMA);
      const db = new Database(p);
      db.pragma(`application_id = ${FERRY_APPLICATION_ID}`);
      db.pragma('user_version = 999');
      db.close();
    }, 'DB_VERSION', /newer version of Ferry \(schema 999, this app knows \d+\)\. Install the newer Ferry to open it; Ferry did not change it/],
    ['a newer Ferry database from before the application id', (p) => {
      ferryAt(p, 4);
      const db = new Database(p);
      db.pragma('user_version = 999');
      db.close();
    }, 'DB_VERSION', /newer version of Ferry/],
    ['an SQLite file with no table but a user_version', (p) => {
      const db = new Database(p);
      db.pragma('user_version = 3');
      db.close();
    }, 'BAD_FILE', /another program \(no Ferry tables\)/],
    ['a text file', (p) => fs.writeFileSync(p, 'dataelement,period,orgunit\n'), 'BAD_FILE', /is not a Ferry database \(it is not an SQLite file\); Ferry did not change it/],
    ['a one-byte file', (p) => fs.writeFileSync(p, 'S'), 'BAD_FILE', /not an SQLite file/],
  ];
  for (const [what, make, code, message] of cases) {
    it(what, () => {
      const p = file('victim.db');
      make(p);
      fs.utimesSync(p, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
      const before = fingerprint(p);
      const e = refusal(p);
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
      expect(e.message).toContain(p);
      expect(fingerprint(p)).toEqual(before);
      // and through openSite (what the app, the CLI and the bridge use)
      expect(() => openSite(p)).toThrow(message);
      expect(fingerprint(p)).toEqual(before);
    });
  }

  it('another program\'s WAL database that is open and being written (its -wal pending) is refused too', () => {
    const p = file('busy.db');
    foreign(p, 'wal');
    const other = new Database(p);
    other.pragma('wal_autocheckpoint = 0');
    other.exec(`CREATE TABLE only_in_the_wal (x); INSERT INTO users (name) VALUES ('bob')`);
    expect(inspectDbFile(p).walPending).toBe(true);
    const before = fingerprint(p);
    expect(refusal(p).message).toMatch(/tables users, orders, only_in_the_wal/);
    expect(fingerprint(p)).toEqual(before);
    other.close();
  });

  it('a folder is named as one', () => {
    fs.mkdirSync(file('folder.sqlite'));
    expect(refusal(file('folder.sqlite')).message).toMatch(/is a folder, not a database file/);
  });
});

describe('openDb opens Ferry databases and new files', () => {
  it('creates a new database: WAL, synchronous FULL, every migration, application id FRRY', () => {
    const p = file('sub/dir/new.sqlite');
    const db = openDb(p);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA);
    expect(db.pragma('application_id', { simple: true })).toBe(FERRY_APPLICATION_ID);
    db.close();
    expect(fs.readFileSync(p).toString('latin1', 68, 72)).toBe('FRRY');
    expect(recognise(inspectDbFile(p), p)).toBe('ferry');
  });

  it('turns an empty file (and an SQLite file with no table) into a Ferry database', () => {
    fs.writeFileSync(file('empty.sqlite'), '');
    openDb(file('empty.sqlite')).close();
    expect(inspectDbFile(file('empty.sqlite'))).toMatchObject({ applicationId: FERRY_APPLICATION_ID, userVersion: LATEST_SCHEMA });
    new Database(file('blank.sqlite')).close();
    openDb(file('blank.sqlite')).close();
    expect(inspectDbFile(file('blank.sqlite')).applicationId).toBe(FERRY_APPLICATION_ID);
  });

  it('recognises a database of an older Ferry (no application id) by its tables, keeps its data and marks it', () => {
    const p = file('old.sqlite');
    ferryAt(p, 4);
    const old = new Database(p);
    old.exec(`INSERT INTO metadata_object (uid, type, name, json) VALUES ('abcdefghijk', 'dataElements', 'Kept', '{}')`);
    old.close();
    expect(inspectDbFile(p).applicationId).toBe(0);
    const db = openDb(p);
    expect(db.prepare(`SELECT name FROM metadata_object WHERE uid = 'abcdefghijk'`).pluck().get()).toBe('Kept');
    expect(db.pragma('application_id', { simple: true })).toBe(FERRY_APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA);
    db.close();
  });

  it('an older Ferry database whose newest commits are still in its -wal is judged by them', () => {
    const p = file('walled.sqlite');
    ferryAt(p, 4);
    const live = new Database(p);
    live.pragma('wal_autocheckpoint = 0');
    live.exec(`INSERT INTO metadata_object (uid, type, name, json) VALUES ('abcdefghijk', 'dataElements', 'In the WAL', '{}')`);
    expect(inspectDbFile(p).walPending).toBe(true);
    const db = openDb(p);
    expect(db.prepare(`SELECT name FROM metadata_object WHERE uid = 'abcdefghijk'`).pluck().get()).toBe('In the WAL');
    db.close();
    live.close();
  });

  it('a worker connection (migrate: false) is checked the same way', () => {
    foreign(file('f.db'), 'wal');
    expect(() => openDb(file('f.db'), { migrate: false })).toThrow(/not a Ferry database/);
    openDb(file('ok.db')).close();
    const db = openDb(file('ok.db'), { migrate: false });
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
  });
});
