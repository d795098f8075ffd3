import { describe, expect, it } from 'vitest';
import { readAdxDataValues } from '../../../../src-main/formats/adx/reader.ts';
import type { DataValueBatch } from '../../../../src-main/formats/data-value-row.ts';

async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
async function read(text: string, size = 1 << 20): Promise<DataValueBatch[]> {
  const out: DataValueBatch[] = [];
  for await (const b of readAdxDataValues(chunked(text, size), { fileName: 'f.adx.xml' })) out.push(b);
  return out;
}

const ADX = `<adx xmlns="urn:ihe:qrph:adx:2015" exported="2024-01-01">
  <group dataSet="DS" period="2024-01-01/P1M" orgUnit="OU1" completeDate="2024-02-01" mechanism="PEPFAR">
    <dataValue dataElement="MAL01" sex="F" age="under5" value="1"/>
    <dataValue dataElement="MAL02" categoryOptionCombo="COC1" value="2"/>
    <dataValue dataElement="TXT" value="0"><annotation>Some text</annotation></dataValue>
  </group>
  <group dataSet="DS" period="2024-01-01/P3M" orgUnit="OU2" attributeOptionCombo="AOC1">
    <dataValue dataElement="MAL01" value="3"/>
  </group>
</adx>`;

describe('ADX reader', () => {
  it('turns groups into headers (ADX periods to ISO) and data values into rows', async () => {
    for (const size of [4, 1 << 20]) {
      const batches = await read(ADX, size);
      const headers = batches.filter((b) => b.header).map((b) => b.header);
      expect(headers).toEqual([
        { group: true, dataSet: 'DS', period: '202401', orgUnit: 'OU1', completeDate: '2024-02-01', attributeCategoryOptions: { mechanism: 'PEPFAR' } },
        { group: true, dataSet: 'DS', period: '2024Q1', orgUnit: 'OU2', attributeOptionCombo: 'AOC1' },
      ]);
      const rows = batches.flatMap((b) => b.rows);
      expect(rows.map((r) => [r.index, r.dataElement, r.value, r.categoryOptionCombo, r.categoryOptions, r.annotation])).toEqual([
        [0, 'MAL01', '1', undefined, { sex: 'F', age: 'under5' }, undefined],
        [1, 'MAL02', '2', 'COC1', undefined, undefined],
        [2, 'TXT', '0', undefined, undefined, 'Some text'],
        [3, 'MAL01', '3', undefined, undefined, undefined],
      ]);
      // rows follow their own group's header
      const second = batches.findIndex((b) => b.header?.orgUnit === 'OU2');
      expect(batches.slice(second).flatMap((b) => b.rows).map((r) => r.index)).toEqual([3]);
    }
  });

  it('stops on malformed ADX naming file and line', async () => {
    await expect(read('<adx>\n<group dataSet="x">\n<dataValue dataElement="a" value="1">\n</group></adx>')).rejects.toThrow(/f\.adx\.xml, line 4: malformed XML/);
  });
});
