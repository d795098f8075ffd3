/**
 * Undo from the change journal (migration 0009-journal), inside the undo job's transaction:
 *  - laterJobsTouching(N): the jobs after N (not undone, not undo jobs) that changed a row N wrote — a data value N
 *    wrote that a later file changed (its before-image in the later file's journal names one of N's files), or a
 *    metadata / program data row in both jobs' journal_row.
 *  - undoDataFile(F, U): the data values of job file F back as they were before it: the rows of F's partitions that F
 *    wrote last are removed, then F's before-images are put back (old texts, timestamps and source_file_id as they
 *    were). Every key changed is listed in undo_touched under the undo's own file U, and U's partitions in
 *    data_value_written (the sender then carries the undo). data_value_change and data_value_text keep the rows the job
 *    added (bookkeeping: a stale partition row is harmless; the texts are a few user names and timestamps).
 *  - undoRows(N): every metadata / program data row N inserted is deleted, every row it updated or deleted is put back
 *    from its before-image (children before parents for deletes, parents first for restores); set-based statements
 *    per table. The data values and notes of the events (notes of the enrollments) N created or changed are removed,
 *    then those it changed put back from journal_event_value / journal_note (from migration 13 on, only the values
 *    N wrote are removed and put back: journal_event_value holds exactly those; and the notes N added, listed in
 *    journal_row as 'tracker_note', are removed).
 */
import type { Db } from '../open.ts';
import { JOURNALED_TABLES } from '../migrations/0009-journal.ts';
import { Statements } from './statements.ts';

export interface LaterJob {
  id: number;
  kind: string;
  createdAt: string;
  finishedAt: string | null;
}

const DV_COLS = 'ou, pe, de, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id';

export class JournalUndoRepo {
  private readonly st: Statements;

  constructor(private readonly db: Db) {
    this.st = new Statements(db);
  }

  /** the columns of a job row an undo checks */
  job(id: number): { id: number; kind: string; direction: string; status: string; dry_run: number; created_at: string; finished_at: string | null } | undefined {
    return this.st.rows(`SELECT id, kind, direction, status, dry_run, created_at, finished_at FROM job WHERE id = ?`).get(id) as
      | { id: number; kind: string; direction: string; status: string; dry_run: number; created_at: string; finished_at: string | null }
      | undefined;
  }

  /** The newest import that finished, was not a dry run or an undo, and is not undone ("undo the last import"). */
  lastUndoableCandidate(): number | null {
    return (
      (this.st
        .pluck(
          `SELECT id FROM job WHERE direction = 'import' AND status = 'done' AND dry_run = 0 AND kind <> 'undo' AND id NOT IN (SELECT job_id FROM job_undo)
            ORDER BY id DESC LIMIT 1`,
        )
        .get() as number | undefined) ?? null
    );
  }

  /** job_file ids of a job, newest first */
  filesOf(jobId: number): number[] {
    return this.st.pluck(`SELECT id FROM job_file WHERE job_id = ? ORDER BY id DESC`).all(jobId) as number[];
  }

  /** Jobs after `jobId` that changed rows it wrote (undone jobs and undo jobs left out), oldest first. */
  laterJobsTouching(jobId: number): LaterJob[] {
    const ids = this.st
      .pluck(
        `SELECT DISTINCT jf.job_id FROM job_file nf
           JOIN data_value_written wf ON wf.file_id = nf.id
           JOIN data_value_written wg ON wg.ou = wf.ou AND wg.pe = wf.pe AND wg.file_id > wf.file_id
           JOIN job_file jf ON jf.id = wg.file_id AND jf.job_id <> nf.job_id
           WHERE nf.job_id = ? AND EXISTS (SELECT 1 FROM journal_data_value j WHERE j.file_id = wg.file_id AND j.ou = wg.ou AND j.pe = wg.pe AND j.source_file_id = wf.file_id)
         UNION
         SELECT DISTINCT l.job_id FROM journal_row n
           JOIN journal_row l ON l.tbl = n.tbl AND l.k1 = n.k1 AND l.k2 = n.k2 AND l.k3 = n.k3 AND l.k4 = n.k4 AND l.job_id > n.job_id
           WHERE n.job_id = ?`,
      )
      .all(jobId, jobId) as number[];
    if (!ids.length) return [];
    return this.st
      .rows(
        `SELECT id, kind, created_at AS createdAt, finished_at AS finishedAt FROM job
          WHERE id IN (SELECT value FROM json_each(?)) AND id > ? AND kind <> 'undo' AND id NOT IN (SELECT job_id FROM job_undo)
          ORDER BY id`,
      )
      .all(JSON.stringify(ids), jobId) as LaterJob[];
  }

  /**
   * What still uses metadata objects these jobs created (and the undo would delete): data values, events, data set
   * completions or references from other objects — not counting rows the same jobs wrote (the undo removes those).
   * Returns a phrase naming the first kind of use found, or null.
   */
  usesOfCreatedObjects(jobIds: number[]): string | null {
    const jobs = JSON.stringify(jobIds);
    const created = `SELECT k1 FROM journal_row WHERE job_id IN (SELECT value FROM json_each('${jobs}')) AND tbl = 'metadata_object' AND before IS NULL`;
    const files = `SELECT id FROM job_file WHERE job_id IN (SELECT value FROM json_each('${jobs}'))`;
    const checks: [string, string][] = [
      ['data values', `SELECT 1 FROM data_value WHERE (ou IN (${created}) OR de IN (${created})) AND source_file_id NOT IN (${files}) LIMIT 1`],
      ['events', `SELECT 1 FROM event WHERE (program IN (${created}) OR ou IN (${created})) AND coalesce(source_file_id, 0) NOT IN (${files}) LIMIT 1`],
      ['data set completions', `SELECT 1 FROM complete_registration WHERE (dataset IN (${created}) OR ou IN (${created})) AND coalesce(source_file_id, 0) NOT IN (${files}) LIMIT 1`],
      ['other metadata objects', `SELECT 1 FROM metadata_ref WHERE to_id IN (${created}) AND from_id NOT IN (${created}) LIMIT 1`],
    ];
    for (const [what, sql] of checks) if (this.st.pluck(sql).get() !== undefined) return what;
    return null;
  }

  /** Undoes the data values of one job file (see the file comment); returns how many values were removed and restored. */
  undoDataFile(fileId: number, undoFileId: number): { removed: number; restored: number } {
    const touched = this.st
      .rows(
        `INSERT OR IGNORE INTO undo_touched (file_id, ou, pe, de, coc, aoc)
           SELECT ?, dv.ou, dv.pe, dv.de, dv.coc, dv.aoc FROM data_value_written w
             JOIN data_value dv ON dv.ou = w.ou AND dv.pe = w.pe AND dv.source_file_id = w.file_id
            WHERE w.file_id = ?`,
      )
      .run(undoFileId, fileId).changes;
    const deleted = this.st
      .rows(`DELETE FROM data_value WHERE source_file_id = ? AND (ou, pe) IN (SELECT ou, pe FROM data_value_written WHERE file_id = ?)`)
      .run(fileId, fileId).changes;
    const restored = this.st
      .rows(`INSERT INTO data_value (${DV_COLS}) SELECT ${DV_COLS} FROM journal_data_value WHERE file_id = ? ORDER BY ou, pe, de, coc, aoc`)
      .run(fileId).changes;
    // the live count and the combos stored (migration 12: no insert trigger on data_value; the DELETE has its trigger)
    if (restored > 0) {
      this.st.rows(`UPDATE live_count SET n = n + (SELECT count(*) FROM journal_data_value WHERE file_id = ? AND deleted = 0) WHERE tbl = 'data_value'`).run(fileId);
      this.st.rows(`INSERT OR IGNORE INTO data_value_combo (coc, aoc, de) SELECT DISTINCT coc, aoc, de FROM journal_data_value WHERE file_id = ?`).run(fileId);
    }
    this.st.rows(`INSERT OR IGNORE INTO data_value_written (file_id, ou, pe) SELECT ?, ou, pe FROM data_value_written WHERE file_id = ?`).run(undoFileId, fileId);
    void touched;
    return { removed: deleted - restored, restored };
  }

  /**
   * Undoes the metadata / program data rows of a job; returns per table how many rows were removed (inserted by the
   * job) and restored (updated or deleted by it).
   */
  undoRows(jobId: number, each?: () => void): Map<string, { removed: number; restored: number }> {
    const out = new Map<string, { removed: number; restored: number }>();
    const tables = JOURNALED_TABLES.filter((t) => this.tableExists(t.table));
    // the values and notes of every event (notes of every enrollment) the job created or changed go first: those it
    // changed come back from journal_event_value / journal_note after the events themselves
    const children = { removed: 0, restored: 0 };
    // from migration 13 on a job journals each event data value it wrote (existed = 0: one it added); before, every
    // value of each event it updated
    const perValueSince = this.tableExists('journal_event_value_since')
      ? ((this.st.pluck(`SELECT job_id FROM journal_event_value_since`).get() as number | undefined) ?? 0)
      : Number.MAX_SAFE_INTEGER;
    const perValue = jobId >= perValueSince;
    const created = `SELECT k1 FROM journal_row WHERE job_id = ? AND tbl = 'event' AND before IS NULL`;
    if (this.tableExists('event')) {
      if (perValue) {
        children.removed += this.st.rows(`DELETE FROM event_data_value WHERE event IN (${created})`).run(jobId).changes;
        children.removed += this.st
          .rows(`DELETE FROM event_data_value WHERE (event, de) IN (SELECT event, de FROM journal_event_value WHERE job_id = ?)`)
          .run(jobId).changes;
      } else
        children.removed += this.st
          .rows(`DELETE FROM event_data_value WHERE event IN (SELECT k1 FROM journal_row WHERE job_id = ? AND tbl = 'event')`)
          .run(jobId).changes;
      // notes are only ever added: from migration 13 on each one a job added is in its journal_row; before, every note
      // of each event (enrollment) it wrote was copied to journal_note
      if (perValue)
        children.removed += this.st
          .rows(`DELETE FROM tracker_note WHERE id IN (SELECT k1 FROM journal_row WHERE job_id = ? AND tbl = 'tracker_note')`)
          .run(jobId).changes;
      else
        for (const [tbl, owner] of [['event', 'EVENT'], ['enrollment', 'ENROLLMENT']] as const)
          children.removed += this.st
            .rows(`DELETE FROM tracker_note WHERE owner_type = '${owner}' AND owner_id IN (SELECT k1 FROM journal_row WHERE job_id = ? AND tbl = '${tbl}')`)
            .run(jobId).changes;
    }
    const keyMatch = (alias: string, key: string[]): string => [0, 1, 2, 3].map((i) => (key[i] ? `${alias}.${key[i]} = j.k${i + 1}` : null)).filter(Boolean).join(' AND ');
    // deletes: children before parents
    for (const { table, key } of [...tables].reverse()) {
      const n = this.st
        .rows(`DELETE FROM ${table} AS t WHERE EXISTS (SELECT 1 FROM journal_row j WHERE j.job_id = ? AND j.tbl = '${table}' AND j.before IS NULL AND ${keyMatch('t', key)})`)
        .run(jobId).changes;
      out.set(table, { removed: n, restored: 0 });
      each?.();
    }
    // restores: parents before children; an existing row is updated in place (no delete: foreign keys cascade)
    for (const { table, key } of tables) {
      const cols = this.columns(table);
      const nonKey = cols.filter((c) => !key.includes(c));
      // a column of the before-image: an object naming the columns, or (events from migration 13 on) an array of them
      // in table order
      const img = (c: string): string =>
        table === 'event'
          ? `CASE WHEN substr(j.before, 1, 1) = '[' THEN json_extract(j.before, '$[${cols.indexOf(c)}]') ELSE json_extract(j.before, '$.${c}') END`
          : `json_extract(j.before, '$.${c}')`;
      let n = 0;
      if (nonKey.length) {
        n += this.st
          .rows(
            `UPDATE ${table} AS t SET ${nonKey.map((c) => `${c} = ${img(c)}`).join(', ')}
               FROM (SELECT * FROM journal_row WHERE job_id = ? AND tbl = '${table}' AND before IS NOT NULL) AS j WHERE ${keyMatch('t', key)}`,
          )
          .run(jobId).changes;
      }
      n += this.st
        .rows(
          `INSERT INTO ${table} (${cols.join(', ')}) SELECT ${cols.map(img).join(', ')}
             FROM journal_row j WHERE j.job_id = ? AND j.tbl = '${table}' AND j.before IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM ${table} t WHERE ${keyMatch('t', key)})`,
        )
        .run(jobId).changes;
      out.get(table)!.restored = n;
      each?.();
    }
    if (this.tableExists('event')) {
      const v = this.st
        .rows(
          `INSERT INTO event_data_value (event, de, value, provided_elsewhere, stored_by, created_at, updated_at, created_by, updated_by)
           SELECT event, de, value, provided_elsewhere, stored_by, created_at, updated_at, created_by, updated_by FROM journal_event_value
            WHERE job_id = ? AND existed = 1 AND event NOT IN (${created})`,
        )
        .run(jobId, jobId).changes;
      const n = this.st
        .rows(
          `INSERT INTO tracker_note (id, uid, owner_type, owner_id, value, stored_at, stored_by, created_by)
           SELECT id, uid, owner_type, owner_id, value, stored_at, stored_by, created_by FROM journal_note WHERE job_id = ?`,
        )
        .run(jobId).changes;
      // a value or note both removed and put back was restored, not removed
      children.removed -= v + n;
      children.restored += v + n;
      out.set('event_data_value', children);
    }
    return out;
  }

  private tableExists(table: string): boolean {
    return this.st.pluck(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(table) !== undefined;
  }

  private columns(table: string): string[] {
    return this.st.pluck(`SELECT name FROM pragma_table_info(?)`).all(table) as string[];
  }
}
