import { describe, expect, it } from 'vitest';
import { uidFormatCheck } from '../../../../../src-main/importers/metadata/checks/uid-format-check.ts';
import { bundleOf, de, errorsOf, runEngine, useMemoryDb } from '../harness.ts';

const t = useMemoryDb();

describe('UidFormatCheck', () => {
  it('E4014 names the uid and the class; stored objects (updates) are not checked', () => {
    runEngine(t.db, { dataElements: [de('short', 'Old')] }, { lenient: true });
    const b = bundleOf(t.db, { dataElements: [de('short', 'Old'), de('bad-uid', 'New'), de('DeAncVisit1', 'Fine')] });
    uidFormatCheck.run(b);
    expect(errorsOf(b)).toEqual([['E4014', 'bad-uid']]);
    expect(b.items[1]!.errors[0]!.message).toBe('Invalid UID `bad-uid` for property `DataElement`');
  });
});
