/**
 * DXF2 JSON data value sets (spec §1.2): `{ dataSet, completeDate, period, orgUnit, attributeOptionCombo,
 * attributeCategoryOptions, idScheme…, dryRun, strategy, dataValues: [ {dataElement, period, orgUnit,
 * categoryOptionCombo, attributeOptionCombo, value, storedBy, comment, followup, deleted} ] }`.
 *
 * A hand-written streaming scanner (like the DXF2 XML one): never JSON.parse of the whole file, so memory does not grow
 * with the file. DHIS2 reads the fields as text, so a JSON number keeps its exact source text (`1.10` stays `1.10`,
 * `12345678901234567890` is not rounded, `1e2` reaches the NUMBER check as written) and `true`/`false` are the text
 * `true`/`false` in value and comment; `followup`/`deleted` read as booleans. Any valid JSON is accepted (unknown
 * fields and nested values are skipped); malformed or truncated JSON is a BAD_FILE naming file, line and column.
 * Root fields are headers; one that comes after the rows is refused rather than silently applied to only some rows.
 */
import { AppError } from '../../../src-shared/errors.ts';
import { StrictUtf8, newRow, type DataValueBatch, type DataValueHeader, type DataValueRow } from '../data-value-row.ts';

const HEADER_KEYS = new Set([
  'dataSet', 'completeDate', 'period', 'orgUnit', 'attributeOptionCombo', 'attributeCategoryOptions', 'idScheme', 'dataElementIdScheme',
  'orgUnitIdScheme', 'categoryOptionComboIdScheme', 'dataSetIdScheme', 'dryRun', 'strategy', 'importStrategy',
]);

/** Row fields by slot; a JSON scalar is kept as text (null → null). */
const ROW_KEYS = ['dataElement', 'period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'value', 'storedBy', 'comment', 'followup', 'followUp', 'deleted'];
const ROW_SLOT = new Map(ROW_KEYS.map((k, i) => [k, i]));

/** The slot of a row key written without escapes in s[a, b), or -1 (no allocation). */
function rowSlot(s: string, a: number, b: number): number {
  let k = -1;
  switch (b - a) {
    case 11:
      k = 0; // dataElement (lastUpdated fails the check)
      break;
    case 6:
      k = 1;
      break;
    case 7: {
      const c = s.charCodeAt(a);
      k = c === 111 ? 2 : c === 99 ? 7 : c === 100 ? 10 : -1; // orgUnit, comment, deleted (created fails the check)
      break;
    }
    case 19:
      k = 3;
      break;
    case 20:
      k = 4;
      break;
    case 5:
      k = 5;
      break;
    case 8:
      k = s.charCodeAt(a) === 115 ? 6 : s.charCodeAt(a + 6) === 85 ? 9 : 8; // storedBy, followUp, followup
      break;
  }
  return k !== -1 && s.startsWith(ROW_KEYS[k]!, a) ? k : -1;
}

const str = (v: string | null | undefined): string | undefined => (v == null ? undefined : v);
const bool = (v: string | null | undefined): boolean | undefined => (v == null ? undefined : v.trim().toLowerCase() === 'true');

class JsonFail extends Error {
  constructor(
    message: string,
    readonly pos: number,
    /** valid JSON, but not a data value set */
    readonly shape = false,
  ) {
    super(message);
  }
}

// frames
const OBJ = 0;
const ARR = 1;
// roles
const R_ROOT = 0;
const R_ROWS = 1;
const R_ROW = 2;
const R_ACO = 3;
const R_SKIP = 4;
// states: what the frame expects next
const S_KEY_OR_END = 0;
const S_KEY = 1;
const S_COLON = 2;
const S_VALUE = 3;
const S_OBJ_NEXT = 4;
const S_ELEM_OR_END = 5;
const S_ELEM = 6;
const S_ARR_NEXT = 7;

/** a token is cut by the end of the buffer */
const MORE = -1;
/** the fast row path cannot handle this row (nested value): the general machine reads it */
const SLOW = -2;

const BATCH = 1024;

function show(c: number): string {
  if (Number.isNaN(c)) return 'end of file';
  if (c < 32 || c === 127) return `character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${String.fromCharCode(c)}"`;
}

/** Streams data value rows from a DXF2 JSON data value set. */
export async function* readJsonDataValues(chunks: AsyncIterable<Uint8Array>, opts: { fileName: string }): AsyncGenerator<DataValueBatch> {
  const { fileName } = opts;
  const utf8 = new StrictUtf8(fileName);
  let buf = '';
  let len = 0;
  let final = false;
  let line = 1;
  /** index in buf where the current line starts (negative: it started in text already let go) */
  let lineStart = 0;
  let index = 0;
  let sawRoot = false;
  let rootDone = false;
  let rowsStarted = false;
  let headerSent = false;
  let pendingHeader: DataValueHeader | undefined;
  let rows: DataValueRow[] = [];
  let batchFull = false;
  const header: Record<string, string | null> = {};
  let aco: string[] | undefined;
  const slots: (string | null | undefined)[] = new Array<string | null | undefined>(ROW_KEYS.length).fill(undefined);
  let rowLine = 0;
  // the frame stack
  let depth = 0;
  const roles: number[] = [];
  const states: number[] = [];
  const keys: string[] = [];
  // results of the token readers
  let tok = '';

  const fail = (msg: string, pos: number): never => {
    throw new JsonFail(msg, pos);
  };
  const wrongShape = (msg: string, pos: number): never => {
    throw new JsonFail(msg, pos, true);
  };
  const eof = (pos: number): never => fail('unexpected end of file (the file is incomplete)', pos);

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
    if (rows.length >= BATCH) batchFull = true;
  };
  const emptyRow = (): void => {
    clearSlots();
    rowLine = line;
    finishRow();
  };

  /** s[p] is '"': reads a string into `tok`; returns the position after it, or MORE. */
  const readString = (s: string, p: number): number => {
    let i = p + 1;
    let start = i;
    let out: string | null = null;
    for (;;) {
      if (i >= len) return MORE;
      const c = s.charCodeAt(i);
      if (c === 34) {
        tok = out === null ? s.slice(start, i) : out + s.slice(start, i);
        return i + 1;
      }
      if (c === 92) {
        if (i + 1 >= len) return MORE;
        const piece = s.slice(start, i);
        out = out === null ? piece : out + piece;
        const e = s.charCodeAt(i + 1);
        let ch: string;
        switch (e) {
          case 34: ch = '"'; break;
          case 92: ch = '\\'; break;
          case 47: ch = '/'; break;
          case 98: ch = '\b'; break;
          case 102: ch = '\f'; break;
          case 110: ch = '\n'; break;
          case 114: ch = '\r'; break;
          case 116: ch = '\t'; break;
          case 117: {
            let code = 0;
            for (let k = 2; k < 6; k++) {
              if (i + k >= len) return MORE;
              const h = s.charCodeAt(i + k);
              const d = h >= 48 && h <= 57 ? h - 48 : h >= 97 && h <= 102 ? h - 87 : h >= 65 && h <= 70 ? h - 55 : -1;
              if (d < 0) fail(`invalid \\u escape in a string: ${show(h)} is not a hexadecimal digit`, i + k);
              code = code * 16 + d;
            }
            out += String.fromCharCode(code);
            i += 6;
            start = i;
            continue;
          }
          default:
            return fail(`invalid escape "\\${String.fromCharCode(e)}" in a string`, i + 1);
        }
        out += ch;
        i += 2;
        start = i;
        continue;
      }
      if (c < 32) return fail(`${show(c)} inside a string (control characters must be escaped)`, i);
      i++;
    }
  };

  const isDigit = (c: number): boolean => c >= 48 && c <= 57;
  /** s[p] is '-' or a digit: reads a number's source text into `tok`; returns the position after it, or MORE. */
  const readNumber = (s: string, p: number): number => {
    let i = p;
    if (s.charCodeAt(i) === 45) i++;
    if (i >= len) return final ? eof(i) : MORE;
    let c = s.charCodeAt(i);
    if (c === 48) i++;
    else if (c >= 49 && c <= 57) {
      i++;
      while (i < len && isDigit(s.charCodeAt(i))) i++;
    } else return fail(`invalid number: ${show(c)} after "-"`, i);
    if (i < len && s.charCodeAt(i) === 46) {
      i++;
      if (i >= len) return final ? eof(i) : MORE;
      if (!isDigit(s.charCodeAt(i))) return fail(`invalid number: ${show(s.charCodeAt(i))} after "."`, i);
      while (i < len && isDigit(s.charCodeAt(i))) i++;
    }
    if (i < len && ((c = s.charCodeAt(i)) === 101 || c === 69)) {
      i++;
      if (i < len && ((c = s.charCodeAt(i)) === 43 || c === 45)) i++;
      if (i >= len) return final ? eof(i) : MORE;
      if (!isDigit(s.charCodeAt(i))) return fail(`invalid number: ${show(s.charCodeAt(i))} in the exponent`, i);
      while (i < len && isDigit(s.charCodeAt(i))) i++;
    }
    if (i >= len && !final) return MORE;
    tok = s.slice(p, i);
    return i;
  };

  /** s[p] starts true/false/null: checks the word; returns the position after it, or MORE. */
  const readWord = (s: string, p: number, word: string): number => {
    for (let k = 0; k < word.length; k++) {
      if (p + k >= len) return final ? eof(p + k) : MORE;
      if (s.charCodeAt(p + k) !== word.charCodeAt(k)) return fail(`unexpected ${show(s.charCodeAt(p + k))}`, p + k);
    }
    return p + word.length;
  };

  /** Reads a scalar at s[p] into `tok` (`scalarNull` for JSON null); returns the position after it, or MORE. */
  let scalarNull = false;
  const readScalar = (s: string, p: number): number => {
    const c = s.charCodeAt(p);
    scalarNull = false;
    if (c === 34) return readString(s, p);
    if (c === 45 || (c >= 48 && c <= 57)) return readNumber(s, p);
    if (c === 116) {
      tok = 'true';
      return readWord(s, p, 'true');
    }
    if (c === 102) {
      tok = 'false';
      return readWord(s, p, 'false');
    }
    if (c === 110) {
      scalarNull = true;
      return readWord(s, p, 'null');
    }
    return fail(`unexpected ${show(c)} where a value was expected`, p);
  };

  /** Skips JSON whitespace from s[i], counting lines; returns the first other position. */
  const skipWs = (s: string, i: number): number => {
    while (i < len) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13) i++;
      else if (c === 10) {
        line++;
        i++;
        lineStart = i;
      } else break;
    }
    return i;
  };

  /** Fast path for a flat row object at s[p] ('{'): returns the position after it, MORE or SLOW. */
  const fastRow = (s: string, p: number): number => {
    const line0 = line;
    const lineStart0 = lineStart;
    clearSlots();
    let i = p + 1;
    let first = true;
    let r = SLOW;
    for (;;) {
      i = skipWs(s, i);
      if (i >= len) {
        r = MORE;
        break;
      }
      let c = s.charCodeAt(i);
      if (c === 125 && first) {
        rowLine = line0;
        finishRow();
        return i + 1;
      }
      if (c !== 34) break;
      // key
      let slot: number;
      let ke = i + 1;
      while (ke < len && (c = s.charCodeAt(ke)) !== 34 && c !== 92 && c >= 32) ke++;
      if (ke >= len) {
        r = MORE;
        break;
      }
      if (c === 34) {
        slot = rowSlot(s, i + 1, ke);
        i = ke + 1;
      } else {
        const e = readString(s, i);
        if (e === MORE) {
          r = MORE;
          break;
        }
        slot = ROW_SLOT.get(tok) ?? -1;
        i = e;
      }
      i = skipWs(s, i);
      if (i >= len) {
        r = MORE;
        break;
      }
      if (s.charCodeAt(i) !== 58) break;
      i = skipWs(s, i + 1);
      if (i >= len) {
        r = MORE;
        break;
      }
      // value
      c = s.charCodeAt(i);
      if (c === 34) {
        let ve = i + 1;
        while (ve < len && (c = s.charCodeAt(ve)) !== 34 && c !== 92 && c >= 32) ve++;
        if (ve >= len) {
          r = MORE;
          break;
        }
        if (c === 34) {
          if (slot !== -1) slots[slot] = s.slice(i + 1, ve);
          i = ve + 1;
        } else {
          const e = readString(s, i);
          if (e === MORE) {
            r = MORE;
            break;
          }
          if (slot !== -1) slots[slot] = tok;
          i = e;
        }
      } else if (c === 123 || c === 91) {
        break; // nested: the general machine skips it (or refuses it for a row field)
      } else {
        const e = readScalar(s, i);
        if (e === MORE) {
          r = MORE;
          break;
        }
        if (slot !== -1) slots[slot] = scalarNull ? null : tok;
        i = e;
      }
      first = false;
      i = skipWs(s, i);
      if (i >= len) {
        r = MORE;
        break;
      }
      c = s.charCodeAt(i);
      if (c === 44) {
        i++;
        continue;
      }
      if (c === 125) {
        rowLine = line0;
        finishRow();
        return i + 1;
      }
      break; // anything else: the general machine reports it precisely
    }
    line = line0;
    lineStart = lineStart0;
    return r === MORE && !final ? MORE : SLOW;
  };

  // a nested value where text was expected: refused once the value has been read (a syntax error inside it comes first)
  let shapeError: JsonFail | null = null;
  let shapeDepth = 0;
  const refuseNested = (msg: string, p: number): number => {
    if (!shapeError) {
      shapeError = new JsonFail(msg, p, true);
      shapeDepth = depth;
    }
    return R_SKIP;
  };
  const nested = (kind: number): string => (kind === ARR ? 'an array' : 'an object');
  const open = (kind: number, p: number): void => {
    let role: number;
    if (depth === 0) role = R_ROOT;
    else {
      const parent = roles[depth - 1]!;
      const key = keys[depth - 1]!;
      if (parent === R_ROOT) {
        if (key === 'dataValues') role = kind === ARR ? R_ROWS : refuseNested('"dataValues" must be an array', p);
        else if (HEADER_KEYS.has(key)) {
          if (rowsStarted) role = refuseNested(afterRowsMessage(key), p);
          else if (key === 'attributeCategoryOptions' && kind === ARR) {
            aco = [];
            role = R_ACO;
          } else role = refuseNested(`"${key}" must be text, not ${nested(kind)}`, p);
        } else role = R_SKIP;
      } else if (parent === R_ROWS) {
        if (kind === OBJ) {
          clearSlots();
          rowLine = line;
          role = R_ROW;
        } else {
          emptyRow();
          role = R_SKIP;
        }
      } else if (parent === R_ROW) {
        role = ROW_SLOT.has(key) ? refuseNested(`"${key}" must be text, a number or a boolean, not ${nested(kind)}`, p) : R_SKIP;
      } else {
        if (parent === R_ACO) aco!.push('');
        role = R_SKIP;
      }
    }
    roles[depth] = role;
    states[depth] = kind === OBJ ? S_KEY_OR_END : S_ELEM_OR_END;
    keys[depth] = '';
    depth++;
  };
  const close = (): void => {
    depth--;
    if (shapeError && depth === shapeDepth) throw shapeError;
    if (roles[depth] === R_ROW) finishRow();
    if (depth === 0) rootDone = true;
  };
  const afterRowsMessage = (key: string): string =>
    `"${key}" comes after "dataValues"; Ferry reads files as a stream and needs the header fields before the values (DHIS2 exports write them first)`;
  const scalar = (p: number, value: string | null): void => {
    const parent = roles[depth - 1]!;
    if (parent === R_ROW) {
      const slot = ROW_SLOT.get(keys[depth - 1]!);
      if (slot !== undefined) slots[slot] = value;
    } else if (parent === R_ROWS) emptyRow();
    else if (parent === R_ROOT) {
      const key = keys[depth - 1]!;
      if (key === 'dataValues') {
        if (value !== null) wrongShape('"dataValues" must be an array', p);
      } else if (HEADER_KEYS.has(key)) {
        if (rowsStarted && value !== null && value !== '') wrongShape(afterRowsMessage(key), p);
        if (key !== 'attributeCategoryOptions') header[key] = value;
      }
    } else if (parent === R_ACO) aco!.push(value ?? 'null');
  };

  /** Scans buf from `start`; returns the position up to which it was consumed. */
  const scan = (start: number): number => {
    const s = buf;
    let p = start;
    for (;;) {
      p = skipWs(s, p);
      if (p >= len || batchFull) return p;
      const c = s.charCodeAt(p);
      if (depth === 0) {
        if (rootDone) fail(`unexpected ${show(c)} after the end of the JSON document`, p);
        if (c !== 123) wrongShape('a data value set must be a JSON object', p);
        sawRoot = true;
        open(OBJ, p);
        p++;
        continue;
      }
      const d = depth - 1;
      const st = states[d]!;
      switch (st) {
        case S_KEY_OR_END:
        case S_KEY: {
          if (c === 125 && st === S_KEY_OR_END) {
            close();
            p++;
            continue;
          }
          if (c !== 34) fail(`unexpected ${show(c)} where ${st === S_KEY ? 'a field name' : 'a field name or "}"'} was expected`, p);
          const e = readString(s, p);
          if (e === MORE) return final ? eof(len) : p;
          keys[d] = tok;
          states[d] = S_COLON;
          p = e;
          continue;
        }
        case S_COLON:
          if (c !== 58) fail(`unexpected ${show(c)} where ":" was expected`, p);
          states[d] = S_VALUE;
          p++;
          continue;
        case S_VALUE:
        case S_ELEM_OR_END:
        case S_ELEM: {
          if (c === 93 && st === S_ELEM_OR_END) {
            close();
            p++;
            continue;
          }
          const next = st === S_VALUE ? S_OBJ_NEXT : S_ARR_NEXT;
          if (c === 123 || c === 91) {
            if (c === 123 && roles[d] === R_ROWS) {
              const e = fastRow(s, p);
              if (e >= 0) {
                states[d] = next;
                p = e;
                continue;
              }
              if (e === MORE) return p;
            }
            states[d] = next;
            open(c === 123 ? OBJ : ARR, p);
            p++;
            continue;
          }
          const e = readScalar(s, p);
          if (e === MORE) return final ? eof(len) : p;
          states[d] = next;
          scalar(p, scalarNull ? null : tok);
          p = e;
          continue;
        }
        case S_OBJ_NEXT:
          if (c === 44) states[d] = S_KEY;
          else if (c === 125) close();
          else fail(`unexpected ${show(c)} where "," or "}" was expected`, p);
          p++;
          continue;
        default:
          if (c === 44) states[d] = S_ELEM;
          else if (c === 93) close();
          else fail(`unexpected ${show(c)} where "," or "]" was expected`, p);
          p++;
          continue;
      }
    }
  };

  const wrap = (e: unknown): never => {
    if (!(e instanceof JsonFail)) throw e;
    // line and column of e.pos: newlines are only in whitespace, counted up to where the scan got
    let ln = line;
    let ls = lineStart;
    for (let k = buf.indexOf('\n', Math.max(ls, 0)); k !== -1 && k < e.pos; k = buf.indexOf('\n', k + 1)) {
      ln++;
      ls = k + 1;
    }
    const column = e.pos - ls + 1;
    const text = e.shape ? `${fileName}, line ${ln}, column ${column}: ${e.message}` : `${fileName}, line ${ln}: malformed JSON at column ${column} (${e.message})`;
    throw new AppError('BAD_FILE', text, { file: fileName, line: ln, column });
  };
  const flush = function* (): Generator<DataValueBatch> {
    if (rows.length || pendingHeader) {
      yield { header: pendingHeader, rows };
      pendingHeader = undefined;
      rows = [];
    }
  };
  // The text is decoded up to the last "}" of what has arrived, and the rest is carried as bytes: the scan then almost
  // always stops exactly at the end, and buf is the decoder's own flat string (a joined string makes charCodeAt several
  // times slower). When a row is cut, its text is encoded again and decoded with the next bytes (rare, and short).
  let pos = 0;
  const carry: Buffer[] = [];
  let carryLen = 0;
  // a token longer than a chunk (a huge string): wait until the input has doubled before trying again (linear time)
  let waitFor = 0;
  const run = function* (): Generator<DataValueBatch> {
    do {
      batchFull = false;
      try {
        pos = scan(pos);
      } catch (e) {
        wrap(e);
      }
      yield* flush();
    } while (batchFull);
    const rest = len - pos;
    waitFor = rest > 1 << 20 ? rest : 0;
  };
  const load = (bytes: Buffer[], last: boolean): void => {
    if (pos < len) bytes.unshift(Buffer.from(buf.slice(pos), 'utf8'));
    const body = bytes.length === 1 ? bytes[0]! : Buffer.concat(bytes);
    utf8.setLine(line);
    const text = utf8.decode(body, last);
    lineStart -= pos;
    buf = text;
    len = text.length;
    pos = 0;
  };
  for await (const chunk of chunks) {
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const cut = b.lastIndexOf(0x7d) + 1;
    if (cut === 0 || carryLen + cut < waitFor) {
      carry.push(Buffer.from(b));
      carryLen += b.length;
      continue;
    }
    const bytes = carry.splice(0, carry.length);
    bytes.push(b.subarray(0, cut));
    carryLen = 0;
    if (cut < b.length) {
      carry.push(Buffer.from(b.subarray(cut)));
      carryLen = b.length - cut;
    }
    load(bytes, false);
    yield* run();
  }
  load(carry, true);
  final = true;
  yield* run();
  try {
    if (!sawRoot) throw new AppError('BAD_FILE', `${fileName}: the file is empty; a data value set must be a JSON object`, { file: fileName, line: 1 });
    if (depth > 0) eof(len);
  } catch (e) {
    wrap(e);
  }
  if (!headerSent) {
    pendingHeader = makeHeader();
    headerSent = true;
  }
  yield* flush();
}
