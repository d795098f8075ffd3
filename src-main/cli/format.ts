/** Human-readable summaries for the terminal, in the run's language (cli catalogue; DHIS2's messages as DHIS2 wrote them). */
import { isDhis14Summary } from '../../src-shared/dhis14-report.ts';
import { formatDhis14 } from './format-dhis14.ts';
import type { JobRecord, ExportSummary } from '../../src-shared/api/contract.ts';
import { conflictTotal, moreConflictsOf, type FileImportSummary, type ImportReport, type ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import { formatEventSummaries, formatTrackerReport } from './format-events.ts';
import { formatReceive } from './format-receive.ts';
import { formatUndo } from './format-undo.ts';
import { currentLanguage, errorMessage, locationText, n, t } from './i18n.ts';

const MAX_LINES = 50;

const USAGE_ERRORS = ['BAD_FILE', 'FILE_NOT_FOUND', 'TOO_LARGE', 'UNSUPPORTED', 'BAD_REQUEST'];

/** The exit status a finished job gives: from its record (what was stored), never from how its output went. */
export function exitCodeOf(job: JobRecord): number {
  if (job.error) return USAGE_ERRORS.includes(job.error.code) ? 2 : 1;
  return job.resultStatus === 'ERROR' ? 1 : 0;
}

/**
 * Why a file of a job of several was refused: in English DHIS2's description as it is ("The import process failed: "
 * and the message); in another language the message alone, from its key (Ferry extras on the file's row).
 */
function fileRefusal(f: FileImportSummary): string {
  if (!f.messageKey || currentLanguage() === 'en') return f.description;
  return errorMessage({ message: f.description, details: { messageKey: f.messageKey, messageParams: f.messageParams } });
}

/** The one line printed when a job's result could not be written out: what the job did, and where to find it. */
export function unprintedLine(job: JobRecord, e: unknown): string {
  const what = `${job.direction} ${job.kind}${job.dryRun ? ` (${t('jobs.dryRun')})` : ''}`;
  const outcome = job.error ? `${job.status}: ${errorMessage(job.error)}` : `${job.status}${job.resultStatus ? ' ' + job.resultStatus : ''}`;
  const s = job.summary;
  const counts =
    s?.responseType === 'ImportSummary'
      ? ` (${counts4(s.importCount.imported, s.importCount.updated, s.importCount.deleted, s.importCount.ignored)})`
      : s?.responseType === 'ImportReport' || s?.responseType === 'TrackerImportReport'
        ? ` (${created4(s.stats)})`
        : s?.responseType === 'ImportSummaries'
          ? ` (${counts4(s.imported, s.updated, s.deleted, s.ignored)})`
          : '';
  const why = (e as Error)?.message ?? String(e);
  return `ferry: ${t('job.unprinted', { id: job.id, what, outcome, counts, why })}`;
}

export function formatJob(job: JobRecord): string {
  const lines: string[] = [];
  const head = `${job.direction} ${job.kind}${job.dryRun ? ` (${t('job.dryRunNothingChanged')})` : ''}`;
  if (job.error) {
    const loc = locationText(job.error.details ?? {});
    const message = errorMessage(job.error);
    lines.push(`${head}: ${job.status.toUpperCase()}`);
    lines.push(`  ${message}${loc && !message.includes(loc) ? ` (${loc})` : ''}`);
    // a data job stopped on overlapping files (src-main/jobs/multi-file.ts): the CLI's way to choose
    if (job.error.details?.overlaps) lines.push(`  ${t('overlap.choose')}`);
    return lines.join('\n');
  }
  const s = job.summary;
  if (!s) return `${head}: ${job.status}`;
  if (s.responseType === 'ImportReport') lines.push(...formatReport(head, s));
  else if (isDhis14Summary(s)) lines.push(...formatDhis14(head, s, MAX_LINES));
  else if (s.responseType === 'ImportSummary') lines.push(...formatSummary(head, s, job.dryRun));
  else if (s.responseType === 'TrackerImportReport') lines.push(...formatTrackerReport(head, s, MAX_LINES));
  else if (s.responseType === 'ImportSummaries') lines.push(...formatEventSummaries(head, s, MAX_LINES));
  else if (s.responseType === 'TransferReceive') lines.push(...formatReceive(head, s));
  else if (s.responseType === 'UndoSummary') lines.push(...formatUndo(s));
  else lines.push(...formatExport(head, s));
  return lines.join('\n');
}

function formatReport(head: string, r: ImportReport): string[] {
  const out = [`${head}: ${r.status}`];
  const st = r.stats;
  out.push(`  ${created4(st)} (${t('count.total', { n: n(st.total) })})`);
  for (const tr of r.typeReports) {
    const short = tr.klass.split('.').pop();
    out.push(`  ${short}: ${created4(tr.stats)}`);
  }
  // CSV metadata: each error after the line its object came from
  const errors = r.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports.map((e) => ({ ...e, line: o.line }))));
  const unlisted = Object.values(r.moreErrorReports ?? {}).reduce((a, b) => a + b, 0);
  if (errors.length || unlisted) out.push(`  ${t('report.errors', { count: errors.length + unlisted })}`);
  for (const e of errors.slice(0, MAX_LINES)) out.push(`    ${e.line !== undefined ? `${t('report.line', { line: e.line })}: ` : ''}${e.errorCode} ${e.message}`);
  if (errors.length > MAX_LINES) out.push(`    ${t('report.more', { count: errors.length - MAX_LINES })}`);
  for (const [code, k] of Object.entries(r.moreErrorReports ?? {})) out.push(`    ${t('report.moreErrorsUnlisted', { count: k, code })}`);
  if (r.unknownKeys?.length) out.push(`  ${t('report.notMetadata', { keys: r.unknownKeys.join(', ') })}`);
  for (const sk of r.skippedTypes ?? []) out.push(`  ${t('report.skippedType', { count: sk.count, type: sk.type, reason: sk.reason })}`);
  if (r.missingReferences?.length) out.push(`  ${t('report.missingReferences', { count: r.missingReferences.length })}`);
  for (const [i, w] of (r.warnings ?? []).entries()) out.push(`  ${t('report.note', { note: errorMessage({ message: w, details: r.warningDetails?.[i] }) })}`);
  return out;
}

function formatSummary(head: string, s: ImportSummary, dryRun: boolean): string[] {
  const out = [`${head}: ${s.status}`];
  const c = s.importCount;
  out.push(`  ${counts4(c.imported, c.updated, c.deleted, c.ignored)}`);
  // a failure of the whole import that has a code (E1111, E2041): the code and DHIS2's description
  if (s.errorCode) out.push(`  ${s.errorCode} ${s.description}`);
  // what the ignored rows were, and the zeros not stored (when there is something to explain)
  const b = s.ignoredBreakdown;
  if (b && (c.ignored > 0 || b.zeroNotStored > 0)) out.push(`  ${breakdownLine(b, c.ignored)}`);
  // several files, some refused: each file is all-or-nothing, the job keeps its good files
  // (the engine's sentence, jobs/multi-file.ts, said in the run's language from its counts)
  const fo = s.filesOutcome;
  if (fo?.failed)
    out.push(
      fo.imported === 0
        ? `  ${t(dryRun ? 'summary.filesNoneWouldBe' : 'summary.filesNone', { count: fo.files })}`
        : `  ${t('summary.filesFailed', { count: fo.files, failed: n(fo.failed) })}; ${t(dryRun ? 'summary.filesWouldBe' : 'summary.filesWere', { count: fo.imported })}`,
    );
  out.push(...overlapLines(s));
  for (const f of s.fileSummaries ?? []) {
    const fc = f.importCount;
    out.push(`  ${f.file}: ${f.status} — ${counts4(fc.imported, fc.updated, fc.deleted, fc.ignored)}${f.sha256 ? ` (sha256 ${f.sha256.slice(0, 12)}…)` : ''}`);
    if (f.errorCode && f.errorCode !== s.errorCode) out.push(`    ${f.errorCode} ${f.description}`);
    // a refused file of a job of several: why (the message a single bad file gets)
    else if (f.status === 'ERROR' && !f.errorCode && (s.fileSummaries?.length ?? 0) > 1) out.push(`    ${fileRefusal(f)}`);
    if (f.firstRowIsHeaderDetected) out.push(`    ${firstRowNote(f.firstRowIsHeader === true)}`);
  }
  const all = conflictTotal(s);
  if (all) out.push(`  ${t('summary.conflicts', { count: all })}`);
  for (const k of s.conflicts.slice(0, MAX_LINES)) {
    const where = k.fields?.length ? [t('summary.where.fields'), k.fields] as const : k.lines?.length ? [t('summary.where.lines'), k.lines] as const : k.indexes?.length ? [t('summary.where.rows'), k.indexes] as const : null;
    const rows = (where?.[1].length ?? 0) + (k.moreIndexes ?? 0);
    const list = where ? `${where[0]} ${where[1].slice(0, 10).join(', ')}${rows > 10 ? `, … (${t('summary.inAll', { n: n(rows) })})` : ''}` : '';
    out.push(`    ${k.errorCode ?? ''} ${k.value}${k.detail ? ` — ${k.detail}` : ''}${list ? ` (${list})` : ''}`);
  }
  if (s.conflicts.length > MAX_LINES) out.push(`    ${t('report.more', { count: s.conflicts.length - MAX_LINES })}`);
  for (const code of Object.keys(s.moreConflicts ?? {})) {
    const m = moreConflictsOf(s, code);
    out.push(`    ${t('summary.moreConflicts', { count: m.conflicts, code, rows: t('summary.rows', { count: m.rows }) })}`);
  }
  return out;
}

/** "of the 3 ignored: 1 unchanged, 2 refused; 2 zero values not stored; 12 rows in all" (the engine's breakdown). */
export function breakdownLine(b: NonNullable<ImportSummary['ignoredBreakdown']>, ignored: number): string {
  const parts = [t('breakdown.rows', { count: b.rows })];
  if (ignored) parts.push(t('breakdown.ignored', { ignored: n(ignored), unchanged: n(b.unchanged), refused: n(b.refused) }));
  if (b.zeroNotStored) parts.push(t('breakdown.zeros', { count: b.zeroNotStored }));
  return parts.join('; ');
}

/** With --json: the warnings that go to stderr beside the JSON document (overlapping files of a data job). */
export function jsonWarnings(job: JobRecord): string[] {
  const s = job.summary;
  if (!s || s.responseType !== 'ImportSummary') return [];
  return overlapLines(s).map((l) => `ferry: ${l.trim()}`);
}

/** The overlapping files of a data job, as warnings. */
function overlapLines(s: ImportSummary): string[] {
  const o = s.overlaps;
  if (!o) return [];
  const out: string[] = [];
  for (const p of o.pairs)
    out.push(`  ${t('overlap.warning')}: ${p.differing ? t('overlap.pairDiffering', { first: p.first, second: p.second, count: p.keys, differing: n(p.differing) }) : t('overlap.pairSame', { first: p.first, second: p.second, count: p.keys })}`);
  if (o.morePairs) out.push(`  ${t('overlap.warning')}: ${t('overlap.morePairs', { count: o.morePairs })}`);
  if (o.policy === 'stop' && o.differing > 0) out.push(`  ${t('overlap.warning')}: ${t('overlap.willStop')} ${t('overlap.choose')}`);
  else if (o.policy !== 'stop') out.push(`  ${o.order ? t('overlap.keptInOrder', { policy: o.policy, order: o.order.join(', ') }) : t('overlap.kept', { policy: o.policy })}`);
  return out;
}

/** CSV without --first-row-is-header: how Ferry read the first row, and how to choose otherwise. */
export function firstRowNote(isHeader: boolean): string {
  return isHeader ? t('firstRow.header') : t('firstRow.data');
}

/** "imported 1, updated 2, deleted 0, ignored 3" */
function counts4(imported: number, updated: number, deleted: number, ignored: number): string {
  return t('count.imported', { imported: n(imported), updated: n(updated), deleted: n(deleted), ignored: n(ignored) });
}

/** "created 1, updated 2, deleted 0, ignored 3" */
function created4(st: { created: number; updated: number; deleted: number; ignored: number }): string {
  return t('count.created', { created: n(st.created), updated: n(st.updated), deleted: n(st.deleted), ignored: n(st.ignored) });
}

function formatExport(head: string, s: ExportSummary): string[] {
  const counts = Object.entries(s.counts).map(([k, v]) => `${k} ${n(v)}`).join(', ');
  const out = [`${head}: ${s.status}`, `  ${s.file} (${s.format}${s.compression !== 'none' ? ', ' + s.compression : ''}, ${t('export.bytes', { count: s.bytes })})`, `  ${counts}`];
  for (const [i, w] of (s.warnings ?? []).entries()) out.push(`  ${t('overlap.warning')}: ${errorMessage({ message: w, details: s.warningDetails?.[i] })}`);
  return out;
}
