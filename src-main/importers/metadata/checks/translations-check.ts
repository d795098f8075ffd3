/**
 * TranslationsCheck (dhis2-core master) — the `translations` of each object: on a type whose schema is not
 * translatable, E1107 once for the object (the object is NOT removed: DHIS2 reports it and keeps it); else, per
 * translation, E4000 for a missing locale, else property, else value, and E1106 for a second translation of the same
 * property and locale (DHIS2 holds translations in a set: an exact copy — same locale, property and value — is one
 * translation and raises nothing). An object with E4000/E1106 is removed. The reports' main class is Translation.
 */
import { NOT_TRANSLATABLE } from '../../../../src-shared/dhis2/schema/property-rules.ts';
import { simpleClassName } from '../../../../src-shared/dhis2/schema/registry.ts';
import { isObj, str } from '../objects.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';

const TRANSLATION = 'org.hisp.dhis.translation.Translation';

/** DHIS2's Locale.toString: language, then region, then script, joined by `_` (a `-` tag read as DHIS2 parses it). */
function localeString(v: string): string {
  const parts = v.split(/[-_]/);
  if (parts.length === 3 && parts[1]!.length === 4) return `${parts[0]}_${parts[2]}_${parts[1]}`; // language-Script-REGION tag
  return parts.join('_');
}

export const translationsCheck: MetadataCheck = {
  name: 'TranslationsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    for (const it of b.live()) {
      const list = it.obj.translations;
      if (!Array.isArray(list) || list.length === 0) continue;
      const klass = it.spec.klass;
      const simple = simpleClassName(it.type);
      if (NOT_TRANSLATABLE.has(it.type)) {
        b.error(it, 'E1107', `Object type \`${simple}\` is not translatable`, { mainKlass: TRANSLATION, mainId: undefined, errorKlass: klass, args: [simple] }, false);
        continue;
      }
      const seen = new Map<string, Set<string | undefined>>();
      let bad = false;
      for (const t of list) {
        const tr = isObj(t) ? t : {};
        const locale = typeof tr.locale === 'string' && tr.locale !== '' ? tr.locale : undefined;
        const property = typeof tr.property === 'string' ? tr.property : undefined;
        const value = typeof tr.value === 'string' ? tr.value : undefined;
        const missing = locale === undefined ? 'locale' : property === undefined ? 'property' : value === undefined ? 'value' : null;
        if (missing) {
          b.error(it, 'E4000', `Missing required property \`${missing}\``, { mainKlass: TRANSLATION, mainId: undefined, errorKlass: klass, errorProperty: missing, args: [missing] }, false);
          bad = true;
          continue;
        }
        const loc = localeString(locale!);
        const key = `${property}_${loc}`;
        const values = seen.get(key);
        if (!values) {
          seen.set(key, new Set([value]));
        } else if (!values.has(value)) {
          values.add(value);
          const uid = str(it.obj.id) ?? '';
          b.error(it, 'E1106', `There are duplicate translation records for property \`${property}\` and locale \`${loc}\` on ${simple} \`${uid}\``, {
            mainKlass: TRANSLATION, mainId: undefined, errorKlass: klass, args: [property!, loc, simple, uid],
          }, false);
          bad = true;
        }
      }
      if (bad) it.removed = true;
    }
  },
};
