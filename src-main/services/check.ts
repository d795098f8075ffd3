/**
 * `ferry check`, the db:check channel and the "Check database" screen: SQLite's integrity check of the site's database,
 * in a worker (never on the Electron main thread), with progress per step (db/integrity.ts says why steps), and what to
 * do when it fails. One check at a time per site; db:checkStatus reports the running one and the last result.
 * The check also compares Ferry's kept counts (migration 12: live values and events) with count(*) and offers the
 * repair when they differ (db:repair, `ferry check --repair`: db/repos/live-counts.ts counts again).
 */
import { fileURLToPath } from 'node:url';
import { openDb, reasonParams, type Db } from '../db/open.ts';
import { integrityPlan, integrityStep } from '../db/integrity.ts';
import { begin, rollbackIfOpen } from '../db/tx.ts';
import { startWorker } from '../jobs/start-worker.ts';
import { AppError, toSerializedError } from '../../src-shared/errors.ts';
import { type ErrorKey, type ErrorParams } from '../../src-shared/i18n/error-messages.ts';
import { englishError, ferryError } from '../../src-shared/keyed-errors.ts';
import type { DbCheckProgress, DbCheckResult, DbCheckStatus, DbRepairResult } from '../../src-shared/api/contract.ts';
import { checkLiveCounts, repairLiveCounts, type LiveCountCheck } from '../db/repos/live-counts.ts';

/** Problems listed at most (SQLite's own default for integrity_check); the count says how many more. */
const MAX_MESSAGES = 100;

export const CHECK_FAILED_ADVICE =
  'The database is damaged. Ferry cannot repair it: stop importing into it, keep a copy of the damaged file for ' +
  'support, and restore your latest backup (README: "Where your data lives, and how to back it up"); then import ' +
  'again the files you imported since that backup (the job history of the damaged database lists them, if it opens).';

/** Runs the check on a connection of its own (in the check worker; inline in tests). */
export function checkDatabaseFile(file: string, onProgress: (p: DbCheckProgress) => void = () => undefined, displayName?: string): DbCheckResult {
  const started = Date.now();
  let db: Db;
  try {
    db = openDb(file, { migrate: false, displayName });
  } catch (e) {
    const err = toSerializedError(e);
    if (err.code !== 'DB_CORRUPT') throw e;
    return { ok: false, messages: [err.message], durationMs: Date.now() - started, tables: 0, pages: 0, advice: CHECK_FAILED_ADVICE };
  }
  const messages: string[] = [];
  // Ferry's own findings by key (the doors say them in their language); SQLite's as they are (null)
  const messageDetails: NonNullable<DbCheckResult['messageDetails']> = [];
  const seen = new Set<string>();
  let more = 0;
  const note = (list: string[], where: string | null, dedupe = true): void => {
    for (const m of list) {
      if (dedupe && seen.has(m)) continue; // the whole-file step repeats what a table's step found
      seen.add(m);
      if (messages.length < MAX_MESSAGES) messages.push(where ? `${where}: ${m}` : m), messageDetails.push(null);
      else more++;
    }
  };
  const noteKeyed = (key: ErrorKey, params: ErrorParams = {}): void => {
    if (messages.length < MAX_MESSAGES) messages.push(englishError(key, params)), messageDetails.push({ messageKey: key, messageParams: params });
    else more++;
  };
  let tables: number;
  let pageCount: number;
  let liveCounts: LiveCountCheck[] | undefined;
  try {
    begin(db); // one snapshot for every step, whatever another connection commits meanwhile
    let plan: ReturnType<typeof integrityPlan>;
    try {
      plan = integrityPlan(db);
    } catch (e) {
      noteKeyed('check.schemaUnreadable', { detail: (e as Error).message });
      return { ok: false, messages, messageDetails, durationMs: Date.now() - started, tables: 0, pages: 0, advice: CHECK_FAILED_ADVICE };
    }
    if (!plan.measured) noteKeyed('check.noDbstat');
    tables = plan.steps.length - 1;
    pageCount = plan.pageCount;
    const total = plan.steps.reduce((n, s) => n + s.pages, 0);
    let done = 0;
    plan.steps.forEach((step, i) => {
      const stage = step.table === null ? 'checking free pages and page accounting' : `checking ${step.table}`;
      onProgress({ stage, step: i + 1, steps: plan.steps.length, done, total, elapsedMs: Date.now() - started });
      try {
        note(integrityStep(db, step, MAX_MESSAGES), step.table);
      } catch (e) {
        // (SQLite stops a check with SQLITE_CORRUPT when a page is too damaged to walk, e.g. its header)
        if (step.table) noteKeyed('check.tableUncheckable', { table: step.table, detail: (e as Error).message });
        else noteKeyed('check.fileUncheckable', { detail: (e as Error).message });
      }
      done += step.pages;
    });
    // the kept counts against count(*), in the same snapshot (b-tree counts: no step of its own; a database too
    // damaged to count has its messages)
    try {
      liveCounts = checkLiveCounts(db);
    } catch (e) {
      noteKeyed('check.countsUncomparable', { detail: (e as Error).message });
    }
    onProgress({ stage: 'done', step: plan.steps.length, steps: plan.steps.length, done: total, total, elapsedMs: Date.now() - started });
  } finally {
    rollbackIfOpen(db);
    db.close();
  }
  if (more) messages.push(englishError('check.moreProblems', { count: more })), messageDetails.push({ messageKey: 'check.moreProblems', messageParams: { count: more } });
  const ok = messages.length === 0;
  const result: DbCheckResult = { ok, messages, ...(messageDetails.some((d) => d) ? { messageDetails } : {}), durationMs: Date.now() - started, tables, pages: pageCount, advice: ok ? null : CHECK_FAILED_ADVICE };
  if (liveCounts) {
    result.liveCounts = liveCounts;
    // (a damaged database is restored from its backup, not repaired)
    result.repairs = ok && liveCounts.some((c) => c.kept !== c.counted) ? ['liveCounts'] : [];
  }
  return result;
}

/** True when a check found kept counts that differ from count(*). */
export function countsDrift(r: DbCheckResult): boolean {
  return (r.liveCounts ?? []).some((c) => c.kept !== c.counted);
}

/**
 * The repair the check offers: the kept counts taken again, on a connection of its own (in the check worker; inline in
 * tests). It waits for a job that writes (the busy timeout) and then fails with BUSY.
 */
export function repairDatabaseFile(file: string, displayName?: string): DbRepairResult {
  const started = Date.now();
  const db = openDb(file, { migrate: false, displayName });
  try {
    return { liveCounts: repairLiveCounts(db), durationMs: Date.now() - started };
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY')
      throw ferryError('BUSY', 'check.busyJobWriting');
    throw e;
  } finally {
    db.close();
  }
}

export interface DbCheckerOptions {
  /** the file the site's connections open (a read-only site's private copy) */
  dbPath: string;
  /** the database as the user named it (for messages) */
  displayName?: string;
  /** 'worker' (default) or 'inline' (tests) */
  mode?: 'worker' | 'inline';
  /** the job worker entry, which also runs checks (built .js in the app; defaults to jobs/worker.ts) */
  workerPath?: string;
  /** why the site is read-only (then `dbPath` is a private copy: the repair is refused), else null/absent */
  readOnly?: string | null;
  /** true while a job of this site runs (the repair is refused then, rather than waiting for it) */
  jobsBusy?: () => boolean;
}

/** Runs one check at a time for a site and keeps its progress and the last result (the db:checkStatus channel). */
export class DbChecker {
  private running: Promise<DbCheckResult> | null = null;
  private progress: DbCheckProgress | null = null;
  private last: DbCheckResult | null = null;
  private readonly o: DbCheckerOptions;

  constructor(o: DbCheckerOptions) {
    this.o = o;
  }

  /** Starts a check (or joins the one running) and resolves with its result. */
  run(onProgress?: (p: DbCheckProgress) => void): Promise<DbCheckResult> {
    if (this.running) return this.running;
    this.progress = { stage: 'starting', step: 0, steps: 0, done: 0, total: 0, elapsedMs: 0 };
    const seen = (p: DbCheckProgress): void => {
      this.progress = p;
      onProgress?.(p);
    };
    const p = this.o.mode === 'inline' ? Promise.resolve().then(() => checkDatabaseFile(this.o.dbPath, seen, this.o.displayName)) : this.inWorker(seen);
    this.running = p.then(
      (r) => {
        this.last = r;
        this.running = null;
        return r;
      },
      (e: unknown) => {
        this.running = null;
        throw e;
      },
    );
    return this.running;
  }

  status(): DbCheckStatus {
    return { running: this.running !== null, progress: this.running ? this.progress : null, last: this.last };
  }

  /** Resolves when no check runs (closing the site waits for it). */
  async idle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /**
   * The repair a check offers (the kept counts taken again), in the worker; not while a check runs. The last result's
   * kept counts then show the counts as repaired.
   */
  async repair(): Promise<DbRepairResult> {
    if (this.o.readOnly) throw ferryError('DB_READONLY', 'check.readOnly', { db: this.o.displayName ?? this.o.dbPath, ...reasonParams(this.o.readOnly) }, { readOnly: true });
    if (this.running) throw ferryError('BUSY', 'check.busyCheck');
    if (this.o.jobsBusy?.()) throw ferryError('BUSY', 'check.busyJob');
    const p: Promise<DbRepairResult> =
      this.o.mode === 'inline' ? Promise.resolve().then(() => repairDatabaseFile(this.o.dbPath, this.o.displayName)) : this.inWorker(() => undefined, true);
    this.running = p.then(() => this.last ?? { ok: true, messages: [], durationMs: 0, tables: 0, pages: 0, advice: null });
    try {
      const r = await p;
      if (this.last?.liveCounts) {
        const now = new Map(r.liveCounts.map((c) => [c.table, c.counted]));
        this.last = { ...this.last, liveCounts: this.last.liveCounts.map((c) => ({ ...c, kept: now.get(c.table) ?? c.kept, counted: now.get(c.table) ?? c.counted })), repairs: [] };
      }
      return r;
    } finally {
      this.running = null;
    }
  }

  private inWorker(onProgress: (p: DbCheckProgress) => void): Promise<DbCheckResult>;
  private inWorker(onProgress: (p: DbCheckProgress) => void, repair: true): Promise<DbRepairResult>;
  private inWorker(onProgress: (p: DbCheckProgress) => void, repair = false): Promise<DbCheckResult | DbRepairResult> {
    const entry = this.o.workerPath ?? fileURLToPath(new URL('../jobs/worker.ts', import.meta.url));
    const workerData = { check: { dbPath: this.o.dbPath, displayName: this.o.displayName, ...(repair ? { repair: true } : {}) } };
    const worker = startWorker(entry, workerData);
    return new Promise((resolve, reject) => {
      let settled = false;
      worker.on('message', (m: CheckWorkerMessage) => {
        if (m.type === 'check-progress') onProgress(m.progress);
        else if (m.type === 'check-result') (settled = true), resolve(m.result);
        else if (m.type === 'repair-result') (settled = true), resolve(m.result);
        else if (m.type === 'error') (settled = true), reject(new AppError(m.error.code as AppError['code'], m.error.message, m.error.details));
      });
      worker.on('error', (e) => {
        if (!settled) (settled = true), reject(e);
      });
      worker.on('exit', (code) => {
        if (!settled) (settled = true), reject(ferryError('INTERNAL', 'check.stopped', { code: code ?? 'null' }));
      });
    });
  }
}

/** Messages of the check worker (jobs/worker.ts started with workerData.check). */
export type CheckWorkerMessage =
  | { type: 'check-progress'; progress: DbCheckProgress }
  | { type: 'check-result'; result: DbCheckResult }
  | { type: 'repair-result'; result: DbRepairResult }
  | { type: 'error'; error: { code: string; message: string; details: Record<string, unknown> } };
