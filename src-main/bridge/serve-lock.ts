/**
 * One `ferry serve` per database: an owner file next to it (`<db>-serve.lock`, JSON: pid, port, host, start time).
 *
 * Why a file created with O_EXCL ('wx') rather than an OS lock: Node has no flock()/LockFileEx(); exclusive create is
 * atomic on both Windows (CREATE_NEW) and Linux, also on a FAT-formatted USB key; and the refused server can read
 * the owner to say who serves the database and where. A server that crashed leaves the file behind, so an existing
 * file counts only while its owner lives: same host, the process exists, and (once it has a port) something answers
 * HTTP on that port — which tells a live Ferry from a new process that happens to reuse a dead server's pid.
 * The owner file is removed when the server stops (also on an uncaught error, through process 'exit').
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type AppError } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';

export interface ServeLockOwner {
  pid: number;
  /** null while the server is starting (before it listens) */
  port: number | null;
  host: string;
  startedAt: string;
  db: string;
}

export interface ServeLock {
  readonly file: string;
  readonly owner: ServeLockOwner;
  /** records the port once the server listens */
  setPort(port: number): void;
  /** removes the owner file if it is still ours (synchronous: safe in process 'exit') */
  release(): void;
}

export interface ServeLockDeps {
  pid?: number;
  host?: string;
  /** does a process with this pid exist */
  isAlive?: (pid: number) => boolean;
  /** does something answer HTTP on 127.0.0.1:port */
  answers?: (port: number) => Promise<boolean>;
  now?: () => Date;
}

export function serveLockPath(dbPath: string): string {
  return `${path.resolve(dbPath)}-serve.lock`;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function httpAnswers(port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/api/events', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', () => resolve(false));
  });
}

function readOwner(file: string): ServeLockOwner | null {
  try {
    const o = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ServeLockOwner>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string') return null;
    return { pid: o.pid, port: typeof o.port === 'number' ? o.port : null, host: o.host, startedAt: String(o.startedAt ?? ''), db: String(o.db ?? '') };
  } catch {
    return null;
  }
}

/** Whether the owner in an existing lock file still serves (then the new server must not start). */
async function ownerLives(file: string, owner: ServeLockOwner | null, d: Required<ServeLockDeps>): Promise<boolean> {
  if (!owner) {
    // being written this instant by a starting server, or garbage: garbage older than a few seconds is stale
    try {
      return d.now().getTime() - fs.statSync(file).mtimeMs < 5000;
    } catch {
      return false;
    }
  }
  if (owner.host !== d.host) return true; // another machine (a shared drive): we cannot check, so we do not take over
  if (!d.isAlive(owner.pid)) return false;
  if (owner.port === null) return true; // starting
  return d.answers(owner.port);
}

function refusal(file: string, owner: ServeLockOwner | null, db: string, host: string): AppError {
  if (owner && owner.host !== host) {
    return ferryError('BUSY', 'serve.otherHost', { host: owner.host, db, pid: owner.pid, file }, { file, owner });
  }
  const key = owner?.port ? 'serve.busyAt' : owner ? 'serve.busyStarting' : 'serve.busy';
  return ferryError('BUSY', key, { db, ...(owner ? { pid: owner.pid } : {}), ...(owner?.port ? { port: owner.port } : {}) }, { file, owner });
}

/**
 * Takes the database for this server, or throws AppError BUSY naming the server that has it. A stale file (its
 * owner is gone) is replaced.
 */
export async function acquireServeLock(dbPath: string, deps: ServeLockDeps = {}): Promise<ServeLock> {
  const d: Required<ServeLockDeps> = {
    pid: deps.pid ?? process.pid,
    host: deps.host ?? os.hostname(),
    isAlive: deps.isAlive ?? processAlive,
    answers: deps.answers ?? ((port) => httpAnswers(port)),
    now: deps.now ?? (() => new Date()),
  };
  const db = path.resolve(dbPath);
  const file = serveLockPath(db);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const owner: ServeLockOwner = { pid: d.pid, port: null, host: d.host, startedAt: d.now().toISOString(), db };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
      return lockFor(file, owner);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const other = readOwner(file);
    if (await ownerLives(file, other, d)) throw refusal(file, other, db, d.host);
    // stale: its server is gone. Remove it only if it is still the file we judged (another starter may have won).
    const again = readOwner(file);
    if (JSON.stringify(again) === JSON.stringify(other)) fs.rmSync(file, { force: true });
  }
  throw refusal(file, readOwner(file), db, d.host);
}

function lockFor(file: string, owner: ServeLockOwner): ServeLock {
  let released = false;
  const mine = (): boolean => {
    const now = readOwner(file);
    return !!now && now.pid === owner.pid && now.startedAt === owner.startedAt && now.host === owner.host;
  };
  return {
    file,
    owner,
    setPort(port) {
      owner.port = port;
      if (!released && mine()) fs.writeFileSync(file, JSON.stringify(owner), { mode: 0o600 });
    },
    release() {
      if (released) return;
      released = true;
      if (mine()) fs.rmSync(file, { force: true });
    },
  };
}
