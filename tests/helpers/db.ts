import { openDb, type Db } from '../../src-main/db/open.ts';

/** Opens the database at `dbPath`, runs `fn` on it and closes it (tests reading what a job or the CLI wrote). */
export function withDbAt<T>(dbPath: string, fn: (db: Db) => T): T {
  const db = openDb(dbPath);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
