/**
 * DXF2 JSON data value sets (spec §1.2): `{ dataSet, completeDate, period, orgUnit, attributeOptionCombo,
 * attributeCategoryOptions, idScheme…, dryRun, strategy, dataValues: [ {dataElement, period, orgUnit,
 * categoryOptionCombo, attributeOptionCombo, value, storedBy, comment, followup, deleted} ] }`.
 * Streamed with @streamparser/json (the parser under @streamparser/json-node) — never JSON.parse of the whole file, so
 * memory does not grow with the file. Root fields are headers; they must come before `dataValues` (DHIS2's exports
 * put them there); one that comes after the rows is refused rather than silently applied to only some rows.
 */
import { JSONParser } from '@streamparser/json';
import { AppError } from '../../../src-shared/errors.ts';
import { StrictUtf8, newRow, type DataValueBatch, type DataValueHeader, type DataValueRow } from '../data-value-row.ts';

const HEADER_KEYS = new Set([
  'dataSet', 'completeDate', 'period', 'orgUnit', 'attributeOptionCombo', 'attributeCategoryOptions', 'idScheme', 'dataElementIdScheme',
  'orgUnitIdScheme', 'categoryOptionComboIdScheme', 'dataSetIdScheme', 'dryRun', 'strategy', 'importStrategy',
]);

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v));
const bool = (v: unknown): boolean | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'boolean' ? v : String(v).trim().toLowerCase() === 'true';

export async function* readJsonDataValues(chunks: AsyncIterable<Uint8Array>, opts: { fileName: string }): AsyncGenerator<DataValueBatch> {
  const { fileName } = opts;
  // only the rows and the known header keys: emitting '$.*' would make the parser keep the whole dataValues array
  const parser = new JSONParser({ paths: ['$.dataValues.*', ...[...HEADER_KEYS].map((k) => `$.${k}`)], keepStack: false });
  const tokenizer = (parser as unknown as { tokenizer: { offset: number } }).tokenizer;
  const utf8 = new StrictUtf8(fileName);
  const header: Record<string, unknown> = {};
  let headerSent = false;
  let rowsStarted = false;
  let index = 0;
  let rows: DataValueRow[] = [];
  let pendingHeader: DataValueHeader | undefined;
  // line tracking: newlines counted in the current chunk up to the parser's byte offset
  let chunk: Uint8Array = new Uint8Array(0);
  let chunkStart = 0;
  let scanPos = 0;
  let line = 1;
  const lineAt = (offset: number): number => {
    const upto = Math.min(Math.max(offset - chunkStart, 0), chunk.length);
    const b = chunk as Buffer;
    while (scanPos < upto) {
      const k = b.indexOf(10, scanPos);
      if (k === -1 || k >= upto) {
        scanPos = upto;
        break;
      }
      line++;
      scanPos = k + 1;
    }
    return line;
  };
  const makeHeader = (): DataValueHeader => {
    const h: DataValueHeader = {};
    const s = (k: keyof DataValueHeader & string): void => {
      const v = str(header[k]);
      if (v !== undefined && v !== '') (h as Record<string, unknown>)[k] = v;
    };
    for (const k of ['dataSet', 'completeDate', 'period', 'orgUnit', 'attributeOptionCombo', 'idScheme', 'dataElementIdScheme', 'orgUnitIdScheme', 'categoryOptionComboIdScheme', 'dataSetIdScheme'] as const) s(k);
    const strategy = str(header.strategy ?? header.importStrategy);
    if (strategy) h.strategy = strategy;
    if (header.dryRun !== undefined) h.dryRun = bool(header.dryRun);
    const aco = header.attributeCategoryOptions;
    if (Array.isArray(aco) && aco.length) h.attributeCategoryOptions = aco.map((x) => String(x));
    return h;
  };
  parser.onValue = ({ value, key, stack }) => {
    if (stack.length === 2) {
      // a row of $.dataValues
      if (!headerSent) {
        pendingHeader = makeHeader();
        headerSent = true;
      }
      rowsStarted = true;
      const o = value as Record<string, unknown> | null;
      const r = newRow(index++, lineAt(tokenizer.offset));
      if (o && typeof o === 'object' && !Array.isArray(o)) {
        r.dataElement = str(o.dataElement);
        r.period = str(o.period);
        r.orgUnit = str(o.orgUnit);
        r.categoryOptionCombo = str(o.categoryOptionCombo) || undefined;
        r.attributeOptionCombo = str(o.attributeOptionCombo) || undefined;
        r.value = str(o.value);
        r.storedBy = str(o.storedBy) || undefined;
        r.comment = str(o.comment);
        r.followup = bool(o.followup ?? o.followUp);
        r.deleted = bool(o.deleted);
      }
      rows.push(r);
      return;
    }
    if (stack.length === 1 && typeof key === 'string') {
      if (key === 'dataValues') return;
      if (HEADER_KEYS.has(key)) {
        if (rowsStarted && value !== null && value !== '') {
          throw new AppError(
            'BAD_FILE',
            `${fileName}, line ${lineAt(tokenizer.offset)}: "${key}" comes after "dataValues"; Ferry reads files as a stream and needs the header fields before the values (DHIS2 exports write them first)`,
            { file: fileName, line },
          );
        }
        header[key] = value;
      }
    } else if (stack.length === 0 && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new AppError('BAD_FILE', `${fileName}: a data value set must be a JSON object`, { file: fileName, line: 1 });
    }
  };
  const fail = (e: unknown): never => {
    if (e instanceof AppError) throw e;
    const msg = (e as Error).message ?? String(e);
    const ln = lineAt(Number.MAX_SAFE_INTEGER);
    throw new AppError('BAD_FILE', `${fileName}, line ${ln}: malformed JSON (${msg})`, { file: fileName, line: ln });
  };
  let offset = 0;
  let sawStart = false;
  for await (const c of chunks) {
    if (!sawStart) {
      for (let i = 0; i < c.length; i++) {
        const b = c[i]!;
        if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0xef || b === 0xbb || b === 0xbf) continue;
        if (b !== 0x7b) throw new AppError('BAD_FILE', `${fileName}: a data value set must be a JSON object`, { file: fileName, line: 1 });
        sawStart = true;
        break;
      }
    }
    utf8.setLine(lineAt(Number.MAX_SAFE_INTEGER));
    utf8.check(c); // strict UTF-8 check only; the parser works on bytes
    // 64 KB at a time, so that rows are handed over in small batches and die young
    for (let i = 0; i < c.length; i += 65536) {
      const piece = c.length <= 65536 ? c : c.subarray(i, i + 65536);
      // advance line tracking to the end of the previous piece before switching
      lineAt(Number.MAX_SAFE_INTEGER);
      chunk = piece;
      chunkStart = offset;
      scanPos = 0;
      offset += piece.length;
      try {
        parser.write(piece);
      } catch (e) {
        fail(e);
      }
      if (rows.length || pendingHeader) {
        yield { header: pendingHeader, rows };
        pendingHeader = undefined;
        rows = [];
      }
    }
  }
  utf8.check(new Uint8Array(0), true);
  if (!parser.isEnded) {
    try {
      parser.end();
    } catch (e) {
      fail(e);
    }
  }
  if (!headerSent) {
    pendingHeader = makeHeader();
    headerSent = true;
  }
  if (rows.length || pendingHeader) yield { header: pendingHeader, rows };
}
