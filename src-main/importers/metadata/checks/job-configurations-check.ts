/**
 * Job configurations (dhis2-core master JobConfigurationObjectBundleHook#validate), in DHIS2's order:
 *  - E7003 an update of a stored job of a non-configurable type (MOCK and the types after it in JobType: the
 *    programmatic and system jobs) that changes more than its schedule: another job type, job status (read-only in
 *    the payload, so the one derived from the scheduling type), job parameters (DHIS2 compares the objects by
 *    reference: a change whenever either side has any) or `enabled`. Without such a change the stored job is
 *    validated with the payload's cron expression; a stored configurable job lends its job type to the payload's.
 *  - E7004 scheduling type CRON without a cron expression; E7005 a cron expression Spring's CronExpression does not
 *    parse (DHIS2 gives no argument, so the message keeps its `{0}`); E7007 scheduling type FIXED_DELAY without a
 *    delay. The scheduling type is the one given, else CRON with a cron expression, else FIXED_DELAY with a delay,
 *    else ONCE_ASAP.
 *  - E7000 a stored job of the same type (another uid) scheduled with the same cron expression.
 * E4029 (a job type needing parameters, none given) cannot happen: DHIS2 fills in the type's default parameters just
 * before it checks. The job type's own parameter validation (JobParameters#validate) is not done here. A payload
 * without a known job type is left to the other checks (DHIS2 cannot read it).
 */
import type { Bundle } from '../bundle.ts';
import { isObj, str } from '../objects.ts';
import type { Obj } from '../types.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { isValidCronExpression } from './cron-expression.ts';
import { fmt, hookError, klassOf, storedOf } from './hook-support.ts';

const M = {
  E7000: 'Job of same type already scheduled with cron expression: `{0}`',
  E7003: 'Only interval property can be configured for non configurable job type: `{0}`',
  E7004: 'Cron expression must be not null for job with scheduling type CRON: `{0}`',
  E7005: 'Cron expression is invalid: `{0}`',
  E7007: 'Delay must be not null for job with scheduling type FIXED_DELAY: `{0}`',
} as const;

/** dhis2-core master's JobType, in declaration order; true: the type has a parameters class. */
const JOB_TYPES: readonly (readonly [string, boolean])[] = [
  ['DATA_INTEGRITY', true], ['DATA_INTEGRITY_DETAILS', true], ['RESOURCE_TABLE', false], ['ANALYTICS_TABLE', true],
  ['CONTINUOUS_ANALYTICS_TABLE', true], ['SINGLE_EVENT_DATA_SYNC', true], ['TRACKED_ENTITY_DATA_SYNC', true],
  ['DATA_SYNC', true], ['META_DATA_SYNC', true], ['AGGREGATE_DATA_EXCHANGE', true], ['SEND_SCHEDULED_MESSAGE', false],
  ['PROGRAM_NOTIFICATIONS', false], ['MONITORING', true], ['HTML_PUSH_ANALYTICS', true],
  ['TRACKER_TRIGRAM_INDEX_MAINTENANCE', true], ['PREDICTOR', true], ['MATERIALIZED_SQL_VIEW_UPDATE', true],
  ['DISABLE_INACTIVE_USERS', true], ['TEST', true], ['LOCK_EXCEPTION_CLEANUP', true],
  ['MOCK', true], ['SMS_SEND', true], ['SMS_INBOUND_PROCESSING', true], ['TRACKER_IMPORT_JOB', false],
  ['TRACKER_IMPORT_NOTIFICATION_JOB', false], ['TRACKER_IMPORT_RULE_ENGINE_JOB', false], ['IMAGE_PROCESSING', false],
  ['COMPLETE_DATA_SET_REGISTRATION_IMPORT', false], ['DATAVALUE_IMPORT_INTERNAL', false], ['METADATA_IMPORT', false],
  ['DATAVALUE_IMPORT', true], ['GEOJSON_IMPORT', true], ['GML_IMPORT', false],
  ['HOUSEKEEPING', false], ['DATA_VALUE_TRIM', false], ['DATA_SET_NOTIFICATION', false], ['CREDENTIALS_EXPIRY_ALERT', false],
  ['DATA_STATISTICS', false], ['FILE_RESOURCE_CLEANUP', false], ['ACCOUNT_EXPIRY_ALERT', false],
  ['VALIDATION_RESULTS_NOTIFICATION', false], ['REMOVE_USED_OR_EXPIRED_RESERVED_VALUES', false], ['SYSTEM_VERSION_UPDATE_CHECK', false],
];
const ORDINAL = new Map(JOB_TYPES.map(([t], i) => [t, i]));
const HAS_PARAMETERS = new Map(JOB_TYPES);
const MOCK = ORDINAL.get('MOCK')!;
const isConfigurable = (jobType: string): boolean => ORDINAL.get(jobType)! < MOCK;

/** A job configuration as the hook reads it. */
interface Job {
  uid: string | undefined;
  jobType: string;
  cronExpression: string | null;
  delay: unknown;
  schedulingType: string | null;
  enabled: boolean;
  jobParameters: unknown;
}

function jobOf(o: Obj, jobType: string): Job {
  return {
    uid: str(o.id),
    jobType,
    cronExpression: typeof o.cronExpression === 'string' ? o.cronExpression : null,
    delay: o.delay ?? null,
    schedulingType: typeof o.schedulingType === 'string' ? o.schedulingType : null,
    enabled: o.enabled !== false,
    jobParameters: o.jobParameters ?? null,
  };
}

/** JobConfiguration#getSchedulingType. */
function schedulingType(j: Job): string {
  if (j.schedulingType != null) return j.schedulingType;
  if (j.cronExpression != null) return 'CRON';
  if (j.delay != null) return 'FIXED_DELAY';
  return 'ONCE_ASAP';
}

/** JobConfiguration#getJobStatus with no stored status (the payload cannot set it). */
const jobStatus = (j: Job): string => (schedulingType(j) === 'ONCE_ASAP' ? 'NOT_STARTED' : 'SCHEDULED');

/** JobConfiguration#hasNonConfigurableJobChanges (stored job against the payload's). */
function hasNonConfigurableJobChanges(stored: Job, payload: Job): boolean {
  // the stored job carries its type's default parameters (preCreate); DHIS2 compares parameter objects by reference
  const storedParams = stored.jobParameters != null || HAS_PARAMETERS.get(stored.jobType) === true;
  return stored.jobType !== payload.jobType || jobStatus(stored) !== jobStatus(payload)
    || storedParams || payload.jobParameters != null || stored.enabled !== payload.enabled;
}

function jobConfigurationsHook(b: Bundle): void {
  const items = b.live('jobConfigurations');
  if (!items.length) return;
  const K = klassOf('jobConfigurations');
  let all: Job[] | null = null;
  const storedJobs = (): Job[] => {
    all ??= [...b.repo.iterate('jobConfigurations')].flatMap((s) => {
      const t = str(s.json.jobType);
      return t && ORDINAL.has(t) ? [jobOf({ ...s.json, id: s.uid }, t)] : [];
    });
    return all;
  };
  for (const it of items) {
    const o = it.obj;
    const type = str(o.jobType);
    if (!type || !ORDINAL.has(type)) continue;
    const err = (code: keyof typeof M, args: unknown[]): void => hookError(b, it, K, code, fmt(M[code], ...args), args);
    const payload = jobOf(o, type);
    const st = storedOf(b, it);
    const storedType = st && isObj(st) ? str(st.jobType) : undefined;
    const persisted = st && storedType && ORDINAL.has(storedType) ? jobOf({ ...st, id: it.existing!.uid }, storedType) : null;
    let temp = payload;
    if (persisted && !isConfigurable(persisted.jobType) && !hasNonConfigurableJobChanges(persisted, payload)) {
      temp = { ...persisted, cronExpression: payload.cronExpression };
    } else {
      if (persisted && !isConfigurable(persisted.jobType)) err('E7003', [payload.jobType]);
      if (persisted) temp = { ...payload, jobType: persisted.jobType };
    }
    const scheduling = schedulingType(temp);
    if (scheduling === 'CRON') {
      if (temp.cronExpression == null) err('E7004', [temp.uid]);
      else if (!isValidCronExpression(temp.cronExpression)) err('E7005', []);
    }
    if (scheduling === 'FIXED_DELAY' && temp.delay == null) err('E7007', [temp.uid]);
    for (const other of storedJobs()) {
      if (other.jobType !== temp.jobType || other.uid === temp.uid) continue;
      if (other.cronExpression && other.cronExpression === temp.cronExpression) err('E7000', [other.cronExpression]);
    }
  }
}

export const jobConfigurationsCheck: MetadataCheck = {
  name: 'JobConfigurationsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run: jobConfigurationsHook,
};
