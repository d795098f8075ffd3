import type { Database } from 'better-sqlite3';
import { ferryError } from '../../src-shared/keyed-errors.ts';

export interface Migration {
  version: number;
  name: string;
  /** progress: (done, total) steps of a long conversion, for the caller to show */
  up: string | ((db: Database, progress?: (done: number, total: number) => void) => void);
  /**
   * Whether the migration's changes are in the database. A migration that has it is applied even to a database
   * already at a later schema when it says false (migration numbers are reserved and may land out of order: a database
   * made after 13 landed but before 12 did is at schema 13 without 12).
   */
  isApplied?: (db: Database) => boolean;
}

/** Progress of a migration that converts data: its name and (done, total) steps. */
export type MigrationProgress = (migration: string, done: number, total: number) => void;

/** Applies pending migrations, each in its own transaction, tracked by PRAGMA user_version. */
export function migrate(db: Database, migrations: Migration[], file = ':memory:', onProgress?: MigrationProgress): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > latest) {
    throw ferryError('DB_VERSION', 'db.newerMigrate', { file, schema: current, known: latest }, { file });
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) {
      if (m.isApplied && !m.isApplied(db))
        db.transaction(() => {
          if (typeof m.up === 'string') db.exec(m.up);
          else m.up(db, onProgress ? (done, total) => onProgress(m.name, done, total) : undefined);
        })();
      continue;
    }
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db, onProgress ? (done, total) => onProgress(m.name, done, total) : undefined);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}
