// npm start: Ferry's window where Electron's binary is installed; otherwise the same screens in the system's browser.
//
//   npm start [-- --browser] [-- --no-open] [-- --port N]
//
// 1. Electron's binary (node_modules/electron/dist, or ELECTRON_OVERRIDE_DIST_PATH as electron itself reads it) is
//    looked for; when missing, one download is tried (as electron does on first use; FERRY_ELECTRON_DOWNLOAD=0 or
//    ELECTRON_SKIP_BINARY_DOWNLOAD=1 skip it).
// 2. With the binary: better-sqlite3 for Electron (scripts/rebuild-electron.mjs: verified, cached, Node's build put
//    back when the app quits), then `electron-vite preview` (builds and opens the window).
// 3. Without it (or when the SQLite module cannot be rebuilt for Electron): one plain sentence saying so, then the
//    screens through the bridge — `ferry serve --open` on the database the app and the CLI use (FERRY_DB, else the
//    per-user default) — after building the renderer if it is missing or older than its sources. The browser opens
//    (xdg-open / open / start) or the address is printed. --no-open only prints it; --browser skips Electron.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, rebuildForElectron, useNodeBuild } from './rebuild-electron.mjs';

export function parseStartArgs(argv) {
  const o = { browser: false, open: true, port: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--browser') o.browser = true;
    else if (a === '--no-open') o.open = false;
    else if (a === '--port') o.port = argv[++i];
    else if (a.startsWith('--port=')) o.port = a.slice('--port='.length);
    else throw new Error(`unknown option ${a} (npm start [-- --browser] [--no-open] [--port N])`);
  }
  if (o.port !== undefined && !/^\d{1,5}$/.test(String(o.port))) throw new Error('--port needs a port number');
  return o;
}

function platformExecutable(platform) {
  return platform === 'win32' ? 'electron.exe' : platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
}

/** The path of Electron's binary if it is there (the same rule as electron's own index.js, without downloading). */
export function findElectron({ root = ROOT, env = process.env, platform = process.platform } = {}) {
  const pkgDir = path.join(root, 'node_modules/electron');
  if (!fs.existsSync(path.join(pkgDir, 'package.json'))) return null;
  let exe = null;
  try {
    exe = fs.readFileSync(path.join(pkgDir, 'path.txt'), 'utf8').trim() || null;
  } catch {
    /* never downloaded */
  }
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || path.join(pkgDir, 'dist');
  const candidate = path.join(dist, exe ?? platformExecutable(platform));
  if (!env.ELECTRON_OVERRIDE_DIST_PATH && !exe) return null;
  return fs.existsSync(candidate) ? candidate : null;
}

/** Tries electron's own first-use download once; returns null on success, else the reason in a few words. */
export function downloadElectron({ root = ROOT, env = process.env, run = spawnSync } = {}) {
  const r = run(process.execPath, [path.join(root, 'node_modules/electron/install.js')], { cwd: root, env, encoding: 'utf8' });
  if (r.status === 0) return null;
  const text = `${r.stderr ?? ''}\n${r.stdout ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
  const line =
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => /^(\w*Error|RequestError|HTTPError)\b|fetch failed|ENOTFOUND|EAI_AGAIN|ECONN|ETIMEDOUT|certificate/i.test(l)) ?? `exit status ${r.status}`;
  return line.replace(/^(\w*Error):\s*/, '').slice(0, 160);
}

/**
 * What `npm start` does. deps (tests): findElectron, downloadElectron, rebuildForElectron, useNodeBuild,
 * buildRenderer, runElectron, runServe, log, env.
 */
export async function start(argv, deps = {}) {
  const env = deps.env ?? process.env;
  const log = deps.log ?? ((s) => console.log(s));
  const d = {
    findElectron: () => findElectron({ env }),
    downloadElectron: () => downloadElectron({ env }),
    rebuildForElectron: () => rebuildForElectron({ env, log }),
    useNodeBuild: () => useNodeBuild({ log }),
    buildRenderer: () => buildRendererIfStale({ log }),
    runElectron,
    runServe,
    ...deps,
  };
  const args = parseStartArgs(argv);
  let why = 'you asked for the browser (--browser)';
  if (!args.browser) {
    let electron = d.findElectron();
    why = "Electron's binary is not installed";
    if (!electron && env.FERRY_ELECTRON_DOWNLOAD !== '0' && !env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
      log("Electron's binary is not installed yet: trying to download it (first start only)…");
      const failure = d.downloadElectron();
      electron = failure ? null : d.findElectron();
      if (failure) why = `Electron's binary is not installed and could not be downloaded (${failure})`;
    }
    if (electron) {
      const rebuilt = d.rebuildForElectron();
      if (rebuilt.ok) {
        log(rebuilt.message);
        try {
          return await d.runElectron({ env });
        } finally {
          // the ferry command and the tests load the Node build
          const back = d.useNodeBuild();
          if (!back.ok) log(back.message);
        }
      }
      log(rebuilt.message);
      why = 'the SQLite module could not be rebuilt for Electron';
    }
  }
  log(`${why}, so Ferry opens its screens in your web browser instead (ferry serve, on this computer only).`);
  const node = d.useNodeBuild();
  if (!node.ok) {
    log(node.message);
    return 1;
  }
  await d.buildRenderer();
  return d.runServe({ env, open: args.open, port: args.port });
}

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

/** out/renderer-web (the build `ferry serve` serves, as the browser tests do), rebuilt when a source is newer. */
export async function buildRendererIfStale({ root = ROOT, log = (s) => console.log(s) } = {}) {
  const index = path.join(root, 'out/renderer-web/index.html');
  const sources = Math.max(
    newestMtime(path.join(root, 'src-renderer')),
    newestMtime(path.join(root, 'src-shared')),
    fs.statSync(path.join(root, 'vite.renderer.config.ts')).mtimeMs,
  );
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs > sources) return false;
  log('Building the screens (vite build)…');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('the screens could not be built (vite build failed)');
  return true;
}

/** Runs a child to its end; SIGINT/SIGTERM/SIGHUP reach it exactly once each (it is its own process group on POSIX). */
function runChild(cmd, args, o) {
  return new Promise((resolve) => {
    const posix = process.platform !== 'win32';
    const child = spawn(cmd, args, { ...o, stdio: 'inherit', detached: posix });
    const forward = (sig) => () => {
      // on Windows Ctrl+C already reaches every process of the console
      if (posix || sig !== 'SIGINT') child.kill(sig);
    };
    const handlers = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => [s, forward(s)]);
    for (const [s, h] of handlers) process.on(s, h);
    child.on('exit', (code, signal) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(code ?? (signal ? 128 + 2 : 1));
    });
    child.on('error', (e) => {
      console.error(`${cmd}: ${e.message}`);
      resolve(1);
    });
  });
}

function runElectron({ env }) {
  return runChild(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'preview'], { cwd: ROOT, env });
}

function runServe({ env, open, port }) {
  const args = [path.join(ROOT, 'bin/ferry.mjs'), 'serve'];
  if (open) args.push('--open');
  if (port !== undefined) args.push('--port', String(port));
  return runChild(process.execPath, args, { cwd: ROOT, env });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  start(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`npm start: ${e.message}`);
      process.exit(1);
    },
  );
}
