/**
 * The metadata ImportReport lists at most SUMMARY_LIMITS (issue 16, defect 1): error reports per code and in all,
 * object reports, missing references, unknown keys; stats stay exact and what is not listed is counted exactly.
 */
import { describe, expect, it } from 'vitest';
import { capReport, mergeReports } from '../../../../src-main/importers/metadata/report.ts';
import { SUMMARY_LIMITS, type ErrorReport, type ImportReport, type ObjectReport } from '../../../../src-shared/dhis2/import-summary.ts';
import { de, runEngine, useMemoryDb } from './harness.ts';

const t = useMemoryDb();
const KLASS = 'org.hisp.dhis.dataelement.DataElement';
const err = (code: string, i: number): ErrorReport => ({ message: `problem ${i}`, mainKlass: KLASS, mainId: `De${i}`, errorCode: code });
const obj = (i: number, ...errors: ErrorReport[]): ObjectReport => ({ klass: KLASS, index: i, uid: `De${i}`, errorReports: errors });
function report(objectReports: ObjectReport[], extra: Partial<ImportReport> = {}): ImportReport {
  const stats = { created: 0, updated: 0, deleted: 0, ignored: objectReports.length, total: objectReports.length };
  return { responseType: 'ImportReport', status: 'WARNING', stats, typeReports: [{ klass: KLASS, stats, objectReports }], ...extra };
}
const listed = (r: ImportReport): ErrorReport[] => r.typeReports.flatMap((x) => x.objectReports.flatMap((o) => o.errorReports));
/** listed + counted = all, per code */
function allOf(r: ImportReport): Record<string, number> {
  const n: Record<string, number> = { ...(r.moreErrorReports ?? {}) };
  for (const e of listed(r)) n[e.errorCode] = (n[e.errorCode] ?? 0) + 1;
  return n;
}

describe('capReport', () => {
  it('lists the first errors of each code, counts the others exactly, and keeps the stats', () => {
    const objects = Array.from({ length: 3000 }, (_, i) => obj(i, err(i % 3 === 0 ? 'E5002' : 'E4000', i)));
    const r = capReport(report(objects));
    expect(r.stats).toEqual(report(objects).stats);
    const byCode = listed(r).reduce<Record<string, number>>((m, e) => ((m[e.errorCode] = (m[e.errorCode] ?? 0) + 1), m), {});
    expect(byCode).toEqual({ E5002: SUMMARY_LIMITS.perCode, E4000: SUMMARY_LIMITS.perCode });
    expect(allOf(r)).toEqual({ E5002: 1000, E4000: 2000 });
    expect(r.moreErrorReports).toEqual({ E5002: 900, E4000: 1900 });
    // objects whose every error goes unlisted are not listed either
    expect(r.typeReports[0]!.objectReports).toHaveLength(200);
    expect(r.typeReports[0]!.moreObjectReports).toBe(2800);
    // the first ones, in order
    expect(r.typeReports[0]!.objectReports.slice(0, 3).map((o) => o.index)).toEqual([0, 1, 2]);
  });

  it('keeps at most `total` errors in all and says how many of an object it did not list', () => {
    const codes = Array.from({ length: 8 }, (_, c) => `E40${String(c).padStart(2, '0')}`);
    const objects = Array.from({ length: 100 }, (_, i) => obj(i, ...codes.map((c) => err(c, i))));
    const r = capReport(report(objects));
    expect(listed(r)).toHaveLength(SUMMARY_LIMITS.total);
    expect(Object.values(allOf(r)).reduce((a, b) => a + b)).toBe(800);
    const cut = r.typeReports[0]!.objectReports.find((o) => o.moreErrorReports)!;
    expect(cut.errorReports.length + cut.moreErrorReports!).toBe(8);
  });

  it('caps missing references and unknown keys, and changes nothing in a small report (idempotent)', () => {
    const missing = Array.from({ length: 1500 }, (_, i) => ({ type: 'dataElements', uid: `De${i}`, property: 'categoryCombo', targetType: 'categoryCombos', target: 'Cc1' }));
    const keys = Array.from({ length: 150 }, (_, i) => `key${i}`);
    const r = capReport(report([obj(0, err('E5002', 0))], { missingReferences: missing, unknownKeys: keys }));
    expect(r.missingReferences).toHaveLength(SUMMARY_LIMITS.missingReferences);
    expect(r.moreMissingReferences).toBe(500);
    expect(r.unknownKeys).toHaveLength(SUMMARY_LIMITS.unknownKeys);
    expect(r.moreUnknownKeys).toBe(50);
    expect(capReport(r)).toEqual(r);
    const small = report([obj(0, err('E5002', 0))], { unknownKeys: ['x'] });
    expect(capReport(small)).toEqual(small);
  });

  it('a job of several files respects the cap as a whole (mergeReports)', () => {
    const a = capReport(report(Array.from({ length: 80 }, (_, i) => obj(i, err('E5002', i)))));
    const b = capReport(report(Array.from({ length: 80 }, (_, i) => obj(i, err('E5002', 100 + i)))));
    const m = mergeReports(a, b);
    expect(listed(m)).toHaveLength(SUMMARY_LIMITS.perCode);
    expect(allOf(m)).toEqual({ E5002: 160 });
    expect(m.typeReports[0]!.moreObjectReports).toBe(60);
    expect(m.stats.total).toBe(160);
  });

  it('an engine report of a big bad payload is capped with exact stats', () => {
    // every data element lacks its required name
    const payload = { dataElements: Array.from({ length: 400 }, (_, i) => ({ ...de(`DeBad${String(i).padStart(6, '0')}`, `Bad ${i}`), name: undefined })) };
    const { report: r, errors } = runEngine(t.db, payload, { atomicMode: 'NONE' });
    expect(r.stats.ignored).toBe(400);
    expect(listed(r)).toHaveLength(SUMMARY_LIMITS.perCode);
    expect(errors).toHaveLength(SUMMARY_LIMITS.perCode);
    expect(allOf(r)).toEqual({ E4000: 400 });
    expect(r.typeReports[0]!.moreObjectReports).toBe(300);
  });
});
