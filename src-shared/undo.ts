/**
 * Undo of an import (issue 13): what `ferry undo`, the jobs:undo channel and the job overview's Undo button share.
 * The undo is a job of its own (kind 'undo', options { job, cascade }); its summary is an UndoSummary.
 */

/** Kinds of import an undo can restore (what they wrote is in the change journal). */
export const UNDOABLE_KINDS = ['data', 'events', 'metadata', 'csv-metadata', 'geometry', 'dhis14', 'transfer'] as const;

export interface UndoneJob {
  id: number;
  kind: string;
  createdAt: string;
}

/** Rows removed (the job had inserted them) and restored (put back as they were before the job). */
export interface UndoCounts {
  removed: number;
  restored: number;
}

export interface UndoSummary {
  responseType: 'UndoSummary';
  status: 'SUCCESS';
  /** the jobs undone, newest first (the asked job last when later ones were undone too) */
  undone: UndoneJob[];
  dataValues: UndoCounts;
  events: UndoCounts;
  /** tracked entities, enrollments, relationships, notes, attribute and event data values */
  otherProgramData: UndoCounts;
  metadataObjects: UndoCounts;
  /** references between metadata objects, org unit rows, data set completions, DHIS 1.4 mappings */
  otherRows: UndoCounts;
  dryRun: boolean;
}

/** A later job that changed rows the job to undo wrote. */
export interface LaterJobRef {
  id: number;
  kind: string;
  createdAt: string;
  finishedAt: string | null;
}

/** One line naming later jobs: "job 12 (data, 2026-12-07 15:40), job 14 (events, …)". */
export function describeJobs(jobs: LaterJobRef[]): string {
  return jobs.map((j) => `job ${j.id} (${j.kind}, ${(j.finishedAt ?? j.createdAt).slice(0, 16).replace('T', ' ')})`).join(', ');
}
