/** The ImportReport (DHIS2's shape, spec §2.5) of one file's import, and the merge of several files' reports. */
import { emptyStats, type ImportReport, type ObjectReport, type Stats, type TypeReport } from '../../../src-shared/dhis2/import-summary.ts';
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
  return report;
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
    }
  }
  out.typeReports = [...byKlass.values()];
  if (r.unknownKeys) out.unknownKeys = [...new Set([...(out.unknownKeys ?? []), ...r.unknownKeys])];
  if (r.missingReferences) out.missingReferences = [...(out.missingReferences ?? []), ...r.missingReferences];
  if (r.skippedTypes) out.skippedTypes = [...(out.skippedTypes ?? []), ...r.skippedTypes];
  if (r.generatedCategoryOptionCombos) out.generatedCategoryOptionCombos = (out.generatedCategoryOptionCombos ?? 0) + r.generatedCategoryOptionCombos;
  return out;
}
