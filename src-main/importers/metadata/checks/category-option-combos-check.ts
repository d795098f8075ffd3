/**
 * The category model's object bundle hooks (dhis2-core master: CategoryObjectBundleHook, CategoryComboObjectBundleHook,
 * CategoryOptionComboObjectBundleHook; their `validate` through CategoryService.validate), with DHIS2's default
 * server limits (dhis.conf `metadata.categories.max_options` 50, `max_per_combo` 5, `max_combinations` 500):
 *  - categories: E1127 more options than allowed (an empty option list counts the stored options);
 *  - category combos: E1126 too many categories, then E1127 for its first category over the limit, then E1128 too many
 *    combinations; E1120 an update that changes its categories while data values are stored for its option combos;
 *  - category option combos, in the hook's order: E1133 no category combo; E1122 a non-default option combo on the
 *    default combo (the combo's own validation sees a bare reference and always passes); then the full set for the combo (the stored option combo's combo
 *    for an update, the given one for a new option combo; E1110 when it cannot be found): E1130 on every option combo
 *    given for it when their number is not the number of combinations of its categories' options; else, for a new one,
 *    E1132 when a stored option combo of the same combo has the same options (a regenerated uid is refused), and E1131
 *    when its option set is not an expected one (or is given twice).
 * Sets inside messages are printed as Java prints its hash sets (same order). The error reports' class is
 * CategoryOptionCombo for every one of these codes (as DHIS2 reports them) but E1110 (CategoryCombo).
 */
import { DEFAULT_UIDS } from '../../../../src-shared/dhis2/schema/registry.ts';
import type { Bundle, Item } from '../bundle.ts';
import { isObj, str } from '../objects.ts';
import type { Obj } from '../types.ts';
import type { MetadataCheck } from './check.ts';
import { WRITE_STRATEGIES } from './check.ts';
import {
  copyCapacity, fmt, hookError, javaHashSetOrder, javaList, javaUidSet, klassOf, refKey, preheated, refUid, setHash, stored, storedObjects, uidHash,
} from './hook-support.ts';

/** dhis.conf defaults (ConfigurationKey METADATA_CATEGORIES_*) */
export const CATEGORY_LIMITS = { maxOptions: 50, maxPerCombo: 5, maxCombinations: 500 };

const M = {
  E1110: 'Category combo not found or not accessible: `{0}`',
  E1122: 'Category option combo {0} cannot be associated with the default category combo',
  E1126: 'Category combo {0} cannot combine more than {1} categories, but had: {2}',
  E1127: 'Category {0} cannot have more than {1} options, but had: {2} ',
  E1128: 'Category combo {0} cannot have more than {1} combinations, but requires: {2}',
  E1130: 'Importing {0} CategoryOptionCombos does not match the expected amount of {1} for CategoryCombo {2}',
  E1131: 'Unexpected CategoryOptionCombo provided with CategoryOptions: {0} for CategoryCombo: {1}. Missing expected CategoryOptionCombos with CategoryOption sets: {2}',
  E1132: 'Provided CategoryOptionCombo {0} cannot be processed (potential duplicate). An existing CategoryOptionCombo {1} has the same CategoryCombo {2} and same CategoryOptions {3}',
  E1133: 'CategoryCombo must be provided for Category option combo {0}',
} as const;

type Code = keyof typeof M;
interface Violation {
  code: Code;
  args: unknown[];
}

const COC = (): string => klassOf('categoryOptionCombos');
const refsOf = (o: Obj | null, p: string): unknown[] => (o && Array.isArray(o[p]) ? (o[p] as unknown[]) : []);
const keyOf = (uids: Iterable<string>): string => [...new Set(uids)].sort().join(',');

function report(b: Bundle, it: Item, v: Violation, klass = COC()): void {
  hookError(b, it, klass, v.code, fmt(M[v.code], ...v.args), v.args);
}

/** The option uids a category object lists (as its references give them). */
const listedOptions = (b: Bundle, cat: Obj | null): string[] =>
  refsOf(cat, 'categoryOptions').map((o) => refKey(o) ?? refUid(b, 'categoryOptions', o)).filter((u): u is string => !!u);

/** How many options a stored category has (0: not stored). */
const storedOptionCount = (b: Bundle, catUid: string): number => refsOf(stored(b, 'categories', catUid), 'categoryOptions').length;

/**
 * CategoryService.validate(Category): E1127. An empty option list is taken for a reference (a transient object) and
 * the stored category's options are counted instead.
 */
function validateCategory(b: Bundle, catUid: string, cat: Obj | null): Violation | null {
  const n = refsOf(cat, 'categoryOptions').length || storedOptionCount(b, catUid);
  return n > CATEGORY_LIMITS.maxOptions ? { code: 'E1127', args: [catUid, CATEGORY_LIMITS.maxOptions, n] } : null;
}

/**
 * CategoryService.validate(CategoryCombo): E1126, the first category's E1127, E1128. DHIS2 validates the combo as
 * the payload gives it: its categories are references without options, so the counts are the stored categories'.
 */
function validateCombo(b: Bundle, comboUid: string, combo: Obj | null): Violation | null {
  const refs = refsOf(combo, 'categories');
  if (refs.length > CATEGORY_LIMITS.maxPerCombo) return { code: 'E1126', args: [comboUid, CATEGORY_LIMITS.maxPerCombo, refs.length] };
  const cats = refs.map(refKey).filter((u): u is string => !!u);
  storedObjects(b, 'categories', cats);
  for (const c of cats) {
    const v = validateCategory(b, c, null);
    if (v) return v;
  }
  let combinations = 1;
  for (const c of cats) combinations *= storedOptionCount(b, c);
  return combinations > CATEGORY_LIMITS.maxCombinations ? { code: 'E1128', args: [comboUid, CATEGORY_LIMITS.maxCombinations, combinations] } : null;
}

/**
 * The expected option sets of a combo (the preheat's combo: stored, else the payload's new one): the cartesian
 * product of its categories' options, each category as the preheat holds it (stored, else new in the payload).
 */
function combinations(b: Bundle, combo: Obj | null): string[][] {
  const refs = refsOf(combo, 'categories');
  const uids = refs.map(refKey).filter((u): u is string => !!u);
  storedObjects(b, 'categories', uids);
  let cats = uids.map((u) => preheated(b, 'categories', u)).filter((c): c is Obj => c != null);
  if (!cats.length) cats = refs.filter(isObj);
  let rows: string[][] = [[]];
  for (const cat of cats) {
    const opts = listedOptions(b, cat);
    rows = rows.flatMap((prefix) => opts.map((o) => [...prefix, o]));
  }
  return rows;
}

function categoriesHook(b: Bundle): void {
  for (const it of b.live('categories')) {
    const v = validateCategory(b, it.obj.id as string, it.obj);
    if (v) report(b, it, v);
  }
}

function categoryCombosHook(b: Bundle): void {
  for (const it of b.live('categoryCombos')) {
    const v = validateCombo(b, it.obj.id as string, it.obj);
    if (v) report(b, it, v);
    if (it.existing?.json) dataBecomesInaccessible(b, it);
  }
}

/**
 * E1120 (DataValueService.checkNoDataValueBecomesInaccessible): an update that changes the set of a combo's categories
 * while data values are stored against one of its option combos (as category or attribute option combo).
 */
function dataBecomesInaccessible(b: Bundle, it: Item): void {
  const old = JSON.parse(it.existing!.json!) as Obj;
  const before = new Set(refsOf(old, 'categories').map(refKey));
  const after = new Set(refsOf(it.obj, 'categories').map((c) => refUid(b, 'categories', c) ?? refKey(c)));
  if (before.size === after.size && [...before].every((c) => after.has(c))) return;
  const cocs = b.repo.referrers(it.existing!.id).filter((r) => r.type === 'categoryOptionCombos' && r.property === 'categoryCombo');
  if (!cocs.some((c) => b.repo.dataUsage('categoryOptionCombos', c.id)?.what === 'data values')) return;
  const name = str(old.name) ?? null;
  hookError(b, it, klassOf('categoryCombos'), 'E1120', 'Update cannot be applied as it would make existing data values inaccessible', [name], { errorProperty: 'categories' });
}

function categoryOptionCombosHook(b: Bundle): void {
  const cocs = b.live('categoryOptionCombos');
  if (!cocs.length) return;
  const all = b.byType.get('categoryOptionCombos') ?? [];
  const providedCombo = (it: Item): string | undefined => refUid(b, 'categoryCombos', it.obj.categoryCombo) ?? refKey(it.obj.categoryCombo);
  const optionsOf = (it: Item): string[] => refsOf(it.obj, 'categoryOptions').map((o) => refUid(b, 'categoryOptions', o) ?? refKey(o)).filter((u): u is string => !!u);
  let storedByCombo: Map<string, { uid: string; key: string }[]> | null = null;
  const storedCocs = (combo: string): { uid: string; key: string }[] => {
    if (!storedByCombo) {
      storedByCombo = new Map();
      for (const s of b.repo.iterate('categoryOptionCombos')) {
        const c = isObj(s.json.categoryCombo) ? str(s.json.categoryCombo.id) : undefined;
        if (!c) continue;
        const l = storedByCombo.get(c) ?? storedByCombo.set(c, []).get(c)!;
        l.push({ uid: s.uid, key: keyOf(refsOf(s.json, 'categoryOptions').map(refKey).filter((u): u is string => !!u)) });
      }
    }
    return storedByCombo.get(combo) ?? [];
  };

  // everything per combo is computed once (payloads hold thousands of option combos)
  const byProvided = new Map<string, Item[]>();
  for (const c of all) {
    const k = providedCombo(c);
    if (k) (byProvided.get(k) ?? byProvided.set(k, []).get(k)!).push(c);
  }
  interface Expected {
    count: number;
    given: number;
    keys: Set<string>;
    /** option sets given for the combo that are not combinations, or given twice */
    unexpected: Set<string>;
    /** the missing combinations as Java prints them */
    missingText: string;
  }
  const expectations = new Map<string, Expected>();
  const expectationOf = (comboUid: string, combo: Obj): Expected => {
    let e = expectations.get(comboUid);
    if (e) return e;
    const expected = combinations(b, combo);
    const keys = new Set(expected.map(keyOf));
    const forCombo = byProvided.get(comboUid) ?? [];
    const seen = new Set<string>();
    const unexpected = new Set<string>();
    for (const c of forCombo) {
      const k = keyOf(optionsOf(c));
      if (!keys.has(k) || seen.has(k)) unexpected.add(k);
      seen.add(k);
    }
    let missingText = '[]';
    if (unexpected.size || [...keys].some((k) => !seen.has(k))) {
      // a HashSet<Set<UID>> of the combinations, copied, less the given ones (Java's iteration order)
      const distinctKeys = new Set<string>();
      const distinct = expected.filter((x) => !distinctKeys.has(keyOf(x)) && !!distinctKeys.add(keyOf(x)));
      const hashOf = (x: string[]): number => setHash([...new Set(x)].map(uidHash));
      const ordered = javaHashSetOrder(javaHashSetOrder(distinct, hashOf), hashOf, copyCapacity(distinct.length)).filter((x) => !seen.has(keyOf(x)));
      missingText = javaList(ordered.map((x) => javaUidSet(x, copyCapacity(x.length))));
    }
    e = { count: expected.length, given: forCombo.length, keys, unexpected, missingText };
    expectations.set(comboUid, e);
    return e;
  };

  for (const it of cocs) {
    const uid = it.obj.id as string;
    const name = str(it.obj.name) ?? null;
    // checkNonStandardDefaultCatOptionCombo
    if (!isObj(it.obj.categoryCombo)) {
      report(b, it, { code: 'E1133', args: [name] });
      continue;
    }
    const given = providedCombo(it)!;
    if (given === DEFAULT_UIDS.categoryCombos && uid !== DEFAULT_UIDS.categoryOptionCombos) report(b, it, { code: 'E1122', args: [name] });
    // checkIsValid validates the combo as given: a reference without categories, which always passes
    const givenUid = refUid(b, 'categoryCombos', it.obj.categoryCombo);
    // checkFullCatOptComboSetProvided
    let expectedUid: string | null;
    if (it.existing) {
      const old = JSON.parse(it.existing.json ?? '{}') as Obj;
      expectedUid = isObj(old.categoryCombo) ? (str(old.categoryCombo.id) ?? null) : null;
    } else expectedUid = givenUid;
    const expectedCombo = preheated(b, 'categoryCombos', expectedUid);
    if (!expectedUid || !expectedCombo) {
      report(b, it, { code: 'E1110', args: [refKey(it.obj.categoryCombo) ?? null] }, klassOf('categoryCombos'));
      continue;
    }
    const e = expectationOf(expectedUid, expectedCombo);
    if (e.count !== e.given) {
      report(b, it, { code: 'E1130', args: [e.given, e.count, expectedUid] });
      continue;
    }
    const provided = optionsOf(it);
    const providedKey = keyOf(provided);
    if (!it.existing) {
      const dup = storedCocs(expectedUid).find((x) => x.key === providedKey && x.uid !== uid);
      if (dup) {
        report(b, it, { code: 'E1132', args: [uid, dup.uid, given, javaUidSet(provided)] });
        continue;
      }
    }
    if (e.unexpected.has(providedKey)) report(b, it, { code: 'E1131', args: [javaUidSet(provided), expectedUid, e.missingText] });
  }
}

/** The category model's hooks, type by type in import order. */
export const categoryOptionCombosCheck: MetadataCheck = {
  name: 'CategoryOptionCombosCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    categoriesHook(b);
    categoryCombosHook(b);
    categoryOptionCombosHook(b);
  },
};
