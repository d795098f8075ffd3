/**
 * Data export parameters (DHIS2 /api/dataValueSets names, spec §5) → a SQL filter over data_value.
 *  - orgUnit (several) with children (the org unit and its direct children) or descendants / includeDescendants (the
 *    whole subtree; DHIS2's own `children=true`); per org unit as orgUnits: [{id, mode: SELECTED|CHILDREN|DESCENDANTS}];
 *    orgUnitGroup adds the group's members;
 *  - dataSet / dataElementGroup / dataElement (several, united);
 *  - period (several ISO ids) wins over startDate/endDate (periods lying completely inside);
 *  - lastUpdated (date or date-time, values changed since) / lastUpdatedDuration (<n>d|h|m|s);
 *  - includeDeleted; attributeOptionCombo (several); limit.
 * With no filter at all every stored value is exported. The result is a typed DataValueFilter (ids); the data values
 * repo turns it into SQL.
 */
import type { Db } from '../db/open.ts';
import { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { OrgUnitsRepo } from '../db/repos/org-units.ts';
import { PeriodsRepo } from '../db/repos/periods.ts';
import { noFilter, type DataValueFilter } from '../db/repos/data-values.ts';
import { AppError } from '../../src-shared/errors.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import { asBool, asString, asStringList } from './common.ts';
import { resolveIds } from './id-maps.ts';
import { parsePeriod } from '../../src-shared/dhis2/period.ts';

export type OrgUnitMode = 'SELECTED' | 'CHILDREN' | 'DESCENDANTS';

export interface DataSelection {
  /** which values: the filter the data values repo selects with */
  filter: DataValueFilter;
  limit: number | null;
  /** resolved ids, for the single-data-value-set header and ADX */
  dataSetIds: number[];
  periodIds: number[] | null;
  orgUnits: { id: number; mode: OrgUnitMode }[];
  dataElementFilter: number[] | null;
  hasDataElementFilterBeyondDataSets: boolean;
  aocFilter: number[] | null;
  includeDeleted: boolean;
}

const DATE = /^(\d{4})-(\d\d)-(\d\d)$/;
const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:\.\d{1,9})?)?(Z|[+-]\d\d(?::?\d\d)?)?$/i;

/** True when year-month-day names a day of the (proleptic Gregorian) calendar: 2012-02-30 and 2023-13-01 do not. */
function isCalendarDay(y: string, m: string, d: string): boolean {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/**
 * A date option (startDate, endDate: yyyy-MM-dd; lastUpdated also a date-time) that names a real calendar day and
 * time, else AppError BAD_REQUEST naming the option and the value — never a silently shifted range.
 */
function checkDate(v: string | undefined, name: string, withTime = false): string | undefined {
  if (v === undefined) return undefined;
  const bad = (): AppError =>
    ferryError('BAD_REQUEST', withTime ? 'export.notRealDateTime' : 'export.notRealDate', { option: name, value: v }, { option: name, value: v });
  const d = DATE.exec(v);
  if (d) {
    if (!isCalendarDay(d[1]!, d[2]!, d[3]!)) throw bad();
    return v;
  }
  const t = withTime ? DATE_TIME.exec(v) : null;
  if (!t || !isCalendarDay(t[1]!, t[2]!, t[3]!) || Number(t[4]) > 23 || Number(t[5]) > 59 || Number(t[6] ?? 0) > 59) throw bad();
  return v;
}

/**
 * A date-time with a time zone (Z, +02:00, -0530) as the UTC instant Ferry stores (yyyy-MM-ddTHH:mm:ss.SSSZ), so that
 * the text comparison with the stored timestamps compares instants (a cut-off of 10:00+02:00 is 08:00Z, not 10:00Z).
 * A date, or a date-time without a zone, is returned as it is (taken as UTC, as Ferry stores its timestamps).
 */
export function utcInstant(v: string): string {
  const t = DATE_TIME.exec(v);
  const zone = t?.[7];
  if (!t || !zone) return v;
  const frac = /\.(\d{1,9})/.exec(v.slice(16))?.[1] ?? '0';
  const ms = Math.floor(Number(frac.padEnd(3, '0').slice(0, 3)));
  let utc = Date.UTC(Number(t[1]), Number(t[2]) - 1, Number(t[3]), Number(t[4]), Number(t[5]), Number(t[6] ?? 0), ms);
  if (zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d\d):?(\d\d)?$/.exec(zone)!;
    const minutes = Number(z[2]) * 60 + Number(z[3] ?? 0);
    utc -= (z[1] === '-' ? -1 : 1) * minutes * 60_000;
  }
  return new Date(utc).toISOString();
}

function durationStart(d: string, now: Date): string {
  const m = /^(\d+)([dhms])$/.exec(d.trim());
  if (!m) throw ferryError('BAD_REQUEST', 'export.badDuration', { value: d });
  const n = Number(m[1]);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'd' | 'h' | 'm' | 's'];
  return new Date(now.getTime() - n * unit).toISOString();
}

function parseOrgUnits(o: Record<string, unknown>): { id: string; mode: OrgUnitMode }[] {
  const descendants = asBool(o.descendants) || asBool(o.includeDescendants);
  const children = asBool(o.children) || asBool(o.includeChildren);
  const defaultMode: OrgUnitMode = descendants ? 'DESCENDANTS' : children ? 'CHILDREN' : 'SELECTED';
  const list: { id: string; mode: OrgUnitMode }[] = asStringList(o.orgUnit).map((id) => ({ id, mode: defaultMode }));
  if (Array.isArray(o.orgUnits)) {
    for (const x of o.orgUnits) {
      if (typeof x === 'string') list.push({ id: x, mode: defaultMode });
      else if (x && typeof x === 'object' && typeof (x as { id?: unknown }).id === 'string') {
        const mode = String((x as { mode?: unknown }).mode ?? defaultMode).toUpperCase();
        if (mode !== 'SELECTED' && mode !== 'CHILDREN' && mode !== 'DESCENDANTS')
          throw ferryError('BAD_REQUEST', 'export.orgUnitModeList', { mode });
        list.push({ id: (x as { id: string }).id, mode });
      }
    }
  } else if (o.orgUnits !== undefined) list.push(...asStringList(o.orgUnits).map((id) => ({ id, mode: defaultMode })));
  // the same org unit given twice (e.g. orgUnit: [id] and orgUnits: [{id, mode}] from the wizard) keeps its widest mode
  const rank: Record<OrgUnitMode, number> = { SELECTED: 0, CHILDREN: 1, DESCENDANTS: 2 };
  const byId = new Map<string, OrgUnitMode>();
  for (const x of list) {
    const prev = byId.get(x.id);
    if (prev === undefined || rank[x.mode] > rank[prev]) byId.set(x.id, x.mode);
  }
  return [...byId].map(([id, mode]) => ({ id, mode }));
}

/** Data elements of a data set: its dataSetElements (and, for old exports, a plain dataElements list). */
export function dataSetElementIds(repo: MetadataLookupRepo, dataSetId: number): number[] {
  return uidsToIds(repo, 'dataElements', repo.dataSetElementUids(dataSetId));
}

function uidsToIds(repo: MetadataLookupRepo, type: string, uids: string[]): number[] {
  const out: number[] = [];
  for (const u of uids) {
    const id = repo.idByUid(type, u);
    if (id != null) out.push(id);
  }
  return out;
}

export function orgUnitSubtree(repo: OrgUnitsRepo, rootId: number, mode: OrgUnitMode): number[] {
  if (mode === 'SELECTED') return [rootId];
  if (mode === 'CHILDREN') return [rootId, ...repo.childIds(rootId)];
  return repo.subtreeIds(rootId);
}

export function parseDataSelection(db: Db, o: Record<string, unknown>, now: Date): DataSelection {
  const meta = new MetadataLookupRepo(db);
  const filter: DataValueFilter = noFilter();

  // data elements: data sets ∪ groups ∪ explicit elements
  const dataSetIds = resolveIds(meta, 'dataSets', asStringList(o.dataSet ?? o.dataSets), 'dataSet');
  const groupIds = resolveIds(meta, 'dataElementGroups', asStringList(o.dataElementGroup ?? o.dataElementGroups), 'dataElementGroup');
  const deIds = resolveIds(meta, 'dataElements', asStringList(o.dataElement ?? o.dataElements), 'dataElement');
  let dataElementFilter: number[] | null = null;
  if (dataSetIds.length || groupIds.length || deIds.length) {
    const set = new Set<number>(deIds);
    for (const ds of dataSetIds) for (const id of dataSetElementIds(meta, ds)) set.add(id);
    for (const g of groupIds) for (const id of uidsToIds(meta, 'dataElements', meta.refUids(g, '$.dataElements'))) set.add(id);
    dataElementFilter = [...set];
    filter.dataElements = dataElementFilter;
  }

  // periods
  const periodIsos = asStringList(o.period ?? o.periods);
  const startDate = checkDate(asString(o.startDate), 'startDate');
  const endDate = checkDate(asString(o.endDate), 'endDate');
  let periodIds: number[] | null = null;
  if (periodIsos.length) {
    const bad = periodIsos.filter((p) => parsePeriod(p) == null);
    if (bad.length) throw ferryError('BAD_REQUEST', 'export.notPeriod', { periods: bad.map((p) => `'${p}'`).join(', ') });
    const periods = new PeriodsRepo(db);
    // DHIS2 also accepts variants such as 2024-01 for 202401: look periods up by their canonical id
    periodIds = periodIsos.map((p) => periods.idOf(p) ?? periods.idOf(parsePeriod(p)!.iso)).filter((x): x is number => x != null);
    filter.periods = periodIds;
  } else if (startDate || endDate) {
    if (startDate && endDate && startDate.slice(0, 10) > endDate.slice(0, 10))
      throw ferryError('BAD_REQUEST', 'export.startAfterEnd');
    if (startDate) filter.periodStart = startDate.slice(0, 10);
    if (endDate) filter.periodEnd = endDate.slice(0, 10);
  }

  // org units
  const ouSpecs = parseOrgUnits(o);
  const tree = new OrgUnitsRepo(db);
  const orgUnits: { id: number; mode: OrgUnitMode }[] = [];
  const ouSet = new Set<number>();
  for (const spec of ouSpecs) {
    const [id] = resolveIds(meta, 'organisationUnits', [spec.id], 'orgUnit');
    orgUnits.push({ id: id!, mode: spec.mode });
    for (const x of orgUnitSubtree(tree, id!, spec.mode)) ouSet.add(x);
  }
  const ouGroups = resolveIds(meta, 'organisationUnitGroups', asStringList(o.orgUnitGroup ?? o.orgUnitGroups), 'orgUnitGroup');
  for (const g of ouGroups) for (const id of uidsToIds(meta, 'organisationUnits', meta.refUids(g, '$.organisationUnits'))) ouSet.add(id);
  if (ouSpecs.length || ouGroups.length) filter.orgUnits = [...ouSet];

  // attribute option combos
  const aocIds = resolveIds(meta, 'categoryOptionCombos', asStringList(o.attributeOptionCombo ?? o.attributeOptionCombos), 'attributeOptionCombo');
  const aocFilter = aocIds.length ? aocIds : null;
  filter.attributeOptionCombos = aocFilter;

  // changed since
  const lastUpdated = asString(o.lastUpdated);
  const duration = asString(o.lastUpdatedDuration);
  if (lastUpdated) {
    checkDate(lastUpdated, 'lastUpdated', true);
    filter.lastUpdatedSince = utcInstant(lastUpdated);
  } else if (duration) {
    filter.lastUpdatedSince = durationStart(duration, now);
  }

  const includeDeleted = asBool(o.includeDeleted);
  filter.includeDeleted = includeDeleted;

  let limit: number | null = null;
  if (o.limit != null && o.limit !== '') {
    limit = Number(o.limit);
    if (!Number.isInteger(limit) || limit < 0) throw ferryError('BAD_REQUEST', 'export.badLimit');
  }

  return {
    filter,
    limit,
    dataSetIds,
    periodIds,
    orgUnits,
    dataElementFilter,
    hasDataElementFilterBeyondDataSets: groupIds.length > 0 || deIds.length > 0,
    aocFilter,
    includeDeleted,
  };
}
