/** Receive and reconcile results as terminal lines (ferry receive, ferry reconcile). */
import type { ReceiveSummary, ReconcileReport } from '../../src-shared/transfer-receive.ts';

const MAX_ROWS = 50;

export function formatReceive(head: string, s: ReceiveSummary): string[] {
  const out = [`${head}: ${s.alreadyReceived ? 'ALREADY RECEIVED' : s.status}`, `  ${s.file}: ${s.description}`];
  if (!s.alreadyReceived) {
    const d = s.dataValues;
    out.push(`  data values: imported ${d.imported}, updated ${d.updated}, deleted ${d.deleted}, ignored ${d.ignored}, kept newer ${d.keptNewer}`);
    for (const c of d.conflicts.slice(0, 10)) out.push(`    ${c.object}: ${c.value}`);
    if (s.events) out.push(`  events: ${s.events.status}: created ${s.events.created}, updated ${s.events.updated}, deleted ${s.events.deleted}, ignored ${s.events.ignored}`);
    if (s.metadata) out.push(`  metadata: ${s.metadata.status}: created ${s.metadata.created}, updated ${s.metadata.updated}, deleted ${s.metadata.deleted}, ignored ${s.metadata.ignored}`);
  }
  for (const g of s.gaps) out.push(`  gap: ${g.message}`);
  const r = s.reconciliation;
  out.push(`  reconciliation (${s.from.name}): ${r.cells - r.mismatches} of ${r.cells} cells match${r.mismatches ? `, ${r.mismatches} differ` : ''}`);
  out.push(...reconcileRows(r).map((l) => `  ${l}`));
  return out;
}

export function reconcileRows(r: ReconcileReport): string[] {
  const lines: string[] = [];
  for (const x of r.rows.filter((y) => !y.match).slice(0, MAX_ROWS)) {
    lines.push(
      `  ${x.senderName} ${x.orgUnit} ${x.dataSet ?? '(no data set)'} ${x.period}: sent ${x.sent.values} values (sum ${x.sent.sum}, package ${x.sequence}), stored ${x.stored.values} (sum ${x.stored.sum})`,
    );
  }
  if (r.mismatches > MAX_ROWS) lines.push(`  … and ${r.mismatches - MAX_ROWS} more (--json lists every cell)`);
  return lines;
}

export function formatReconcile(r: ReconcileReport): string {
  if (!r.cells) return 'No control totals yet: no transfer package has been received.';
  return [`Reconciliation: ${r.cells - r.mismatches} of ${r.cells} cells match${r.mismatches ? `, ${r.mismatches} differ` : ''}`, ...reconcileRows(r)].join('\n');
}
