/**
 * UniqueAttributesCheck — E4009: a value of a unique custom attribute already held by another object (stored, or
 * earlier in the payload). Then every object with an attribute error (this check's or MandatoryAttributesCheck's) is
 * removed.
 */
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { attributesByType, attributeValuesOf } from './custom-attributes.ts';

export const uniqueAttributesCheck: MetadataCheck = {
  name: 'UniqueAttributesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    for (const [type, list, unique] of attributesByType(b, 'unique')) {
      const live = list.filter((i) => !i.removed);
      for (const a of unique) {
        const aid = a.id as string;
        const stored = new Map<string, string>();
        for (const r of b.repo.attributeValues(type, aid)) if (r.v != null) stored.set(String(r.v), r.uid);
        const seen = new Map<string, string>();
        for (const it of live) {
          const v = attributeValuesOf(it.obj).get(aid);
          if (v == null) continue;
          const uid = it.obj.id as string;
          const other = stored.get(v);
          const clash = (other && other !== uid) || (seen.has(v) && seen.get(v) !== uid);
          if (clash) b.error(it, 'E4009', `Attribute \`${aid}\` is unique, and value \`${v}\` already exist`, { errorProperty: 'attributeValues', args: [aid, v], value: v }, false);
          else seen.set(v, uid);
        }
      }
      for (const it of live) if (it.errors.length) it.removed = true;
    }
  },
};
