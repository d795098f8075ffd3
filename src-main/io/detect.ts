/** Format and kind sniffing from the first decompressed bytes (DESIGN §3 step 1): generic checks, then the registry's sniffs. */
import { AppError } from '../../src-shared/errors.ts';
import type { ImportKind } from '../../src-shared/dhis2/options.ts';
import { FORMATS } from '../formats/registry.ts';
import { sniffHead, textStart } from '../formats/shared/sniff-head.ts';
import type { SniffHead } from '../formats/types.ts';

export interface Detected {
  /** the --format name ('json', 'xml', 'csv', 'adx', …) */
  format: string;
  kind: ImportKind;
  /** the registry id of the format module that recognised the file */
  module: string;
}

/** Throws BAD_FILE for text that is not UTF-8 (the encoding every DHIS2 exchange format uses). */
export function assertUtf8Head(head: Buffer, fileName: string): void {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new AppError('BAD_FILE', `${fileName}: the file is UTF-16 encoded; DHIS2 files must be UTF-8 (save it again as UTF-8)`, {
      file: fileName,
    });
  }
  // a multi-byte character may be cut at the end of the head: ignore the last 3 bytes
  const slice = head.length > 3 ? head.subarray(0, head.length - 3) : head;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(slice);
  } catch {
    const bad = firstInvalidUtf8(slice);
    throw new AppError(
      'BAD_FILE',
      `${fileName}: the file is not valid UTF-8 text (line ${bad.line}); it may be in another encoding such as Windows-1252 — save it again as UTF-8`,
      { file: fileName, line: bad.line },
    );
  }
}

function firstInvalidUtf8(buf: Buffer): { line: number } {
  let line = 1;
  const dec = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0x0a) line++;
    if (buf[i]! >= 0x80) {
      let ok = false;
      for (let len = 2; len <= 4 && !ok; len++) {
        try {
          dec.decode(buf.subarray(i, i + len));
          ok = true;
          i += len - 1;
        } catch {
          /* try longer */
        }
      }
      if (!ok) return { line };
    }
  }
  return { line };
}

/** The first strong sniff in registry order, else the first weak one. */
function sniffAll(head: SniffHead): Detected | null {
  let weak: Detected | null = null;
  for (const m of FORMATS) {
    const r = m.sniff?.(head);
    if (!r) continue;
    if (!r.weak) return { format: m.format, kind: r.kind, module: m.id };
    weak ??= { format: m.format, kind: r.kind, module: m.id };
  }
  return weak;
}

/** Sniffs the kind and format of a file from its first (decompressed) bytes, through the format registry. */
export function detectFormat(head: Buffer, fileName: string): Detected {
  // binary formats first (PDF, Access): their sniffs look at magic bytes only
  const binary = sniffAll(sniffHead(head, null));
  if (binary) return binary;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) assertUtf8Head(head, fileName);
  // binary: NULs at the very start or more than a stray few (a text file may carry one in a comment)
  if (head.subarray(0, 16).includes(0) || countByte(head, 0) > head.length / 100) {
    throw new AppError('BAD_FILE', `${fileName}: this is a binary file, not a DHIS2 JSON, XML or CSV file`, { file: fileName });
  }
  assertUtf8Head(head, fileName);
  const s = textStart(head);
  if (!s) throw new AppError('BAD_FILE', `${fileName}: the file is empty (only blank space)`, { file: fileName });
  const h = sniffHead(head, s);
  const found = sniffAll(h);
  if (found) return found;
  if (h.xmlRoot !== null) {
    throw new AppError('BAD_FILE', `${fileName}: XML root element <${h.xmlRoot}> is not a DHIS2 format (expected <metadata>, <dataValueSet> or <adx>)`, {
      file: fileName,
      line: 1,
    });
  }
  if (s.startsWith('[')) throw new AppError('BAD_FILE', `${fileName}: a JSON array is not a DHIS2 payload (expected an object)`, { file: fileName, line: 1 });
  if (h.firstLine.includes(',')) {
    throw new AppError(
      'BAD_FILE',
      `${fileName}: not a DHIS2 file that Ferry can recognise: a CSV data file has DHIS2's 11 columns (dataelement, period, orgunit, …); for CSV metadata, choose the kind and object type (--kind csv-metadata --class-key …)`,
      { file: fileName, line: 1 },
    );
  }
  throw new AppError('BAD_FILE', `${fileName}: not a DHIS2 file (not JSON, XML, CSV, PDF or an Access database)`, { file: fileName, line: 1 });
}

function countByte(b: Buffer, v: number): number {
  let n = 0;
  for (let i = b.indexOf(v); i >= 0; i = b.indexOf(v, i + 1)) n++;
  return n;
}
