import { describe, expect, it } from 'vitest';
import { ARR, JsonScanner, KeySlots, OBJ, type JsonHandler } from '../../../../src-main/formats/shared/json-scanner.ts';
import { AppError } from '../../../../src-shared/errors.ts';
import { rng } from '../../../helpers/seeded.ts';

/** A reader of any JSON document built on the scanner alone: rebuilds the value (what JSON.parse gives). */
async function parseWith(text: string, sizes: () => number, fast = false): Promise<unknown> {
  const sc = new JsonScanner('t.json');
  const stack: { kind: number; value: Record<string, unknown> | unknown[] }[] = [];
  let result: unknown;
  const put = (v: unknown): void => {
    const top = stack[stack.length - 1];
    if (!top) result = v;
    else if (top.kind === ARR) (top.value as unknown[]).push(v);
    else (top.value as Record<string, unknown>)[sc.keys[sc.depth - 1]!] = v;
  };
  const KEYS = new KeySlots(['a', 'b', 'ab', 'ba', 'é', 'long key']);
  const slots: (string | null | undefined)[] = new Array<string | null | undefined>(KEYS.keys.length).fill(undefined);
  let flat = 0;
  const h: JsonHandler = {
    root: () => undefined,
    open(kind) {
      const value = kind === OBJ ? {} : [];
      put(value);
      stack.push({ kind, value });
      return sc.depth === 0 ? 0 : 1;
    },
    close: () => void stack.pop(),
    scalar(p, v) {
      const c = sc.s.charCodeAt(p);
      put(v === null ? null : c === 34 ? v : c === 116 ? true : c === 102 ? false : Number(v));
    },
    fastObject(p) {
      // a flat object is read whole: its known keys' slots must hold each value's text (the last one for a repeated key)
      const e = sc.readFlatObject(p, KEYS, slots);
      if (e < 0) return e;
      const o = JSON.parse(sc.s.slice(p, e)) as Record<string, unknown>;
      KEYS.keys.forEach((k, i) => {
        const v = o[k];
        const slot = slots[i];
        if (v === undefined) expect(slot).toBeUndefined();
        else if (v === null || typeof v === 'string') expect(slot).toBe(v);
        else if (typeof v === 'number') expect(Number(slot)).toBe(v);
        else expect(slot).toBe(String(v));
      });
      flat++;
      put(o);
      return e;
    },
  };
  sc.setHandler(h);
  if (fast) sc.fastRole = 1;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const b = Buffer.from(text, 'utf8');
    for (let i = 0; i < b.length; ) {
      const n = Math.max(1, sizes());
      yield b.subarray(i, i + n);
      i += n;
    }
  }
  for await (const _ of sc.feed(chunks(), () => undefined)) void _;
  if (!sc.end()) throw new Error('empty');
  flats += flat;
  return result;
}

let flats = 0;


function generate(r: () => number): string {
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const ws = (): string => (r() < 0.6 ? '' : pick([' ', '\n', '\t', '\r\n', ' \n ']));
  const str = (): string => '"' + Array.from({ length: Math.floor(r() * 5) }, () => pick(['a', 'é', '𝄞', '\\"', '\\n', '\\u00e9', '\\ud834\\udd1e', ' ', '{', ','])).join('') + '"';
  const num = (): string => pick(['0', '-0', '12', '-3.25', '1e5', '2E-3', '0.5e+2', '123456789']);
  const value = (depth: number): string => {
    const k = r();
    if (depth > 3 || k < 0.45) return pick([str, num, () => 'true', () => 'false', () => 'null'])();
    if (k < 0.6) {
      // a flat object of known keys and string values (the fast path's food)
      const keys = ['a', 'b', 'ab', 'ba', 'é', 'long key', 'a\\u0062'];
      return '{' + ws() + Array.from({ length: Math.floor(r() * 4) }, () => `"${pick(keys)}"` + ws() + ':' + ws() + str()).join(ws() + ',' + ws()) + ws() + '}';
    }
    if (k < 0.8) return '[' + ws() + Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1)).join(ws() + ',' + ws()) + ws() + ']';
    return '{' + ws() + Array.from({ length: Math.floor(r() * 4) }, () => str() + ws() + ':' + ws() + value(depth + 1)).join(ws() + ',' + ws()) + ws() + '}';
  };
  return ws() + '[' + ws() + Array.from({ length: Math.floor(r() * 6) }, () => value(1)).join(ws() + ',' + ws()) + ws() + ']' + ws();
}

describe('shared JSON scanner (generic use)', () => {
  it('rebuilds any document exactly as JSON.parse does, through the general machine and the flat-object path', async () => {
    const r = rng(4242);
    for (let n = 0; n < 300; n++) {
      const doc = r() < 0.5 ? generate(r) : `{"k":${generate(r)}}`;
      const expected = JSON.parse(doc) as unknown;
      const size = pick3(r);
      expect(await parseWith(doc, size), `seed 4242 case ${n}: ${doc}`).toEqual(expected);
      expect(await parseWith(doc, size, true), `seed 4242 case ${n} (fast): ${doc}`).toEqual(expected);
    }
    expect(flats).toBeGreaterThan(100);
  });

  it('KeySlots finds keys straight from the text', () => {
    const k = new KeySlots(['followup', 'followUp', 'orgUnit', 'comment', 'deleted']);
    const s = 'xfollowUpx orgUnit deletee';
    expect(k.at(s, 1, 9)).toBe(1);
    expect(k.at(s, 11, 18)).toBe(2);
    expect(k.at(s, 19, 26)).toBe(-1);
    expect(k.at(s, 0, 26)).toBe(-1);
    expect(k.of('comment')).toBe(3);
  });

  it('names file, line and column of a syntax error', async () => {
    const e = await parseWith('[1,\n  2,\n  ]', () => 1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message).toBe('t.json, line 3: malformed JSON at column 3 (unexpected "]" where a value was expected)');
  });
});

function pick3(r: () => number): () => number {
  const k = r();
  if (k < 0.4) return () => 1 + Math.floor(r() * 4);
  if (k < 0.8) return () => 1 + Math.floor(r() * 64);
  return () => 65536;
}
