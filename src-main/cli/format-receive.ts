/** Receive and reconcile results as terminal lines (ferry receive, ferry reconcile), in the run's language. */
import type { ReceiveSummary, ReconcileReport } from '../../src-shared/transfer-receive.ts';
import { errorMessage, n, t } from './i18n.ts';

const MAX_ROWS = 50;

const cellsMatch = (r: ReconcileReport): string =>
  t('receive.cellsMatch', { match: n(r.cells - r.mismatches), cells: n(r.cells) }) + (r.mismatches ? t('receive.cellsDiffer', { count: r.mismatches }) : '');

export function formatReceive(head: string, s: ReceiveSummary): string[] {
  // the description and the gaps are said in the run's language from their keys (the English as it came otherwise)
  const description = s.descriptionParts ? s.descriptionParts.map((p) => errorMessage({ message: '', details: p })).join('') : s.description;
  const out = [`${head}: ${s.alreadyReceived ? t('receive.alreadyReceived') : s.status}`, `  ${s.file}: ${description}`];
  if (!s.alreadyReceived) {
    const d = s.dataValues;
    out.push('  ' + t('receive.dataValues', { imported: n(d.imported), updated: n(d.updated), deleted: n(d.deleted), ignored: n(d.ignored), keptNewer: n(d.keptNewer) }));
    for (const c of d.conflicts.slice(0, 10)) out.push(`    ${c.object}: ${c.value}`);
    const counts = (x: { status: string; created: number; updated: number; deleted: number; ignored: number }) => ({
      status: x.status,
      created: n(x.created),
      updated: n(x.updated),
      deleted: n(x.deleted),
      ignored: n(x.ignored),
    });
    if (s.events) out.push('  ' + t('receive.events', counts(s.events)));
    if (s.metadata) out.push('  ' + t('receive.metadata', counts(s.metadata)));
  }
  for (const g of s.gaps) out.push('  ' + t('receive.gap', { message: errorMessage({ message: g.message, details: g }) }));
  const r = s.reconciliation;
  out.push('  ' + t('receive.reconciliation', { name: s.from.name, cells: cellsMatch(r) }));
  out.push(...reconcileRows(r).map((l) => `  ${l}`));
  return out;
}

export function reconcileRows(r: ReconcileReport): string[] {
  const lines: string[] = [];
  for (const x of r.rows.filter((y) => !y.match).slice(0, MAX_ROWS)) {
    lines.push(
      '  ' +
        t('reconcile.row', {
          sender: x.senderName,
          orgUnit: x.orgUnit,
          dataSet: x.dataSet ?? t('reconcile.noDataSet'),
          period: x.period,
          count: x.sent.values,
          values: n(x.sent.values),
          sum: n(x.sent.sum),
          sequence: x.sequence,
          storedValues: n(x.stored.values),
          storedSum: n(x.stored.sum),
        }),
    );
  }
  if (r.mismatches > MAX_ROWS) lines.push('  ' + t('reconcile.more', { n: n(r.mismatches - MAX_ROWS) }));
  return lines;
}

export function formatReconcile(r: ReconcileReport): string {
  if (!r.cells) return t('reconcile.none');
  return [t('reconcile.head', { cells: cellsMatch(r) }), ...reconcileRows(r)].join('\n');
}
