// better-sqlite3 for Electron's ABI (npm start, npm run dist), without ever leaving a wrong-ABI module silently.
//
// - The rebuild runs electron-builder's install-app-deps through `node` (not npx: npx hands npm's `nodedir` setting
//   back to node-gyp, which then compiles against the system Node's headers and "succeeds" with Node's ABI) with
//   `nodedir` cleared, so node-gyp must fetch Electron's headers.
// - The result is checked, not trusted: the module is loaded in a child Node. Node loads its own ABI and names any
//   other (NODE_MODULE_VERSION n). Only Electron's ABI counts as success.
// - On failure the Node module that was there before is put back, and the reason is said in plain words — above all
//   when Electron's headers could not be downloaded (offline, or a proxy).
// - Both builds are kept in node_modules/.cache/ferry-native/, so `npm start` swaps them (an atomic rename) instead
//   of recompiling: Electron's build while the app runs, Node's again when it quits (the CLI and tests need Node's).
//   `npm test` still rebuilds for Node by itself when it finds Electron's (tests/global-setup.ts).
//
// `node scripts/rebuild-electron.mjs` (npm run rebuild:electron, npm run dist) leaves Electron's build in place and
// says so; exit status 1 when it could not make one.
import { spawnSync as nodeSpawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function modulePath(root = ROOT) {
  return path.join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Electron's version and module ABI (node_modules/electron/abi_version), or null when electron is not installed. */
export function electronInfo(root = ROOT) {
  const pkg = readJson(path.join(root, 'node_modules/electron/package.json'));
  if (!pkg) return null;
  let abi = null;
  try {
    abi = Number(fs.readFileSync(path.join(root, 'node_modules/electron/abi_version'), 'utf8').trim()) || null;
  } catch {
    /* older electron packages have no abi_version */
  }
  return { version: String(pkg.version), abi };
}

/** Where a build for one runtime is kept: better_sqlite3-<version>-<runtime>-<runtime version>-abi<n>-<platform>-<arch>.node */
export function cachedBuild(root, runtime, runtimeVersion, abi) {
  const bsq = readJson(path.join(root, 'node_modules/better-sqlite3/package.json'))?.version ?? 'unknown';
  return path.join(root, 'node_modules/.cache/ferry-native', `better_sqlite3-${bsq}-${runtime}-${runtimeVersion}-abi${abi}-${process.platform}-${process.arch}.node`);
}

/** The environment for the rebuild: npm's `nodedir` removed (in any spelling), so node-gyp fetches Electron's headers. */
export function rebuildEnv(env) {
  const out = { ...env };
  for (const k of Object.keys(out)) if (k.toLowerCase() === 'npm_config_nodedir') delete out[k];
  return out;
}

const PROBE = `
const file = process.argv[1];
try { process.dlopen({ exports: {} }, file); console.log(JSON.stringify({ loads: true })); }
catch (e) { console.log(JSON.stringify({ loads: false, message: String(e && e.message || e) })); }`;

/**
 * Which ABI a native module has, asked of a child Node: { loads: true, abi: Node's } when Node can load it,
 * else { loads: false, abi: n from "NODE_MODULE_VERSION n" (null if it does not say), message }.
 */
export function probeAbi(file, spawnSync = nodeSpawnSync) {
  if (!fs.existsSync(file)) return { loads: false, abi: null, message: `${file} does not exist` };
  const r = spawnSync(process.execPath, ['-e', PROBE, file], { encoding: 'utf8' });
  let o;
  try {
    o = JSON.parse(String(r.stdout).trim().split('\n').pop() ?? '');
  } catch {
    return { loads: false, abi: null, message: String(r.stderr || r.stdout || 'the probe printed nothing').trim() };
  }
  if (o.loads) return { loads: true, abi: Number(process.versions.modules), message: '' };
  const m = /NODE_MODULE_VERSION (\d+)/.exec(o.message);
  return { loads: false, abi: m ? Number(m[1]) : null, message: o.message };
}

const HEADERS_FAILURE =
  /network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|fetch failed|getaddrinfo|socket hang up|certificate|self[- ]signed|proxy|status(?:Code)?:? ?40[37]|headers\.tar\.gz|electronjs\.org\/headers|node-v[\d.]+-headers/i;

/**
 * What the rebuild's output says went wrong: the error message around the first line about the network or headers
 * (a multi-line "Error: …" joined into one), else the first error-looking line, else the last line.
 */
export function keyLine(output) {
  const lines = String(output)
    .split(/\r?\n/)
    .map((l) => l.replace(/^[\s⨯•]+/, '').trim())
    .filter(Boolean);
  let i = lines.findIndex((l) => HEADERS_FAILURE.test(l) && !/^at /.test(l));
  if (i < 0) return lines.find((l) => /error|fail/i.test(l)) ?? lines.at(-1) ?? '';
  for (let k = i; k >= Math.max(0, i - 3); k--) {
    if (/^\w*Error:/.test(lines[k])) {
      i = k;
      break;
    }
  }
  const message = [];
  for (let k = i; k < lines.length && message.length < 4 && !/^at /.test(lines[k]) && !(k > i && /^\w*Error:|node-gyp failed/.test(lines[k])); k++) message.push(lines[k]);
  return message.join(' ').replace(/^\w*Error:\s*/, '').replace(/\.$/, '');
}

/**
 * The verdict on a rebuild, from its exit status, its output and the ABI of the module it left. Pure (unit-tested).
 * reason: 'ok' | 'headers' (Electron's headers could not be downloaded) | 'node-abi' (it built for Node) |
 * 'failed' (another build error) | 'wrong-abi' (something else).
 */
export function judgeRebuild({ status, output, probe, electronAbi, nodeAbi, electronVersion }) {
  if (!probe.loads && probe.abi !== null && probe.abi === electronAbi) {
    return { ok: true, reason: 'ok', message: `better-sqlite3 is built for Electron ${electronVersion} (ABI ${electronAbi}).` };
  }
  const keep = "The SQLite module stays built for Node, so the ferry command and the tests keep working; the Electron app cannot use it.";
  if (status !== 0 && HEADERS_FAILURE.test(String(output))) {
    return {
      ok: false,
      reason: 'headers',
      message:
        `Could not get Electron's headers to rebuild the SQLite module for Electron ${electronVersion} (${keyLine(output)}). ` +
        `They are downloaded from https://electronjs.org/headers on the first rebuild: this needs Internet access (or HTTPS_PROXY). ${keep}`,
    };
  }
  if (probe.loads) {
    return {
      ok: false,
      reason: 'node-abi',
      message:
        `The rebuild ${status === 0 ? 'reported success' : 'failed'} but left the SQLite module built for Node (ABI ${nodeAbi}), not for Electron ${electronVersion} (ABI ${electronAbi}): ` +
        `node-gyp most likely used Node's own headers (npm's nodedir setting) because it could not get Electron's. ${keep}`,
    };
  }
  if (status !== 0) {
    return { ok: false, reason: 'failed', message: `The rebuild of the SQLite module for Electron ${electronVersion} failed: ${keyLine(output) || `exit status ${status}`}. ${keep}` };
  }
  return {
    ok: false,
    reason: 'wrong-abi',
    message: `After the rebuild the SQLite module does not have Electron's ABI ${electronAbi} (${probe.abi !== null ? `it has ${probe.abi}` : probe.message}). ${keep}`,
  };
}

/** Replaces `dest` by a copy of `src` atomically (a loaded module is never half-written). */
export function installBuild(src, dest) {
  const tmp = `${dest}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.copyFileSync(src, tmp);
  fs.renameSync(tmp, dest);
}

function keepCopy(src, cacheFile) {
  fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  fs.copyFileSync(src, tmp);
  fs.renameSync(tmp, cacheFile);
}

/**
 * Puts a better-sqlite3 built for Electron in place: from the cache, or by rebuilding (verified). On failure the
 * module that was there before is back in place. Returns { ok, reason, message }.
 * deps: { root, env, spawnSync, log } — tests stub spawnSync (the rebuild and the ABI probe) and use a temp root.
 */
export function rebuildForElectron(deps = {}) {
  const root = deps.root ?? ROOT;
  const env = deps.env ?? process.env;
  const spawnSync = deps.spawnSync ?? nodeSpawnSync;
  const log = deps.log ?? ((s) => console.log(s));
  const nodeAbi = Number(process.versions.modules);
  const electron = electronInfo(root);
  if (!electron || !electron.abi) return { ok: false, reason: 'failed', message: 'Electron is not installed (node_modules/electron), so there is nothing to rebuild for.' };
  const mod = modulePath(root);
  const electronCache = cachedBuild(root, 'electron', electron.version, electron.abi);
  const nodeCache = cachedBuild(root, 'node', process.versions.node, nodeAbi);

  const before = probeAbi(mod, spawnSync);
  if (before.loads) keepCopy(mod, nodeCache); // Node's build, to put back later
  if (!before.loads && before.abi === electron.abi) return { ok: true, reason: 'ok', message: `better-sqlite3 is already built for Electron ${electron.version} (ABI ${electron.abi}).` };

  if (fs.existsSync(electronCache)) {
    installBuild(electronCache, mod);
    const p = probeAbi(mod, spawnSync);
    if (!p.loads && p.abi === electron.abi) return { ok: true, reason: 'ok', message: `better-sqlite3 for Electron ${electron.version} (ABI ${electron.abi}) taken from node_modules/.cache/ferry-native.` };
    fs.rmSync(electronCache, { force: true }); // a bad cache entry: rebuild
  }

  log(`Rebuilding better-sqlite3 for Electron ${electron.version} (ABI ${electron.abi}); the first time this downloads Electron's headers…`);
  const cli = path.join(root, 'node_modules/electron-builder/cli.js');
  const r = spawnSync(process.execPath, [cli, 'install-app-deps'], { cwd: root, env: rebuildEnv(env), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
  const after = probeAbi(mod, spawnSync);
  const verdict = judgeRebuild({ status: r.status ?? 1, output, probe: after, electronAbi: electron.abi, nodeAbi, electronVersion: electron.version });
  if (verdict.ok) {
    keepCopy(mod, electronCache);
    return verdict;
  }
  // never leave a module of the wrong ABI (or none) behind: Node's build goes back
  if (!after.loads && fs.existsSync(nodeCache)) installBuild(nodeCache, mod);
  return verdict;
}

/**
 * Makes sure the module loads in this Node (the CLI, `ferry serve`, tests): as it is, from the cache, or by
 * `npm rebuild better-sqlite3`. Returns { ok, message }.
 */
export function useNodeBuild(deps = {}) {
  const root = deps.root ?? ROOT;
  const spawnSync = deps.spawnSync ?? nodeSpawnSync;
  const log = deps.log ?? ((s) => console.log(s));
  const mod = modulePath(root);
  const nodeAbi = Number(process.versions.modules);
  if (probeAbi(mod, spawnSync).loads) return { ok: true, message: '' };
  const nodeCache = cachedBuild(root, 'node', process.versions.node, nodeAbi);
  if (fs.existsSync(nodeCache)) {
    installBuild(nodeCache, mod);
    if (probeAbi(mod, spawnSync).loads) return { ok: true, message: 'better-sqlite3 for Node put back from node_modules/.cache/ferry-native.' };
  }
  log('better-sqlite3 is not built for this Node: rebuilding it (npm rebuild better-sqlite3)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['rebuild', 'better-sqlite3'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status === 0 && probeAbi(mod, spawnSync).loads) return { ok: true, message: 'better-sqlite3 rebuilt for Node.' };
  return { ok: false, message: 'better-sqlite3 could not be built for Node (npm rebuild better-sqlite3 failed): Ferry cannot open its database.' };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const r = rebuildForElectron();
  if (r.ok) {
    console.log(r.message);
    console.log('The ferry command and the tests need the Node build back: `npm test` does it by itself, or run `npm run rebuild:node`.');
    process.exit(0);
  }
  console.error(`rebuild-electron: ${r.message}`);
  process.exit(1);
}
