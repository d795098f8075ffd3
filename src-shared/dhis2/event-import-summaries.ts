/**
 * What the deprecated events API (/api/events, DHIS2 ≤ 2.40, spec §6.2) answered for an import, and what
 * `ferry import --kind events` answers for files in its formats (events JSON, XML and CSV): one ImportSummary per
 * event, and their counts. Tracker files (2.36+) get a TrackerImportReport instead (tracker.ts).
 */
import type { ImportCount, SummaryStatus } from './import-summary.ts';

export interface EventImportConflict {
  object: string;
  value: string;
  /** Ferry extra: the tracker validation code behind the conflict (E1010 …) */
  errorCode?: string;
}

export interface EventImportSummary {
  responseType: 'ImportSummary';
  status: SummaryStatus;
  description?: string;
  importCount: ImportCount;
  conflicts: EventImportConflict[];
  /** the event's uid */
  reference?: string;
  /** Ferry extra: the event's 1-based line in its file, and the file's name */
  line?: number;
  file?: string;
}

export interface EventImportSummaries {
  responseType: 'ImportSummaries';
  status: SummaryStatus;
  imported: number;
  updated: number;
  deleted: number;
  ignored: number;
  total: number;
  importOptions?: Record<string, unknown>;
  importSummaries: EventImportSummary[];
  /** Ferry extra: summaries not listed (SUMMARY_LIMITS.objectReports), by status */
  moreImportSummaries?: Record<string, number>;
  dryRun?: boolean;
}
