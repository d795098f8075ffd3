/**
 * In-memory metadata lookups for a data value import, built once per job from metadata_object (read only).
 * Identifier maps per type and id scheme (UID, CODE, NAME, ATTRIBUTE:<uid>) are built lazily on first use;
 * everything downstream works on integer ids (metadata_object.id).
 */
import { parseIdScheme } from '../../../src-shared/dhis2/options.ts';
import type { Db } from '../../db/open.ts';
import { MetadataLookupRepo, type ObjectRow } from '../../db/repos/metadata-lookups.ts';
import { DEFAULTS } from '../../db/migrations/0002-system-defaults.ts';
import { isNumericType } from '../../../src-shared/dhis2/value-types.ts';
import { parsePeriod } from '../../../src-shared/dhis2/period.ts';

type Json = Record<string, unknown>;

type Row = ObjectRow;

export interface DeInfo {
  id: number;
  uid: string;
  valueType: string;
  numeric: boolean;
  zeroIsSignificant: boolean;
  aggregationType: string;
  /** option codes when the data element has an option set */
  optionCodes: Set<string> | null;
  catComboId: number;
  /** data sets containing the data element */
  dataSets: DataSetInfo[];
  /** one of its data sets has expiry days or data input periods (the period checks E7640/E7643/E7644 apply) */
  periodRules: boolean;
  /** every one of its data sets has data input periods (only then can E7644 refuse a period) */
  inputPeriodsOnly: boolean;
}

export interface CocInfo {
  id: number;
  uid: string;
  catComboId: number | null;
  optionIds: number[];
}

export interface DataSetInfo {
  id: number;
  uid: string;
  periodType: string;
  /** DHIS2 openFuturePeriods (0 = only up to the current period) */
  openFuturePeriods: number;
  catComboId: number;
  deIds: Set<number>;
  ouIds: Set<number>;
  /** DHIS2 expiryDays (0 = never locked; may be fractional) */
  expiryDays: number;
  /** DHIS2 dataInputPeriods: period (canonical ISO) → its opening/closing days (yyyy-MM-dd, null = open-ended); null when none */
  inputPeriods: Map<string, { opening: string | null; closing: string | null }[]> | null;
  /** DHIS2 openPeriodsAfterCoEndDate: periods a category option stays open after its end date */
  openPeriodsAfterCoEndDate: number;
  /** expiry days or data input periods: the period checks apply */
  periodRules: boolean;
}

export interface CategoryOptionInfo {
  id: number;
  uid: string;
  startDate: string | null;
  endDate: string | null;
  ouIds: number[] | null;
}

const refId = (v: unknown): string | undefined => (v && typeof v === 'object' ? ((v as Json).id as string | undefined) : undefined);
const refIds = (v: unknown): string[] => (Array.isArray(v) ? v.map(refId).filter((x): x is string => typeof x === 'string') : []);

export type LookupType =
  | 'dataElements'
  | 'organisationUnits'
  | 'categoryOptionCombos'
  | 'dataSets'
  | 'categories'
  | 'categoryOptions';

const TYPES = [
  'dataElements', 'organisationUnits', 'categoryOptionCombos', 'categoryCombos', 'dataSets', 'categories', 'categoryOptions', 'optionSets', 'options',
];

/** A number from metadata JSON (numbers or numeric strings, as XML-imported metadata may hold them); else 0. */
function num(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : 0;
  return Number.isFinite(n) ? n : 0;
}

/**
 * A data set's dataInputPeriods (DHIS2 JSON: `[{period: {id: "202401"}, openingDate, closingDate}]`) by canonical period
 * id; null when it has none (then any period may be entered at any time).
 */
function inputPeriodsOf(v: unknown): DataSetInfo['inputPeriods'] {
  if (!Array.isArray(v) || v.length === 0) return null;
  const out = new Map<string, { opening: string | null; closing: string | null }[]>();
  const day = (d: unknown): string | null => (typeof d === 'string' && d.length >= 10 ? d.slice(0, 10) : null);
  for (const ip of v as Json[]) {
    if (!ip || typeof ip !== 'object') continue;
    const pe = typeof ip.period === 'string' ? ip.period : refId(ip.period);
    // (DHIS2 keeps an input period whose period it cannot parse as null: it matches no period)
    const p = pe ? parsePeriod(pe.trim()) : null;
    const key = p ? p.iso : '\u0000';
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push({ opening: day(ip.openingDate), closing: day(ip.closingDate) });
  }
  return out;
}

/** Id scheme names from options or a file header; an unknown name counts as not given (DHIS2 falls back the same way). */
export function normalizeScheme(s: string | undefined | null): string | undefined {
  return parseIdScheme(s);
}

export class MetadataLookups {
  private readonly rows = new Map<string, Row[]>();
  private readonly byId = new Map<number, Row>();
  private readonly jsonCache = new Map<number, Json>();
  private readonly idMaps = new Map<string, Map<string, number>>();
  readonly des = new Map<number, DeInfo>();
  readonly cocs = new Map<number, CocInfo>();
  readonly dataSets = new Map<number, DataSetInfo>();
  readonly categoryOptions = new Map<number, CategoryOptionInfo>();
  /** category combo id → its COC ids */
  readonly comboCocs = new Map<number, Set<number>>();
  /** category combo id → (sorted option ids joined by ',') → COC id */
  private readonly comboByOptions = new Map<number, Map<string, number>>();
  readonly defaultCocId: number;
  readonly defaultComboId: number;
  private readonly ouParent = new Map<number, number | null>();

  constructor(db: Db) {
    const repo = new MetadataLookupRepo(db);
    for (const t of TYPES) {
      const list = repo.rowsOfType(t);
      this.rows.set(t, list);
      for (const r of list) this.byId.set(r.id, r);
    }
    const uidToId = (type: string): Map<string, number> => this.idMap(type, 'UID');
    const comboIds = uidToId('categoryCombos');
    const defCombo = this.rows.get('categoryCombos')!.find((r) => r.uid === DEFAULTS.categoryCombo) ??
      this.rows.get('categoryCombos')!.find((r) => r.name === 'default' || r.code === 'default');
    this.defaultComboId = defCombo?.id ?? -1;
    const defCoc = this.rows.get('categoryOptionCombos')!.find((r) => r.uid === DEFAULTS.categoryOptionCombo) ??
      this.rows.get('categoryOptionCombos')!.find((r) => r.name === 'default' || r.code === 'default');
    this.defaultCocId = defCoc?.id ?? -1;

    // category options
    const ouIds = uidToId('organisationUnits');
    for (const r of this.rows.get('categoryOptions')!) {
      const j = this.json(r.id);
      const ous = refIds(j.organisationUnits).map((u) => ouIds.get(u)).filter((x): x is number => x != null);
      this.categoryOptions.set(r.id, {
        id: r.id,
        uid: r.uid,
        startDate: typeof j.startDate === 'string' ? j.startDate.slice(0, 10) : null,
        endDate: typeof j.endDate === 'string' ? j.endDate.slice(0, 10) : null,
        ouIds: ous.length ? ous : null,
      });
    }
    // COCs and combo membership, from either side
    const optIds = uidToId('categoryOptions');
    const cocIds = uidToId('categoryOptionCombos');
    const addToCombo = (comboId: number, cocId: number): void => {
      let s = this.comboCocs.get(comboId);
      if (!s) this.comboCocs.set(comboId, (s = new Set()));
      s.add(cocId);
    };
    for (const r of this.rows.get('categoryOptionCombos')!) {
      const j = this.json(r.id);
      const comboUid = refId(j.categoryCombo);
      const comboId = comboUid ? (comboIds.get(comboUid) ?? null) : null;
      const options = refIds(j.categoryOptions).map((u) => optIds.get(u)).filter((x): x is number => x != null);
      this.cocs.set(r.id, { id: r.id, uid: r.uid, catComboId: comboId, optionIds: options });
      if (comboId != null) addToCombo(comboId, r.id);
    }
    for (const r of this.rows.get('categoryCombos')!) {
      for (const u of refIds(this.json(r.id).categoryOptionCombos)) {
        const cocId = cocIds.get(u);
        if (cocId == null) continue;
        addToCombo(r.id, cocId);
        const coc = this.cocs.get(cocId);
        if (coc && coc.catComboId == null) coc.catComboId = r.id;
      }
    }
    if (this.defaultComboId !== -1 && this.defaultCocId !== -1) addToCombo(this.defaultComboId, this.defaultCocId);
    for (const [comboId, set] of this.comboCocs) {
      const m = new Map<string, number>();
      for (const cocId of set) {
        const coc = this.cocs.get(cocId);
        if (coc) m.set([...coc.optionIds].sort((a, b) => a - b).join(','), cocId);
      }
      this.comboByOptions.set(comboId, m);
    }
    // option sets → option codes
    const optionCodeById = new Map<string, string>();
    const optionsBySet = new Map<string, string[]>();
    for (const r of this.rows.get('options')!) {
      const j = this.json(r.id);
      const code = typeof j.code === 'string' ? j.code : r.code;
      if (code != null) optionCodeById.set(r.uid, code);
      const set = refId(j.optionSet);
      if (set && code != null) (optionsBySet.get(set) ?? optionsBySet.set(set, []).get(set)!).push(code);
    }
    const setCodes = new Map<string, Set<string>>();
    for (const r of this.rows.get('optionSets')!) {
      const codes = new Set<string>(optionsBySet.get(r.uid) ?? []);
      for (const o of refIds(this.json(r.id).options)) {
        const c = optionCodeById.get(o);
        if (c != null) codes.add(c);
      }
      setCodes.set(r.uid, codes);
    }
    // data sets
    const deIds = uidToId('dataElements');
    for (const r of this.rows.get('dataSets')!) {
      const j = this.json(r.id);
      const des = new Set<number>();
      for (const dse of Array.isArray(j.dataSetElements) ? (j.dataSetElements as Json[]) : []) {
        const id = deIds.get(refId(dse.dataElement) ?? '');
        if (id != null) des.add(id);
      }
      for (const u of refIds(j.dataElements)) {
        const id = deIds.get(u);
        if (id != null) des.add(id);
      }
      const ous = new Set<number>();
      for (const u of refIds(j.organisationUnits)) {
        const id = ouIds.get(u);
        if (id != null) ous.add(id);
      }
      const combo = comboIds.get(refId(j.categoryCombo) ?? '') ?? this.defaultComboId;
      const expiryDays = num(j.expiryDays);
      const inputPeriods = inputPeriodsOf(j.dataInputPeriods);
      this.dataSets.set(r.id, {
        id: r.id,
        uid: r.uid,
        periodType: String(j.periodType ?? ''),
        openFuturePeriods: typeof j.openFuturePeriods === 'number' ? j.openFuturePeriods : 0,
        catComboId: combo,
        deIds: des,
        ouIds: ous,
        expiryDays,
        inputPeriods,
        openPeriodsAfterCoEndDate: Math.trunc(num(j.openPeriodsAfterCoEndDate)),
        periodRules: expiryDays !== 0 || inputPeriods !== null,
      });
    }
    // data elements
    for (const r of this.rows.get('dataElements')!) {
      const j = this.json(r.id);
      const valueType = typeof j.valueType === 'string' ? j.valueType : 'TEXT';
      const os = refId(j.optionSet);
      const info: DeInfo = {
        id: r.id,
        uid: r.uid,
        valueType,
        numeric: isNumericType(valueType),
        zeroIsSignificant: j.zeroIsSignificant === true,
        aggregationType: typeof j.aggregationType === 'string' ? j.aggregationType : 'SUM',
        optionCodes: os ? (setCodes.get(os) ?? new Set()) : null,
        catComboId: comboIds.get(refId(j.categoryCombo) ?? '') ?? this.defaultComboId,
        dataSets: [],
        periodRules: false,
        inputPeriodsOnly: false,
      };
      this.des.set(r.id, info);
    }
    for (const ds of this.dataSets.values()) for (const de of ds.deIds) this.des.get(de)?.dataSets.push(ds);
    for (const de of this.des.values()) {
      de.periodRules = de.dataSets.some((ds) => ds.periodRules);
      de.inputPeriodsOnly = de.dataSets.length > 0 && de.dataSets.every((ds) => ds.inputPeriods !== null);
    }
    this.jsonCache.clear();
  }

  private json(id: number): Json {
    let j = this.jsonCache.get(id);
    if (!j) {
      const r = this.byId.get(id);
      j = r ? (JSON.parse(r.json) as Json) : {};
      this.jsonCache.set(id, j);
    }
    return j;
  }

  /** identifier (in `scheme`) → metadata_object.id for a type; built once per (type, scheme). */
  idMap(type: string, scheme: string): Map<string, number> {
    const key = type + '|' + scheme;
    let m = this.idMaps.get(key);
    if (m) return m;
    m = new Map();
    const rows = this.rows.get(type) ?? [];
    if (scheme === 'UID') for (const r of rows) m.set(r.uid, r.id);
    else if (scheme === 'CODE') for (const r of rows) r.code != null && !m.has(r.code) && m.set(r.code, r.id);
    else if (scheme === 'NAME') for (const r of rows) r.name != null && !m.has(r.name) && m.set(r.name, r.id);
    else if (scheme === 'ID') for (const r of rows) m.set(String(r.id), r.id);
    else if (scheme.startsWith('ATTRIBUTE:')) {
      const attr = scheme.slice(10);
      for (const r of rows) {
        const j = JSON.parse(r.json) as Json;
        for (const av of Array.isArray(j.attributeValues) ? (j.attributeValues as Json[]) : []) {
          if (refId(av.attribute) === attr && av.value != null && !m.has(String(av.value))) m.set(String(av.value), r.id);
        }
      }
    }
    this.idMaps.set(key, m);
    return m;
  }

  uidOf(id: number): string {
    return this.byId.get(id)?.uid ?? String(id);
  }

  /** The COC of `comboId` made of exactly these category options (ADX), or null. */
  cocForOptions(comboId: number, optionIds: number[]): number | null {
    const m = this.comboByOptions.get(comboId);
    if (!m) return null;
    return m.get([...optionIds].sort((a, b) => a - b).join(',')) ?? null;
  }

  /** Category ids of a category combo, in order. */
  comboCategories(comboId: number): number[] {
    const catIds = this.idMap('categories', 'UID');
    return refIds(this.json(comboId).categories).map((u) => catIds.get(u)).filter((x): x is number => x != null);
  }

  /** True when `ouId` is `ancestorId` or one of its descendants. */
  ouWithin(ouId: number, ancestorIds: number[]): boolean {
    const set = new Set(ancestorIds);
    const ouUids = this.idMap('organisationUnits', 'UID');
    let cur: number | null = ouId;
    for (let depth = 0; cur != null && depth < 100; depth++) {
      if (set.has(cur)) return true;
      let parent = this.ouParent.get(cur);
      if (parent === undefined) {
        const p = refId(this.json(cur).parent);
        parent = p ? (ouUids.get(p) ?? null) : null;
        this.ouParent.set(cur, parent);
      }
      cur = parent;
    }
    return false;
  }
}
