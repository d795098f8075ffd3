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

  it('ends a record at a lone CR too (old Mac files), as javacsv and so DHIS2 read it, counting it as a line', async () => {
    const text = HEADER.replace('\n', '\r') + 'deA,202401,ouA,,,1\r\rdeB,202401,ouB,,,"two\rlines"\rdeC,202401,ouC,,,3\r';
    for (const size of [1, 2, 5, 1 << 20]) {
      const r = await rows(text, size);
      expect(r.map((x) => [x.dataElement, x.value, x.line]), `chunk ${size}`).toEqual([
        ['deA', '1', 2],
        ['deB', 'two\rlines', 4],
        ['deC', '3', 6],
      ]);
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

describe('CSV data value reader: firstRowIsHeader not given', () => {
  async function auto(text: string): Promise<{ rows: DataValueRow[]; decided: [boolean, boolean][] }> {
    const decided: [boolean, boolean][] = [];
    const out: DataValueRow[] = [];
    const onFirstRow = (h: boolean, d: boolean): void => void decided.push([h, d]);
    for await (const b of readCsvDataValues(chunked(text, 5), { fileName: 'f.csv', onFirstRow })) out.push(...b.rows);
    return { rows: out, decided };
  }

  it('skips a DHIS2 header row, in any case and spelling', async () => {
    for (const head of [HEADER, 'DataElement,Period,OrgUnit,CategoryOptionCombo,AttributeOptionCombo,Value\n', '"de","pe","ou","coc","aoc","value"\n', '\uFEFFdata_element,x\n', 'element,periode,ou\n']) {
      const r = await auto(head + 'deA,202401,ouA,,,5\n');
      expect(r.decided, head).toEqual([[true, true]]);
      expect(r.rows.map((x) => [x.index, x.line, x.dataElement, x.value]), head).toEqual([[0, 2, 'deA', '5']]);
    }
  });

  it('imports a first row that holds data (a period that parses, or an identifier first)', async () => {
    for (const first of ['"f7n9E0hX8qk","201201","DiszpKrYNg8","","","10001"', 'DE_CODE,2024-01,OU_CODE,,,1', 'f7n9E0hX8qk,notaperiod,ou,,,1', 'f7n9E0hX8qk,201201,value,comment']) {
      const r = await auto(`\n${first}\nf7n9E0hX8qk,201202,DiszpKrYNg8,,,10002\n`);
      expect(r.decided, first).toEqual([[false, true]]);
      expect(r.rows.map((x) => [x.index, x.line]), first).toEqual([[0, 2], [1, 3]]);
    }
  });

  it('reads something that is neither as data (a conflict shows; a skipped row would be lost without a word)', async () => {
    const r = await auto('foo,bar,baz\nf7n9E0hX8qk,201202,DiszpKrYNg8,,,10002\n');
    expect(r.decided).toEqual([[false, true]]);
    expect(r.rows.map((x) => x.dataElement)).toEqual(['foo', 'f7n9E0hX8qk']);
  });

  it('obeys an explicit option exactly', async () => {
    const data = 'f7n9E0hX8qk,201201,DiszpKrYNg8,,,10001\n';
    const decided: [boolean, boolean][] = [];
    const onFirstRow = (h: boolean, d: boolean): void => void decided.push([h, d]);
    const read = async (text: string, firstRowIsHeader: boolean): Promise<DataValueRow[]> => {
      const out: DataValueRow[] = [];
      for await (const b of readCsvDataValues(chunked(text, 1 << 20), { fileName: 'f.csv', firstRowIsHeader, onFirstRow })) out.push(...b.rows);
      return out;
    };
    expect(await read(data + data, true)).toHaveLength(1);
    expect(await read(HEADER + data, false)).toHaveLength(2);
    expect(decided).toEqual([[true, false], [false, false]]);
  });
});
