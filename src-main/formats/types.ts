/**
 * What a format module declares to the registry (DESIGN §3): its id, the kinds of content it carries, file extensions
 * and MIME types, a sniff over the first bytes, and its reader and/or writer factories. A module is pure: it never
 * touches SQLite and never reads a whole file into memory.
 */
import type { ImportKind } from '../../src-shared/dhis2/options.ts';
import type { DataValueReader } from './data-value-row.ts';
import type { DataValueWriter } from './data-value-writer.ts';
import type { MetadataReadInfo, MetadataRecord, MetadataWriter } from './shared/metadata-record.ts';
import type { createAdxWriter } from './adx/writer.ts';
import type { readCsvMetadataRows } from './csv-metadata/reader.ts';
import type { csvHeaderLine, csvLine, csvRowsOf } from './csv-metadata/writer.ts';
import type { GeometryReaderFactory } from './shared/geometry.ts';
import type { Writable } from 'node:stream';
import type { DataSheetOptions, DataSheetWriter } from './xlsx/data-writer.ts';
import type { MetadataSheetWriter, NameOf } from './xlsx/metadata-writer.ts';
import type { EventGeneration, TrackerRecord } from '../../src-shared/dhis2/tracker.ts';
import type { isAccessHeader, openDhis14Mdb } from './dhis14-mdb/reader.ts';
import type { isRoutineDataEntry, readDhis14RoutineData, readDhis14Xml } from './dhis14-xml/reader.ts';
import type * as Dhis14XmlWriter from './dhis14-xml/writer.ts';

/** The first bytes of a (decompressed) file, with the views every sniff needs computed once. */
export interface SniffHead {
  /** the raw first bytes (up to 64 KB) */
  bytes: Buffer;
  /** text of the first 8 KB without BOM and leading blank space; null for binary files (not UTF-8 text) */
  text: string | null;
  /** XML only: the local name of the root element (prolog, comments and DOCTYPE skipped) and the text from it */
  xmlRoot: string | null;
  xmlBody: string;
  /** the first line of the text (CSV header or first record) */
  firstLine: string;
}

/**
 * A sniff says what kind of content the head shows. `weak` answers ("some JSON object", "some comma-separated
 * line") lose to any strong answer of a module later in the registry.
 */
export type Sniff = (head: SniffHead) => { kind: ImportKind; weak?: boolean } | null;

export interface DataReaderOptions {
  fileName: string;
  /** CSV: is the first row a header (undefined: decide from the row) */
  firstRowIsHeader?: boolean;
  onFirstRow?: (isHeader: boolean, detected: boolean) => void;
}
export type DataReaderFactory = (chunks: AsyncIterable<Uint8Array>, opts: DataReaderOptions) => DataValueReader;

export interface MetadataReaderHooks {
  onBytes?: () => void;
}
export type MetadataReaderFactory = (
  chunks: AsyncIterable<Buffer>,
  fileName: string,
  info: MetadataReadInfo,
  hooks: MetadataReaderHooks,
) => AsyncIterable<MetadataRecord>;

/**
 * Data value writers come in three shapes: a row writer (one record per value: DXF2 JSON/XML, CSV), a group writer
 * (values grouped by data set, period, org unit and attribute option combo: ADX), and a sheet writer (xlsx: a zip
 * a library writes to an output stream; it is already compressed, so the exporter writes it as it is).
 */
export type DataWriterFactory =
  | { shape: 'rows'; create: () => DataValueWriter; /** the format has a `created` column */ withCreated: boolean }
  | { shape: 'groups'; create: typeof createAdxWriter }
  | { shape: 'sheet'; create: (out: Writable, opts: DataSheetOptions) => DataSheetWriter };

/**
 * A metadata document writer. `takes` says whether `object` needs the object parsed (XML) or writes the stored DXF2
 * JSON text as it is (JSON: nothing re-serialised on the fast path).
 */
export interface MetadataDocWriter extends Omit<MetadataWriter, 'object'> {
  takes: 'text' | 'object';
  /** `obj` is the parsed object when `takes` is 'object', else null */
  object(text: string, obj: Record<string, unknown> | null): string;
}
export type MetadataWriterFactory = () => MetadataDocWriter;
/** A metadata sheet writer (xlsx): writes to an output stream; `nameOf` names the objects references point to. */
export interface MetadataSheetWriterFactory {
  shape: 'sheet';
  create: (out: Writable, nameOf: NameOf, opts: { creator: string; created?: Date }) => MetadataSheetWriter;
}

/** Event and tracker readers (formats/events): one top-level object at a time, in the shared tracker model. */
export interface EventsReaderOptions {
  fileName: string;
  /** CSV: the first row is a header (DHIS2's skipFirst; default true; undefined: decide from the row) */
  skipFirst?: boolean;
  /** told once, before the first record: which DHIS2 generation wrote the file (tracker 2.36+ or events ≤ 2.40) */
  onGeneration?: (generation: EventGeneration) => void;
}
export type EventsReaderFactory = (chunks: AsyncIterable<Uint8Array>, opts: EventsReaderOptions) => AsyncIterable<TrackerRecord>;

/**
 * An event or tracked entity writer: text pieces in order — `start()`, `write(record)` per top-level object, `end()`.
 * `what` is the list written ('EVENT' for events exports, 'TRACKED_ENTITY' for tracked entities).
 */
export interface EventsWriter {
  start(): string;
  write(record: TrackerRecord): string;
  end(): string;
}
export interface EventsWriterOptions {
  what: 'EVENT' | 'TRACKED_ENTITY';
  /** CSV: write the header row (default true) */
  header?: boolean;
}
export interface EventsWriterFactory {
  /** the generation whose names the files use */
  generation: EventGeneration;
  /** what the format can hold */
  writes: ('EVENT' | 'TRACKED_ENTITY')[];
  create: (opts: EventsWriterOptions) => EventsWriter;
}

/**
 * DHIS 1.4 readers (importers/dhis14 reads them through the registry): an Access database is opened whole from a
 * buffer (mdb-reader needs random access); the XML export is its metadata XML read into tables, then RoutineData.txt
 * streamed row by row.
 */
export type Dhis14ReaderSlot =
  | { shape: 'access'; isHeader: typeof isAccessHeader; open: typeof openDhis14Mdb }
  | { shape: 'xml-export'; tables: typeof readDhis14Xml; routineData: typeof readDhis14RoutineData; isRoutineDataEntry: typeof isRoutineDataEntry };
/** The DHIS 1.4 XML export writer (exporters/dhis14): its tables, the MetaData.xml pieces and RoutineData.txt lines. */
export type Dhis14WriterSlot = typeof Dhis14XmlWriter;

export interface FormatModule {
  /** the registry id: the module's folder name ('dxf2-json') */
  id: string;
  /** what users type for --format and the screens offer ('json'); unique per kind */
  format: string;
  label: string;
  /** the kinds of content this format carries (whether or not Ferry reads/writes them yet) */
  kinds: ImportKind[];
  /** file extensions without the dot; the first is used when writing */
  extensions: string[];
  mimeTypes: string[];
  sniff?: Sniff;
  readers?: {
    data?: DataReaderFactory;
    metadata?: MetadataReaderFactory;
    geometry?: GeometryReaderFactory;
    'csv-metadata'?: typeof readCsvMetadataRows;
    events?: EventsReaderFactory;
    dhis14?: Dhis14ReaderSlot;
  };
  writers?: {
    data?: DataWriterFactory;
    metadata?: MetadataWriterFactory | MetadataSheetWriterFactory;
    'csv-metadata'?: { header: typeof csvHeaderLine; rows: typeof csvRowsOf; line: typeof csvLine };
    events?: EventsWriterFactory;
    dhis14?: Dhis14WriterSlot;
  };
  /** the id scheme the format's identifiers use when none is given (DHIS2: CODE for ADX, UID otherwise) */
  defaultIdScheme?: 'UID' | 'CODE';
  /** a one-line note shown where the format is recognised but not yet read or written */
  note?: string;
  /** the file is already compressed (xlsx: a zip of XML): exports refuse zip and gzip, the screens offer none */
  compressed?: boolean;
}
