import { describe, expect, it } from 'vitest';
import { mergeReports } from '../../../../src-main/importers/metadata/engine.ts';
import type { ImportReport } from '../../../../src-shared/dhis2/import-summary.ts';
import { de, runEngine, useMemoryDb } from './harness.ts';

const t = useMemoryDb();

describe('metadata import report', () => {
  it('a payload of known but empty types is an empty import, not an error', () => {
    const { report } = runEngine(t.db, { dataElements: [], organisationUnits: [] });
    expect(report).toMatchObject({ status: 'OK', stats: { total: 0 }, typeReports: [] });
  });

  it('users and roles are reported as skipped, unknown keys as unknown; neither is an error', () => {
    const { report } = runEngine(t.db, { users: [{ id: 'U1' }], userRoles: [{ id: 'R1' }], dataElementz: [{}], dataElements: [de('DeAncVisit1', 'A')] });
    expect(report.status).toBe('OK');
    expect(report.unknownKeys).toEqual(['dataElementz']);
    expect(report.skippedTypes?.map((s) => [s.type, s.count])).toEqual([['users', 1], ['userRoles', 1]]);
  });

  it('mergeReports adds stats per type, keeps the worst status and unions unknown keys', () => {
    const klass = 'org.hisp.dhis.dataelement.DataElement';
    const stats = (created: number, ignored: number): ImportReport['stats'] => ({ created, updated: 0, deleted: 0, ignored, total: created + ignored });
    const a: ImportReport = { responseType: 'ImportReport', status: 'OK', stats: stats(2, 0), typeReports: [{ klass, stats: stats(2, 0), objectReports: [] }], unknownKeys: ['x'] };
    const b: ImportReport = {
      responseType: 'ImportReport', status: 'WARNING', stats: stats(1, 1), unknownKeys: ['x', 'y'], generatedCategoryOptionCombos: 2,
      typeReports: [{ klass, stats: stats(1, 1), objectReports: [{ klass, index: 1, uid: 'DeAncVisit2', errorReports: [] }] }],
    };
    expect(mergeReports(null, a)).toBe(a);
    const m = mergeReports(a, b);
    expect(m).toMatchObject({ status: 'WARNING', stats: stats(3, 1), unknownKeys: ['x', 'y'], generatedCategoryOptionCombos: 2 });
    expect(m.typeReports).toEqual([{ klass, stats: stats(3, 1), objectReports: [{ klass, index: 1, uid: 'DeAncVisit2', errorReports: [] }] }]);
    expect(a.typeReports[0]!.stats).toEqual(stats(2, 0)); // the inputs are not changed
  });
});
