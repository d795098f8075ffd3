/**
 * The change journal's bookkeeping (migration 0009-journal): which job the triggers record for (journal_current), which
 * jobs the journal covers and which were undone. The undo itself is in journal-undo.ts.
 */
import type { Db } from '../open.ts';
import { Statements } from './statements.ts';

export class JournalRepo {
  private readonly st: Statements;

  constructor(private readonly db: Db) {
    this.st = new Statements(db);
  }

  /** From now on (inside the job's transaction) the journal triggers record rows for this job. */
  start(jobId: number): void {
    this.st.rows(`DELETE FROM journal_current`).run();
    this.st.rows(`INSERT INTO journal_current (job_id) VALUES (?)`).run(jobId);
  }

  /** The triggers stop recording (before the job's commit, so that no later write is recorded for it). */
  stop(): void {
    this.st.rows(`DELETE FROM journal_current`).run();
  }

  /** The first job id the journal covers. */
  since(): number {
    return (this.st.pluck(`SELECT job_id FROM journal_since`).get() as number | undefined) ?? Number.MAX_SAFE_INTEGER;
  }

  /** The undo job that undid a job, or null. */
  undoneBy(jobId: number): number | null {
    return (this.st.pluck(`SELECT undone_by FROM job_undo WHERE job_id = ?`).get(jobId) as number | undefined) ?? null;
  }

  markUndone(jobId: number, undoJobId: number): void {
    this.st.rows(`INSERT INTO job_undo (job_id, undone_by) VALUES (?, ?)`).run(jobId, undoJobId);
  }

  /** job id → the job that undid it, for these jobs */
  undoneMap(): Map<number, number> {
    return new Map(this.st.raw(`SELECT job_id, undone_by FROM job_undo`).all() as [number, number][]);
  }
}
