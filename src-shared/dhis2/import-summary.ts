/**
 * DHIS2 response shapes (spec §1.11 ImportSummary for data/events, §2.5 ImportReport for metadata).
 * These are what `ferry import --json` prints and what the job history stores.
 */

// ---------- metadata: ImportReport ----------
export type ReportStatus = 'OK' | 'WARNING' | 'ERROR';

export interface Stats {
  created: number;
  updated: number;
  deleted: number;
  ignored: number;
  total: number;
}

export interface ErrorReport {
  message: string;
  mainKlass: string;
  mainId?: string;
  errorKlass?: string;
  errorProperty?: string;
  errorProperties?: string[];
  args?: string[];
  errorCode: string;
  /** Ferry extra: the value that was missing or bad (e.g. the unknown parent uid). */
  value?: string;
}

/**
 * How much a summary lists (Ferry's cap; DHIS2 2.42 groups conflicts but lists every one). Counts stay exact; what is
 * not listed is counted in the `more…` fields. Chosen so that a summary stays under ~2 MB stored whatever the file
 * (README: "Conflicts and the job history"), while no real file loses a conflict a person would read.
 */
export const SUMMARY_LIMITS = {
  /** conflict groups (data) or error reports (metadata) listed per error code, per job */
  perCode: 100,
  /** conflict groups / error reports listed per job, all codes together */
  total: 500,
  /** row indexes (and lines) listed per conflict group */
  indexesPerConflict: 50,
  /** rejectedIndexes listed per job */
  rejectedIndexes: 10_000,
  /** metadata: object reports listed per job (with their errors, or without any in FULL mode) */
  objectReports: 1000,
  /** metadata: missing references listed per job */
  missingReferences: 1000,
  /** metadata: unknown top-level keys listed */
  unknownKeys: 100,
} as const;

/** The key of `moreConflicts` / `moreErrorReports` for a conflict without an error code. */
export const NO_CODE = 'other';

export interface ObjectReport {
  klass: string;
  index: number;
  uid?: string;
  displayName?: string;
  errorReports: ErrorReport[];
  /** Ferry extra: error reports of this object not listed (SUMMARY_LIMITS) */
  moreErrorReports?: number;
  /** Ferry extra (CSV metadata): the line of the file the object was read from (its first row for option sets) */
  line?: number;
}

export interface TypeReport {
  klass: string;
  stats: Stats;
  objectReports: ObjectReport[];
  /** Ferry extra: object reports of this type not listed (SUMMARY_LIMITS, or a compacted old job) */
  moreObjectReports?: number;
}

export interface ImportReport {
  responseType: 'ImportReport';
  status: ReportStatus;
  stats: Stats;
  typeReports: TypeReport[];
  /** Ferry extra: top-level keys of the payload that are not metadata types (DHIS2 drops them silently). */
  unknownKeys?: string[];
  /** Ferry extra: references kept although their target is missing (skipValidation), for later repair. */
  missingReferences?: MissingReference[];
  /** Ferry extra: was this a dry run. */
  dryRun?: boolean;
  /** Ferry extra: DHIS2 types recognised but not imported offline (users, user roles, user groups …), with the reason. */
  skippedTypes?: { type: string; count: number; reason: string }[];
  /** Ferry extra: category option combos generated for imported category combos that had none (as DHIS2 does). */
  generatedCategoryOptionCombos?: number;
  /** Ferry extra: error reports not listed, per error code (SUMMARY_LIMITS); absent when every one is listed */
  moreErrorReports?: Record<string, number>;
  /** Ferry extra: missing references not listed */
  moreMissingReferences?: number;
  /** Ferry extra: unknown keys not listed */
  moreUnknownKeys?: number;
  /** Ferry extra: an old job whose report the job history keeps as counts only (README: job history) */
  compacted?: boolean;
  /** Ferry extra: what the user should know about the import (CSV metadata: memberships replace member lists, rows skipped) */
  warnings?: string[];
  /** Ferry extra: the same warnings by key and parameters of the errors catalogue, in order (the doors say them in their language) */
  warningDetails?: { messageKey: string; messageParams: Record<string, string | number> }[];
}

export interface MissingReference {
  type: string; // plural type key of the object holding the reference
  uid: string;
  name?: string;
  property: string;
  targetType: string;
  target: string;
}

export function emptyStats(): Stats {
  return { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 };
}

// ---------- data/events: ImportSummary ----------
export type SummaryStatus = 'SUCCESS' | 'WARNING' | 'ERROR';

export interface ImportCount {
  imported: number;
  updated: number;
  ignored: number;
  deleted: number;
}

export interface ImportConflict {
  object: string;
  objects: Record<string, string>;
  value: string;
  errorCode?: string;
  property?: string;
  indexes?: number[];
  /** Ferry extra: the 1-based line of each index in `indexes` (same order), where the format knows it */
  lines?: number[];
  /** Ferry extra: the PDF form field of each index in `indexes` (same order), for rows read from a data entry form */
  fields?: string[];
  /** Ferry extra: rows of this conflict not listed in `indexes`/`lines` (SUMMARY_LIMITS.indexesPerConflict) */
  moreIndexes?: number;
  /** Ferry extra: Ferry's own words on a conflict of the whole file (the geometry import's E7700, E7701) */
  detail?: string;
}

/** Conflicts of one error code that a summary does not list: how many conflict groups, covering how many rows. */
export interface MoreConflicts {
  conflicts: number;
  rows: number;
}

export interface ImportSummary {
  responseType: 'ImportSummary';
  status: SummaryStatus;
  description: string;
  importCount: ImportCount;
  conflicts: ImportConflict[];
  rejectedIndexes: number[];
  dataSetComplete?: string;
  importOptions?: Record<string, unknown>;
  /** Ferry extra, multi-file jobs: one summary per file (combined counts are in the top level). */
  fileSummaries?: FileImportSummary[];
  dryRun?: boolean;
  /** Ferry extra, CSV: whether the first row was read as a header (skipped) rather than as data */
  firstRowIsHeader?: boolean;
  /** Ferry extra, CSV: true when `firstRowIsHeader` was not given and Ferry decided it from the first row */
  firstRowIsHeaderDetected?: boolean;
  /** Ferry extra: conflicts not listed in `conflicts`, per error code (SUMMARY_LIMITS); absent when all are listed */
  moreConflicts?: Record<string, MoreConflicts>;
  /** Ferry extra: rejected rows not listed in `rejectedIndexes` */
  moreRejectedIndexes?: number;
  /** Ferry extra: an old job whose summary the job history keeps as counts only (README: job history) */
  compacted?: boolean;
  /**
   * Ferry extra: the ErrorCode of a failure that ends the whole import before any row (the description says "The import
   * process failed: " + its message), where DHIS2 throws the code but writes none out (E1111, E2041)
   */
  errorCode?: string;
  /** Ferry extra: what the ignored rows were, and the zeros DHIS2 neither stores nor counts (src-main/jobs/count-breakdown.ts) */
  ignoredBreakdown?: IgnoredBreakdown;
  /** Ferry extra, jobs of several files: how many files were imported and how many refused (each file is all-or-nothing) */
  filesOutcome?: FilesOutcome;
  /** Ferry extra: value keys carried by more than one file of the job, found before the import (src-main/jobs/overlap.ts) */
  overlaps?: OverlapReport;
}

/**
 * The ignored rows of a summary explained: `unchanged` (the stored value was already the same) plus `refused` (a
 * conflict, or a strategy that does not apply: the rows in rejectedIndexes) make `importCount.ignored`; `zeroNotStored`
 * counts zeros of data elements whose zeros are not significant, which DHIS2 skips without counting. Every row read is
 * imported + updated + deleted + ignored + zeroNotStored (`rows`).
 */
export interface IgnoredBreakdown {
  unchanged: number;
  refused: number;
  zeroNotStored: number;
  rows: number;
}

export interface FilesOutcome {
  files: number;
  /** files refused as a whole (status ERROR): nothing of them was kept */
  failed: number;
  /** files whose rows were imported (would be, in a dry run) */
  imported: number;
  /** some files were (would be) imported while others were refused: the job record's status stays DHIS2's ERROR */
  partial: boolean;
}

/**
 * What to do with value keys carried by more than one file: stop before importing, keep the first file's, the newer
 * file's, or the last file's (the list order, as DHIS2 would: chosen, not by default).
 */
export type OverlapPolicy = 'stop' | 'first' | 'newer' | 'last';

export interface OverlapPair {
  /** the file (zip entry) that carries the key first in the job's list */
  first: string;
  second: string;
  keys: number;
  /** of them, keys whose values differ between the two files */
  differing: number;
}

export interface OverlapReport {
  policy: OverlapPolicy;
  /** distinct value keys found in more than one file */
  keys: number;
  /** of them, keys whose values differ */
  differing: number;
  pairs: OverlapPair[];
  /** pairs not listed (more than 50) */
  morePairs?: number;
  /** the order the files were imported in (the last one's values are kept), when the policy changed it */
  order?: string[];
  /** stop: a real import with differing values is refused before anything is written */
  stopped: boolean;
}

export interface FileImportSummary extends Omit<ImportSummary, 'fileSummaries'> {
  file: string;
  sha256?: string;
  format?: string;
  compression?: string;
  /**
   * Ferry extras, a refused file (status ERROR): why, by key and parameters of the errors catalogue
   * (src-shared/i18n/error-messages.ts), beside `description`'s English, for the screens and the CLI to say it in
   * their language
   */
  messageKey?: string;
  messageParams?: Record<string, string | number>;
}

export function emptyImportCount(): ImportCount {
  return { imported: 0, updated: 0, ignored: 0, deleted: 0 };
}

/** Adds `add` into `into` (per error code), returning `into` (created when absent and something is added). */
export function addMoreConflicts(
  into: Record<string, MoreConflicts> | undefined,
  add: Record<string, MoreConflicts> | undefined,
): Record<string, MoreConflicts> | undefined {
  if (!add) return into;
  for (const [code, m] of Object.entries(add)) {
    if (!m.conflicts && !m.rows) continue;
    into ??= {};
    const e = (into[code] ??= { conflicts: 0, rows: 0 });
    e.conflicts += m.conflicts;
    e.rows += m.rows;
  }
  return into;
}

/** Conflicts a summary has in all: the listed ones plus the ones only counted. */
export function conflictTotal(s: Pick<ImportSummary, 'conflicts' | 'moreConflicts'>): number {
  let n = s.conflicts.length;
  for (const m of Object.values(s.moreConflicts ?? {})) n += m.conflicts;
  return n;
}

/** Conflicts of one error code that a summary counts but does not list (0 when all are listed). */
export function moreConflictsOf(s: Pick<ImportSummary, 'moreConflicts'>, code: string | undefined): MoreConflicts {
  return s.moreConflicts?.[code ?? NO_CODE] ?? { conflicts: 0, rows: 0 };
}

/**
 * An old job's summary as the job history keeps it (README): status, description, counts, options and per-file
 * counts stay; the lists (conflicts, rejectedIndexes) are emptied and counted in the `more…` fields.
 */
export function compactImportSummary<S extends ImportSummary | FileImportSummary>(s: S): S {
  if (s.compacted) return s;
  let more: Record<string, MoreConflicts> | undefined = addMoreConflicts(undefined, s.moreConflicts);
  for (const c of s.conflicts) {
    const rows = (c.indexes?.length ?? 0) + (c.moreIndexes ?? 0);
    more = addMoreConflicts(more, { [c.errorCode ?? NO_CODE]: { conflicts: 1, rows } });
  }
  const out: S = { ...s, conflicts: [], rejectedIndexes: [], compacted: true };
  if (more) out.moreConflicts = more;
  const rejected = s.rejectedIndexes.length + (s.moreRejectedIndexes ?? 0);
  if (rejected) out.moreRejectedIndexes = rejected;
  if ('fileSummaries' in s && s.fileSummaries) (out as ImportSummary).fileSummaries = s.fileSummaries.map((f) => compactImportSummary(f));
  return out;
}

/** An old job's metadata report as the job history keeps it: stats per type stay, the object reports are counted. */
export function compactImportReport(r: ImportReport): ImportReport {
  if (r.compacted) return r;
  const more: Record<string, number> = { ...(r.moreErrorReports ?? {}) };
  const typeReports = r.typeReports.map((t): TypeReport => {
    for (const o of t.objectReports) for (const e of o.errorReports) more[e.errorCode] = (more[e.errorCode] ?? 0) + 1;
    const hidden = t.objectReports.length + (t.moreObjectReports ?? 0);
    return { klass: t.klass, stats: t.stats, objectReports: [], ...(hidden ? { moreObjectReports: hidden } : {}) };
  });
  const out: ImportReport = { ...r, typeReports, compacted: true };
  if (Object.keys(more).length) out.moreErrorReports = more;
  const missing = (r.missingReferences?.length ?? 0) + (r.moreMissingReferences ?? 0);
  if (r.missingReferences) out.missingReferences = [];
  if (missing) out.moreMissingReferences = missing;
  return out;
}

/** Exit status for the CLI: 0 for SUCCESS/OK/WARNING, 1 for ERROR. */
export function isErrorStatus(s: string): boolean {
  return s === 'ERROR';
}
