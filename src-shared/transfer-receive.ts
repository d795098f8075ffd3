/** What receiving transfer packages answers (issue 13, receive side): the job summary, inspection, reconciliation, sites. */
import type { SiteRef, TransferManifest } from './transfer.ts';

export interface ReceiveGap {
  senderId: string;
  senderName: string;
  /** the missing sequence number */
  sequence: number;
  /** "package 7 from Clinic A has not arrived; 6 and 8 have" */
  message: string;
  /** the message's key and parameters in the errors catalogue: the screens and the CLI say it in their language */
  messageKey?: string;
  messageParams?: Record<string, string | number>;
}

export interface ReconcileRow {
  senderId: string;
  senderName: string;
  orgUnit: string;
  dataSet: string | null;
  period: string;
  /** the package whose control totals these are (the latest that carried the cell) */
  sequence: number;
  sent: { values: number; sum: number };
  stored: { values: number; sum: number };
  match: boolean;
}

export interface ReconcileReport {
  cells: number;
  mismatches: number;
  /** every cell (reconcile --json), or only the mismatches (a receive's summary) */
  rows: ReconcileRow[];
}

/** The summary of one receive job (job.summary, `ferry receive --json` gives one per file). */
export interface ReceiveSummary {
  responseType: 'TransferReceive';
  status: 'SUCCESS' | 'WARNING' | 'ERROR';
  /** what happened, in one sentence */
  description: string;
  /** the same sentence by keys of the errors catalogue and their parameters, in order (joined as they are) */
  descriptionParts?: { messageKey: string; messageParams: Record<string, string | number> }[];
  file: string;
  packageId: string;
  from: SiteRef;
  to: SiteRef;
  sequence: number;
  changes: { from: number; to: number };
  /** the manifest's counts */
  counts: TransferManifest['counts'];
  /** set when the package had been received before (nothing was done) */
  alreadyReceived: { receivedAt: string; jobId: number; packageId: string } | null;
  dryRun: boolean;
  dataValues: { imported: number; updated: number; deleted: number; ignored: number; keptNewer: number; conflicts: { object: string; value: string }[] };
  events: { status: string; created: number; updated: number; deleted: number; ignored: number } | null;
  /** events left as they were because a later package of the sender had brought a newer version (out of order) */
  eventsKeptNewer: number;
  metadata: { status: string; created: number; updated: number; deleted: number; ignored: number } | null;
  /** the sender's gaps after this package */
  gaps: ReceiveGap[];
  /** this sender's cells whose stored totals differ from the control totals (after this package) */
  reconciliation: ReconcileReport;
}

/** What a package holds, verified, before anything is imported (transfer:inspect). */
export interface PackageInspection {
  file: string;
  fileName: string;
  bytes: number;
  /** null when the package cannot be read at all */
  manifest: Omit<TransferManifest, 'controlTotals'> & { controlTotalCells: number } | null;
  verified: boolean;
  /** why it is refused (names the entry) */
  error: string | null;
  /** the refusal's key and parameters in the errors catalogue (the screens say it in their language) */
  errorDetails?: { messageKey: string; messageParams: Record<string, string | number> } | null;
  alreadyReceived: { receivedAt: string; jobId: number } | null;
  /** the sender's gaps if this package were received */
  gaps: string[];
  /** the same gaps with their keys and parameters (the screens say them in their language) */
  gapDetails?: ReceiveGap[];
}

export interface SiteSummary {
  senderId: string;
  name: string;
  orgUnit: string | null;
  packages: number;
  lastSequence: number | null;
  lastReceivedAt: string | null;
  /** the sequence expected next (1 + the highest received with no gap before it) */
  expectedNext: number;
  gaps: ReceiveGap[];
  mismatches: number;
}
