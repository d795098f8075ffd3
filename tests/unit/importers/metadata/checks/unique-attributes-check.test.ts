import { describe, expect, it } from 'vitest';
import { mandatoryAttributesCheck } from '../../../../../src-main/importers/metadata/checks/mandatory-attributes-check.ts';
import { uniqueAttributesCheck } from '../../../../../src-main/importers/metadata/checks/unique-attributes-check.ts';
import { bundleOf, de, errorsOf, runEngine, useMemoryDb } from '../harness.ts';

const t = useMemoryDb();
const av = (attribute: string, value: string): Record<string, unknown> => ({ attribute: { id: attribute }, value });

describe('UniqueAttributesCheck', () => {
  it('mandatory (E4011) and unique (E4009) custom attributes', () => {
    runEngine(t.db, { attributes: [{ id: 'AttrMand001', name: 'Source', valueType: 'TEXT', mandatory: true, unique: true, dataElementAttribute: true }] }, { atomicMode: 'NONE' });
    const a = runEngine(t.db, { dataElements: [de('DeAncVisit1', 'A', { attributeValues: [{ attribute: { id: 'AttrMand001' }, value: 'X' }] })] });
    expect(a.report.status).toBe('OK');
    const b = runEngine(t.db, { dataElements: [de('DeAncVisit2', 'B'), de('DeAncVisit3', 'C', { attributeValues: [{ attribute: { id: 'AttrMand001' }, value: 'X' }] })] }, { atomicMode: 'NONE' });
    expect(b.errors.map((e) => e.errorCode).sort()).toEqual(['E4009', 'E4011']);
  });

  it('an object missing one attribute and clashing on another gets both errors, then is removed', () => {
    const attributes = [
      { id: 'AttrMand001', name: 'M', valueType: 'TEXT', mandatory: true, dataElementAttribute: true },
      { id: 'AttrUniq001', name: 'U', valueType: 'TEXT', unique: true, dataElementAttribute: true },
    ];
    const b = bundleOf(t.db, {
      attributes,
      dataElements: [de('DeAncVisit1', 'A', { attributeValues: [av('AttrMand001', 'm'), av('AttrUniq001', 'x')] }), de('DeAncVisit2', 'B', { attributeValues: [av('AttrUniq001', 'x')] })],
    });
    mandatoryAttributesCheck.run(b);
    expect(b.live()).toHaveLength(4); // the mandatory check leaves removal to the unique one
    uniqueAttributesCheck.run(b);
    // reported on the attribute (mainId: its uid), the unique one by its name
    expect(errorsOf(b)).toEqual([['E4011', 'AttrMand001'], ['E4009', 'AttrUniq001']]);
    expect(b.items[3]!.errors.map((e) => e.message)).toEqual(['Attribute `AttrMand001` is required, but no value was found', 'Attribute `U` is unique, and value `x` already exist']);
    expect(b.live().map((i) => i.obj.id)).toEqual(['AttrMand001', 'AttrUniq001', 'DeAncVisit1']);
  });
});
