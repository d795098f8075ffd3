import type { Db } from '../db/open.ts';
import type { ImportFormat, ImportKind } from '../../src-shared/dhis2/options.ts';
import type { ExportKind, ExportSummary, ProgressEvent } from '../../src-shared/api/contract.ts';
import type { ImportReport, ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import type { EventImportSummaries } from '../../src-shared/dhis2/event-import-summaries.ts';
import type { ReceiveSummary } from '../../src-shared/transfer-receive.ts';
import type { UndoSummary } from '../../src-shared/undo.ts';
import type { AppError } from '../../src-shared/errors.ts';

/** What the job manager hands to the runner (inline or in a worker). Serializable. */
export interface JobSpec {
  jobId: number;
  dbPath: string;
  direction: 'import' | 'export';
  kind: string;
  dryRun: boolean;
  options: Record<string, unknown>;
  /** imports: the files; exports: one entry, the output file */
  files: { index: number; fileId: number; path: string; name: string }[];
  format?: string;
  compression?: string;
  /** the user name recorded as storedBy / createdBy */
  user: string;
}

export type ProgressUpdate = Partial<Omit<ProgressEvent, 'jobId' | 'elapsedMs'>>;

export interface JobContext {
  db: Db;
  jobId: number;
  dryRun: boolean;
  /** the job's start time, ISO-8601 UTC: what created/lastUpdated get */
  now: string;
  user: string;
  /** throttled (≈10 per second); the last update is always delivered */
  progress(update: ProgressUpdate): void;
  cancelled(): boolean;
  /** throws AppError('CANCELLED') when the user cancelled */
  throwIfCancelled(): void;
}

export interface ImportFileInput {
  index: number;
  /** job_file.id: stored as source_file_id on every row the file writes */
  fileId: number;
  path: string;
  name: string;
}

export interface FileOutcome {
  index: number;
  size: number | null;
  sha256: string | null;
  format: string | null;
  compression: string | null;
  status: string | null;
}

export interface ImportResult {
  summary: ImportReport | ImportSummary | TrackerImportReport | EventImportSummaries | ReceiveSummary | UndoSummary;
  /** DHIS2 status: OK/WARNING/ERROR (metadata) or SUCCESS/WARNING/ERROR (data) */
  status: string;
  /** false = roll everything back (e.g. atomicMode ALL with errors). Dry runs are always rolled back. */
  commit: boolean;
  files: FileOutcome[];
}

export interface Importer {
  kind: ImportKind;
  /** checks (and normalises) the options before a job exists, beyond the kind's option schema: a clear AppError */
  checkOptions?(options: Record<string, unknown>): Record<string, unknown>;
  /**
   * A file only this importer may take (a transfer package, whose sequence and "kept newer" rule a plain import would
   * skip): the error that refuses it to every other kind, else null. Cheap: it runs before a job exists.
   */
  ownsFile?(filePath: string, fileName: string): AppError | null;
  run(ctx: JobContext, files: ImportFileInput[], options: Record<string, unknown>, format?: ImportFormat): Promise<ImportResult>;
}

export interface ExportResult {
  summary: ExportSummary;
}

export interface Exporter {
  kind: ExportKind;
  /**
   * An export kind written in a format of its own rather than the registry's data or metadata writers (pdf-form: pdf,
   * csv-metadata: csv): those formats, the first the default, and how messages name the kind ('CSV metadata').
   */
  ownFormats?: { formats: readonly string[]; label: string };
  /**
   * The format registry kind whose writers' extensions name this export's format from a file name (`ferry export data
   * --out jan.csv.zip` with no --format): data, metadata (and dependencies), events (and tracked entities).
   */
  namedBy?: 'data' | 'metadata' | 'events';
  /** checks (and normalises) the options before a job exists: a clear AppError for a bad one */
  checkOptions?(options: Record<string, unknown>): Record<string, unknown>;
  /** writes `out` (through io/output.ts openOutput) and returns the summary */
  run(ctx: JobContext, out: string, format: string, compression: string, options: Record<string, unknown>): Promise<ExportResult>;
}

/** Messages worker → manager */
export type WorkerMessage =
  | { type: 'progress'; event: ProgressUpdate & { elapsedMs: number } }
  | { type: 'result'; result: ImportResult | ExportResult; committed: boolean }
  /** recorded: the job already wrote its outcome to the job table */
  | { type: 'error'; error: { code: string; message: string; details: Record<string, unknown> }; recorded: boolean };
