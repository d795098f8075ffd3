/** Human-readable summaries for the terminal. */
import { isDhis14Summary } from '../../src-shared/dhis14-report.ts';
import { formatDhis14 } from './format-dhis14.ts';
import type { JobRecord, ExportSummary } from '../../src-shared/api/contract.ts';
import { conflictTotal, moreConflictsOf, type ImportReport, type ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import { describeLocation } from '../../src-shared/errors.ts';
import { formatEventSummaries, formatTrackerReport } from './format-events.ts';
import { formatReceive } from '../transfer/receive-format.ts';
import { formatUndo } from './format-undo.ts';

const MAX_LINES = 50;

const USAGE_ERRORS = ['BAD_FILE', 'FILE_NOT_FOUND', 'TOO_LARGE', 'UNSUPPORTED', 'BAD_REQUEST'];

/** The exit status a finished job gives: from its record (what was stored), never from how its output went. */
export function exitCodeOf(job: JobRecord): number {
  if (job.error) return USAGE_ERRORS.includes(job.error.code) ? 2 : 1;
  return job.resultStatus === 'ERROR' ? 1 : 0;
}

/** The one line printed when a job's result could not be written out: what the job did, and where to find it. */
export function unprintedLine(job: JobRecord, e: unknown): string {
  const what = `${job.direction} ${job.kind}${job.dryRun ? ' (dry run)' : ''}`;
  const outcome = job.error ? `${job.status}: ${job.error.message}` : `${job.status}${job.resultStatus ? ' ' + job.resultStatus : ''}`;
  const s = job.summary;
  const counts =
    s?.responseType === 'ImportSummary'
      ? ` (imported ${s.importCount.imported}, updated ${s.importCount.updated}, deleted ${s.importCount.deleted}, ignored ${s.importCount.ignored})`
      : s?.responseType === 'ImportReport' || s?.responseType === 'TrackerImportReport'
        ? ` (created ${s.stats.created}, updated ${s.stats.updated}, deleted ${s.stats.deleted}, ignored ${s.stats.ignored})`
        : s?.responseType === 'ImportSummaries'
          ? ` (imported ${s.imported}, updated ${s.updated}, deleted ${s.deleted}, ignored ${s.ignored})`
          : '';
  const why = (e as Error)?.message ?? String(e);
  return `ferry: job #${job.id} ${what} finished ${outcome}${counts}, but its result could not be printed (${why}); it is kept in the job history (ferry jobs --json)`;
}

export function formatJob(job: JobRecord): string {
  const lines: string[] = [];
  const head = `${job.direction} ${job.kind}${job.dryRun ? ' (dry run: nothing was changed)' : ''}`;
  if (job.error) {
    const loc = describeLocation(job.error.details ?? {});
    lines.push(`${head}: ${job.status.toUpperCase()}`);
    lines.push(`  ${job.error.message}${loc && !job.error.message.includes(loc) ? ` (${loc})` : ''}`);
    // a data job stopped on overlapping files (src-main/jobs/multi-file.ts): the CLI's way to choose
    if (job.error.details?.overlaps) lines.push('  give --overlap first (keep the first file\'s values) or --overlap newer (keep the newer file\'s values)');
    return lines.join('\n');
  }
  const s = job.summary;
  if (!s) return `${head}: ${job.status}`;
  if (s.responseType === 'ImportReport') lines.push(...formatReport(head, s));
  else if (isDhis14Summary(s)) lines.push(...formatDhis14(head, s, MAX_LINES));
  else if (s.responseType === 'ImportSummary') lines.push(...formatSummary(head, s));
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
  out.push(`  created ${st.created}, updated ${st.updated}, deleted ${st.deleted}, ignored ${st.ignored} (total ${st.total})`);
  for (const t of r.typeReports) {
    const short = t.klass.split('.').pop();
    out.push(`  ${short}: created ${t.stats.created}, updated ${t.stats.updated}, deleted ${t.stats.deleted}, ignored ${t.stats.ignored}`);
  }
  // CSV metadata: each error after the line its object came from
  const errors = r.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports.map((e) => ({ ...e, line: o.line }))));
  const unlisted = Object.values(r.moreErrorReports ?? {}).reduce((a, b) => a + b, 0);
  if (errors.length || unlisted) out.push(`  ${errors.length + unlisted} error(s):`);
  for (const e of errors.slice(0, MAX_LINES)) out.push(`    ${e.line !== undefined ? `line ${e.line}: ` : ''}${e.errorCode} ${e.message}`);
  if (errors.length > MAX_LINES) out.push(`    … and ${errors.length - MAX_LINES} more (use --json for all)`);
  for (const [code, n] of Object.entries(r.moreErrorReports ?? {})) out.push(`    … and ${n} more ${code} error(s) not listed in the report`);
  if (r.unknownKeys?.length) out.push(`  not metadata, skipped: ${r.unknownKeys.join(', ')}`);
  for (const t of r.skippedTypes ?? []) out.push(`  skipped ${t.count} ${t.type}: ${t.reason}`);
  if (r.missingReferences?.length) out.push(`  ${r.missingReferences.length} reference(s) kept although missing (skip validation): repair them later`);
  for (const w of r.warnings ?? []) out.push(`  note: ${w}`);
  return out;
}

function formatSummary(head: string, s: ImportSummary): string[] {
  const out = [`${head}: ${s.status}`];
  const c = s.importCount;
  out.push(`  imported ${c.imported}, updated ${c.updated}, deleted ${c.deleted}, ignored ${c.ignored}`);
  // a failure of the whole import that has a code (E1111, E2041): the code and DHIS2's description
  if (s.errorCode) out.push(`  ${s.errorCode} ${s.description}`);
  // what the ignored rows were, and the zeros not stored (when there is something to explain)
  const b = s.ignoredBreakdown;
  if (b && (c.ignored > 0 || b.zeroNotStored > 0)) out.push(`  ${breakdownLine(b, c.ignored)}`);
  // several files, some refused: each file is all-or-nothing, the job keeps its good files
  if (s.filesOutcome?.failed) out.push(`  ${s.description}`);
  out.push(...overlapLines(s));
  for (const f of s.fileSummaries ?? []) {
    const fc = f.importCount;
    out.push(`  ${f.file}: ${f.status} — imported ${fc.imported}, updated ${fc.updated}, deleted ${fc.deleted}, ignored ${fc.ignored}${f.sha256 ? ` (sha256 ${f.sha256.slice(0, 12)}…)` : ''}`);
    if (f.errorCode && f.errorCode !== s.errorCode) out.push(`    ${f.errorCode} ${f.description}`);
    // a refused file of a job of several: why (the message a single bad file gets)
    else if (f.status === 'ERROR' && !f.errorCode && (s.fileSummaries?.length ?? 0) > 1) out.push(`    ${f.description}`);
    if (f.firstRowIsHeaderDetected) out.push(`    ${firstRowNote(f.firstRowIsHeader === true)}`);
  }
  const all = conflictTotal(s);
  if (all) out.push(`  ${all} conflict(s):`);
  for (const k of s.conflicts.slice(0, MAX_LINES)) {
    const where = k.fields?.length ? ['fields', k.fields] as const : k.lines?.length ? ['lines', k.lines] as const : k.indexes?.length ? ['rows', k.indexes] as const : null;
    const rows = (where?.[1].length ?? 0) + (k.moreIndexes ?? 0);
    const list = where ? `${where[0]} ${where[1].slice(0, 10).join(', ')}${rows > 10 ? `, … (${rows} in all)` : ''}` : '';
    out.push(`    ${k.errorCode ?? ''} ${k.value}${k.detail ? ` — ${k.detail}` : ''}${list ? ` (${list})` : ''}`);
  }
  if (s.conflicts.length > MAX_LINES) out.push(`    … and ${s.conflicts.length - MAX_LINES} more (use --json for all)`);
  for (const code of Object.keys(s.moreConflicts ?? {})) {
    const m = moreConflictsOf(s, code);
    out.push(`    … and ${m.conflicts} more ${code} conflict(s) in ${m.rows} row(s), not listed in the summary`);
  }
  return out;
}

/** "of the 3 ignored: 1 unchanged, 2 refused; 2 zero values not stored; 12 rows in all" (the engine's breakdown). */
export function breakdownLine(b: NonNullable<ImportSummary['ignoredBreakdown']>, ignored: number): string {
  const parts = [`${b.rows} ${b.rows === 1 ? 'row' : 'rows'} in all`];
  if (ignored) parts.push(`of the ${ignored} ignored: ${b.unchanged} unchanged (already stored as in the file), ${b.refused} refused (conflicts, or the strategy)`);
  if (b.zeroNotStored) parts.push(`${b.zeroNotStored} zero ${b.zeroNotStored === 1 ? 'value' : 'values'} not stored (zero is not significant for ${b.zeroNotStored === 1 ? 'its data element' : 'their data elements'}; DHIS2 does not count them)`);
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
  for (const p of o.pairs) out.push(`  warning: ${p.first} and ${p.second} carry the same ${p.keys} value key(s)${p.differing ? `, ${p.differing} with different values` : ', all with the same values'}`);
  if (o.morePairs) out.push(`  warning: … and ${o.morePairs} more pair(s) of files with the same value keys`);
  if (o.policy === 'stop' && o.differing > 0) out.push(`  warning: an import will stop before writing anything: give --overlap first (keep the first file's values) or --overlap newer (keep the newer file's values)`);
  else if (o.policy !== 'stop') out.push(`  kept the ${o.policy} file's values${o.order ? ` (files imported in this order: ${o.order.join(', ')})` : ''}`);
  return out;
}

/** CSV without --first-row-is-header: how Ferry read the first row, and how to choose otherwise. */
export function firstRowNote(isHeader: boolean): string {
  return isHeader
    ? 'first row read as a header (it names the columns), not imported; give --first-row-is-header false if it holds values'
    : 'first row read as data (it is not a header) and imported; give --first-row-is-header true if it is a header';
}

function formatExport(head: string, s: ExportSummary): string[] {
  const counts = Object.entries(s.counts).map(([k, v]) => `${k} ${v}`).join(', ');
  const out = [`${head}: ${s.status}`, `  ${s.file} (${s.format}${s.compression !== 'none' ? ', ' + s.compression : ''}, ${s.bytes} bytes)`, `  ${counts}`];
  for (const w of s.warnings ?? []) out.push(`  warning: ${w}`);
  return out;
}
