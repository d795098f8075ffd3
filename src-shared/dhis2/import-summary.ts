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

export interface ObjectReport {
  klass: string;
  index: number;
  uid?: string;
  displayName?: string;
  errorReports: ErrorReport[];
}

export interface TypeReport {
  klass: string;
  stats: Stats;
  objectReports: ObjectReport[];
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
}

export interface FileImportSummary extends Omit<ImportSummary, 'fileSummaries'> {
  file: string;
  sha256?: string;
  format?: string;
  compression?: string;
}

export function emptyImportCount(): ImportCount {
  return { imported: 0, updated: 0, ignored: 0, deleted: 0 };
}

/** Exit status for the CLI: 0 for SUCCESS/OK/WARNING, 1 for ERROR. */
export function isErrorStatus(s: string): boolean {
  return s === 'ERROR';
}
