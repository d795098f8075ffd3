/**
 * DHIS 1.4 → DHIS2 metadata mapping (spec dhis14.md §1–2), pure over the 1.4 model's tables: data elements (value
 * types from 1.4's data types, aggregation operator), calculated data elements (as indicators: DHIS2 2.42 has no
 * calculated data element), indicator types, indicators (1.4 formulas converted to `#{uid}` operands), data element and
 * indicator groups, data sets with their members and org units, org units with the OrgHierarchy edge list as parents,
 * org unit groups and group sets, and 1.4 periods as ISO periods. Existing objects are matched as the old importer did
 * (name, then short name, then code; org units name then code), after the kept legacy-id mapping; the integrity checks
 * of Analyse are collected on the way.
 */
import { generateUid } from '../../../src-shared/dhis2/uid.ts';
import { periodOfType, type Period } from '../../../src-shared/dhis2/period.ts';
import type { Dhis14Issue } from '../../../src-shared/dhis14-report.ts';
import { type ErrorKey, type ErrorParams } from '../../../src-shared/i18n/error-messages.ts';
import { englishError } from '../../../src-shared/keyed-errors.ts';
import { d14Int, d14Num, d14Str, oleDayToIso, type D14Row, type D14Tables } from '../../formats/shared/dhis14.ts';
import type { StoredForMatch } from '../../db/repos/dhis14.ts';

export type Obj = Record<string, unknown>;

export const DEFAULT_CATEGORY_COMBO = 'bjDvmb4bfuf';

/** 1.4 data type → DHIS2 value type (null: not importable — OLE objects). */
const VALUE_TYPES: Record<string, string | null> = { date: 'DATE', memo: 'LONG_TEXT', number: 'NUMBER', string: 'TEXT', text: 'TEXT', yesno: 'BOOLEAN', object: null };
const DATA_TYPE_BY_ID: Record<number, string> = { 1: 'date', 2: 'memo', 3: 'number', 4: 'string', 5: 'yesno', 6: 'object' };

/** 1.4 period type → DHIS2 period type (null: no ISO form). IDs are 1.4's fixed numbering; names win when a file has them. */
const PERIOD_TYPE_BY_ID: Record<number, string> = { 1: 'monthly', 2: 'quarterly', 3: 'yearly', 4: 'onchange', 5: 'survey', 6: 'daily', 7: 'weekly', 8: 'sixmonthly', 9: 'twoyearly' };
const PERIOD_TYPES: Record<string, string | null> = {
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  yearly: 'Yearly',
  onchange: 'Monthly', // DHIS2's 1.4 importer: "Should be OnChange, which is un-supported"
  survey: 'Daily',
  daily: 'Daily',
  weekly: 'Weekly',
  sixmonthly: 'SixMonthly',
  twoyearly: null,
};

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');

/** an issue's message: a key of the errors catalogue and its parameters (the screen and the CLI say it in their language) */
export interface IssueText {
  key: ErrorKey;
  params?: ErrorParams;
}

export interface IssueSink {
  add(code: string, message: IssueText, example?: string | IssueText, count?: number): void;
}

export function issueSink(): IssueSink & { list(): Dhis14Issue[] } {
  const m = new Map<string, Dhis14Issue>();
  return {
    add(code, message, example, count = 1) {
      let i = m.get(code);
      if (!i) m.set(code, (i = { code, message: englishError(message.key, message.params), messageKey: message.key, messageParams: message.params ?? {}, count: 0, examples: [] }));
      i.count += count;
      if (example !== undefined && i.examples.length < 10) {
        const keyed = typeof example === 'object';
        i.examples.push(keyed ? englishError(example.key, example.params) : example);
        (i.exampleDetails ??= []).push(keyed ? { messageKey: example.key, messageParams: example.params ?? {} } : null);
      }
    },
    list: () => [...m.values()],
  };
}

/** The 1.4 type lookups every step needs. */
export class Dhis14Types {
  private readonly dataTypes = new Map<number, string>();
  private readonly periodTypes = new Map<number, string>();

  constructor(t: D14Tables) {
    for (const r of t.get('DataType') ?? []) {
      const id = d14Int(r.datatypeid);
      const n = norm(d14Str(r.datatypename) ?? d14Str(r.datatypedisplay) ?? '');
      if (id !== null && n in VALUE_TYPES) this.dataTypes.set(id, n);
    }
    for (const r of t.get('DataPeriodType') ?? []) {
      const id = d14Int(r.dataperiodtypeid);
      const n = norm(d14Str(r.dataperiodtypenameeng) ?? d14Str(r.dataperiodtypename) ?? '');
      if (id !== null && n in PERIOD_TYPES) this.periodTypes.set(id, n);
    }
  }

  /** DHIS2 value type of a 1.4 DataTypeID; null: not importable; undefined: unknown id (NUMBER is used). */
  valueType(id: number | null): string | null {
    if (id === null) return 'NUMBER';
    const n = this.dataTypes.get(id) ?? DATA_TYPE_BY_ID[id];
    return n === undefined ? 'NUMBER' : VALUE_TYPES[n]!;
  }

  /** DHIS2 period type of a 1.4 DataPeriodTypeID (null: no ISO form; unknown ids fall back to Yearly, as 1.4's importer did). */
  periodType(id: number | null): string | null {
    const n = (id !== null ? (this.periodTypes.get(id) ?? PERIOD_TYPE_BY_ID[id]) : undefined) ?? 'yearly';
    return PERIOD_TYPES[n] ?? null;
  }

  periodTypeName(id: number | null): string {
    return (id !== null ? (this.periodTypes.get(id) ?? PERIOD_TYPE_BY_ID[id]) : undefined) ?? `type ${id}`;
  }
}

/** 1.4 AggregateOperator → DHIS2 aggregationType (1.4's XML converter: Avg = average over time, sum over org units). */
export function aggregationType(op: string | null): string | null {
  switch ((op ?? 'Sum').trim().toLowerCase()) {
    case 'sum':
      return 'SUM';
    case 'avg':
    case 'average':
      return 'AVERAGE_SUM_ORG_UNIT';
    case 'count':
      return 'COUNT';
    default:
      return null;
  }
}

/** A 1.4 period (DataPeriod row) as an ISO period: the period of its type that starts on ValidFrom. */
export function periodOf(types: Dhis14Types, r: D14Row, issues?: IssueSink): Period | null {
  const id = d14Int(r.dataperiodid);
  const typeId = d14Int(r.dataperiodtypeid);
  const type = types.periodType(typeId);
  const from = oleDayToIso(r.validfrom);
  const label = `${id} ${d14Str(r.dataperiodnameeng) ?? d14Str(r.dataperiodname) ?? ''}`.trim();
  if (!type) {
    issues?.add('periodTypeUnsupported', { key: 'dhis14.issue.periodTypeUnsupported', params: { type: types.periodTypeName(typeId) } }, label);
    return null;
  }
  if (!from) {
    issues?.add('periodWithoutStart', { key: 'dhis14.issue.periodWithoutStart' }, label);
    return null;
  }
  let p = periodOfType(type, from);
  // 1.4 weeks may start on Sunday (VBA's FirstDayOfWeek = 1)
  if (p && type === 'Weekly' && p.startDate !== from) p = periodOfType('WeeklySunday', from);
  if (!p) return null;
  const to = oleDayToIso(r.validto);
  if (p.startDate !== from || (to && to !== p.endDate && typeId !== 4 && typeId !== 5)) {
    issues?.add('periodRange', { key: 'dhis14.issue.periodRange', params: { type } }, `${label} → ${p.iso}`);
  }
  return p;
}

/** The stored objects of a type, indexed for matching. */
export class StoredIndex {
  readonly byUid = new Map<string, StoredForMatch>();
  private readonly byName = new Map<string, StoredForMatch>();
  private readonly byShort = new Map<string, StoredForMatch>();
  private readonly byCode = new Map<string, StoredForMatch>();
  constructor(rows: StoredForMatch[]) {
    for (const r of rows) {
      this.byUid.set(r.uid, r);
      if (r.name && !this.byName.has(r.name)) this.byName.set(r.name, r);
      if (r.shortName && !this.byShort.has(r.shortName)) this.byShort.set(r.shortName, r);
      if (r.code && !this.byCode.has(r.code)) this.byCode.set(r.code, r);
    }
  }
  match(name: string | null, shortName: string | null, code: string | null, useShort = true): StoredForMatch | undefined {
    return (name ? this.byName.get(name) : undefined) ?? (useShort && shortName ? this.byShort.get(shortName) : undefined) ?? (code ? this.byCode.get(code) : undefined);
  }
}

/** One mapped object: its uid, its DHIS2 fields, and what it became (decided against the stored object). */
export interface Mapped {
  type: string;
  legacyId: number;
  uid: string;
  name: string;
  fields: Obj;
  stored: StoredForMatch | undefined;
  /** the legacy id is not unique in the file: not kept in the mapping */
  noKeep?: boolean;
}

/**
 * Resolves uids for one type: the kept mapping (when its object still exists), then name / short name / code, then a
 * uid already given in this run to an object of the same name (1.4 duplicates merge, as they did in DHIS2's
 * importer — Analyse lists them), else a new uid.
 */
export class UidResolver {
  private readonly seenNames = new Map<string, string>();
  constructor(
    private readonly index: StoredIndex,
    private readonly kept: Map<number, string>,
    private readonly useShort = true,
    /**
     * Org units: names shared by several rows of the file. DHIS2 lets org units share a name, so these are kept apart
     * (merging them would fold the hierarchy) and matched only through the kept mapping or their code.
     */
    private readonly ambiguous: Set<string> | null = null,
  ) {}
  /** legacy ids the file gives to more than one row: the kept mapping cannot tell them apart, names do */
  dupIds = new Set<number>();
  resolve(legacyId: number, name: string, shortName: string | null, code: string | null): { uid: string; stored: StoredForMatch | undefined } {
    const k = this.dupIds.has(legacyId) ? undefined : this.kept.get(legacyId);
    let stored = k ? this.index.byUid.get(k) : undefined;
    const shared = this.ambiguous?.has(name) === true;
    stored ??= this.index.match(shared ? null : name, shortName, code, this.useShort);
    if (this.ambiguous) {
      // an object of the file already took this stored one: this row is another object
      if (stored && this.taken.has(stored.uid)) stored = undefined;
      const uid = stored?.uid ?? generateUid();
      this.taken.add(uid);
      return { uid, stored };
    }
    const uid = stored?.uid ?? this.seenNames.get(name) ?? generateUid();
    if (!this.seenNames.has(name)) this.seenNames.set(name, uid);
    return { uid, stored };
  }
  private readonly taken = new Set<string>();
}

/** Legacy ids that more than one row of a table carries (reported; such rows are matched by name, not kept). */
export function duplicateIds(issues: IssueSink, table: string, rows: D14Row[], key: string): Set<number> {
  const seen = new Set<number>();
  const dup = new Set<number>();
  for (const r of rows) {
    const id = d14Int(r[key]);
    if (id === null) continue;
    if (seen.has(id)) dup.add(id);
    seen.add(id);
  }
  for (const id of dup) issues.add('duplicateId', { key: 'dhis14.issue.duplicateId' }, `${table} ${id}`);
  return dup;
}

/** DHIS2's shortName: 1.4's short name, else the name cut to 50 characters. */
export function shortNameOf(short: string | null, name: string): string {
  return (short ?? name).slice(0, 50);
}

/** Finds duplicate values of a property among rows (Analyse: "unique constraint violations"). */
export function duplicates(
  issues: IssueSink,
  what: 'dataElement' | 'indicator' | 'orgUnit' | 'dataSet',
  rows: { id: number | null; name: string | null; short: string | null; code: string | null }[],
  consequence: 'merge' | 'apart' = 'merge',
): Set<string> {
  const names = new Set<string>();
  for (const [prop, get] of [
    ['name', (r: (typeof rows)[number]) => r.name],
    ['short name', (r: (typeof rows)[number]) => r.short],
    ['code', (r: (typeof rows)[number]) => r.code],
  ] as const) {
    const seen = new Map<string, number[]>();
    for (const r of rows) {
      const v = get(r)?.trim();
      if (!v) continue;
      let l = seen.get(v);
      if (!l) seen.set(v, (l = []));
      l.push(r.id ?? -1);
    }
    for (const [v, ids] of seen) {
      if (ids.length > 1) {
        if (prop === 'name') names.add(v);
        const propKey = prop === 'short name' ? 'shortName' : prop;
        issues.add(
          `duplicate ${what[0]!.toUpperCase()}${what.slice(1)} ${prop}`.replace(/ (\w)/g, (_, c: string) => c.toUpperCase()),
          { key: 'dhis14.issue.duplicate', params: { what, prop: propKey, consequence: prop === 'name' ? consequence : 'merge' } },
          { key: 'dhis14.example.sharedBy', params: { value: v, ids: ids.join(', ') } },
          ids.length,
        );
      }
    }
  }
  return names;
}

/**
 * A 1.4 formula (`((Sum([R243])*1)+(Sum([S263])*1))`) as a DHIS2 expression (`((#{uid})*1)+((#{uid})*1)`): the
 * letters 1.4 wrote around operands (Sum, Avg …) are dropped as DHIS2's converter did, `[R<id>]` / `[S<id>]` /
 * `[<id>]` become `#{uid}`; an id with no data element becomes 0 and is reported.
 */
export function convertFormula(f: string | null, deUid: (id: number) => string | undefined, onMissing: (id: number) => void): string {
  if (!f || !f.trim()) return '0';
  const ops: string[] = [];
  let s = f.replace(/\[\s*[A-Za-z]?\s*(\d+)\s*(?:\.\s*\d+\s*)?\]/g, (_, id: string) => {
    const uid = deUid(Number(id));
    if (!uid) onMissing(Number(id));
    ops.push(uid ? `#{${uid}}` : '0');
    return `\uE000${ops.length - 1}\uE001`;
  });
  s = s.replace(/[A-Za-z_]+/g, '').replace(/\s+/g, '');
  s = s.replace(/\uE000(\d+)\uE001/g, (_, i: string) => ops[Number(i)]!);
  s = s.replace(/\(\)/g, '');
  return s === '' ? '0' : s;
}

/** what a 1.4 import does not carry over (the manual's limitations), by their keys in the errors catalogue (dhis14.limitation.*) */
export const LIMITATIONS = ['altNames', 'altLanguages', 'pairings', 'customForms', 'entryLevels', 'users', 'oleValues'] as const;

/** Count of rows that fill a column whose content 1.4 kept and DHIS2 does not take (alternative names). */
export function altNameCount(rows: D14Row[] | undefined): number {
  let n = 0;
  for (const r of rows ?? []) for (const k of Object.keys(r)) if (/alt\d$/.test(k) && r[k] !== null) n++;
  return n;
}

export { d14Int, d14Num, d14Str };
