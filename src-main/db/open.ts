import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { migrate } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { AppError } from '../../src-shared/errors.ts';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** skip migrations (worker connections: the opener already migrated) */
  migrate?: boolean;
}

/** Opens (creating and migrating if needed) a Ferry database. WAL, foreign keys, busy timeout. */
export function openDb(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (e) {
    throw new AppError('BAD_FILE', `Cannot open the database ${file}: ${(e as Error).message}`, { file });
  }
  try {
    db.pragma('busy_timeout = 30000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('cache_size = -65536'); // 64 MB page cache
    db.pragma('temp_store = MEMORY');
    if (opts.migrate !== false && !opts.readonly) migrate(db, MIGRATIONS, file);
  } catch (e) {
    db.close();
    if (e instanceof AppError) throw e;
    throw new AppError('BAD_FILE', `${file} is not a Ferry database: ${(e as Error).message}`, { file });
  }
  return db;
}

/** Default database location: FERRY_DB, else the per-user app-data folder. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FERRY_DB) return env.FERRY_DB;
  const home = os.homedir();
  let base: string;
  if (process.platform === 'win32') base = env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  else if (process.platform === 'darwin') base = path.join(home, 'Library', 'Application Support');
  else base = env.XDG_CONFIG_HOME ?? path.join(home, '.config');
  return path.join(base, 'Ferry', 'ferry.sqlite');
}
