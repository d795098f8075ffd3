/**
 * What every metadata format reads and writes (DXF2 JSON, DXF2 XML, and later CSV metadata): records of one DHIS2
 * object each, the payload's top-level keys, and the writer interface the metadata exporter drives. Types only.
 */

export interface MetadataRecord {
  /** the top-level key (DXF2 plural type name) */
  type: string;
  /** 0-based position within that key's array */
  index: number;
  object: Record<string, unknown>;
}

export interface TopLevelKey {
  key: string;
  kind: 'array' | 'object' | 'scalar';
  /** number of array elements (arrays only) */
  count: number;
}

/** Filled while reading: what the payload's root object holds. */
export interface MetadataReadInfo {
  keys: TopLevelKey[];
}

export interface ReadOptions {
  /** called after each chunk with the number of decompressed bytes consumed so far */
  onBytes?: (bytes: number) => void;
}

/** The `system` block of an export (DHIS2's /api/metadata writes it first). */
export interface SystemInfo {
  id: string;
  rev: string;
  version: string;
  date: string;
}

/** A metadata writer returns the text of each piece; the exporter writes it out (compressed or not). */
export interface MetadataWriter {
  begin(system: SystemInfo): string;
  beginType(type: string): string;
  /** the object as DXF2 JSON text (already without excluded properties) */
  object(json: string): string;
  endType(type: string): string;
  end(): string;
}
