/**
 * DHIS2 data value CSV (spec §1.4): positional 11 columns (dataelement, period, orgunit, categoryoptioncombo,
 * attributeoptioncombo, value, storedby, lastupdated, comment, followup, deleted), optional header row, `,` delimiter,
 * RFC 4180 double-quote quoting (quoted fields may hold commas, doubled quotes and line breaks); records end at LF,
 * CRLF or a lone CR, as javacsv (DHIS2's reader) reads them, and each counts as one line. Streaming and hand-written (a
 * fast path splits quote-free lines; measured faster than papaparse, see BENCHMARKS.md), tested against papaparse in a
 * seeded random differential test. Missing trailing columns read as empty strings; empty lines are skipped (javacsv's
 * skipEmptyRecords).
 */
import { parsePeriod } from '../../../src-shared/dhis2/period.ts';
import { isValidUid } from '../../../src-shared/dhis2/uid.ts';
import type { DataValueBatch, DataValueRow } from '../data-value-row.ts';
import { readCsvMapped } from '../shared/csv-records.ts';

export { readCsvMapped, readCsvRecords } from '../shared/csv-records.ts';

export interface CsvReadOptions {
  fileName: string;
  /**
   * true: the first row is a header (skipped); false: it is data. Not given (DHIS2's default is true, but a file without
   * header would silently lose its first value): decided from the first row, see `firstRowLooksLikeHeader`.
   */
  firstRowIsHeader?: boolean;
  /** told once, at the first row, how it was read and whether that was decided from its content */
  onFirstRow?: (isHeader: boolean, detected: boolean) => void;
}

/** Column names of DHIS2 data value CSV headers (any case, spaces and underscores ignored), old spellings included. */
const HEADER_NAMES = [
  ['dataelement', 'de', 'dataelementid', 'dataelementuid'],
  ['period', 'pe', 'periodid'],
  ['orgunit', 'ou', 'organisationunit', 'organizationunit', 'orgunitid'],
  ['categoryoptioncombo', 'coc', 'catoptcombo', 'categoryoptioncomboid'],
  ['attributeoptioncombo', 'aoc', 'attroptcombo', 'attributeoptioncomboid'],
  ['value'],
  ['storedby', 'strby'],
  ['lastupdated', 'lstupd', 'timestamp'],
  ['comment', 'cmt'],
  ['followup', 'flwup'],
  ['deleted'],
];
const ALL_HEADER_NAMES = new Set(HEADER_NAMES.flat().concat(['created', 'attributecombo', 'attributeoptions']));
const headerName = (cell: string | undefined): string => (cell ?? '').trim().toLowerCase().replace(/[\s_"-]/g, '');

/**
 * Whether the first row of a data value CSV is a header, when the user did not say. A first column named like DHIS2's
 * (dataelement, de …, any case) makes a header; a period that parses or an identifier in the first column makes data;
 * otherwise DHIS2 column names (period, orgunit … in their columns, or two anywhere) make a header, and anything else is
 * data: a row wrongly read as data shows up as a conflict, a row wrongly skipped would be lost without a word.
 */
export function firstRowLooksLikeHeader(fields: string[]): boolean {
  if (HEADER_NAMES[0]!.includes(headerName(fields[0]))) return true;
  const pe = (fields[1] ?? '').trim();
  if ((pe && parsePeriod(pe)) || isValidUid((fields[0] ?? '').trim())) return false;
  for (let k = 1; k < 3; k++) if (HEADER_NAMES[k]!.includes(headerName(fields[k]))) return true;
  let known = 0;
  for (const f of fields) if (ALL_HEADER_NAMES.has(headerName(f))) known++;
  return known >= 2;
}

/** Streams data value rows from a DHIS2 data value CSV. */
export async function* readCsvDataValues(chunks: AsyncIterable<Uint8Array>, opts: CsvReadOptions): AsyncGenerator<DataValueBatch> {
  let first = true;
  let index = 0;
  const toRow = (f: string[], line: number): DataValueRow | null => {
    if (f.length === 1 && f[0] === '') return null;
    if (first) {
      first = false;
      const detected = opts.firstRowIsHeader === undefined;
      const isHeader = detected ? firstRowLooksLikeHeader(f) : opts.firstRowIsHeader === true;
      opts.onFirstRow?.(isHeader, detected);
      if (isHeader) return null;
    }
    const coc = f[3];
    const aoc = f[4];
    const storedBy = f[6];
    const followup = f[9];
    const deleted = f[10];
    return {
      index: index++,
      line,
      dataElement: f[0] ?? '',
      period: f[1] ?? '',
      orgUnit: f[2] ?? '',
      categoryOptionCombo: coc ? coc : undefined,
      attributeOptionCombo: aoc ? aoc : undefined,
      value: f[5] ?? '',
      storedBy: storedBy ? storedBy : undefined,
      comment: f[8] ?? '',
      followup: followup ? (followup === 'false' ? false : followup.trim().toLowerCase() === 'true') : false,
      deleted: deleted ? deleted.trim().toLowerCase() === 'true' : false,
    };
  };
  for await (const rows of readCsvMapped(chunks, opts.fileName, toRow)) yield { rows }; // empty too: a cancel check
}
