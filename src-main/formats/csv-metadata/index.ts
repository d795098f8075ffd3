/**
 * DHIS2's CSV metadata (spec §3): the objects of one class key (data elements, org units, option sets …) as positional
 * CSV, one object per row (option sets and option groups: one row per option; memberships: one row per member). The
 * class key is given, never detected: a CSV file is data values unless told otherwise (--kind csv-metadata or
 * --class-key), so this module has no sniff.
 */
import type { FormatModule } from '../types.ts';
import { readCsvMetadataRows } from './reader.ts';
import { csvHeaderLine, csvLine, csvRowsOf } from './writer.ts';

export const csvMetadataFormat: FormatModule = {
  id: 'csv-metadata',
  format: 'csv',
  label: 'CSV metadata (one DHIS2 class key)',
  kinds: ['csv-metadata'],
  extensions: ['csv'],
  mimeTypes: ['text/csv', 'application/csv'],
  readers: { 'csv-metadata': readCsvMetadataRows },
  writers: { 'csv-metadata': { header: csvHeaderLine, rows: csvRowsOf, line: csvLine } },
};
