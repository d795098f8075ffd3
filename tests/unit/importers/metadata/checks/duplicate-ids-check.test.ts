import { describe, expect, it } from 'vitest';
import { duplicateIdsCheck } from '../../../../../src-main/importers/metadata/checks/duplicate-ids-check.ts';
import { bundleOf, de, errorsOf, runEngine, storedJson, useMemoryDb } from '../harness.ts';

const t = useMemoryDb();

describe('DuplicateIdsCheck', () => {
  it('E4014 for a new object with a malformed uid; E5004 for a uid given twice', () => {
    const { errors } = runEngine(t.db, { dataElements: [de('1bcDefGhijk', 'A'), de('DeAncVisit1', 'B'), de('DeAncVisit1', 'C')] }, { atomicMode: 'NONE' });
    expect(errors.map((e) => e.errorCode).sort()).toEqual(['E4014', 'E5004']);
    expect(storedJson(t.db, 'DeAncVisit1')?.name).toBe('B');
  });

  it('on its own: the same uid in two types is no duplicate', () => {
    const b = bundleOf(t.db, { dataElements: [de('SameUid0001', 'A'), de('SameUid0001', 'B')], indicators: [{ id: 'SameUid0001', name: 'I' }] });
    duplicateIdsCheck.run(b);
    expect(errorsOf(b)).toEqual([['E5004', 'SameUid0001']]);
    expect(b.items[1]!.errors[0]!.message).toBe('Id `SameUid0001` for type `DataElement` exists on more than 1 object in the payload, removing all but the first found');
    expect(b.live().map((i) => [i.type, i.obj.name])).toEqual([['dataElements', 'A'], ['indicators', 'I']]);
  });
});
