/**
 * UniquenessCheck — E5003: a unique simple property (`code` of identifiable objects unless the type's mapping says
 * otherwise, plus the type's own from the registry, e.g. a data element's `name` and `shortName`, an org unit level's
 * `level`) whose value another object of the type holds: a stored one, or one met earlier in the payload (objects to
 * update first, then new ones, as dhis2-core visits them). As DHIS2: a stored object keeps its value for this check
 * even when the payload gives it another one, the message names the other object by its identifier only (uid, or code
 * under identifier CODE) and so does mainId. The object is removed.
 */
import { IDENTIFIABLE, METADATA_TYPES } from '../../../../src-shared/dhis2/schema/registry.ts';
import type { Bundle } from '../bundle.ts';
import { describe, str } from '../objects.ts';
import type { Obj } from '../types.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { inCheckOrder } from './custom-attributes.ts';

/** The unique simple properties of a type. */
export function uniqueProperties(type: string): string[] {
  const spec = METADATA_TYPES[type]!;
  return [...new Set([...IDENTIFIABLE.unique, ...(spec.unique ?? [])])].filter((p) => !spec.notUnique?.includes(p));
}

/** A simple property's value as a lookup key (null: absent or not a simple value). */
const keyOf = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
/** A value as Java's MessageFormat prints it in the message (numbers grouped: 1,000). */
const shown = (v: unknown): string => (typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 3 }) : String(v));

export const uniquenessCheck: MetadataCheck = {
  name: 'UniquenessCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b: Bundle) {
    const byCode = b.opts.identifier === 'CODE';
    // under identifier CODE a holder without a code is named by its uid: DHIS2 keys its value by the null code, lets the
    // clash through this check and then fails the whole import on the database's unique constraint
    const ident = (o: { id?: unknown; uid?: unknown; code?: unknown }): string | undefined => (byCode ? str(o.code) : undefined) ?? str(o.id) ?? str(o.uid);
    for (const [type, list0] of b.byType) {
      const items = inCheckOrder(list0.filter((i) => !i.removed));
      if (!items.length) continue;
      for (const p of uniqueProperties(type)) {
        if (!items.some((i) => keyOf(i.obj[p]) != null)) continue;
        // value → the holder's uid (same object or not) and identifier (what the message names)
        const owners = new Map<string, { uid: string; ident: string }>();
        for (const r of b.repo.propertyValues(type, p)) {
          const k = keyOf(r.v);
          const id = ident(r);
          if (k != null && id) owners.set(k, { uid: r.uid, ident: id });
        }
        for (const it of items) {
          const v = it.obj[p];
          const k = keyOf(v);
          if (k == null) continue;
          const uid = it.obj.id as string;
          const other = owners.get(k);
          if (!other) {
            const id = ident(it.obj);
            if (id) owners.set(k, { uid, ident: id });
            continue;
          }
          if (other.uid === uid) continue;
          const d = describe(type, it.obj as Obj, ident(it.obj) ?? 'null');
          b.error(it, 'E5003', `Property \`${p}\` with value \`${shown(v)}\` on object ${d} already exists on object ${other.ident}`, {
            mainId: other.ident, errorProperty: p, args: [p, k, d, other.ident], errorProperties: [p, k, d, other.ident], value: k,
          });
        }
      }
    }
  },
};
