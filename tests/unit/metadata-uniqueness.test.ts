/**
 * Unique properties (E5003) and unique multi-properties (E5005) of metadata types, as dhis2-core master's mappings
 * declare them (the schema registry's `unique`/`notUnique`/`uniqueMultiProperties`), through the real metadata import
 * service: the message, the object's index and uid, the type's counts; atomic mode ALL writes nothing, NONE keeps
 * every valid object.
 */
import { describe, expect, it } from 'vitest';
import { METADATA_TYPES } from '../../src-shared/dhis2/schema/registry.ts';
import { uniqueProperties } from '../../src-main/importers/metadata/checks/uniqueness-check.ts';
import { useMetadataService } from '../helpers/metadata-service.ts';

type Obj = Record<string, unknown>;
const svc = useMetadataService();
const NONE = { atomicMode: 'NONE' };

const de = (id: string, name: string, extra: Obj = {}): Obj => ({
  id, name, shortName: name, valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM', ...extra,
});
const ds = (id: string, name: string, shortName: string): Obj => ({ id, name, shortName, periodType: 'Monthly' });

describe('the unique properties Ferry checks are those of the DHIS2 mappings', () => {
  it('per type: code unless the mapping says otherwise, plus the type\'s own', () => {
    expect(uniqueProperties('dataElements')).toEqual(['code', 'name', 'shortName']);
    expect(uniqueProperties('dataSets')).toEqual(['code', 'shortName']);
    expect(uniqueProperties('indicators')).toEqual(['code']);
    expect(uniqueProperties('indicatorGroupSets')).toEqual(['code', 'shortName']);
    expect(uniqueProperties('organisationUnits')).toEqual(['code']);
    expect(uniqueProperties('organisationUnitLevels')).toEqual(['code', 'level']);
    expect(uniqueProperties('options')).toEqual([]);
    expect(uniqueProperties('legendSets')).toEqual(['name']);
    expect(uniqueProperties('validationRules')).toEqual(['code', 'name', 'shortName']);
    expect(uniqueProperties('jobConfigurations')).toEqual(['code', 'name']);
    expect(METADATA_TYPES.programRuleVariables!.uniqueMultiProperties).toEqual([{ label: ['name', 'programuid'], properties: ['name', 'program'] }]);
  });
});

describe('E5003: a unique property value another object holds', () => {
  it('against the database: a data set short name (the name is not unique)', async () => {
    await svc.run({ dataSets: [ds('DataSetA001', 'Monthly', 'MON')] });
    const r = await svc.run({ dataSets: [ds('DataSetB001', 'Monthly', 'MON 2'), ds('DataSetC001', 'Other', 'MON')] }, NONE);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({
      errorCode: 'E5003', index: 1, uid: 'DataSetC001', mainId: 'DataSetA001', errorProperty: 'shortName', mainKlass: 'org.hisp.dhis.dataset.DataSet',
      message: 'Property `shortName` with value `MON` on object Other [DataSetC001] (DataSet) already exists on object DataSetA001',
      args: ['shortName', 'MON', 'Other [DataSetC001] (DataSet)', 'DataSetA001'],
    });
    expect(r.stats('DataSet')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
    expect(svc.stored('DataSetB001')).toBeDefined();
    expect(svc.stored('DataSetC001')).toBeUndefined();
  });

  it('within the payload: the first object keeps the value (objects to update before new ones); indicator names may repeat', async () => {
    await svc.run({ dataElements: [de('DeStored001', 'Stored', { code: 'S' })] });
    const r = await svc.run({
      dataElements: [de('DeNew000001', 'New', { code: 'DUP' }), de('DeStored001', 'Stored', { code: 'DUP' })],
      indicatorTypes: [{ id: 'IndType0001', name: 'Per cent', factor: 100 }],
      indicators: ['IndicatorA1', 'IndicatorB1'].map((id) => ({ id, name: 'Coverage', shortName: 'Coverage', numerator: '1', denominator: '1', indicatorType: { id: 'IndType0001' } })),
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message])).toEqual([
      ['E5003', 0, 'DeNew000001', 'Property `code` with value `DUP` on object New [DeNew000001] (DataElement) already exists on object DeStored001'],
    ]);
    expect(r.stats('DataElement')).toEqual({ created: 0, updated: 1, ignored: 1, total: 2 });
    expect(r.stats('Indicator')).toMatchObject({ created: 2, ignored: 0 });
  });

  it('a number: an org unit level\'s level; a stored owner renamed in the same payload still holds its value (as DHIS2)', async () => {
    await svc.run({ organisationUnitLevels: [{ id: 'OuLevel0001', name: 'National', level: 1 }] });
    const r = await svc.run({ organisationUnitLevels: [{ id: 'OuLevel0001', name: 'National', level: 2 }, { id: 'OuLevel0002', name: 'Country', level: 1 }] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.args])).toEqual([
      ['E5003', 'OuLevel0002', 'Property `level` with value `1` on object Country [OuLevel0002] (OrganisationUnitLevel) already exists on object OuLevel0001', ['level', '1', 'Country [OuLevel0002] (OrganisationUnitLevel)', 'OuLevel0001']],
    ]);
    expect(r.stats('OrganisationUnitLevel')).toEqual({ created: 0, updated: 1, ignored: 1, total: 2 });
  });

  it('identifier CODE: objects are named by their codes', async () => {
    await svc.run({ dataElements: [de('DeStored001', 'ANC', { code: 'ANC' })] });
    const r = await svc.run({ dataElements: [de('DeNew000001', 'ANC', { code: 'ANC2', shortName: 'ANC 2' })] }, { ...NONE, identifier: 'CODE' });
    expect(r.errors.map((e) => [e.errorCode, e.message, e.mainId])).toEqual([
      ['E5003', 'Property `name` with value `ANC` on object ANC [ANC2] (DataElement) already exists on object ANC', 'ANC'],
    ]);
    // a stored object without a code is named by its uid (DHIS2 would let it through this check and fail on the database)
    await svc.run({ dataElements: [de('DeNoCode001', 'Malaria')] });
    const r2 = await svc.run({ dataElements: [de('DeNew000002', 'Malaria', { code: 'MAL', shortName: 'Malaria 2' })] }, { ...NONE, identifier: 'CODE' });
    expect(r2.errors.map((e) => e.message)).toEqual(['Property `name` with value `Malaria` on object Malaria [MAL] (DataElement) already exists on object DeNoCode001']);
    expect(r2.stats('DataElement')).toMatchObject({ created: 0, ignored: 1 });
  });
});

describe('E5005: unique multi-properties within the payload', () => {
  const program = { id: 'ProgramA001', name: 'Malaria', shortName: 'Malaria', programType: 'WITHOUT_REGISTRATION' };
  const prv = (id: string, name: string): Obj => ({ id, name, program: { id: 'ProgramA001' }, programRuleVariableSourceType: 'CALCULATED_VALUE', valueType: 'TEXT' });

  it('program rule variables of one program sharing a name are all refused, naming each other', async () => {
    const r = await svc.run({ programs: [program], programRuleVariables: [prv('PrgRuleVar1', 'age'), prv('PrgRuleVar2', 'weight'), prv('PrgRuleVar3', 'age')] }, NONE);
    const e5005 = r.errors.filter((e) => e.errorCode === 'E5005');
    expect(e5005.map((e) => [e.index, e.uid, e.message, e.mainKlass])).toEqual([
      [0, 'PrgRuleVar1', 'Properties `name, programuid` in objects `PrgRuleVar1, PrgRuleVar3` must be unique within the payload', 'org.hisp.dhis.programrule.ProgramRuleVariable'],
      [2, 'PrgRuleVar3', 'Properties `name, programuid` in objects `PrgRuleVar1, PrgRuleVar3` must be unique within the payload', 'org.hisp.dhis.programrule.ProgramRuleVariable'],
    ]);
    expect(r.errors).toHaveLength(2);
    expect(r.stats('ProgramRuleVariable')).toEqual({ created: 1, updated: 0, ignored: 2, total: 3 });
    expect(svc.stored('PrgRuleVar2')).toBeDefined();
  });
});

describe('multi-column unique constraints of the database (DHIS2 fails the whole import when saving it)', () => {
  const sec = (id: string, name: string, dataSet: string): Obj => ({ id, name, dataSet: { id: dataSet } });

  it('two sections of one data set with one name: nothing imported, whatever the atomic mode; other data sets and a dry run pass', async () => {
    await svc.run({ dataSets: [ds('DataSetA001', 'A', 'A'), ds('DataSetB001', 'B', 'B')], sections: [sec('SectionA001', 'Intro', 'DataSetA001')] });
    await expect(svc.run({ dataSets: [ds('DataSetC001', 'C', 'C')], sections: [sec('SectionA002', 'Intro', 'DataSetA001')] }, NONE)).rejects.toThrow(
      'DHIS2 would refuse this import when saving it: Intro [SectionA001] (Section) and Intro [SectionA002] (Section) have the same name and dataSet (unique constraint key_sectionnamedataset). Nothing was imported.',
    );
    expect(svc.stored('DataSetC001')).toBeUndefined();
    const dry = await svc.run({ sections: [sec('SectionA002', 'Intro', 'DataSetA001')] }, { ...NONE, dryRun: true });
    expect(dry.report.status).toBe('OK');
    const ok = await svc.run({ sections: [sec('SectionB001', 'Intro', 'DataSetB001'), sec('SectionA001', 'Start', 'DataSetA001'), sec('SectionA002', 'Intro', 'DataSetA001')] }, NONE);
    expect(ok.report.status).toBe('OK');
    expect(ok.stats('Section')).toEqual({ created: 2, updated: 1, ignored: 0, total: 3 });
  });
});

describe('atomic mode', () => {
  const payload = (): Obj => ({ dataElements: [de('DeAncVisit1', 'ANC'), de('DeAncVisit2', 'ANC', { shortName: 'ANC 2' }), de('DeOther0001', 'Other')] });

  it('ALL: a clash fails the whole import, nothing written', async () => {
    const r = await svc.run(payload(), { atomicMode: 'ALL' });
    expect(r.report.status).toBe('ERROR');
    expect(r.errors.map((e) => [e.errorCode, e.uid])).toEqual([['E5003', 'DeAncVisit2']]);
    expect(r.stats('DataElement')).toEqual({ created: 0, updated: 0, ignored: 3, total: 3 });
    expect(svc.count('dataElements')).toBe(0);
  });

  it('NONE: the valid objects are written, the clashing one reported', async () => {
    const r = await svc.run(payload(), NONE);
    expect(r.report.status).toBe('WARNING');
    expect(r.stats('DataElement')).toEqual({ created: 2, updated: 0, ignored: 1, total: 3 });
    expect(svc.stored('DeAncVisit1')).toBeDefined();
    expect(svc.stored('DeOther0001')).toBeDefined();
    expect(svc.stored('DeAncVisit2')).toBeUndefined();
  });
});
