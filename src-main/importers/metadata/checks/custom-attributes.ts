/** Custom attributes (DHIS2 `Attribute`) as the attribute checks read them: definitions and the values objects carry. */
import type { Bundle, Item } from '../bundle.ts';
import { isObj } from '../objects.ts';
import type { Obj } from '../types.ts';
import { METADATA_TYPES } from '../../../../src-shared/dhis2/schema/registry.ts';

/** Attribute definitions by uid: the stored ones, replaced by the payload's (removed ones included). */
export function attributeDefinitions(b: Bundle): Map<string, Obj> {
  const attrs = new Map<string, Obj>();
  for (const r of b.repo.attributeDefinitions()) {
    const a = JSON.parse(r) as Obj;
    attrs.set(a.id as string, a);
  }
  for (const it of b.byType.get('attributes') ?? []) attrs.set(it.obj.id as string, it.obj);
  return attrs;
}

/** The non-empty attribute values of an object: attribute uid → value. */
export function attributeValuesOf(o: Obj): Map<string, string> {
  const m = new Map<string, string>();
  for (const av of Array.isArray(o.attributeValues) ? o.attributeValues : []) {
    if (isObj(av) && isObj(av.attribute) && typeof av.attribute.id === 'string' && av.value != null && av.value !== '') m.set(av.attribute.id, String(av.value));
  }
  return m;
}

/**
 * For each payload type that can carry custom attributes: its items and the attribute definitions that apply to it
 * and have `property` (`mandatory`, `unique`) set. Yields nothing when no attribute is defined.
 */
export function* attributesByType(b: Bundle, property: 'mandatory' | 'unique'): Generator<[type: string, items: Item[], attrs: Obj[]]> {
  const attrs = attributeDefinitions(b);
  if (!attrs.size) return;
  for (const [type, list] of b.byType) {
    const flag = METADATA_TYPES[type]!.attributeFlag;
    if (!flag) continue;
    yield [type, list, [...attrs.values()].filter((a) => a[flag] === true && a[property] === true)];
  }
}
