/**
 * UniqueAttributesCheck — E4009: a value of a unique custom attribute already held by another object of the type,
 * stored or met earlier in the payload (objects to update first, then new ones, as DHIS2 visits them). As dhis2-core:
 * only for types with at least one unique attribute assigned, stored values only of the attributes assigned and unique
 * as stored, any attribute whose definition says `unique` checked within the payload, empty values skipped; the report
 * is on the Attribute (mainId its uid, errorProperty `value`) and names it by its display name. Then every object with
 * an attribute error (this check's or MandatoryAttributesCheck's) is removed.
 */
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { attributeEntries, attributeModel, hasAttributeEntries, typesWithAttributeValues } from './custom-attributes.ts';
import { ATTRIBUTE_KLASS } from './mandatory-attributes-check.ts';

export const uniqueAttributesCheck: MetadataCheck = {
  name: 'UniqueAttributesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const model = attributeModel(b);
    for (const [type, itemsOf] of typesWithAttributeValues(b)) {
      const unique = model.unique(type);
      // nothing to check, and no MandatoryAttributesCheck error to act on
      if (!unique.length && !model.mandatory(type).length) continue;
      const items = itemsOf();
      if (unique.length) {
        // attribute uid → value → owner uid: the stored values first (one query per unique attribute the type has as
        // stored; an attribute the payload makes unique is checked within the payload only, as DHIS2's preheat does)
        const owners = new Map<string, Map<string, string>>();
        for (const aid of model.storedUnique(type)) {
          const m = new Map<string, string>();
          for (const r of b.repo.attributeValues(type, aid)) if (r.v != null) m.set(typeof r.v === 'string' ? r.v : JSON.stringify(r.v), r.uid);
          owners.set(aid, m);
        }
        for (const it of items) {
          if (!hasAttributeEntries(it.obj)) continue;
          const uid = it.obj.id as string;
          for (const [aid, v] of attributeEntries(it.obj)) {
            const a = model.byUid.get(aid);
            if (!a || a.unique !== true || v === '') continue;
            let m = owners.get(aid);
            if (!m) owners.set(aid, (m = new Map()));
            const other = m.get(v);
            if (other !== undefined && other !== uid) {
              const name = typeof a.displayName === 'string' && a.displayName ? a.displayName : typeof a.name === 'string' ? a.name : aid;
              b.error(it, 'E4009', `Attribute \`${name}\` is unique, and value \`${v}\` already exist`, {
                mainKlass: ATTRIBUTE_KLASS, mainId: aid, errorProperty: 'value', args: [name, v], errorProperties: [name, v], value: v,
              }, false);
            } else m.set(v, uid);
          }
        }
      }
      // only the attribute checks' errors: other checks' (the object bundle hooks') stay theirs to act on
      for (const it of items) if (it.errors.some((e) => e.errorCode === 'E4011' || e.errorCode === 'E4009')) it.removed = true;
    }
  },
};
