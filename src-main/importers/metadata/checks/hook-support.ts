/**
 * What the type-specific checks (dhis2-core's object bundle hooks, run by ValidationHooksCheck right after
 * DuplicateIdsCheck) share: references resolved the way DHIS2's preheat does before the hooks run, objects as this
 * import sees them (payload first, else stored; stored ones loaded in one batch per type), DHIS2's class names for
 * `mainKlass`, and Java's renderings of values inside messages (sets, dates).
 */
import { METADATA_TYPES } from '../../../../src-shared/dhis2/schema/registry.ts';
export { hookError } from './validation-hooks-check.ts';
import type { Bundle, Item } from '../bundle.ts';
import { isObj, str } from '../objects.ts';
import type { Obj } from '../types.ts';

export const P = 'org.hisp.dhis.';

/** The uid a reference value points at (payload, database, system defaults), or null (absent or unknown). */
export function refUid(b: Bundle, target: string, v: unknown): string | null {
  return isObj(v) ? b.resolve(target, v) : null;
}

/**
 * The uid a reference value points at, also when it is only stored (the preheat loads what the payload names; a
 * stored object's own references may name objects the payload does not): payload, database, defaults.
 */
export function refUidDeep(b: Bundle, target: string, v: unknown): string | null {
  const u = refUid(b, target, v);
  if (u || !isObj(v)) return u;
  const id = str(v.id);
  return id && stored(b, target, id) ? id : null;
}

/** true when the property holds a reference at all (DHIS2's `has…()`: the reference object is not null). */
export const hasRef = (v: unknown): boolean => isObj(v);

/** The uids of a collection of references that resolve. */
export function refUids(b: Bundle, target: string, v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const x of v) {
    const u = refUid(b, target, x);
    if (u) out.push(u);
  }
  return out;
}

/** The uid a reference names (resolved or not): DHIS2 renders the reference's own uid in messages. */
export const refKey = (v: unknown): string | undefined => (isObj(v) ? (str(v.id) ?? str(v.code)) : undefined);

const storedCache = new WeakMap<Bundle, Map<string, Map<string, Obj | null>>>();

/**
 * The stored JSON of objects of a type, loaded in one batch for the uids not yet asked for (null: not stored). The
 * preheat keeps the full JSON only for the category model, so the hooks load what they read here.
 */
export function storedObjects(b: Bundle, type: string, uids: Iterable<string>): Map<string, Obj | null> {
  let perType = storedCache.get(b);
  if (!perType) storedCache.set(b, (perType = new Map()));
  let m = perType.get(type);
  if (!m) perType.set(type, (m = new Map()));
  const missing = [...new Set(uids)].filter((u) => !m.has(u));
  if (missing.length) {
    for (const u of missing) m.set(u, null);
    for (const r of b.repo.preheatByUids({ translations: false, sharing: false, jsonTypes: [type] }, missing)) {
      if (r.type === type && r.json) m.set(r.uid, JSON.parse(r.json) as Obj);
    }
  }
  return m;
}

/**
 * The stored JSON of objects of a type, loaded in one batch and NOT kept (for a check that reads each once, such as a
 * stored option set's options: kept, they held 17 MB for the whole import of the metadata bench's re-import).
 */
export function storedObjectsOnce(b: Bundle, type: string, uids: readonly string[]): Map<string, Obj> {
  const m = new Map<string, Obj>();
  if (!uids.length) return m;
  for (const r of b.repo.preheatByUids({ translations: false, sharing: false, jsonTypes: [type] }, uids)) {
    if (r.type === type && r.json) m.set(r.uid, JSON.parse(r.json) as Obj);
  }
  return m;
}

/** The stored JSON of one object (from the batch cache; null when not stored). */
export function stored(b: Bundle, type: string, uid: string): Obj | null {
  return storedObjects(b, type, [uid]).get(uid) ?? null;
}

/**
 * An object as DHIS2's preheat holds it while the hooks validate: the STORED version when it exists (the preheat
 * keeps the database object; a payload object only fills the place of a new one), else the payload's new object.
 */
export function preheated(b: Bundle, type: string, uid: string | null | undefined): Obj | null {
  if (!uid) return null;
  return stored(b, type, uid) ?? b.payloadByUid.get(type)?.get(uid)?.obj ?? null;
}

/** The stored version of a payload object being updated (null for a new one). */
export function storedOf(b: Bundle, it: Item): Obj | null {
  if (!it.existing) return null;
  if (it.existing.json) return JSON.parse(it.existing.json) as Obj;
  return stored(b, it.type, it.existing.uid);
}

/**
 * `{0}`, `{1}` … filled in (DHIS2's MessageFormat over the ErrorCode template): null prints `null`, numbers with
 * grouping, and a placeholder without an argument stays as it is (MessageFormat's rule; E4081 has one).
 */
export function fmt(template: string, ...args: unknown[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, i: string) => {
    if (Number(i) >= args.length) return whole;
    const v = args[Number(i)];
    return v == null ? 'null' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v);
  });
}

/** Java's AbstractCollection.toString: `[a, b]`. */
export const javaList = (xs: readonly unknown[]): string => `[${xs.map(String).join(', ')}]`;

/** The Java class simple name → fully qualified name of a type, by plural key. */
export const klassOf = (type: string): string => METADATA_TYPES[type]!.klass;

/**
 * A DHIS2 date property (`2020-01-01`, `2020-01-01T00:00:00.000`, with or without a zone) as milliseconds, read as
 * UTC like a server running in UTC; null when absent or unreadable.
 */
export function dateMs(v: unknown): number | null {
  if (typeof v !== 'string' || !v) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(v.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0', zone] = m;
  let t = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s, +ms.padEnd(3, '0'));
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  }
  return t;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** java.util.Date#toString on a server in UTC (an error report's `args`): `Wed Jan 01 00:00:00 UTC 2020`. */
export function javaDateString(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** A java.util.Date inside a MessageFormat message (DateFormat SHORT/SHORT, en_US): `1/1/20, 12:00 AM`. */
export function javaDateMessage(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${p2(d.getUTCFullYear() % 100)}, ${h % 12 === 0 ? 12 : h % 12}:${p2(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

// ---------------------------------------------------------------------------------------------- Java hash sets
/** java.lang.String#hashCode. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** dhis2-core's UID#hashCode (Lombok @EqualsAndHashCode over its one field). */
export const uidHash = (uid: string): number => (59 + javaStringHash(uid)) | 0;

/** java.util.AbstractSet#hashCode: the sum of the elements' hashes. */
export const setHash = (hashes: readonly number[]): number => hashes.reduce((a, h) => (a + h) | 0, 0);

/** The table size of a java.util.HashSet holding `size` elements, built from `initial` (16, or a copy's capacity). */
function tableSize(initial: number, size: number): number {
  let n = 1;
  while (n < initial) n *= 2;
  while (size > n * 0.75) n *= 2;
  return n;
}

/** The capacity `new HashSet<>(collection)` starts from for a collection of `size` elements. */
export const copyCapacity = (size: number): number => Math.max(Math.floor(size / 0.75) + 1, 16);

/**
 * The iteration order of a java.util.HashSet filled with these elements in this order (distinct hashes assumed equal
 * only when the elements are equal): by bucket (`(h ^ h >>> 16) & (n - 1)`), then insertion order.
 */
export function javaHashSetOrder<T>(items: readonly T[], hash: (x: T) => number, initial = 16): T[] {
  const n = tableSize(initial, items.length);
  const bucket = (h: number): number => (h ^ (h >>> 16)) & (n - 1);
  return items.map((x, i) => ({ x, i, k: bucket(hash(x)) })).sort((a, b) => a.k - b.k || a.i - b.i).map((e) => e.x);
}

/** A Set<UID> as Java prints it (a HashSet collected from the uids in this order). */
export function javaUidSet(uids: readonly string[], initial = 16): string {
  return javaList(javaHashSetOrder([...new Set(uids)], uidHash, initial));
}
