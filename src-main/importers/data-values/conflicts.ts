/**
 * DHIS2 2.42 data import conflicts (spec §1.8, ErrorCode.java message templates) and their grouping: all rows with the
 * same error code and the same objects collapse into one conflict listing every row index (spec §1.11). Unlike DHIS2,
 * which keeps every conflict and index in memory, Ferry lists at most SUMMARY_LIMITS and counts the rest exactly.
 */
import { NO_CODE, SUMMARY_LIMITS, type ImportConflict, type MoreConflicts } from '../../../src-shared/dhis2/import-summary.ts';

export const MESSAGES: Record<string, string> = {
  E7600: 'Data set not found or not accessible: `{0}`',
  E7603: 'Org unit not found or not accessible: `{0}`',
  E7604: 'Attribute option combo not found or not accessible: `{0}`',
  E7610: 'Data element not found or not accessible: `{0}`',
  E7611: 'Period not valid: `{0}`',
  E7612: 'Organisation unit not found or not accessible: `{0}`',
  E7613: 'Category option combo not found or not accessible for writing data: `{0}`',
  E7615: 'Attribute option combo not found or not accessible for writing data: `{0}`',
  E7618: 'Data value or comment not specified for data element: `{0}`',
  E7619: 'Value must match value type of data element `{0}`: `{1}`',
  E7620: 'Invalid comment: {0}',
  E7621: 'Data value is not a valid option of the data element option set: `{0}`',
  E7630: 'Category option combo is required but is not specified',
  E7631: 'Attribute option combo is required but is not specified',
  E7632: 'Period type of period: `{0}` not valid for data element: `{1}`',
  E7633: 'Data element: `{0}` is not part of dataset(s): `{1}`',
  E7634: 'Category option combo: `{0}` must be part of category combo of data element: `{1}`',
  E7635: 'Attribute option combo: `{0}` must be part of category combo of data sets of data element: `{1}`',
  E7636: 'Data element: `{1}` must be assigned through data sets to organisation unit: `{0}`',
  E7637: 'Invalid storedBy: {0}',
  E7638: 'Period: `{0}` is not within date range of attribute option combo: `{1}`',
  E7639: 'Organisation unit: `{0}` is not valid for attribute option combo: `{1}`',
  E7640: 'Current date is past expiry days for period: `{0}`  and data set: `{1}`',
  E7641: 'Period: `{0}` is after latest open future period: `{3}` for data element: `{1}` and data set: `{2}`',
  E7643: 'Period: `{0}` is not open for this data set at this time: `{1}`',
  E7644: 'Period: `{0}` does not conform to the open periods of associated data sets',
  E7645: 'No data value for file resource exist for the given combination for data element: `{0}`',
};

export const PROPERTIES: Record<string, string> = {
  E7600: 'dataSet',
  E7603: 'orgUnit',
  E7604: 'attributeOptionCombo',
  E7610: 'dataElement',
  E7611: 'period',
  E7612: 'orgUnit',
  E7613: 'categoryOptionCombo',
  E7615: 'attributeOptionCombo',
  E7618: 'value',
  E7619: 'value',
  E7620: 'comment',
  E7621: 'value',
  E7630: 'categoryOptionCombo',
  E7631: 'attributeOptionCombo',
  // (E7632 and E7642 have none: DataValueImportConflict declares their property null)
  E7633: 'dataElement',
  E7634: 'categoryOptionCombo',
  E7635: 'attributeOptionCombo',
  E7636: 'orgUnit',
  E7637: 'storedBy',
  E7638: 'period',
  E7639: 'orgUnit',
  E7640: 'period',
  E7641: 'period',
  E7643: 'period',
  E7644: 'period',
  E7645: 'dataElement',
};

/** keys of unlisted conflict groups a collector holds in memory before it moves them to its key set (when it has one) */
export const UNLISTED_IN_MEMORY = 50_000;

/** a set of keys kept outside the heap (db/repos/data-values.ts SpilledKeySet) */
export interface KeySet {
  /** adds a key; true when it was not in the set */
  addIfNew(key: string): boolean;
}

export function renderMessage(code: string, args: string[]): string {
  return (MESSAGES[code] ?? code).replace(/\{(\d)\}/g, (_m, i: string) => args[Number(i)] ?? '');
}

/**
 * What a job's summaries may still list (SUMMARY_LIMITS): conflict groups per error code and in all, and rejected
 * indexes. One budget per job, shared by its files, so a multi-file job's combined summary respects the cap too.
 */
export class ConflictBudget {
  private readonly perCode = new Map<string, number>();
  private total = 0;
  private rejected = 0;

  constructor(readonly limits: { perCode: number; total: number; indexesPerConflict: number; rejectedIndexes: number } = SUMMARY_LIMITS) {}

  /** room for one more listed conflict of `code`? (taken when true) */
  take(code: string): boolean {
    const n = this.perCode.get(code) ?? 0;
    if (n >= this.limits.perCode || this.total >= this.limits.total) return false;
    this.perCode.set(code, n + 1);
    this.total++;
    return true;
  }

  /** gives back what a rolled-back file had taken */
  give(code: string, n: number): void {
    this.perCode.set(code, (this.perCode.get(code) ?? 0) - n);
    this.total -= n;
  }

  /** room for one more listed rejected index? (taken when true) */
  takeRejected(): boolean {
    if (this.rejected >= this.limits.rejectedIndexes) return false;
    this.rejected++;
    return true;
  }

  giveRejected(n: number): void {
    this.rejected -= n;
  }
}

/**
 * Collects conflicts grouped by (errorCode, objects), listing what the budget allows: the first conflict groups of
 * each code, the first rows of each group; everything else is counted exactly (`moreConflicts`, `moreIndexes`).
 */
export class ConflictCollector {
  private readonly groups = new Map<string, ImportConflict>();
  /** conflicts with index −1 (data-set level, completion): kept apart, no indexes */
  private readonly plain: ImportConflict[] = [];
  /**
   * keys of the groups not listed (to count them once each): in memory up to `keysInMemory`, then (when the caller
   * gave a place) in a key set outside the heap — a file of millions of distinct refused keys keeps memory flat
   */
  private unlisted = new Set<string>();
  private spilled: KeySet | null = null;
  private unlistedGroups = 0;
  private readonly more = new Map<string, MoreConflicts>();
  private plainUnlisted = 0;
  /** listed conflicts per code (given back to the budget when the file is rolled back) */
  private readonly taken = new Map<string, number>();
  occurrences = 0;

  constructor(
    private readonly budget: ConflictBudget = new ConflictBudget(),
    private readonly spill: { keySet?: () => KeySet; keysInMemory?: number } = {},
  ) {}

  /** true when the unlisted group `key` is seen for the first time (then it is remembered) */
  private newUnlisted(key: string): boolean {
    if (this.spilled) return this.spilled.addIfNew(key);
    if (this.unlisted.has(key)) return false;
    if (this.unlisted.size >= (this.spill.keysInMemory ?? UNLISTED_IN_MEMORY) && this.spill.keySet) {
      const set = this.spill.keySet();
      for (const k of this.unlisted) set.addIfNew(k);
      this.unlisted = new Set();
      this.spilled = set;
      return set.addIfNew(key);
    }
    this.unlisted.add(key);
    return true;
  }

  private moreOf(code: string): MoreConflicts {
    let m = this.more.get(code);
    if (!m) this.more.set(code, (m = { conflicts: 0, rows: 0 }));
    return m;
  }

  private take(code: string): boolean {
    if (!this.budget.take(code)) return false;
    this.taken.set(code, (this.taken.get(code) ?? 0) + 1);
    return true;
  }

  /** objects: ordered key → value (the first value is `object`); args fill the message template */
  add(code: string, index: number, objects: Record<string, string>, args: string[], line = 0, field?: string): void {
    this.occurrences++;
    // one flat string (join), not a chain of concatenations: the keys of unlisted groups are kept (to count each group
    // once), and 600,000 of them held as chains took 160 MB instead of 95 MB
    const parts = [code];
    for (const k in objects) parts.push(k, objects[k]!);
    const key = parts.join('\u0000');
    const g = this.groups.get(key);
    if (g) {
      if (g.indexes!.length < this.budget.limits.indexesPerConflict) {
        g.indexes!.push(index);
        if (g.lines) g.lines.push(line);
        if (g.fields) g.fields.push(field ?? '');
      } else g.moreIndexes = (g.moreIndexes ?? 0) + 1;
      return;
    }
    // a group not listed: remembered the first time (a key that then gets listed stays remembered, harmlessly — the
    // listed groups are looked up first)
    if (!this.newUnlisted(key)) {
      this.moreOf(code).rows++;
      return;
    }
    if (!this.take(code)) {
      this.unlistedGroups++;
      const m = this.moreOf(code);
      m.conflicts++;
      m.rows++;
      return;
    }
    const first = Object.values(objects)[0] ?? '';
    this.groups.set(key, {
      object: first,
      objects,
      value: renderMessage(code, args),
      errorCode: code,
      property: PROPERTIES[code],
      indexes: [index],
      ...(line > 0 ? { lines: [line] } : {}),
      ...(field ? { fields: [field] } : {}),
    });
  }

  /** A conflict without row indexes (data-set level abort, completion problems). */
  addPlain(c: ImportConflict): void {
    this.occurrences++;
    const code = c.errorCode ?? NO_CODE;
    if (this.take(code)) this.plain.push(c);
    else {
      this.plainUnlisted++;
      this.moreOf(code).conflicts++;
    }
  }

  /** every conflict group, listed or not */
  get size(): number {
    return this.groups.size + this.plain.length + this.unlistedGroups + this.plainUnlisted;
  }

  list(): ImportConflict[] {
    return [...this.plain, ...this.groups.values()];
  }

  /** the conflicts not listed, per error code; undefined when every one is listed */
  moreConflicts(): Record<string, MoreConflicts> | undefined {
    return this.more.size ? Object.fromEntries(this.more) : undefined;
  }

  /** gives the listed conflicts back to the job's budget (the file was rolled back and reports none) */
  release(): void {
    for (const [code, n] of this.taken) this.budget.give(code, n);
    this.taken.clear();
  }
}
