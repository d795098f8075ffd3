/**
 * What a DHIS 1.4 import job reports (issue 8), beside the data value ImportSummary it extends: the mode, the source's
 * tables, Analyse's integrity report, Preview's / Import's per-type counts of objects created, updated and left alone,
 * the values' counts, and what was skipped (the manual's limitations, reported rather than dropped silently).
 */
import type { ImportReport, ImportSummary } from './dhis2/import-summary.ts';

export const DHIS14_MODES = ['analyse', 'preview', 'import'] as const;
export type Dhis14Mode = (typeof DHIS14_MODES)[number];

export interface Dhis14Issue {
  /** e.g. 'duplicateName', 'formulaMissingDataElement', 'valueMissingPeriod', 'orgUnitOutsideHierarchy' */
  code: string;
  message: string;
  /** the message's key and parameters in the errors catalogue (the screen and the CLI say it in their language) */
  messageKey?: string;
  messageParams?: Record<string, string | number>;
  /** how many rows or objects the issue covers */
  count: number;
  /** the first few examples (legacy ids and names) */
  examples: string[];
  /** each example's key and parameters in the errors catalogue (null: the example is data only), in order */
  exampleDetails?: ({ messageKey: string; messageParams: Record<string, string | number> } | null)[];
}

export interface Dhis14ObjectCount {
  /** DXF2 type key ('dataElements') */
  type: string;
  created: number;
  updated: number;
  unchanged: number;
  /** refused by DHIS2's validation (see metadataReport) */
  ignored: number;
}

export interface Dhis14ValueCount {
  /** rows read from the data tables (after the Last updated filter) */
  read: number;
  imported: number;
  updated: number;
  unchanged: number;
  /** rows not imported: marked deleted, no value, unknown data element / org unit / period, unsupported type */
  skipped: number;
  /** rows left out by the Last updated filter (known for .mdb files; null when not counted) */
  filtered: number | null;
}

export interface Dhis14Report {
  mode: Dhis14Mode;
  file: string;
  format: 'mdb' | 'xml';
  /** the tables read, with their row counts (data tables: rows read) */
  tables: { name: string; rows: number | null }[];
  lastUpdated: string | null;
  levels: number;
  /** Analyse: integrity issues; Preview/Import: the same checks, found while mapping */
  issues: Dhis14Issue[];
  objects: Dhis14ObjectCount[];
  values: Dhis14ValueCount;
  /** what the 1.4 import does not carry over (the manual's limitations), with counts where the file shows them */
  skipped: { what: string; count: number | null; messageKey?: string; messageParams?: Record<string, string | number> }[];
  /** the metadata engine's report (errors per object), absent in Analyse */
  metadataReport?: ImportReport;
}

export interface Dhis14ImportSummary extends ImportSummary {
  dhis14: Dhis14Report;
}

export function isDhis14Summary(s: unknown): s is Dhis14ImportSummary {
  return typeof s === 'object' && s !== null && 'dhis14' in s;
}
