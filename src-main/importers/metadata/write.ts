/**
 * The write (DHIS2's object bundle commit): the valid objects in import order through MetadataRepo, then their
 * reference rows, then orphaned owned objects deleted, org unit paths rebuilt, and the missing option combos of
 * category combos generated. Progress and cancellation every 2,000 objects.
 */
import { generateUid } from '../../../src-shared/dhis2/uid.ts';
import { IMPORT_ORDER } from '../../../src-shared/dhis2/schema/registry.ts';
import type { RefSpec } from '../../../src-shared/dhis2/schema/types.ts';
import type { Bundle, Item } from './bundle.ts';
import { DEFAULT_UID_SET, isObj, listOf, shapeOf } from './objects.ts';
import type { Obj } from './types.ts';

/** The JSON stored for an object: inverse properties dropped, kept translations/sharing, defaults, timestamps. */
function storedJson(b: Bundle, it: Item): Obj {
  const o = it.obj;
  const out: Obj = { ...o };
  for (const p of Object.keys(it.spec.inverse ?? {})) delete out[p];
  const old = it.existing;
  if (b.opts.skipTranslation) {
    if (old?.translations != null) out.translations = JSON.parse(old.translations) as unknown;
    else delete out.translations;
  }
  if (b.opts.skipSharing) {
    if (old?.sharing != null) out.sharing = JSON.parse(old.sharing) as unknown;
    else delete out.sharing;
  }
  for (const [k, v] of Object.entries(it.spec.defaults ?? {})) if (out[k] == null) out[k] = v;
  for (const [p, e] of Object.entries(it.spec.embedded ?? {})) {
    if (!e.defaults || !Array.isArray(out[p])) continue;
    out[p] = (out[p] as unknown[]).map((x) => {
      if (!isObj(x)) return x;
      const y = { ...x };
      for (const [k, v] of Object.entries(e.defaults!)) if (y[k] == null) y[k] = v;
      return y;
    });
  }
  out.created = old?.created ?? (o.created as string | undefined) ?? b.opts.now;
  out.lastUpdated = b.opts.now;
  return out;
}

/** Writes the objects still in the import. */
export function write(b: Bundle): void {
  const order = new Map(IMPORT_ORDER.map((t, i) => [t, i]));
  const live = b.live().sort((x, y) => (order.get(x.type) ?? 999) - (order.get(y.type) ?? 999));
  const ids = new Map<string, Map<string, number>>();
  const idOf = (type: string, uid: string): number | null => {
    const m = ids.get(type)?.get(uid);
    if (m != null) return m;
    const s = b.dbByUid.get(type)?.get(uid);
    if (s) return s.id;
    return b.repo.idOf(type, uid);
  };
  let done = 0;
  const total = live.length;
  let ouTouched = false;
  const orphans: number[] = [];
  for (const it of live) {
    const json = storedJson(b, it);
    if (it.existing) {
      for (const p of it.spec.orphanDelete ?? []) {
        const before = (JSON.parse(it.existing.json ?? '{}') as Obj)[p];
        const after = new Set(Array.isArray(json[p]) ? (json[p] as Obj[]).map((x) => x.id) : []);
        const target = it.spec.refs?.[p]?.target;
        if (!target || !Array.isArray(before)) continue;
        for (const x of before) {
          if (!isObj(x) || after.has(x.id) || b.payloadByUid.get(target)?.has(String(x.id))) continue;
          const id = b.repo.idOf(target, String(x.id));
          if (id != null) orphans.push(id);
        }
      }
    }
    const { id } = b.repo.upsert(it.type, json, b.opts.sourceFileId ?? null);
    let m = ids.get(it.type);
    if (!m) ids.set(it.type, (m = new Map()));
    m.set(json.id as string, id);
    if (it.type === 'organisationUnits') ouTouched = true;
    if (++done % 2000 === 0) {
      b.hooks.progress?.('writing', done, total * 2);
      b.hooks.throwIfCancelled?.();
    }
  }
  done = 0;
  for (const it of live) {
    const fromId = ids.get(it.type)!.get(it.obj.id as string)!;
    const refs: { toId: number; property: string }[] = [];
    const collect = (holder: Obj, refsSpec: Record<string, RefSpec> | undefined, prefix: string): void => {
      for (const [p, r] of Object.entries(refsSpec ?? {})) {
        if (r.owner === false) continue;
        const v = holder[p];
        const list = r.collection && Array.isArray(v) ? v : isObj(v) ? [v] : [];
        for (const x of list) {
          if (!isObj(x) || typeof x.id !== 'string') continue;
          const toId = idOf(r.target, x.id);
          if (toId != null) refs.push({ toId, property: prefix + p });
        }
      }
    };
    collect(it.obj, it.spec.refs, '');
    for (const [p, e] of shapeOf(it.type).embedded) {
      for (const x of listOf(it.obj[p])) if (isObj(x)) collect(x, e.refs, `${p}.`);
    }
    if (refs.length || it.existing) b.repo.setRefs(fromId, refs);
    if (++done % 2000 === 0) {
      b.hooks.progress?.('writing', total + done, total * 2);
      b.hooks.throwIfCancelled?.();
    }
  }
  for (const id of orphans) b.repo.delete(id);
  if (ouTouched || orphans.length) b.repo.rebuildOrgUnitPaths();
  if (!b.opts.lenient) generateMissingCocs(b, live.filter((i) => i.type === 'categoryCombos').map((i) => ids.get('categoryCombos')!.get(i.obj.id as string)!));
  b.hooks.progress?.('writing', total * 2, total * 2);
}

/**
 * A category combo without any category option combo gets the full cartesian product of its categories' options
 * (DHIS2 generates them after a metadata import), so data can be entered against it.
 */
function generateMissingCocs(b: Bundle, comboIds: number[]): void {
  const repo = b.repo;
  for (const comboId of comboIds) {
    const combo = repo.getById(comboId);
    if (!combo || DEFAULT_UID_SET.has(combo.uid) || repo.hasCategoryOptionCombos(comboId)) continue;
    const cats = (Array.isArray(combo.json.categories) ? combo.json.categories : []).filter(isObj).map((c) => repo.getByUid('categories', String(c.id)));
    if (!cats.length || cats.some((c) => !c)) continue;
    let rows: { id: number; uid: string; name: string }[][] = [[]];
    for (const cat of cats) {
      const opts = (Array.isArray(cat!.json.categoryOptions) ? cat!.json.categoryOptions : [])
        .filter(isObj)
        .map((o) => repo.getByUid('categoryOptions', String(o.id)))
        .filter((o): o is NonNullable<typeof o> => o != null)
        .map((o) => ({ id: o.id, uid: o.uid, name: o.name ?? o.uid }));
      rows = rows.flatMap((prefix) => opts.map((o) => [...prefix, o]));
    }
    for (const opts of rows) {
      if (!opts.length) continue;
      const coc: Obj = {
        id: generateUid(), name: opts.map((o) => o.name).join(', '), ignoreApproval: false, categoryCombo: { id: combo.uid },
        categoryOptions: opts.map((o) => ({ id: o.uid })), created: b.opts.now, lastUpdated: b.opts.now,
      };
      const { id } = repo.upsert('categoryOptionCombos', coc, b.opts.sourceFileId ?? null);
      repo.setRefs(id, [{ toId: comboId, property: 'categoryCombo' }, ...opts.map((o) => ({ toId: o.id, property: 'categoryOptions' }))]);
      b.generatedCocs++;
    }
  }
}
