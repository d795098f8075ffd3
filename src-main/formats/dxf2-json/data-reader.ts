/**
 * DXF2 JSON data value sets (spec §1.2): `{ dataSet, completeDate, period, orgUnit, attributeOptionCombo,
 * attributeCategoryOptions, idScheme…, dryRun, strategy, dataValues: [ {dataElement, period, orgUnit,
 * categoryOptionCombo, attributeOptionCombo, value, storedBy, comment, followup, deleted} ] }`.
 *
 * Read through the shared streaming JSON scanner (../shared/json-scanner.ts), never JSON.parse of the whole file, so
 * memory does not grow with the file; this module is only the DXF2 mapping (which container is the root, the rows, a
 * row, attributeCategoryOptions), and each row object is read whole by the scanner's flat-object path. DHIS2 reads the
 * fields as text, so a JSON number keeps its exact source text (`1.10` stays `1.10`, `12345678901234567890` is not
 * rounded, `1e2` reaches the NUMBER check as written) and `true`/`false` are the text `true`/`false` in value and
 * comment; `followup`/`deleted` read as booleans. Any valid JSON is accepted (unknown fields and nested values are
 * skipped); malformed or truncated JSON is a BAD_FILE naming file, line and column. Root fields are headers; one that
 * comes after the rows is refused rather than silently applied to only some rows.
 */
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { newRow, type DataValueBatch, type DataValueHeader, type DataValueRow } from '../data-value-row.ts';
import { ARR, JsonScanner, KeySlots, OBJ, type JsonHandler } from '../shared/json-scanner.ts';

const HEADER_KEYS = new Set([
  'dataSet', 'completeDate', 'period', 'orgUnit', 'attributeOptionCombo', 'attributeCategoryOptions', 'idScheme', 'dataElementIdScheme',
  'orgUnitIdScheme', 'categoryOptionComboIdScheme', 'dataSetIdScheme', 'dryRun', 'strategy', 'importStrategy',
]);

/** Row fields by slot; a JSON scalar is kept as text (null → null). */
const ROW_KEYS = new KeySlots(['dataElement', 'period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'value', 'storedBy', 'comment', 'followup', 'followUp', 'deleted']);

const str = (v: string | null | undefined): string | undefined => (v == null ? undefined : v);
const bool = (v: string | null | undefined): boolean | undefined => (v == null ? undefined : v.trim().toLowerCase() === 'true');

// roles of the containers
const R_ROOT = 0;
const R_ROWS = 1;
const R_ROW = 2;
const R_ACO = 3;
const R_SKIP = 4;

const BATCH = 1024;

const nested = (kind: number): string => (kind === ARR ? 'an array' : 'an object');
const afterRowsMessage = (key: string): string =>
  `"${key}" comes after "dataValues"; Ferry reads files as a stream and needs the header fields before the values (DHIS2 exports write them first)`;

/** Streams data value rows from a DXF2 JSON data value set. */
export async function* readJsonDataValues(chunks: AsyncIterable<Uint8Array>, opts: { fileName: string }): AsyncGenerator<DataValueBatch> {
  const { fileName } = opts;
  const sc = new JsonScanner(fileName);
  sc.fastRole = R_ROWS;
  let index = 0;
  let rowsStarted = false;
  let headerSent = false;
  let pendingHeader: DataValueHeader | undefined;
  let rows: DataValueRow[] = [];
  const header: Record<string, string | null> = {};
  let aco: string[] | undefined;
  const slots: (string | null | undefined)[] = new Array<string | null | undefined>(ROW_KEYS.keys.length).fill(undefined);
  let rowLine = 0;

  const makeHeader = (): DataValueHeader => {
    const h: DataValueHeader = {};
    for (const k of ['dataSet', 'completeDate', 'period', 'orgUnit', 'attributeOptionCombo', 'idScheme', 'dataElementIdScheme', 'orgUnitIdScheme', 'categoryOptionComboIdScheme', 'dataSetIdScheme'] as const) {
      const v = str(header[k]);
      if (v !== undefined && v !== '') h[k] = v;
    }
    const strategy = str(header.strategy ?? header.importStrategy);
    if (strategy) h.strategy = strategy;
    if (header.dryRun != null) h.dryRun = bool(header.dryRun);
    if (aco && aco.length) h.attributeCategoryOptions = aco;
    return h;
  };

  const startRows = (): void => {
    if (!headerSent) {
      pendingHeader = makeHeader();
      headerSent = true;
    }
    rowsStarted = true;
  };
  const clearSlots = (): void => {
    for (let k = 0; k < slots.length; k++) slots[k] = undefined;
  };
  const finishRow = (): void => {
    startRows();
    const r = newRow(index++, rowLine);
    r.dataElement = str(slots[0]);
    r.period = str(slots[1]);
    r.orgUnit = str(slots[2]);
    r.categoryOptionCombo = slots[3] || undefined;
    r.attributeOptionCombo = slots[4] || undefined;
    r.value = str(slots[5]);
    r.storedBy = slots[6] || undefined;
    r.comment = str(slots[7]);
    r.followup = bool(slots[8] ?? slots[9]);
    r.deleted = bool(slots[10]);
    rows.push(r);
    if (rows.length >= BATCH) sc.paused = true;
  };
  const emptyRow = (): void => {
    clearSlots();
    rowLine = sc.line;
    finishRow();
  };
  // a nested value where text was expected: refused once the value has been read (a syntax error inside it comes first)
  const refuseNested = (msg: string, p: number): number => {
    sc.shapeErrorAfter(msg, p);
    return R_SKIP;
  };

  const handler: JsonHandler = {
    root(p, c) {
      if (c !== 123) sc.shapeError('a data value set must be a JSON object', p);
    },
    open(kind, p) {
      const depth = sc.depth;
      if (depth === 0) return R_ROOT;
      const parent = sc.roles[depth - 1]!;
      const key = sc.keys[depth - 1]!;
      if (parent === R_ROOT) {
        if (key === 'dataValues') return kind === ARR ? R_ROWS : refuseNested('"dataValues" must be an array', p);
        if (HEADER_KEYS.has(key)) {
          if (rowsStarted) return refuseNested(afterRowsMessage(key), p);
          if (key === 'attributeCategoryOptions' && kind === ARR) {
            aco = [];
            return R_ACO;
          }
          return refuseNested(`"${key}" must be text, not ${nested(kind)}`, p);
        }
        return R_SKIP;
      }
      if (parent === R_ROWS) {
        if (kind === OBJ) {
          clearSlots();
          rowLine = sc.line;
          return R_ROW;
        }
        emptyRow();
        return R_SKIP;
      }
      if (parent === R_ROW) return ROW_KEYS.of(key) !== -1 ? refuseNested(`"${key}" must be text, a number or a boolean, not ${nested(kind)}`, p) : R_SKIP;
      if (parent === R_ACO) aco!.push('');
      return R_SKIP;
    },
    close(role) {
      if (role === R_ROW) finishRow();
    },
    scalar(p, value) {
      const depth = sc.depth;
      const parent = sc.roles[depth - 1]!;
      if (parent === R_ROW) {
        const slot = ROW_KEYS.of(sc.keys[depth - 1]!);
        if (slot !== -1) slots[slot] = value;
      } else if (parent === R_ROWS) emptyRow();
      else if (parent === R_ROOT) {
        const key = sc.keys[depth - 1]!;
        if (key === 'dataValues') {
          if (value !== null) sc.shapeError('"dataValues" must be an array', p);
        } else if (HEADER_KEYS.has(key)) {
          if (rowsStarted && value !== null && value !== '') sc.shapeError(afterRowsMessage(key), p);
          if (key !== 'attributeCategoryOptions') header[key] = value;
        }
      } else if (parent === R_ACO) aco!.push(value ?? 'null');
    },
    fastObject(p) {
      const e = sc.readFlatObject(p, ROW_KEYS, slots);
      if (e >= 0) {
        rowLine = sc.objLine;
        finishRow();
      }
      return e;
    },
  };
  sc.setHandler(handler);

  const take = (): DataValueBatch | undefined => {
    if (!rows.length && !pendingHeader) return undefined;
    const b = { header: pendingHeader, rows };
    pendingHeader = undefined;
    rows = [];
    return b;
  };
  yield* sc.feed(chunks, take, () => ({ rows: [] }));
  if (!sc.end()) throw ferryError('BAD_FILE', 'json.dataEmpty', { file: fileName }, { file: fileName, line: 1 });
  if (!headerSent) {
    pendingHeader = makeHeader();
    headerSent = true;
  }
  const last = take();
  if (last) yield last;
}
