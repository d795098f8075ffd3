import { describe, expect, it } from 'vitest';
import { de, ou, runEngine, storedJson, useMemoryDb } from './harness.ts';

const t = useMemoryDb();

describe('metadata delete (importStrategy DELETE)', () => {
  it('DELETE refuses an object that still has data values (E4030) and an org unit with children', () => {
    runEngine(t.db, { dataElements: [de('DeAncVisit1', 'A'), de('DeAncVisit2', 'B')], organisationUnits: [ou('OuRoot00001', 'Root'), ou('OuChild0001', 'Child', { parent: { id: 'OuRoot00001' } })] });
    const deId = t.db.prepare(`SELECT id FROM metadata_object WHERE uid = 'DeAncVisit1'`).pluck().get() as number;
    t.db.prepare(`INSERT INTO data_value (de, pe, ou, coc, aoc, value, created, last_updated) VALUES (?, 1, 1, 1, 1, '5', 'x', 'x')`).run(deId);
    const r = runEngine(t.db, { dataElements: [{ id: 'DeAncVisit1' }, { id: 'DeAncVisit2' }], organisationUnits: [{ id: 'OuRoot00001' }] }, { importStrategy: 'DELETE', atomicMode: 'NONE' });
    expect(r.errors.map((e) => e.errorCode)).toEqual(['E4030', 'E4030']);
    expect(r.errors.find((e) => e.mainId === 'OuRoot00001')?.message).toBe(
      'Object could not be deleted because it is associated with another object: [OuChild0001] (OrganisationUnit) via parent',
    );
    expect(r.report.stats).toMatchObject({ deleted: 1, ignored: 2 });
    expect(storedJson(t.db, 'DeAncVisit1')).toBeDefined();
    expect(storedJson(t.db, 'DeAncVisit2')).toBeUndefined();
  });

  it('DELETE keeps objects other objects still reference; deleting both together works', () => {
    runEngine(t.db, { dataElements: [de('DeAncVisit1', 'A')], dataSets: [{ id: 'DsMonthly01', name: 'DS', periodType: 'Monthly', dataSetElements: [{ dataElement: { id: 'DeAncVisit1' } }] }] });
    const refused = runEngine(t.db, { dataElements: [{ id: 'DeAncVisit1' }] }, { importStrategy: 'DELETE' });
    expect(refused.report.status).toBe('ERROR');
    expect(refused.errors[0]!.message).toContain('[DsMonthly01] (DataSet) via dataSetElements.dataElement');
    expect(storedJson(t.db, 'DeAncVisit1')).toBeDefined();
    const both = runEngine(t.db, { dataElements: [{ id: 'DeAncVisit1' }], dataSets: [{ id: 'DsMonthly01' }] }, { importStrategy: 'DELETE' });
    expect(both.report).toMatchObject({ status: 'OK', stats: { deleted: 2 } });
    expect(t.db.prepare(`SELECT count(*) FROM metadata_ref r LEFT JOIN metadata_object m ON m.id = r.from_id WHERE m.id IS NULL`).pluck().get()).toBe(0);
  });

  it('E5001 (DeletionCheck) for an object that is not stored; the data value count is in the E4030 message', () => {
    runEngine(t.db, { dataElements: [de('DeAncVisit1', 'A')] });
    const deId = t.db.prepare(`SELECT id FROM metadata_object WHERE uid = 'DeAncVisit1'`).pluck().get() as number;
    t.db.prepare(`INSERT INTO data_value (de, pe, ou, coc, aoc, value, created, last_updated) VALUES (?, 1, 1, 1, 1, '5', 'x', 'x')`).run(deId);
    const r = runEngine(t.db, { dataElements: [{ id: 'DeAncVisit1' }, { id: 'DeMissing01' }] }, { importStrategy: 'DELETE', atomicMode: 'NONE' });
    expect(r.errors.map((e) => [e.errorCode, e.message])).toEqual([
      ['E4030', 'Object could not be deleted because it is associated with another object: 1 data values ([DeAncVisit1] (DataElement))'],
      ['E5001', 'No matching object for reference. Identifier was UID, and object was [DeMissing01] (DataElement).'],
    ]);
  });
});
