import { describe, expect, it } from 'vitest';
import { readJsonDataValues } from '../../../../src-main/formats/dxf2-json/data-reader.ts';
import type { DataValueBatch, DataValueRow } from '../../../../src-main/formats/data-value-row.ts';
import { AppError } from '../../../../src-shared/errors.ts';
import { rng } from '../../../helpers/seeded.ts';

async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
async function read(text: string, size = 1 << 20): Promise<DataValueBatch[]> {
  const out: DataValueBatch[] = [];
  for await (const b of readJsonDataValues(chunked(text, size), { fileName: 'f.json' })) out.push(b);
  return out;
}

const JSON_TEXT = `{
  "dataSet": "DS",
  "period": "202401",
  "orgUnit": "OU",
  "attributeCategoryOptions": ["o1", "o2"],
  "idScheme": "CODE",
  "strategy": "DELETE",
  "dryRun": true,
  "dataValues": [
    { "dataElement": "DE_A", "value": "5", "comment": "é, \\"x\\"", "followup": true },
    { "dataElement": "DE_B", "value": 7, "deleted": true },
    { "dataElement": "DE_C", "value": null },
    { "dataElement": "DE_D" }
  ]
}`;

describe('DXF2 JSON data value reader (streaming)', () => {
  it('reads root fields as header and rows with index and line', async () => {
    for (const size of [3, 1 << 20]) {
      const batches = await read(JSON_TEXT, size);
      expect(batches[0]!.header).toEqual({
        dataSet: 'DS', period: '202401', orgUnit: 'OU', idScheme: 'CODE', strategy: 'DELETE', dryRun: true, attributeCategoryOptions: ['o1', 'o2'],
      });
      const rows = batches.flatMap((b) => b.rows);
      expect(rows.map((r) => [r.index, r.dataElement, r.value, r.comment, r.followup, r.deleted])).toEqual([
        [0, 'DE_A', '5', 'é, "x"', true, undefined],
        [1, 'DE_B', '7', undefined, undefined, true],
        [2, 'DE_C', undefined, undefined, undefined, undefined],
        [3, 'DE_D', undefined, undefined, undefined, undefined],
      ]);
      expect(rows.map((r) => r.line)).toEqual([10, 11, 12, 13]);
    }
  });

  it('gives a header even when there are no rows', async () => {
    const b = await read('{"dataSet":"DS","dataValues":[]}');
    expect(b.flatMap((x) => x.rows)).toHaveLength(0);
    expect(b[0]!.header).toEqual({ dataSet: 'DS' });
  });

  it('refuses header fields after the values instead of applying them to some rows only', async () => {
    await expect(read('{"dataValues":[{"dataElement":"a","value":"1"}],\n"orgUnit":"OU"}')).rejects.toThrow(/"orgUnit" comes after "dataValues"/);
  });

  it('stops on malformed or truncated JSON, naming the file', async () => {
    await expect(read('{"dataValues":[{"dataElement":"a",,}]}')).rejects.toThrow(/f\.json, line 1: malformed JSON/);
    await expect(read('{"dataValues":[{"dataElement":"a","value":"1"},\n')).rejects.toThrow(/f\.json.*malformed JSON/);
  });

  it('refuses a JSON array', async () => {
    await expect(read('[1,2]')).rejects.toThrow(/must be a JSON object/);
  });
});

describe('DXF2 JSON reader: strict UTF-8', () => {
  it('accepts multi-byte characters cut by chunk boundaries and refuses invalid bytes with file and line', async () => {
    const ok = '{"dataValues":[{"dataElement":"a","value":"ñandú €𝄞"}]}';
    for (const size of [1, 2, 3, 5]) {
      const rows = (await read(ok, size)).flatMap((b) => b.rows);
      expect(rows[0]!.value).toBe('ñandú €𝄞');
    }
    async function* bad(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('{"dataValues":[\n{"dataElement":"a","value":"', 'utf8');
      yield Buffer.from([0xff, 0x22, 0x7d, 0x5d, 0x7d]);
    }
    const err = await (async () => {
      for await (const _ of readJsonDataValues(bad(), { fileName: 'f.json' })) void _;
    })().catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/f\.json, line 2: .*UTF-8/);
  });
});

async function* split(text: string, sizes: () => number): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; ) {
    const n = Math.max(1, sizes());
    yield b.subarray(i, i + n);
    i += n;
  }
}
async function readRows(text: string, size = 1 << 20) {
  return (await read(text, size)).flatMap((b) => b.rows);
}
async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('DXF2 JSON reader: values are the source text (DHIS2 reads them as text)', () => {
  it('keeps numbers exactly as written and true/false as text', async () => {
    const doc = `{"dataValues":[
      {"dataElement":"NumDe000001","period":"201201","orgUnit":"DiszpKrYNg8","value":3.14159265358979323846},
      {"dataElement":"NumDe000001","period":"201202","orgUnit":"DiszpKrYNg8","value":1.10},
      {"dataElement":"NumDe000001","period":"201203","orgUnit":"DiszpKrYNg8","value":1e2},
      {"dataElement":"TxtDe000001","period":"201201","orgUnit":"DiszpKrYNg8","value":12345678901234567890},
      {"dataElement":"TxtDe000001","period":"201202","orgUnit":"DiszpKrYNg8","value":-0.0E-7,"comment":true},
      {"dataElement":"BoolDe00001","period":"201201","orgUnit":"DiszpKrYNg8","value":false,"comment":12,"followup":true,"deleted":false},
      {"dataElement":1234,"period":201203,"orgUnit":"DiszpKrYNg8","value":"x","storedBy":7,"followup":"TRUE","deleted":null}
    ]}`;
    for (const size of [1, 7, 1 << 20]) {
      const rows = await readRows(doc, size);
      expect(rows.map((r) => r.value)).toEqual(['3.14159265358979323846', '1.10', '1e2', '12345678901234567890', '-0.0E-7', 'false', 'x']);
      expect(rows.map((r) => r.comment)).toEqual([undefined, undefined, undefined, undefined, 'true', '12', undefined]);
      expect(rows.map((r) => [r.followup, r.deleted])).toEqual([
        [undefined, undefined], [undefined, undefined], [undefined, undefined], [undefined, undefined], [undefined, undefined], [true, false], [true, undefined],
      ]);
      expect([rows[6]!.dataElement, rows[6]!.period, rows[6]!.storedBy]).toEqual(['1234', '201203', '7']);
      expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    }
  });

  it('keeps header numbers and booleans as text too', async () => {
    const b = await read('{"period":201201,"orgUnit":12,"dryRun":true,"strategy":"UPDATE","completeDate":null,"dataValues":[]}');
    expect(b[0]!.header).toEqual({ period: '201201', orgUnit: '12', dryRun: true, strategy: 'UPDATE' });
  });
});

describe('DXF2 JSON reader: any valid JSON', () => {
  it('skips unknown fields and nested values, reads escapes and surrogate pairs, and header fields after an empty dataValues', async () => {
    const doc =
      ' \t\r\n{"meta":{"a":[1,{"b":[[],{}]},"x\\"]"],"c":null},"dataValues":[\n' +
      '{"extra":{"nested":[1,2,{"dataElement":"NOT"}]},"dataElement":"a\\u0062\\/c","value":"\\ud834\\udd1e \\u00e9\\n\\t\\"\\\\","lastUpdated":"2024"},\n' +
      '{"d\\u0061taElement":"dup","dataElement":"last","followUp":true},\n' +
      '{}],"other":[true,false,null,-1.5e+3]}  \n';
    for (const size of [1, 2, 3, 5, 64]) {
      const b = await read(doc, size);
      const rows = b.flatMap((x) => x.rows);
      expect(rows.map((r) => [r.dataElement, r.value, r.followup, r.line])).toEqual([
        ['ab/c', '𝄞 é\n\t"\\', undefined, 3],
        ['last', undefined, true, 4],
        [undefined, undefined, undefined, 5],
      ]);
      expect(b[0]!.header).toEqual({});
    }
    const late = await read('{"dataValues":[],"orgUnit":"OU","attributeCategoryOptions":["o1",2]}');
    expect(late[0]!.header).toEqual({ orgUnit: 'OU', attributeCategoryOptions: ['o1', '2'] });
  });

  it('names line and column of malformed JSON, and detects truncated files', async () => {
    const cases: [string, number, number, RegExp][] = [
      ['{"dataValues":[\n  {"value":"1",}]}', 2, 16, /where a field name was expected/],
      ['{"dataValues":[\n{"value":01}]}', 2, 11, /unexpected "1"/],
      ['{"dataValues":[\n{"value":"a\nb"}]}', 2, 12, /U\+000A inside a string/],
      ['{"dataValues":[\n{"value":"\\q"}]}', 2, 12, /invalid escape/],
      ['{"dataValues":[\n{"value":"\\u12G4"}]}', 2, 15, /hexadecimal/],
      ['{"dataValues":[\n{"value":1.}]}', 2, 12, /invalid number/],
      ['{"dataValues":[\n{"value":tru}]}', 2, 13, /unexpected "}"/],
      ['{"dataValues":[]}\n x', 2, 2, /after the end of the JSON document/],
      ['{"dataValues":[\n{"value":"1"},\n', 3, 1, /unexpected end of file/],
      ['{"dataValues":[\n{"value":"1', 2, 12, /unexpected end of file/],
      ['{"dataValues":[\n{"value":-', 2, 11, /unexpected end of file/],
    ];
    for (const [doc, line, column, re] of cases) {
      for (const size of [1, 1 << 20]) {
        const e = await errorOf(read(doc, size));
        expect(e.code, doc).toBe('BAD_FILE');
        expect(e.message, doc).toMatch(re);
        expect(e.message, doc).toMatch(new RegExp(`^f\\.json, line ${line}: malformed JSON at column ${column} `));
        expect([e.details.line, e.details.column], doc).toEqual([line, column]);
      }
    }
  });

  it('refuses what is JSON but not a data value set', async () => {
    expect((await errorOf(read(''))).message).toMatch(/f\.json: the file is empty/);
    expect((await errorOf(read('{"dataValues":{"a":{}}}'))).message).toMatch(/line 1, column 15: "dataValues" must be an array/);
    expect((await errorOf(read('{"dataValues":[{"value":{"a":1}}]}'))).message).toMatch(/"value" must be text, a number or a boolean, not an object/);
    expect((await errorOf(read('{"dataSet":["x"],"dataValues":[]}'))).message).toMatch(/"dataSet" must be text, not an array/);
  });
});

// ---- fuzz against JSON.parse ---------------------------------------------------------------------------------------


/** A random DXF2 JSON document, and its twin where the numbers of known fields are JSON strings of their source text. */
function generateDoc(r: () => number): { doc: string; twin: string } {
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const ws = (): string => (r() < 0.6 ? '' : Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick([' ', '\n', '\t', '\r\n', '  '])).join(''));
  const PIECES = ['a', 'Z', '0', ' ', 'é', '€', '𝄞', 'ñandú', '\\"', '\\\\', '\\/', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u00e9', '\\u20AC', '\\ud834\\udd1e', '\\u0041', ',', ':', '{', ']'];
  const str = (): string => '"' + Array.from({ length: Math.floor(r() * 6) }, () => pick(PIECES)).join('') + '"';
  const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(r() * 10))).join('');
  const num = (): string => {
    let t = r() < 0.3 ? '-' : '';
    t += r() < 0.2 ? '0' : String(1 + Math.floor(r() * 9)) + digits(Math.floor(r() * 22));
    if (r() < 0.4) t += '.' + digits(1 + Math.floor(r() * 5));
    if (r() < 0.2) t += pick(['e', 'E']) + pick(['', '+', '-']) + digits(1 + Math.floor(r() * 3));
    return t;
  };
  const any = (depth: number): string => {
    const k = r();
    if (depth > 3 || k < 0.5) return pick([str, num, () => 'true', () => 'false', () => 'null'])();
    if (k < 0.75) return '[' + ws() + Array.from({ length: Math.floor(r() * 4) }, () => any(depth + 1)).join(ws() + ',' + ws()) + ws() + ']';
    return '{' + ws() + Array.from({ length: Math.floor(r() * 4) }, () => str() + ws() + ':' + ws() + any(depth + 1)).join(ws() + ',' + ws()) + ws() + '}';
  };
  // a scalar of a known field: [doc text, twin text]
  const known = (): [string, string] => {
    const k = r();
    if (k < 0.55) {
      const s = str();
      return [s, s];
    }
    if (k < 0.8) {
      const n = num();
      return [n, `"${n}"`];
    }
    const w = pick(['true', 'false', 'null']);
    return [w, w];
  };
  const FIELDS = ['dataElement', 'period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'value', 'storedBy', 'comment', 'followup', 'followUp', 'deleted'];
  const members: [string, string][] = [];
  const row = (): [string, string] => {
    const k = r();
    if (k < 0.05) {
      const v = any(2);
      return [v.startsWith('{') ? '[]' : v, v.startsWith('{') ? '[]' : v];
    }
    const parts: [string, string][] = [];
    for (let n = Math.floor(r() * 8); n > 0; n--) {
      if (r() < 0.8) {
        const [a, b] = known();
        const key = `"${pick(FIELDS)}"`;
        parts.push([key + ws() + ':' + ws() + a, key + ':' + b]);
      } else {
        const key = pick(['"created"', '"lastUpdated"', '"x"', '"meta"']);
        const v = any(1);
        parts.push([key + ws() + ':' + ws() + v, key + ':' + v]);
      }
    }
    return ['{' + ws() + parts.map((p) => p[0]).join(ws() + ',' + ws()) + ws() + '}', '{' + parts.map((p) => p[1]).join(',') + '}'];
  };
  for (const h of ['dataSet', 'period', 'orgUnit', 'idScheme', 'strategy', 'dryRun', 'completeDate']) {
    if (r() < 0.3) {
      const [a, b] = known();
      members.push([`"${h}"` + ws() + ':' + ws() + a, `"${h}":${b}`]);
    }
  }
  if (r() < 0.3) {
    const v = any(1);
    members.push(['"unknown"' + ws() + ':' + ws() + v, '"unknown":' + v]);
  }
  const rows = Array.from({ length: Math.floor(r() * 12) }, row);
  members.push([
    '"dataValues"' + ws() + ':' + ws() + '[' + ws() + rows.map((x) => x[0]).join(ws() + ',' + ws()) + ws() + ']',
    '"dataValues":[' + rows.map((x) => x[1]).join(',') + ']',
  ]);
  if (r() < 0.3) {
    const v = any(1);
    members.push(['"trailer"' + ws() + ':' + ws() + v, '"trailer":' + v]);
  }
  return {
    doc: ws() + '{' + ws() + members.map((m) => m[0]).join(ws() + ',' + ws()) + ws() + '}' + ws(),
    twin: '{' + members.map((m) => m[1]).join(',') + '}',
  };
}

/** What the reader must give for a row, from JSON.parse of the twin. */
function expectedRow(o: unknown): unknown[] {
  const t = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
  const b = (v: unknown): boolean | undefined => (v === null || v === undefined ? undefined : typeof v === 'boolean' ? v : String(v).trim().toLowerCase() === 'true');
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return Array.from({ length: 10 }, () => undefined);
  const x = o as Record<string, unknown>;
  return [
    t(x.dataElement), t(x.period), t(x.orgUnit), t(x.categoryOptionCombo) || undefined, t(x.attributeOptionCombo) || undefined,
    t(x.value), t(x.storedBy) || undefined, t(x.comment), b(x.followup ?? x.followUp), b(x.deleted),
  ];
}
const actualRow = (r: DataValueRow): unknown[] => [
  r.dataElement, r.period, r.orgUnit, r.categoryOptionCombo, r.attributeOptionCombo, r.value, r.storedBy, r.comment, r.followup, r.deleted,
];

function lineCol(text: string, pos: number): [number, number] {
  let line = 1;
  let start = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < pos; k = text.indexOf('\n', k + 1)) {
    line++;
    start = k + 1;
  }
  return [line, pos - start + 1];
}

describe('DXF2 JSON reader: fuzz against JSON.parse', () => {
  it('reads generated documents exactly, whatever the chunk boundaries', async () => {
    const r = rng(20240601);
    for (let n = 0; n < 400; n++) {
      const { doc, twin } = generateDoc(r);
      const parsed = JSON.parse(doc) as { dataValues: unknown[] };
      const model = JSON.parse(twin) as { dataValues: unknown[] };
      expect(model.dataValues.length).toBe(parsed.dataValues.length);
      const sizes = [() => 1 + Math.floor(r() * 4), () => 1 + Math.floor(r() * 64), () => 1 << 20];
      for (const size of sizes) {
        const out: DataValueBatch[] = [];
        for await (const b of readJsonDataValues(split(doc, size), { fileName: 'f.json' })) out.push(b);
        const rows = out.flatMap((b) => b.rows);
        expect(rows.map(actualRow), doc).toEqual(model.dataValues.map(expectedRow));
        expect(rows.map((x) => x.index)).toEqual(rows.map((_, i) => i));
      }
    }
  });

  it('refuses exactly what JSON.parse refuses, at the same line and column', async () => {
    const r = rng(77);
    let refused = 0;
    let compared = 0;
    for (let n = 0; n < 1500; n++) {
      const { doc } = generateDoc(r);
      const at = Math.floor(r() * doc.length);
      const k = r();
      const bad = k < 0.3 ? doc.slice(0, at) : k < 0.6 ? doc.slice(0, at) + doc.slice(at + 1) : doc.slice(0, at) + '{}[],:"\\0-.eE tfn\n\u0001'[Math.floor(r() * 20)]! + doc.slice(at);
      let v8: Error | null = null;
      try {
        JSON.parse(bad);
      } catch (e) {
        v8 = e as Error;
      }
      const size = r() < 0.5 ? 1 + Math.floor(r() * 8) : 1 << 20;
      const got = await (async () => {
        const rows: DataValueRow[] = [];
        for await (const b of readJsonDataValues(split(bad, () => size), { fileName: 'f.json' })) rows.push(...b.rows);
        return rows;
      })().then(
        (rows) => rows,
        (e: unknown) => e as AppError,
      );
      if (v8) {
        refused++;
        expect(got, bad).toBeInstanceOf(AppError);
        const e = got as AppError;
        expect(e.code).toBe('BAD_FILE');
        // a value of the wrong shape (valid JSON so far) may be refused before a later syntax error is reached
        if (bad.trim() === '' || !/malformed JSON/.test(e.message)) continue;
        // a lone surrogate (which JSON.parse keeps) before the syntax error is refused first
        if (/surrogate/.test(e.message)) continue;
        const m = /at position (\d+)/.exec(v8.message);
        const [line, column] = m ? lineCol(bad, Number(m[1])) : lineCol(bad, bad.length);
        // V8 names no position for a wrong literal ("tru}"); the end of the input is at the end
        if (m || /end of JSON input/.test(v8.message)) {
          compared++;
          expect([e.details.line, e.details.column], `${bad}\n${v8.message}\n${e.message}`).toEqual([line, column]);
        }
      } else if (got instanceof AppError && /surrogate/.test(got.message)) {
        // JSON.parse keeps a lone surrogate (\ud834 without its pair); Ferry refuses it: such text has no UTF-8 form
        expect(bad).toMatch(/\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}/);
      } else if (got instanceof AppError) {
        // valid JSON: only a wrong shape may be refused
        expect(got.message, bad).not.toMatch(/malformed JSON/);
      }
    }
    expect(refused).toBeGreaterThan(500);
    expect(compared).toBeGreaterThan(400);
  });
});

