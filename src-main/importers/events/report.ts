/**
 * The two answers of an event import, from the engine's counts and error reports:
 *  - tracker files (2.36+): DHIS2's tracker ImportReport (core ImportReport.withImportCompleted /
 *    withValidationErrors): with atomic mode ALL and any error, status ERROR and every object ignored, no
 *    bundleReport; else status OK (DHIS2's withImportCompleted says OK in OBJECT mode even with errors, and with
 *    warnings: both are in the validationReport),
 *    stats from what was written with `ignored` = number of error reports, bundleReport.typeReportMap per type with
 *    its own ignored = objects of the type − written ones, and objectReports: the objects written
 *    ({trackerType, uid, errorReports: []}, core 2.42 report/Entity), the first 1,000 of a job listed and the rest
 *    counted in moreObjectReports (the job history empties them for old jobs: compactTrackerReport).
 *  - old events files (≤ 2.40): ImportSummaries, one ImportSummary per event (status, importCount, conflicts,
 *    reference), status the worst of them (DHIS2 ImportSummaries.getHighestOrderImportStatus).
 * A dry run (importMode VALIDATE) of a tracker file answers as DHIS2 does — zero counts, an empty typeReportMap —
 * with what the import would write in the Ferry extra `wouldBe`.
 * Lists are capped (SUMMARY_LIMITS): counts stay exact; what is not listed is counted per code / status.
 */
import { SUMMARY_LIMITS } from '../../../src-shared/dhis2/import-summary.ts';
import type { TrackerImportReport, TrackerStats, TrackerType, TrackerTypeReport } from '../../../src-shared/dhis2/tracker.ts';
import type { EventImportSummaries, EventImportSummary } from '../../../src-shared/dhis2/event-import-summaries.ts';
import type { EventOutcome, TrackerEngine } from './engine.ts';

const TYPES: TrackerType[] = ['TRACKED_ENTITY', 'ENROLLMENT', 'EVENT', 'RELATIONSHIP'];

/** Objects of a type counted as DHIS2 counts its bundle: valid objects plus distinct uids with errors. */
function bundleSizes(engine: TrackerEngine): Record<TrackerType, number> {
  const out = {} as Record<TrackerType, number>;
  for (const t of TYPES) out[t] = engine.counts[t].total;
  return out;
}

export function trackerReport(engine: TrackerEngine, atomicMode: 'ALL' | 'OBJECT', dryRun = false): TrackerImportReport {
  const listed = (m: Record<string, number>): Record<string, number> | undefined => (Object.keys(m).length ? m : undefined);
  const errors = { listed: engine.errors, more: listed(engine.moreErrors) };
  const warnings = { listed: engine.warnings, more: listed(engine.moreWarnings) };
  const sizes = bundleSizes(engine);
  const totalObjects = TYPES.reduce((n, t) => n + sizes[t], 0);
  const validationReport = { errorReports: errors.listed, warningReports: warnings.listed };
  const more = errors.more || warnings.more ? { ...warnings.more, ...errors.more } : undefined;
  if (engine.errorCount > 0 && atomicMode === 'ALL') {
    return {
      responseType: 'TrackerImportReport',
      status: 'ERROR',
      validationReport,
      stats: { created: 0, updated: 0, deleted: 0, ignored: totalObjects, total: totalObjects },
      ...(more ? { moreErrorReports: more } : {}),
    };
  }
  const typeReportMap: Partial<Record<TrackerType, TrackerTypeReport>> = {};
  const bundle: TrackerStats = { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 };
  for (const t of TYPES) {
    const c = engine.counts[t];
    const written = c.created + c.updated + c.deleted;
    const stats: TrackerStats = { created: c.created, updated: c.updated, deleted: c.deleted, ignored: sizes[t] - written, total: sizes[t] };
    // DHIS2's persister lists every object it wrote (uid, no errors); Ferry the first SUMMARY_LIMITS.objectReports
    // of the job, and counts the rest
    const listedUids = engine.written[t];
    const more = written - listedUids.length;
    typeReportMap[t] = {
      trackerType: t, stats, objectReports: listedUids.map((uid) => ({ trackerType: t, uid, errorReports: [] })), ...(more > 0 ? { moreObjectReports: more } : {}),
    };
    bundle.created += stats.created;
    bundle.updated += stats.updated;
    bundle.deleted += stats.deleted;
    bundle.ignored += stats.ignored;
    bundle.total += stats.total;
  }
  const ignored = engine.errorCount;
  const stats: TrackerStats = {
    created: bundle.created, updated: bundle.updated, deleted: bundle.deleted, ignored,
    total: bundle.created + bundle.updated + bundle.deleted + ignored,
  };
  if (dryRun) {
    // DHIS2's importMode VALIDATE commits nothing and reports an empty persistence report: zero counts, errors ignored
    const zero: TrackerStats = { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 };
    return {
      responseType: 'TrackerImportReport',
      status: 'OK',
      validationReport,
      stats: { ...zero, ignored, total: ignored },
      bundleReport: { status: 'OK', typeReportMap: {}, stats: zero },
      ...(more ? { moreErrorReports: more } : {}),
      wouldBe: { stats, typeReportMap },
    };
  }
  return {
    responseType: 'TrackerImportReport',
    status: 'OK',
    validationReport,
    stats,
    bundleReport: { status: 'OK', typeReportMap, stats: bundle },
    ...(more ? { moreErrorReports: more } : {}),
  };
}

function summaryOf(o: EventOutcome, rolledBack: boolean): EventImportSummary {
  const count = { imported: 0, updated: 0, ignored: 0, deleted: 0 };
  if (o.action === 'IGNORED' || rolledBack) count.ignored = 1;
  else if (o.action === 'CREATE') count.imported = 1;
  else if (o.action === 'UPDATE') count.updated = 1;
  else count.deleted = 1;
  const s: EventImportSummary = {
    responseType: 'ImportSummary',
    status: o.errors.length ? 'ERROR' : 'SUCCESS',
    importCount: count,
    conflicts: o.errors.map((e) => ({ object: e.uid, value: e.message, errorCode: e.errorCode })),
    reference: o.uid,
    line: o.line,
    file: o.file,
  };
  if (o.errors.length) s.description = o.errors[0]!.message;
  return s;
}

/**
 * ImportSummaries of an old events file. `rolledBack`: atomic mode ALL with an error, so nothing was kept — every
 * event counts as ignored.
 */
export function eventSummaries(engine: TrackerEngine, rolledBack: boolean, importOptions: Record<string, unknown>, dryRun: boolean): EventImportSummaries {
  const out: EventImportSummaries = {
    responseType: 'ImportSummaries', status: 'SUCCESS', imported: 0, updated: 0, deleted: 0, ignored: 0, total: 0, importOptions, importSummaries: [], dryRun,
  };
  const ordered = [...engine.eventOutcomes.filter((o) => o.errors.length), ...engine.eventOutcomes.filter((o) => !o.errors.length)];
  const c = engine.outcomeCounts;
  if (rolledBack) out.ignored = c.CREATE + c.UPDATE + c.DELETE + c.IGNORED;
  else {
    out.imported = c.CREATE;
    out.updated = c.UPDATE;
    out.deleted = c.DELETE;
    out.ignored = c.IGNORED;
  }
  if (c.IGNORED) out.status = 'ERROR';
  for (const o of ordered) out.importSummaries.push(summaryOf(o, rolledBack));
  const listed = { SUCCESS: ordered.filter((o) => !o.errors.length).length, ERROR: ordered.filter((o) => o.errors.length).length };
  const moreErrors = c.IGNORED - listed.ERROR;
  const moreSuccess = c.CREATE + c.UPDATE + c.DELETE - listed.SUCCESS;
  if (moreErrors > 0 || moreSuccess > 0) {
    out.moreImportSummaries = {};
    if (moreErrors > 0) out.moreImportSummaries.ERROR = moreErrors;
    if (moreSuccess > 0) out.moreImportSummaries.SUCCESS = moreSuccess;
  }
  const cap = SUMMARY_LIMITS.objectReports;
  // objects other than events in an old file (tracked entities, enrollments): their errors as summaries too
  for (const e of engine.errors) {
    if (e.trackerType === 'EVENT') continue;
    out.status = 'ERROR';
    out.ignored++;
    if (out.importSummaries.length < cap) {
      out.importSummaries.push({
        responseType: 'ImportSummary', status: 'ERROR', description: e.message, importCount: { imported: 0, updated: 0, ignored: 1, deleted: 0 },
        conflicts: [{ object: e.uid, value: e.message, errorCode: e.errorCode }], reference: e.uid, ...(e.line ? { line: e.line } : {}),
      });
    }
  }
  out.total = out.imported + out.updated + out.deleted + out.ignored;
  return out;
}
