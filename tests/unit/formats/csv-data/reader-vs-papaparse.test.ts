/**
 * Seeded random differential test of Ferry's hand-written CSV reader against papaparse (the library it replaces; used
 * only here and in the bench). Random valid documents — quoted fields with commas, doubled quotes and CR/LF/CRLF
 * inside, empty fields, multi-byte characters, empty lines, a BOM, LF, CRLF or CR line breaks — are fed to Ferry in
 * random chunk sizes (1 byte to 64 KB, cutting multi-byte characters) and to papaparse whole; records and line numbers
 * must be identical. Malformed documents (a quote never closed) must be refused by both, Ferry naming the line of the
 * record papaparse flags. A failure prints its seed.
 */
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { readCsvDataValues, readCsvRecords } from '../../../../src-main/formats/csv-data/reader.ts';
import { AppError } from '../../../../src-shared/errors.ts';
import { rng, chunker, split } from '../../../helpers/seeded.ts';



const PLAIN = ['a', 'Z', '0', '9', ' ', '\t', '.', '-', 'é', 'ñandú', '€', '𝄞', '😀', '中文', "'", ';', 'x y'];
const QUOTED = [...PLAIN, ',', '""', '\n', '\r\n', '\r', ',,', '"",', 'a\nb'];

/** A random valid CSV document with the given line break. */
function generate(r: () => number, nl: string, records: number): string {
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const field = (): string => {
    const k = r();
    if (k < 0.2) return '';
    if (k < 0.6) return Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(PLAIN)).join('');
    return '"' + Array.from({ length: Math.floor(r() * 5) }, () => pick(QUOTED)).join('') + '"';
  };
  const lines: string[] = [];
  for (let n = 0; n < records; n++) {
    if (r() < 0.1) lines.push(''); // an empty line
    lines.push(Array.from({ length: 1 + Math.floor(r() * 12) }, field).join(','));
  }
  let doc = lines.join(nl);
  if (r() < 0.5) doc += nl;
  if (r() < 0.1) doc = '\uFEFF' + doc;
  return doc;
}

interface Rec {
  fields: string[];
  line: number;
}

/** papaparse's records of `text`, with the line each starts on; empty records (an empty line, or `""`) left out. */
function papa(text: string, nl: string): { records: Rec[]; errors: Papa.ParseError[] } {
  const records: Rec[] = [];
  const errors: Papa.ParseError[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let start = 0;
  let line = 1;
  let counted = 0;
  const lineAt = (pos: number): number => {
    // line breaks before pos: CRLF, LF, or a lone CR (as javacsv, and DHIS2, read them)
    for (; counted < pos; counted++) {
      const c = body.charCodeAt(counted);
      if (c === 10 || (c === 13 && body.charCodeAt(counted + 1) !== 10)) line++;
    }
    return line;
  };
  Papa.parse<string[]>(body, {
    delimiter: ',',
    newline: nl as Papa.ParseConfig['newline'],
    quoteChar: '"',
    escapeChar: '"',
    header: false,
    skipEmptyLines: false,
    step: (res) => {
      const fields = res.data;
      const ln = lineAt(start);
      start = res.meta.cursor;
      errors.push(...res.errors.map((e) => ({ ...e, row: records.length })));
      if (fields.length === 1 && fields[0] === '') return;
      records.push({ fields, line: ln });
    },
  });
  return { records, errors };
}

async function ferry(bytes: Buffer, sizes: () => number): Promise<Rec[]> {
  const out: Rec[] = [];
  for await (const recs of readCsvRecords(split(bytes, sizes), 'f.csv')) out.push(...recs);
  // a record of one empty field (`""` alone on a line) is no data: readCsvDataValues skips it, papaparse too
  return out.filter((x) => !(x.fields.length === 1 && x.fields[0] === ''));
}

const NEWLINES = ['\n', '\r\n', '\r'];

describe('CSV reader: seeded random differential test against papaparse', () => {
  it('reads random valid documents exactly as papaparse does, at the same lines, whatever the chunks', async () => {
    const SEED = 7_000;
    for (let n = 0; n < 400; n++) {
      const seed = SEED + n;
      const r = rng(seed);
      const nl = NEWLINES[n % 3]!;
      // every 40th document is large (several 64 KB chunks; read in chunks of 64 bytes or more, to stay fast)
      const big = n % 40 === 0;
      const doc = generate(r, nl, big ? 3000 : Math.floor(r() * 30));
      const ref = papa(doc, nl);
      expect(ref.errors, `seed ${seed}: papaparse refused a valid document`).toEqual([]);
      const bytes = Buffer.from(doc, 'utf8');
      const got = await ferry(bytes, chunker(r, big ? 64 : 1));
      expect(got, `seed ${seed}`).toEqual(ref.records);
    }
  });

  it('maps the same records to data value rows (readCsvDataValues, first row as data)', async () => {
    for (let n = 0; n < 100; n++) {
      const seed = 9_000 + n;
      const r = rng(seed);
      const nl = NEWLINES[n % 3]!;
      const doc = generate(r, nl, Math.floor(r() * 30));
      const ref = papa(doc, nl).records;
      const rows = [];
      for await (const b of readCsvDataValues(split(Buffer.from(doc, 'utf8'), chunker(r)), { fileName: 'f.csv', firstRowIsHeader: false })) rows.push(...b.rows);
      expect(
        rows.map((x) => [x.index, x.line, x.dataElement, x.period, x.orgUnit, x.categoryOptionCombo, x.attributeOptionCombo, x.value, x.storedBy, x.comment]),
        `seed ${seed}`,
      ).toEqual(ref.map((x, i) => [i, x.line, x.fields[0], x.fields[1] ?? '', x.fields[2] ?? '', x.fields[3] || undefined, x.fields[4] || undefined, x.fields[5] ?? '', x.fields[6] || undefined, x.fields[8] ?? '']));
    }
  });

  it('refuses a quote that is never closed, as papaparse does, naming the line of that record', async () => {
    for (let n = 0; n < 200; n++) {
      const seed = 11_000 + n;
      const r = rng(seed);
      const nl = NEWLINES[n % 3]!;
      // a valid document, then a record whose last field opens a quote that never closes (line breaks and commas in it)
      const valid = generate(r, nl, Math.floor(r() * 20));
      const tail = ['x', 'y', ''].slice(0, Math.floor(r() * 3)).concat('"open' + ['', ',', nl, 'é\r\n😀', ',z' + nl + 'w'][Math.floor(r() * 5)]!).join(',');
      const doc = valid + (valid === '' || valid.endsWith(nl) ? '' : nl) + (r() < 0.3 ? nl : '') + tail;
      const ref = papa(doc, nl);
      const missing = ref.errors.filter((e) => e.code === 'MissingQuotes');
      expect(missing, `seed ${seed}: papaparse accepted it`).toHaveLength(1);
      const flagged = ref.records[ref.records.length - 1]!;
      const err = await ferry(Buffer.from(doc, 'utf8'), chunker(r)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, `seed ${seed}: Ferry accepted it`).toBeInstanceOf(AppError);
      expect((err as AppError).message, `seed ${seed}`).toBe(`f.csv, line ${flagged.line}: a quoted field is not closed before the end of the file`);
    }
  });
});
