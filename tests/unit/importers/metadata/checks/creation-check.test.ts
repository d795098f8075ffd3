import { describe, expect, it } from 'vitest';
import { creationCheck } from '../../../../../src-main/importers/metadata/checks/creation-check.ts';
import { bundleOf, de, errorsOf, runEngine, useMemoryDb } from '../harness.ts';

const t = useMemoryDb();

describe('CreationCheck', () => {
  it('E5000: with CREATE an object that exists is removed, new ones stay', () => {
    runEngine(t.db, { dataElements: [de('DeAncVisit1', 'A')] });
    const b = bundleOf(t.db, { dataElements: [de('DeAncVisit1', 'A'), de('DeAncVisit2', 'B')] }, { importStrategy: 'CREATE' });
    creationCheck.run(b);
    expect(errorsOf(b)).toEqual([['E5000', 'DeAncVisit1']]);
    expect(b.items[0]!.errors[0]!.message).toBe(
      'Found matching object for reference, but import strategy is CREATE. Identifier was UID, and object was A [DeAncVisit1] (DataElement).',
    );
    expect(b.live().map((i) => i.obj.id)).toEqual(['DeAncVisit2']);
  });
});
