import { describe, expect, it } from 'vitest';
import { referencesCheck } from '../../../../../src-main/importers/metadata/checks/references-check.ts';
import { bundleOf, de, errorsOf, ou, runEngine, storedJson, useMemoryDb } from '../harness.ts';

const t = useMemoryDb();

describe('ReferencesCheck', () => {
  it('E5007 for a duplicate reference in a collection, with DHIS2 wording', () => {
    const { errors } = runEngine(t.db, {
      categoryOptions: [{ id: 'CatOptMale1', name: 'Male', shortName: 'Male' }],
      categories: [{ id: 'CategoSex01', name: 'Sex', shortName: 'Sex', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: 'CatOptMale1' }] }],
      categoryCombos: [{ id: 'CatComSex01', name: 'Sex', dataDimensionType: 'DISAGGREGATION', categories: [{ id: 'CategoSex01' }, { id: 'CategoSex01' }] }],
    });
    expect(errors.map((e) => e.message)).toEqual(['Duplicate reference [CategoSex01] (Category) on object Sex [CatComSex01] (CategoryCombo) for association `category`']);
  });

  it('references in embedded objects are checked with a dotted property', () => {
    const { errors } = runEngine(t.db, { dataSets: [{ id: 'DsMonthly01', name: 'ANC', periodType: 'Monthly', dataSetElements: [{ dataElement: { id: 'DeMissing01' } }] }] });
    expect(errors[0]).toMatchObject({ errorCode: 'E5002', errorProperty: 'dataSetElements.dataElement', value: 'DeMissing01', errorKlass: 'org.hisp.dhis.dataelement.DataElement' });
  });

  it('non-owner collections are not stored (the owner side is) and ERRORS_NOT_OWNER reports them as E5006', () => {
    runEngine(t.db, { dataElements: [de('DeAncVisit1', 'ANC')], dataElementGroups: [{ id: 'DegAnc00001', name: 'ANC', shortName: 'ANC', dataElements: [{ id: 'DeAncVisit1' }] }] });
    const r = runEngine(t.db, { dataElements: [de('DeAncVisit1', 'ANC', { dataElementGroups: [{ id: 'DegAnc00001' }] })] });
    expect(r.report.status).toBe('OK');
    expect(storedJson(t.db, 'DeAncVisit1')?.dataElementGroups).toBeUndefined();
    const n = runEngine(t.db, { dataElements: [de('DeAncVisit1', 'ANC', { dataElementGroups: [{ id: 'DegAnc00001' }] })] }, { importReportMode: 'ERRORS_NOT_OWNER' });
    expect(n.errors.map((e) => e.errorCode)).toEqual(['E5006']);
  });

  it('references resolve by UID first, then by code, against the payload and the database', () => {
    runEngine(t.db, { organisationUnits: [ou('OuRoot00001', 'Root', { code: 'ROOT' })] });
    const r = runEngine(t.db, {
      organisationUnits: [
        ou('OuChildA001', 'A', { parent: { code: 'ROOT' } }),
        ou('OuChildB001', 'B', { code: 'B', parent: { id: 'OuRoot00001' } }),
        ou('OuChildC001', 'C', { parent: { id: 'NotThere001', code: 'B' } }),
      ],
    });
    expect(r.report.status).toBe('OK');
    expect(storedJson(t.db, 'OuChildA001')?.parent).toEqual({ id: 'OuRoot00001' });
    expect(storedJson(t.db, 'OuChildC001')?.parent).toEqual({ id: 'OuChildB001' });
    const paths = t.db.prepare(`SELECT m.uid, o.path FROM org_unit o JOIN metadata_object m ON m.id = o.id ORDER BY m.uid`).all();
    expect(paths).toContainEqual({ uid: 'OuChildC001', path: '/OuRoot00001/OuChildB001/OuChildC001' });
  });

  it('on its own: an unresolved reference is E5002 and dropped, the object stays; skipValidation keeps it as a missing reference', () => {
    const payload = { organisationUnits: [ou('OuChildA001', 'A', { parent: { id: 'NotThere001' } })] };
    const b = bundleOf(t.db, payload);
    referencesCheck.run(b);
    expect(errorsOf(b)).toEqual([['E5002', 'OuChildA001']]);
    expect(b.items[0]!.errors[0]!.message).toBe('Invalid reference [NotThere001] (OrganisationUnit) on object A [OuChildA001] (OrganisationUnit) for association `parent`');
    expect(b.live()).toHaveLength(1);
    expect(b.items[0]!.obj.parent).toBeUndefined();
    expect([...b.refErrorTypes]).toEqual(['organisationUnits']);
    const s = bundleOf(t.db, payload, { skipValidation: true });
    referencesCheck.run(s);
    expect(errorsOf(s)).toEqual([]);
    expect(s.items[0]!.obj.parent).toEqual({ id: 'NotThere001' });
    expect(s.missingRefs).toEqual([{ type: 'organisationUnits', uid: 'OuChildA001', name: 'A', property: 'parent', targetType: 'organisationUnits', target: 'NotThere001' }]);
  });
});
