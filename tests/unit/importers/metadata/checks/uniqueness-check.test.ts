import { describe, expect, it } from 'vitest';
import { uniquenessCheck } from '../../../../../src-main/importers/metadata/checks/uniqueness-check.ts';
import { bundleOf, de, errorsOf, ou, runEngine, storedJson, useMemoryDb } from '../harness.ts';

const t = useMemoryDb();

describe('UniquenessCheck', () => {
  it('E5003: data element names are unique (against the database and within the payload); org unit names are not', () => {
    expect(runEngine(t.db, { dataElements: [de('DeAncVisit1', 'ANC')], organisationUnits: [ou('OuA00000001', 'Clinic')] }).report.status).toBe('OK');
    const { errors } = runEngine(t.db, { dataElements: [de('DeAncVisit2', 'ANC', { shortName: 'ANC 2' })], organisationUnits: [ou('OuB00000001', 'Clinic')] }, { atomicMode: 'NONE' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      errorCode: 'E5003', errorProperty: 'name', value: 'ANC',
      message: 'Property `name` with value `ANC` on object ANC [DeAncVisit2] (DataElement) already exists on object DeAncVisit1', mainId: 'DeAncVisit1',
    });
    expect(storedJson(t.db, 'OuB00000001')).toBeDefined();
    // as DHIS2: renaming the stored owner of a value in the same payload does not free it for this import
    expect(runEngine(t.db, { dataElements: [de('DeAncVisit1', 'ANC old'), de('DeAncVisit2', 'ANC', { shortName: 'ANC 2' })] }, { atomicMode: 'NONE' }).errors.map((e) => e.errorCode)).toEqual(['E5003']);
  });

  it('on its own: the first object of the payload keeps a code, later ones are removed', () => {
    const b = bundleOf(t.db, { dataElements: [de('DeAncVisit1', 'A', { code: 'X' }), de('DeAncVisit2', 'B', { code: 'X' }), de('DeAncVisit3', 'C', { code: 'X' })] });
    uniquenessCheck.run(b);
    // mainId: the object that holds the value
    expect(errorsOf(b)).toEqual([['E5003', 'DeAncVisit1'], ['E5003', 'DeAncVisit1']]);
    expect(b.items.map((i) => i.removed)).toEqual([false, true, true]);
    expect(b.items[1]!.errors[0]!.message).toBe('Property `code` with value `X` on object B [DeAncVisit2] (DataElement) already exists on object DeAncVisit1');
  });
});
