/**
 * Writes of a data value import: prepared statements inside the job's transaction, integer keys. Existing-value
 * lookups are skipped for (org unit, period) partitions known to hold no rows — on an empty database (or a new month)
 * a value costs one INSERT and no SELECT.
 */
import type { Db } from '../../db/open.ts';
import type { Period } from '../../../src-shared/dhis2/period.ts';
import type { Statement } from 'better-sqlite3';

/** [value, comment, followup, deleted] of a stored row */
export type ExistingRow = [string | null, string | null, number, number];

const PART = 4_194_304; // 2^22: period ids below this

export class DataValueWriter {
  private periods = new Map<string, number>();
  private readonly partitions = new Map<number, boolean>();
  private tableEmpty: boolean;
  private readonly st: {
    existing: Statement;
    partition: Statement;
    insertNew: Statement;
    insertIfAbsent: Statement;
    insert: Statement;
    update: Statement;
    del: Statement;
    insPeriod: Statement;
    periodId: Statement;
    complete: Statement;
  };

  constructor(
    private readonly db: Db,
    private readonly now: string,
  ) {
    this.st = {
      existing: db.prepare(`SELECT value, comment, followup, deleted FROM data_value WHERE de = ? AND pe = ? AND ou = ? AND coc = ? AND aoc = ?`).raw(),
      partition: db.prepare(`SELECT 1 FROM data_value WHERE ou = ? AND pe = ? LIMIT 1`).pluck(),
      insertNew: db.prepare(
        `INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertIfAbsent: db.prepare(
        `INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ou, pe, de, coc, aoc) DO NOTHING`,
      ),
      insert: db.prepare(
        `INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (de, pe, ou, coc, aoc) DO UPDATE SET value = excluded.value, stored_by = excluded.stored_by, created = excluded.created,
           last_updated = excluded.last_updated, comment = excluded.comment, followup = excluded.followup, deleted = excluded.deleted,
           source_file_id = excluded.source_file_id`,
      ),
      update: db.prepare(
        `UPDATE data_value SET value = ?, comment = ?, followup = ?, stored_by = ?, last_updated = ?, deleted = 0, source_file_id = ?
         WHERE de = ? AND pe = ? AND ou = ? AND coc = ? AND aoc = ?`,
      ),
      del: db.prepare(
        `UPDATE data_value SET deleted = 1, stored_by = ?, last_updated = ?, source_file_id = ? WHERE de = ? AND pe = ? AND ou = ? AND coc = ? AND aoc = ?`,
      ),
      insPeriod: db.prepare(`INSERT OR IGNORE INTO period (iso, type, start_date, end_date) VALUES (?, ?, ?, ?)`),
      periodId: db.prepare(`SELECT id FROM period WHERE iso = ?`).pluck(),
      complete: db.prepare(
        `INSERT INTO complete_registration (dataset, pe, ou, aoc, date, stored_by, source_file_id) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (dataset, pe, ou, aoc) DO UPDATE SET date = excluded.date, stored_by = excluded.stored_by, source_file_id = excluded.source_file_id`,
      ),
    };
    this.tableEmpty = db.prepare(`SELECT 1 FROM data_value LIMIT 1`).pluck().get() === undefined;
    this.loadPeriods();
  }

  private loadPeriods(): void {
    this.periods = new Map((this.db.prepare(`SELECT iso, id FROM period`).raw().all() as [string, number][]).map(([iso, id]) => [iso, id]));
  }

  /** After a savepoint rollback: periods created by the rolled-back file are gone; partitions may be stale-full (harmless). */
  afterRollback(): void {
    this.loadPeriods();
    this.lastOu = -1;
  }

  /** period.id for a period, creating the row when it does not exist yet. */
  periodId(p: Period): number {
    let id = this.periods.get(p.iso);
    if (id === undefined) {
      this.st.insPeriod.run(p.iso, p.type, p.startDate, p.endDate);
      id = this.st.periodId.get(p.iso) as number;
      this.periods.set(p.iso, id);
    }
    return id;
  }

  private lastOu = -1;
  private lastPe = -1;
  private lastEmpty = false;

  /**
   * True when the (org unit, period) partition held no value when the job started (inserts by this job do not change
   * the answer: they are detected by insertIfAbsent instead).
   */
  partitionWasEmpty(ou: number, pe: number): boolean {
    if (ou === this.lastOu && pe === this.lastPe) return this.lastEmpty;
    const key = ou * PART + pe;
    let empty = this.partitions.get(key);
    if (empty === undefined) {
      empty = this.tableEmpty || this.st.partition.get(ou, pe) === undefined;
      this.partitions.set(key, empty);
    }
    this.lastOu = ou;
    this.lastPe = pe;
    this.lastEmpty = empty;
    return empty;
  }

  lookup(de: number, pe: number, ou: number, coc: number, aoc: number): ExistingRow | null {
    if (this.partitionWasEmpty(ou, pe) && this.insertedNothing) return null;
    return (this.st.existing.get(de, pe, ou, coc, aoc) as ExistingRow | undefined) ?? null;
  }

  /** INSERT unless the key exists; false when it does (then nothing was written). */
  insertIfAbsent(
    de: number, pe: number, ou: number, coc: number, aoc: number,
    value: string | null, comment: string | null, followup: number, storedBy: string, fileId: number,
  ): boolean {
    this.insertedNothing = false;
    return this.st.insertIfAbsent.run(de, pe, ou, coc, aoc, value, storedBy, this.now, this.now, comment, followup, 0, fileId).changes > 0;
  }

  /** no row written by this job yet: an empty partition then certainly has no row */
  private insertedNothing = true;

  insert(
    de: number, pe: number, ou: number, coc: number, aoc: number,
    value: string | null, comment: string | null, followup: number, deleted: number, storedBy: string, fileId: number,
    /** false only when the existing-value lookup ran and found no row (so a plain INSERT cannot conflict) */
    mayExist: boolean,
  ): void {
    this.insertedNothing = false;
    (mayExist ? this.st.insert : this.st.insertNew).run(de, pe, ou, coc, aoc, value, storedBy, this.now, this.now, comment, followup, deleted, fileId);
  }

  update(de: number, pe: number, ou: number, coc: number, aoc: number, value: string | null, comment: string | null, followup: number, storedBy: string, fileId: number): void {
    this.st.update.run(value, comment, followup, storedBy, this.now, fileId, de, pe, ou, coc, aoc);
  }

  softDelete(de: number, pe: number, ou: number, coc: number, aoc: number, storedBy: string, fileId: number): void {
    this.st.del.run(storedBy, this.now, fileId, de, pe, ou, coc, aoc);
  }

  complete(dataSet: number, p: Period, ou: number, aoc: number, date: string, storedBy: string, fileId: number): void {
    this.st.complete.run(dataSet, this.periodId(p), ou, aoc, date, storedBy, fileId);
  }
}
