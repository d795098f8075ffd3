/**
 * DHIS2's CSV record reading, shared by the data value CSV and CSV metadata readers: `,` delimiter, RFC 4180
 * double-quote quoting (quoted fields may hold commas, doubled quotes and line breaks); records end at LF, CRLF or a lone
 * CR, as javacsv (DHIS2's reader) reads them, and each counts as one line. Streaming and hand-written (a fast path
 * splits quote-free lines; measured faster than papaparse, see BENCHMARKS.md), tested against papaparse in a seeded
 * random differential test (tests/unit/formats/csv-data). Empty lines are skipped (javacsv's skipEmptyRecords).
 */
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { StrictUtf8 } from '../data-value-row.ts';
import { IDLE_BYTES, MAX_DATA_TOKEN, tokenTooLong } from './limits.ts';

/** Low-level: streams CSV records (arrays of fields) with the line each starts on. */
export function readCsvRecords(chunks: AsyncIterable<Uint8Array>, fileName: string): AsyncGenerator<{ fields: string[]; line: number }[]> {
  return readCsvMapped(chunks, fileName, (fields, line) => ({ fields, line }));
}

/**
 * Streams CSV records through `map` (return null to drop a record); one array per input chunk. A record longer than
 * `maxRecord` characters is refused (data values: MAX_DATA_TOKEN; CSV metadata, whose org unit boundaries can be
 * megabytes of coordinates in one cell, the metadata limit).
 */
export async function* readCsvMapped<T>(
  chunks: AsyncIterable<Uint8Array>,
  fileName: string,
  map: (fields: string[], line: number) => T | null,
  maxRecord: number = MAX_DATA_TOKEN,
): AsyncGenerator<T[]> {
  const utf8 = new StrictUtf8(fileName);
  let rest = '';
  let line = 1;
  // small batches: rows die young (cheap scavenges) instead of a whole 1 MB chunk surviving into old space
  const BATCH = 1024;
  let more = false;
  // the next LF and CR at or after the scan position in the current text (its length: none), each searched again only
  // once passed (so an LF-only file never searches for CR twice, nor a CR-only file for LF); -1 for a new text
  let nextLf = -1;
  let nextCr = -1;
  const parse = (s: string, final: boolean, start: number): { out: T[]; consumed: number } => {
    const out: T[] = [];
    const len = s.length;
    let pos = start;
    let lf = nextLf;
    let cr = nextCr;
    more = false;
    while (pos < len) {
      if (out.length >= BATCH) {
        more = true;
        break;
      }
      const c = s.charCodeAt(pos);
      if (c === 10) {
        line++;
        pos++;
        continue;
      }
      if (c === 13) {
        // an empty line ending in CRLF (the LF is counted next) or in a lone CR (a line break of its own)
        if (pos + 1 >= len && !final) break;
        pos++;
        if (s.charCodeAt(pos) !== 10) line++;
        continue;
      }
      if (lf < pos) {
        lf = s.indexOf('\n', pos);
        if (lf === -1) lf = len;
      }
      if (cr < pos) {
        cr = s.indexOf('\r', pos);
        if (cr === -1) cr = len;
      }
      // the record's line ends at LF, CRLF or a lone CR (old Mac files: javacsv, so DHIS2, reads CR as a line break)
      let end: number;
      let next: number;
      if (cr < lf) {
        if (cr + 1 >= len && !final) break; // CR or CRLF: not known yet
        end = cr;
        next = s.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else if (lf === len) {
        if (!final) break;
        end = next = len;
      } else {
        end = lf;
        next = lf + 1;
      }
      const text = s.slice(pos, end);
      if (text.indexOf('"') === -1) {
        const t = map(text.split(','), line);
        if (t !== null) out.push(t);
        line++;
        pos = next;
        continue;
      }
      // slow path: quoted fields, possibly spanning lines
      const r = parseQuoted(s, pos, final);
      if (!r) {
        if (!final) break;
        throw ferryError('BAD_FILE', 'csv.quoteNotClosed', { file: fileName, line }, { file: fileName, line });
      }
      const t = map(r.fields, line);
      if (t !== null) out.push(t);
      line += r.newlines + 1;
      pos = r.next;
    }
    nextLf = lf;
    nextCr = cr;
    return { out, consumed: Math.min(pos, len) };
  };
  // Linear time whatever the records' length: `rest` is an incomplete record (nothing of it consumed). It is parsed
  // again only once the text that has arrived after it is at least as long as itself (the text waits in `waiting`), so
  // each byte is scanned a bounded number of times; a record longer than MAX_DATA_TOKEN is refused. After IDLE_BYTES
  // that complete no record, an empty array is yielded: the job checks for cancel between batches.
  const waiting: string[] = [];
  let waitingLen = 0;
  // the line where the next chunk starts, for the message of a bad UTF-8 byte (counted only then)
  const chunkLine = (): number => line + lineBreaks(rest) + waiting.reduce((n, w) => n + lineBreaks(w), 0);
  let quiet = 0; // bytes since the last yield
  for await (const chunk of chunks) {
    quiet += chunk.length;
    if (rest.length || waiting.length) utf8.setLineFn(chunkLine);
    else utf8.setLine(line);
    const text = utf8.decode(chunk);
    if (waitingLen + text.length < rest.length) {
      waiting.push(text);
      waitingLen += text.length;
      if (quiet >= IDLE_BYTES) {
        quiet = 0;
        yield [];
      }
      continue;
    }
    const s = waiting.length ? [rest, ...waiting.splice(0), text].join('') : rest + text;
    waitingLen = 0;
    nextLf = nextCr = -1;
    let consumed = 0;
    do {
      const r = parse(s, false, consumed);
      consumed = r.consumed;
      if (r.out.length) {
        quiet = 0;
        yield r.out;
      }
    } while (more);
    rest = s.slice(consumed);
    if (rest.length > maxRecord) throw tokenTooLong(fileName, line, 'a CSV record (a line, or several when a quoted field holds line breaks) is', maxRecord);
    if (quiet >= IDLE_BYTES) {
      quiet = 0;
      yield [];
    }
  }
  const tail = [rest, ...waiting, utf8.decode(new Uint8Array(0), true)].join('');
  nextLf = nextCr = -1;
  let consumed = 0;
  while (consumed < tail.length) {
    const r = parse(tail, true, consumed);
    consumed = r.consumed;
    if (r.out.length) yield r.out;
    if (!more) break;
  }
}

/** Line breaks in s: LF, CRLF, or a lone CR (as the records' line ends are read). */
function lineBreaks(s: string): number {
  let n = 0;
  for (let k = s.indexOf('\n'); k !== -1; k = s.indexOf('\n', k + 1)) n++;
  for (let k = s.indexOf('\r'); k !== -1; k = s.indexOf('\r', k + 1)) if (s.charCodeAt(k + 1) !== 10) n++;
  return n;
}

/**
 * Parses one record starting at `pos` that contains quotes. Returns null when the record is not complete in `s`
 * (more input needed). `next` is the position after the record's line break.
 */
function parseQuoted(s: string, pos: number, final: boolean): { fields: string[]; next: number; newlines: number } | null {
  const fields: string[] = [];
  const len = s.length;
  let newlines = 0;
  let i = pos;
  for (;;) {
    let field = '';
    if (s.charCodeAt(i) === 34) {
      let j = i + 1;
      for (;;) {
        const q = s.indexOf('"', j);
        if (q === -1) return null;
        field += s.slice(j, q);
        if (s.charCodeAt(q + 1) === 34) {
          field += '"';
          j = q + 2;
          continue;
        }
        if (q + 1 >= len && !final) return null; // cannot tell yet whether a doubled quote follows
        i = q + 1;
        break;
      }
      newlines += lineBreaks(field);
      // tolerate text between the closing quote and the delimiter (appended, as javacsv does)
      while (i < len) {
        const c = s.charCodeAt(i);
        if (c === 44 || c === 10 || c === 13) break;
        field += s[i];
        i++;
      }
    } else {
      const start = i;
      while (i < len) {
        const c = s.charCodeAt(i);
        if (c === 44 || c === 10 || c === 13) break;
        i++;
      }
      field = s.slice(start, i);
    }
    fields.push(field);
    if (i >= len) {
      if (!final) return null;
      return { fields, next: len, newlines };
    }
    const c = s.charCodeAt(i);
    if (c === 44) {
      i++;
      if (i >= len && !final) return null;
      if (i >= len) {
        fields.push('');
        return { fields, next: len, newlines };
      }
      continue;
    }
    // end of record: \r\n, \n or \r
    if (c === 13) {
      if (i + 1 >= len && !final) return null;
      i++;
      if (s.charCodeAt(i) === 10) i++;
    } else i++;
    return { fields, next: i, newlines };
  }
}
