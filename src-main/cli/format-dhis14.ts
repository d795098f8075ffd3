/** Terminal text of a DHIS 1.4 import (Analyse, Preview, Import): per-type counts, values, the integrity report. */
import type { Dhis14ImportSummary } from '../../src-shared/dhis14-report.ts';

export function formatDhis14(head: string, s: Dhis14ImportSummary, maxLines: number): string[] {
  const r = s.dhis14;
  const what = r.mode === 'analyse' ? 'analysis (nothing was written)' : r.mode === 'preview' ? 'preview (nothing was changed)' : 'import';
  const out = [`${head}: ${s.status} — DHIS 1.4 ${what} of ${r.file} (${r.format === 'mdb' ? 'Access database' : '1.4 XML export'})`];
  for (const o of r.objects) out.push(`  ${o.type}: created ${o.created}, updated ${o.updated}, unchanged ${o.unchanged}, refused ${o.ignored}`);
  const v = r.values;
  out.push(
    r.mode === 'analyse'
      ? `  values: read ${v.read}, not importable ${v.skipped}`
      : `  values: read ${v.read}, imported ${v.imported}, updated ${v.updated}, unchanged ${v.unchanged}, not imported ${v.skipped}${r.lastUpdated ? ` (last updated after ${r.lastUpdated})` : ''}`,
  );
  if (r.issues.length) out.push(`  ${r.mode === 'analyse' ? 'integrity report' : 'found'}:`);
  for (const i of r.issues.slice(0, maxLines)) out.push(`    ${i.count} × ${i.message}${i.examples.length ? ` — e.g. ${i.examples.slice(0, 3).join('; ')}` : ''}`);
  if (r.issues.length > maxLines) out.push(`    … and ${r.issues.length - maxLines} more (use --json for all)`);
  const errors = (r.metadataReport?.typeReports ?? []).flatMap((t) => t.objectReports.flatMap((o) => o.errorReports));
  for (const e of errors.slice(0, maxLines)) out.push(`  refused: ${e.errorCode} ${e.message}`);
  return out;
}
