/**
 * "Counts add up" (issue 15): the engine notes why each row of a data value file was ignored or not counted, beside
 * DHIS2's ImportCount, without changing its shape. The data value applier (importers/data-values/apply.ts) calls
 * `noteRow` on its count object; the job layer (multi-file.ts) reads the breakdown of each file's summary with
 * `breakdownOf(summary.importCount)` (the same object: the pipeline puts the applier's count into the file's summary)
 * and adds it to the summary as the Ferry extra `ignoredBreakdown`. A WeakMap keeps it off the DHIS2 object.
 */
import type { IgnoredBreakdown, ImportCount } from '../../../src-shared/dhis2/import-summary.ts';

type Reason = 'unchanged' | 'refused' | 'zeroNotStored';

const notes = new WeakMap<ImportCount, Omit<IgnoredBreakdown, 'rows'>>();

/** One row of the file was ignored for `reason` (or, zeroNotStored, skipped without being counted). */
export function noteRow(count: ImportCount, reason: Reason): void {
  let n = notes.get(count);
  if (!n) notes.set(count, (n = { unchanged: 0, refused: 0, zeroNotStored: 0 }));
  n[reason]++;
}

/** The breakdown of a count the applier filled; undefined for a count the engine did not note (an aborted file's empty count). */
export function breakdownOf(count: ImportCount): IgnoredBreakdown | undefined {
  const n = notes.get(count);
  const rows = count.imported + count.updated + count.deleted + count.ignored + (n?.zeroNotStored ?? 0);
  if (!n) return count.ignored === 0 ? { unchanged: 0, refused: 0, zeroNotStored: 0, rows } : undefined;
  return { ...n, rows };
}

/** Sums breakdowns (a job's files): undefined when one of them is unknown. */
export function sumBreakdowns(list: (IgnoredBreakdown | undefined)[]): IgnoredBreakdown | undefined {
  const out: IgnoredBreakdown = { unchanged: 0, refused: 0, zeroNotStored: 0, rows: 0 };
  for (const b of list) {
    if (!b) return undefined;
    out.unchanged += b.unchanged;
    out.refused += b.refused;
    out.zeroNotStored += b.zeroNotStored;
    out.rows += b.rows;
  }
  return out;
}
