/** Terminal text of a DHIS 1.4 import (Analyse, Preview, Import): per-type counts, values, the integrity report. */
import type { Dhis14ImportSummary } from '../../src-shared/dhis14-report.ts';
import { errorMessage, n, t } from './i18n.ts';

export function formatDhis14(head: string, s: Dhis14ImportSummary, maxLines: number): string[] {
  const r = s.dhis14;
  const what = r.mode === 'analyse' ? t('dhis14.what.analyse') : r.mode === 'preview' ? t('dhis14.what.preview') : t('dhis14.what.import');
  const source = r.format === 'mdb' ? t('dhis14.source.mdb') : t('dhis14.source.xml');
  const out = [t('dhis14.head', { head, status: s.status, what, file: r.file, source })];
  for (const o of r.objects)
    out.push('  ' + t('dhis14.objects', { type: o.type, created: n(o.created), updated: n(o.updated), unchanged: n(o.unchanged), refused: n(o.ignored) }));
  const v = r.values;
  out.push(
    '  ' +
      (r.mode === 'analyse'
        ? t('dhis14.valuesAnalysed', { read: n(v.read), skipped: n(v.skipped) })
        : t('dhis14.values', { read: n(v.read), imported: n(v.imported), updated: n(v.updated), unchanged: n(v.unchanged), skipped: n(v.skipped) }) +
          (r.lastUpdated ? t('dhis14.lastUpdated', { date: r.lastUpdated }) : '')),
  );
  // the integrity report's messages: the engine's keys said in the run's language (DHIS2's own errors below stay as DHIS2 words them)
  if (r.issues.length) out.push(`  ${r.mode === 'analyse' ? t('dhis14.integrityReport') : t('dhis14.found')}:`);
  for (const i of r.issues.slice(0, maxLines)) out.push(`    ${n(i.count)} × ${errorMessage({ message: i.message, details: i })}${i.examples.length ? t('dhis14.examples', { examples: i.examples.slice(0, 3).map((e, k) => errorMessage({ message: e, details: i.exampleDetails?.[k] ?? {} })).join('; ') }) : ''}`);
  if (r.issues.length > maxLines) out.push('    ' + t('dhis14.more', { n: n(r.issues.length - maxLines) }));
  const errors = (r.metadataReport?.typeReports ?? []).flatMap((x) => x.objectReports.flatMap((o) => o.errorReports));
  for (const e of errors.slice(0, maxLines)) out.push('  ' + t('dhis14.refused', { code: e.errorCode, message: e.message }));
  return out;
}
