/** The metadata engine's inputs and outputs (the job glue in index.ts and the tests build these). */
import type { MetadataImportOptions } from '../../../src-shared/dhis2/options.ts';
import type { ImportReport } from '../../../src-shared/dhis2/import-summary.ts';

export type Obj = Record<string, unknown>;

export interface PayloadRecord {
  type: string;
  index: number;
  object: Obj;
}

export interface EngineOptions extends Omit<MetadataImportOptions, 'importReportMode'> {
  importReportMode: string;
  /** fixtures: no UID format check, no schema/uniqueness checks, default objects merged into the stored defaults */
  lenient?: boolean;
  sourceFileId?: number | null;
  /** ISO time recorded as lastUpdated */
  now: string;
}

export interface EngineHooks {
  progress?(stage: string, done: number, total: number): void;
  throwIfCancelled?(): void;
}

export interface EngineResult {
  report: ImportReport;
  /** false: nothing may be committed (atomicMode ALL with errors) */
  commit: boolean;
}
