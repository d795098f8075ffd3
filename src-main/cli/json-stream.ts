/**
 * JSON output written piece by piece: the text of `JSON.stringify(value, null, indent)`, produced in chunks of about
 * 64 KB and written with backpressure, so that no single string of the whole document is ever built (V8 refuses
 * strings over ~512 MB: "Invalid string length"). Byte-identical to JSON.stringify for what JSON.stringify accepts:
 * toJSON, omitted undefined/function/symbol properties (null in arrays), non-finite numbers as null, boxed
 * primitives, a TypeError on cycles and BigInt. (At the root, undefined is written as `null`.)
 */

/** Where the chunks go: `write` returns false when the reader is behind; `drain` then resolves when to go on. */
export interface JsonSink {
  write(s: string): boolean | void;
  drain?: () => Promise<void>;
}

const CHUNK = 65_536;

interface Frame {
  /** array or object being written */
  arr: unknown[] | null;
  obj: Record<string, unknown> | null;
  keys: string[];
  i: number;
  /** something was written inside (objects may omit every property) */
  any: boolean;
  /** indentation of the container's own line */
  pad: string;
  /** the container (for the cycle check) */
  ref: object;
}

/** the value JSON.stringify writes for `v` under `key`: toJSON applied, boxed primitives unwrapped */
function resolve(key: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON(k: string): unknown }).toJSON(key);
  }
  if (v instanceof Number || v instanceof String || v instanceof Boolean) v = v.valueOf();
  return v;
}

/** the text of a primitive, or undefined when the value is a container (or is omitted: see `omitted`) */
function primitive(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      return v === null ? 'null' : undefined;
    default:
      return undefined;
  }
}

function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** Entries of a subtree small enough to hand to JSON.stringify whole (a few KB of text). */
const SMALL = 256;

/** budget left after counting the entries of `v` (negative: larger than the budget, or possibly cyclic) */
function fits(v: unknown, budget: number): number {
  if (v === null || typeof v !== 'object') return budget - 1;
  if (Array.isArray(v)) {
    budget -= 1;
    for (let i = 0; i < v.length && budget >= 0; i++) budget = fits(v[i], budget);
    return budget;
  }
  budget -= 1;
  for (const k in v) {
    if (budget < 0) break;
    budget = fits((v as Record<string, unknown>)[k], budget);
  }
  return budget;
}

/** The chunks of JSON.stringify(value, null, indent) (plus `suffix`), in order. */
export function* jsonChunks(value: unknown, indent = 2, suffix = ''): Generator<string> {
  const unit = ' '.repeat(indent);
  const nl = indent > 0 ? '\n' : '';
  const colon = indent > 0 ? ': ' : ':';
  let buf = '';
  const stack: Frame[] = [];
  const seen = new Set<object>();

  /** writes a resolved value at indentation `pad`: a primitive at once, a container by pushing its frame */
  const open = (v: unknown, pad: string): void => {
    const p = primitive(v);
    if (p !== undefined) {
      buf += p;
      return;
    }
    if (omitted(v)) {
      buf += 'null';
      return;
    }
    const o = v as object;
    if (seen.has(o)) throw new TypeError('Converting circular structure to JSON');
    if (fits(o, SMALL) >= 0) {
      // a small subtree: JSON.stringify writes it (faster); its lines are indented to where it stands
      const text = JSON.stringify(o, null, indent);
      buf += pad && text.includes('\n') ? text.replaceAll('\n', '\n' + pad) : text;
      return;
    }
    seen.add(o);
    if (Array.isArray(o)) {
      buf += '[';
      stack.push({ arr: o, obj: null, keys: [], i: 0, any: false, pad, ref: o });
    } else {
      buf += '{';
      stack.push({ arr: null, obj: o as Record<string, unknown>, keys: Object.keys(o), i: 0, any: false, pad, ref: o });
    }
  };

  open(resolve('', value), '');
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    const inner = f.pad + unit;
    if (f.arr) {
      // a run of small elements: one JSON.stringify of the slice, its brackets cut and its lines indented
      let j = f.i;
      for (let budget = SMALL * 16; j < f.arr.length; j++) {
        const e = f.arr[j];
        if (e !== null && typeof e === 'object' && typeof (e as { toJSON?: unknown }).toJSON === 'function') break; // toJSON(index)
        budget = fits(e, budget);
        if (budget < 0) break;
      }
      if (j > f.i) {
        const text = JSON.stringify(f.arr.slice(f.i, j), null, indent);
        const body = text.slice(1 + nl.length, text.length - 1 - nl.length);
        buf += (f.any ? ',' : '') + nl + f.pad + (f.pad && nl ? body.replaceAll('\n', '\n' + f.pad) : body);
        f.any = true;
        f.i = j;
      } else if (f.i < f.arr.length) {
        const i = f.i++;
        buf += (f.any ? ',' : '') + nl + inner;
        f.any = true;
        open(resolve(String(i), f.arr[i]), inner);
      } else {
        buf += f.any ? nl + f.pad + ']' : ']';
        seen.delete(f.ref);
        stack.pop();
      }
    } else {
      const obj = f.obj!;
      let wrote = false;
      while (f.i < f.keys.length) {
        const k = f.keys[f.i++]!;
        const v = resolve(k, obj[k]);
        if (omitted(v)) continue;
        buf += (f.any ? ',' : '') + nl + inner + JSON.stringify(k) + colon;
        f.any = true;
        open(v, inner);
        wrote = true;
        break;
      }
      if (!wrote) {
        buf += f.any ? nl + f.pad + '}' : '}';
        seen.delete(f.ref);
        stack.pop();
      }
    }
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  buf += suffix;
  if (buf) yield buf;
}

/** Writes `value` as JSON.stringify(value, null, 2) + '\n' would, chunk by chunk, waiting when the sink is behind. */
export async function writeJson(sink: JsonSink, value: unknown, indent = 2): Promise<void> {
  for (const chunk of jsonChunks(value, indent, '\n')) {
    if (sink.write(chunk) === false && sink.drain) await sink.drain();
  }
}

/**
 * Writes the items as JSON.stringify([...items], null, 2) + '\n' would, taking one item at a time from the iterable
 * (a long list of large records never sits in memory at once).
 */
export async function writeJsonArray(sink: JsonSink, items: Iterable<unknown>, indent = 2): Promise<void> {
  const put = async (s: string): Promise<void> => {
    if (sink.write(s) === false && sink.drain) await sink.drain();
  };
  const unit = ' '.repeat(indent);
  const nl = indent > 0 ? '\n' : '';
  let first = true;
  for (const item of items) {
    let head = (first ? '[' : ',') + nl + unit;
    first = false;
    // an array element that JSON.stringify would write as null
    const v = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item;
    for (const chunk of jsonChunks(v, indent)) {
      await put(head + (nl ? chunk.replaceAll('\n', '\n' + unit) : chunk));
      head = '';
    }
  }
  await put(first ? '[]\n' : nl + ']\n');
}
