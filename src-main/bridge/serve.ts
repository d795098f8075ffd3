/**
 * `ferry serve [--port N] [--open]`: Ferry's screens and API for a browser on this computer (headless machines, thin
 * clients, and `npm start` where Electron's binary is missing).
 *
 *  1. takes the database (serve-lock.ts: one server per database), before opening it — opening marks the jobs of a
 *     running server as interrupted;
 *  2. opens it with the bridge's path policy (pickedPaths) and BrowserTransfers (uploads in, downloads out; files in
 *     `<db>-serve-files/`, next to the database rather than in a temp folder that may be a RAM disk);
 *  3. listens on 127.0.0.1 only and prints the address with its per-start token (and opens it with --open);
 *  4. on Ctrl+C (SIGINT) or SIGTERM: stops taking requests (uploads and downloads under way end), cancels the
 *     running job (it rolls back), closes the database, removes the uploaded and exported files, then the lock.
 *     A second Ctrl+C while stopping quits at once (the lock and files are still removed).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFerry, type Ferry } from '../services/context.ts';
import { type AppError } from '../../src-shared/errors.ts';
import { type ErrorKey, type ErrorParams } from '../../src-shared/i18n/error-messages.ts';
import { englishError, ferryError } from '../../src-shared/keyed-errors.ts';
import { errorMessage } from '../cli/i18n.ts';

/** A line `ferry serve` prints, in the run's language (--lang, FERRY_LANG, the system's; English by default). */
const say = (key: ErrorKey, params: ErrorParams = {}): string => errorMessage({ message: englishError(key, params), details: { messageKey: key, messageParams: params } });
import { pickedPaths } from '../ipc/ports.ts';
import { startBridge, type Bridge } from './server.ts';
import { BrowserTransfers } from './transfers.ts';
import { acquireServeLock, type ServeLock, type ServeLockDeps } from './serve-lock.ts';
import { openBrowser as defaultOpenBrowser, type OpenOutcome } from './open-browser.ts';

export interface ServeIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface ServeOptions {
  dbPath: string;
  port?: number;
  /** open the address in the system's browser */
  open?: boolean;
  /** the built renderer; default: out/renderer-web (npm run build:renderer), else out/renderer (electron-vite build) */
  staticDir?: string;
  mode?: 'worker' | 'inline';
  /** the built job worker (the built CLI passes out/main/worker.js); default: the sources' worker through tsx */
  workerPath?: string;
  user?: string;
  io: ServeIo;
  /**
   * Calls `stop` when the server should stop; returns an uninstall function. Default: the first SIGINT or SIGTERM
   * stops it, a second one while stopping quits at once.
   */
  stopWhen?: (stop: (why: string) => void) => () => void;
  openBrowser?: (url: string) => Promise<OpenOutcome>;
  lockDeps?: ServeLockDeps;
  maxUploadBytes?: number;
  /** told the bridge once it listens (tests) */
  onListening?: (b: Bridge) => void;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The built screens, if any: the plain Vite build the browser tests use, else electron-vite's renderer. */
export function defaultStaticDir(root = ROOT): string | undefined {
  for (const d of ['out/renderer-web', 'out/renderer']) {
    const dir = path.join(root, d);
    if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/** Where `ferry serve` keeps uploads and exports waiting to be downloaded, while it runs. */
export function serveFilesDir(dbPath: string): string {
  return `${path.resolve(dbPath)}-serve-files`;
}

function signalStop(io: ServeIo, emergency: () => void): (stop: (why: string) => void) => () => void {
  return (stop) => {
    let stopping = false;
    const on = (sig: NodeJS.Signals): void => {
      if (stopping) {
        io.stderr(`\nferry: ${say('serve.quitting', { signal: sig })}\n`);
        emergency();
        process.exit(130);
      }
      stopping = true;
      stop(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
    return () => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    };
  };
}

/** Whether a port on 127.0.0.1 can be listened on now (so a taken --port is refused before the database is touched). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

const portTaken = (port: number | undefined): AppError =>
  ferryError('BUSY', 'serve.portTaken', { port: String(port) });

/** Runs the server until it is told to stop. Exit status: 0 stopped cleanly, 2 could not start (e.g. BUSY). */
export async function serve(o: ServeOptions): Promise<number> {
  const { io } = o;
  const dbPath = path.resolve(o.dbPath);
  const lock: ServeLock = await acquireServeLock(dbPath, o.lockDeps);
  let transfers: BrowserTransfers | null = null;
  let ferry: Ferry | null = null;
  let bridge: Bridge | null = null;
  const cleanFiles = (): void => {
    try {
      transfers?.dispose();
    } catch {
      /* best effort */
    }
  };
  // the last resort (an uncaught error, process.exit): no lock and no uploaded files left behind
  const onExit = (): void => {
    cleanFiles();
    lock.release();
  };
  process.once('exit', onExit);
  let uninstall: () => void = () => undefined;
  try {
    // a taken --port is refused before the database is opened (or created)
    if (o.port && !(await portFree(o.port))) throw portTaken(o.port);
    const filesDir = serveFilesDir(dbPath);
    fs.rmSync(filesDir, { recursive: true, force: true }); // left by a server that crashed (we hold the lock now)
    const paths = pickedPaths();
    transfers = new BrowserTransfers({ dir: filesDir, paths, maxUploadBytes: o.maxUploadBytes });
    ferry = openFerry({ dbPath, mode: o.mode ?? 'worker', workerPath: o.workerPath, user: o.user, paths, dialogs: transfers, transfers });
    const staticDir = o.staticDir ?? defaultStaticDir();
    bridge = await startBridge({ handlers: ferry.handlers, jobs: ferry.jobs, staticDir, transfers, port: o.port }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') throw portTaken(o.port); // taken between the check and the start
      throw e;
    });
    lock.setPort(Number(new URL(bridge.url).port));

    let stop!: (why: string) => void;
    const stopped = new Promise<string>((r) => (stop = r));
    uninstall = (o.stopWhen ?? signalStop(io, onExit))(stop);

    io.stdout(`${say('serve.serving', { db: dbPath, url: bridge.url })}\n  ${say('serve.open', { page: bridge.pageUrl })}\n  ${say('serve.token', { token: bridge.token })}\n`);
    if (!staticDir) io.stderr(`ferry: ${say('serve.noScreens')}\n`);
    o.onListening?.(bridge);
    if (o.open) {
      const r = await (o.openBrowser ?? defaultOpenBrowser)(bridge.pageUrl);
      if (!r.opened) io.stdout(`  ${say('serve.noBrowser', { detail: r.reason ?? 'unknown reason' })}\n`);
    }

    const why = await stopped;
    io.stdout(`${say('serve.stopping', { why })}\n`);
    await bridge.close();
    bridge = null;
    for (const j of ferry.jobs.jobs.list(100)) {
      if ((j.status === 'running' || j.status === 'queued') && ferry.jobs.cancel(j.id)) io.stdout(`  ${say('serve.cancelling', { id: j.id, direction: j.direction, kind: j.kind })}\n`);
    }
    await ferry.close();
    ferry = null;
    cleanFiles();
    lock.release();
    io.stdout(`${say('serve.stopped')}\n`);
    return 0;
  } finally {
    uninstall();
    await bridge?.close().catch(() => undefined);
    await ferry?.close().catch(() => undefined);
    cleanFiles();
    lock.release();
    process.off('exit', onExit);
  }
}
