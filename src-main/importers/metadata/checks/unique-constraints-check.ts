/**
 * The database's multi-column unique constraints of top-level objects (the registry's `uniqueConstraints`: a section's
 * name within its data set, a data approval level's org unit level with its category option group set, a program
 * stage data element / program tracked entity attribute given as objects of their own). dhis2-core validates none of
 * them: the objects pass every check and the database refuses them when the import is saved, so the whole import
 * fails with nothing saved, whatever the atomic mode, and the response is the database's error, not an import report.
 * Ferry does the same: the import ends with an error naming the objects and the constraint, nothing written.
 * Not when nothing would be saved anyway (dry run, or atomic mode ALL with errors). Runs last, on the objects every
 * other check kept. (A program stage's own list of data elements is a set in DHIS2: a data element given twice there
 * is kept once, not refused.)
 */
import { ferryError } from '../../../../src-shared/keyed-errors.ts';
import { METADATA_TYPES } from '../../../../src-shared/dhis2/schema/registry.ts';
import type { Bundle } from '../bundle.ts';
import { describe, isObj, str } from '../objects.ts';
import type { Obj } from '../types.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';

/** A property's value as the constraint compares it (a reference by its uid); null holds nothing. */
function valueOf(b: Bundle, type: string, o: Obj, p: string): string | null {
  const v = o[p];
  const target = METADATA_TYPES[type]?.refs?.[p]?.target;
  if (target) return isObj(v) ? (b.resolve(target, v) ?? str(v.id) ?? null) : null;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

/** A stored value read back from the JSON: a reference object (as JSON text) gives its id. */
function storedValue(v: unknown): string | null {
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') return null;
  if (v.startsWith('{')) {
    try {
      const o = JSON.parse(v) as unknown;
      return isObj(o) ? (str(o.id) ?? null) : null;
    } catch {
      return v;
    }
  }
  return v;
}

function refuse(name: string, props: string[], a: string, c: string): never {
  const last = props[props.length - 1] ?? '';
  if (props.length > 1) throw ferryError('BAD_FILE', 'metadata.uniqueConstraintMany', { a, b: c, props: props.slice(0, -1).join(' and '), last, constraint: name }, { constraint: name });
  throw ferryError('BAD_FILE', 'metadata.uniqueConstraint', { a, b: c, last, constraint: name }, { constraint: name });
}

export const uniqueConstraintsCheck: MetadataCheck = {
  name: 'UniqueConstraintsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    if (b.opts.dryRun || (b.opts.atomicMode === 'ALL' && b.hasErrors())) return;
    for (const [type, list] of b.byType) {
      const spec = METADATA_TYPES[type]!;
      const live = list.filter((i) => !i.removed);
      if (!live.length) continue;
      for (const c of spec.uniqueConstraints ?? []) {
        // the state once saved: stored objects, replaced by the payload's of their uid
        const state = new Map<string, { key: (string | null)[]; label: string }>();
        const storedByUid = new Map<string, (string | null)[]>();
        const names = new Map<string, string | null>();
        c.properties.forEach((p, i) => {
          for (const r of b.repo.propertyValues(type, p)) {
            let k = storedByUid.get(r.uid);
            if (!k) storedByUid.set(r.uid, (k = c.properties.map(() => null)));
            k[i] = storedValue(r.v);
            names.set(r.uid, r.name);
          }
        });
        for (const [uid, key] of storedByUid) state.set(uid, { key, label: describe(type, { id: uid, name: names.get(uid) }) });
        const fromPayload = new Set<string>();
        for (const it of live) {
          const uid = it.obj.id as string;
          state.set(uid, { key: c.properties.map((p) => valueOf(b, type, it.obj, p)), label: describe(type, it.obj) });
          fromPayload.add(uid);
        }
        const seen = new Map<string, { uid: string; label: string }>();
        // payload objects last, so the first holder named is a stored one when there is one
        const order = [...state.keys()].sort((x, y) => Number(fromPayload.has(x)) - Number(fromPayload.has(y)));
        for (const uid of order) {
          const s = state.get(uid)!;
          if (s.key.some((v) => v == null)) continue;
          const k = JSON.stringify(s.key);
          const first = seen.get(k);
          if (first && fromPayload.has(uid)) refuse(c.name, c.properties, first.label, s.label);
          if (!first) seen.set(k, { uid, label: s.label });
        }
      }
    }
  },
};
