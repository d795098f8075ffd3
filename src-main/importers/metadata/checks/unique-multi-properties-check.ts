/**
 * UniqueMultiPropertiesCheck — E5005: new objects of one payload that share the values of a unique multi-property of
 * their type's DHIS2 schema descriptor (the registry's `uniqueMultiProperties`: a program rule variable's name within
 * its program). Every object of such a group is reported, naming all of them, and removed. As dhis2-core: objects to
 * update are not looked at, nor is the database (a clash with a stored object is the type's own hook's rule).
 */
import { METADATA_TYPES } from '../../../../src-shared/dhis2/schema/registry.ts';
import type { Item } from '../bundle.ts';
import { isObj, str } from '../objects.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';

export const uniqueMultiPropertiesCheck: MetadataCheck = {
  name: 'UniqueMultiPropertiesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    for (const [type, list] of b.byType) {
      const spec = METADATA_TYPES[type]!;
      if (!spec.uniqueMultiProperties?.length) continue;
      const fresh = list.filter((i) => !i.removed && !i.existing);
      const groups = new Map<string, { label: string; items: Item[] }>();
      for (const it of fresh) {
        for (const u of spec.uniqueMultiProperties) {
          const values = u.properties.map((p) => {
            const v = it.obj[p];
            if (spec.refs?.[p] && isObj(v)) return b.resolve(spec.refs[p].target, v) ?? str(v.id) ?? null;
            return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
          });
          const key = JSON.stringify([u.label, values]);
          let g = groups.get(key);
          if (!g) groups.set(key, (g = { label: u.label.join(', '), items: [] }));
          g.items.push(it);
        }
      }
      for (const g of groups.values()) {
        if (g.items.length < 2) continue;
        const uids = g.items.map((i) => i.obj.id as string).join(', ');
        for (const it of g.items) {
          b.error(it, 'E5005', `Properties \`${g.label}\` in objects \`${uids}\` must be unique within the payload`, {
            mainId: undefined, args: [g.label, uids], errorProperties: [g.label, uids],
          });
        }
      }
    }
  },
};
