/** What sending transfer packages answers (issue 13, send side): this site, destinations, a send's preview. */
import type { ExportSummary } from './api/contract.ts';

/** This database's own site: its uid (made once), name and org unit — set, or the defaults. */
export interface OwnSiteInfo {
  id: string;
  name: string;
  orgUnit: string | null;
  orgUnitName: string | null;
  /** false: the name is the default (the one org unit holding data at the deepest level, else the host name) */
  nameSet: boolean;
  orgUnitSet: boolean;
}

export interface SentPackageInfo {
  sequence: number;
  packageId: string;
  changes: { from: number; to: number };
  file: string;
  bytes: number;
  counts: { values: number; deletions: number; events: number; metadataObjects: number };
  resendOf: string | null;
  createdAt: string;
}

export interface DestinationInfo {
  id: string;
  name: string;
  /** the last package made for it (highest sequence), null when none yet */
  last: SentPackageInfo | null;
  packages: number;
}

/** What a send would carry (the wizard's "what is inside" step): nothing is written. */
export interface SendPreview {
  site: { id: string; name: string; orgUnit: string | null };
  destination: string;
  /** false: the destination is new (made by the send) */
  known: boolean;
  sequence: number;
  changes: { from: number; to: number };
  /** an upper bound: the values stored in the org unit × period partitions changed (the exact count comes with the package) */
  valuesAtMost: number;
  events: number;
  metadataObjects: number;
  lastSent: { sequence: number; packageId: string; file: string; createdAt: string } | null;
}

/** A send job's summary: the export summary and the manifest's headline. */
export interface SendSummary extends ExportSummary {
  packageId: string;
  sequence: number;
  changes: { from: number; to: number };
  from: { id: string; name: string };
  to: { id: string; name: string };
  /** the package id of the package this one re-makes */
  resendOf?: string;
}
