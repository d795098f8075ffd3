/** Custom attributes (DHIS2 `Attribute`) as the attribute checks read them: definitions and the values objects carry. */
import type { Bundle } from '../bundle.ts';
import { isObj } from '../objects.ts';
import type { Obj } from '../types.ts';

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
