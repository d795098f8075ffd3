import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { MetadataEngine, type EngineOptions, type Obj } from '../../../../src-main/importers/metadata/engine.ts';
import type { ErrorReport, ImportReport } from '../../../../src-shared/dhis2/import-summary.ts';
import { isValidUid } from '../../../../src-shared/dhis2/uid.ts';

let db: Db;
beforeEach(() => {
  db = openDb(':memory:');
});
afterEach(() => db.close());

const base: EngineOptions = {
  dryRun: false, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', identifier: 'UID', skipValidation: false, skipSharing: false,
  skipTranslation: false, importReportMode: 'ERRORS', firstRowIsHeader: true, now: '2024-05-01T10:00:00.000Z', sourceFileId: null,
};

function run(payload: Record<string, unknown>, opts: Partial<EngineOptions> = {}): { report: ImportReport; commit: boolean; errors: ErrorReport[] } {
  const e = new MetadataEngine(db, { ...base, ...opts });
  for (const [type, list] of Object.entries(payload)) {
    if (Array.isArray(list)) list.forEach((object, index) => e.add({ type, index, object: structuredClone(object) as Obj }));
    e.noteKey(type, Array.isArray(list) ? list.length : 0);
  }
  const r = db.transaction(() => e.run())();
  return { ...r, errors: r.report.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports)) };
}
const json = (uid: string): Obj | undefined => {
  const r = db.prepare(`SELECT json FROM metadata_object WHERE uid = ?`).pluck().get(uid) as string | undefined;
  return r ? (JSON.parse(r) as Obj) : undefined;
};
const de = (id: string, name: string, extra: Obj = {}): Obj => ({ id, name, shortName: name, valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM', ...extra });
const ou = (id: string, name: string, extra: Obj = {}): Obj => ({ id, name, shortName: name, openingDate: '2000-01-01', ...extra });

describe('metadata engine: DHIS2 checks', () => {
  it('E4000 and E4001 name the property; the object is ignored', () => {
    const { report, errors } = run({ dataElements: [{ id: 'DeAncVisit1', name: 'x'.repeat(231), shortName: 'ANC' }] });
    expect(report.status).toBe('ERROR');
    expect(errors.map((e) => [e.errorCode, e.errorProperty])).toEqual([
      ['E4000', 'valueType'], ['E4000', 'domainType'], ['E4000', 'aggregationType'], ['E4001', 'name'],
    ]);
    expect(errors[3]!.message).toBe('Maximum length of property `name`is 230, but given length was 231');
    expect(report.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 1, total: 1 });
  });

  it('E5003: data element names are unique (against the database and within the payload); org unit names are not', () => {
    expect(run({ dataElements: [de('DeAncVisit1', 'ANC')], organisationUnits: [ou('OuA00000001', 'Clinic')] }).report.status).toBe('OK');
    const { errors } = run({ dataElements: [de('DeAncVisit2', 'ANC', { shortName: 'ANC 2' })], organisationUnits: [ou('OuB00000001', 'Clinic')] }, { atomicMode: 'NONE' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      errorCode: 'E5003', errorProperty: 'name', value: 'ANC',
      message: 'Property `name` with value `ANC` on object ANC [DeAncVisit2] (DataElement) already exists on object ANC [DeAncVisit1] (DataElement)',
    });
    expect(json('OuB00000001')).toBeDefined();
    // renaming the stored owner of a value in the same payload frees it
    expect(run({ dataElements: [de('DeAncVisit1', 'ANC old'), de('DeAncVisit2', 'ANC', { shortName: 'ANC 2' })] }).report.status).toBe('OK');
  });

  it('E4014 for a new object with a malformed uid; E5004 for a uid given twice', () => {
    const { errors } = run({ dataElements: [de('abc', 'A'), de('DeAncVisit1', 'B'), de('DeAncVisit1', 'C')] }, { atomicMode: 'NONE' });
    expect(errors.map((e) => e.errorCode).sort()).toEqual(['E4014', 'E5004']);
    expect(json('DeAncVisit1')?.name).toBe('B');
  });

  it('E5007 for a duplicate reference in a collection, with DHIS2 wording', () => {
    const { errors } = run({
      categoryOptions: [{ id: 'CatOptMale1', name: 'Male', shortName: 'Male' }],
      categories: [{ id: 'CategoSex01', name: 'Sex', shortName: 'Sex', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: 'CatOptMale1' }] }],
      categoryCombos: [{ id: 'CatComSex01', name: 'Sex', dataDimensionType: 'DISAGGREGATION', categories: [{ id: 'CategoSex01' }, { id: 'CategoSex01' }] }],
    });
    expect(errors.map((e) => e.message)).toEqual(['Duplicate reference [CategoSex01] (Category) on object Sex [CatComSex01] (CategoryCombo) for association `category`']);
  });

  it('required properties of embedded objects (validation rule sides) are E4000 with a dotted property', () => {
    const vr = { id: 'VrRule00001', name: 'R', operator: 'equal_to', periodType: 'Monthly', leftSide: { description: 'l' }, rightSide: { expression: '1' } };
    const { errors } = run({ validationRules: [vr] });
    expect(errors.map((e) => [e.errorCode, e.errorProperty])).toEqual([['E4000', 'leftSide.expression']]);
  });

  it('references in embedded objects are checked with a dotted property', () => {
    const { errors } = run({ dataSets: [{ id: 'DsMonthly01', name: 'ANC', periodType: 'Monthly', dataSetElements: [{ dataElement: { id: 'DeMissing01' } }] }] });
    expect(errors[0]).toMatchObject({ errorCode: 'E5002', errorProperty: 'dataSetElements.dataElement', value: 'DeMissing01', errorKlass: 'org.hisp.dhis.dataelement.DataElement' });
  });

  it('non-owner collections are not stored (the owner side is) and ERRORS_NOT_OWNER reports them as E5006', () => {
    run({ dataElements: [de('DeAncVisit1', 'ANC')], dataElementGroups: [{ id: 'DegAnc00001', name: 'ANC', shortName: 'ANC', dataElements: [{ id: 'DeAncVisit1' }] }] });
    const r = run({ dataElements: [de('DeAncVisit1', 'ANC', { dataElementGroups: [{ id: 'DegAnc00001' }] })] });
    expect(r.report.status).toBe('OK');
    expect(json('DeAncVisit1')?.dataElementGroups).toBeUndefined();
    const n = run({ dataElements: [de('DeAncVisit1', 'ANC', { dataElementGroups: [{ id: 'DegAnc00001' }] })] }, { importReportMode: 'ERRORS_NOT_OWNER' });
    expect(n.errors.map((e) => e.errorCode)).toEqual(['E5006']);
  });

  it('mandatory (E4011) and unique (E4009) custom attributes', () => {
    run({ attributes: [{ id: 'AttrMand001', name: 'Source', valueType: 'TEXT', mandatory: true, unique: true, dataElementAttribute: true }] }, { atomicMode: 'NONE' });
    const a = run({ dataElements: [de('DeAncVisit1', 'A', { attributeValues: [{ attribute: { id: 'AttrMand001' }, value: 'X' }] })] });
    expect(a.report.status).toBe('OK');
    const b = run({ dataElements: [de('DeAncVisit2', 'B'), de('DeAncVisit3', 'C', { attributeValues: [{ attribute: { id: 'AttrMand001' }, value: 'X' }] })] }, { atomicMode: 'NONE' });
    expect(b.errors.map((e) => e.errorCode).sort()).toEqual(['E4009', 'E4011']);
  });
});

describe('metadata engine: category model', () => {
  const model = {
    categoryOptions: ['A', 'B', 'C'].map((x) => ({ id: `CatOption0${x}`, name: `Opt ${x}`, shortName: `Opt ${x}` })),
    categories: [
      { id: 'Category001', name: 'Cat 1', shortName: 'Cat 1', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: 'CatOption0A' }, { id: 'CatOption0B' }] },
      { id: 'Category002', name: 'Cat 2', shortName: 'Cat 2', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: 'CatOption0C' }] },
    ],
    categoryCombos: [{ id: 'CatCombo001', name: 'Combo', dataDimensionType: 'DISAGGREGATION', categories: [{ id: 'Category001' }, { id: 'Category002' }] }],
  };

  it('a combo imported without option combos gets the cartesian product (named like DHIS2), not counted in stats', () => {
    const { report } = run(model);
    expect(report.stats.created).toBe(6);
    expect(report.generatedCategoryOptionCombos).toBe(2);
    const cocs = db.prepare(`SELECT uid, json FROM metadata_object WHERE type = 'categoryOptionCombos' AND uid != 'HllvX50cXC0' ORDER BY json`).all() as { uid: string; json: string }[];
    expect(cocs.map((c) => JSON.parse(c.json).name).sort()).toEqual(['Opt A, Opt C', 'Opt B, Opt C']);
    expect(cocs.every((c) => isValidUid(c.uid))).toBe(true);
    // a second import finds them and generates nothing
    expect(run(model).report.generatedCategoryOptionCombos).toBeUndefined();
  });

  it('option combos given for a combo must match its expected number', () => {
    const { report, errors } = run({
      ...model,
      categoryOptionCombos: [{ id: 'CocUid00001', name: 'x', categoryCombo: { id: 'CatCombo001' }, categoryOptions: [{ id: 'CatOption0A' }, { id: 'CatOption0C' }] }],
    });
    expect(report.status).toBe('ERROR');
    expect(errors.map((e) => e.message)).toEqual(['Importing 1 CategoryOptionCombos does not match the expected amount of 2 for CategoryCombo CatCombo001']);
  });

  it('a missing category combo on a data element is connected to the default combo', () => {
    run({ dataElements: [de('DeAncVisit1', 'A')] });
    expect(json('DeAncVisit1')?.categoryCombo).toEqual({ id: 'bjDvmb4bfuf' });
  });
});

describe('metadata engine: matching and resolution', () => {
  it('references resolve by UID first, then by code, against the payload and the database', () => {
    run({ organisationUnits: [ou('OuRoot00001', 'Root', { code: 'ROOT' })] });
    const r = run({
      organisationUnits: [
        ou('OuChildA001', 'A', { parent: { code: 'ROOT' } }),
        ou('OuChildB001', 'B', { code: 'B', parent: { id: 'OuRoot00001' } }),
        ou('OuChildC001', 'C', { parent: { id: 'NotThere001', code: 'B' } }),
      ],
    });
    expect(r.report.status).toBe('OK');
    expect(json('OuChildA001')?.parent).toEqual({ id: 'OuRoot00001' });
    expect(json('OuChildC001')?.parent).toEqual({ id: 'OuChildB001' });
    const paths = db.prepare(`SELECT m.uid, o.path FROM org_unit o JOIN metadata_object m ON m.id = o.id ORDER BY m.uid`).all();
    expect(paths).toContainEqual({ uid: 'OuChildC001', path: '/OuRoot00001/OuChildB001/OuChildC001' });
  });

  it('an object without id is matched by its code (UID mode); with CODE a stored uid is the same object', () => {
    run({ dataElements: [de('DeAncVisit1', 'ANC', { code: 'ANC' })] });
    const a = run({ dataElements: [{ ...de('x', 'ANC renamed', { code: 'ANC' }), id: undefined }] });
    expect(a.report.stats).toMatchObject({ created: 0, updated: 1 });
    expect(json('DeAncVisit1')?.name).toBe('ANC renamed');
    const b = run({ dataElements: [de('DeAncVisit1', 'ANC recoded', { code: 'ANC_NEW' })] }, { identifier: 'CODE' });
    expect(b.report.stats).toMatchObject({ created: 0, updated: 1 });
    expect(db.prepare(`SELECT code FROM metadata_object WHERE uid = 'DeAncVisit1'`).pluck().get()).toBe('ANC_NEW');
  });

  it('a payload of known but empty types is an empty import, not an error', () => {
    const { report } = run({ dataElements: [], organisationUnits: [] });
    expect(report).toMatchObject({ status: 'OK', stats: { total: 0 }, typeReports: [] });
  });
});

describe('metadata engine: writes', () => {
  it('update replaces the object; skipTranslation/skipSharing keep the stored ones', () => {
    const translations = [{ property: 'NAME', locale: 'fr', value: 'CPN' }];
    run({ dataElements: [de('DeAncVisit1', 'ANC', { description: 'd', translations, sharing: { public: 'rw------' } })] });
    run({ dataElements: [de('DeAncVisit1', 'ANC 1')] }, { skipTranslation: true, skipSharing: true });
    expect(json('DeAncVisit1')).toMatchObject({ name: 'ANC 1', translations, sharing: { public: 'rw------' } });
    expect(json('DeAncVisit1')?.description).toBeUndefined();
    run({ dataElements: [de('DeAncVisit1', 'ANC 2')] });
    expect(json('DeAncVisit1')?.translations).toBeUndefined();
  });

  it('a program stage section dropped from its stage is deleted', () => {
    const stage = (sections: string[]): Obj => ({ id: 'PrgStage001', name: 'Stage', programStageSections: sections.map((id) => ({ id })) });
    const sec = (id: string): Obj => ({ id, name: id, programStage: { id: 'PrgStage001' } });
    run({ programStages: [stage(['PsSection01', 'PsSection02'])], programStageSections: [sec('PsSection01'), sec('PsSection02')] }, { atomicMode: 'NONE' });
    expect(json('PsSection02')).toBeDefined();
    run({ programStages: [stage(['PsSection01'])] }, { atomicMode: 'NONE' });
    expect(json('PsSection02')).toBeUndefined();
    expect(json('PsSection01')).toBeDefined();
  });

  it('DELETE refuses an object that still has data values (E4030) and an org unit with children', () => {
    run({ dataElements: [de('DeAncVisit1', 'A'), de('DeAncVisit2', 'B')], organisationUnits: [ou('OuRoot00001', 'Root'), ou('OuChild0001', 'Child', { parent: { id: 'OuRoot00001' } })] });
    const deId = db.prepare(`SELECT id FROM metadata_object WHERE uid = 'DeAncVisit1'`).pluck().get() as number;
    db.prepare(`INSERT INTO data_value (de, pe, ou, coc, aoc, value, created, last_updated) VALUES (?, 1, 1, 1, 1, '5', 'x', 'x')`).run(deId);
    const r = run({ dataElements: [{ id: 'DeAncVisit1' }, { id: 'DeAncVisit2' }], organisationUnits: [{ id: 'OuRoot00001' }] }, { importStrategy: 'DELETE', atomicMode: 'NONE' });
    expect(r.errors.map((e) => e.errorCode)).toEqual(['E4030', 'E4030']);
    expect(r.errors.find((e) => e.mainId === 'OuRoot00001')?.message).toBe(
      'Object could not be deleted because it is associated with another object: [OuChild0001] (OrganisationUnit) via parent',
    );
    expect(r.report.stats).toMatchObject({ deleted: 1, ignored: 2 });
    expect(json('DeAncVisit1')).toBeDefined();
    expect(json('DeAncVisit2')).toBeUndefined();
  });

  it('DELETE keeps objects other objects still reference; deleting both together works', () => {
    run({ dataElements: [de('DeAncVisit1', 'A')], dataSets: [{ id: 'DsMonthly01', name: 'DS', periodType: 'Monthly', dataSetElements: [{ dataElement: { id: 'DeAncVisit1' } }] }] });
    const refused = run({ dataElements: [{ id: 'DeAncVisit1' }] }, { importStrategy: 'DELETE' });
    expect(refused.report.status).toBe('ERROR');
    expect(refused.errors[0]!.message).toContain('[DsMonthly01] (DataSet) via dataSetElements.dataElement');
    expect(json('DeAncVisit1')).toBeDefined();
    const both = run({ dataElements: [{ id: 'DeAncVisit1' }], dataSets: [{ id: 'DsMonthly01' }] }, { importStrategy: 'DELETE' });
    expect(both.report).toMatchObject({ status: 'OK', stats: { deleted: 2 } });
    expect(db.prepare(`SELECT count(*) FROM metadata_ref r LEFT JOIN metadata_object m ON m.id = r.to_id WHERE m.id IS NULL`).pluck().get()).toBe(0);
  });

  it('pre-2.32 featureType + coordinates become GeoJSON geometry (stored on the org unit row too)', () => {
    run({ organisationUnits: [ou('OuA00000001', 'A', { featureType: 'POINT', coordinates: '[-11.5,8.25]' })] });
    expect(json('OuA00000001')).toMatchObject({ geometry: { type: 'Point', coordinates: [-11.5, 8.25] } });
    expect(json('OuA00000001')?.coordinates).toBeUndefined();
    expect(db.prepare(`SELECT geometry FROM org_unit`).pluck().get()).toBe('{"type":"Point","coordinates":[-11.5,8.25]}');
  });

  it('users and roles are reported as skipped, unknown keys as unknown; neither is an error', () => {
    const { report } = run({ users: [{ id: 'U1' }], userRoles: [{ id: 'R1' }], dataElementz: [{}], dataElements: [de('DeAncVisit1', 'A')] });
    expect(report.status).toBe('OK');
    expect(report.unknownKeys).toEqual(['dataElementz']);
    expect(report.skippedTypes?.map((s) => [s.type, s.count])).toEqual([['users', 1], ['userRoles', 1]]);
  });

  it('lenient (fixtures): short uids load, and default objects pass their code to the stored defaults', () => {
    const r = run(
      { categoryOptionCombos: [{ id: 'HllvX50cXC0', name: 'default', code: 'OC_DEF_CODE' }], dataElements: [de('A', 'A', { categoryCombo: { id: 'bjDvmb4bfuf' } })] },
      { lenient: true, atomicMode: 'NONE', skipValidation: true },
    );
    expect(r.report.status).toBe('OK');
    expect(json('A')).toBeDefined();
    expect(db.prepare(`SELECT code FROM metadata_object WHERE uid = 'HllvX50cXC0'`).pluck().get()).toBe('OC_DEF_CODE');
  });
});
