/**
 * Writes of a data value import, inside the job's transaction, on integer keys (the SQL is DataValueWritesRepo's
 * and PeriodsRepo's). Existing-value lookups are skipped for (org unit, period) partitions known to hold no rows — on
 * an empty database (or a new month) a value costs one INSERT and no SELECT. The user name and the job's timestamp are
 * stored as data_value_text ids (two Map lookups a value).
 */
import type { Db } from '../../db/open.ts';
import type { Period } from '../../../src-shared/dhis2/period.ts';
import { DataValueWritesRepo, SpilledKeySet, type ExistingRow } from '../../db/repos/data-values.ts';
import { PeriodsRepo } from '../../db/repos/periods.ts';

export type { ExistingRow };

const PART = 4_194_304; // 2^22: period ids below this
/** partitions whose emptiness a writer remembers at most (a window: files are grouped by org unit and period) */
export const PARTITIONS_REMEMBERED = 4096;

export class DataValueWriter {
  private periods = new Map<string, number>();
  /**
   * (org unit, period) partitions → held no value when the job started, for the recent partitions only: memory stays
   * flat however many partitions a job writes. A partition asked about again once forgotten is looked up again: "empty
   * now" implies "empty when the job started" (a job adds rows, and a rolled-back file takes only its own), and a
   * partition this job wrote into answers "held values", which only makes the job look its keys up (same outcome).
   */
  private readonly partitions = new Map<number, boolean>();
  private tableEmpty: boolean;
  private readonly db: Db;
  private readonly values: DataValueWritesRepo;
  private readonly periodRepo: PeriodsRepo;

  constructor(
    db: Db,
    private readonly now: string,
  ) {
    this.db = db;
    this.values = new DataValueWritesRepo(db);
    this.periodRepo = new PeriodsRepo(db);
    this.tableEmpty = this.values.isEmpty();
    this.loadPeriods();
  }

  private loadPeriods(): void {
    this.periods = this.periodRepo.idsByIso();
  }

  /** A key set outside the heap, in the job's transaction (the conflict groups a file counts but does not list). */
  keySet(): SpilledKeySet {
    return new SpilledKeySet(this.db);
  }

  /** After a savepoint rollback: periods created by the rolled-back file are gone; partitions may be stale-full (harmless). */
  afterRollback(): void {
    this.loadPeriods();
    this.values.forgetTexts();
    this.lastOu = -1;
    this.lastPeriod = null;
    this.lastBy = null;
    this.nowId = -1;
  }

  /** Partitions remembered (bounded by PARTITIONS_REMEMBERED), and the repo's own windows: for tests. */
  trackedKeys(): { partitions: number; combos: number; changes: number; written: number } {
    return { partitions: this.partitions.size, ...this.values.trackedKeys() };
  }

  /** the last period asked for that has a row, and its id (values come grouped by period: no Map lookup) */
  private lastPeriod: Period | null = null;
  private lastPeriodId = -1;

  /** period.id of a period that has a row, else −1 (no row is created: nothing can be stored under it yet). */
  knownPeriodId(p: Period): number {
    if (p === this.lastPeriod) return this.lastPeriodId;
    const id = this.periods.get(p.iso);
    if (id === undefined) return -1;
    this.lastPeriod = p;
    this.lastPeriodId = id;
    return id;
  }

  /** period.id for a period, creating the row when it does not exist yet (only for a value about to be written). */
  periodId(p: Period): number {
    if (p === this.lastPeriod) return this.lastPeriodId;
    let id = this.periods.get(p.iso);
    if (id === undefined) {
      id = this.periodRepo.ensure(p);
      this.periods.set(p.iso, id);
    }
    this.lastPeriod = p;
    this.lastPeriodId = id;
    return id;
  }

  /** the last user name written and its data_value_text id; the job's timestamp's id (−1: not known yet) */
  private lastBy: string | null = null;
  private lastById = -1;
  private nowId = -1;

  private byId(storedBy: string): number {
    if (storedBy === this.lastBy) return this.lastById;
    this.lastById = this.values.textId(storedBy);
    this.lastBy = storedBy;
    return this.lastById;
  }

  private nowTextId(): number {
    if (this.nowId < 0) this.nowId = this.values.textId(this.now);
    return this.nowId;
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
      empty = this.tableEmpty || this.values.partitionIsEmpty(ou, pe);
      if (this.partitions.size >= PARTITIONS_REMEMBERED) this.partitions.clear();
      this.partitions.set(key, empty);
    }
    this.lastOu = ou;
    this.lastPe = pe;
    this.lastEmpty = empty;
    return empty;
  }

  lookup(de: number, pe: number, ou: number, coc: number, aoc: number): ExistingRow | null {
    if (this.partitionWasEmpty(ou, pe) && this.insertedNothing) return null;
    return this.values.find(de, pe, ou, coc, aoc) ?? null;
  }

  /** INSERT unless the key exists; false when it does (then nothing was written). */
  insertIfAbsent(
    de: number, pe: number, ou: number, coc: number, aoc: number,
    value: string | null, comment: string | null, followup: number, storedBy: string, fileId: number,
  ): boolean {
    this.insertedNothing = false;
    // a plain INSERT (as fast as the bench's floor; INSERT … ON CONFLICT DO NOTHING cost about a fifth more): the key is
    // almost never there, and when it is SQLite refuses the statement as a whole and nothing was written
    try {
      this.values.insertNew(de, pe, ou, coc, aoc, value, this.byId(storedBy), null, this.nowTextId(), comment, followup, 0, fileId);
      return true;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
      throw e;
    }
  }

  /**
   * In partitions that held values when the job started: how often the last keys turned out absent (+1) or stored (−1),
   * saturating at ±8. While it is positive a new value is inserted first and looked up only when the insert finds its
   * key (a file of new values for months that already have some then costs one statement a value); otherwise looked up
   * first (a re-import of stored values pays no failed insert). Either way the outcome is the same.
   */
  private absentScore = 0;

  /** insert before looking up, in a partition that held values? */
  insertFirst(): boolean {
    return this.absentScore > 0;
  }

  /** what the last key of such a partition turned out to be */
  noteAbsent(absent: boolean): void {
    this.absentScore = absent ? Math.min(this.absentScore + 1, 8) : Math.max(this.absentScore - 1, -8);
  }

  /** INSERT of a new value unless its key exists; false when it does (then nothing at all was written). */
  tryInsert(
    de: number, pe: number, ou: number, coc: number, aoc: number,
    value: string | null, comment: string | null, followup: number, storedBy: string, fileId: number,
  ): boolean {
    this.insertedNothing = false;
    return this.values.insertIfNew(de, pe, ou, coc, aoc, value, this.byId(storedBy), null, this.nowTextId(), comment, followup, 0, fileId);
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
    const by = this.byId(storedBy);
    const now = this.nowTextId();
    if (mayExist) this.values.upsert(de, pe, ou, coc, aoc, value, by, null, now, comment, followup, deleted, fileId);
    else this.values.insertNew(de, pe, ou, coc, aoc, value, by, null, now, comment, followup, deleted, fileId);
  }

  /** `wasDeleted`: the stored row's deleted flag from the existing-value lookup (spares the repo a second lookup) */
  update(de: number, pe: number, ou: number, coc: number, aoc: number, value: string | null, comment: string | null, followup: number, storedBy: string, fileId: number, wasDeleted?: number): void {
    this.values.update(de, pe, ou, coc, aoc, value, comment, followup, this.byId(storedBy), this.nowTextId(), fileId, wasDeleted);
  }

  softDelete(de: number, pe: number, ou: number, coc: number, aoc: number, storedBy: string, fileId: number, wasDeleted?: number): void {
    this.values.softDelete(de, pe, ou, coc, aoc, this.byId(storedBy), this.nowTextId(), fileId, wasDeleted);
  }

  complete(dataSet: number, p: Period, ou: number, aoc: number, date: string, storedBy: string, fileId: number): void {
    this.values.complete(dataSet, this.periodId(p), ou, aoc, date, storedBy, fileId);
  }
}
