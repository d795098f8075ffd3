/**
 * The remaining object bundle hooks of the metadata import, through the real metadata import service: job
 * configurations (E7003, E7004, E7005, E7007, E7000), each with DHIS2's message, the object's uid, and the type's
 * counts; and Spring's cron expression grammar as DHIS2 accepts it.
 */
import { describe, expect, it } from 'vitest';
import { isValidCronExpression } from '../../src-main/importers/metadata/checks/cron-expression.ts';
import { useMetadataService } from '../helpers/metadata-service.ts';

type Obj = Record<string, unknown>;
const svc = useMetadataService();
const NONE = { atomicMode: 'NONE' };
const JC = 'org.hisp.dhis.scheduling.JobConfiguration';

const job = (id: string, jobType: string, extra: Obj = {}): Obj => ({ id, name: `Job ${id}`, jobType, ...extra });

describe('cron expressions as Spring CronExpression parses them', () => {
  it('accepts six-field crons, macros, names, steps, ranges and Quartz day forms', () => {
    for (const e of [
      '0 0 2 ? * *', '0 0 1 * * *', ' 0  0 1 * * * ', '*/15 * * * * *', '0 0-30/5 8-17 * * MON-FRI', '0 0 12 1,15 JAN,jul *',
      '0 0 0 L * *', '0 0 0 L-3 * *', '0 0 0 LW * *', '0 0 0 15W * *', '0 0 0 ? * 5L', '0 0 0 ? * MON#2', '0 0 0 ? * 0',
      '0 0 0 ? * 7', '0 0 0 ? * 7-2', '0 0 0 ? * sun', '0 0 0 1,L * *', '0 0 0 ? * 1,5L', '@daily', '@HOURLY', ' @yearly ',
      '5 0/10 * * * *', '+5 * * * * *',
    ]) expect(isValidCronExpression(e), e).toBe(true);
  });

  it('refuses the rest: five or seven fields, out-of-range values, zero steps, empty list items, misplaced Quartz forms', () => {
    for (const e of [
      null, '', '   ', '0 0 * * *', '0 0 0 * * * 2020', '60 * * * * *', '* 60 * * * *', '* * 24 * * *', '* * * 0 * *',
      '* * * 32 * *', '* * * * 0 *', '* * * * 13 *', '* * * * * 8', '*/0 * * * * *', '5-1 * * * * *', '1, * * * * *',
      '? * * * * *', '* * * * ? *', '0 0 0 L3 * *', '0 0 0 W * *', '0 0 0 1W2 * *', '0 0 0 l * *', '0 0 0 ? * L',
      '0 0 0 ? * 1#0', '0 0 0 ? * #1', '0 0 0 ? * 8L', '@every', 'a b c d e f', '0\t0 * * * *', '-1 * * * * *',
    ]) expect(isValidCronExpression(e), String(e)).toBe(false);
  });
});

describe('JobConfigurationObjectBundleHook', () => {
  it('E7004 / E7007: CRON without a cron expression, FIXED_DELAY without a delay; valid jobs are created', async () => {
    const r = await svc.run({
      jobConfigurations: [
        job('JobCron0001', 'RESOURCE_TABLE', { schedulingType: 'CRON' }),
        job('JobDelay001', 'RESOURCE_TABLE', { schedulingType: 'FIXED_DELAY' }),
        job('JobGood0001', 'RESOURCE_TABLE', { cronExpression: '0 0 3 ? * *' }),
        job('JobGood0002', 'DATA_STATISTICS', { delay: 60 }),
        job('JobGood0003', 'PROGRAM_NOTIFICATIONS'),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.mainKlass, e.args])).toEqual([
      ['E7004', 'JobCron0001', 'Cron expression must be not null for job with scheduling type CRON: `JobCron0001`', JC, ['JobCron0001']],
      ['E7007', 'JobDelay001', 'Delay must be not null for job with scheduling type FIXED_DELAY: `JobDelay001`', JC, ['JobDelay001']],
    ]);
    expect(r.stats('JobConfiguration')).toEqual({ created: 3, updated: 0, ignored: 2, total: 5 });
    expect(svc.stored('JobCron0001')).toBeUndefined();
    expect(svc.stored('JobGood0001')).toBeDefined();
  });

  it('E7005: an invalid cron expression (DHIS2 gives no argument: the message keeps its placeholder)', async () => {
    const r = await svc.run({ jobConfigurations: [job('JobBadCron1', 'RESOURCE_TABLE', { cronExpression: '0 0 3 * *' }), job('JobBadCron2', 'RESOURCE_TABLE', { cronExpression: '0 0 25 * * *' })] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.args])).toEqual([
      ['E7005', 'JobBadCron1', 'Cron expression is invalid: `{0}`', []],
      ['E7005', 'JobBadCron2', 'Cron expression is invalid: `{0}`', []],
    ]);
    expect(r.stats('JobConfiguration')).toEqual({ created: 0, updated: 0, ignored: 2, total: 2 });
  });

  it('E7000: a stored job of the same type already runs on that cron expression (another type or the same job do not count)', async () => {
    await svc.run({ jobConfigurations: [job('JobStored01', 'RESOURCE_TABLE', { cronExpression: '0 0 3 ? * *' })] });
    const r = await svc.run({
      jobConfigurations: [
        job('JobSame0001', 'RESOURCE_TABLE', { cronExpression: '0 0 3 ? * *' }),
        job('JobOther001', 'DATA_STATISTICS', { cronExpression: '0 0 3 ? * *' }),
        job('JobStored01', 'RESOURCE_TABLE', { name: 'Renamed', cronExpression: '0 0 3 ? * *' }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.args])).toEqual([
      ['E7000', 'JobSame0001', 'Job of same type already scheduled with cron expression: `0 0 3 ? * *`', ['0 0 3 ? * *']],
    ]);
    expect(r.stats('JobConfiguration')).toEqual({ created: 1, updated: 1, ignored: 1, total: 3 });
  });

  it('E7003: a stored non-configurable job updated with more than its schedule; a schedule-only update passes', async () => {
    await svc.run({ jobConfigurations: [job('DHIS2rocks1', 'HOUSEKEEPING', { delay: 20 }), job('JobHouse002', 'HOUSEKEEPING', { cronExpression: '0 0 1 ? * *' })] });
    const r = await svc.run({
      jobConfigurations: [
        job('DHIS2rocks1', 'HOUSEKEEPING', { delay: 20, enabled: false }),
        job('JobHouse002', 'HOUSEKEEPING', { cronExpression: '0 30 1 ? * *' }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.args])).toEqual([
      ['E7003', 'DHIS2rocks1', 'Only interval property can be configured for non configurable job type: `HOUSEKEEPING`', ['HOUSEKEEPING']],
    ]);
    expect(r.stats('JobConfiguration')).toEqual({ created: 0, updated: 1, ignored: 1, total: 2 });
    expect(svc.stored('JobHouse002')).toMatchObject({ cronExpression: '0 30 1 ? * *' });
  });
});

const P = 'org.hisp.dhis.';
const de = (id: string, valueType: string, extra: Obj = {}): Obj => ({ id, name: id, shortName: id, valueType, domainType: 'TRACKER', aggregationType: 'NONE', ...extra });
const tea = (id: string, valueType: string, extra: Obj = {}): Obj => ({ id, name: id, shortName: id, valueType, aggregationType: 'NONE', ...extra });
const rt = (mobile: unknown, desktop?: unknown): Obj => ({ MOBILE: mobile, ...(desktop === undefined ? {} : { DESKTOP: desktop }) });

describe('ProgramStageDataElementObjectBundleHook / ProgramTrackedEntityAttributeObjectBundleHook: render types', () => {
  const model = (): Record<string, Obj[]> => ({
    optionSets: [{ id: 'OptSetA0001', name: 'Options', valueType: 'TEXT' }],
    dataElements: [de('DataElemNum', 'NUMBER'), de('DataElemTxt', 'TEXT'), de('DataElemOpt', 'TEXT', { optionSet: { id: 'OptSetA0001' } }), de('DataElemBoo', 'BOOLEAN')],
    trackedEntityAttributes: [tea('TeAttrNum01', 'INTEGER'), tea('TeAttrTxt01', 'TEXT'), tea('TeAttrImg01', 'IMAGE')],
    programs: [{ id: 'ProgramA01x', name: 'Program A', shortName: 'A', programType: 'WITH_REGISTRATION', programStages: [{ id: 'PrgStageA01' }] }],
    programStages: [{ id: 'PrgStageA01', name: 'Stage A', program: { id: 'ProgramA01x' } }],
  });
  const psde = (id: string, d: string, renderType: Obj): Obj => ({ id, programStage: { id: 'PrgStageA01' }, dataElement: { id: d }, renderType });
  const ptea = (id: string, a: string, renderType: Obj): Obj => ({ id, program: { id: 'ProgramA01x' }, trackedEntityAttribute: { id: a }, renderType });

  it('E4017: a stage data element rendered in a way its value type does not support; E4011 for an entry without a type', async () => {
    expect((await svc.run(model())).report.status).toBe('OK');
    const r = await svc.run({
      programStageDataElements: [
        psde('PsdeGood001', 'DataElemNum', rt({ type: 'SLIDER' }, { type: 'DEFAULT' })),
        psde('PsdeBad0001', 'DataElemNum', rt({ type: 'VALUE' }, { type: 'TOGGLE' })),
        psde('PsdeBad0002', 'DataElemTxt', rt({ type: 'CANVAS' })),
        psde('PsdeBad0003', 'DataElemOpt', rt({ type: 'DROPDOWN' })),
        psde('PsdeGood002', 'DataElemOpt', rt({ type: 'DEFAULT' })),
        psde('PsdeGood003', 'DataElemBoo', rt({ type: 'HORIZONTAL_CHECKBOXES' })),
        psde('PsdeBad0004', 'DataElemBoo', rt({})),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.mainKlass, e.args])).toEqual([
      ['E4017', 'PsdeBad0001', 'RenderingType `TOGGLE` is not supported for ValueType `NUMBER`', P + 'program.ProgramStageDataElement', ['TOGGLE', 'NUMBER']],
      ['E4017', 'PsdeBad0002', 'RenderingType `CANVAS` is not supported for ValueType `TEXT`', P + 'program.ProgramStageDataElement', ['CANVAS', 'TEXT']],
      // an option set with a value type: DHIS2's rendering table lists option-set elements only without one
      ['E4017', 'PsdeBad0003', 'RenderingType `DROPDOWN` is not supported for ValueType `TEXT`', P + 'program.ProgramStageDataElement', ['DROPDOWN', 'TEXT']],
      ['E4011', 'PsdeBad0004', 'Attribute `renderType.type` is required, but no value was found', P + 'program.ProgramStageDataElement', ['renderType.type']],
    ]);
    expect(r.stats('ProgramStageDataElement')).toEqual({ created: 3, updated: 0, ignored: 4, total: 7 });
    expect(svc.stored('PsdeGood001')).toBeDefined();
    expect(svc.stored('PsdeBad0001')).toBeUndefined();
  });

  it('E4020: a program attribute rendered in a way its value type does not support (DHIS2 words it as an attribute pattern)', async () => {
    const r = await svc.run({
      ...model(),
      programTrackedEntityAttributes: [
        ptea('PteaGood001', 'TeAttrNum01', rt({ type: 'SPINNER' })),
        ptea('PteaBad0001', 'TeAttrTxt01', rt({ type: 'QR_CODE' }, { type: 'SLIDER' })),
        ptea('PteaBad0002', 'TeAttrImg01', rt({ type: 'VALUE' }, { type: 'DROPDOWN' })),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.mainKlass, e.args])).toEqual([
      ['E4020', 'PteaBad0001', 'The value `SLIDER` does not conform to the attribute pattern `TEXT`', P + 'program.ProgramTrackedEntityAttribute', ['SLIDER', 'TEXT']],
      ['E4020', 'PteaBad0002', 'The value `VALUE` does not conform to the attribute pattern `IMAGE`', P + 'program.ProgramTrackedEntityAttribute', ['VALUE', 'IMAGE']],
      ['E4020', 'PteaBad0002', 'The value `DROPDOWN` does not conform to the attribute pattern `IMAGE`', P + 'program.ProgramTrackedEntityAttribute', ['DROPDOWN', 'IMAGE']],
    ]);
    expect(r.stats('ProgramTrackedEntityAttribute')).toEqual({ created: 1, updated: 0, ignored: 2, total: 3 });
    expect(r.stats('Program')).toMatchObject({ created: 1, ignored: 0 });
  });
});

describe('AnalyticsTableHookObjectBundleHook', () => {
  const hook = (id: string, name: string, extra: Obj = {}): Obj => ({ id, name, phase: 'RESOURCE_TABLE_POPULATED', resourceTableType: 'ORG_UNIT_STRUCTURE', sql: 'update x set y = 1', ...extra });

  it('E6400: a hook equal to a stored one (phase, resource table type, analytics table type, SQL); other SQL, the same hook or two new ones pass', async () => {
    await svc.run({ analyticsTableHooks: [hook('AnHookOld01', 'Stored hook')] });
    const r = await svc.run({
      analyticsTableHooks: [
        hook('AnHookDup01', 'Copy'),
        hook('AnHookOther', 'Other SQL', { sql: 'update x set y = 2' }),
        hook('AnHookOld01', 'Stored hook renamed'),
        hook('AnHookNew01', 'New A', { resourceTableType: 'DATA_SET_ORG_UNIT_CATEGORY' }),
        hook('AnHookNew02', 'New B', { resourceTableType: 'DATA_SET_ORG_UNIT_CATEGORY' }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.mainKlass, e.args])).toEqual([
      ['E6400', 'AnHookDup01', 'Analytics table hook `Copy` is a duplicate of `Stored hook`', P + 'analytics.AnalyticsTableHook', ['Copy', 'Stored hook']],
    ]);
    expect(r.stats('AnalyticsTableHook')).toEqual({ created: 3, updated: 1, ignored: 1, total: 5 });
    expect(svc.stored('AnHookDup01')).toBeUndefined();
  });
});
