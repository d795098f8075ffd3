/**
 * Reconciliation (issue 13): per sender × org unit × data set × period, the control totals of the latest package that
 * carried the cell against what the database holds now for that org unit exactly (live values counted, numeric values
 * summed, as the sender counted them, with the sender's own code: control-totals.ts). Values of data elements in no
 * data set are counted under dataSet null.
 */
import type { Db } from '../db/open.ts';
import { TransferReceivedRepo, type StoredControlTotal } from '../db/repos/transfer-received.ts';
import { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { ControlTotaller, roundSum } from './control-totals.ts';
import type { ReceiveGap, ReconcileReport, ReconcileRow, SiteSummary } from '../../src-shared/transfer-receive.ts';
import { englishError } from '../../src-shared/keyed-errors.ts';

export function reconcile(db: Db, opts: { senderId?: string; onlyMismatches?: boolean } = {}): ReconcileReport {
  const repo = new TransferReceivedRepo(db);
  const totals = repo.controlTotals(opts.senderId);
  if (!totals.length) return { cells: 0, mismatches: 0, rows: [] };
  const names = new Map(repo.senders().map((s) => [s.senderId, s.name]));
  const meta = new MetadataLookupRepo(db);
  // the sender's own figures, by the same code (control-totals.ts): both sides agree to the last bit
  const totaller = new ControlTotaller(db);
  const dsIds = new Map<string, number | undefined>();
  const dsId = (uid: string | null): number | null | undefined => {
    if (uid === null) return null;
    if (!dsIds.has(uid)) dsIds.set(uid, meta.idByUid('dataSets', uid));
    return dsIds.get(uid);
  };
  // cells grouped by (org unit, period): one read of the stored values each
  const groups = new Map<string, StoredControlTotal[]>();
  for (const t of totals) {
    const k = `${t.orgUnit}\u0000${t.period}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(t);
  }
  const rows: ReconcileRow[] = [];
  let mismatches = 0;
  for (const cells of groups.values()) {
    const { orgUnit, period } = cells[0]!;
    const ou = meta.idByUid('organisationUnits', orgUnit);
    const pe = repo.periodId(period);
    const only = new Set<number | null>();
    for (const c of cells) {
      const id = dsId(c.dataSet);
      if (id !== undefined) only.add(id);
    }
    const stored = new Map<number | null, { values: number; sum: number }>();
    if (ou !== undefined && pe !== undefined) for (const c of totaller.cell(ou, pe, only)) stored.set(c.dataSet, c);
    for (const t of cells) {
      const id = dsId(t.dataSet);
      const got = (id !== undefined ? stored.get(id) : undefined) ?? { values: 0, sum: 0 };
      const match = got.values === t.values && roundSum(got.sum) === roundSum(t.sum);
      if (!match) mismatches++;
      if (match && opts.onlyMismatches) continue;
      rows.push({
        senderId: t.senderId,
        senderName: names.get(t.senderId) ?? t.senderId,
        orgUnit: t.orgUnit,
        dataSet: t.dataSet,
        period: t.period,
        sequence: t.sequence,
        sent: { values: t.values, sum: t.sum },
        stored: { values: got.values, sum: got.sum },
        match,
      });
    }
  }
  return { cells: totals.length, mismatches, rows };
}

/** The missing sequences of a sender (every number below its highest received one that has not arrived). */
export function gapsOf(senderId: string, senderName: string, received: number[]): ReceiveGap[] {
  const have = new Set(received);
  const max = received.length ? Math.max(...received) : 0;
  const gaps: ReceiveGap[] = [];
  for (let n = 1; n < max; n++) {
    if (have.has(n)) continue;
    let below = n - 1;
    while (below > 0 && !have.has(below)) below--;
    let above = n + 1;
    while (!have.has(above)) above++;
    const messageKey = below > 0 ? 'receive.gapBetween' : 'receive.gapFirst';
    const messageParams: Record<string, string | number> = below > 0 ? { sequence: n, site: senderName, below, above } : { sequence: n, site: senderName, above };
    gaps.push({ senderId, senderName, sequence: n, message: englishError(messageKey, messageParams), messageKey, messageParams });
  }
  return gaps;
}

/** The sequence a sender's next package should carry: 1 + the highest received with none missing before it. */
export function expectedNext(received: number[]): number {
  const have = new Set(received);
  let n = 1;
  while (have.has(n)) n++;
  return n;
}

/** Every known sender: last package, gaps, reconciliation mismatches (the Sites page, transfer:sites). */
export function sites(db: Db): SiteSummary[] {
  const repo = new TransferReceivedRepo(db);
  const report = reconcile(db, { onlyMismatches: true });
  return repo.senders().map((s) => {
    const pkgs = repo.packages(s.senderId);
    const seqs = pkgs.map((p) => p.sequence);
    const last = pkgs.reduce<(typeof pkgs)[number] | null>((a, p) => (!a || p.sequence > a.sequence ? p : a), null);
    return {
      senderId: s.senderId,
      name: s.name,
      orgUnit: s.orgUnit,
      packages: pkgs.length,
      lastSequence: last?.sequence ?? null,
      lastReceivedAt: last?.receivedAt ?? null,
      expectedNext: expectedNext(seqs),
      gaps: gapsOf(s.senderId, s.name, seqs),
      mismatches: report.rows.filter((r) => r.senderId === s.senderId).length,
    };
  });
}
