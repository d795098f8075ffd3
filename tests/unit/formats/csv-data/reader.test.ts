import { describe, expect, it } from 'vitest';
import { readCsvDataValues } from '../../../../src-main/formats/csv-data/reader.ts';
import type { DataValueRow } from '../../../../src-main/formats/data-value-row.ts';
import { AppError } from '../../../../src-shared/errors.ts';

/** Feeds `text` in chunks of `size` bytes (to cross every boundary). */
async function* chunked(text: string | Buffer, size: number): AsyncGenerator<Uint8Array> {
  const b = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function rows(text: string | Buffer, size = 1 << 20, firstRowIsHeader = true): Promise<DataValueRow[]> {
  const out: DataValueRow[] = [];
  for await (const b of readCsvDataValues(chunked(text, size), { fileName: 'f.csv', firstRowIsHeader })) out.push(...b.rows);
  return out;
}

const HEADER = 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted\n';

describe('CSV data value reader', () => {
  it('maps the 11 positional columns, skipping the header row', async () => {
    const r = await rows(HEADER + 'deA,202401,ouA,cocA,aocA,5,john,2024-01-01,nice,true,false\n');
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({
      index: 0, line: 2, dataElement: 'deA', period: '202401', orgUnit: 'ouA', categoryOptionCombo: 'cocA', attributeOptionCombo: 'aocA',
      value: '5', storedBy: 'john', comment: 'nice', followup: true, deleted: false,
    });
  });

  it('reads the first row as data when firstRowIsHeader=false, and missing trailing columns as empty', async () => {
    const r = await rows('deA,202401,ouA\ndeB,202402,ouB,,,7', 1 << 20, false);
    expect(r.map((x) => [x.index, x.dataElement, x.value, x.categoryOptionCombo, x.comment])).toEqual([
      [0, 'deA', '', undefined, ''],
      [1, 'deB', '7', undefined, ''],
    ]);
  });

  it('handles quoted commas, doubled quotes and line breaks, across any chunk boundary', async () => {
    const text = HEADER + 'deA,202401,ouA,,,1,,,"a, ""quoted""\nsecond line",false,\r\n"deB","202402","ouB","","","2","","","plain","false",""\r\ndeC,202403,ouC,,,3,,,,,\n';
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      const r = await rows(text, size);
      expect(r.map((x) => x.comment), `chunk ${size}`).toEqual(['a, "quoted"\nsecond line', 'plain', '']);
      expect(r.map((x) => x.line), `chunk ${size}`).toEqual([2, 4, 5]);
      expect(r.map((x) => x.index)).toEqual([0, 1, 2]);
    }
  });

  it('skips empty lines and strips a UTF-8 BOM', async () => {
    const r = await rows('\uFEFF' + HEADER + '\n\ndeA,202401,ouA,,,1\n\n');
    expect(r).toHaveLength(1);
    expect(r[0]!.line).toBe(4);
  });

  it('reads "deleted" and "followup" as DHIS2 booleans', async () => {
    const r = await rows(HEADER + 'a,202401,o,,,1,,,,TRUE,true\nb,202401,o,,,1,,,,yes,1\n');
    expect(r.map((x) => [x.followup, x.deleted])).toEqual([[true, true], [false, false]]);
  });

  it('refuses an unclosed quote, naming file and line', async () => {
    await expect(rows(HEADER + 'a,202401,o,,,1\nb,202401,o,,,"oops\n')).rejects.toThrow(/f\.csv, line 3: a quoted field is not closed/);
  });

  it('refuses invalid UTF-8, naming file and line', async () => {
    const bad = Buffer.concat([Buffer.from(HEADER + 'a,202401,o,,,1\nb,202401,o,,,', 'utf8'), Buffer.from([0xe9, 0x0a])]);
    const err = await rows(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BAD_FILE');
    expect((err as AppError).message).toMatch(/f\.csv, line 3: .*UTF-8/);
  });
});
