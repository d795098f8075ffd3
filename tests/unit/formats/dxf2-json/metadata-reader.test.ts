import { describe, expect, it } from 'vitest';
import { readDxf2JsonMetadata } from '../../../../src-main/formats/dxf2-json/metadata-reader.ts';
import type { MetadataReadInfo, MetadataRecord } from '../../../../src-main/formats/shared/metadata-record.ts';
import { AppError } from '../../../../src-shared/errors.ts';

async function* chunksOf(parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.isBuffer(p) ? p : Buffer.from(p);
}
async function read(parts: (string | Buffer)[]): Promise<{ records: MetadataRecord[]; info: MetadataReadInfo }> {
  const info: MetadataReadInfo = { keys: [] };
  const records: MetadataRecord[] = [];
  for await (const r of readDxf2JsonMetadata(chunksOf(parts), 'f.json', info)) records.push(r);
  return { records, info };
}
async function failure(parts: (string | Buffer)[]): Promise<AppError> {
  try {
    await read(parts);
  } catch (e) {
    return e as AppError;
  }
  throw new Error('no error');
}

describe('DXF2 JSON metadata reader', () => {
  it('yields {type, index, object} in file order and reports every top-level key with its kind', async () => {
    const { records, info } = await read([
      '\uFEFF{"system": {"id": "s", "rev": "1"}, "date": [2016, 1, 8], "dataElements": [{"id": "a", "name": "A"},',
      ' {"id": "b"}], "organisationUnits": [{"id": "o", "parent": {"id": "p"}}], "dataElementGroupz": [], "x": 1}',
    ]);
    expect(records).toEqual([
      { type: 'dataElements', index: 0, object: { id: 'a', name: 'A' } },
      { type: 'dataElements', index: 1, object: { id: 'b' } },
      { type: 'organisationUnits', index: 0, object: { id: 'o', parent: { id: 'p' } } },
    ]);
    expect(info.keys).toEqual([
      { key: 'system', kind: 'object', count: 0 },
      { key: 'date', kind: 'array', count: 3 },
      { key: 'dataElements', kind: 'array', count: 2 },
      { key: 'organisationUnits', kind: 'array', count: 1 },
      { key: 'dataElementGroupz', kind: 'array', count: 0 },
      { key: 'x', kind: 'scalar', count: 0 },
    ]);
  });

  it('keeps multi-byte characters split across chunks and skips blank chunks without losing positions', async () => {
    const name = Buffer.from('{"dataElements": [{"id": "a", "name": "Consultation prénatale ✓"}');
    const cut = name.indexOf(0xc3) + 1; // inside "é"
    const { records } = await read([name.subarray(0, cut), name.subarray(cut), '\n'.repeat(10), '  ', ']}']);
    expect(records[0]!.object.name).toBe('Consultation prénatale ✓');
    const e = await failure(['{"dataElements": [\n', '\n\n', ' \n', '{"id": 1,,}]}']);
    expect(e.details).toMatchObject({ line: 5, column: 10 });
  });

  it('syntax errors name the file, line and column', async () => {
    const e = await failure(['{\n  "dataElements": [\n    {"id": "a" "name": "b"}\n  ]\n}']);
    expect(e.code).toBe('BAD_FILE');
    expect(e.message).toMatch(/^f\.json, line 3, column \d+: invalid JSON/);
    expect(e.details).toMatchObject({ file: 'f.json', line: 3 });
  });

  it('a truncated document is an error, even when every object so far was complete', async () => {
    const e = await failure(['{"dataElements": [{"id": "a"},\n{"id": "b"}']);
    expect(e.message).toBe('f.json, line 2, column 12: the JSON ends too early: the file is truncated or incomplete');
  });

  it('refuses a root that is not an object, non-object items of a metadata type, and invalid UTF-8', async () => {
    expect((await failure(['[{"id": "a"}]'])).message).toMatch(/must be a JSON object/);
    expect((await failure(['{"dataElements": ["a"]}'])).message).toMatch(/dataElements\[0\] is not an object/);
    const bad = Buffer.concat([Buffer.from('{"dataElements": [\n{"name": "pr'), Buffer.from([0xe9]), Buffer.from('natale"}]}')]);
    const e = await failure([bad]);
    expect(e.message).toMatch(/not valid UTF-8/);
  });
});
