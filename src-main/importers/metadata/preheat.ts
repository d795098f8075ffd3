/**
 * The preheat (DHIS2's DefaultPreheatService): drop the default category objects from the payload, load in batches
 * the stored objects the payload mentions, match payload objects with stored ones (assigning UIDs), connect missing
 * category-model references to the defaults, and upgrade pre-2.32 org unit coordinates.
 */
import { generateUid } from '../../../src-shared/dhis2/uid.ts';
import { DEFAULT_UIDS, METADATA_TYPES } from '../../../src-shared/dhis2/schema/registry.ts';
import type { RefSpec } from '../../../src-shared/dhis2/schema/types.ts';
import type { PreheatColumns } from '../../db/repos/metadata.ts';
import type { Bundle, Item, Stored } from './bundle.ts';
import { CATEGORY_TYPES, DEFAULT_UID_SET, isObj, shapeOf, str } from './objects.ts';
import type { Obj } from './types.ts';

/** Types whose stored JSON the checks read (category model for the COC check, owners of orphan-deleted collections). */
const FULL_JSON_TYPES = [
  'categoryOptionCombos', 'categoryCombos', 'categories',
  ...Object.values(METADATA_TYPES).filter((t) => t.orphanDelete?.length).map((t) => t.plural),
];

/**
 * DHIS2 drops default category objects from a payload silently; fixtures (lenient) may carry properties (e.g. a
 * code) the stored default needs, which are merged into it.
 */
export function dropDefaults(b: Bundle): void {
  for (const type of CATEGORY_TYPES) {
    const list = b.byType.get(type);
    if (!list) continue;
    const keep: Item[] = [];
    for (const it of list) {
      const isDefault = it.obj.id === DEFAULT_UIDS[type] || (it.obj.id == null && it.obj.name === 'default');
      if (!isDefault) {
        keep.push(it);
        continue;
      }
      it.removed = true;
      if (b.opts.lenient) {
        const stored = b.repo.getByUid(type, DEFAULT_UIDS[type]!);
        if (stored) {
          const merged = { ...stored.json };
          for (const k of ['code', 'name', 'shortName']) if (it.obj[k] != null) merged[k] = it.obj[k];
          b.repo.upsert(type, merged, b.opts.sourceFileId ?? null);
        }
      }
    }
    b.byType.set(type, keep);
  }
  b.items = b.items.filter((i) => !i.removed);
}

/** Calls fn for every reference an object holds (its own and its embedded objects'), with the target type. */
function forEachRef(it: Item, fn: (target: string, ref: Obj) => void): void {
  const visit = (o: Obj, refs: Record<string, RefSpec> | undefined): void => {
    if (!refs) return;
    for (const [p, r] of Object.entries(refs)) {
      const v = o[p];
      if (r.collection && Array.isArray(v)) for (const x of v) isObj(x) && fn(r.target, x);
      else if (isObj(v)) fn(r.target, v);
    }
  };
  visit(it.obj, it.spec.refs);
  for (const [p, e] of shapeOf(it.type).embedded) {
    const v = it.obj[p];
    if (Array.isArray(v)) for (const x of v) isObj(x) && visit(x, e.refs);
    else if (isObj(v)) visit(v, e.refs);
  }
}

/** Loads, in batches, the stored objects the payload mentions (by uid, and by code per type). */
export function preheat(b: Bundle): void {
  const uids = new Set<string>(DEFAULT_UID_SET);
  const codes = new Map<string, Set<string>>();
  const addCode = (type: string, code: string | undefined): void => {
    if (!code) return;
    let set = codes.get(type);
    if (!set) codes.set(type, (set = new Set()));
    set.add(code);
  };
  for (const it of b.items) {
    const id = str(it.obj.id);
    if (id) uids.add(id);
    addCode(it.type, str(it.obj.code));
    forEachRef(it, (target, ref) => {
      const rid = str(ref.id);
      if (rid) uids.add(rid);
      addCode(target, str(ref.code));
    });
  }
  const cols: PreheatColumns = { translations: !!b.opts.skipTranslation, sharing: !!b.opts.skipSharing, jsonTypes: FULL_JSON_TYPES };
  // a database smaller than the lookup (e.g. a first import) is read once instead of in batches
  if (b.repo.countAll() <= uids.size) {
    for (const r of b.repo.preheatAll(cols)) remember(b, r);
    return;
  }
  for (const r of b.repo.preheatByUids(cols, [...uids])) remember(b, r);
  for (const [type, set] of codes) {
    const known = b.dbByCode.get(type);
    const rest = known ? [...set].filter((c) => !known.has(c)) : [...set];
    if (rest.length) for (const r of b.repo.preheatByCodes(cols, type, rest)) remember(b, r);
  }
}

function remember(b: Bundle, r: Stored): void {
  let m = b.dbByUid.get(r.type);
  if (!m) b.dbByUid.set(r.type, (m = new Map()));
  m.set(r.uid, r);
  if (r.code != null) {
    let c = b.dbByCode.get(r.type);
    if (!c) b.dbByCode.set(r.type, (c = new Map()));
    c.set(r.code, r);
  }
}

/** Matches payload objects with stored ones; matched objects keep the stored UID; others without id get one. */
export function match(b: Bundle): void {
  for (const it of b.items) {
    it.existing = b.findStored(it.type, it.obj);
    if (it.existing) it.obj.id = it.existing.uid;
    else if (!str(it.obj.id)) it.obj.id = generateUid();
    const uid = it.obj.id as string;
    let m = b.payloadByUid.get(it.type);
    if (!m) b.payloadByUid.set(it.type, (m = new Map()));
    if (!m.has(uid)) m.set(uid, it);
    const code = str(it.obj.code);
    if (code) {
      let c = b.payloadByCode.get(it.type);
      if (!c) b.payloadByCode.set(it.type, (c = new Map()));
      if (!c.has(code)) c.set(code, it);
    }
  }
}

/** A missing reference to the category model is connected to the system default (not on embedded objects). */
export function connectDefaults(b: Bundle): void {
  for (const it of b.items) {
    if (it.type === 'categoryOptionCombos') continue;
    for (const [p, r] of Object.entries(it.spec.refs ?? {})) {
      if (r.collection || !CATEGORY_TYPES.has(r.target) || it.obj[p] != null) continue;
      it.obj[p] = { id: DEFAULT_UIDS[r.target] };
    }
  }
}

/** Before 2.32 org units carried `featureType` + `coordinates` (JSON text) instead of GeoJSON `geometry`. */
export function legacyCoordinates(b: Bundle): void {
  const types: Record<string, string> = { POINT: 'Point', POLYGON: 'Polygon', MULTI_POLYGON: 'MultiPolygon' };
  for (const it of b.byType.get('organisationUnits') ?? []) {
    const o = it.obj;
    if (o.geometry != null || typeof o.coordinates !== 'string' || typeof o.featureType !== 'string') continue;
    const t = types[o.featureType];
    if (!t) continue;
    try {
      const coordinates = JSON.parse(o.coordinates) as unknown;
      if (!Array.isArray(coordinates)) continue;
      o.geometry = { type: t, coordinates };
      delete o.coordinates;
    } catch {
      /* not JSON: leave the object as it is */
    }
  }
}
