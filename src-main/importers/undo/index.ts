/**
 * Undo of an import (issue 13): a job of its own (kind 'undo', options { job, cascade }, one pseudo file whose
 * job_file id numbers what the undo writes) that restores exactly the state before job N from the change journal
 * (migration 0009-journal, db/repos/journal-undo.ts), in the job's one transaction (all or nothing; cancellable).
 *
 * Refused, with the reason: a job that does not exist, is not an import, did not finish, was a dry run, is of a kind
 * the journal does not cover (UNDOABLE_KINDS), ran before the journal existed, was already undone, or is itself an
 * undo (undo of an undo is refused: run the import again instead). When later jobs changed rows job N wrote, the undo
 * is refused naming them, unless cascade is asked: then those jobs (and the jobs after them that changed their rows)
 * are undone too, newest first, in the same transaction.
 */
import { type AppError } from '../../../src-shared/errors.ts';
import type { ErrorKey, ErrorParams } from '../../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { describeJobs, UNDOABLE_KINDS, type LaterJobRef, type UndoCounts, type UndoneJob, type UndoSummary } from '../../../src-shared/undo.ts';
import type { Db } from '../../db/open.ts';
import { JournalRepo } from '../../db/repos/journal.ts';
import { JournalUndoRepo } from '../../db/repos/journal-undo.ts';
import type { JobManager } from '../../jobs/manager.ts';
import type { Importer } from '../../jobs/types.ts';

interface JobRow {
  id: number;
  kind: string;
  direction: string;
  status: string;
  dry_run: number;
  created_at: string;
  finished_at: string | null;
}

const refuse = (why: Why, details: Record<string, unknown> = {}): AppError => ferryError('BAD_REQUEST', why.key, why.params, { refused: true, ...details });

/** a refusal's key and parameters (undo.* in the errors catalogue) */
interface Why {
  key: ErrorKey;
  params: ErrorParams;
}

function jobRow(db: Db, id: number): JobRow | undefined {
  return new JournalUndoRepo(db).job(id);
}

/** Why a job cannot be undone on its own (null when it can). */
function whyNot(db: Db, id: number, journal: JournalRepo): Why | null {
  const j = jobRow(db, id);
  if (!j) return { key: 'undo.noJob', params: { id } };
  if (j.kind === 'undo') return { key: 'undo.isUndo', params: { id } };
  if (j.direction !== 'import') return { key: 'undo.isExport', params: { id, kind: j.kind } };
  if (j.dry_run === 1) return { key: 'undo.wasDryRun', params: { id } };
  if (j.status !== 'done') return { key: 'undo.notFinished', params: { id, status: j.status } };
  if (!(UNDOABLE_KINDS as readonly string[]).includes(j.kind)) return { key: 'undo.kindNotUndoable', params: { kind: j.kind, kinds: UNDOABLE_KINDS.join(', ') } };
  if (id < journal.since()) return { key: 'undo.beforeJournal', params: { id } };
  const by = journal.undoneBy(id);
  if (by != null) return { key: 'undo.alreadyUndone', params: { id, by } };
  return null;
}

/**
 * The jobs to undo, newest first: the asked job, plus (cascade) every later job that changed its rows, transitively.
 * Throws a refusal (AppError with details.refused, details.laterJobs) when it cannot.
 */
export function planUndo(db: Db, jobId: number, cascade: boolean): UndoneJob[] {
  const journal = new JournalRepo(db);
  const repo = new JournalUndoRepo(db);
  const reason = whyNot(db, jobId, journal);
  if (reason) throw refuse(reason, { job: jobId });
  const chosen = new Map<number, UndoneJob>();
  const queue = [jobId];
  while (queue.length) {
    const id = queue.shift()!;
    if (chosen.has(id)) continue;
    const row = jobRow(db, id)!;
    chosen.set(id, { id, kind: row.kind, createdAt: row.created_at });
    const later = repo.laterJobsTouching(id).filter((l) => !chosen.has(l.id));
    if (!later.length) continue;
    if (!cascade) {
      throw refuse({ key: 'undo.laterJobs', params: { job: jobId, jobs: describeJobs(later) } }, { job: jobId, laterJobs: later satisfies LaterJobRef[] });
    }
    for (const l of later) {
      const why = whyNot(db, l.id, journal);
      if (why) throw refuse({ key: 'undo.laterCannot', params: { ...why.params, job: jobId, later: l.id, why: why.key.replace(/^undo\./, '') } }, { job: jobId, laterJobs: later });
      queue.push(l.id);
    }
  }
  const plan = [...chosen.values()].sort((a, b) => b.id - a.id);
  // metadata objects the undo would delete must not be left referenced (DHIS2 refuses to delete objects with data too)
  const used = repo.usesOfCreatedObjects(plan.map((j) => j.id));
  if (used) {
    throw refuse({ key: 'undo.objectsInUse', params: { job: jobId, used: USED[used] ?? 'other' } }, { job: jobId });
  }
  return plan;
}

/** what JournalUndoRepo.usesOfCreatedObjects names, by key (undo.used.*) */
const USED: Record<string, string> = { 'data values': 'dataValues', events: 'events', 'data set completions': 'completions', 'other metadata objects': 'metadata' };

const PROGRAM_DATA = new Set(['tracked_entity', 'tracked_entity_attribute_value', 'enrollment', 'event_data_value', 'tracker_note', 'relationship']);

export const undoImporter: Importer = {
  kind: 'undo' as Importer['kind'],
  async run(ctx, files, options) {
    const jobId = Number(options.job);
    const cascade = options.cascade === true;
    const undoFile = files[0]?.fileId;
    if (!Number.isInteger(jobId) || undoFile == null) throw ferryError('BAD_REQUEST', 'undo.needsJob');
    const db = ctx.db;
    const plan = planUndo(db, jobId, cascade); // checked again inside the transaction: the journal may have changed
    const repo = new JournalUndoRepo(db);
    const journal = new JournalRepo(db);
    const zero = (): UndoCounts => ({ removed: 0, restored: 0 });
    const summary: UndoSummary = {
      responseType: 'UndoSummary', status: 'SUCCESS', undone: plan, dataValues: zero(), events: zero(), otherProgramData: zero(), metadataObjects: zero(),
      otherRows: zero(), dryRun: ctx.dryRun,
    };
    const steps = plan.reduce((n, j) => n + repo.filesOf(j.id).length + 1, 0);
    let done = 0;
    for (const j of plan) {
      for (const f of repo.filesOf(j.id)) {
        ctx.throwIfCancelled();
        const c = repo.undoDataFile(f, undoFile);
        summary.dataValues.removed += c.removed;
        summary.dataValues.restored += c.restored;
        ctx.progress({ stage: `undoing job ${j.id}`, done: ++done, total: steps });
      }
      ctx.throwIfCancelled();
      for (const [table, c] of repo.undoRows(j.id, () => ctx.throwIfCancelled())) {
        const into = table === 'event' ? summary.events : table === 'metadata_object' ? summary.metadataObjects : PROGRAM_DATA.has(table) ? summary.otherProgramData : summary.otherRows;
        into.removed += c.removed;
        into.restored += c.restored;
      }
      journal.markUndone(j.id, ctx.jobId);
      ctx.progress({ stage: `undoing job ${j.id}`, done: ++done, total: steps });
    }
    return {
      summary,
      status: 'SUCCESS',
      commit: true,
      files: [{ index: 0, size: null, sha256: null, format: null, compression: null, status: 'SUCCESS' }],
    };
  },
};

/** Starts an undo job after checking it can run (a refusal is thrown before any job is recorded). */
export function startUndo(db: Db, jobs: JobManager, req: { job?: number; last?: boolean; cascade?: boolean; dryRun?: boolean }): { jobId: number; undoes: UndoneJob[] } {
  let target = req.job;
  if (target == null) {
    if (!req.last) throw ferryError('BAD_REQUEST', 'undo.sayWhich');
    target = new JournalUndoRepo(db).lastUndoableCandidate() ?? undefined;
    if (target == null) throw refuse({ key: 'undo.nothing', params: {} });
  }
  const plan = planUndo(db, target, req.cascade === true);
  const jobId = jobs.start({
    direction: 'import',
    kind: 'undo',
    dryRun: req.dryRun === true,
    options: { job: target, ...(req.cascade ? { cascade: true } : {}) },
    files: [{ path: `job:${target}`, name: `undo of job ${target}`, size: null }],
  });
  return { jobId, undoes: plan };
}
