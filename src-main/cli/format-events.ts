/** Terminal text of the event import's two answers: the tracker ImportReport and ImportSummaries (old events files). */
import type { TrackerImportReport, TrackerType } from '../../src-shared/dhis2/tracker.ts';
import type { EventImportSummaries } from '../../src-shared/dhis2/event-import-summaries.ts';

const TYPE_WORDS: Record<TrackerType, string> = { TRACKED_ENTITY: 'tracked entities', ENROLLMENT: 'enrollments', EVENT: 'events', RELATIONSHIP: 'relationships' };

export function formatTrackerReport(head: string, r: TrackerImportReport, maxLines: number): string[] {
  const out = [`${head}: ${r.status}`];
  const st = r.stats;
  out.push(`  created ${st.created}, updated ${st.updated}, deleted ${st.deleted}, ignored ${st.ignored} (total ${st.total})`);
  const w = r.wouldBe?.stats;
  if (w) out.push(`  the import would give: created ${w.created}, updated ${w.updated}, deleted ${w.deleted}, ignored ${w.ignored} (total ${w.total})`);
  for (const [type, t] of Object.entries(r.wouldBe?.typeReportMap ?? r.bundleReport?.typeReportMap ?? {})) {
    if (!t || !t.stats.total) continue;
    out.push(`  ${TYPE_WORDS[type as TrackerType]}: created ${t.stats.created}, updated ${t.stats.updated}, deleted ${t.stats.deleted}, ignored ${t.stats.ignored}`);
  }
  const errors = r.validationReport.errorReports;
  const unlisted = Object.values(r.moreErrorReports ?? {}).reduce((a, b) => a + b, 0);
  if (errors.length || unlisted) out.push(`  ${errors.length + unlisted} error(s):`);
  for (const e of errors.slice(0, maxLines)) out.push(`    ${e.line !== undefined ? `line ${e.line}: ` : ''}${e.errorCode} ${e.trackerType} ${e.uid}: ${e.message}`);
  if (errors.length > maxLines) out.push(`    … and ${errors.length - maxLines} more (use --json for all)`);
  for (const [code, n] of Object.entries(r.moreErrorReports ?? {})) out.push(`    … and ${n} more ${code} report(s) not listed`);
  for (const w of r.validationReport.warningReports.slice(0, maxLines)) out.push(`  warning: ${w.line !== undefined ? `line ${w.line}: ` : ''}${w.errorCode} ${w.message}`);
  if (r.status === 'ERROR') out.push('  nothing was imported (atomic mode ALL: one error stops the whole file; --atomic-mode OBJECT imports the valid objects)');
  return out;
}

export function formatEventSummaries(head: string, s: EventImportSummaries, maxLines: number): string[] {
  const out = [`${head}: ${s.status}`];
  out.push(`  imported ${s.imported}, updated ${s.updated}, deleted ${s.deleted}, ignored ${s.ignored} (total ${s.total})`);
  const failed = s.importSummaries.filter((x) => x.status === 'ERROR');
  const more = s.moreImportSummaries?.ERROR ?? 0;
  if (failed.length || more) out.push(`  ${failed.length + more} event(s) not imported:`);
  for (const f of failed.slice(0, maxLines)) {
    const where = f.line !== undefined ? `line ${f.line}: ` : '';
    for (const c of f.conflicts) out.push(`    ${where}${c.errorCode ?? ''} ${f.reference ?? c.object}: ${c.value}`.replace(/ {2,}/g, ' '));
  }
  if (failed.length > maxLines) out.push(`    … and ${failed.length - maxLines} more (use --json for all)`);
  if (more) out.push(`    … and ${more} more not listed in the summary`);
  return out;
}
