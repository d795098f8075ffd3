import { describe, expect, it } from 'vitest';
import { readJsonDataValues } from '../../../../src-main/formats/dxf2-json/data-reader.ts';
import type { DataValueBatch } from '../../../../src-main/formats/data-value-row.ts';

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
