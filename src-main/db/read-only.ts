/**
 * A read-only connection to a Ferry database another connection of this process holds open (and migrated): the parse
 * thread of a data value import reads the metadata through one while the job's connection writes. In WAL mode its
 * reads see the last commit, never the job's own uncommitted writes.
 */
import Database from 'better-sqlite3';
import type { Db } from './open.ts';

export function openReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  db.pragma('cache_size = -4096');
  return db;
}
