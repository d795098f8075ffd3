import { describe, expect, it } from 'vitest';
import { schemaCheck } from '../../../../../src-main/importers/metadata/checks/schema-check.ts';
import { bundleOf, de, errorsOf, runEngine, useMemoryDb } from '../harness.ts';

const t = useMemoryDb();

describe('SchemaCheck', () => {
  it('E4000 and E4001 name the property; the object is ignored', () => {
    const { report, errors } = runEngine(t.db, { dataElements: [{ id: 'DeAncVisit1', name: 'x'.repeat(231), shortName: 'ANC' }] });
    expect(report.status).toBe('ERROR');
    expect(errors.map((e) => [e.errorCode, e.errorProperty])).toEqual([
      ['E4000', 'valueType'], ['E4000', 'domainType'], ['E4000', 'aggregationType'], ['E4001', 'name'],
    ]);
    expect(errors[3]!.message).toBe('Maximum length of property `name`is 230, but given length was 231');
    expect(report.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 1, total: 1 });
  });

  it('required properties of embedded objects (validation rule sides) are E4000 with a dotted property', () => {
    const vr = { id: 'VrRule00001', name: 'R', operator: 'equal_to', periodType: 'Monthly', leftSide: { description: 'l' }, rightSide: { expression: '1' } };
    const { errors } = runEngine(t.db, { validationRules: [vr] });
    expect(errors.map((e) => [e.errorCode, e.errorProperty])).toEqual([['E4000', 'leftSide.expression']]);
  });

  it('on its own: reports every problem of an object, then removes it; valid objects stay', () => {
    const b = bundleOf(t.db, { dataElements: [de('DeAncVisit1', 'A', { valueType: null, shortName: 's'.repeat(51) }), de('DeAncVisit2', 'B')] });
    schemaCheck.run(b);
    expect(errorsOf(b)).toEqual([['E4000', 'DeAncVisit1'], ['E4001', 'DeAncVisit1']]);
    expect(b.live().map((i) => i.obj.id)).toEqual(['DeAncVisit2']);
  });
});
