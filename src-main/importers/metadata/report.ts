/** The ImportReport (DHIS2's shape, spec §2.5) of one file's import, and the merge of several files' reports. */
import {
  emptyStats,
  SUMMARY_LIMITS,
  type ErrorReport,
  type ImportReport,
  type ObjectReport,
  type Stats,
  type TypeReport,
} from '../../../src-shared/dhis2/import-summary.ts';
import { IMPORT_ORDER, METADATA_TYPES } from '../../../src-shared/dhis2/schema/registry.ts';
import type { Bundle } from './bundle.ts';
import { str } from './objects.ts';

/** Stats per type in import order (failAll: everything counted as ignored), object reports as the report mode asks. */
export function buildReport(b: Bundle, status: ImportReport['status'], failAll: boolean): ImportReport {
  const opts = b.opts;
  const order = new Map(IMPORT_ORDER.map((t, i) => [t, i]));
  const types = [...b.byType.keys()].sort((x, y) => (order.get(x) ?? 999) - (order.get(y) ?? 999));
  const total: Stats = emptyStats();
  const typeReports: TypeReport[] = [];
  const full = opts.importReportMode === 'FULL' || opts.importReportMode === 'DEBUG';
  for (const type of types) {
    const list = b.byType.get(type)!;
    const spec = METADATA_TYPES[type]!;
    const stats = emptyStats();
    for (const it of list) {
      if (it.removed) stats.ignored++;
      else if (opts.importStrategy === 'DELETE') stats.deleted++;
      else if (it.existing) stats.updated++;
      else stats.created++;
    }
    if (b.refErrorTypes.has(type) && opts.atomicMode === 'ALL') stats.ignored++;
    if (failAll) {
      stats.ignored += stats.created + stats.updated + stats.deleted;
      stats.created = stats.updated = stats.deleted = 0;
    }
    stats.total = stats.created + stats.updated + stats.deleted + stats.ignored;
    if (stats.total === 0) continue;
    const objectReports: ObjectReport[] = [];
    for (const it of list) {
      if (!it.errors.length && !full) continue;
      const r: ObjectReport = { klass: spec.klass, index: it.index, uid: str(it.obj.id), errorReports: it.errors };
      if (opts.importReportMode === 'DEBUG' && str(it.obj.name)) r.displayName = str(it.obj.name);
      objectReports.push(r);
    }
    typeReports.push({ klass: spec.klass, stats, objectReports });
    for (const k of ['created', 'updated', 'deleted', 'ignored', 'total'] as const) total[k] += stats[k];
  }
  const report: ImportReport = { responseType: 'ImportReport', status, stats: total, typeReports };
  if (b.unknownKeys.length) report.unknownKeys = [...b.unknownKeys];
  if (b.missingRefs.length) report.missingReferences = [...b.missingRefs];
  if (b.skipped.size) report.skippedTypes = [...b.skipped].map(([type, s]) => ({ type, count: s.count, reason: s.reason }));
  if (b.generatedCocs) report.generatedCategoryOptionCombos = b.generatedCocs;
  return capReport(report);
}

/** Adds one file's report into the job's report (several files → one ImportReport). */
export function mergeReports(into: ImportReport | null, r: ImportReport): ImportReport {
  if (!into) return r;
  const rank = { OK: 0, WARNING: 1, ERROR: 2 } as const;
  const out: ImportReport = { ...into, status: rank[r.status] > rank[into.status] ? r.status : into.status };
  for (const k of ['created', 'updated', 'deleted', 'ignored', 'total'] as const) out.stats = { ...out.stats, [k]: out.stats[k] + r.stats[k] };
  const byKlass = new Map(out.typeReports.map((t) => [t.klass, { ...t, stats: { ...t.stats }, objectReports: [...t.objectReports] }]));
  for (const t of r.typeReports) {
    const e = byKlass.get(t.klass);
    if (!e) byKlass.set(t.klass, t);
    else {
      for (const k of ['created', 'updated', 'deleted', 'ignored', 'total'] as const) e.stats[k] += t.stats[k];
      for (const o of t.objectReports) e.objectReports.push(o);
      if (t.moreObjectReports) e.moreObjectReports = (e.moreObjectReports ?? 0) + t.moreObjectReports;
    }
  }
  out.typeReports = [...byKlass.values()];
  if (r.unknownKeys) out.unknownKeys = [...new Set([...(out.unknownKeys ?? []), ...r.unknownKeys])];
  if (r.missingReferences) out.missingReferences = [...(out.missingReferences ?? []), ...r.missingReferences];
  if (r.skippedTypes) out.skippedTypes = [...(out.skippedTypes ?? []), ...r.skippedTypes];
  if (r.generatedCategoryOptionCombos) out.generatedCategoryOptionCombos = (out.generatedCategoryOptionCombos ?? 0) + r.generatedCategoryOptionCombos;
  if (r.moreErrorReports) {
    const more = { ...(out.moreErrorReports ?? {}) };
    for (const [code, n] of Object.entries(r.moreErrorReports)) more[code] = (more[code] ?? 0) + n;
    out.moreErrorReports = more;
  }
  if (r.moreMissingReferences) out.moreMissingReferences = (out.moreMissingReferences ?? 0) + r.moreMissingReferences;
  if (r.moreUnknownKeys) out.moreUnknownKeys = (out.moreUnknownKeys ?? 0) + r.moreUnknownKeys;
  // the job's report respects the cap as a whole, not per file
  return capReport(out);
}

/**
 * Lists at most SUMMARY_LIMITS of a report (first come, in report order): error reports per error code and in all,
 * object reports, missing references and unknown keys. What is not listed is counted exactly in the `more…` fields;
 * the stats are untouched. An object whose every error goes unlisted is not listed either (counted in its type's
 * `moreObjectReports`). Idempotent: capping a capped report changes nothing.
 */
export function capReport(r: ImportReport, limits: Omit<typeof SUMMARY_LIMITS, 'indexesPerConflict' | 'rejectedIndexes'> = SUMMARY_LIMITS): ImportReport {
  const perCode = new Map<string, number>();
  let listed = 0;
  let objects = 0;
  let changed = false;
  const more: Record<string, number> = { ...(r.moreErrorReports ?? {}) };
  const unlist = (e: ErrorReport): void => void (more[e.errorCode] = (more[e.errorCode] ?? 0) + 1);
  const typeReports = r.typeReports.map((t): TypeReport => {
    let moreObjects = 0;
    const kept: ObjectReport[] = [];
    for (const o of t.objectReports) {
      if (objects >= limits.objectReports) {
        o.errorReports.forEach(unlist);
        moreObjects++;
        continue;
      }
      const errors: ErrorReport[] = [];
      for (const e of o.errorReports) {
        const n = perCode.get(e.errorCode) ?? 0;
        if (n < limits.perCode && listed < limits.total) {
          perCode.set(e.errorCode, n + 1);
          listed++;
          errors.push(e);
        } else unlist(e);
      }
      if (errors.length === 0 && o.errorReports.length > 0) {
        moreObjects++;
        continue;
      }
      objects++;
      const dropped = o.errorReports.length - errors.length;
      kept.push(dropped ? { ...o, errorReports: errors, moreErrorReports: (o.moreErrorReports ?? 0) + dropped } : o);
    }
    if (!moreObjects && kept.length === t.objectReports.length) return t;
    changed = true;
    return { ...t, objectReports: kept, moreObjectReports: (t.moreObjectReports ?? 0) + moreObjects };
  });
  const out: ImportReport = changed ? { ...r, typeReports } : { ...r };
  if (changed && Object.keys(more).length) out.moreErrorReports = more;
  if (r.missingReferences && r.missingReferences.length > limits.missingReferences) {
    out.moreMissingReferences = (r.moreMissingReferences ?? 0) + r.missingReferences.length - limits.missingReferences;
    out.missingReferences = r.missingReferences.slice(0, limits.missingReferences);
  }
  if (r.unknownKeys && r.unknownKeys.length > limits.unknownKeys) {
    out.moreUnknownKeys = (r.moreUnknownKeys ?? 0) + r.unknownKeys.length - limits.unknownKeys;
    out.unknownKeys = r.unknownKeys.slice(0, limits.unknownKeys);
  }
  return out;
}
