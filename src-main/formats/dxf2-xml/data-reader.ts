/**
 * DXF2 XML data value sets (spec §1.3): root `<dataValueSet>` whose attributes are the header (id schemes, dryRun,
 * importStrategy, dataSet, completeDate, period, orgUnit, attributeOptionCombo), then `<dataValue …/>` rows with
 * everything in attributes (`followUp`, also the `followup` spelling DHIS2's own test files use). Streaming through
 * saxes; malformed XML is a BAD_FILE naming file and line.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { AppError } from '../../../src-shared/errors.ts';
import { StrictUtf8, newRow, type DataValueBatch, type DataValueHeader, type DataValueRow } from '../data-value-row.ts';

const localName = (n: string): string => {
  const i = n.indexOf(':');
  return i === -1 ? n : n.slice(i + 1);
};

export function xmlHeader(a: Record<string, string>): DataValueHeader {
  const h: DataValueHeader = {};
  const set = <K extends keyof DataValueHeader>(k: K, v: DataValueHeader[K] | undefined): void => {
    if (v !== undefined && v !== '') h[k] = v;
  };
  set('dataSet', a.dataSet);
  set('completeDate', a.completeDate);
  set('period', a.period);
  set('orgUnit', a.orgUnit);
  set('attributeOptionCombo', a.attributeOptionCombo);
  set('idScheme', a.idScheme);
  set('dataElementIdScheme', a.dataElementIdScheme);
  set('orgUnitIdScheme', a.orgUnitIdScheme);
  set('categoryOptionComboIdScheme', a.categoryOptionComboIdScheme);
  set('dataSetIdScheme', a.dataSetIdScheme);
  set('strategy', a.importStrategy ?? a.strategy);
  if (a.dryRun !== undefined) h.dryRun = a.dryRun === 'true';
  return h;
}

export function xmlBool(v: string | undefined): boolean | undefined {
  return v === undefined ? undefined : v.trim().toLowerCase() === 'true';
}

/** Drives saxes over decoded chunks; `onTag`/`onClose` see local names. Errors become BAD_FILE with file+line. */
export async function* saxStream<T>(
  chunks: AsyncIterable<Uint8Array>,
  fileName: string,
  setup: (p: SaxesParser<{ xmlns: false }>, out: T[]) => void,
): AsyncGenerator<T[]> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const utf8 = new StrictUtf8(fileName);
  let out: T[] = [];
  setup(parser, out);
  const fail = (e: unknown): never => {
    if (e instanceof AppError) throw e;
    const msg = (e as Error).message ?? String(e);
    // saxes messages look like "undefined:3:17: unclosed tag: x"
    const m = /^[^:]*:(\d+):(\d+): (.*)$/s.exec(msg);
    const line = m ? Number(m[1]) : parser.line;
    throw new AppError('BAD_FILE', `${fileName}, line ${line}: malformed XML (${m ? m[3] : msg})`, { file: fileName, line });
  };
  // feed saxes 64K characters at a time and hand rows over in small batches: they die young (cheap GC)
  const PIECE = 65536;
  for await (const chunk of chunks) {
    utf8.setLine(parser.line);
    const s = utf8.decode(chunk);
    for (let i = 0; i < s.length; i += PIECE) {
      try {
        parser.write(s.length <= PIECE ? s : s.slice(i, i + PIECE));
      } catch (e) {
        fail(e);
      }
      if (out.length) {
        yield out;
        out = [];
        setup(parser, out);
      }
    }
  }
  try {
    const tail = utf8.decode(new Uint8Array(0), true);
    if (tail) parser.write(tail);
    parser.close();
  } catch (e) {
    fail(e);
  }
  if (out.length) yield out;
}

/** Streams data value rows from a DXF2 XML data value set. */
export async function* readXmlDataValues(chunks: AsyncIterable<Uint8Array>, opts: { fileName: string }): AsyncGenerator<DataValueBatch> {
  let index = 0;
  let sawRoot = false;
  for await (const items of saxStream<DataValueRow | DataValueHeader>(chunks, opts.fileName, (p, out) => {
    p.on('opentag', (tag: SaxesTagPlain) => {
      const name = localName(tag.name);
      const a = tag.attributes;
      if (name === 'dataValue') {
        const r = newRow(index++, p.line);
        r.dataElement = a.dataElement;
        r.period = a.period;
        r.orgUnit = a.orgUnit;
        r.categoryOptionCombo = a.categoryOptionCombo || undefined;
        r.attributeOptionCombo = a.attributeOptionCombo || undefined;
        r.value = a.value;
        r.storedBy = a.storedBy || undefined;
        r.comment = a.comment;
        r.followup = xmlBool(a.followUp ?? a.followup);
        r.deleted = xmlBool(a.deleted);
        out.push(r);
      } else if (!sawRoot) {
        sawRoot = true;
        if (name !== 'dataValueSet') {
          throw new AppError('BAD_FILE', `${opts.fileName}, line ${p.line}: the root element is <${name}>, not <dataValueSet>`, { file: opts.fileName, line: p.line });
        }
        out.push(xmlHeader(a));
      }
    });
  })) {
    let batch: DataValueBatch = { rows: [] };
    const batches: DataValueBatch[] = [];
    for (const it of items) {
      if ('index' in it) batch.rows.push(it);
      else {
        if (batch.rows.length || batch.header) batches.push(batch);
        batch = { header: it, rows: [] };
      }
    }
    if (batch.rows.length || batch.header) batches.push(batch);
    yield* batches;
  }
}
