/**
 * THE format registry (DESIGN §3): every wire format Ferry recognises, reads or writes is one entry here. Detection
 * (io/detect.ts), the import and export dispatch, the CLI's --format choices and help, and the screens' format pickers
 * (through the `formats:list` channel) all read this list. Adding a format: one folder with an index.ts declaring its
 * FormatModule, plus one line below.
 *
 * The order is the order users see (CLI help, pickers: DHIS2's own formats first). Sniffs mostly exclude each other
 * (magic bytes, XML roots, first JSON keys, CSV headers); where two strong sniffs claim a file the first wins, and weak
 * sniffs ("some JSON object", "some comma-separated line") only count when nothing claims the file strongly.
 */
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { ImportKind } from '../../src-shared/dhis2/options.ts';
import type { FormatInfo } from '../../src-shared/api/contract.ts';
import type { DataReaderFactory, DataWriterFactory, Dhis14ReaderSlot, Dhis14WriterSlot, EventsReaderFactory, EventsWriterFactory, FormatModule, MetadataReaderFactory, MetadataSheetWriterFactory, MetadataWriterFactory } from './types.ts';
import { pdfFormFormat } from './pdf-form/index.ts';
import { dhis14MdbFormat } from './dhis14-mdb/index.ts';
import { dxf2XmlFormat } from './dxf2-xml/index.ts';
import { adxFormat } from './adx/index.ts';
import { eventsCsvFormat, eventsJsonFormat, eventsXmlFormat, oldEventsCsvFormat, oldEventsJsonFormat } from './events/index.ts';
import { dhis14XmlFormat } from './dhis14-xml/index.ts';
import { gmlFormat } from './gml/index.ts';
import { geojsonFormat } from './geojson/index.ts';
import { dxf2JsonFormat } from './dxf2-json/index.ts';
import { csvDataFormat } from './csv-data/index.ts';
import { csvMetadataFormat } from './csv-metadata/index.ts';
import { xlsxFormat } from './xlsx/index.ts';

export const FORMATS: readonly FormatModule[] = [
  dxf2JsonFormat,
  dxf2XmlFormat,
  csvDataFormat,
  csvMetadataFormat,
  adxFormat,
  eventsJsonFormat,
  eventsXmlFormat,
  eventsCsvFormat,
  oldEventsJsonFormat,
  oldEventsCsvFormat,
  geojsonFormat,
  gmlFormat,
  dhis14MdbFormat,
  dhis14XmlFormat,
  pdfFormFormat,
  xlsxFormat,
];

/** Kinds the registry has readers or writers for. */
type ReadableKind = 'data' | 'metadata' | 'geometry' | 'csv-metadata' | 'events' | 'dhis14';
type WritableKind = 'data' | 'metadata' | 'csv-metadata' | 'events' | 'dhis14';

/** The module that carries `kind` in `format` (e.g. data + 'json' → DXF2 JSON), or undefined. */
export function findFormat(kind: ImportKind, format: string): FormatModule | undefined {
  const f = format.toLowerCase();
  return FORMATS.find((m) => m.format === f && m.kinds.includes(kind));
}

/** Formats Ferry reads (import) or writes (export) for a kind, in registry order, each name once. */
export function formatNames(kind: ReadableKind | WritableKind, direction: 'read' | 'write'): string[] {
  const names: string[] = [];
  for (const m of FORMATS) {
    const has = direction === 'read' ? m.readers?.[kind] : kind !== 'geometry' && m.writers?.[kind];
    if (has && !names.includes(m.format)) names.push(m.format);
  }
  return names;
}

/** Every --format name (imports and exports, recognised-only formats included). */
export function allFormatNames(): string[] {
  return [...new Set(FORMATS.map((m) => m.format))];
}

/** A list of names as a message's parameters: "json, xml {{or}} csv" (the last joined by the language's "or"). */
function list(names: string[]): { head: string; last: string } {
  return { head: names.slice(0, -1).join(', '), last: names[names.length - 1] ?? '' };
}

export function dataReaderFor(format: string, fileName?: string): DataReaderFactory {
  const r = findFormat('data', format)?.readers?.data;
  if (!r)
    throw ferryError('UNSUPPORTED', fileName ? 'format.notDataFileOf' : 'format.notData', { format, ...list(formatNames('data', 'read')), ...(fileName ? { file: fileName } : {}) }, fileName ? { file: fileName } : {});
  return r;
}

export function metadataReaderFor(format: string, fileName: string): MetadataReaderFactory {
  const r = findFormat('metadata', format)?.readers?.metadata;
  if (!r)
    throw ferryError('UNSUPPORTED', 'format.notMetadata', { file: fileName, format, ...list(formatNames('metadata', 'read').map((f) => 'DXF2 ' + f.toUpperCase())) }, { file: fileName });
  return r;
}

export function dataWriterFor(format: string): DataWriterFactory {
  const w = findFormat('data', format)?.writers?.data;
  if (!w) throw ferryError('UNSUPPORTED', 'format.noDataWriter', { format, ...list(formatNames('data', 'write')) });
  return w;
}

export function metadataWriterFor(format: string): MetadataWriterFactory | MetadataSheetWriterFactory {
  const w = findFormat('metadata', format)?.writers?.metadata;
  if (!w) throw ferryError('UNSUPPORTED', 'format.noMetadataWriter', { format, ...list(formatNames('metadata', 'write')) });
  return w;
}

/** The event/tracker reader of a format (json, xml, csv …). */
export function eventsReaderFor(format: string, fileName?: string): EventsReaderFactory {
  const r = findFormat('events', format)?.readers?.events;
  if (!r)
    throw ferryError('UNSUPPORTED', fileName ? 'format.notEventsFileOf' : 'format.notEvents', { format, ...list(formatNames('events', 'read')), ...(fileName ? { file: fileName } : {}) }, fileName ? { file: fileName } : {});
  return r;
}

/** The event/tracker writer of a format. */
export function eventsWriterFor(format: string): EventsWriterFactory {
  const w = findFormat('events', format)?.writers?.events;
  if (!w) throw ferryError('UNSUPPORTED', 'format.noEventsWriter', { format, ...list(formatNames('events', 'write')) });
  return w;
}

/** The DHIS 1.4 reader of a shape: the Access database ('access') or the XML export ('xml-export'). */
export function dhis14ReaderFor<S extends Dhis14ReaderSlot['shape']>(shape: S): Extract<Dhis14ReaderSlot, { shape: S }> {
  for (const m of FORMATS) {
    const r = m.readers?.dhis14;
    if (r?.shape === shape) return r as Extract<Dhis14ReaderSlot, { shape: S }>;
  }
  throw ferryError('UNSUPPORTED', 'format.noDhis14Reader', { shape });
}

/** The DHIS 1.4 XML export writer (Ferry's exports back to 1.4). */
export function dhis14Writer(): Dhis14WriterSlot {
  const w = findFormat('dhis14', 'xml')?.writers?.dhis14;
  if (!w) throw ferryError('UNSUPPORTED', 'format.noDhis14Writer');
  return w;
}

/** The id scheme a format's identifiers use by default (DHIS2: CODE for ADX, UID for the others). */
export function defaultIdSchemeOf(format: string): 'UID' | 'CODE' {
  return FORMATS.find((m) => m.format === format && m.defaultIdScheme)?.defaultIdScheme ?? 'UID';
}

function writing(format: string): FormatModule | undefined {
  return FORMATS.find((m) => m.format === format && m.writers) ?? FORMATS.find((m) => m.format === format);
}

/** Whether a format's files are already compressed (xlsx): such exports refuse zip and gzip. */
export function isCompressedFormat(format: string): boolean {
  return !!writing(format)?.compressed;
}

/** The file extension written for a format (its first declared extension), e.g. adx → adx.xml. */
export function extensionOf(format: string): string {
  return writing(format)?.extensions[0] ?? format;
}

/** Every extension a file of this format may carry (adx: adx.xml, xml). */
export function extensionsOf(format: string): string[] {
  return writing(format)?.extensions ?? [format];
}

/**
 * The format and compression a file name asks for, for a kind Ferry writes (`ferry export … --out jan.csv.zip` with no
 * --format): '.zip' / '.gz' give the compression, then the longest extension a writer of that kind declares gives the
 * format (adx.xml before xml). Null when the name names no such format.
 */
export function formatForFileName(kind: WritableKind, fileName: string): { format: string; compression: 'none' | 'zip' | 'gzip' } | null {
  let name = fileName.toLowerCase();
  let compression: 'none' | 'zip' | 'gzip' = 'none';
  if (name.endsWith('.zip')) (compression = 'zip'), (name = name.slice(0, -4));
  else if (name.endsWith('.gz')) (compression = 'gzip'), (name = name.slice(0, -3));
  let best: { format: string; length: number } | null = null;
  for (const m of FORMATS) {
    if (!m.writers?.[kind]) continue;
    for (const ext of m.extensions) if (name.endsWith('.' + ext) && (!best || ext.length > best.length)) best = { format: m.format, length: ext.length };
  }
  return best ? { format: best.format, compression } : null;
}

/** What the screens and API clients learn about formats (the `formats:list` channel). */
export function formatInfos(): FormatInfo[] {
  return FORMATS.map((m) => ({
    id: m.id,
    format: m.format,
    label: m.label,
    kinds: [...m.kinds],
    extensions: [...m.extensions],
    mimeTypes: [...m.mimeTypes],
    reads: (Object.keys(m.readers ?? {}) as ReadableKind[]).filter((k) => m.readers?.[k]),
    writes: (Object.keys(m.writers ?? {}) as WritableKind[]).filter((k) => m.writers?.[k]),
    ...(m.note ? { note: m.note } : {}),
    ...(m.compressed ? { compressed: true } : {}),
  }));
}
