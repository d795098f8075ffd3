/**
 * UniquenessCheck — E5003: a unique property (identifiable ones such as `code`, plus the type's own, e.g. a data
 * element's `name`) whose value another object holds, stored or earlier in the payload. A stored owner that this
 * payload gives another value does not clash.
 */
import { IDENTIFIABLE, METADATA_TYPES } from '../../../../src-shared/dhis2/schema/registry.ts';
import type { Bundle, Item } from '../bundle.ts';
import { describe } from '../objects.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';

/** Stored values of a property for a type, value → uid and name. */
function storedValues(b: Bundle, type: string, prop: string): Map<string, { uid: string; name: string | null }> {
  const m = new Map<string, { uid: string; name: string | null }>();
  for (const r of b.repo.propertyValues(type, prop)) m.set(String(r.v), { uid: r.uid, name: r.name });
  return m;
}

/** true when the stored owner of a value is itself updated in this payload with another value (no clash). */
function payloadOwnsUid(b: Bundle, type: string, uid: string, prop: string, value: string): boolean {
  const it = b.payloadByUid.get(type)?.get(uid);
  return !!it && !it.removed && it.obj[prop] !== value;
}

export const uniquenessCheck: MetadataCheck = {
  name: 'UniquenessCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    for (const [type, list0] of b.byType) {
      const spec = METADATA_TYPES[type]!;
      const props = [...new Set([...IDENTIFIABLE.unique, ...(spec.unique ?? [])])].filter((p) => !spec.notUnique?.includes(p));
      for (const p of props) {
        const list = list0.filter((i) => !i.removed && typeof i.obj[p] === 'string');
        if (!list.length) continue;
        const stored = storedValues(b, type, p);
        const seen = new Map<string, Item>();
        for (const it of list) {
          const v = it.obj[p] as string;
          const uid = it.obj.id as string;
          const other = stored.get(v);
          const first = seen.get(v);
          let clash: string | null = null;
          if (other && other.uid !== uid && !payloadOwnsUid(b, type, other.uid, p, v)) clash = describe(type, { id: other.uid, name: other.name });
          else if (first && first.obj.id !== uid) clash = describe(type, first.obj);
          if (clash) {
            const d = describe(type, it.obj);
            b.error(it, 'E5003', `Property \`${p}\` with value \`${v}\` on object ${d} already exists on object ${clash}`, {
              errorProperty: p, args: [p, v, d, clash], value: v,
            });
          } else if (!first) seen.set(v, it);
        }
      }
    }
  },
};
