/**
 * The writing side of a data value job (issue 14: both cores at work). The job's thread keeps the one write
 * transaction and only writes: a parse thread (parse-worker.ts running parse-side.ts) reads the files and resolves
 * their rows while this thread applies the previous batches (codec.ts → apply.ts: stored values, outcomes, writes).
 * Each file (each zip entry) still runs inside its own SAVEPOINT, with its own summary; progress is the bytes the
 * parse thread has read; cancel is checked after every batch and while waiting (the parse thread is then terminated
 * and the job's transaction rolled back). A parse thread that cannot start or dies fails the job (nothing written).
 */
import { Worker } from 'node:worker_threads';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FileOutcome, ImportFileInput, ImportResult, JobContext } from '../../jobs/types.ts';
import { startWorker } from '../../jobs/start-worker.ts';
import { AppError, fromSerializedError, toSerializedError } from '../../../src-shared/errors.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { messageKeyOf } from '../../../src-shared/i18n/error-messages.ts';
import type { DataImportOptions, ImportFormat } from '../../../src-shared/dhis2/options.ts';
import {
  addMoreConflicts,
  emptyImportCount,
  type FileImportSummary,
  type ImportSummary,
  type SummaryStatus,
} from '../../../src-shared/dhis2/import-summary.ts';
import { inTransaction, release, rollbackTo, savepoint } from '../../db/tx.ts';
import { ConflictBudget } from './conflicts.ts';
import { DataValueWriter } from './writer.ts';
import { ValueApplier } from './apply.ts';
import { BatchDecoder, BatchRing } from './codec.ts';
import { fileStatus, wasAborted, type ResolvedSink } from './resolved.ts';
import { MAX_IN_FLIGHT, parseFiles, type ParseMessage, type ParseParams } from './parse-side.ts';

/** each file of a job runs inside this savepoint */
const FILE_SAVEPOINT = 'data_file';
const DESCRIPTION_OK = 'Import process completed successfully';
const DESCRIPTION_ABORTED = 'Import process was aborted';
/** errors that end the job instead of failing one file */
const FATAL = new Set(['CANCELLED', 'INTERNAL', 'DB_CORRUPT', 'DB_READONLY']);

/**
 * The parse thread's heap: a capped old generation makes V8 collect its garbage early — it lives on short-lived rows,
 * and its lasting data (the metadata lookups, a few batches) is small; a 16 MB young generation keeps scavenges cheap
 * enough (8 MB cost 1.4 s of GC per million values and made the parse thread the slower of the two). Without limits
 * the 1M-value CSV import peaked at 346–355 MB; with these at 301–305 MB (the one-thread import: 289–301 MB). A
 * metadata store too large for the cap fails the job with "parse thread failed (… out of memory)". Smaller limits save
 * little now that the batches travel in shared memory and the input is read in 64 KB pieces (parse-side.ts): 48 MB old
 * and 12 MB young doubled the parse thread's GC time (4.4 → 8.8 s of a profile in the same run) for about 10 MB.
 */
const PARSE_THREAD_LIMITS = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 16 };

/** where the parse thread runs: its own worker thread, or (in-memory databases, which another thread cannot open) this one */
export type ParseThread = 'worker' | 'same';

/** Runs the job's files through the two sides; returns what the importer returns. */
export async function runDataPipeline(
  ctx: JobContext, files: ImportFileInput[], options: DataImportOptions, format: ImportFormat | undefined, thread: ParseThread,
): Promise<ImportResult> {
  const db = ctx.db;
  const writer = new DataValueWriter(db, ctx.now);
  const decoder = new BatchDecoder();
  const summaries: FileImportSummary[] = [];
  const outcomes: FileOutcome[] = [];
  // what the job's summaries list (SUMMARY_LIMITS), shared by its files: counts stay exact, lists stay small
  const budget = new ConflictBudget();
  let records = 0;
  const firstOfFile = new Map<number, number>();
  const unitErrors = new Map<number, AppError>();

  /** the file (zip entry) being written */
  let unit: { k: number; label: string; format: string; size: number; compression: FileImportSummary['compression']; applier: ValueApplier; failed: AppError | null } | null = null;

  const params: ParseParams = { files, format, options, user: ctx.user, now: ctx.now };
  const parse = thread === 'worker' ? startParseThread(params, db.name, ctx) : sameThread(params, ctx);
  try {
    for (;;) {
      const m = await parse.next();
      if (m.t === 'batch') {
        if (unit && unit.failed === null) {
          try {
            decoder.apply(m.batch, unit.applier);
          } catch (e) {
            unit.failed = asFileError(e, unit.label);
            if (FATAL.has(unit.failed.code)) throw unit.failed;
          }
        } else decoder.apply(m.batch, NOWHERE); // (the period table must follow)
        parse.ack();
        records += m.rows;
        ctx.throwIfCancelled();
        ctx.progress({ stage: 'importing', unit: 'bytes', done: m.bytesRead, total: m.size, records, fileIndex: files[m.k]!.index, fileName: m.label });
        continue;
      }
      switch (m.t) {
        case 'unit': {
          if (!firstOfFile.has(m.k)) firstOfFile.set(m.k, summaries.length);
          ctx.throwIfCancelled();
          savepoint(db, FILE_SAVEPOINT);
          const applier = new ValueApplier({ writer, skipExistingCheck: options.skipExistingCheck === true, fileId: files[m.k]!.fileId, budget });
          unit = { k: m.k, label: m.label, format: m.format, size: m.size, compression: m.compression, applier, failed: null };
          break;
        }
        case 'unit-end': {
          const u = unit!;
          unit = null;
          if (u.failed) {
            failUnit(u.failed, u, { sha256: undefined, size: u.size, compression: u.compression, format: u.format, label: u.label, k: u.k });
            break;
          }
          const a = u.applier;
          const st = m.state;
          const status = fileStatus(st, a.conflicts.size);
          const dryRun = ctx.dryRun || st.payloadDryRun;
          if (st.payloadDryRun && !ctx.dryRun) {
            rollbackTo(db, FILE_SAVEPOINT);
            writer.afterRollback();
          }
          release(db, FILE_SAVEPOINT);
          const aborted = wasAborted(st);
          const more = a.conflicts.moreConflicts();
          summaries.push({
            responseType: 'ImportSummary',
            status,
            description: st.failure !== null && aborted ? `The import process failed: ${st.failure}` : aborted ? DESCRIPTION_ABORTED : DESCRIPTION_OK,
            importCount: aborted ? emptyImportCount() : a.count,
            ...(st.failure !== null && aborted && st.failureCode ? { errorCode: st.failureCode } : {}),
            conflicts: a.conflicts.list(),
            rejectedIndexes: a.rejected,
            ...(more ? { moreConflicts: more } : {}),
            ...(a.moreRejected ? { moreRejectedIndexes: a.moreRejected } : {}),
            dataSetComplete: st.dataSetComplete ?? 'false',
            importOptions: importOptionsOf(options, dryRun),
            dryRun,
            file: u.label,
            sha256: m.sha256,
            format: u.format,
            compression: u.compression,
            ...m.firstRow,
          });
          addOutcome(outcomes, { index: files[u.k]!.index, size: u.size, sha256: m.sha256, format: u.format, compression: u.compression ?? null, status });
          break;
        }
        case 'unit-error': {
          if (!firstOfFile.has(m.k)) firstOfFile.set(m.k, summaries.length);
          const u = m.started ? unit : null;
          unit = null;
          // a failure of the writing side came first: it is the file's error
          const err = u?.failed ?? fromSerializedError(m.error);
          failUnit(err, u, m);
          break;
        }
        case 'file-end': {
          const file = files[m.k]!;
          const err = unitErrors.get(m.k);
          // a single file (or a zip holding one) fails the job with its error, once it is known that nothing follows
          if (files.length === 1 && m.units === 1 && err) throw err;
          if (m.units > 1) {
            const first = firstOfFile.get(m.k) ?? summaries.length;
            for (const s of summaries.slice(first)) s.sha256 = m.sha256;
            const o = outcomes.find((x) => x.index === file.index);
            if (o) o.sha256 = m.sha256 ?? null;
          }
          break;
        }
        case 'done': {
          const summary = combine(summaries, options, ctx.dryRun);
          return { summary, status: summary.status, commit: true, files: outcomes };
        }
        case 'fatal':
          throw fromSerializedError(m.error);
      }
    }
  } finally {
    await parse.stop();
  }

  /** A file (zip entry) failed: rolled back entirely, an ERROR summary; errors of the job itself end it. */
  function failUnit(
    err: AppError,
    u: { applier: ValueApplier } | null,
    m: { k: number; label: string; format: string | null; sha256: string | undefined; size: number | null; compression: FileImportSummary['compression'] | undefined },
  ): void {
    if (u && inTransaction(db)) {
      rollbackTo(db, FILE_SAVEPOINT);
      release(db, FILE_SAVEPOINT);
    }
    writer.afterRollback();
    u?.applier.release();
    // (SQLite's damaged-page and read-only errors keep their codes: DB_CORRUPT names `ferry check` and the backup)
    if (FATAL.has(err.code)) throw err;
    unitErrors.set(m.k, err);
    summaries.push({
      responseType: 'ImportSummary',
      status: 'ERROR',
      description: `The import process failed: ${err.message}`,
      importCount: emptyImportCount(),
      conflicts: [],
      rejectedIndexes: [],
      dataSetComplete: 'false',
      importOptions: importOptionsOf(options, ctx.dryRun),
      dryRun: ctx.dryRun,
      file: m.label,
      sha256: m.sha256,
      format: m.format ?? undefined,
      compression: m.compression,
      // why, by key (Ferry extras beside the English description): the screens and the CLI say it in their language
      ...keyed(messageKeyOf(err.details)),
    });
    addOutcome(outcomes, { index: files[m.k]!.index, size: m.size, sha256: null, format: m.format, compression: m.compression ?? null, status: 'ERROR' });
  }
}

const keyed = (k: ReturnType<typeof messageKeyOf>): Pick<FileImportSummary, 'messageKey' | 'messageParams'> => (k ? { messageKey: k.key, messageParams: k.params } : {});

/** An error of the writing side, as the one-thread import reported it: AppErrors as they are, others named by the file. */
function asFileError(e: unknown, label: string): AppError {
  return e instanceof AppError ? e : fromSerializedError({ ...toSerializedError(e), details: { file: label } });
}

const NOWHERE: ResolvedSink = { reject() {}, plain() {}, complete() {}, value() {} };

interface ParseChannel {
  /** the next message, in order; rejects with CANCELLED when the job is cancelled meanwhile */
  next(): Promise<ParseMessage>;
  /** a batch has been applied */
  ack(): void;
  stop(): Promise<void>;
}

/** Messages in arrival order, waited for with a cancellation check every 100 ms. */
class Inbox {
  private readonly queue: (ParseMessage | { t: 'error'; error: AppError })[] = [];
  private head = 0;
  private waiter: (() => void) | null = null;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(ctx: JobContext) {
    this.timer = setInterval(() => {
      if (ctx.cancelled()) this.fail(ferryError('CANCELLED', 'job.cancelled'));
    }, 100);
  }

  push(m: ParseMessage): void {
    this.queue.push(m);
    this.wake();
  }

  /** ends the wait with an error (it comes after the messages already queued) */
  fail(error: AppError): void {
    this.queue.push({ t: 'error', error });
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  async next(): Promise<ParseMessage> {
    while (this.head >= this.queue.length) await new Promise<void>((r) => (this.waiter = r));
    const m = this.queue[this.head++]!;
    if (this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (m.t === 'error') throw m.error;
    return m;
  }

  close(): void {
    clearInterval(this.timer);
  }
}

/** The parse thread: a worker on the built entry beside this bundle, or the source through tsx. */
function startParseThread(params: ParseParams, dbPath: string, ctx: JobContext): ParseChannel {
  const inbox = new Inbox(ctx);
  let worker: Worker;
  let finished = false;
  // batches applied, counted in shared memory: the parse thread waits on it (Atomics.waitAsync), no message per batch.
  // acks[1]: while it waits, the count it waits for (half the batches in flight applied), so that it is woken once per
  // MAX_IN_FLIGHT / 2 batches, not per batch — waking a thread gives it the core on a busy machine: 1.0–1.3 s of the
  // job's thread went to the wake-ups of a million values when every batch woke it
  const acks = new Int32Array(new SharedArrayBuffer(8));
  const ring = BatchRing.create(MAX_IN_FLIGHT);
  const died = (key: 'import.parseThread.couldNotStart' | 'import.parseThread.failed' | 'import.parseThread.stopped', params: Record<string, string | number>): AppError =>
    ferryError('INTERNAL', key, params);
  try {
    worker = startWorker(parseWorkerEntry(), { params, dbPath, acks, ring: ring.buffer }, PARSE_THREAD_LIMITS);
  } catch (e) {
    inbox.close();
    throw died('import.parseThread.couldNotStart', { detail: (e as Error).message });
  }
  worker.on('message', (m: ParseMessage) => {
    if (m.t === 'batch') ring.unpack(m.batch);
    if (m.t === 'done' || m.t === 'fatal') finished = true;
    inbox.push(m);
  });
  worker.on('error', (e: Error) => inbox.fail(died('import.parseThread.failed', { detail: e.message })));
  worker.on('exit', (code) => {
    if (!finished) inbox.fail(died('import.parseThread.stopped', { code }));
  });
  return {
    next: () => inbox.next(),
    ack() {
      const applied = Atomics.add(acks, 0, 1) + 1;
      const waitsFor = Atomics.load(acks, 1);
      if (waitsFor !== 0 && applied >= waitsFor) Atomics.notify(acks, 0);
    },
    async stop() {
      inbox.close();
      finished = true;
      await worker.terminate();
    },
  };
}

/** The parse side on this thread (an in-memory database): the same messages, through the same inbox. */
function sameThread(params: ParseParams, ctx: JobContext): ParseChannel {
  const inbox = new Inbox(ctx);
  let inFlight = 0;
  let waiting: (() => void) | null = null;
  let stopped = false;
  void parseFiles(params, ctx.db, {
    post: (m) => {
      if (stopped) throw ferryError('CANCELLED', 'job.cancelled');
      if (m.t === 'batch') inFlight++;
      inbox.push(m);
    },
    credit: () => (inFlight < MAX_IN_FLIGHT ? Promise.resolve() : new Promise<void>((r) => (waiting = r))),
  }).catch((e: unknown) => {
    if (!stopped) inbox.push({ t: 'fatal', error: toSerializedError(e) });
  });
  return {
    next: () => inbox.next(),
    ack() {
      inFlight--;
      const w = waiting;
      waiting = null;
      w?.();
    },
    async stop() {
      stopped = true;
      inbox.close();
      const w = waiting;
      waiting = null;
      w?.();
    },
  };
}

/**
 * The parse thread's entry: FERRY_PARSE_WORKER when set (the bench), else the built data-parse-worker.js beside the
 * bundle this code runs from (out/main or out/main/chunks), else the source file (tsx: tests, development).
 */
export function parseWorkerEntry(): string {
  const env = process.env.FERRY_PARSE_WORKER;
  if (env) return env;
  const here = import.meta.url;
  if (!here.endsWith('.ts')) {
    for (const rel of ['./data-parse-worker.js', '../data-parse-worker.js']) {
      const p = fileURLToPath(new URL(rel, here));
      if (fs.existsSync(p)) return p;
    }
  }
  return fileURLToPath(new URL('./parse-worker.ts', here));
}

function worst(a: SummaryStatus, b: SummaryStatus): SummaryStatus {
  const rank = { SUCCESS: 0, WARNING: 1, ERROR: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

export function importOptionsOf(o: DataImportOptions, dryRun: boolean): Record<string, unknown> {
  const idSchemes: Record<string, string> = {};
  for (const k of ['idScheme', 'dataElementIdScheme', 'orgUnitIdScheme', 'categoryOptionComboIdScheme', 'dataSetIdScheme'] as const) {
    const v = o[k];
    if (v) idSchemes[k] = v;
  }
  return {
    idSchemes,
    dryRun,
    importStrategy: o.importStrategy,
    skipExistingCheck: o.skipExistingCheck,
    strictPeriods: o.strictPeriods,
    strictDataElements: o.strictDataElements,
    strictCategoryOptionCombos: o.strictCategoryOptionCombos,
    strictAttributeOptionCombos: o.strictAttributeOptionCombos,
    strictOrganisationUnits: o.strictOrganisationUnits,
    requireCategoryOptionCombo: o.requireCategoryOptionCombo,
    requireAttributeOptionCombo: o.requireAttributeOptionCombo,
    force: o.force,
    firstRowIsHeader: o.firstRowIsHeader,
  };
}

/** One outcome per file of the job: the entries of a zip archive make one (the worst status, their formats). */
function addOutcome(outcomes: FileOutcome[], o: FileOutcome): void {
  const had = outcomes.find((x) => x.index === o.index);
  if (!had) {
    outcomes.push(o);
    return;
  }
  const rank = (s: string | null): number => (s === 'ERROR' ? 2 : s === 'WARNING' ? 1 : 0);
  if (rank(o.status) > rank(had.status)) had.status = o.status;
  if (o.format && !(had.format ?? '').split(',').includes(o.format)) had.format = had.format ? `${had.format},${o.format}` : o.format;
  had.sha256 = o.sha256 ?? had.sha256;
  had.size ??= o.size;
  had.compression ??= o.compression;
}

/** The combined summary of a job: counts summed; single-file jobs are exactly that file's summary. */
export function combine(files: FileImportSummary[], options: DataImportOptions, dryRun: boolean): ImportSummary {
  if (files.length === 1) {
    const { file: _f, sha256: _s, format: _fo, compression: _c, ...one } = files[0]!;
    return { ...one, fileSummaries: files };
  }
  const count = emptyImportCount();
  let status: SummaryStatus = 'SUCCESS';
  const failed = files.filter((f) => f.status === 'ERROR').length;
  let more: ImportSummary['moreConflicts'];
  for (const f of files) {
    count.imported += f.importCount.imported;
    count.updated += f.importCount.updated;
    count.ignored += f.importCount.ignored;
    count.deleted += f.importCount.deleted;
    status = worst(status, f.status);
    more = addMoreConflicts(more, f.moreConflicts);
  }
  // the files' listed conflicts share one budget (ConflictBudget), so their concatenation respects the cap
  return {
    responseType: 'ImportSummary',
    status,
    description: failed ? `${failed} of ${files.length} files could not be imported; the others were imported` : DESCRIPTION_OK,
    importCount: count,
    conflicts: files.flatMap((f) => f.conflicts),
    ...(more ? { moreConflicts: more } : {}),
    rejectedIndexes: files.length === 1 ? files[0]!.rejectedIndexes : [],
    importOptions: importOptionsOf(options, dryRun),
    dryRun,
    fileSummaries: files,
  };
}
