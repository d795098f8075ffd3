import os from 'node:os';
import type { Db } from '../open.ts';
import type { JobFile, JobRecord, JobStatus, JobSummary } from '../../../src-shared/api/contract.ts';
import { compactImportReport, compactImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { compactTrackerReport } from '../../../src-shared/dhis2/tracker.ts';
import type { SerializedError } from '../../../src-shared/errors.ts';
import type { FileOutcome } from '../../jobs/types.ts';

interface JobRow {
  id: number;
  kind: string;
  direction: 'import' | 'export';
  status: JobStatus;
  dry_run: number;
  options: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  result_status: string | null;
  summary: string | null;
  error: string | null;
  undone_by?: number | null;
}
interface FileRow {
  id: number;
  job_id: number;
  idx: number;
  path: string;
  name: string;
  size: number | null;
  sha256: string | null;
  format: string | null;
  compression: string | null;
  status: string | null;
}

/**
 * The job history rule (README "Conflicts and the job history"): the newest HISTORY_FULL jobs keep their whole
 * (capped) summary; an older job keeps its status, counts, files with their sha256 and outcome, and a compacted
 * summary (same shape, lists emptied and counted in the `more…` fields). Applied whenever a job finishes, to the
 * jobs that fell out of the window; job rows are never deleted.
 */
export const HISTORY_FULL = 200;
/** a stored summary this small is left as it is (compacting would not make listing cheaper) */
const COMPACT_OVER_BYTES = 4096;

/** The columns of a job row before `summary`: reading them never touches a long summary's overflow pages. */
const BRIEF_COLUMNS = `id, kind, direction, status, dry_run, options, created_at, started_at, finished_at, duration_ms, result_status`;
/** the undo job that undid a job (migration 0009-journal's job_undo) */
const UNDONE_BY = `(SELECT u.undone_by FROM job_undo u WHERE u.job_id = job.id) AS undone_by`;

export class JobsRepo {
  constructor(private readonly db: Db) {}

  create(j: { kind: string; direction: 'import' | 'export'; dryRun: boolean; options: Record<string, unknown>; files: { path: string; name: string; size: number | null }[] }): {
    jobId: number;
    fileIds: number[];
  } {
    return this.db.transaction(() => {
      const info = this.db
        .prepare(`INSERT INTO job (kind, direction, status, dry_run, options, created_at, pid, host) VALUES (?, ?, 'queued', ?, ?, ?, ?, ?)`)
        .run(j.kind, j.direction, j.dryRun ? 1 : 0, JSON.stringify(j.options), new Date().toISOString(), process.pid, os.hostname());
      const jobId = Number(info.lastInsertRowid);
      const ins = this.db.prepare(`INSERT INTO job_file (job_id, idx, path, name, size) VALUES (?, ?, ?, ?, ?)`);
      const fileIds = j.files.map((f, i) => Number(ins.run(jobId, i, f.path, f.name, f.size).lastInsertRowid));
      return { jobId, fileIds };
    })();
  }

  markRunning(id: number): void {
    this.db.prepare(`UPDATE job SET status = 'running', started_at = ? WHERE id = ?`).run(new Date().toISOString(), id);
  }

  finish(id: number, r: { status: JobStatus; resultStatus: string | null; summary: JobSummary | null; error: SerializedError | null; files?: FileOutcome[] }): void {
    this.db.transaction(() => {
      const now = new Date();
      const row = this.db.prepare(`SELECT started_at FROM job WHERE id = ?`).get(id) as { started_at: string | null } | undefined;
      const dur = row?.started_at ? now.getTime() - Date.parse(row.started_at) : null;
      this.db
        .prepare(`UPDATE job SET status = ?, finished_at = ?, duration_ms = ?, result_status = ?, summary = ?, error = ? WHERE id = ?`)
        .run(r.status, now.toISOString(), dur, r.resultStatus, r.summary ? JSON.stringify(r.summary) : null, r.error ? JSON.stringify(r.error) : null, id);
      const upd = this.db.prepare(
        `UPDATE job_file SET size = COALESCE(?, size), sha256 = COALESCE(?, sha256), format = COALESCE(?, format), compression = COALESCE(?, compression), status = ? WHERE job_id = ? AND idx = ?`,
      );
      for (const f of r.files ?? []) upd.run(f.size, f.sha256, f.format, f.compression, f.status, id, f.index);
      this.compactHistory();
    })();
  }

  /**
   * Applies the job history rule: summaries of jobs older than the newest `keep` are compacted (once: a compacted
   * summary is small and is skipped after). Returns how many were compacted.
   */
  compactHistory(keep = HISTORY_FULL): number {
    const boundary = this.db.prepare(`SELECT id FROM job ORDER BY id DESC LIMIT 1 OFFSET ?`).pluck().get(keep) as number | undefined;
    if (boundary === undefined) return 0;
    const ids = this.db
      .prepare(`SELECT id FROM job WHERE id <= ? AND summary IS NOT NULL AND octet_length(summary) > ?`)
      .pluck()
      .all(boundary, COMPACT_OVER_BYTES) as number[];
    const read = this.db.prepare(`SELECT summary FROM job WHERE id = ?`).pluck();
    const write = this.db.prepare(`UPDATE job SET summary = ? WHERE id = ?`);
    let n = 0;
    for (const id of ids) {
      const s = JSON.parse(read.get(id) as string) as JobSummary;
      const c = compactSummary(s);
      if (c === s) continue;
      write.run(JSON.stringify(c), id);
      n++;
    }
    return n;
  }

  /**
   * Jobs left 'running' or 'queued' by a process that is gone (a crash, a power cut) are marked interrupted: their
   * transaction never committed. Jobs of a live process on this machine (another window, a `ferry` command) are left
   * alone; so are jobs recorded on another machine (a database on a shared drive), which cannot be checked.
   */
  markInterrupted(): number {
    const rows = this.db.prepare(`SELECT id, pid, host FROM job WHERE status IN ('running','queued')`).all() as { id: number; pid: number | null; host: string | null }[];
    const here = os.hostname();
    const dead = rows.filter((r) => r.pid == null || (r.host === here && !processAlive(r.pid)));
    const upd = this.db.prepare(`UPDATE job SET status = 'interrupted', finished_at = ? WHERE id = ?`);
    const now = new Date().toISOString();
    this.db.transaction(() => dead.forEach((r) => upd.run(now, r.id)))();
    return dead.length;
  }

  /**
   * Output files of the newest exports that ended without finishing (failed, cancelled, interrupted) and that no
   * queued or running export writes now: where a stale `<file>.part` may have been left.
   */
  staleExportTargets(limit = 100): string[] {
    return this.db
      .prepare(
        `SELECT f.path FROM job j JOIN job_file f ON f.job_id = j.id
          WHERE j.direction = 'export' AND j.status IN ('failed', 'cancelled', 'interrupted')
            AND f.path NOT IN (SELECT f2.path FROM job j2 JOIN job_file f2 ON f2.job_id = j2.id
                                WHERE j2.direction = 'export' AND j2.status IN ('queued', 'running'))
          GROUP BY f.path ORDER BY MAX(j.id) DESC LIMIT ?`,
      )
      .pluck()
      .all(limit) as string[];
  }

  /** whether `file` is the output of an export that finished (the desktop app may then show it in its folder) */
  isExportOutput(file: string): boolean {
    return (
      this.db
        .prepare(`SELECT 1 FROM job j JOIN job_file f ON f.job_id = j.id WHERE j.direction = 'export' AND j.status = 'done' AND f.path = ? LIMIT 1`)
        .get(file) !== undefined
    );
  }

  get(id: number): JobRecord | null {
    const row = this.db.prepare(`SELECT *, ${UNDONE_BY} FROM job WHERE id = ?`).get(id) as JobRow | undefined;
    if (!row) return null;
    const files = this.db.prepare(`SELECT * FROM job_file WHERE job_id = ? ORDER BY idx`).all(id) as FileRow[];
    return toRecord(row, files);
  }

  /**
   * The newest jobs, newest first. `summaries: false` reads no summary (records carry `summary: null`): listing then
   * costs the same whatever the summaries hold.
   */
  list(limit = 200, opts: { summaries?: boolean } = {}): JobRecord[] {
    return [...this.iterate(limit, opts)];
  }

  /** As list(), one record at a time: a caller that writes each out holds one summary in memory, not all. */
  *iterate(limit = 200, opts: { summaries?: boolean } = {}): Generator<JobRecord> {
    const ids = this.db.prepare(`SELECT id FROM job ORDER BY id DESC LIMIT ?`).pluck().all(limit) as number[];
    if (!ids.length) return;
    const files = this.db
      .prepare(`SELECT * FROM job_file WHERE job_id >= ? AND job_id <= ? ORDER BY job_id, idx`)
      .all(ids[ids.length - 1]!, ids[0]!) as FileRow[];
    const byJob = new Map<number, FileRow[]>();
    for (const f of files) (byJob.get(f.job_id) ?? byJob.set(f.job_id, []).get(f.job_id)!).push(f);
    // without summaries: only the columns stored before `summary`, and the error of a job that is not done (such a
    // job has no summary, so reading its error walks no long summary)
    const one = this.db.prepare(
      opts.summaries === false
        ? `SELECT ${BRIEF_COLUMNS}, NULL AS summary, CASE WHEN status = 'done' THEN NULL ELSE error END AS error, ${UNDONE_BY} FROM job WHERE id = ?`
        : `SELECT *, ${UNDONE_BY} FROM job WHERE id = ?`,
    );
    // one row at a time (no statement left open while the caller writes)
    for (const id of ids) {
      const r = one.get(id) as JobRow | undefined;
      if (r) yield toRecord(r, byJob.get(id) ?? []);
    }
  }
}

/** A summary as the job history keeps it for an old job (the same object when there is nothing to compact). */
export function compactSummary(s: JobSummary): JobSummary {
  // a geometry dry run's map preview (up to ~1 MB) is for the wizard that ran it, not for the history
  if ('preview' in s) {
    const { preview: _preview, ...rest } = s as JobSummary & { preview?: unknown };
    s = rest as JobSummary;
  }
  if (s.responseType === 'ImportSummary') return compactImportSummary(s);
  if (s.responseType === 'ImportReport') return compactImportReport(s);
  if (s.responseType === 'TrackerImportReport') return compactTrackerReport(s);
  return s;
}

function toRecord(r: JobRow, files: FileRow[]): JobRecord {
  return {
    id: r.id,
    kind: r.kind,
    direction: r.direction,
    status: r.status,
    dryRun: r.dry_run === 1,
    options: JSON.parse(r.options) as Record<string, unknown>,
    files: files.map(
      (f): JobFile => ({ index: f.idx, path: f.path, name: f.name, size: f.size, sha256: f.sha256, format: f.format, compression: f.compression, status: f.status }),
    ),
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    resultStatus: r.result_status,
    summary: r.summary ? (JSON.parse(r.summary) as JobSummary) : null,
    error: r.error ? (JSON.parse(r.error) as SerializedError) : null,
    ...(r.undone_by != null ? { undoneBy: r.undone_by } : {}),
  };
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false; // this process is just starting: nothing of its own runs yet
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
