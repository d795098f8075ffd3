import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/errors.ts';

export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database) => void);
}

/** Applies pending migrations, each in its own transaction, tracked by PRAGMA user_version. */
export function migrate(db: Database, migrations: Migration[], file = ':memory:'): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > latest) {
    throw new AppError(
      'DB_VERSION',
      `The database ${file} was written by a newer version of Ferry (schema ${current}, this app knows ${latest}). Install the newer Ferry to open it.`,
      { file },
    );
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return latest;
}
