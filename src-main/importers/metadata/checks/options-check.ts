/**
 * OptionObjectBundleHook.validate, for an option that names its option set (the set as DHIS2's preheat holds it: the
 * stored set with its stored options, else the payload's new set with its option references as given):
 *  - E4028: another option of the set has the same name or the same code (one error per such option, in the set's
 *    order; options without a name or a code are not compared);
 *  - E1118: the set's value type is MULTI_TEXT and the option's code holds the separator `,`.
 * Option sets themselves have no validating hook.
 */
import type { Bundle } from '../bundle.ts';
import { isObj, str } from '../objects.ts';
import type { Obj } from '../types.ts';
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import { fmt, hookError, klassOf, preheated, refUid, stored, storedObjectsOnce } from './hook-support.ts';

const E4028 = 'Option set `{0}` already contains option `{1}`';
const E1118 = 'Option set `{0}` of value type multi-text cannot have option codes with the separator character: `{1}`';

interface SetIndex {
  options: { uid: string; name?: string; code?: string }[];
  byName: Map<string, number[]>;
  byCode: Map<string, number[]>;
}

/**
 * The options of a set as DHIS2's preheat holds it: a stored set with its stored options (their stored names and
 * codes); a new set of the payload with its option references as given (usually bare uids: nothing to compare).
 */
function indexSet(b: Bundle, set: Obj, isStored: boolean): SetIndex {
  const refs = (Array.isArray(set.options) ? set.options : []).filter(isObj);
  const storedOpts = isStored ? storedObjectsOnce(b, 'options', [...new Set(refs.map((o) => str(o.id)).filter((u): u is string => !!u))]) : null;
  const idx: SetIndex = { options: [], byName: new Map(), byCode: new Map() };
  for (const ref of refs) {
    const uid = str(ref.id);
    if (!uid) continue;
    const o = storedOpts ? storedOpts.get(uid) : ref;
    if (!o) continue;
    const i = idx.options.length;
    const entry = { uid, name: typeof o.name === 'string' ? o.name : undefined, code: typeof o.code === 'string' ? o.code : undefined };
    idx.options.push(entry);
    if (entry.name == null || entry.code == null) continue;
    const add = (m: Map<string, number[]>, k: string): void => void (m.get(k) ?? m.set(k, []).get(k)!).push(i);
    add(idx.byName, entry.name);
    add(idx.byCode, entry.code);
  }
  return idx;
}

export const optionsCheck: MetadataCheck = {
  name: 'OptionsCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const sets = new Map<string, SetIndex | null>();
    for (const it of b.live('options')) {
      if (!isObj(it.obj.optionSet)) continue;
      const setUid = refUid(b, 'optionSets', it.obj.optionSet);
      const storedSet = setUid ? stored(b, 'optionSets', setUid) : null;
      const set = storedSet ?? preheated(b, 'optionSets', setUid);
      if (!set || !setUid) continue;
      let idx = sets.get(setUid);
      if (idx === undefined) sets.set(setUid, (idx = indexSet(b, set, storedSet != null)));
      if (!idx) continue;
      const uid = it.obj.id as string;
      const byName = typeof it.obj.name === 'string' ? (idx.byName.get(it.obj.name) ?? []) : [];
      const byCode = typeof it.obj.code === 'string' ? (idx.byCode.get(it.obj.code) ?? []) : [];
      const hits = new Set<number>([...byName, ...byCode]);
      for (const i of [...hits].sort((x, y) => x - y)) {
        const other = idx.options[i]!;
        if (other.uid === uid) continue;
        hookError(b, it, klassOf('optionSets'), 'E4028', fmt(E4028, setUid, other.uid), [setUid, other.uid], { errorProperty: 'optionSet', value: other.uid });
      }
      const code = it.obj.code;
      if (set.valueType === 'MULTI_TEXT' && typeof code === 'string' && code.includes(',')) {
        hookError(b, it, klassOf('optionSets'), 'E1118', fmt(E1118, setUid, code), [setUid, code], { errorProperty: 'code', value: code });
      }
    }
  },
};
