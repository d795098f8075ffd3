/**
 * DXF2 XML data value sets (spec §1.3): root `<dataValueSet>` whose attributes are the header (id schemes, dryRun,
 * importStrategy, dataSet, completeDate, period, orgUnit, attributeOptionCombo), then `<dataValue …/>` rows with
 * everything in attributes (`followUp`, also the `followup` spelling DHIS2's own test files use). A hand-written
 * streaming scanner (below); malformed XML is a BAD_FILE naming file and line. Its reference is saxes: the saxes-based
 * reader in tests/helpers/saxes-data-reader.ts, compared in a seeded random differential test.
 */
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { StrictUtf8, newRow, parseBool, type DataValueBatch, type DataValueHeader, type DataValueRow } from '../data-value-row.ts';
import { IDLE_BYTES, MAX_DATA_TOKEN, MAX_DEPTH, tokenTooLong, tooDeep } from '../shared/limits.ts';

/** The header of a data value set from its root element's attributes. */
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

// ---------------------------------------------------------------------------------------------------------------------
// The scanner: streaming over the flat DXF2 data value set (a root element and attribute-only children).
// It checks well-formedness itself (balanced and matching tags, quoted attributes, no duplicate attributes, known
// entities and XML characters only in references — in attribute values and in text —, nothing but blank text outside
// the root, an XML declaration only at the start and well-formed, no DOCTYPE internal subset) and counts LF, CRLF and a
// lone CR as line ends, as XML does. It measured about 3× faster than saxes on 1,000,000 values (see BENCHMARKS.md);
// the saxes reader in tests/helpers is its reference in a seeded random differential test. It does not check what it
// does not read beyond that (characters XML forbids in text and names, "--" inside comments).

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class XmlFail extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** XML 1.0 Char: tab, LF, CR, and U+0020 up, without surrogates, U+FFFE and U+FFFF. */
const isXmlChar = (c: number): boolean =>
  c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

/** Decodes references; the first bad one throws at once (a replace() callback would see every match first: a value
 * of a million "&" took a second). */
function decodeEntities(v: string, line: number): string {
  const re = /&([^;&\s]*);?/g;
  let out = '';
  let last = 0;
  for (let m = re.exec(v); m; m = re.exec(v)) {
    const name = m[1]!;
    if (!m[0].endsWith(';')) throw new XmlFail(`"&" not followed by an entity reference in an attribute value`, line);
    let ch: string;
    if (name[0] === '#') {
      const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (!isXmlChar(code) || !/^#(x[0-9a-fA-F]+|[0-9]+)$/.test(name)) throw new XmlFail(`invalid character reference &${name};`, line);
      ch = String.fromCodePoint(code);
    } else {
      const e = ENTITIES[name];
      if (e === undefined) throw new XmlFail(`undefined entity &${name};`, line);
      ch = e;
    }
    out += v.slice(last, m.index) + ch;
    last = re.lastIndex;
  }
  return last === 0 ? v : out + v.slice(last);
}

/** The first problem in character data s[from, to): a "&" that is not a reference XML knows, or "]]>". */
function badCharData(s: string, from: number, to: number): { at: number; message: string } | null {
  const text = s.slice(from, to);
  const end = text.indexOf(']]>');
  if (end !== -1) return { at: from + end, message: '"]]>" in text' };
  const re = /&([^;&\s<]*);?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    try {
      decodeEntities(m[0], 0);
    } catch (e) {
      return { at: from + m.index, message: (e as Error).message.replace(' in an attribute value', ' in text') };
    }
  }
  return null;
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

/**
 * Text cut by the end of what has arrived is consumed up to here: before a reference that may continue ("&am"), a
 * "]" or "]]" that may start "]]>", or a CR whose LF may follow (one line end, not two).
 */
function textSafeEnd(s: string, from: number, len: number): number {
  let end = len;
  for (let k = len - 1; k >= from && k >= len - 64; k--) {
    const c = s.charCodeAt(k);
    if (c === 59 /* ; */) break;
    if (c === 38 /* & */) {
      end = k;
      break;
    }
  }
  if (end === len && s.charCodeAt(len - 1) === 93) end = s.charCodeAt(len - 2) === 93 ? len - 2 : len - 1;
  if (end > from && s.charCodeAt(end - 1) === 13) end--;
  return Math.max(from, end);
}

/** Line ends in s (LF, CRLF or a lone CR), for text not scanned yet. */
function lineEnds(s: string): number {
  let n = 0;
  for (let k = s.indexOf('\n'); k !== -1; k = s.indexOf('\n', k + 1)) n++;
  for (let k = s.indexOf('\r'); k !== -1; k = s.indexOf('\r', k + 1)) if (s.charCodeAt(k + 1) !== 10) n++;
  return n;
}

/** What an unfinished construct at s[lt] is, for the message when it is too long. */
function constructAt(s: string, lt: number): string {
  if (s.startsWith('<!--', lt)) return 'an XML comment is';
  if (s.startsWith('<![CDATA[', lt)) return 'a CDATA section is';
  if (s.startsWith('<!', lt)) return 'a DOCTYPE is';
  if (s.startsWith('<?', lt)) return 'a processing instruction is';
  if (s.startsWith('</', lt)) return 'an end tag is';
  return 'one XML tag (with its attributes) is';
}
/** (letters, the most of a name, are above ">": one comparison each) */
const NAME_END = (c: number): boolean => c <= 62 && (isSpace(c) || c === 47 || c === 62 || c === 61);
const RE_NAME = /^[:A-Za-z_\u00C0-\uFFFF][\w.\-:\u00B7\u00C0-\uFFFF]*$/;
/** The XML declaration (XML 1.0 §2.8): version, then optional encoding and standalone, in that order. */
const XML_DECL =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"[A-Za-z][\w.-]*"|'[A-Za-z][\w.-]*'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*\?>$/;


/** Attributes of <dataValue> recognised without allocating their names (index = slot). */
const KNOWN = ['dataElement', 'period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'value', 'storedBy', 'comment', 'followUp', 'followup', 'deleted', 'created', 'lastUpdated', 'timestamp'];
const K = { dataElement: 0, period: 1, orgUnit: 2, coc: 3, aoc: 4, value: 5, storedBy: 6, comment: 7, followUp: 8, followup: 9, deleted: 10 } as const;

function knownAttr(s: string, ns: number, ne: number): number {
  let k = -1;
  switch (ne - ns) {
    case 11:
      k = s.charCodeAt(ns) === 100 ? 0 : 12;
      break;
    case 6:
      k = 1;
      break;
    case 7: {
      const c = s.charCodeAt(ns);
      k = c === 111 ? 2 : c === 100 ? 10 : s.charCodeAt(ns + 1) === 111 ? 7 : 11;
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
      k = s.charCodeAt(ns) === 115 ? 6 : s.charCodeAt(ns + 6) === 85 ? 8 : 9;
      break;
    case 9:
      k = 13;
      break;
  }
  return k !== -1 && s.startsWith(KNOWN[k]!, ns) ? k : -1;
}

/** Streams data value rows from a DXF2 XML data value set. */
export async function* readXmlDataValues(chunks: AsyncIterable<Uint8Array>, opts: { fileName: string }): AsyncGenerator<DataValueBatch> {
  const { fileName } = opts;
  const utf8 = new StrictUtf8(fileName);
  let buf = '';
  let line = 1;
  let index = 0;
  const stack: string[] = [];
  let sawRoot = false;
  let rootClosed = false;
  let sawDoctype = false;
  /** where in buf the document starts while nothing has been consumed (an XML declaration may stand only there), else -1 */
  let docStart = 0;
  let pendingHeader: DataValueHeader | undefined;
  /** the text node being scanned: its length so far and the line it starts on */
  let textRun = 0;
  let textLine = 1;
  let rows: DataValueRow[] = [];
  let batchFull: boolean;
  /** the last element name found valid */
  let lastName = '';
  /** the known attributes of the <dataValue> being read (KNOWN's slots) */
  const rowVals = new Array<string | undefined>(KNOWN.length);
  // the next CR in buf at or after the last search (buf.length: none; -1: not searched since buf changed): searched
  // again only once passed, so a file without CR never searches twice
  let cr = -1;
  /** Line ends in buf[from, to): LF, CRLF, or a lone CR (XML reads all three as a line end). */
  const countNl = (s: string, from: number, to: number): number => {
    let n = 0;
    for (let k = s.indexOf('\n', from); k !== -1 && k < to; k = s.indexOf('\n', k + 1)) n++;
    if (cr < from) {
      cr = s.indexOf('\r', from);
      if (cr === -1) cr = s.length;
    }
    while (cr < to) {
      if (s.charCodeAt(cr + 1) !== 10) n++;
      cr = s.indexOf('\r', cr + 1);
      if (cr === -1) cr = s.length;
    }
    return n;
  };

  /** scans buf from 0; returns the position up to which it was consumed */
  const scan = (final: boolean, start: number): number => {
    const s = buf;
    const len = s.length;
    let pos = start;
    while (pos < len) {
      const lt = s.indexOf('<', pos);
      const textEnd = lt !== -1 ? lt : final ? len : textSafeEnd(s, pos, len);
      if (textEnd > pos) {
        // a text node runs on across chunks: bounded like any token (data files hold no text, only blank space)
        if (textRun === 0) textLine = line;
        textRun += textEnd - pos;
        if (textRun > MAX_DATA_TOKEN) throw tokenTooLong(fileName, textLine, 'text between two XML tags is', MAX_DATA_TOKEN);
        if (stack.length === 0) {
          for (let k = pos; k < textEnd; k++) {
            const c = s.charCodeAt(k);
            if (!isSpace(c) && !(c === 0xfeff && k === 0 && line === 1)) throw new XmlFail(sawRoot ? 'text after the root element' : 'text before the root element', line);
          }
        } else {
          // text inside the root is not read, but must be well-formed: "&" only in references XML knows, no "]]>"
          for (let k = pos; k < textEnd; k++) {
            const c = s.charCodeAt(k);
            if (c === 38 || c === 93) {
              const bad = badCharData(s, k, textEnd);
              if (bad) throw new XmlFail(bad.message, line + countNl(s, pos, bad.at));
              break;
            }
          }
        }
        line += countNl(s, pos, textEnd);
        pos = textEnd;
      }
      if (lt === -1) break;
      textRun = 0;
      if (lt + 1 >= len) return final ? fail('unexpected end of file', line) : lt;
      const c1 = s.charCodeAt(lt + 1);
      if (c1 === 63 /* ? */) {
        const end = s.indexOf('?>', lt + 2);
        if (end === -1) return final ? fail('unclosed processing instruction', line) : lt;
        let t = lt + 2;
        while (t < end && !isSpace(s.charCodeAt(t))) t++;
        const target = s.slice(lt + 2, t);
        if (!RE_NAME.test(target)) throw new XmlFail(target ? `invalid processing instruction target "${target}"` : 'processing instruction without a target', line);
        if (target.toLowerCase() === 'xml') {
          if (target !== 'xml' || lt !== docStart) throw new XmlFail('an XML declaration must be at the start of the document', line);
          if (!XML_DECL.test(s.slice(lt, end + 2))) throw new XmlFail('malformed XML declaration', line);
        }
        line += countNl(s, lt, end);
        pos = end + 2;
        continue;
      }
      if (c1 === 33 /* ! */) {
        if (s.startsWith('<!--', lt)) {
          const end = s.indexOf('-->', lt + 4);
          if (end === -1) return final ? fail('unclosed comment', line) : lt;
          line += countNl(s, lt, end);
          pos = end + 3;
          continue;
        }
        if (s.startsWith('<![CDATA[', lt)) {
          if (stack.length === 0) throw new XmlFail('CDATA outside the root element', line);
          const end = s.indexOf(']]>', lt + 9);
          if (end === -1) return final ? fail('unclosed CDATA section', line) : lt;
          line += countNl(s, lt, end);
          pos = end + 3;
          continue;
        }
        if (s.startsWith('<!DOCTYPE', lt)) {
          if (sawRoot) throw new XmlFail('DOCTYPE after the root element', line);
          if (sawDoctype) throw new XmlFail('a second DOCTYPE', line);
          // to the ">" outside quoted literals
          let end = lt + 9;
          for (; end < len; end++) {
            const ch = s.charCodeAt(end);
            if (ch === 62) break;
            if (ch === 91) throw new XmlFail('DOCTYPE with an internal subset is not accepted in data files', line);
            if (ch === 34 || ch === 39) {
              const q = s.indexOf(ch === 34 ? '"' : "'", end + 1);
              if (q === -1) end = len - 1;
              else end = q;
            }
          }
          if (end >= len) return final ? fail('unclosed DOCTYPE', line) : lt;
          sawDoctype = true;
          line += countNl(s, lt, end);
          pos = end + 1;
          continue;
        }
        if (lt + 9 >= len && !final) return lt;
        throw new XmlFail('unexpected "<!"', line);
      }
      if (c1 === 47 /* / */) {
        const end = s.indexOf('>', lt + 2);
        if (end === -1) return final ? fail('unclosed end tag', line) : lt;
        const name = s.slice(lt + 2, end).trimEnd();
        const open = stack.pop();
        if (open === undefined) throw new XmlFail(`unexpected end tag </${name}>`, line);
        if (open !== name) throw new XmlFail(`end tag </${name}> does not match <${open}>`, line);
        if (stack.length === 0) rootClosed = true;
        line += countNl(s, lt, end);
        pos = end + 1;
        continue;
      }
      // start tag
      const tagLine = line;
      let i = lt + 1;
      while (i < len && !NAME_END(s.charCodeAt(i))) i++;
      if (i >= len) return final ? fail('unclosed tag', line) : lt;
      const name = s.slice(lt + 1, i);
      // (a name is checked once while the same one repeats: every row is a <dataValue>)
      if (name !== lastName) {
        if (!RE_NAME.test(name)) throw new XmlFail(`invalid element name "${name}"`, line);
        lastName = name;
      }
      const local = name.indexOf(':') === -1 ? name : name.slice(name.indexOf(':') + 1);
      const fast = sawRoot && local === 'dataValue';
      // attributes by name only for what is not a <dataValue> (the root's header) or not known; a row's known ones go
      // into `vals`, one array for all rows (read into the row before the next tag)
      let attrs: Record<string, string> | null = null;
      const vals = fast ? rowVals.fill(undefined) : rowVals;
      let selfClosing = false;
      let nl = 0;
      for (;;) {
        while (i < len && isSpace(s.charCodeAt(i))) {
          const w = s.charCodeAt(i);
          if (w === 10 || (w === 13 && s.charCodeAt(i + 1) !== 10)) nl++;
          i++;
        }
        if (i >= len) return final ? fail('unclosed tag', line) : lt;
        const c = s.charCodeAt(i);
        if (c === 62 /* > */) {
          i++;
          break;
        }
        if (c === 47 /* / */) {
          if (i + 1 >= len) return final ? fail('unclosed tag', line) : lt;
          if (s.charCodeAt(i + 1) !== 62) throw new XmlFail(`unexpected "/" in <${name}>`, line + nl);
          selfClosing = true;
          i += 2;
          break;
        }
        const ns = i;
        while (i < len && !NAME_END(s.charCodeAt(i))) i++;
        const ne = i;
        const known = fast ? knownAttr(s, ns, ne) : -1;
        while (i < len && isSpace(s.charCodeAt(i))) {
          const w = s.charCodeAt(i);
          if (w === 10 || (w === 13 && s.charCodeAt(i + 1) !== 10)) nl++;
          i++;
        }
        if (i >= len) return final ? fail('unclosed tag', line) : lt;
        if (s.charCodeAt(i) !== 61 /* = */ || (known === -1 && !RE_NAME.test(s.slice(ns, ne)))) {
          const an = s.slice(ns, ne);
          throw new XmlFail(`attribute ${an ? `"${an}" ` : ''}without a value in <${name}>`, line + nl);
        }
        i++;
        while (i < len && isSpace(s.charCodeAt(i))) {
          const w = s.charCodeAt(i);
          if (w === 10 || (w === 13 && s.charCodeAt(i + 1) !== 10)) nl++;
          i++;
        }
        if (i >= len) return final ? fail('unclosed tag', line) : lt;
        const q = s.charCodeAt(i);
        if (q !== 34 && q !== 39) throw new XmlFail(`unquoted value of attribute "${s.slice(ns, ne)}" in <${name}>`, line + nl);
        // one pass to the closing quote, noting what needs work: '<' (error), '&' (entities), tab/CR/LF (normalised)
        let ve = i + 1;
        let special = 0; // 1 = whitespace to normalise, 2 = entity
        for (; ve < len; ve++) {
          const ch = s.charCodeAt(ve);
          // (only quotes, "&", "<" and tab / LF / CR need a look: digits and letters, most of a value, go on at once)
          if (ch > 39 && ch !== 60) continue;
          if (ch === q) break;
          if (ch === 60) throw new XmlFail(`"<" inside the value of attribute "${s.slice(ns, ne)}"`, line + nl);
          if (ch === 38) special |= 2;
          else if (ch === 10) {
            nl++;
            special |= 1;
          } else if (ch === 13) {
            if (s.charCodeAt(ve + 1) !== 10) nl++; // a lone CR ends a line too
            special |= 1;
          } else if (ch === 9) special |= 1;
        }
        if (ve >= len) return final ? fail(`unclosed value of attribute "${s.slice(ns, ne)}"`, line + nl) : lt;
        let v = s.slice(i + 1, ve);
        if (special & 1) v = v.replace(/\r\n|[\t\n\r]/g, ' ');
        if (special & 2) v = decodeEntities(v, line + nl);
        if (known !== -1) {
          if (vals[known] !== undefined) throw new XmlFail(`duplicate attribute "${KNOWN[known]}" in <${name}>`, line + nl);
          vals[known] = v;
        } else {
          const an = s.slice(ns, ne);
          attrs ??= {};
          if (an in attrs) throw new XmlFail(`duplicate attribute "${an}" in <${name}>`, line + nl);
          attrs[an] = v;
        }
        i = ve + 1;
        const after = i < len ? s.charCodeAt(i) : -1;
        if (after !== -1 && !isSpace(after) && after !== 47 && after !== 62) throw new XmlFail(`missing space after attribute "${s.slice(ns, ne)}" in <${name}>`, line + nl);
      }
      if (!sawRoot) {
        if (rootClosed) throw new XmlFail('a second root element', tagLine);
        sawRoot = true;
        if (local !== 'dataValueSet') {
          throw ferryError('BAD_FILE', 'xml.wrongRoot', { file: fileName, line: tagLine, found: local, expected: 'dataValueSet' }, { file: fileName, line: tagLine });
        }
        pendingHeader = xmlHeader(attrs ?? {});
      } else if (stack.length === 0) {
        throw new XmlFail('a second root element', tagLine);
      } else if (fast) {
        const r = newRow(index++, tagLine);
        r.dataElement = vals[K.dataElement];
        r.period = vals[K.period];
        r.orgUnit = vals[K.orgUnit];
        r.categoryOptionCombo = vals[K.coc] || undefined;
        r.attributeOptionCombo = vals[K.aoc] || undefined;
        r.value = vals[K.value];
        r.storedBy = vals[K.storedBy] || undefined;
        r.comment = vals[K.comment];
        r.followup = parseBool(vals[K.followUp] ?? vals[K.followup]);
        r.deleted = parseBool(vals[K.deleted]);
        rows.push(r);
      }
      if (!selfClosing) {
        if (stack.length >= MAX_DEPTH) throw tooDeep(fileName, tagLine, 'XML elements are');
        stack.push(name);
      } else if (stack.length === 0) rootClosed = true;
      line += nl;
      pos = i;
      if (rows.length >= 1024) {
        batchFull = true;
        return pos;
      }
    }
    return pos;
  };
  const fail = (msg: string, ln: number): never => {
    throw new XmlFail(msg, ln);
  };
  const wrap = (e: unknown): never => {
    if (e instanceof XmlFail) throw ferryError('BAD_FILE', 'xml.malformed', { file: fileName, line: e.line, detail: e.message }, { file: fileName, line: e.line });
    throw e;
  };
  const flush = function* (): Generator<DataValueBatch> {
    if (rows.length || pendingHeader) {
      yield { header: pendingHeader, rows };
      pendingHeader = undefined;
      rows = [];
    }
  };
  // Decode up to the last '>' of each chunk and carry the rest as bytes, so that buf is almost always the decoded
  // string itself (flat): concatenating strings would make charCodeAt slow. A tag cut by a '>' inside an attribute
  // value still works through the (rare) string join below. Bytes without a '>' are carried only up to CARRY_MAX, then
  // decoded anyway (text cut anywhere is consumed up to a safe point, see textSafeEnd).
  //
  // Linear time whatever the input: what scan leaves (one unfinished tag, comment…, from `bufPos`) is scanned again
  // only once the text that arrived after it is at least as long as itself (that text waits in `waiting`), so every
  // byte is scanned a bounded number of times; an unfinished construct longer than MAX_DATA_TOKEN is refused. After
  // IDLE_BYTES that complete no row, an empty batch is yielded: the job checks for cancel between batches.
  const CARRY_MAX = 65536;
  let bufPos = 0;
  let carry: Buffer[] = [];
  let carryLen = 0;
  const waiting: string[] = [];
  let waitingLen = 0;
  // the line where the next chunk starts, for the message of a bad UTF-8 byte (counted only then)
  const chunkLine = (): number => line + lineEnds(buf.slice(bufPos)) + waiting.reduce((n, w) => n + lineEnds(w), 0);
  let quiet = 0; // bytes since the last yield
  const idle = function* (): Generator<DataValueBatch> {
    if (quiet >= IDLE_BYTES) {
      quiet = 0;
      yield { rows: [] };
    }
  };
  for await (const chunk of chunks) {
    const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    quiet += b.length;
    let cut = b.lastIndexOf(0x3e) + 1;
    if (cut === 0) {
      if (carryLen + b.length < CARRY_MAX) {
        carry.push(Buffer.from(b));
        carryLen += b.length;
        yield* idle();
        continue;
      }
      cut = b.length;
    }
    carry.push(b.subarray(0, cut));
    const bytes = carry.length === 1 ? carry[0]! : Buffer.concat(carry);
    carry = cut < b.length ? [Buffer.from(b.subarray(cut))] : [];
    carryLen = b.length - cut;
    utf8.setLineFn(chunkLine);
    const text = utf8.decode(bytes);
    const pending = buf.length - bufPos;
    if (pending > 0 && waitingLen + text.length < pending) {
      waiting.push(text);
      waitingLen += text.length;
      yield* idle();
      continue;
    }
    if (bufPos > 0) docStart = -1;
    buf = pending > 0 || waiting.length ? [buf.slice(bufPos), ...waiting.splice(0), text].join('') : text;
    waitingLen = 0;
    bufPos = 0;
    cr = -1;
    do {
      batchFull = false;
      try {
        bufPos = scan(false, bufPos);
      } catch (e) {
        return wrap(e);
      }
      for (const batch of flush()) {
        quiet = 0;
        yield batch;
      }
    } while (batchFull);
    if (buf.length - bufPos > MAX_DATA_TOKEN) throw tokenTooLong(fileName, line, constructAt(buf, bufPos), MAX_DATA_TOKEN);
    yield* idle();
  }
  utf8.setLineFn(chunkLine);
  const last = carry.length ? utf8.decode(carry.length === 1 ? carry[0]! : Buffer.concat(carry)) : '';
  const tail = utf8.decode(new Uint8Array(0), true);
  if (bufPos > 0) docStart = -1;
  buf = [buf.slice(bufPos), ...waiting, last, tail].join('');
  bufPos = 0;
  cr = -1;
  try {
    do {
      batchFull = false;
      bufPos = scan(true, bufPos);
      yield* flush();
    } while (batchFull);
    if (!sawRoot) throw new XmlFail('no root element', line);
    if (stack.length) throw new XmlFail(`unclosed tag <${stack[stack.length - 1]}> at the end of the file`, line);
  } catch (e) {
    return wrap(e);
  }
  yield* flush();
}
