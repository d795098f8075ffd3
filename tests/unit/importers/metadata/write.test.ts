import { describe, expect, it } from 'vitest';
import { isValidUid } from '../../../../src-shared/dhis2/uid.ts';
import type { Obj } from '../../../../src-main/importers/metadata/engine.ts';
import { de, runEngine, storedJson, useMemoryDb } from './harness.ts';

const t = useMemoryDb();

describe('metadata write', () => {
  it('update replaces the object; skipTranslation/skipSharing keep the stored ones', () => {
    const translations = [{ property: 'NAME', locale: 'fr', value: 'CPN' }];
    runEngine(t.db, { dataElements: [de('DeAncVisit1', 'ANC', { description: 'd', translations, sharing: { public: 'rw------' } })] });
    runEngine(t.db, { dataElements: [de('DeAncVisit1', 'ANC 1')] }, { skipTranslation: true, skipSharing: true });
    expect(storedJson(t.db, 'DeAncVisit1')).toMatchObject({ name: 'ANC 1', translations, sharing: { public: 'rw------' } });
    expect(storedJson(t.db, 'DeAncVisit1')?.description).toBeUndefined();
    runEngine(t.db, { dataElements: [de('DeAncVisit1', 'ANC 2')] });
    expect(storedJson(t.db, 'DeAncVisit1')?.translations).toBeUndefined();
  });

  it('a program stage section dropped from its stage is deleted', () => {
    // a stage must reference a program (E4053)
    const stage = (sections: string[]): Obj => ({ id: 'PrgStage001', name: 'Stage', program: { id: 'Program0001' }, programStageSections: sections.map((id) => ({ id })) });
    const sec = (id: string): Obj => ({ id, name: id, programStage: { id: 'PrgStage001' } });
    const program = { id: 'Program0001', name: 'Program', shortName: 'Program', programType: 'WITHOUT_REGISTRATION' };
    runEngine(t.db, { programs: [program], programStages: [stage(['PsSection01', 'PsSection02'])], programStageSections: [sec('PsSection01'), sec('PsSection02')] }, { atomicMode: 'NONE' });
    expect(storedJson(t.db, 'PsSection02')).toBeDefined();
    runEngine(t.db, { programStages: [stage(['PsSection01'])] }, { atomicMode: 'NONE' });
    expect(storedJson(t.db, 'PsSection02')).toBeUndefined();
    expect(storedJson(t.db, 'PsSection01')).toBeDefined();
  });

  it('a combo imported without option combos gets the cartesian product (named like DHIS2), not counted in stats', () => {
    const model = {
      categoryOptions: ['A', 'B', 'C'].map((x) => ({ id: `CatOption0${x}`, name: `Opt ${x}`, shortName: `Opt ${x}` })),
      categories: [
        { id: 'Category001', name: 'Cat 1', shortName: 'Cat 1', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: 'CatOption0A' }, { id: 'CatOption0B' }] },
        { id: 'Category002', name: 'Cat 2', shortName: 'Cat 2', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: 'CatOption0C' }] },
      ],
      categoryCombos: [{ id: 'CatCombo001', name: 'Combo', dataDimensionType: 'DISAGGREGATION', categories: [{ id: 'Category001' }, { id: 'Category002' }] }],
    };
    const { report } = runEngine(t.db, model);
    expect(report.stats.created).toBe(6);
    expect(report.generatedCategoryOptionCombos).toBe(2);
    const cocs = t.db.prepare(`SELECT uid, json FROM metadata_object WHERE type = 'categoryOptionCombos' AND uid != 'HllvX50cXC0' ORDER BY json`).all() as { uid: string; json: string }[];
    expect(cocs.map((c) => JSON.parse(c.json).name).sort()).toEqual(['Opt A, Opt C', 'Opt B, Opt C']);
    expect(cocs.every((c) => isValidUid(c.uid))).toBe(true);
    // a second import finds them and generates nothing
    expect(runEngine(t.db, model).report.generatedCategoryOptionCombos).toBeUndefined();
  });
});
