import { describe, expect, it } from 'vitest';
import { de, ou, runEngine, storedJson, useMemoryDb } from './harness.ts';

const t = useMemoryDb();

describe('metadata preheat: matching, defaults, legacy shapes', () => {
  it('an object without id is matched by its code (UID mode); with CODE a stored uid is the same object', () => {
    runEngine(t.db, { dataElements: [de('DeAncVisit1', 'ANC', { code: 'ANC' })] });
    const a = runEngine(t.db, { dataElements: [{ ...de('x', 'ANC renamed', { code: 'ANC' }), id: undefined }] });
    expect(a.report.stats).toMatchObject({ created: 0, updated: 1 });
    expect(storedJson(t.db, 'DeAncVisit1')?.name).toBe('ANC renamed');
    const b = runEngine(t.db, { dataElements: [de('DeAncVisit1', 'ANC recoded', { code: 'ANC_NEW' })] }, { identifier: 'CODE' });
    expect(b.report.stats).toMatchObject({ created: 0, updated: 1 });
    expect(t.db.prepare(`SELECT code FROM metadata_object WHERE uid = 'DeAncVisit1'`).pluck().get()).toBe('ANC_NEW');
  });

  it('a missing category combo on a data element is connected to the default combo', () => {
    runEngine(t.db, { dataElements: [de('DeAncVisit1', 'A')] });
    expect(storedJson(t.db, 'DeAncVisit1')?.categoryCombo).toEqual({ id: 'bjDvmb4bfuf' });
  });

  it('pre-2.32 featureType + coordinates become GeoJSON geometry (stored on the org unit row too)', () => {
    runEngine(t.db, { organisationUnits: [ou('OuA00000001', 'A', { featureType: 'POINT', coordinates: '[-11.5,8.25]' })] });
    expect(storedJson(t.db, 'OuA00000001')).toMatchObject({ geometry: { type: 'Point', coordinates: [-11.5, 8.25] } });
    expect(storedJson(t.db, 'OuA00000001')?.coordinates).toBeUndefined();
    expect(t.db.prepare(`SELECT geometry FROM org_unit`).pluck().get()).toBe('{"type":"Point","coordinates":[-11.5,8.25]}');
  });

  it('lenient (fixtures): short uids load, and default objects pass their code to the stored defaults', () => {
    const r = runEngine(
      t.db,
      { categoryOptionCombos: [{ id: 'HllvX50cXC0', name: 'default', code: 'OC_DEF_CODE' }], dataElements: [de('A', 'A', { categoryCombo: { id: 'bjDvmb4bfuf' } })] },
      { lenient: true, atomicMode: 'NONE', skipValidation: true },
    );
    expect(r.report.status).toBe('OK');
    expect(storedJson(t.db, 'A')).toBeDefined();
    expect(t.db.prepare(`SELECT code FROM metadata_object WHERE uid = 'HllvX50cXC0'`).pluck().get()).toBe('OC_DEF_CODE');
  });
});
