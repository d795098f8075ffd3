import { describe, expect, it } from 'vitest';
import { updateCheck } from '../../../../../src-main/importers/metadata/checks/update-check.ts';
import { bundleOf, de, errorsOf, runEngine, useMemoryDb } from '../harness.ts';

const t = useMemoryDb();

describe('UpdateCheck', () => {
  it('E5001: with UPDATE an object that does not exist is removed, stored ones stay', () => {
    runEngine(t.db, { dataElements: [de('DeAncVisit1', 'A')] });
    const b = bundleOf(t.db, { dataElements: [de('DeAncVisit1', 'A'), de('DeAncVisit2', 'B')] }, { importStrategy: 'UPDATE' });
    updateCheck.run(b);
    expect(errorsOf(b)).toEqual([['E5001', 'DeAncVisit2']]);
    expect(b.items[1]!.errors[0]!.message).toBe('No matching object for reference. Identifier was UID, and object was B [DeAncVisit2] (DataElement).');
    expect(b.live().map((i) => i.obj.id)).toEqual(['DeAncVisit1']);
  });
});
