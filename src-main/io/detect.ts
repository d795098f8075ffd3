/** Format and kind sniffing from the first decompressed bytes (DESIGN §3 step 1). */
import { AppError } from '../../src-shared/errors.ts';
import type { ImportFormat, ImportKind } from '../../src-shared/dhis2/options.ts';

export interface Detected {
  format: ImportFormat;
  kind: ImportKind;
}

const JET_MAGIC = Buffer.from([0x00, 0x01, 0x00, 0x00, 0x53, 0x74, 0x61, 0x6e, 0x64, 0x61, 0x72, 0x64, 0x20, 0x4a, 0x65, 0x74]);

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

function textStart(head: Buffer): string {
  let s = head.subarray(0, 8192).toString('utf8');
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  return s.replace(/^\s+/, '');
}

export function detectFormat(head: Buffer, fileName: string): Detected {
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return { format: 'pdf', kind: 'pdf' };
  if (head.length >= 16 && head.subarray(0, 16).equals(JET_MAGIC)) return { format: 'mdb', kind: 'dhis14' };
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) assertUtf8Head(head, fileName);
  // binary: NULs at the very start or more than a stray few (a text file may carry one in a comment)
  if (head.subarray(0, 16).includes(0) || countByte(head, 0) > head.length / 100) {
    throw new AppError('BAD_FILE', `${fileName}: this is a binary file, not a DHIS2 JSON, XML or CSV file`, { file: fileName });
  }
  assertUtf8Head(head, fileName);
  const s = textStart(head);
  if (!s) throw new AppError('BAD_FILE', `${fileName}: the file is empty (only blank space)`, { file: fileName });
  if (s.startsWith('<')) {
    // skip prolog, comments and doctype to the root element name
    // a DOCTYPE may hold an internal subset in [...] (entity declarations: refused later by the readers)
    const body = s.replace(/^(<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^[>]*(\[[\s\S]*?\]\s*)?>\s*)*/i, '');
    const m = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(body);
    const root = m?.[2] ?? '';
    switch (root) {
      case 'dataValueSet':
      case 'dataValueSets':
        return { format: 'xml', kind: 'data' };
      case 'adx':
        return { format: 'adx', kind: 'data' };
      case 'metadata':
        return { format: 'xml', kind: 'metadata' };
      case 'events':
      case 'event':
        return { format: 'xml', kind: 'events' };
      case 'FeatureCollection':
        return { format: 'gml', kind: 'geometry' };
      case 'dataStore':
      case 'dxf':
        return { format: 'xml', kind: 'dhis14' };
      default:
        if (/gml/i.test(body.slice(0, 2000))) return { format: 'gml', kind: 'geometry' };
        throw new AppError('BAD_FILE', `${fileName}: XML root element <${root}> is not a DHIS2 format (expected <metadata>, <dataValueSet> or <adx>)`, {
          file: fileName,
          line: 1,
        });
    }
  }
  if (s.startsWith('{') || s.startsWith('[')) {
    const probe = s.slice(0, 8192);
    if (/"type"\s*:\s*"FeatureCollection"/.test(probe)) return { format: 'geojson', kind: 'geometry' };
    if (/^\{\s*"(dataValues|dataSet|completeDate|period|orgUnit|attributeOptionCombo|idScheme|dataElementIdScheme|orgUnitIdScheme)"/.test(probe))
      return { format: 'json', kind: 'data' };
    if (/^\{\s*"(events|trackedEntities|enrollments|relationships|instances)"/.test(probe)) return { format: 'json', kind: 'events' };
    if (s.startsWith('[')) throw new AppError('BAD_FILE', `${fileName}: a JSON array is not a DHIS2 payload (expected an object)`, { file: fileName, line: 1 });
    return { format: 'json', kind: 'metadata' };
  }
  // CSV: data values have 11 positional columns; the header (if any) names them
  const firstLine = s.split(/\r?\n/, 1)[0] ?? '';
  if (/^"?(dataelement|de|data_element)"?\s*,/i.test(firstLine)) return { format: 'csv', kind: 'data' };
  if (/^"?(event|program)"?\s*,/i.test(firstLine)) return { format: 'csv', kind: 'events' };
  if (firstLine.includes(',')) {
    const cols = firstLine.split(',').length;
    if (cols >= 5 && cols <= 12) return { format: 'csv', kind: 'data' };
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
