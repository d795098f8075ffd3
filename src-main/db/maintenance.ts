/**
 * Keeping a site's database in shape without the user thinking about it (services/maintenance.ts decides when):
 *
 * - a large job: the query planner's statistics (ANALYZE the first time, PRAGMA optimize after; both with an analysis
 *   limit) on the job's own connection, in its transaction, just before it commits (updateStatistics: they are
 *   committed with the data or not at all, and they read the pages the job has just written from its warm page cache:
 *   ~50 ms after a 1M-value import where a fresh connection took 0.3–0.6 s, reading them back through the -wal);
 *   after it, a WAL checkpoint (TRUNCATE: the -wal file goes back to zero bytes, unless a reader still uses it);
 * - compaction (`ferry vacuum`): SQLite's VACUUM on a connection of its own in a worker thread. In WAL mode VACUUM is
 *   one write transaction like any other: a crash or power cut mid-way leaves the database as it was (the WAL's
 *   uncommitted frames are ignored), other connections may stay open, and it is refused at once (BUSY) while another
 *   connection holds the write lock. VACUUM has no progress callback: the progress is read from the files it writes —
 *   first its temporary copy (Linux: found among the process's open files), then the -wal it copies back into —
 *   against the expected size (the used pages);
 * - backup (`ferry backup`): SQLite's online backup API into `OUT.part`, verified (quick_check and application_id
 *   'FRRY'), switched to a one-file journal mode, synced, then renamed to OUT: OUT is either complete and checked or
 *   untouched, whatever happens mid-way.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import type { Db } from './open.ts';
import { FERRY_APPLICATION_ID } from './migrations/application-id.ts';
import { AppError } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';

/** The size facts of a database file (pages as SQLite counts them). */
export interface DbSize {
  pageSize: number;
  pages: number;
  freePages: number;
  /** bytes of the database file and its -wal on disk */
  fileBytes: number;
  walBytes: number;
}

export function dbSize(db: Db, file: string): DbSize {
  return {
    pageSize: db.pragma('page_size', { simple: true }) as number,
    pages: db.pragma('page_count', { simple: true }) as number,
    freePages: db.pragma('freelist_count', { simple: true }) as number,
    fileBytes: fileBytes(file),
    walBytes: fileBytes(`${file}-wal`),
  };
}

/** A database whose free pages are more than this share of the file, and more than COMPACT_MIN_FREE_BYTES, is worth compacting. */
export const COMPACT_MIN_FREE_SHARE = 0.2;
export const COMPACT_MIN_FREE_BYTES = 50 * 1024 * 1024;

/**
 * The free space inside the database file (SQLite's freelist: pages of deleted rows, or of the tables migration 6
 * converted) and whether a compaction (VACUUM) is worth offering: more than a fifth of the file and more than 50 MB.
 * Two header reads: cheap enough for every `ferry info` and every maintenance status poll.
 */
export function freeSpace(db: Db): { fileBytes: number; freeBytes: number; worthCompacting: boolean } {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const fileBytes = (db.pragma('page_count', { simple: true }) as number) * pageSize;
  const freeBytes = (db.pragma('freelist_count', { simple: true }) as number) * pageSize;
  return { fileBytes, freeBytes, worthCompacting: worthCompacting(freeBytes, fileBytes) };
}

export function worthCompacting(freeBytes: number, fileBytes: number): boolean {
  return freeBytes > COMPACT_MIN_FREE_BYTES && freeBytes > fileBytes * COMPACT_MIN_FREE_SHARE;
}

function fileBytes(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
}

export interface CheckpointOutcome {
  /** a reader kept the checkpoint from finishing (it completes at a later one) */
  busy: boolean;
  /** frames in the WAL, and how many of them are now in the database file */
  walFrames: number;
  checkpointed: number;
}

export interface OptimizeOutcome {
  checkpoint: CheckpointOutcome;
  durationMs: number;
}

/**
 * rows a table's statistics look at per index (SQLite's recommended range is 100-1000). A smaller limit saves little:
 * most of ANALYZE's time on data_value is counting its rows (measured 2026-12-08 on the 1M-value database: 1000 rows
 * 56–95 ms, 100 rows 57–96 ms, 10 rows 82–92 ms, on a warm connection of a loaded machine)
 */
const ANALYSIS_LIMIT = 1000;

/**
 * The planner's statistics, on a large job's own connection inside its transaction, just before it commits
 * (jobs/runner.ts): ANALYZE the first time (no sqlite_stat1 yet: every table, the metadata ones cost a few ms), else
 * PRAGMA optimize, which re-analyzes the tables this connection used whose size changed enough to matter (25×).
 */
export function updateStatistics(db: Db): 'analyze' | 'optimize' {
  db.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
  const has = hasStatistics(db);
  if (has) db.pragma('optimize');
  else db.exec('ANALYZE');
  return has ? 'optimize' : 'analyze';
}

/** What Ferry does after a large job has committed (its statistics with it): a WAL checkpoint. Safe while other connections read. */
export function optimizeAfterLargeWrite(db: Db): OptimizeOutcome {
  const start = performance.now();
  return { checkpoint: checkpoint(db), durationMs: Math.round(performance.now() - start) };
}

/** PRAGMA wal_checkpoint(TRUNCATE): the -wal back to zero bytes when no reader holds it. */
export function checkpoint(db: Db): CheckpointOutcome {
  const row = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  const r = row[0] ?? { busy: 0, log: 0, checkpointed: 0 };
  return { busy: r.busy !== 0, walFrames: r.log, checkpointed: r.checkpointed };
}

/** Whether the statistics table exists (tests, info). */
export function hasStatistics(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'`).get() !== undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// compaction

export interface VacuumProgress {
  /** 'copying': SQLite writes the compacted copy; 'writing': it copies it back (into the -wal); 'checkpoint' */
  stage: 'copying' | 'writing' | 'checkpoint';
  /** bytes written of the stage, of about `total` (null when the stage cannot be watched on this system) */
  done: number | null;
  total: number;
  elapsedMs: number;
}

export interface VacuumResult {
  before: DbSize;
  after: DbSize;
  /** bytes the database file (with its -wal) shrank by */
  savedBytes: number;
  checkpoint: CheckpointOutcome;
  durationMs: number;
}

/**
 * The worker's code: its own connection, then VACUUM and a checkpoint ('vacuum') or the after-job checkpoint
 * ('optimize', the same SQL as optimizeAfterLargeWrite). CommonJS (an eval worker); its SQL stays here.
 */
const MAINTENANCE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqliteModule);
const checkpoint = (db) => {
  const r = db.pragma('wal_checkpoint(TRUNCATE)')[0];
  return { busy: r.busy !== 0, walFrames: r.log, checkpointed: r.checkpointed };
};
let db;
try {
  const start = performance.now();
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  if (workerData.task === 'vacuum') {
    db.pragma('temp_store = FILE');
    // the write lock is taken at once or never: another writer is a reason to refuse, not to wait
    db.pragma('busy_timeout = 0');
    db.exec('VACUUM');
    parentPort.postMessage({ type: 'vacuumed' });
    db.pragma('busy_timeout = 5000');
    parentPort.postMessage({ type: 'done', checkpoint: checkpoint(db) });
  } else {
    db.pragma('busy_timeout = 1000');
    const cp = checkpoint(db);
    parentPort.postMessage({ type: 'done', outcome: { checkpoint: cp, durationMs: Math.round(performance.now() - start) } });
  }
} catch (e) {
  parentPort.postMessage({ type: 'error', code: String((e && e.code) || ''), message: String((e && e.message) || e) });
} finally {
  try { if (db) db.close(); } catch {}
}
`;

interface WorkerMsg {
  type: 'vacuumed' | 'done' | 'error';
  code?: string;
  message?: string;
  checkpoint?: CheckpointOutcome;
  outcome?: OptimizeOutcome;
}

function runMaintenanceWorker(task: 'vacuum' | 'optimize', file: string, onMessage: (m: WorkerMsg) => void): Promise<WorkerMsg> {
  return new Promise((resolve, reject) => {
    const w = new Worker(MAINTENANCE_WORKER, { eval: true, workerData: { task, file: path.resolve(file), sqliteModule: sqliteModulePath() } });
    let settled = false;
    w.on('message', (m: WorkerMsg) => {
      if (m.type === 'done' || m.type === 'error') {
        settled = true;
        resolve(m);
      } else onMessage(m);
    });
    w.on('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    w.on('exit', (code) => {
      if (!settled) reject(ferryError('INTERNAL', 'db.maintenanceStopped', { code: code ?? '' }));
    });
  });
}

/** optimizeAfterLargeWrite on a connection of its own in a worker thread (the caller's thread stays free). */
export async function optimizeInWorker(file: string): Promise<OptimizeOutcome> {
  const m = await runMaintenanceWorker('optimize', file, () => undefined);
  if (m.type === 'error') throw ferryError('INTERNAL', 'db.checkpointFailed', { detail: m.message ?? '' }, { file, sqlite: m.code ?? '' });
  return m.outcome!;
}

function sqliteModulePath(): string {
  return createRequire(import.meta.url).resolve('better-sqlite3');
}

/** The size of SQLite's temporary VACUUM copy held open by this process (Linux: /proc/self/fd), else null. */
function tempCopyBytes(): number | null {
  if (process.platform !== 'linux') return null;
  let best: number | null = null;
  try {
    for (const fd of fs.readdirSync('/proc/self/fd')) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        continue;
      }
      if (!/\/etilqs_[^/]*( \(deleted\))?$/.test(target)) continue;
      try {
        const size = fs.statSync(`/proc/self/fd/${fd}`).size;
        best = Math.max(best ?? 0, size);
      } catch {
        /* closed meanwhile */
      }
    }
  } catch {
    return null;
  }
  return best;
}

/**
 * Compacts the database at `file` (VACUUM in a worker thread, on a connection of its own). `db` is a connection of
 * the caller (for the sizes before and after); it may stay open. Refused with BUSY while another connection writes.
 */
export async function vacuumDatabase(db: Db, file: string, onProgress?: (p: VacuumProgress) => void): Promise<VacuumResult> {
  const start = performance.now();
  refuseWhileWriting(db, file);
  const before = dbSize(db, file);
  const used = Math.max(1, before.pages - before.freePages) * before.pageSize;
  const walTotal = Math.max(1, before.pages - before.freePages) * (before.pageSize + 24);
  let stage: VacuumProgress['stage'] = 'copying';
  const tick = (): void => {
    if (!onProgress) return;
    const elapsedMs = Math.round(performance.now() - start);
    if (stage === 'copying') {
      const temp = tempCopyBytes();
      const wal = fileBytes(`${file}-wal`);
      // the temporary copy is closed once VACUUM starts copying it back: the -wal then grows
      if (wal > before.pageSize * 4) stage = 'writing';
      else return onProgress({ stage, done: temp === null ? null : Math.min(temp, used), total: used, elapsedMs });
    }
    if (stage === 'writing') onProgress({ stage, done: Math.min(fileBytes(`${file}-wal`), walTotal), total: walTotal, elapsedMs });
    else onProgress({ stage, done: null, total: used, elapsedMs });
  };
  tick();
  const timer = setInterval(tick, 250);
  let cp: CheckpointOutcome;
  try {
    const m = await runMaintenanceWorker('vacuum', file, (msg) => {
      if (msg.type === 'vacuumed') {
        stage = 'checkpoint';
        tick();
      }
    });
    if (m.type === 'error') throw vacuumError(m.code ?? '', m.message ?? '', file);
    cp = m.checkpoint!;
  } finally {
    clearInterval(timer);
  }
  const after = dbSize(db, file);
  return {
    before,
    after,
    savedBytes: before.fileBytes + before.walBytes - (after.fileBytes + after.walBytes),
    checkpoint: cp,
    durationMs: Math.round(performance.now() - start),
  };
}

/**
 * Refuses at once (BUSY) when another connection holds the write lock; then checkpoints, waiting a second at most for
 * readers, so that what is in the -wal is in the file and the -wal's growth is VACUUM's copy-back alone.
 */
function refuseWhileWriting(db: Db, file: string): void {
  const wait = db.pragma('busy_timeout', { simple: true }) as number;
  try {
    db.pragma('busy_timeout = 0');
    try {
      db.prepare('BEGIN IMMEDIATE').run();
      db.prepare('ROLLBACK').run();
    } catch (e) {
      throw vacuumError(String((e as { code?: unknown }).code ?? ''), (e as Error).message, file);
    }
    db.pragma('busy_timeout = 1000');
    checkpoint(db);
  } finally {
    db.pragma(`busy_timeout = ${wait}`);
  }
}

function vacuumError(code: string, message: string, file: string): AppError {
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return ferryError('BUSY', 'db.compactBusy', { file }, { file, sqlite: code });
  if (code === 'SQLITE_FULL')
    return ferryError('BAD_FILE', 'db.compactNoSpace', { file }, {
      file,
      sqlite: code,
    });
  return ferryError('INTERNAL', 'db.compactFailed', { file, detail: message }, { file, sqlite: code });
}

// ---------------------------------------------------------------------------------------------------------------
// backup

export interface BackupProgress {
  stage: 'copying' | 'verifying';
  /** pages copied of `total` */
  done: number;
  total: number;
  elapsedMs: number;
}

export interface BackupResult {
  out: string;
  bytes: number;
  pages: number;
  /** PRAGMA quick_check of the copy: 'ok' (a copy that is not ok is never left under `out`) */
  check: 'ok';
  durationMs: number;
}

/** The temporary name a backup is written under until it is complete and verified. */
export function backupPartPath(out: string): string {
  return `${out}.part`;
}

function removeQuietly(p: string): void {
  for (const f of [p, `${p}-wal`, `${p}-shm`, `${p}-journal`]) fs.rmSync(f, { force: true });
}

/**
 * Copies the database of connection `db` to `out` with SQLite's online backup (other connections go on reading and
 * writing; a write by another connection restarts the copy, one by `db` itself is carried along). `pagesPerStep`:
 * pages copied between progress reports (default 4096: 16 MB with 4 KB pages).
 */
export async function backupDatabase(db: Db, out: string, o: { onProgress?: (p: BackupProgress) => void; pagesPerStep?: number } = {}): Promise<BackupResult> {
  const start = performance.now();
  const target = path.resolve(out);
  const part = backupPartPath(target);
  const step = o.pagesPerStep ?? 4096;
  if (!fs.existsSync(path.dirname(target)))
    throw ferryError('FILE_NOT_FOUND', 'db.backupNoFolder', { folder: path.dirname(target) }, { file: target });
  removeQuietly(part);
  let total = 0;
  try {
    await db.backup(part, {
      progress: ({ totalPages, remainingPages }) => {
        total = totalPages;
        o.onProgress?.({ stage: 'copying', done: totalPages - remainingPages, total: totalPages, elapsedMs: Math.round(performance.now() - start) });
        return step;
      },
    });
    o.onProgress?.({ stage: 'verifying', done: total, total, elapsedMs: Math.round(performance.now() - start) });
    const pages = verifyCopy(part, target);
    const fd = fs.openSync(part, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(part, target);
    syncDir(path.dirname(target));
    return { out: target, bytes: fileBytes(target), pages, check: 'ok', durationMs: Math.round(performance.now() - start) };
  } catch (e) {
    removeQuietly(part);
    if (e instanceof AppError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOSPC' || String(err.code).startsWith('SQLITE_FULL'))
      throw ferryError('BAD_FILE', 'db.backupNoSpace', { target }, { file: target });
    if (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS' || String(err.code).startsWith('SQLITE_CANTOPEN') || String(err.code).startsWith('SQLITE_READONLY'))
      throw ferryError('BAD_FILE', 'db.backupCannotWrite', { target, detail: err.message }, { file: target });
    throw ferryError('INTERNAL', 'db.backupFailed', { target, detail: err.message }, { file: target });
  }
}

/**
 * Opens the copy on a connection of its own: quick_check must say ok and the application_id must be Ferry's. The copy
 * is switched to a rollback journal (one self-contained file; Ferry switches it back to WAL when it opens it). Returns
 * its page count.
 */
function verifyCopy(part: string, target: string): number {
  const copy = new Database(part, { fileMustExist: true });
  try {
    const rows = copy.pragma('quick_check') as { quick_check: string }[];
    const found = rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
    if (found.length) throw ferryError('DB_CORRUPT', 'db.backupCheckFailed', { detail: found.slice(0, 3).join('; ') }, { file: target });
    const appId = copy.pragma('application_id', { simple: true }) as number;
    if (appId !== FERRY_APPLICATION_ID) throw ferryError('BAD_FILE', 'db.backupNotFerry', { id: appId }, { file: target });
    copy.pragma('journal_mode = DELETE');
    return copy.pragma('page_count', { simple: true }) as number;
  } finally {
    copy.close();
  }
}

function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* best effort: some file systems cannot sync a folder */
  }
}

/** Whether a file is a Ferry database that passes quick_check (tests, `ferry backup` of the copy). */
export function isSoundFerryDb(file: string): boolean {
  const db = new Database(file, { fileMustExist: true, readonly: true });
  try {
    const ok = (db.pragma('quick_check') as { quick_check: string }[]).every((r) => r.quick_check === 'ok');
    return ok && db.pragma('application_id', { simple: true }) === FERRY_APPLICATION_ID;
  } finally {
    db.close();
  }
}
