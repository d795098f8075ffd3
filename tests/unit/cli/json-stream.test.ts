/**
 * The CLI's streaming JSON writer (issue 16, defect 1): the same bytes as JSON.stringify(x, null, 2), in chunks, with
 * backpressure, without building one string of the whole document.
 */
import { describe, expect, it } from 'vitest';
import { jsonChunks, writeJson, writeJsonArray } from '../../../src-main/cli/json-stream.ts';

const CASES: unknown[] = [
  0, -0, 1.5e-7, NaN, Infinity, 'plain', 'é \u2028 "quoted" \\ \n\t\u0000', true, null, [], {}, [[]], [{}], [[[]], {}],
  { a: [], b: {}, c: [1, [2, { d: undefined, e: () => 1 }]] },
  { x: undefined, f: () => 1, s: Symbol('s') },
  [undefined, () => 1, Symbol('s'), null],
  new Date(Date.UTC(2024, 0, 2)),
  { when: new Date(5), nested: { deeper: { deepest: [1, 2, { p: 'q' }] } } },
  { 'k"ey': 1, '': 2, '0': 3, b: 4, a: 5 },
  [new Number(3), new String('s'), new Boolean(false)],
  { toJSON: () => ({ y: [1, 2] }) },
  { list: Array.from({ length: 3000 }, (_, i) => ({ i, s: `v${i}`, n: [i, -i], o: i % 7 ? undefined : { k: i } })) },
  Array.from({ length: 40 }, (_, i) => Array.from({ length: i }, (_, j) => ({ j, deep: [[j]] }))),
];

function collect(value: unknown, indent = 2): string {
  return [...jsonChunks(value, indent)].join('');
}

describe('jsonChunks', () => {
  it('gives exactly JSON.stringify(x, null, indent) for every kind of value', () => {
    for (const c of CASES) for (const indent of [0, 2, 4]) expect(collect(c, indent)).toBe(JSON.stringify(c, null, indent));
  });

  it('gives an import summary byte for byte as JSON.stringify did', () => {
    const summary = {
      responseType: 'ImportSummary',
      status: 'WARNING',
      description: 'Import process completed successfully',
      importCount: { imported: 2, updated: 0, ignored: 1, deleted: 0 },
      conflicts: [{ object: 'abc', objects: { dataElement: 'abc' }, value: 'Data element not found or not accessible: `abc`', errorCode: 'E7610', property: 'dataElement', indexes: [2], lines: [4] }],
      rejectedIndexes: [2],
      moreConflicts: { E7610: { conflicts: 3, rows: 9 } },
      fileSummaries: [{ file: 'a.csv', conflicts: [], rejectedIndexes: [], importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 } }],
    };
    expect(collect(summary)).toBe(JSON.stringify(summary, null, 2));
  });

  it('writes a large document in chunks of about 64 KB, none of them the whole', () => {
    const big = { rows: Array.from({ length: 50_000 }, (_, i) => ({ i, s: 'x'.repeat(i % 50) })) };
    const chunks = [...jsonChunks(big)];
    expect(chunks.length).toBeGreaterThan(20);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(200_000);
    expect(chunks.join('')).toBe(JSON.stringify(big, null, 2));
  });

  it('refuses what JSON.stringify refuses: cycles and BigInt', () => {
    const a: Record<string, unknown> = { x: [] };
    (a.x as unknown[]).push(a);
    expect(() => collect(a)).toThrow(TypeError);
    const deep: Record<string, unknown> = { list: Array.from({ length: 1000 }, (_, i) => ({ i })) };
    (deep.list as unknown[]).push(deep);
    expect(() => collect(deep)).toThrow(TypeError);
    expect(() => collect({ n: 10n })).toThrow(TypeError);
  });
});

describe('writeJson / writeJsonArray', () => {
  it('write JSON.stringify(x, null, 2) plus a newline, waiting for drain when the sink is behind', async () => {
    let out = '';
    let drains = 0;
    const sink = {
      write: (s: string) => ((out += s), false),
      drain: async () => void drains++,
    };
    const doc = { list: Array.from({ length: 20_000 }, (_, i) => ({ i, s: `value ${i}` })) };
    await writeJson(sink, doc);
    expect(out).toBe(JSON.stringify(doc, null, 2) + '\n');
    expect(drains).toBeGreaterThan(1);
  });

  it('an array from an iterable, one item at a time, as JSON.stringify of the whole array', async () => {
    for (const items of [[], [1], [{ a: [1, { b: 2 }] }, null, 'x', [], {}], CASES.slice(0, -2)]) {
      for (const indent of [0, 2]) {
        let out = '';
        await writeJsonArray({ write: (s) => void (out += s) }, items, indent);
        expect(out).toBe(JSON.stringify(items, null, indent) + '\n');
      }
    }
    // taken lazily: the generator is only advanced as items are written
    let taken = 0;
    function* gen(): Generator<{ n: number }> {
      for (let n = 0; n < 3; n++) (taken++, yield { n });
    }
    let seenAtFirstWrite = -1;
    await writeJsonArray({ write: () => void (seenAtFirstWrite < 0 && (seenAtFirstWrite = taken)) }, gen());
    expect(seenAtFirstWrite).toBe(1);
  });

  it('a sink that throws stops the writing with its error', async () => {
    const sink = {
      write: () => {
        throw new Error('EPIPE');
      },
    };
    await expect(writeJson(sink, { a: 1 })).rejects.toThrow('EPIPE');
  });
});
