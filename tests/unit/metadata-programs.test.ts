/**
 * Object bundle hooks of programs, program stages, program rules, their variables and actions (dhis2-core master
 * ProgramObjectBundleHook, ProgramStageObjectBundleHook, ProgramRule*ObjectBundleHook and the action validators),
 * through the real metadata import service: one test per code (message, uid, index, counts); atomic mode ALL writes
 * nothing, NONE keeps the valid objects.
 */
import { describe, expect, it } from 'vitest';
import { useMetadataService } from '../helpers/metadata-service.ts';

type Obj = Record<string, unknown>;
const svc = useMetadataService();
const NONE = { atomicMode: 'NONE' };
const P = 'org.hisp.dhis.';

const de = (id: string, valueType = 'NUMBER'): Obj => ({ id, name: id, shortName: id, valueType, domainType: 'TRACKER', aggregationType: 'NONE' });
const tea = (id: string): Obj => ({ id, name: id, shortName: id, valueType: 'TEXT', aggregationType: 'NONE' });
const program = (id: string, extra: Obj = {}): Obj => ({ id, name: `Program ${id}`, shortName: id, programType: 'WITH_REGISTRATION', ...extra });
const stage = (id: string, programId: string | null, des: string[], extra: Obj = {}): Obj => ({
  id, name: id, ...(programId ? { program: { id: programId } } : {}), programStageDataElements: des.map((d) => ({ dataElement: { id: d } })), ...extra,
});
/** a tracker program with one stage (2 data elements) and one attribute */
const base = (): Record<string, Obj[]> => ({
  dataElements: [de('DataElemA01'), de('DataElemB01', 'DATE'), de('DataElemC01')],
  trackedEntityAttributes: [tea('TeAttrib001'), tea('TeAttrib002')],
  programs: [program('ProgramA01x', { programStages: [{ id: 'PrgStageA01' }], programTrackedEntityAttributes: [{ trackedEntityAttribute: { id: 'TeAttrib001' } }] })],
  programStages: [stage('PrgStageA01', 'ProgramA01x', ['DataElemA01', 'DataElemB01'])],
});

describe('programs', () => {
  it('E6022 and E4023: a program that is its own related program; a related program on an event program', async () => {
    const r = await svc.run({
      programs: [program('ProgramA01x', { relatedProgram: { id: 'ProgramA01x' } }), program('ProgramB01x', { programType: 'WITHOUT_REGISTRATION', relatedProgram: { id: 'ProgramA01x' } }), program('ProgramC01x')],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message])).toEqual([
      ['E6022', 0, 'ProgramA01x', 'Object cannot reference itself by property `relatedProgram`'],
      ['E4023', 1, 'ProgramB01x', 'Property `relatedProgram` can not be set when property `programType` is `WITHOUT_REGISTRATION`'],
    ]);
    expect(r.stats('Program')).toEqual({ created: 1, updated: 0, ignored: 2, total: 3 });
  });

  it('E4075–E4080: category mappings (ids, names, option mappings)', async () => {
    const r = await svc.run({
      programs: [program('ProgramA01x', {
        categoryMappings: [
          { id: 'not-a-uid', categoryId: 'CategoryA01', mappingName: 'M1', optionMappings: [] },
          { id: 'MappingA001', categoryId: 'CategoryA01', mappingName: 'M2', optionMappings: [{ optionId: 'CatOption01' }, { optionId: 'CatOption01' }, { optionId: 'bad' }] },
          { id: 'MappingA001', categoryId: 'CategoryA01', mappingName: 'M2', optionMappings: [] },
        ],
      })],
    });
    expect(r.errors.map((e) => [e.errorCode, e.message])).toEqual([
      ['E4075', 'Program `ProgramA01x` has an invalid category mapping `not-a-uid`'],
      ['E4076', 'Program `ProgramA01x` has duplicate category mapping `MappingA001`'],
      ['E4077', 'Program `ProgramA01x` category `CategoryA01` has duplicate category mapping name `M2`'],
      ['E4079', 'Program `ProgramA01x` category mapping `MappingA001` has multiple option mappings for Category Option `CatOption01`'],
      // DHIS2's template prints the mapping id twice ({1} where {2} was meant)
      ['E4080', 'Program `ProgramA01x` category mapping `MappingA001` has an invalid option mapping `MappingA001`'],
    ]);
    expect(r.report.status).toBe('ERROR');
    expect(svc.stored('ProgramA01x')).toBeUndefined();
  });
});

describe('program stages', () => {
  it('E6001: a next-schedule-date data element not of the stage or not a DATE', async () => {
    const r = await svc.run({
      ...base(),
      programs: [program('ProgramA01x', { programStages: [{ id: 'PrgStageA01' }, { id: 'PrgStageB01' }, { id: 'PrgStageC01' }] })],
      programStages: [
        stage('PrgStageA01', 'ProgramA01x', ['DataElemA01', 'DataElemB01'], { nextScheduleDate: { id: 'DataElemB01' } }),
        stage('PrgStageB01', 'ProgramA01x', ['DataElemA01'], { nextScheduleDate: { id: 'DataElemA01' } }),
        stage('PrgStageC01', 'ProgramA01x', ['DataElemA01'], { nextScheduleDate: { id: 'DataElemB01' } }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message])).toEqual([
      ['E6001', 1, 'PrgStageB01', 'Program stage `PrgStageB01` has invalid next event scheduling property `DataElemA01`This property need to be data element of value type date and belong the program stage'],
      ['E6001', 2, 'PrgStageC01', 'Program stage `PrgStageC01` has invalid next event scheduling property `DataElemB01`This property need to be data element of value type date and belong the program stage'],
    ]);
    expect(r.stats('ProgramStage')).toEqual({ created: 1, updated: 0, ignored: 2, total: 3 });
  });

  it('E4053: a stage without a program that no program of the payload lists', async () => {
    const r = await svc.run({
      programs: [program('ProgramA01x', { programStages: [{ id: 'PrgStageA01' }] })],
      programStages: [stage('PrgStageA01', null, []), stage('PrgStageB01', null, [])],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message])).toEqual([['E4053', 'PrgStageB01', 'Program stage `PrgStageB01` must reference a program']]);
    expect(r.stats('ProgramStage')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });
});

describe('program rule variables', () => {
  const prv = (id: string, name: string, extra: Obj): Obj => ({ id, name, program: { id: 'ProgramA01x' }, ...extra });

  it('E4052, E4090, E4059, E4091, E4089, E4092: name keywords and the source type\'s required reference', async () => {
    const r = await svc.run({
      ...base(),
      programRuleVariables: [
        prv('PrVariabl01', 'age or weight', { programRuleVariableSourceType: 'CALCULATED_VALUE', valueType: 'NUMBER' }),
        prv('PrVariabl02', 'nosource', {}),
        prv('PrVariabl03', 'de', { programRuleVariableSourceType: 'DATAELEMENT_CURRENT_EVENT' }),
        prv('PrVariabl04', 'stage', { programRuleVariableSourceType: 'DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE', dataElement: { id: 'DataElemA01' } }),
        prv('PrVariabl05', 'attr', { programRuleVariableSourceType: 'TEI_ATTRIBUTE' }),
        prv('PrVariabl06', 'calc', { programRuleVariableSourceType: 'CALCULATED_VALUE' }),
        prv('PrVariabl07', 'fine', { programRuleVariableSourceType: 'TEI_ATTRIBUTE', trackedEntityAttribute: { id: 'TeAttrib001' } }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message])).toEqual([
      ['E4052', 0, 'PrVariabl01', 'For program rule variable with name `age or weight` following keywords are forbidden : and , or , not'],
      ['E4090', 1, 'PrVariabl02', 'ProgramRuleVariable `nosource` is missing a source type'],
      ['E4059', 2, 'PrVariabl03', 'ProgramRuleVariable `de` with source type `DATAELEMENT_CURRENT_EVENT` requires a data element'],
      ['E4091', 3, 'PrVariabl04', 'ProgramRuleVariable `stage` with source type `DATAELEMENT_NEWEST_EVENT_PROGRAM_STAGE` requires a program stage'],
      ['E4089', 4, 'PrVariabl05', 'ProgramRuleVariable `attr` with source type `TEI_ATTRIBUTE` requires a tracked entity attribute'],
      ['E4092', 5, 'PrVariabl06', 'ProgramRuleVariable `calc` with source type `CALCULATED_VALUE` requires a value type'],
    ]);
    expect(r.stats('ProgramRuleVariable')).toEqual({ created: 1, updated: 0, ignored: 6, total: 7 });
  });

  it('E4051: a stored variable of the program with the same name (updating that same variable is fine)', async () => {
    const v = prv('PrVariabl01', 'weight', { programRuleVariableSourceType: 'DATAELEMENT_CURRENT_EVENT', dataElement: { id: 'DataElemA01' } });
    await svc.run({ ...base(), programRuleVariables: [v] });
    const r = await svc.run({ programRuleVariables: [v, prv('PrVariabl02', 'weight', { programRuleVariableSourceType: 'CALCULATED_VALUE', valueType: 'NUMBER' })] }, NONE);
    const e4051 = r.errors.filter((e) => e.errorCode === 'E4051');
    expect(e4051.map((e) => [e.index, e.uid, e.mainKlass, e.message])).toEqual([
      [1, 'PrVariabl02', P + 'programrule.ProgramRuleVariable', 'A program rule variable with name `weight` and program uid `ProgramA01x` already exists'],
    ]);
    expect(r.stats('ProgramRuleVariable')).toEqual({ created: 0, updated: 1, ignored: 1, total: 2 });
  });
});

describe('program rules', () => {
  it('E4057: another stored rule of the program has the name (case-insensitive)', async () => {
    await svc.run({ ...base(), programRules: [{ id: 'PrgRuleA001', name: 'Check age', program: { id: 'ProgramA01x' } }] });
    const r = await svc.run({ programRules: [{ id: 'PrgRuleB001', name: 'CHECK AGE', program: { id: 'ProgramA01x' } }, { id: 'PrgRuleA001', name: 'Check age', program: { id: 'ProgramA01x' } }] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message])).toEqual([
      ['E4057', 0, 'PrgRuleB001', 'The Program Rule name CHECK AGE already exist in Program Program ProgramA01x'],
    ]);
    expect(r.stats('ProgramRule')).toEqual({ created: 0, updated: 1, ignored: 1, total: 2 });
  });
});

describe('program rule actions', () => {
  const rule = { id: 'PrgRuleA001', name: 'Rule A', program: { id: 'ProgramA01x' } };
  const action = (id: string, type: string, extra: Obj = {}): Obj => ({ id, programRuleActionType: type, programRule: { id: 'PrgRuleA001' }, ...extra });
  const run = (actions: Obj[], more: Record<string, Obj[]> = {}): ReturnType<typeof svc.run> => svc.run({ ...base(), programRules: [rule], programRuleActions: actions, ...more }, NONE);
  const codes = (r: Awaited<ReturnType<typeof svc.run>>): [string, string | undefined, string, string][] =>
    r.errors.map((e) => [e.errorCode, e.uid, e.mainKlass, e.message]);

  it('E4044–E4048: the data element or attribute of HIDEFIELD / SETMANDATORYFIELD / CREATEEVENT', async () => {
    const r = await run([
      action('PrAction001', 'HIDEFIELD'),
      action('PrAction002', 'HIDEFIELD', { dataElement: { id: 'DataElemZ99' } }),
      action('PrAction003', 'SETMANDATORYFIELD', { trackedEntityAttribute: { id: 'TeAttrib999' } }),
      action('PrAction004', 'HIDEFIELD', { dataElement: { id: 'DataElemC01' } }),
      action('PrAction005', 'CREATEEVENT', { trackedEntityAttribute: { id: 'TeAttrib002' } }),
      action('PrAction006', 'HIDEFIELD', { dataElement: { id: 'DataElemA01' } }),
    ]);
    expect(codes(r).filter((c) => c[0] !== 'E5002')).toEqual([
      ['E4044', 'PrAction001', P + 'dataelement.DataElement', 'DataElement or TrackedEntityAttribute cannot be null for program rule `Rule A`'],
      ['E4045', 'PrAction002', P + 'dataelement.DataElement', 'DataElement `DataElemZ99` associated with program rule `Rule A` does not exist'],
      ['E4046', 'PrAction003', P + 'trackedentity.TrackedEntityAttribute', 'TrackedEntityAttribute `TeAttrib999` associated with program rule `Rule A` does not exist'],
      ['E4047', 'PrAction004', P + 'dataelement.DataElement', 'DataElement `DataElemC01` is not linked to any ProgramStageDataElement for program rule `Rule A`'],
      ['E4048', 'PrAction005', P + 'trackedentity.TrackedEntityAttribute', 'TrackedEntityAttribute `TeAttrib002` is not linked to ProgramTrackedEntityAttribute for program rule `Rule A`'],
    ]);
    expect(r.stats('ProgramRuleAction')).toEqual({ created: 1, updated: 0, ignored: 5, total: 6 });
  });

  it('E4050: ASSIGN without a data element, an attribute or content', async () => {
    const r = await run([action('PrAction001', 'ASSIGN', { data: '1' }), action('PrAction002', 'ASSIGN', { content: '#{x}', data: '1' })]);
    expect(codes(r)).toEqual([['E4050', 'PrAction001', P + 'programrule.ProgramRuleAction', 'One of DataElement, TrackedEntityAttribute or ProgramRuleVariable is required for program rule `Rule A`']]);
  });

  it('E4034/E4035: SENDMESSAGE needs a notification template that exists', async () => {
    const r = await run(
      [action('PrAction001', 'SENDMESSAGE'), action('PrAction002', 'SCHEDULEMESSAGE', { templateUid: 'NotifTmpl99' }), action('PrAction003', 'SENDMESSAGE', { templateUid: 'NotifTmpl01' })],
      { programNotificationTemplates: [{ id: 'NotifTmpl01', name: 'Template' }] },
    );
    expect(codes(r)).toEqual([
      ['E4035', 'PrAction001', P + 'program.notification.ProgramNotificationTemplate', 'ProgramNotificationTemplate cannot be null for program rule name `Rule A`'],
      ['E4034', 'PrAction002', P + 'program.notification.ProgramNotificationTemplate', 'ProgramNotificationTemplate `NotifTmpl99` associated with program rule name `Rule A` does not exist'],
    ]);
  });

  it('E4036/E4037 (HIDESECTION), E4038/E4039 (HIDEPROGRAMSTAGE) and E4058 (references the type does not use)', async () => {
    const r = await run(
      [
        action('PrAction001', 'HIDESECTION'),
        action('PrAction002', 'HIDESECTION', { programStageSection: { id: 'PsSection99' } }),
        action('PrAction003', 'HIDESECTION', { programStageSection: { id: 'PsSection01' }, dataElement: { id: 'DataElemA01' } }),
        action('PrAction004', 'HIDEPROGRAMSTAGE'),
        action('PrAction005', 'HIDEPROGRAMSTAGE', { programStage: { id: 'PrgStage999' } }),
        action('PrAction006', 'HIDEPROGRAMSTAGE', { programStage: { id: 'PrgStageA01' } }),
      ],
      { programStageSections: [{ id: 'PsSection01', name: 'Section', programStage: { id: 'PrgStageA01' } }] },
    );
    expect(codes(r).filter((c) => c[0] !== 'E5002')).toEqual([
      ['E4036', 'PrAction001', P + 'program.ProgramStageSection', 'ProgramStageSection cannot be null for program rule `Rule A`'],
      ['E4037', 'PrAction002', P + 'program.ProgramStageSection', 'ProgramStageSection `PsSection99` associated with program rule `Rule A` does not exist'],
      ['E4058', 'PrAction003', P + 'option.Option', 'Program Rule `Rule A` with Action Type `HIDESECTION` has irrelevant reference objects'],
      ['E4038', 'PrAction004', P + 'program.ProgramStage', 'ProgramStage cannot be null for program rule `Rule A`'],
      ['E4039', 'PrAction005', P + 'program.ProgramStage', 'ProgramStage `PrgStage999` associated with program rule `Rule A` does not exist'],
    ]);
    expect(r.stats('ProgramRuleAction')).toEqual({ created: 1, updated: 0, ignored: 5, total: 6 });
  });

  it('E4040/E4041 (HIDEOPTION) and E4043 (SHOWOPTIONGROUP)', async () => {
    const r = await run(
      [
        action('PrAction001', 'HIDEOPTION', { dataElement: { id: 'DataElemA01' } }),
        action('PrAction002', 'HIDEOPTION', { dataElement: { id: 'DataElemA01' }, option: { id: 'OptionZzz99' } }),
        action('PrAction003', 'SHOWOPTIONGROUP', { dataElement: { id: 'DataElemA01' }, optionGroup: { id: 'OptGroup999' } }),
        action('PrAction004', 'HIDEOPTIONGROUP', { dataElement: { id: 'DataElemA01' } }),
        action('PrAction005', 'HIDEOPTION', { dataElement: { id: 'DataElemA01' }, option: { id: 'OptionAaa01' } }),
      ],
      { optionSets: [{ id: 'OptionSet01', name: 'Set', valueType: 'TEXT', options: [{ id: 'OptionAaa01' }] }], options: [{ id: 'OptionAaa01', name: 'A', code: 'A', optionSet: { id: 'OptionSet01' } }] },
    );
    expect(codes(r).filter((c) => c[0] !== 'E5002')).toEqual([
      ['E4040', 'PrAction001', P + 'option.Option', 'Option cannot be null for program rule `Rule A`'],
      ['E4041', 'PrAction002', P + 'option.Option', 'Option `OptionZzz99` associated with program rule `Rule A` does not exist'],
      ['E4043', 'PrAction003', P + 'option.Option', 'OptionGroup `OptGroup999` associated with program rule `Rule A` does not exist'],
      ['E4040', 'PrAction004', P + 'option.Option', 'Option cannot be null for program rule `Rule A`'],
    ]);
    expect(svc.stored('PrAction005')).toBeDefined();
  });

  it('E4038/E4083/E4084: SCHEDULEEVENT needs a stage of a tracker program', async () => {
    const more = {
      programs: [
        program('ProgramA01x', { programStages: [{ id: 'PrgStageA01' }], programTrackedEntityAttributes: [{ trackedEntityAttribute: { id: 'TeAttrib001' } }] }),
        program('ProgramB01x', { programType: 'WITHOUT_REGISTRATION', programStages: [{ id: 'PrgStageB01' }] }),
      ],
      programStages: [stage('PrgStageA01', 'ProgramA01x', ['DataElemA01']), stage('PrgStageB01', 'ProgramB01x', ['DataElemA01'])],
      programRules: [rule, { id: 'PrgRuleB001', name: 'Rule B', program: { id: 'ProgramB01x' } }],
    };
    const r = await run(
      [
        action('PrAction001', 'SCHEDULEEVENT'),
        { ...action('PrAction002', 'SCHEDULEEVENT', { programStage: { id: 'PrgStageB01' } }), programRule: { id: 'PrgRuleB001' } },
        action('PrAction003', 'SCHEDULEEVENT', { programStage: { id: 'PrgStageB01' } }),
        action('PrAction004', 'SCHEDULEEVENT', { programStage: { id: 'PrgStageA01' } }),
      ],
      more,
    );
    expect(codes(r)).toEqual([
      ['E4038', 'PrAction001', P + 'program.ProgramStage', 'ProgramStage cannot be null for program rule `PrgRuleA001`'],
      ['E4083', 'PrAction002', P + 'program.Program', 'ProgramRule `PrgRuleB001` must be associated with a Tracker Program (a program with registration)'],
      ['E4084', 'PrAction003', P + 'program.ProgramStage', 'ProgramStage `PrgStageB01` is not part of Program `ProgramA01x`'],
    ]);
    expect(r.stats('ProgramRuleAction')).toEqual({ created: 1, updated: 0, ignored: 3, total: 4 });
  });

  it('atomic mode ALL: one bad action and nothing is written', async () => {
    const r = await svc.run({ ...base(), programRules: [rule], programRuleActions: [action('PrAction001', 'HIDEFIELD')] });
    expect(r.report.status).toBe('ERROR');
    expect(r.errors.map((e) => e.errorCode)).toEqual(['E4044']);
    expect(svc.stored('ProgramA01x')).toBeUndefined();
    expect(svc.count('programRules')).toBe(0);
  });
});
