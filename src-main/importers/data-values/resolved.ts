/**
 * What the resolving half of a data value import (resolver.ts: header, identifiers, the checks of spec §1.8) hands to
 * the writing half (apply.ts: the stored value, the outcome of spec §1.7, the write). In a job the two halves run on
 * two threads (parse-worker.ts, pipeline.ts) and this travels packed in batches (codec.ts); elsewhere (transfer
 * packages, FileImport) the resolver calls the writing half directly.
 */
import type { ImportConflict, SummaryStatus } from '../../../src-shared/dhis2/import-summary.ts';
import { STRATEGIES, type ImportStrategy } from '../../../src-shared/dhis2/options.ts';
import type { Period } from '../../../src-shared/dhis2/period.ts';

/** One conflict of a refused row: error code, objects (ordered), message arguments. */
export type Hit = [code: string, objects: Record<string, string>, args: string[]];

/** the row's import strategy: STRATEGIES index in the two low bits */
export const F_STRATEGY = 3;
/** followup = true */
export const F_FOLLOWUP = 4;
/** an insignificant zero (outcome.ts isInsignificantZero) */
export const F_ZERO = 8;
/** neither value nor comment (after trimming) */
export const F_NULL = 16;
/** deleted = true */
export const F_DELETED = 32;
/** a delete of a FILE_RESOURCE / IMAGE value: E7645 when no live value is stored */
export const F_FILE_DELETE = 64;

export const strategyBits = (s: ImportStrategy): number => STRATEGIES.indexOf(s);
export const strategyOf = (flags: number): ImportStrategy => STRATEGIES[flags & F_STRATEGY]!;

/** The writing half, as the resolver sees it. Calls come in file order. */
export interface ResolvedSink {
  /** a refused row: its conflicts (one per failing data set for the period rules), counted ignored once, listed in rejectedIndexes */
  reject(index: number, line: number, field: string | undefined, hits: Hit[]): void;
  /** a conflict without rows (a data-set level check of a header, a completion that cannot be recorded) */
  plain(conflict: ImportConflict): void;
  /** the header's data set completion */
  complete(dataSet: number, period: Period, ou: number, aoc: number, date: string, storedBy: string): void;
  /** a valid value: its outcome depends on the stored value of its key (ids are metadata_object ids) */
  value(
    index: number, line: number, field: string | undefined, de: number, period: Period, ou: number, coc: number, aoc: number,
    value: string | null, comment: string | null, storedBy: string, flags: number, deRaw: string,
  ): void;
}

/** What the resolver knows of a file once it is read (its header's verdicts). */
export interface ResolverState {
  /** the last header failed a data-set level check, or DHIS2 failed the file (its rows were skipped) */
  aborted: boolean;
  abortedGroups: number;
  /** ADX groups */
  groups: number;
  dataSetComplete: string | undefined;
  /** payload-level dryRun (spec §1.2): roll this file back */
  payloadDryRun: boolean;
  /** the header made DHIS2 fail the file (ResolvedHeader.failure) */
  failure: string | null;
  /** its ErrorCode (E1111, E2041): a Ferry extra of the summary */
  failureCode: string | null;
}

/** A file's status: ERROR when it (every ADX group of it) was aborted, WARNING with conflicts, else SUCCESS. */
export function fileStatus(s: ResolverState, conflicts: number): SummaryStatus {
  if (s.aborted && s.groups <= 1) return 'ERROR';
  if (s.groups > 1 && s.abortedGroups >= s.groups) return 'ERROR';
  return conflicts > 0 ? 'WARNING' : 'SUCCESS';
}

/** The file's whole import was aborted (its counts are reported empty). */
export const wasAborted = (s: ResolverState): boolean => s.aborted && s.groups <= 1;
