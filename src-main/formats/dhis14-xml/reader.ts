/**
 * DHIS 1.4's XML export (a zip holding `*.xml` + `RoutineData.txt`; spec dhis14.md §3), read into the shared 1.4
 * model (formats/shared/dhis14.ts). Two pure streaming readers, one per zip entry:
 *
 * ```ts
 * const tables = await readDhis14Xml(xmlEntryChunks, 'export.zip › MetaData.xml');    // Map<table, rows>
 * for await (const chunk of readDhis14RoutineData(txtEntryChunks, 'export.zip › RoutineData.txt', since))
 *   for (const row of chunk) …                                                          // D14DataRow
 * ```
 *
 * To read a whole zip from disk (both entries, either order), use `openDhis14Source(path)` in
 * src-main/importers/dhis14/source.ts, which opens .mdb files the same way and gives the same model.
 *
 * Tolerant of what real files hold: the XSD part is skipped; rows are the children of `<dataroot>` named after their
 * table, columns their children (NULL columns left out, empty elements read as NULL); table and column names are
 * matched without regard to case (and the 1.4.0.101 `Indiacator…` typos); unknown tables are ignored. Text is decoded
 * as the declaration says (ISO-8859-1 read as Windows-1252, which it is in files written on Windows; UTF-8 when
 * declared), `{chr13}{chr10}` markers become CR LF. RoutineData.txt: Windows-1252, CRLF, RFC-4180 quoting (comments
 * with commas, quotes and line breaks), numbers such as `"4."`, dates `yyyy/mm/dd hh:mm:ss`.
 */
import { SaxesParser } from 'saxes';
import { AppError } from '../../../src-shared/errors.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { readCsvMapped } from '../shared/csv-records.ts';
import { MAX_METADATA_TOKEN } from '../shared/limits.ts';
import { guardSax, localName } from '../shared/xml-sax.ts';
import {
  canonicalTable,
  columnKey,
  d14DateTime,
  dataRowOf,
  decodeChrMarkers,
  isDataTable,
  type D14DataRow,
  type D14DataTable,
  type D14Row,
  type D14Tables,
} from '../shared/dhis14.ts';

/** The encoding an XML declaration names (first bytes), as a TextDecoder label: 'utf-8' or 'windows-1252'. */
function xmlEncoding(head: Uint8Array): string {
  const s = Buffer.from(head.subarray(0, 200)).toString('latin1');
  const m = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(s.replace(/^\uFEFF|^\xEF\xBB\xBF/, ''));
  if (!m) return s.startsWith('\xEF\xBB\xBF') ? 'utf-8' : 'windows-1252';
  const e = m[1]!.toLowerCase();
  return e === 'utf-8' || e === 'utf8' ? 'utf-8' : 'windows-1252';
}

/**
 * Reads the XML file of a 1.4 export into its tables (the data tables, if an export carries them as XML rows, are
 * kept under their names too). Throws BAD_FILE naming the file for malformed XML or a file that is not a 1.4 export.
 */
export async function readDhis14Xml(chunks: AsyncIterable<Uint8Array>, fileName: string): Promise<D14Tables> {
  const tables: D14Tables = new Map();
  const parser = new SaxesParser({ xmlns: false, position: true });
  const guard = guardSax(parser, fileName, MAX_METADATA_TOKEN);
  let depth = 0;
  let rootName: string | null = null;
  let dataRootDepth = -1;
  let sawDataRoot = false;
  let rowTable: string | null = null; // canonical table of the open row; '' = a row of a table that is ignored
  let row: D14Row | null = null;
  let col: string | null = null;
  let text = '';
  let error: unknown = null;
  parser.on('doctype', () => {
    throw ferryError('BAD_FILE', 'format.dhis14Doctype', { file: fileName }, { file: fileName, line: parser.line });
  });
  parser.on('opentag', (tag) => {
    depth++;
    const name = localName(tag.name);
    if (depth === 1) {
      rootName = name;
      if (name.toLowerCase() === 'dataroot') {
        dataRootDepth = 1;
        sawDataRoot = true;
      }
      return;
    }
    if (dataRootDepth < 0) {
      // the dataroot is a child of <root> (Access ExportXML); the schema part (xsd:schema) is skipped
      if (depth === 2 && name.toLowerCase() === 'dataroot' && !tag.name.includes(':')) {
        dataRootDepth = 2;
        sawDataRoot = true;
      }
      return;
    }
    if (depth === dataRootDepth + 1) {
      rowTable = canonicalTable(name) ?? '';
      row = rowTable ? {} : null;
    } else if (depth === dataRootDepth + 2 && row) {
      col = columnKey(name);
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (col !== null) text += t;
  });
  parser.on('cdata', (t) => {
    if (col !== null) text += t;
  });
  parser.on('closetag', () => {
    if (dataRootDepth >= 0) {
      if (depth === dataRootDepth + 2 && col !== null && row) {
        // whitespace-only content is what an empty Access field looks like in a pretty-printed file
        row[col] = text.trim() === '' ? null : decodeChrMarkers(text);
        col = null;
      } else if (depth === dataRootDepth + 1) {
        if (row && rowTable) {
          let list = tables.get(rowTable);
          if (!list) tables.set(rowTable, (list = []));
          list.push(row);
        }
        row = null;
        rowTable = null;
      } else if (depth === dataRootDepth) dataRootDepth = -1;
    }
    depth--;
  });
  parser.on('error', (e) => {
    error ??= e;
  });
  const decoder = new TextDecoderFor();
  let written = 0;
  try {
    for await (const c of chunks) {
      const s = decoder.decode(c);
      parser.write(s);
      written += s.length;
      guard.check(written);
      if (error) throw error;
    }
    parser.write(decoder.end());
    parser.close();
    if (error) throw error;
  } catch (e) {
    if (e instanceof AppError) throw e;
    const msg = e instanceof Error ? e.message.replace(/^[^:]*:\d+:\d+: /, '') : String(e);
    throw ferryError('BAD_FILE', 'format.dhis14XmlMalformed', { file: fileName, line: parser.line, detail: msg }, { file: fileName, line: parser.line });
  }
  if (!sawDataRoot) {
    throw ferryError('BAD_FILE', 'format.notDhis14Xml', { file: fileName, root: rootName ?? '?' }, { file: fileName });
  }
  return tables;
}

/** Decodes by the XML declaration's encoding, decided on the first 200 bytes (held back until they are there). */
class TextDecoderFor {
  private dec: TextDecoder | null = null;
  private held: Buffer = Buffer.alloc(0);
  decode(c: Uint8Array): string {
    if (this.dec) return this.dec.decode(c, { stream: true });
    this.held = Buffer.concat([this.held, c]);
    if (this.held.length < 200) return '';
    return this.start();
  }
  private start(): string {
    this.dec = new TextDecoder(xmlEncoding(this.held));
    const s = this.dec.decode(this.held, { stream: true });
    this.held = Buffer.alloc(0);
    return s;
  }
  end(): string {
    return (this.dec ? '' : this.start()) + this.dec!.decode();
  }
}

/** Windows-1252 bytes re-encoded as UTF-8 (the shared CSV record reader reads UTF-8). */
async function* asUtf8(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const dec = new TextDecoder('windows-1252');
  for await (const c of chunks) yield Buffer.from(dec.decode(c, { stream: true }), 'utf8');
}

/**
 * Streams `RoutineData.txt` (the quoted CSV of RoutineData, header first) as data rows in chunks. `since`
 * (`YYYY-MM-DDTHH:MM:SS`) keeps only rows last updated after it. `table` names what the rows are (RoutineData unless
 * an export carries another data table as text). Throws BAD_FILE naming the file when the header lacks the key
 * columns.
 */
export async function* readDhis14RoutineData(
  chunks: AsyncIterable<Uint8Array>,
  fileName: string,
  since: string | null = null,
  table: D14DataTable = 'RoutineData',
): AsyncGenerator<D14DataRow[]> {
  let keys: string[] | null = null;
  for await (const recs of readCsvMapped(asUtf8(chunks), fileName, (fields, line) => ({ fields, line }))) {
    const out: D14DataRow[] = [];
    for (const { fields, line } of recs) {
      if (!keys) {
        keys = fields.map((f) => columnKey(f.replace(/^\uFEFF/, '').trim()));
        for (const need of ['orgunitid', 'dataelementid', 'dataperiodid']) {
          if (!keys.includes(need)) {
            throw ferryError('BAD_FILE', 'format.routineDataNoColumn', { file: fileName, line, column: need === 'orgunitid' ? 'OrgUnitID' : need === 'dataelementid' ? 'DataElementID' : 'DataPeriodID' }, {
              file: fileName,
              line,
            });
          }
        }
        continue;
      }
      const r: D14Row = {};
      for (let i = 0; i < keys.length; i++) {
        const f = fields[i];
        r[keys[i]!] = f === undefined || f === '' ? null : decodeChrMarkers(f);
      }
      if (since !== null) {
        const lu = d14DateTime(r.lastupdated);
        if (lu === null || lu <= since) continue;
      }
      out.push(dataRowOf(table, r));
    }
    if (out.length) yield out;
  }
  if (!keys) throw ferryError('BAD_FILE', 'format.routineDataEmpty', { file: fileName }, { file: fileName });
}

/** True for the data-table name of a zip entry ("RoutineData.txt", any case). */
export function isRoutineDataEntry(entryName: string): boolean {
  return /(^|[\\/])routinedata\.txt$/i.test(entryName);
}

export { isDataTable };
