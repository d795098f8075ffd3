/**
 * AggregateDataExchangeObjectBundleHook.validate (dhis2-core master), in its order:
 *  - source: E6302 no source request; per request E4000 `source.name` empty, E4001 `source.name` over 50 characters,
 *    E6303 no data item, period or org unit, E6307 a data item of a type an exchange cannot read (with the default
 *    UID input id scheme: reporting rates `dataSet.METRIC`, program data elements / attributes `program.item`; the
 *    lookup is in the database, as DHIS2's DimensionService does), E6306 periods of more than one period type (ISO
 *    periods and relative periods; the first offending period is named);
 *  - target: E4000 `target.type` absent, E6304 an EXTERNAL target without `api`, E4000 `target.api.url` empty,
 *    E6305 a new exchange whose api has neither an access token nor a username and a password.
 * A payload without `source` or `target` fails SchemaCheck (E4000), not here.
 */
import { parsePeriod } from '../../../../src-shared/dhis2/period.ts';
import type { Bundle, Item } from '../bundle.ts';
import { isObj } from '../objects.ts';
import type { Obj } from '../types.ts';
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import { fmt, hookError, javaList, klassOf } from './hook-support.ts';

const M = {
  E6302: 'Aggregate data exchange must specify at least one source request: `{0}`',
  E4000: 'Missing required property `{0}`',
  E4001: 'Maximum length of property `{0}`is {1}, but given length was {2}',
  E6303: 'Aggregate data exchange source request must contain at least one data item, one period and one org unit',
  E6304: 'Aggregate data exchange target API must be specified when target type is EXTERNAL',
  E6305: 'Aggregate data exchange target API must specify either access token or username and password',
  E6306: 'Aggregate data exchange source using periods of different types: `{0}` ({1}) vs `{2}`',
  E6307: 'Aggregate data exchange source request contains data item with unsupported type: `{0}`, allowed types are: {1}',
} as const;
type Code = keyof typeof M;

const NAME_MAX = 50;
const ALLOWED = ['DATA_ELEMENT', 'DATA_ELEMENT_OPERAND', 'INDICATOR', 'PROGRAM_INDICATOR'];
const REPORTING_METRICS = new Set(['REPORTING_RATE', 'REPORTING_RATE_ON_TIME', 'ACTUAL_REPORTS', 'ACTUAL_REPORTS_ON_TIME', 'EXPECTED_REPORTS']);

/** The period type of the first period a relative period gives (weeks start on Monday, financial years in October). */
const RELATIVE: Record<string, string> = {};
for (const [type, names] of Object.entries({
  Daily: 'TODAY YESTERDAY LAST_3_DAYS LAST_7_DAYS LAST_14_DAYS LAST_30_DAYS LAST_60_DAYS LAST_90_DAYS LAST_180_DAYS',
  Monthly: 'THIS_MONTH LAST_MONTH MONTHS_THIS_YEAR MONTHS_LAST_YEAR LAST_12_MONTHS LAST_6_MONTHS LAST_3_MONTHS',
  BiMonthly: 'THIS_BIMONTH LAST_BIMONTH BIMONTHS_THIS_YEAR LAST_6_BIMONTHS',
  Quarterly: 'THIS_QUARTER LAST_QUARTER QUARTERS_THIS_YEAR QUARTERS_LAST_YEAR LAST_4_QUARTERS',
  SixMonthly: 'THIS_SIX_MONTH LAST_SIX_MONTH LAST_2_SIXMONTHS',
  Weekly: 'WEEKS_THIS_YEAR THIS_WEEK LAST_WEEK LAST_4_WEEKS LAST_12_WEEKS LAST_52_WEEKS',
  BiWeekly: 'THIS_BIWEEK LAST_BIWEEK LAST_4_BIWEEKS',
  Yearly: 'THIS_YEAR LAST_YEAR LAST_5_YEARS LAST_10_YEARS',
  FinancialOct: 'THIS_FINANCIAL_YEAR LAST_FINANCIAL_YEAR LAST_5_FINANCIAL_YEARS LAST_10_FINANCIAL_YEARS',
})) for (const n of names.split(' ')) RELATIVE[n] = type;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const blank = (v: unknown): boolean => typeof v !== 'string' || v.trim() === '';

/** The stored type of each uid the data items name (one batch). */
function storedTypes(b: Bundle, exchanges: Item[]): Map<string, string> {
  const uids = new Set<string>();
  for (const it of exchanges) {
    const reqs = isObj(it.obj.source) && Array.isArray(it.obj.source.requests) ? it.obj.source.requests : [];
    for (const r of reqs) if (isObj(r)) for (const d of strings(r.dx)) for (const part of d.split('.')) uids.add(part);
  }
  const m = new Map<string, string>();
  if (uids.size) for (const r of b.repo.preheatByUids({ translations: false, sharing: false, jsonTypes: [] }, [...uids])) m.set(r.uid, r.type);
  return m;
}

/** The dimension item type of a data item as DHIS2 resolves it by uid, when it is one an exchange cannot read. */
function refusedType(item: string, types: Map<string, string>): string | null {
  const [a, b2, c] = item.split('.');
  if (!a || !b2 || c !== undefined) return null;
  const ta = types.get(a);
  if (ta === 'dataSets' && REPORTING_METRICS.has(b2)) return 'REPORTING_RATE';
  if (ta === 'programs') {
    const tb = types.get(b2);
    if (tb === 'dataElements') return 'PROGRAM_DATA_ELEMENT';
    if (tb === 'trackedEntityAttributes') return 'PROGRAM_ATTRIBUTE';
  }
  return null;
}

export const aggregateDataExchangesCheck: MetadataCheck = {
  name: 'AggregateDataExchangesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const live = b.live('aggregateDataExchanges').filter((it) => isObj(it.obj.source) && isObj(it.obj.target));
    if (!live.length) return;
    const K = klassOf('aggregateDataExchanges');
    const types = storedTypes(b, live);
    for (const it of live) {
      const err = (code: Code, args: unknown[], prop?: string): void => hookError(b, it, K, code, fmt(M[code], ...args), args, prop ? { errorProperty: prop } : {});
      const source = it.obj.source as Obj;
      const target = it.obj.target as Obj;
      const requests = (Array.isArray(source.requests) ? source.requests : []).filter(isObj);
      if (!requests.length) err('E6302', [it.obj.id], 'source.requests');
      for (const r of requests) {
        if (typeof r.name !== 'string' || r.name === '') err('E4000', ['source.name'], 'source.name');
        if (typeof r.name === 'string' && r.name.length > NAME_MAX) err('E4001', ['source.name', NAME_MAX, r.name.length], 'source.name');
        const dx = strings(r.dx);
        const pe = strings(r.pe);
        if (!dx.length || !pe.length || !strings(r.ou).length) err('E6303', []);
        const scheme = typeof r.inputIdScheme === 'string' ? r.inputIdScheme.toUpperCase() : 'UID';
        if (scheme === 'UID') {
          for (const d of dx) {
            const t = refusedType(d, types);
            if (t) err('E6307', [t, javaList(ALLOWED)], 'source.requests.dx');
          }
        }
        let first: { period: string; type: string } | null = null;
        for (const p of pe) {
          const type = RELATIVE[p] ?? parsePeriod(p)?.type ?? null;
          if (!type) continue;
          if (!first) first = { period: p, type };
          else if (type !== first.type) {
            err('E6306', [first.period, first.type, p], 'source.requests.pe');
            break;
          }
        }
      }
      if (target.type == null) err('E4000', ['target.type'], 'target.type');
      const api = isObj(target.api) ? target.api : null;
      if (target.type === 'EXTERNAL' && !api) err('E6304', [], 'target.api');
      if (api && (typeof api.url !== 'string' || api.url === '')) err('E4000', ['target.api.url'], 'target.api.url');
      if (!it.existing && api && !(!blank(api.accessToken) || (!blank(api.username) && !blank(api.password)))) err('E6305', [], 'target.api');
    }
  },
};
