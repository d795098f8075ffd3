import os from 'node:os';
import path from 'node:path';

/**
 * Default database location: FERRY_DB, else the per-user app-data folder. Its own module (open.ts re-exports it) so
 * that `ferry --help`, which prints it, loads neither SQLite nor the migrations.
 */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FERRY_DB) return env.FERRY_DB;
  const home = os.homedir();
  let base: string;
  if (process.platform === 'win32') base = env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  else if (process.platform === 'darwin') base = path.join(home, 'Library', 'Application Support');
  else base = env.XDG_CONFIG_HOME ?? path.join(home, '.config');
  return path.join(base, 'Ferry', 'ferry.sqlite');
}
