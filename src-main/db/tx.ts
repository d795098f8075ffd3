/**
 * Transactions, savepoints and per-connection settings: the only SQL that jobs, importers and exporters issue
 * without a repo. A job runs on its own connection (see jobs/runner.ts): one transaction per job, one savepoint per
 * file of a data import.
 */
import type { Db } from './open.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Writes a repo keeps in memory until the next transaction boundary (DataValueWritesRepo's live count: one UPDATE per
 * file instead of a trigger per row, which would give every INSERT a statement journal — quadratic inside a
 * savepoint). Before a SAVEPOINT, RELEASE or COMMIT they are written (inside what they belong to); at a ROLLBACK (TO)
 * they are dropped with the rows they counted. A repo is held only while it has something pending.
 */
export interface PendingWrites {
  flush(): void;
  discard(): void;
}
const pendingByDb = new WeakMap<Db, Set<PendingWrites>>();

export function holdPending(db: Db, p: PendingWrites): void {
  let set = pendingByDb.get(db);
  if (!set) pendingByDb.set(db, (set = new Set()));
  set.add(p);
}

export function dropPending(db: Db, p: PendingWrites): void {
  pendingByDb.get(db)?.delete(p);
}

function flushPending(db: Db): void {
  const set = pendingByDb.get(db);
  if (set?.size) for (const p of [...set]) p.flush();
}

function discardPending(db: Db): void {
  const set = pendingByDb.get(db);
  if (set?.size) for (const p of [...set]) p.discard();
}

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`Invalid savepoint name '${name}'`);
  return name;
}

/** BEGIN (deferred): a read snapshot from the first read on, e.g. for a whole export. */
export function begin(db: Db): void {
  discardPending(db);
  db.exec('BEGIN');
}

/**
 * BEGIN IMMEDIATE: takes the write lock now. Throws SQLITE_BUSY (after the connection's busy timeout) while another
 * connection holds it.
 */
export function beginImmediate(db: Db): void {
  discardPending(db);
  db.exec('BEGIN IMMEDIATE');
}

export function commit(db: Db): void {
  flushPending(db);
  db.exec('COMMIT');
}

export function rollback(db: Db): void {
  discardPending(db);
  db.exec('ROLLBACK');
}

/** ROLLBACK when a transaction is still open (SQLite rolls back by itself after some errors). */
export function rollbackIfOpen(db: Db): void {
  discardPending(db);
  if (db.inTransaction) db.exec('ROLLBACK');
}

export function inTransaction(db: Db): boolean {
  return db.inTransaction;
}

/** SAVEPOINT name: opens a transaction when none is open, else nests inside it. */
export function savepoint(db: Db, name: string): void {
  flushPending(db);
  db.exec(`SAVEPOINT ${checkName(name)}`);
}

/** RELEASE name: keeps what was done since the savepoint (commits when it opened the transaction). */
export function release(db: Db, name: string): void {
  flushPending(db);
  db.exec(`RELEASE ${checkName(name)}`);
}

/** ROLLBACK TO name: undoes what was done since the savepoint; the savepoint stays open (release it after). */
export function rollbackTo(db: Db, name: string): void {
  discardPending(db);
  db.exec(`ROLLBACK TO ${checkName(name)}`);
}

/** Sets this connection's page cache size in KiB (SQLite's negative cache_size). */
export function cacheSize(db: Db, kb: number): void {
  if (!Number.isInteger(kb) || kb <= 0) throw new Error(`Invalid cache size ${kb} KiB`);
  db.pragma(`cache_size = -${kb}`);
}

/** This connection's busy timeout in milliseconds. */
export function busyTimeout(db: Db): number {
  return db.pragma('busy_timeout', { simple: true }) as number;
}

export function setBusyTimeout(db: Db, ms: number): void {
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`Invalid busy timeout ${ms} ms`);
  db.pragma(`busy_timeout = ${ms}`);
}
