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
