/** Terminal text of the event import's two answers: the tracker ImportReport and ImportSummaries (old events files). */
import type { TrackerImportReport, TrackerType } from '../../src-shared/dhis2/tracker.ts';
import type { EventImportSummaries } from '../../src-shared/dhis2/event-import-summaries.ts';
import { n, t } from './i18n.ts';

const typeWord = (type: TrackerType): string =>
  ({ TRACKED_ENTITY: t('events.type.trackedEntities'), ENROLLMENT: t('events.type.enrollments'), EVENT: t('events.type.events'), RELATIONSHIP: t('events.type.relationships') })[type];

const stats = (s: { created: number; updated: number; deleted: number; ignored: number }): string =>
  t('count.created', { created: n(s.created), updated: n(s.updated), deleted: n(s.deleted), ignored: n(s.ignored) });

export function formatTrackerReport(head: string, r: TrackerImportReport, maxLines: number): string[] {
  const out = [`${head}: ${r.status}`];
  const st = r.stats;
  out.push(`  ${stats(st)} (${t('count.total', { n: n(st.total) })})`);
  const w = r.wouldBe?.stats;
  if (w) out.push(`  ${t('events.wouldGive')} ${stats(w)} (${t('count.total', { n: n(w.total) })})`);
  for (const [type, tr] of Object.entries(r.wouldBe?.typeReportMap ?? r.bundleReport?.typeReportMap ?? {})) {
    if (!tr || !tr.stats.total) continue;
    out.push(`  ${typeWord(type as TrackerType)}: ${stats(tr.stats)}`);
  }
  const errors = r.validationReport.errorReports;
  const unlisted = Object.values(r.moreErrorReports ?? {}).reduce((a, b) => a + b, 0);
  if (errors.length || unlisted) out.push(`  ${t('report.errors', { count: errors.length + unlisted })}`);
  for (const e of errors.slice(0, maxLines)) out.push(`    ${e.line !== undefined ? `${t('report.line', { line: e.line })}: ` : ''}${e.errorCode} ${e.trackerType} ${e.uid}: ${e.message}`);
  if (errors.length > maxLines) out.push(`    ${t('report.more', { count: errors.length - maxLines })}`);
  for (const [code, k] of Object.entries(r.moreErrorReports ?? {})) out.push(`    ${t('events.moreReports', { count: k, code })}`);
  for (const w of r.validationReport.warningReports.slice(0, maxLines)) out.push(`  ${t('overlap.warning')}: ${w.line !== undefined ? `${t('report.line', { line: w.line })}: ` : ''}${w.errorCode} ${w.message}`);
  if (r.status === 'ERROR') out.push(`  ${t('events.nothingImported')}`);
  return out;
}

export function formatEventSummaries(head: string, s: EventImportSummaries, maxLines: number): string[] {
  const out = [`${head}: ${s.status}`];
  out.push(`  ${t('count.imported', { imported: n(s.imported), updated: n(s.updated), deleted: n(s.deleted), ignored: n(s.ignored) })} (${t('count.total', { n: n(s.total) })})`);
  const failed = s.importSummaries.filter((x) => x.status === 'ERROR');
  const more = s.moreImportSummaries?.ERROR ?? 0;
  if (failed.length || more) out.push(`  ${t('events.notImported', { count: failed.length + more })}`);
  for (const f of failed.slice(0, maxLines)) {
    const where = f.line !== undefined ? `${t('report.line', { line: f.line })}: ` : '';
    for (const c of f.conflicts) out.push(`    ${where}${c.errorCode ?? ''} ${f.reference ?? c.object}: ${c.value}`.replace(/ {2,}/g, ' '));
  }
  if (failed.length > maxLines) out.push(`    ${t('report.more', { count: failed.length - maxLines })}`);
  if (more) out.push(`    ${t('events.moreUnlisted', { count: more })}`);
  return out;
}
