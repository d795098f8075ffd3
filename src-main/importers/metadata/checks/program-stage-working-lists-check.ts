/**
 * Program stage working lists (dhis2-core master ProgramStageWorkingListObjectBundleHook), in its order over the
 * list's `programStageQueryCriteria`:
 *  - E4062 an ABSOLUTE date filter with neither a start nor an end date: the enrollment created and incident dates,
 *    the event created, occurred and scheduled dates (named EnrollmentCreatedDate, EnrollmentIncidentDate,
 *    EventCreatedDate, EventOccurredDate, EventScheduledDate);
 *  - E4063 assigned user mode PROVIDED without assigned users;
 *  - E7500 an org unit that is not stored, else E4064 no org unit with ou mode SELECTED, DESCENDANTS or CHILDREN;
 *  - attribute value filters: E4067 a filter without attribute, E4068 an attribute that is not stored, E4062 the
 *    filter's date filter (named by the attribute uid);
 *  - data filters: E4065 a filter without data item, E4066 a data element that is not stored, E4062 its date filter.
 * As in DHIS2 the org unit, data elements and attributes are looked up in the database (by uid, through the services),
 * not in the payload. The errors name no property: DHIS2 reports them with the class and the code only.
 */
import type { Bundle, Item } from '../bundle.ts';
import { isObj } from '../objects.ts';
import type { Obj } from '../types.ts';
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import { fmt, hookError, klassOf } from './hook-support.ts';

const M = {
  E4062: 'Start date or end date have to be specified when date period type is set to ABSOLUTE for item `{0}`',
  E4063: 'Assigned users cannot be empty when assigned user mode is set to PROVIDED',
  E4064: 'Organisation unit cannot be empty with `{0}` org unit mode',
  E4065: 'Data item UID is missing in filter',
  E4066: 'No data element found for item: `{0}`',
  E4067: 'Attribute UID is missing in filter',
  E4068: 'No tracked entity attribute found for attribute: `{0}`',
  E7500: 'Organisation unit does not exist: `{0}`',
} as const;
type Code = keyof typeof M;

const DATE_FILTERS: [string, string][] = [
  ['EnrollmentCreatedDate', 'enrolledAt'],
  ['EnrollmentIncidentDate', 'enrollmentOccurredAt'],
  ['EventCreatedDate', 'eventCreatedAt'],
  ['EventOccurredDate', 'eventOccurredAt'],
  ['EventScheduledDate', 'eventScheduledAt'],
];
const OU_MODES_NEEDING_UNIT = new Set(['SELECTED', 'DESCENDANTS', 'CHILDREN']);

/** A Java String property as Jackson reads it (absent and null are null; numbers become text). */
const text = (v: unknown): string | null => (v == null ? null : typeof v === 'object' ? null : String(v));
/** StringUtils.isEmpty. */
const empty = (s: string | null): boolean => s == null || s === '';
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
/** A date property Jackson leaves null (absent, null or an empty text). */
const noDate = (v: unknown): boolean => v == null || v === '';

/** The stored type of every uid the lists' criteria name (one batch, the database only). */
function storedTypes(b: Bundle, items: Item[]): Map<string, string> {
  const uids = new Set<string>();
  for (const it of items) {
    const c = isObj(it.obj.programStageQueryCriteria) ? it.obj.programStageQueryCriteria : {};
    const ou = text(c.orgUnit);
    if (ou) uids.add(ou);
    for (const f of list(c.attributeValueFilters)) if (text(f.attribute)) uids.add(text(f.attribute)!);
    for (const f of list(c.dataFilters)) if (text(f.dataItem)) uids.add(text(f.dataItem)!);
  }
  const m = new Map<string, string>();
  if (uids.size) for (const r of b.repo.preheatByUids({ translations: false, sharing: false, jsonTypes: [] }, [...uids])) m.set(r.uid, r.type);
  return m;
}

export const programStageWorkingListsCheck: MetadataCheck = {
  name: 'ProgramStageWorkingListsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const items = b.live('programStageWorkingLists');
    if (!items.length) return;
    const K = klassOf('programStageWorkingLists');
    const types = storedTypes(b, items);
    for (const it of items) {
      const err = (code: Code, args: unknown[]): void => hookError(b, it, K, code, fmt(M[code], ...args), args);
      const dateFilter = (item: string | null, p: unknown): void => {
        if (isObj(p) && p.type === 'ABSOLUTE' && noDate(p.startDate) && noDate(p.endDate)) err('E4062', [item]);
      };
      const c = isObj(it.obj.programStageQueryCriteria) ? it.obj.programStageQueryCriteria : {};
      for (const [name, prop] of DATE_FILTERS) dateFilter(name, c[prop]);
      if (!(Array.isArray(c.assignedUsers) && c.assignedUsers.length) && c.assignedUserMode === 'PROVIDED') err('E4063', []);
      const ou = text(c.orgUnit);
      if (ou != null && types.get(ou) !== 'organisationUnits') err('E7500', [ou]);
      else if (empty(ou) && OU_MODES_NEEDING_UNIT.has(String(c.ouMode))) err('E4064', [c.ouMode]);
      for (const f of list(c.attributeValueFilters)) {
        const a = text(f.attribute);
        if (empty(a)) err('E4067', []);
        else if (types.get(a!) !== 'trackedEntityAttributes') err('E4068', [a]);
        dateFilter(a, f.dateFilter);
      }
      for (const f of list(c.dataFilters)) {
        const d = text(f.dataItem);
        if (empty(d)) err('E4065', []);
        else if (types.get(d!) !== 'dataElements') err('E4066', [d]);
        dateFilter(d, f.dateFilter);
      }
    }
  },
};
