/**
 * Transfer packages between sites (issue 13): what `ferry send` writes and `ferry receive` checks.
 *
 * A package is a zip. Its FIRST entry is a DHIS2 data value set (`dataValues.json`, DXF2 JSON, ids as UIDs, deleted
 * values carried with `"deleted": true`), so that DHIS2 itself imports the file as it is; further entries carry events
 * (`events.json`, tracker JSON) and metadata (`metadata.json`, DXF2 JSON) when the package holds any; the LAST entry is
 * `ferry-manifest.json` (this file's TransferManifest), which DHIS2 ignores. Every entry but the manifest is listed in
 * the manifest with its size and sha256, so a receiver verifies the whole package before anything is written.
 */

export const MANIFEST_ENTRY = 'ferry-manifest.json';
export const PACKAGE_FORMAT = 'ferry-transfer-package';
export const PACKAGE_FORMAT_VERSION = 1;

/** A site as packages name it: a name people read ("Clinic A"), and a stable id made once per database. */
export interface SiteRef {
  /** generated once per database (a DHIS2-style uid); never changes when the site is renamed */
  id: string;
  name: string;
  /** the org unit the site reports for (uid), when set */
  orgUnit?: string | null;
}

export interface ManifestEntry {
  /** the zip entry name */
  name: string;
  /** what it holds */
  content: 'dataValues' | 'events' | 'metadata';
  /** uncompressed size in bytes */
  size: number;
  /** sha256 of the uncompressed bytes, lower-case hex */
  sha256: string;
}

/**
 * Control totals for one org unit × data set × period: the number of values the package leaves stored at the sender
 * for that cell (not deleted) and the sum of the numeric ones, as the sender's database held them when the package was
 * made. A value of a data element in no data set is counted under dataSet null.
 */
export interface ControlTotal {
  orgUnit: string;
  dataSet: string | null;
  period: string;
  values: number;
  /** sum of the values that are numbers (value types NUMBER, INTEGER…, PERCENTAGE, UNIT_INTERVAL…) */
  sum: number;
}

export interface TransferManifest {
  format: typeof PACKAGE_FORMAT;
  formatVersion: number;
  /** a uid per package; re-making a lost package gives a new id but the same sender, destination and sequence */
  packageId: string;
  from: SiteRef;
  to: SiteRef;
  /** 1, 2, 3 … per (from.id → to.id); a re-made package keeps its number */
  sequence: number;
  /**
   * The range of the sender's local change sequence the package carries: changes with from < seq ≤ to. The change
   * sequence is the sender's own counter (never a wall clock).
   */
  changes: { from: number; to: number };
  /** when the sender's clock says it was made (shown to people; never used to order anything) */
  createdAt: string;
  ferryVersion: string;
  entries: ManifestEntry[];
  counts: { values: number; deletions: number; events: number; metadataObjects: number };
  controlTotals: ControlTotal[];
}
