/**
 * DHIS2 CSV data value writer: the canonical 11-column header (CsvDataValueSetWriter.HEADER_ROW), one row per value,
 * RFC 4180 quoting (fields holding a comma, quote or line break are quoted, quotes doubled). `followup` is
 * true/false; `deleted` is true/false (DHIS2 2.42 writes the literal `null` for non-deleted rows; `false` reads the
 * same in every DHIS2 reader and in Ferry's). created is not part of DHIS2's CSV.
 */
import type { DataValueOut, DataValueWriter } from '../data-value-writer.ts';

export const CSV_DATA_HEADER = 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted';

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

export function csvField(s: string | null): string {
  if (s == null) return '';
  if (!NEEDS_QUOTES.test(s)) return s;
  return '"' + s.replace(QUOTE, '""') + '"';
}

export function createCsvDataWriter(): DataValueWriter {
  return {
    begin(): string {
      return CSV_DATA_HEADER + '\n';
    },
    row(v: DataValueOut): string {
      return (
        csvField(v.dataElement) +
        ',' +
        csvField(v.period) +
        ',' +
        csvField(v.orgUnit) +
        ',' +
        csvField(v.categoryOptionCombo) +
        ',' +
        csvField(v.attributeOptionCombo) +
        ',' +
        csvField(v.value) +
        ',' +
        csvField(v.storedBy) +
        ',' +
        csvField(v.lastUpdated) +
        ',' +
        csvField(v.comment) +
        (v.followup ? ',true' : ',false') +
        (v.deleted ? ',true\n' : ',false\n')
      );
    },
    end(): string {
      return '';
    },
  };
}
