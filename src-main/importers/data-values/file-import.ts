/**
 * One file of a data value import on one thread: header (root / ADX group, header.ts) → resolve → validate (spec §1.8,
 * in order; resolver.ts) → outcome (spec §1.7 table, outcome.ts) → write (apply.ts). Rows are handled synchronously as
 * batches arrive from the reader; a bad row adds a conflict and never stops the others. A data value job runs the two
 * halves on two threads instead (pipeline.ts); transfer packages use this.
 */
import type { DataImportOptions } from '../../../src-shared/dhis2/options.ts';
import type { ImportCount, SummaryStatus } from '../../../src-shared/dhis2/import-summary.ts';
import type { DataValueHeader, DataValueRow } from '../../formats/data-value-row.ts';
import type { ConflictBudget, ConflictCollector } from './conflicts.ts';
import type { MetadataLookups } from './lookups.ts';
import type { DataValueWriter } from './writer.ts';
import { RowResolver } from './resolver.ts';
import { ValueApplier } from './apply.ts';
import { fileStatus, wasAborted } from './resolved.ts';

export interface FileImportContext {
  lookups: MetadataLookups;
  writer: DataValueWriter;
  options: DataImportOptions;
  /** ADX files default to CODE */
  defaultScheme: 'UID' | 'CODE';
  fileId: number;
  user: string;
  /** job start, ISO-8601 */
  now: string;
  /** what the job's summaries may still list (shared by the job's files); a fresh one when absent */
  budget?: ConflictBudget;
}

export class FileImport {
  private readonly resolver: RowResolver;
  private readonly applier: ValueApplier;

  constructor(c: FileImportContext) {
    this.applier = new ValueApplier({ writer: c.writer, skipExistingCheck: c.options.skipExistingCheck === true, fileId: c.fileId, budget: c.budget });
    this.resolver = new RowResolver({ lookups: c.lookups, options: c.options, defaultScheme: c.defaultScheme, user: c.user, now: c.now }, this.applier);
  }

  get count(): ImportCount {
    return this.applier.count;
  }
  get conflicts(): ConflictCollector {
    return this.applier.conflicts;
  }
  /** the first rejected indexes (the budget's share); `moreRejected` counts the others */
  get rejected(): number[] {
    return this.applier.rejected;
  }
  get moreRejected(): number {
    return this.applier.moreRejected;
  }
  get rows(): number {
    return this.resolver.rows;
  }
  get groups(): number {
    return this.resolver.groups;
  }
  get abortedGroups(): number {
    return this.resolver.abortedGroups;
  }
  get dataSetComplete(): string | undefined {
    return this.resolver.dataSetComplete;
  }
  /** payload-level dryRun (spec §1.2): roll this file back */
  get payloadDryRun(): boolean {
    return this.resolver.payloadDryRun;
  }
  /** the header made DHIS2 fail the file (ResolvedHeader.failure): its summary says so */
  get failure(): string | null {
    return this.resolver.failure;
  }
  get failureCode(): string | null {
    return this.resolver.failureCode;
  }

  /** Call when the reader is done: a file without header (CSV, or empty) still gets the option-level checks. */
  finish(): void {
    this.resolver.finish();
  }

  /** Applies a header (XML/JSON root, or an ADX group); a failed data-set level check skips the rows that follow it. */
  applyHeader(h: DataValueHeader): void {
    this.resolver.applyHeader(h);
  }

  /** Processes a batch of rows in file order. */
  rowsBatch(rows: DataValueRow[]): void {
    this.resolver.rowsBatch(rows);
  }

  /** The file was rolled back: what it listed goes back to the job's budget. */
  release(): void {
    this.applier.release();
  }

  status(): SummaryStatus {
    return fileStatus(this.resolver, this.applier.conflicts.size);
  }

  get wasAborted(): boolean {
    return wasAborted(this.resolver);
  }
}
