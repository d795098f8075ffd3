/**
 * Transfer packages received (migration 11): senders, packages, control totals; the origin of stored values (which
 * received package wrote them) for the "kept newer" rule; what the database holds per org unit × period × data set for
 * reconciliation.
 */
import type { Db } from '../open.ts';
import { Statements } from './statements.ts';
import type { ControlTotal, TransferManifest } from '../../../src-shared/transfer.ts';

export interface ReceivedPackageRow {
  senderId: string;
  senderName: string;
  sequence: number;
  packageId: string;
  changesFrom: number;
  changesTo: number;
  createdAt: string;
  receivedAt: string;
  jobId: number;
  fileName: string;
  sha256: string;
  counts: TransferManifest['counts'];
}

export interface SenderRow {
  senderId: string;
  name: string;
  orgUnit: string | null;
  firstSeenAt: string;
}

export interface StoredControlTotal extends ControlTotal {
  senderId: string;
  sequence: number;
}

const PACKAGE_COLUMNS = `r.sender_id AS senderId, s.name AS senderName, r.sequence, r.package_id AS packageId, r.changes_from AS changesFrom,
  r.changes_to AS changesTo, r.created_at AS createdAt, r.received_at AS receivedAt, r.job_id AS jobId, r.file_name AS fileName, r.sha256, r.counts`;

function pkg(row: Record<string, unknown> | undefined): ReceivedPackageRow | null {
  if (!row) return null;
  return { ...(row as unknown as ReceivedPackageRow), counts: JSON.parse(row.counts as string) as TransferManifest['counts'] };
}

export class TransferReceivedRepo {
  private readonly s: Statements;
  /** SQL: the receive job of package row `r` was not undone (migration 9's job_undo), so the package counts as received */
  private readonly live: string;
  constructor(private readonly db: Db) {
    this.s = new Statements(db);
    const undo = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'job_undo'`).get();
    this.live = undo ? 'r.job_id NOT IN (SELECT job_id FROM job_undo)' : '1';
  }

  /** The package received from a sender with that sequence, if any. */
  received(senderId: string, sequence: number): ReceivedPackageRow | null {
    return pkg(this.s.rows(`SELECT ${PACKAGE_COLUMNS} FROM transfer_received r JOIN transfer_sender s USING (sender_id) WHERE r.sender_id = ? AND r.sequence = ? AND ${this.live}`).get(senderId, sequence) as Record<string, unknown> | undefined);
  }

  packages(senderId?: string): ReceivedPackageRow[] {
    const rows = senderId
      ? this.s.rows(`SELECT ${PACKAGE_COLUMNS} FROM transfer_received r JOIN transfer_sender s USING (sender_id) WHERE r.sender_id = ? AND ${this.live} ORDER BY r.sequence`).all(senderId)
      : this.s.rows(`SELECT ${PACKAGE_COLUMNS} FROM transfer_received r JOIN transfer_sender s USING (sender_id) WHERE ${this.live} ORDER BY s.name, r.sequence`).all();
    return (rows as Record<string, unknown>[]).map((r) => pkg(r)!);
  }

  senders(): SenderRow[] {
    return this.s.rows(`SELECT sender_id AS senderId, name, org_unit AS orgUnit, first_seen_at AS firstSeenAt FROM transfer_sender ORDER BY name, sender_id`).all() as SenderRow[];
  }

  sequences(senderId: string): number[] {
    return this.s.pluck(`SELECT sequence FROM transfer_received r WHERE sender_id = ? AND ${this.live} ORDER BY sequence`).all(senderId) as number[];
  }

  /** Records a received package (inside the receive job's transaction) and keeps the sender's name up to date. */
  record(m: TransferManifest, p: { receivedAt: string; jobId: number; fileName: string; sha256: string }): void {
    this.s
      .rows(
        `INSERT INTO transfer_sender (sender_id, name, org_unit, first_seen_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (sender_id) DO UPDATE SET name = excluded.name, org_unit = coalesce(excluded.org_unit, org_unit)`,
      )
      .run(m.from.id, m.from.name, m.from.orgUnit ?? null, p.receivedAt);
    // a package received before by a job that was undone since is received again: its old row goes
    this.s.rows(`DELETE FROM transfer_received AS r WHERE sender_id = ? AND sequence = ? AND NOT (${this.live})`).run(m.from.id, m.sequence);
    this.s
      .rows(
        `INSERT INTO transfer_received (sender_id, sequence, package_id, destination_id, destination_name, changes_from, changes_to, created_at, received_at, job_id, file_name, sha256, counts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(m.from.id, m.sequence, m.packageId, m.to.id, m.to.name, m.changes.from, m.changes.to, m.createdAt, p.receivedAt, p.jobId, p.fileName, p.sha256, JSON.stringify(m.counts));
    const put = this.s.rows(
      `INSERT INTO transfer_control_total (sender_id, org_unit, data_set, period, sequence, value_count, value_sum) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sender_id, org_unit, data_set, period) DO UPDATE SET sequence = excluded.sequence, value_count = excluded.value_count, value_sum = excluded.value_sum
       WHERE excluded.sequence >= transfer_control_total.sequence`,
    );
    for (const t of m.controlTotals) put.run(m.from.id, t.orgUnit, t.dataSet ?? '', t.period, m.sequence, t.values, t.sum);
  }

  controlTotals(senderId?: string): StoredControlTotal[] {
    const sql = `SELECT sender_id AS senderId, org_unit AS orgUnit, nullif(data_set, '') AS dataSet, period, sequence, value_count AS "values", value_sum AS sum
      FROM transfer_control_total ${senderId ? 'WHERE sender_id = ?' : ''} ORDER BY sender_id, org_unit, period, data_set`;
    return (senderId ? this.s.rows(sql).all(senderId) : this.s.rows(sql).all()) as StoredControlTotal[];
  }

  /** job_file ids of the receive jobs of packages from a sender with a higher sequence (their values are newer). */
  fileIdsOfLaterPackages(senderId: string, sequence: number): Set<number> {
    const ids = this.s
      .pluck(`SELECT jf.id FROM transfer_received r JOIN job_file jf ON jf.job_id = r.job_id WHERE r.sender_id = ? AND r.sequence > ? AND ${this.live}`)
      .all(senderId, sequence) as number[];
    return new Set(ids);
  }

  /** source_file_id of the stored value at a key given by uids and ISO period (undefined: no such value). */
  sourceFileOf(de: string, pe: string, ou: string, coc: string | null, aoc: string | null): number | null | undefined {
    const row = this.s
      .rows(
        `SELECT dv.source_file_id AS f FROM data_value dv
         WHERE dv.ou = (SELECT id FROM metadata_object WHERE type = 'organisationUnits' AND uid = ?)
           AND dv.pe = (SELECT id FROM period WHERE iso = ?)
           AND dv.de = (SELECT id FROM metadata_object WHERE type = 'dataElements' AND uid = ?)
           AND dv.coc = coalesce((SELECT id FROM metadata_object WHERE type = 'categoryOptionCombos' AND uid = ?), (SELECT default_coc FROM (SELECT id AS default_coc FROM metadata_object WHERE type = 'categoryOptionCombos' AND name = 'default' LIMIT 1)))
           AND dv.aoc = coalesce((SELECT id FROM metadata_object WHERE type = 'categoryOptionCombos' AND uid = ?), (SELECT default_coc FROM (SELECT id AS default_coc FROM metadata_object WHERE type = 'categoryOptionCombos' AND name = 'default' LIMIT 1)))`,
      )
      .get(ou, pe, de, coc, aoc) as { f: number | null } | undefined;
    return row ? row.f : undefined;
  }

  /** uids of the stored events last written by one of these job files */
  eventUidsWrittenBy(fileIds: Set<number>): Set<string> {
    if (!fileIds.size) return new Set();
    const uids = this.db.prepare(`SELECT uid FROM event WHERE source_file_id IN (SELECT value FROM json_each(?))`).pluck().all(JSON.stringify([...fileIds])) as string[];
    return new Set(uids);
  }

  /** period.id of an ISO period (undefined: no such period stored) */
  periodId(iso: string): number | undefined {
    return this.s.pluck(`SELECT id FROM period WHERE iso = ?`).get(iso) as number | undefined;
  }
}
