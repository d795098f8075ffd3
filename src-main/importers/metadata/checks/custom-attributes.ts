/**
 * Custom attributes (DHIS2 `Attribute`) as the attribute checks read them, built once per import as dhis2-core's
 * preheat does (DefaultPreheatService.handleAttributes): the definitions (a payload one replaces the stored one of its
 * uid, removed ones included), the attributes assigned to each type (an Attribute flag such as
 * `dataElementAttribute`), the mandatory and unique ones per type, and the values objects carry.
 */
import type { Bundle, Item } from '../bundle.ts';
import { isObj } from '../objects.ts';
import type { Obj } from '../types.ts';
import { METADATA_TYPES } from '../../../../src-shared/dhis2/schema/registry.ts';
import type { TypeSpec } from '../../../../src-shared/dhis2/schema/types.ts';

export interface AttributeModel {
  /** every definition by uid: the payload's where the payload has one, else the stored one */
  byUid: Map<string, Obj>;
  /** the attributes assigned to a type: uid → definition (stored ones, then the payload's) */
  assigned(type: string): Map<string, Obj>;
  /** uids of the type's mandatory attributes: stored definitions that say so, plus payload ones that do */
  mandatory(type: string): string[];
  /** uids of the type's unique attributes, likewise */
  unique(type: string): string[];
  /** uids of the type's unique attributes as stored (the ones whose stored values DHIS2's preheat loads) */
  storedUnique(type: string): string[];
}

/** true when DHIS2 persists (and so checks) the attribute values of objects of this type. */
export const hasAttributeValues = (spec: TypeSpec): boolean => !!spec.attributeFlag || spec.attributeValues === true;

const models = new WeakMap<Bundle, AttributeModel>();

/** The import's attribute model (the stored definitions are read once per bundle). */
export function attributeModel(b: Bundle): AttributeModel {
  let m = models.get(b);
  if (m) return m;
  const stored: Obj[] = b.repo.attributeDefinitions().map((j) => JSON.parse(j) as Obj);
  const payload: Obj[] = (b.byType.get('attributes') ?? []).map((i) => i.obj);
  const byUid = new Map<string, Obj>();
  for (const a of [...stored, ...payload]) if (typeof a.id === 'string') byUid.set(a.id, a);
  type PerType = { assigned: Map<string, Obj>; mandatory: string[]; unique: string[]; storedUnique: string[] };
  const cache = new Map<string, PerType>();
  const forType = (type: string): PerType => {
    let c = cache.get(type);
    if (c) return c;
    const flag = METADATA_TYPES[type]?.attributeFlag;
    c = { assigned: new Map(), mandatory: [], unique: [], storedUnique: [] };
    if (flag) {
      for (const a of [...stored, ...payload]) {
        if (a[flag] !== true || typeof a.id !== 'string') continue;
        c.assigned.set(a.id, a);
        if (a.mandatory === true && !c.mandatory.includes(a.id)) c.mandatory.push(a.id);
        if (a.unique === true && !c.unique.includes(a.id)) c.unique.push(a.id);
      }
      for (const a of stored) if (a[flag] === true && a.unique === true && typeof a.id === 'string') c.storedUnique.push(a.id);
    }
    cache.set(type, c);
    return c;
  };
  m = {
    byUid, assigned: (t) => forType(t).assigned, mandatory: (t) => forType(t).mandatory, unique: (t) => forType(t).unique,
    storedUnique: (t) => forType(t).storedUnique,
  };
  models.set(b, m);
  return m;
}

/**
 * The attribute values of an object as DHIS2 reads them (AttributeValues): [attribute uid, value] pairs sorted by
 * attribute uid, a null or absent value as '' and a non-string JSON value as its JSON text.
 */
export function attributeEntries(o: Obj): [string, string][] {
  const out: [string, string][] = [];
  for (const av of Array.isArray(o.attributeValues) ? o.attributeValues : []) {
    if (!isObj(av) || !isObj(av.attribute) || typeof av.attribute.id !== 'string') continue;
    const v = av.value;
    out.push([av.attribute.id, v == null ? '' : typeof v === 'string' ? v : JSON.stringify(v)]);
  }
  return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}

/** The non-empty attribute values of an object: attribute uid → value. */
export function attributeValuesOf(o: Obj): Map<string, string> {
  const m = new Map<string, string>();
  for (const [id, v] of attributeEntries(o)) if (v !== '') m.set(id, v);
  return m;
}

/**
 * The payload types whose attribute values DHIS2 checks, each with a function giving its objects in the order DHIS2's
 * checks visit them (objects to update first, then new ones; removed ones left out), built only when asked for.
 */
export function* typesWithAttributeValues(b: Bundle): Generator<[type: string, items: () => Item[]]> {
  for (const [type, list] of b.byType) {
    if (!hasAttributeValues(METADATA_TYPES[type]!)) continue;
    yield [type, () => inCheckOrder(list.filter((i) => !i.removed))];
  }
}

/** true when the object carries at least one attribute value entry. */
export const hasAttributeEntries = (o: Obj): boolean => Array.isArray(o.attributeValues) && o.attributeValues.length > 0;

/** DHIS2's checks visit the persisted objects (updates) before the new ones. */
export function inCheckOrder(items: Item[]): Item[] {
  return [...items.filter((i) => i.existing), ...items.filter((i) => !i.existing)];
}
