/**
 * E1122: the category option combos given for a category combo must be exactly the cartesian product of its
 * categories' options (dhis2-core checks this in a validation hook of the category model, run by
 * ValidationHooksCheck). A combo whose option combos do not match loses all of them.
 */
import { METADATA_TYPES } from '../../../../src-shared/dhis2/schema/registry.ts';
import type { Item } from '../bundle.ts';
import { DEFAULT_UID_SET, isObj, str } from '../objects.ts';
import type { Obj } from '../types.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';

const idsOf = (o: Obj | null, p: string): string[] =>
  o && Array.isArray(o[p]) ? (o[p] as unknown[]).filter(isObj).map((x) => String(x.id)) : [];

export const categoryOptionCombosCheck: MetadataCheck = {
  name: 'CategoryOptionCombosCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const cocs = b.live('categoryOptionCombos');
    if (!cocs.length) return;
    const byCombo = new Map<string, Item[]>();
    const firstOf = new Map<string, Item>();
    const add = (combo: string, it: Item | null, holder: Item): void => {
      let l = byCombo.get(combo);
      if (!l) byCombo.set(combo, (l = []));
      if (it) l.push(it);
      if (!firstOf.has(combo)) firstOf.set(combo, holder);
    };
    for (const it of cocs) {
      const combo = isObj(it.obj.categoryCombo) ? str(it.obj.categoryCombo.id) : undefined;
      if (combo) add(combo, it, it);
      if (it.existing) {
        const old = JSON.parse(it.existing.json ?? '{}') as Obj;
        const oldCombo = isObj(old.categoryCombo) ? str(old.categoryCombo.id) : undefined;
        if (oldCombo && oldCombo !== combo) add(oldCombo, null, it);
      }
    }
    for (const [combo, given] of byCombo) {
      if (DEFAULT_UID_SET.has(combo)) continue;
      const comboObj = b.json('categoryCombos', combo);
      if (!comboObj) continue;
      let expected: string[][] = [[]];
      for (const cat of idsOf(comboObj, 'categories')) {
        const opts = idsOf(b.json('categories', cat), 'categoryOptions');
        expected = expected.flatMap((prefix) => opts.map((op) => [...prefix, op]));
      }
      const key = (ids: string[]): string => [...ids].sort().join(',');
      const holder = given[0] ?? firstOf.get(combo)!;
      let message: string | null = null;
      if (given.length !== expected.length) {
        message = `Importing ${given.length} CategoryOptionCombos does not match the expected amount of ${expected.length} for CategoryCombo ${combo}`;
      } else {
        const exp = new Set(expected.map(key));
        const got = new Set(given.map((g) => key(idsOf(g.obj, 'categoryOptions'))));
        const unexpected = given.filter((g) => !exp.has(key(idsOf(g.obj, 'categoryOptions'))));
        const missing = expected.filter((e) => !got.has(key(e)));
        if (unexpected.length || missing.length) {
          message =
            `Unexpected CategoryOptionCombo provided with CategoryOptions [${unexpected.map((u) => idsOf(u.obj, 'categoryOptions').join(', ')).join('], [')}] for CategoryCombo ${combo}. ` +
            `Missing expected CategoryOptionCombos with CategoryOption sets [${missing.map((m) => '[' + m.join(', ') + ']').join(', ')}]`;
        }
      }
      if (message) {
        b.error(holder, 'E1122', message, { errorKlass: METADATA_TYPES.categoryCombos!.klass, errorProperty: 'categoryOptionCombos', args: [combo], value: combo });
        for (const g of given) g.removed = true;
        holder.removed = true;
      }
    }
  },
};
