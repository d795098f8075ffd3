// The state of the sources the built CLI was made from: every file under src-main/ and src-shared/ (plus
// package.json and the build config) by path, size and modification time, hashed. electron-vite's build writes it
// beside the bundle (out/main/cli-stamp.json); bin/ferry.mjs compares it with the sources at each start (a few ms:
// stats only, no reads) and runs the sources through tsx when they changed since, so an edit never runs stale code.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

export const STAMP_FILE = 'out/main/cli-stamp.json';
const DIRS = ['src-main', 'src-shared'];
const FILES = ['package.json', 'electron.vite.config.ts'];

function walk(root, rel, out) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const r = `${rel}/${e.name}`;
    if (e.isDirectory()) walk(root, r, out);
    else if (e.isFile()) out.push(r);
  }
}

/** The hash of the sources' state under `root` (the repository). */
export function sourcesStamp(root) {
  const files = [];
  for (const d of DIRS) walk(root, d, files);
  for (const f of FILES) if (fs.existsSync(path.join(root, f))) files.push(f);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    const st = fs.statSync(path.join(root, f));
    h.update(`${f}\0${st.size}\0${Math.trunc(st.mtimeMs)}\n`);
  }
  return h.digest('hex');
}

/** Whether out/ holds a CLI built from the sources as they are now; else why not (a few words). */
export function builtCliState(root) {
  const cli = path.join(root, 'out/main/cli.js');
  if (!fs.existsSync(cli)) return { fresh: false, why: 'it is not built' };
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, STAMP_FILE), 'utf8')).sources;
  } catch {
    return { fresh: false, why: 'its build has no stamp' };
  }
  return stamp === sourcesStamp(root) ? { fresh: true, why: '' } : { fresh: false, why: 'the sources changed since it was built' };
}
