/**
 * Reconciliation (issue 13): per sender × org unit × data set × period, the control totals of the latest package that
 * carried the cell against what the database holds now for that org unit exactly (live values counted, numeric values
 * summed, as the sender counted them). Values of data elements in no data set are counted under dataSet null.
 */
import type { Db } from '../db/open.ts';
import { TransferReceivedRepo } from '../db/repos/transfer-received.ts';
import { isNumericType } from '../../src-shared/dhis2/value-types.ts';
import type { ReceiveGap, ReconcileReport, ReconcileRow, SiteSummary } from '../../src-shared/transfer-receive.ts';

/** sums compared with this tolerance (relative), so that float addition order does not count as a mismatch */
const EPS = 1e-9;

export function sumsEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= EPS * Math.max(1, Math.abs(a), Math.abs(b));
}

export function reconcile(db: Db, opts: { senderId?: string; onlyMismatches?: boolean } = {}): ReconcileReport {
  const repo = new TransferReceivedRepo(db);
  const totals = repo.controlTotals(opts.senderId);
  const names = new Map(repo.senders().map((s) => [s.senderId, s.name]));
  const dsElements = repo.dataSetElements();
  const inSomeDataSet = new Set<number>();
  const dsSets = new Map<string, Set<number>>();
  for (const [ds, des] of dsElements) {
    dsSets.set(ds, new Set(des));
    for (const d of des) inSomeDataSet.add(d);
  }
  const types = repo.valueTypes();
  // one read of the stored values per (org unit, period), shared by the cells of its data sets
  const cache = new Map<string, [number, string | null][]>();
  const rows: ReconcileRow[] = [];
  let mismatches = 0;
  for (const t of totals) {
    const key = `${t.orgUnit}\u0000${t.period}`;
    let values = cache.get(key);
    if (!values) {
      if (cache.size > 64) cache.clear();
      cache.set(key, (values = repo.liveValues(t.orgUnit, t.period)));
    }
    const members = t.dataSet === null ? null : (dsSets.get(t.dataSet) ?? new Set<number>());
    let count = 0;
    let sum = 0;
    for (const [de, v] of values) {
      if (members ? !members.has(de) : inSomeDataSet.has(de)) continue;
      count++;
      if (v !== null && isNumericType(types.get(de) ?? 'TEXT')) {
        const n = Number(v);
        if (Number.isFinite(n)) sum += n;
      }
    }
    const match = count === t.values && sumsEqual(sum, t.sum);
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
      stored: { values: count, sum },
      match,
    });
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
    const neighbours = below > 0 ? `${below} and ${above} have` : `${above} has`;
    gaps.push({ senderId, senderName, sequence: n, message: `package ${n} from ${senderName} has not arrived; ${neighbours}` });
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
