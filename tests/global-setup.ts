import { spawnSync } from 'node:child_process';

/** Fails early with a clear message when better-sqlite3 was built for Electron (after `npm start`). */
export default function setup(): void {
  const r = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:')"], { encoding: 'utf8' });
  if (r.status !== 0) {
    if (/NODE_MODULE_VERSION|bindings file/.test(r.stderr)) {
      const fix = spawnSync('npm', ['rebuild', 'better-sqlite3'], { encoding: 'utf8', stdio: 'inherit' });
      if (fix.status === 0) return;
      throw new Error('better-sqlite3 is built for Electron, not Node: run `npm run rebuild:node` and try again.');
    }
    throw new Error(`better-sqlite3 does not load: ${r.stderr}`);
  }
}
