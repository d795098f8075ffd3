/**
 * ReferencesCheck — every reference (own and in embedded objects) is resolved to a uid against the payload, the
 * database and the system defaults, and rewritten as `{ id }`:
 *  - E5002: an unresolved reference is dropped (the object stays, DHIS2 strips it); under skipValidation it is kept
 *    and listed as a missing reference; fixtures (lenient) keep it as given;
 *  - E5007: a reference given twice in a collection is dropped;
 *  - non-owner collections (the other side owns the relation) are not stored; with importReportMode
 *    ERRORS_NOT_OWNER each of their references is E5006 (dhis2-core checks these in NotOwnerReferencesCheck; here
 *    in the same pass, so an object's errors stay in property order);
 *  - custom attribute values: checkAttributeValues below.
 */
import { METADATA_TYPES, simpleClassName } from '../../../../src-shared/dhis2/schema/registry.ts';
import type { RefSpec } from '../../../../src-shared/dhis2/schema/types.ts';
import { describe, isObj, listOf, shapeOf, singularProp, str } from '../objects.ts';
import type { Obj } from '../types.ts';
import type { Bundle, Item } from '../bundle.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { hasAttributeValues } from './custom-attributes.ts';

/**
 * Custom attribute values (dhis2-core's checkAttributeValues): each attribute is looked up by uid, on the types that
 * keep attribute values only. An unknown one is E5002 naming the bare uid, for association `attributeValues`, with no
 * mainId; the value is kept (MetadataAttributeCheck then refuses the object: E6012).
 */
function checkAttributeValues(b: Bundle, it: Item, dOf: () => string): void {
  if (!hasAttributeValues(it.spec) || !Array.isArray(it.obj.attributeValues)) return;
  const known = (id: string): boolean => !!(b.payloadByUid.get('attributes')?.has(id) || b.dbByUid.get('attributes')?.has(id));
  for (const av of it.obj.attributeValues) {
    if (!isObj(av) || !isObj(av.attribute)) continue;
    const id = str(av.attribute.id);
    if (!id) continue;
    if (known(id)) {
      av.attribute = { id };
      continue;
    }
    if (b.opts.lenient) continue;
    if (b.opts.skipValidation) {
      b.missingRefs.push({ type: it.type, uid: it.obj.id as string, name: str(it.obj.name), property: 'attributeValues', targetType: 'attributes', target: id });
      continue;
    }
    b.refErrorTypes.add(it.type);
    b.error(it, 'E5002', `Invalid reference ${id} on object ${dOf()} for association \`attributeValues\``, {
      mainId: undefined, args: [id, dOf(), 'attributeValues'], errorProperties: [id, dOf(), 'attributeValues'], value: id,
    }, false);
  }
}

export const referencesCheck: MetadataCheck = {
  name: 'ReferencesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: true,
  run(b) {
    const o = b.opts;
    const notOwnerErrors = o.importReportMode === 'ERRORS_NOT_OWNER';
    for (const it of b.live()) {
      let described: string | null = null;
      const dOf = (): string => (described ??= describe(it.type, it.obj));
      const handle = (holder: Obj, prop: string, r: RefSpec, path: string): void => {
        const v = holder[prop];
        if (v == null) return;
        if (r.owner === false) {
          if (notOwnerErrors && Array.isArray(v)) {
            for (const x of v) {
              if (!isObj(x)) continue;
              const rd = describe(r.target, x);
              b.error(it, 'E5006', `Non-owner reference ${rd} on object ${dOf()} for association \`${singularProp(prop, r.target)}\` disallowed for payload for ERRORS_NOT_OWNER`, {
                errorKlass: METADATA_TYPES[r.target]?.klass, errorProperty: path, args: [rd, dOf(), singularProp(prop, r.target)], value: str(x.id) ?? str(x.code),
              }, false);
            }
          }
          delete holder[prop]; // the other side owns this relation
          return;
        }
        const assoc = r.collection ? singularProp(prop, r.target) : prop;
        const fix = (x: unknown): Obj | null => {
          if (!isObj(x)) return null;
          const uid = b.resolve(r.target, x);
          if (uid) return { id: uid };
          const key = str(x.id) ?? str(x.code) ?? '';
          const rd = `[${key}] (${simpleClassName(r.target)})`;
          if (o.lenient) return { ...x };
          if (o.skipValidation) {
            b.missingRefs.push({ type: it.type, uid: it.obj.id as string, name: str(it.obj.name), property: path, targetType: r.target, target: key });
            return { ...x };
          }
          b.refErrorTypes.add(it.type);
          b.error(it, 'E5002', `Invalid reference ${rd} on object ${dOf()} for association \`${assoc}\``, {
            errorKlass: METADATA_TYPES[r.target]?.klass, errorProperty: path, errorProperties: [rd, dOf(), assoc], args: [rd, dOf(), assoc], value: key,
          }, false);
          return null;
        };
        if (r.collection) {
          if (!Array.isArray(v)) return;
          const out: Obj[] = [];
          const seen = new Set<string>();
          for (const x of v) {
            const f = fix(x);
            if (!f) continue;
            const key = String(f.id);
            if (seen.has(key)) {
              const rd = `[${key}] (${simpleClassName(r.target)})`;
              b.refErrorTypes.add(it.type);
              b.error(it, 'E5007', `Duplicate reference ${rd} on object ${dOf()} for association \`${assoc}\``, {
                errorKlass: METADATA_TYPES[r.target]?.klass, errorProperty: path, args: [rd, dOf(), assoc], value: key,
              }, false);
              continue;
            }
            seen.add(key);
            out.push(f);
          }
          holder[prop] = out;
        } else {
          const f = fix(v);
          if (f) holder[prop] = f;
          else delete holder[prop];
        }
      };
      for (const [p, r] of Object.entries(it.spec.refs ?? {})) handle(it.obj, p, r, p);
      for (const [p, e] of shapeOf(it.type).embedded) {
        if (p === 'attributeValues') {
          checkAttributeValues(b, it, dOf);
          continue;
        }
        for (const x of listOf(it.obj[p])) if (isObj(x)) for (const [q, r] of Object.entries(e.refs ?? {})) handle(x, q, r, `${p}.${q}`);
      }
    }
  },
};
