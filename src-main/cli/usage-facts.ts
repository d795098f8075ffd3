/**
 * What `ferry --help` lists from the registries (formats/registry.ts, jobs/registry.ts, options.ts, csv-metadata.ts),
 * written out here so that printing the usage loads none of them: the registries pull the whole engine (every reader,
 * writer, importer and exporter) and cost most of a start. tests/unit/cli/usage-facts.test.ts fails when these lists
 * and the registries part (a format, importer or class key added there and not here), and prints the lines to paste.
 */

/** --kind values an import takes from a file: the importers' kinds and pdf (another name for data: filled forms) */
export const IMPORT_KINDS_LISTED = ['metadata', 'data', 'events', 'geometry', 'csv-metadata', 'pdf', 'dhis14', 'transfer'] as const;

/** the kinds jobs/registry.ts imports (undo is `ferry undo`, not a file's kind) */
export const IMPORTERS_LISTED = ['metadata', 'data', 'geometry', 'csv-metadata', 'events', 'dhis14', 'transfer'] as const;

/** every --format name (formats/registry.ts allFormatNames) */
export const ALL_FORMAT_NAMES = ['json', 'xml', 'csv', 'adx', 'events-json', 'events-csv', 'geojson', 'gml', 'mdb', 'pdf', 'xlsx'] as const;

/** formatNames('data', 'write') and formatNames('metadata', 'write') */
export const DATA_WRITE_FORMATS = ['json', 'xml', 'csv', 'adx', 'xlsx'] as const;
export const METADATA_WRITE_FORMATS = ['json', 'xml', 'xlsx'] as const;

export interface FormatLine {
  format: string;
  label: string;
  extensions: string[];
  reads: string[];
  writes: string[];
  note?: string;
}

/** formatInfos(), the fields the usage prints */
export const FORMAT_LINES: FormatLine[] = [
  { format: 'json', label: 'JSON (DXF2)', extensions: ['json'], reads: ['data', 'metadata'], writes: ['data', 'metadata'] },
  { format: 'xml', label: 'XML (DXF2)', extensions: ['xml'], reads: ['data', 'metadata'], writes: ['data', 'metadata'] },
  { format: 'csv', label: 'CSV', extensions: ['csv'], reads: ['data'], writes: ['data'] },
  { format: 'csv', label: 'CSV metadata (one DHIS2 class key)', extensions: ['csv'], reads: ['csv-metadata'], writes: ['csv-metadata'] },
  { format: 'adx', label: 'ADX', extensions: ['adx.xml', 'xml'], reads: ['data'], writes: ['data'] },
  { format: 'json', label: 'Tracker JSON (2.36+; reads the events JSON of 2.40 and older too)', extensions: ['json'], reads: ['events'], writes: ['events'] },
  { format: 'xml', label: 'Events XML (2.40 and older)', extensions: ['xml'], reads: ['events'], writes: ['events'] },
  { format: 'csv', label: 'Tracker event CSV (2.36+; reads the events CSV of 2.40 and older too)', extensions: ['csv'], reads: ['events'], writes: ['events'] },
  { format: 'events-json', label: 'Events JSON (2.40 and older)', extensions: ['json'], reads: ['events'], writes: ['events'] },
  { format: 'events-csv', label: 'Events CSV (2.40 and older)', extensions: ['csv'], reads: ['events'], writes: ['events'] },
  { format: 'geojson', label: 'GeoJSON', extensions: ['geojson', 'json'], reads: ['geometry'], writes: [] },
  { format: 'gml', label: 'GML', extensions: ['gml', 'xml'], reads: ['geometry'], writes: [] },
  { format: 'mdb', label: 'DHIS 1.4 Access database', extensions: ['mdb'], reads: ['dhis14'], writes: [], note: 'imported with --kind dhis14 (Analyse, Preview, Import; incremental with --last-updated)' },
  {
    format: 'xml', label: 'DHIS 1.4 XML', extensions: ['xml'], reads: ['dhis14'], writes: ['dhis14'],
    note: 'imported with --kind dhis14: the 1.4 export zip (its .xml and RoutineData.txt); written by ferry export dhis14-metadata|dhis14-detailed-metadata|dhis14-data',
  },
  { format: 'pdf', label: 'PDF data entry form', extensions: ['pdf'], reads: ['data'], writes: [] },
  { format: 'xlsx', label: 'Excel (xlsx)', extensions: ['xlsx'], reads: [], writes: ['data', 'metadata'] },
];

/** The CSV metadata class keys: the shared list itself (constants only, nothing to load). */
export { CSV_CLASS_KEYS as CLASS_KEYS_LISTED } from '../../src-shared/dhis2/csv-metadata.ts';
