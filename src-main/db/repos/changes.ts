/**
 * The local change sequence (issue 13, migration 0009-journal): what changed after sequence number N, for `ferry send`.
 *
 * THE SEQUENCE is job_file.id: every row an import (a receive, an undo) writes carries the id of the job file that wrote
 * it. Numbers only grow and never depend on the wall clock (facility desktops often have a wrong date).
 *
 * How a sender uses it:
 *   const changes = new ChangesRepo(db);
 *   const to = changes.currentSequence();            // inside the send's read transaction (one snapshot)
 *   for (const row of changes.dataValuesChangedSince(lastSent, to)) …   // ExportRow, texts decoded (see below)
 *   for (const id of changes.eventIdsChangedSince(lastSent, to)) …      // event.id, deleted events included
 *   for (const id of changes.metadataIdsChangedSince(lastSent, to)) …   // metadata_object.id (deleted ones are gone)
 *   record `to` as the package's changes.to; the next package starts from it.
 *
 *  - currentSequence(): the highest number whose writes are all committed: the newest file of a finished job, but
 *    below the first file of a job still queued or running (its number was given when it was queued; it may commit
 *    after a newer job). Never use max(job_file.id) directly.
 *  - dataValuesChangedSince(from, to): every data value whose latest write has a number in (from, to] — inserted,
 *    updated and soft-deleted ones (deleted = 1) — found through data_value_written's (file, ou, pe) partitions by key,
 *    without a scan of data_value. Also every value an undo numbered in (from, to] removed or restored (an undo restores
 *    the row as it was, old number included): a restored value comes as it is now, a removed one as a deletion with
 *    value, stored_by, created, last_updated and comment null. Rows come as the data exporter's ExportRow
 *    [de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted] (ids are
 *    metadata_object / period ids; stored_by/created/last_updated as text), partition by partition, streamed.
 *  - eventIdsChangedSince(from, to): ids of events a job with a file in (from, to] inserted, updated, soft-deleted,
 *    or whose data values it changed (from the journal), plus events whose source_file_id is in the range (rows written
 *    before the journal existed). Ascending, no duplicates.
 *  - metadataIdsChangedSince(from, to): likewise for metadata_object (an object deleted since is not listed).
 */
import type { Db } from '../open.ts';
import type { ExportRow } from './data-values.ts';
import { Statements } from './statements.ts';

export class ChangesRepo {
  private readonly st: Statements;

  constructor(private readonly db: Db) {
    this.st = new Statements(db);
  }

  /** The highest change sequence number whose writes are all committed (0 on a database without any job file). */
  currentSequence(): number {
    const done = this.st
      .pluck(`SELECT coalesce(max(f.id), 0) FROM job_file f JOIN job j ON j.id = f.job_id WHERE j.status NOT IN ('queued', 'running')`)
      .get() as number;
    const pending = this.st.pluck(`SELECT min(f.id) FROM job_file f JOIN job j ON j.id = f.job_id WHERE j.status IN ('queued', 'running')`).get() as
      | number
      | null;
    return pending == null ? done : Math.min(done, pending - 1);
  }

  /** Data values changed in (from, to] (to defaults to every number), deletions included; see the file comment. */
  *dataValuesChangedSince(from: number, to: number = Number.MAX_SAFE_INTEGER): Generator<ExportRow> {
    const texts = new Map(this.st.raw(`SELECT id, text FROM data_value_text`).all() as [number, string][]);
    const dec = (v: unknown): string | null => (typeof v === 'number' ? (texts.get(v) ?? null) : (v as string | null));
    const rows = this.st
      .raw(
        `SELECT dv.de, dv.pe, dv.ou, dv.coc, dv.aoc, dv.value, dv.stored_by, dv.created, dv.last_updated, dv.comment, dv.followup, dv.deleted
           FROM (SELECT DISTINCT ou, pe FROM data_value_written WHERE file_id > ? AND file_id <= ?) w
           JOIN data_value dv ON dv.ou = w.ou AND dv.pe = w.pe
          WHERE dv.source_file_id > ? AND dv.source_file_id <= ?`,
      )
      .iterate(from, to, from, to) as IterableIterator<ExportRow>;
    for (const r of rows) yield decode(r, dec);
    // keys an undo removed or restored: as they are now unless already yielded above
    const undone = this.st
      .raw(
        `SELECT u.de, u.pe, u.ou, u.coc, u.aoc, dv.value, dv.stored_by, dv.created, dv.last_updated, dv.comment, coalesce(dv.followup, 0),
                CASE WHEN dv.ou IS NULL THEN 1 ELSE dv.deleted END
           FROM (SELECT DISTINCT ou, pe, de, coc, aoc FROM undo_touched WHERE file_id > ? AND file_id <= ?) u
           LEFT JOIN data_value dv ON dv.ou = u.ou AND dv.pe = u.pe AND dv.de = u.de AND dv.coc = u.coc AND dv.aoc = u.aoc
          WHERE dv.ou IS NULL OR dv.source_file_id IS NULL OR dv.source_file_id <= ? OR dv.source_file_id > ?`,
      )
      .iterate(from, to, from, to) as IterableIterator<ExportRow>;
    for (const r of undone) yield decode(r, dec);
  }

  /** Ids of events changed in (from, to], soft-deleted ones included, ascending. */
  eventIdsChangedSince(from: number, to: number = Number.MAX_SAFE_INTEGER): IterableIterator<number> {
    return this.st
      .pluck(
        `WITH jobs AS (SELECT DISTINCT job_id FROM job_file WHERE id > ? AND id <= ?)
         SELECT k1 FROM journal_row WHERE job_id IN (SELECT job_id FROM jobs) AND tbl IN ('event', 'event_data_value')
         UNION SELECT n.owner_id FROM journal_row r JOIN tracker_note n ON n.id = r.k1
           WHERE r.job_id IN (SELECT job_id FROM jobs) AND r.tbl = 'tracker_note' AND n.owner_type = 'EVENT'
         UNION SELECT id FROM event WHERE source_file_id > ? AND source_file_id <= ?
         ORDER BY 1`,
      )
      .iterate(from, to, from, to) as IterableIterator<number>;
  }

  /** Ids of metadata objects created or updated in (from, to] and still stored, ascending. */
  metadataIdsChangedSince(from: number, to: number = Number.MAX_SAFE_INTEGER): IterableIterator<number> {
    return this.st
      .pluck(
        `SELECT k1 FROM journal_row WHERE job_id IN (SELECT DISTINCT job_id FROM job_file WHERE id > ? AND id <= ?) AND tbl = 'metadata_object'
           AND k1 IN (SELECT id FROM metadata_object)
         UNION SELECT id FROM metadata_object WHERE source_file_id > ? AND source_file_id <= ?
         ORDER BY 1`,
      )
      .iterate(from, to, from, to) as IterableIterator<number>;
  }
}

/** texts of a row in place (a NULL created is the row's last_updated) */
function decode(r: ExportRow, dec: (v: unknown) => string | null): ExportRow {
  r[6] = dec(r[6]);
  const updated = dec(r[8]);
  r[8] = updated;
  r[7] = r[7] == null ? updated : dec(r[7]);
  return r;
}
