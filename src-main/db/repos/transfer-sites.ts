/**
 * The sending side of transfer packages (migration 10): this database's own site, the destinations it sends to and
 * the packages it made; and the stored values a package's control totals are computed from.
 */
import type { Db } from '../open.ts';
import { Statements } from './statements.ts';

export interface OwnSiteRow {
  uid: string;
  /** null until set: transfer/site.ts then gives the default */
  name: string | null;
  orgUnit: string | null;
}

export interface DestinationRow {
  id: number;
  uid: string;
  name: string;
  orgUnit: string | null;
  createdAt: string;
}

export interface SentPackageRow {
  id: number;
  destinationId: number;
  destination: string;
  sequence: number;
  changeFrom: number;
  changeTo: number;
  packageId: string;
  resendOf: string | null;
  file: string;
  bytes: number;
  sha256: string;
  /** JSON: ManifestEntry[] */
  entries: string;
  /** JSON: the manifest's counts */
  counts: string;
  metadata: number;
  jobId: number | null;
  createdAt: string;
}

const SENT = `SELECT p.id, p.destination_id AS destinationId, d.name AS destination, p.sequence, p.change_from AS changeFrom,
  p.change_to AS changeTo, p.package_id AS packageId, p.resend_of AS resendOf, p.file, p.bytes, p.sha256, p.entries, p.counts,
  p.metadata, p.job_id AS jobId, p.created_at AS createdAt
  FROM transfer_package_sent p JOIN transfer_destination d ON d.id = p.destination_id`;

export class TransferSitesRepo {
  private readonly st: Statements;
  constructor(db: Db) {
    this.st = new Statements(db);
  }

  ownSite(): OwnSiteRow {
    const r = this.st.rows(`SELECT uid, name, org_unit AS orgUnit FROM transfer_site WHERE id = 1`).get() as OwnSiteRow | undefined;
    if (!r) throw new Error('transfer_site has no row: the database was not migrated');
    return r;
  }

  setOwnSite(name: string | null | undefined, orgUnit: string | null | undefined): void {
    if (name !== undefined) this.st.rows(`UPDATE transfer_site SET name = ? WHERE id = 1`).run(name);
    if (orgUnit !== undefined) this.st.rows(`UPDATE transfer_site SET org_unit = ? WHERE id = 1`).run(orgUnit);
  }

  /**
   * The org units holding data at the deepest level that holds any (from data_value_change: one row per change ×
   * org unit × period, much smaller than data_value), at most `limit`: [uid, name, level].
   */
  deepestOrgUnitsWithData(limit: number): [string, string | null, number][] {
    return this.st
      .raw(
        `WITH ous AS (SELECT DISTINCT ou FROM data_value_change),
           lv AS (SELECT max(o.level) AS level FROM ous JOIN org_unit o ON o.id = ous.ou)
         SELECT m.uid, m.name, o.level FROM ous JOIN org_unit o ON o.id = ous.ou JOIN metadata_object m ON m.id = o.id
         WHERE o.level = (SELECT level FROM lv) LIMIT ?`,
      )
      .all(limit) as [string, string | null, number][];
  }

  /** [uid, name] of a stored org unit given by uid, code or name. */
  orgUnitByAny(s: string): [string, string | null] | undefined {
    return this.st
      .raw(`SELECT uid, name FROM metadata_object WHERE type = 'organisationUnits' AND (uid = @s OR code = @s OR name = @s) ORDER BY uid = @s DESC, code = @s DESC LIMIT 1`)
      .get({ s }) as [string, string | null] | undefined;
  }

  destinations(): DestinationRow[] {
    return this.st.rows(`SELECT id, uid, name, org_unit AS orgUnit, created_at AS createdAt FROM transfer_destination ORDER BY name`).all() as DestinationRow[];
  }

  destinationByName(name: string): DestinationRow | undefined {
    return this.st.rows(`SELECT id, uid, name, org_unit AS orgUnit, created_at AS createdAt FROM transfer_destination WHERE name = ?`).get(name) as DestinationRow | undefined;
  }

  addDestination(uid: string, name: string, orgUnit: string | null, now: string): DestinationRow {
    this.st.rows(`INSERT INTO transfer_destination (uid, name, org_unit, created_at) VALUES (?, ?, ?, ?)`).run(uid, name, orgUnit, now);
    return this.destinationByName(name)!;
  }

  /** The last package made for a destination (highest sequence; of a re-made one, the newest). */
  lastSent(destinationId: number): SentPackageRow | undefined {
    return this.st.rows(`${SENT} WHERE p.destination_id = ? ORDER BY p.sequence DESC, p.id DESC LIMIT 1`).get(destinationId) as SentPackageRow | undefined;
  }

  /** The package with this sequence to a destination (the first made: a re-made one copies its range). */
  sentBySequence(destinationId: number, sequence: number): SentPackageRow | undefined {
    return this.st.rows(`${SENT} WHERE p.destination_id = ? AND p.sequence = ? ORDER BY p.id LIMIT 1`).get(destinationId, sequence) as SentPackageRow | undefined;
  }

  sentByPackageId(packageId: string): SentPackageRow | undefined {
    return this.st.rows(`${SENT} WHERE p.package_id = ?`).get(packageId) as SentPackageRow | undefined;
  }

  /** Packages made, newest first (of one destination when given). */
  sent(destinationId: number | null, limit: number): SentPackageRow[] {
    return destinationId == null
      ? (this.st.rows(`${SENT} ORDER BY p.id DESC LIMIT ?`).all(limit) as SentPackageRow[])
      : (this.st.rows(`${SENT} WHERE p.destination_id = ? ORDER BY p.id DESC LIMIT ?`).all(destinationId, limit) as SentPackageRow[]);
  }

  /**
   * An upper bound of the data values changed in (from, to], for the free-space check and the progress bar: the values
   * stored in the org unit × period partitions written in that range (data_value_written, migration 9), plus the keys
   * an undo touched in it. Counted over the key index, values not read.
   */
  valuesChangedAtMost(from: number, to: number): number {
    const written = this.st
      .pluck(
        `SELECT count(*) FROM (SELECT DISTINCT ou, pe FROM data_value_written WHERE file_id > ? AND file_id <= ?) w JOIN data_value dv ON dv.ou = w.ou AND dv.pe = w.pe`,
      )
      .get(from, to) as number;
    const undone = this.st.pluck(`SELECT count(*) FROM undo_touched WHERE file_id > ? AND file_id <= ?`).get(from, to) as number;
    return written + undone;
  }

  /** The partitions (org unit, period) written in (from, to] with the number of values each holds now: [ou, pe, n]. */
  changedPartitions(from: number, to: number): IterableIterator<[number, number, number]> {
    return this.st
      .raw(
        `SELECT w.ou, w.pe, (SELECT count(*) FROM data_value dv WHERE dv.ou = w.ou AND dv.pe = w.pe)
           FROM (SELECT DISTINCT ou, pe FROM data_value_written WHERE file_id > ? AND file_id <= ?) w`,
      )
      .iterate(from, to) as IterableIterator<[number, number, number]>;
  }

  /** The number of keys an undo touched in (from, to]. */
  undoneKeys(from: number, to: number): number {
    return this.st.pluck(`SELECT count(*) FROM undo_touched WHERE file_id > ? AND file_id <= ?`).get(from, to) as number;
  }

  /** Stored metadata objects by id: type, uid and JSON, in id order. */
  metadataObjects(ids: number[]): { id: number; type: string; uid: string; json: string }[] {
    if (!ids.length) return [];
    return this.st.rows(`SELECT id, type, uid, json FROM metadata_object WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`).all(JSON.stringify(ids)) as {
      id: number;
      type: string;
      uid: string;
      json: string;
    }[];
  }

  countMetadata(): number {
    return this.st.pluck(`SELECT count(*) FROM metadata_object`).get() as number;
  }

  recordSent(r: Omit<SentPackageRow, 'id' | 'destination'>): void {
    this.st
      .rows(
        `INSERT INTO transfer_package_sent (destination_id, sequence, change_from, change_to, package_id, resend_of, file, bytes, sha256, entries, counts, metadata, job_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.destinationId, r.sequence, r.changeFrom, r.changeTo, r.packageId, r.resendOf, r.file, r.bytes, r.sha256, r.entries, r.counts, r.metadata, r.jobId, r.createdAt);
  }
}

/**
 * The stored values a control total counts: the live values (not deleted) of one org unit and period, in key order
 * (de, coc, aoc) — the order the sum is taken in, on both sides — as [de, value].
 */
export class ControlTotalsRepo {
  private readonly st: Statements;
  constructor(db: Db) {
    this.st = new Statements(db);
  }
  liveValues(ou: number, pe: number): IterableIterator<[number, string | null]> {
    return this.st.raw(`SELECT de, value FROM data_value WHERE ou = ? AND pe = ? AND deleted = 0 ORDER BY de, coc, aoc`).iterate(ou, pe) as IterableIterator<[number, string | null]>;
  }
}
