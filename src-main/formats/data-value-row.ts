/**
 * What every aggregate data value reader (DXF2 XML, DXF2 JSON, CSV, ADX) yields: batches of rows, each row with its
 * 0-based index and 1-based line, plus header events (the XML/JSON root, or an ADX group). Strings are as found in
 * the file (entities decoded); `undefined` means "absent" (DHIS2's null), which matters for E7618.
 */
import { isUtf8 } from 'node:buffer';
import { ferryError } from '../../src-shared/keyed-errors.ts';

export interface DataValueRow {
  index: number;
  /** 1-based line where the row starts (0 when the format does not know) */
  line: number;
  dataElement: string | undefined;
  period: string | undefined;
  orgUnit: string | undefined;
  categoryOptionCombo: string | undefined;
  attributeOptionCombo: string | undefined;
  value: string | undefined;
  storedBy: string | undefined;
  comment: string | undefined;
  followup: boolean | undefined;
  deleted: boolean | undefined;
  /** ADX: disaggregation category → option identifiers given as attributes instead of a COC */
  categoryOptions?: Record<string, string>;
  /** ADX: text of the <annotation> child (the value of non-numeric data elements) */
  annotation?: string;
  /** PDF forms: the name of the form field the row comes from (its conflicts name it) */
  field?: string;
}

/** Root of a data value set (XML/JSON) or an ADX group: header fields that override rows or pick id schemes. */
export interface DataValueHeader {
  dataSet?: string;
  completeDate?: string;
  period?: string;
  orgUnit?: string;
  attributeOptionCombo?: string;
  /** JSON / ADX: attribute category → option identifiers instead of an AOC */
  attributeCategoryOptions?: string[] | Record<string, string>;
  idScheme?: string;
  dataElementIdScheme?: string;
  orgUnitIdScheme?: string;
  categoryOptionComboIdScheme?: string;
  dataSetIdScheme?: string;
  dryRun?: boolean;
  strategy?: string;
  /** ADX: a new group starts (its header replaces the previous one) */
  group?: boolean;
}

export interface DataValueBatch {
  /** set when a header (root or ADX group) starts before the rows of this batch */
  header?: DataValueHeader;
  rows: DataValueRow[];
}

export type DataValueReader = AsyncIterable<DataValueBatch>;

/** Groups reader items, in file order, into batches: each header starts a batch that holds the rows after it. */
export function toBatches(items: readonly (DataValueRow | DataValueHeader)[]): DataValueBatch[] {
  const batches: DataValueBatch[] = [];
  let batch: DataValueBatch = { rows: [] };
  for (const it of items) {
    if ('index' in it) batch.rows.push(it);
    else {
      if (batch.rows.length || batch.header) batches.push(batch);
      batch = { header: it, rows: [] };
    }
  }
  if (batch.rows.length || batch.header) batches.push(batch);
  return batches;
}

export function newRow(index: number, line: number): DataValueRow {
  return {
    index,
    line,
    dataElement: undefined,
    period: undefined,
    orgUnit: undefined,
    categoryOptionCombo: undefined,
    attributeOptionCombo: undefined,
    value: undefined,
    storedBy: undefined,
    comment: undefined,
    followup: undefined,
    deleted: undefined,
  };
}

/**
 * Strict streaming UTF-8 decoding: invalid bytes become BAD_FILE naming the file and line. Tracks the line of the
 * start of each chunk so the error can be located.
 */
export class StrictUtf8 {
  private readonly dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private lines = 1;
  /** where the line of the next chunk's start is only worked out when needed (an error): see setLineFn */
  private lineFn: (() => number) | null = null;
  constructor(private readonly fileName: string) {}

  decode(chunk: Uint8Array, final = false): string {
    try {
      const s = this.dec.decode(chunk, { stream: !final });
      return s;
    } catch {
      const line = (this.lineFn ? this.lineFn() : this.lines) + badLineOffset(chunk);
      throw ferryError('BAD_FILE', 'file.notUtf8AtLine', { file: this.fileName, line }, {
        file: this.fileName,
        line,
      });
    }
  }
  private carry: Uint8Array | null = null;

  /** Validates bytes without decoding them (for parsers that work on bytes); a sequence cut at the end is carried. */
  check(chunk: Uint8Array, final = false): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let cut = buf.length;
    if (!final) {
      for (let k = 1; k <= 3 && k <= buf.length; k++) {
        const b = buf[buf.length - k]!;
        if ((b & 0xc0) === 0x80) continue;
        if (b >= 0xc0) {
          const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
          if (need > k) cut = buf.length - k;
        }
        break;
      }
    }
    const body = cut === buf.length ? buf : buf.subarray(0, cut);
    if (!isUtf8(body)) this.decode(body, true);
    this.carry = cut < buf.length ? Uint8Array.from(buf.subarray(cut)) : null;
  }

  /** call with each decoded chunk when the reader does not count lines itself */
  countLines(s: string): void {
    let i = -1;
    while ((i = s.indexOf('\n', i + 1)) !== -1) this.lines++;
  }
  setLine(line: number): void {
    this.lineFn = null;
    this.lines = line;
  }
  /** The line of the next chunk's start, worked out only if that chunk is not valid UTF-8 (counting costs a pass). */
  setLineFn(fn: () => number): void {
    this.lineFn = fn;
  }
}

/** Number of newlines before the first invalid UTF-8 sequence of a chunk. */
function badLineOffset(buf: Uint8Array): number {
  let nl = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b === 0x0a) nl++;
    if (b < 0x80) continue;
    const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
    if (len === 0) return nl;
    if (i + len > buf.length) return nl; // cut at the end of the chunk (only an error when final)
    for (let k = 1; k < len; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return nl;
    i += len - 1;
  }
  return nl;
}

export function parseBool(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  return v.trim().toLowerCase() === 'true';
}
