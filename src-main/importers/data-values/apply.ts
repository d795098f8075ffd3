/**
 * The writing half of one file of a data value import: what the resolver (resolver.ts) hands over, applied in file
 * order inside the job's transaction — conflicts grouped and counted (conflicts.ts), the stored value of each valid
 * key looked up where it can exist, the outcome decided (outcome.ts, spec §1.7) and written (writer.ts), E7645 (a
 * file resource delete needs a stored value). Everything that needs the stored values happens here, on the thread
 * that holds the write transaction, so the values this job wrote before (a key repeated in the files) are seen.
 */
import { emptyImportCount, type ImportConflict, type ImportCount } from '../../../src-shared/dhis2/import-summary.ts';
import type { ImportStrategy } from '../../../src-shared/dhis2/options.ts';
import type { Period } from '../../../src-shared/dhis2/period.ts';
import { ConflictBudget, ConflictCollector } from './conflicts.ts';
import { decideOutcome, followupOf, insertsWhenAbsent } from './outcome.ts';
import { F_DELETED, F_FILE_DELETE, F_FOLLOWUP, F_NULL, F_ZERO, strategyOf, type Hit, type ResolvedSink } from './resolved.ts';
import type { DataValueWriter, ExistingRow } from './writer.ts';
import { noteRow } from './count-breakdown.ts';

export interface ApplyContext {
  writer: DataValueWriter;
  /** ImportOptions.skipExistingCheck: every key counts as holding no value */
  skipExistingCheck: boolean;
  fileId: number;
  /** what the job's summaries may still list (shared by the job's files); a fresh one when absent */
  budget?: ConflictBudget;
}

export class ValueApplier implements ResolvedSink {
  readonly count: ImportCount = emptyImportCount();
  readonly conflicts: ConflictCollector;
  /** the first rejected indexes (the budget's share); `moreRejected` counts the others */
  readonly rejected: number[] = [];
  moreRejected = 0;
  private readonly budget: ConflictBudget;
  private readonly w: DataValueWriter;

  constructor(private readonly c: ApplyContext) {
    this.budget = c.budget ?? new ConflictBudget();
    this.conflicts = new ConflictCollector(this.budget, { keySet: () => c.writer.keySet() });
    this.w = c.writer;
  }

  reject(index: number, line: number, field: string | undefined, hits: Hit[]): void {
    for (const [code, objects, args] of hits) this.conflicts.add(code, index, objects, args, line, field);
    this.count.ignored++;
    noteRow(this.count, 'refused');
    this.addRejected(index);
  }

  plain(conflict: ImportConflict): void {
    this.conflicts.addPlain(conflict);
  }

  complete(dataSet: number, period: Period, ou: number, aoc: number, date: string, storedBy: string): void {
    this.w.complete(dataSet, period, ou, aoc, date, storedBy, this.c.fileId);
  }

  private addRejected(index: number): void {
    if (this.budget.takeRejected()) this.rejected.push(index);
    else this.moreRejected++;
  }

  /** The file was rolled back: what it listed goes back to the job's budget. */
  release(): void {
    this.conflicts.release();
    this.budget.giveRejected(this.rejected.length);
  }

  value(
    index: number, line: number, field: string | undefined, de: number, period: Period, ou: number, coc: number, aoc: number,
    value: string | null, comment: string | null, storedBy: string, flags: number, deRaw: string,
  ): void {
    const w = this.w;
    // a period without a row holds no value; its row is created only when a value is written (a refused or ignored
    // row leaves the period table as it was)
    let pe = w.knownPeriodId(period);
    // E7645 deleting a file resource value that does not exist
    if ((flags & F_FILE_DELETE) !== 0) {
      const ex = pe < 0 ? null : w.lookup(de, pe, ou, coc, aoc);
      if (ex === null || ex[3] !== 0) return this.reject(index, line, field, [['E7645', { dataElement: deRaw }, [deRaw]]]);
    }
    const strategy = strategyOf(flags);
    const followup = (flags & F_FOLLOWUP) !== 0 ? 1 : 0;
    const zero = (flags & F_ZERO) !== 0;
    const nullValue = (flags & F_NULL) !== 0;
    const deleted = (flags & F_DELETED) !== 0;
    let existing: ExistingRow | null = null;
    if (!this.c.skipExistingCheck) {
      const inserts = insertsWhenAbsent(strategy, zero, nullValue, deleted);
      /** a partition that held values, looked up first: note what the key turns out to be */
      let note = false;
      if (inserts && (pe < 0 || w.partitionWasEmpty(ou, pe))) {
        if (pe < 0) pe = w.periodId(period);
        // the (org unit, period) held no values when the job started: only this job can have written the key,
        // so try the insert and look up only when it reports a conflict (a key repeated in the job's files)
        if (w.insertIfAbsent(de, pe, ou, coc, aoc, value, comment, followup, storedBy, this.c.fileId)) {
          this.count.imported++;
          return;
        }
      } else if (inserts && w.insertFirst()) {
        // (pe ≥ 0 here) the partition held values, but the last keys were new: insert first, look up only when it is there
        if (w.tryInsert(de, pe, ou, coc, aoc, value, comment, followup, storedBy, this.c.fileId)) {
          w.noteAbsent(true);
          this.count.imported++;
          return;
        }
        w.noteAbsent(false);
      } else note = inserts;
      existing = pe < 0 ? null : w.lookup(de, pe, ou, coc, aoc);
      if (note) w.noteAbsent(existing === null);
    }
    this.decide(strategy, index, de, pe, period, ou, coc, aoc, value, comment, followup, storedBy, zero, nullValue, deleted, existing);
  }

  /** Writes and counts the outcome (outcome.ts) once the existing value (if any) is known. */
  private decide(
    strategy: ImportStrategy, index: number, de: number, pe: number, period: Period, ou: number, coc: number, aoc: number,
    value: string | null, comment: string | null, followup: number, storedBy: string, zero: boolean, nullValue: boolean, deleted: boolean,
    existing: ExistingRow | null,
  ): void {
    const w = this.w;
    const fileId = this.c.fileId;
    switch (decideOutcome(strategy, existing, value, comment, followup, zero, nullValue, deleted)) {
      case 'new':
        if (pe < 0) pe = w.periodId(period);
        w.insert(de, pe, ou, coc, aoc, value, comment, followup, deleted ? 1 : 0, storedBy, fileId, existing !== null || this.c.skipExistingCheck);
        this.count.imported++;
        return;
      case 'updated':
        w.update(de, pe, ou, coc, aoc, value, comment, followupOf(followup, existing!), storedBy, fileId, existing![3]);
        this.count.updated++;
        return;
      case 'deleted':
        w.softDelete(de, pe, ou, coc, aoc, storedBy, fileId, existing?.[3]);
        this.count.deleted++;
        return;
      case 'unchanged':
        this.count.ignored++;
        noteRow(this.count, 'unchanged');
        return;
      case 'ignored':
        this.count.ignored++;
        noteRow(this.count, 'refused');
        this.addRejected(index);
        return;
      case 'skipped':
        noteRow(this.count, 'zeroNotStored');
        return;
    }
  }
}
