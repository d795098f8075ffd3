/**
 * A hand-written streaming JSON scanner, shared by the JSON readers that must not hold a file in memory (DXF2 data
 * value sets today; events and tracker JSON next). It knows JSON, not DHIS2: a reader gives it a `JsonHandler` that
 * decides what each container is (its "role", any number the reader likes) and receives the scalars.
 *
 * - Scalars keep their exact source text: a number is the text as written (`1.10` stays `1.10`, no rounding),
 *   `true`/`false` are those words, JSON null is `null` (the JS value). Strings are unescaped.
 * - Syntax is checked as strictly as `JSON.parse` (tested against it): an error is a BAD_FILE naming the file, line and
 *   column ("malformed JSON at column …"); valid JSON of the wrong shape uses `shapeError` ("line L, column C: …").
 * - Input arrives as bytes (strict UTF-8, `StrictUtf8`), is decoded up to the last "}" of what has arrived, and the
 *   rest is carried as bytes: the scan then almost always stops exactly at the end and the text is the decoder's own
 *   flat string (a joined string makes charCodeAt several times slower).
 * - Speed: the general machine below costs a few calls per token. A reader with many flat objects of scalars (data
 *   values, events' data values) marks their container's role as `fastRole` and reads each one whole with
 *   `readFlatObject` into slots found through a `KeySlots` table (no string allocated for a known key).
 */
import { AppError } from '../../../src-shared/errors.ts';
import { StrictUtf8 } from '../data-value-row.ts';
import { IDLE_BYTES, LONE_SURROGATE, MAX_DATA_TOKEN, MAX_DEPTH, tokenTooLong } from './limits.ts';

/** container kinds */
export const OBJ = 0;
export const ARR = 1;

/** a token is cut by the end of the text that has arrived */
export const MORE = -1;
/** the flat-object path cannot read this object (a nested value, or an error to report precisely) */
export const SLOW = -2;

// states: what a container expects next
const S_KEY_OR_END = 0;
const S_KEY = 1;
const S_COLON = 2;
const S_VALUE = 3;
const S_OBJ_NEXT = 4;
const S_ELEM_OR_END = 5;
const S_ELEM = 6;
const S_ARR_NEXT = 7;

/** A syntax error (or, with `shape`, valid JSON the reader refuses) at a position of the scanner's text. */
export class JsonFail extends Error {
  constructor(
    message: string,
    readonly pos: number,
    /** valid JSON, but not what the reader expects */
    readonly shape = false,
  ) {
    super(message);
  }
}

/** How a character is named in messages. */
export function showChar(c: number): string {
  if (Number.isNaN(c)) return 'end of file';
  if (c < 32 || c === 127) return `character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${String.fromCharCode(c)}"`;
}

/** What a reader tells the scanner. Inside the callbacks, `depth`, `roles` and `keys` describe where the scan is. */
export interface JsonHandler {
  /** Called at the first character of the document (may refuse it, e.g. a root that must be an object). */
  root(p: number, c: number): void;
  /**
   * A container (OBJ or ARR) opens at text position p, as the value of `keys[depth - 1]` (objects) or an element
   * (arrays) of the container at `depth - 1`, or as the root (depth 0). Returns the role it is given.
   */
  open(kind: number, p: number): number;
  /** The container of `role` closed. */
  close(role: number): void;
  /**
   * A scalar (source text; null for JSON null) at text position p, inside the container at `depth - 1`. Its kind is
   * `s.charCodeAt(p)`: '"' a string, 't'/'f' a boolean, '-' or a digit a number.
   */
  scalar(p: number, value: string | null): void;
  /**
   * A "{" at p, a value inside a container whose role is `fastRole`: read it with `readFlatObject` and return the
   * position after it, MORE or SLOW (then the general machine reads it: `open`, `scalar`…, `close`).
   */
  fastObject(p: number): number;
}

/** Object keys → slots, looked up straight from the text without allocating the key. */
export class KeySlots {
  /** by key length: the keys of that length */
  private readonly byLength: ({ key: string; first: number; slot: number }[] | undefined)[];
  private readonly map = new Map<string, number>();
  constructor(readonly keys: readonly string[]) {
    this.byLength = Array.from({ length: Math.max(0, ...keys.map((k) => k.length)) + 1 }, () => undefined);
    keys.forEach((key, slot) => {
      this.map.set(key, slot);
      (this.byLength[key.length] ??= []).push({ key, first: key.charCodeAt(0), slot });
    });
  }
  /** The slot of the key written without escapes in s[a, b), or -1. */
  at(s: string, a: number, b: number): number {
    const n = b - a;
    if (n >= this.byLength.length) return -1;
    const list = this.byLength[n];
    if (list === undefined) return -1;
    const c = s.charCodeAt(a);
    for (let k = 0; k < list.length; k++) {
      const e = list[k]!;
      if (e.first === c && s.startsWith(e.key, a)) return e.slot;
    }
    return -1;
  }
  /** The slot of an (unescaped) key, or -1. */
  of(key: string): number {
    return this.map.get(key) ?? -1;
  }
}

export class JsonScanner {
  /** the decoded text being scanned, and its length */
  s = '';
  len = 0;
  /** no more input will come */
  final = false;
  /** the line at the scan position, and where in `s` it starts (negative: in text already let go) */
  line = 1;
  lineStart = 0;
  /** the token just read: a string's value, a number's source text, or the word (`tokNull` for null) */
  tok = '';
  tokNull = false;
  /** the line an object read by `readFlatObject` starts on */
  objLine = 0;
  /** set by the handler to make `scan` return at the next token (a batch is full) */
  paused = false;
  /** the role whose "{" values go to `handler.fastObject` (-1: none) */
  fastRole = -1;
  // the container stack
  depth = 0;
  readonly roles: number[] = [];
  readonly keys: string[] = [];
  private readonly states: number[] = [];
  sawRoot = false;
  rootDone = false;
  private deferred: JsonFail | null = null;
  private deferredDepth = 0;
  private readonly utf8: StrictUtf8;
  private handler!: JsonHandler;
  /** where the scan of `s` got to (feed) */
  private pos = 0;
  /** a token cut by the end of the text (a long string): wait until as much text again has arrived (linear time) */
  private waitFor = 0;

  /** `maxToken`: the longest string or number accepted (see limits.ts) */
  constructor(
    readonly fileName: string,
    readonly maxToken = MAX_DATA_TOKEN,
  ) {
    this.utf8 = new StrictUtf8(fileName);
  }

  setHandler(h: JsonHandler): void {
    this.handler = h;
  }

  fail(msg: string, pos: number): never {
    throw new JsonFail(msg, pos);
  }
  /** Refuses valid JSON of the wrong shape at once. */
  shapeError(msg: string, pos: number): never {
    throw new JsonFail(msg, pos, true);
  }
  /** Refuses the container being opened once it has been read (so a syntax error inside it is reported first). */
  shapeErrorAfter(msg: string, pos: number): void {
    if (!this.deferred) {
      this.deferred = new JsonFail(msg, pos, true);
      this.deferredDepth = this.depth;
    }
  }
  eof(pos: number): never {
    return this.fail('unexpected end of file (the file is incomplete)', pos);
  }

  /** s[p] is '"': reads a string into `tok`; returns the position after it, or MORE. */
  readString(p: number): number {
    const s = this.s;
    const len = this.len;
    let i = p + 1;
    let start = i;
    let out: string | null = null;
    for (;;) {
      if (i >= len) return MORE;
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.tok = out === null ? s.slice(start, i) : out + s.slice(start, i);
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
              if (d < 0) this.fail(`invalid \\u escape in a string: ${showChar(h)} is not a hexadecimal digit`, i + k);
              code = code * 16 + d;
            }
            if (code >= 0xd800 && code <= 0xdfff) {
              // a surrogate must be a high one followed by the escape of a low one: a lone half has no UTF-8 form
              if (code >= 0xdc00) this.fail(LONE_SURROGATE, i);
              const j = i + 6;
              if (j + 1 >= len) return MORE;
              if (s.charCodeAt(j) !== 92 || s.charCodeAt(j + 1) !== 117) this.fail(LONE_SURROGATE, i);
              let low = 0;
              for (let k = 2; k < 6; k++) {
                if (j + k >= len) return MORE;
                const h = s.charCodeAt(j + k);
                const d = h >= 48 && h <= 57 ? h - 48 : h >= 97 && h <= 102 ? h - 87 : h >= 65 && h <= 70 ? h - 55 : -1;
                if (d < 0) this.fail(`invalid \\u escape in a string: ${showChar(h)} is not a hexadecimal digit`, j + k);
                low = low * 16 + d;
              }
              if (low < 0xdc00 || low > 0xdfff) this.fail(LONE_SURROGATE, i);
              out += String.fromCharCode(code, low);
              i += 12;
              start = i;
              continue;
            }
            out += String.fromCharCode(code);
            i += 6;
            start = i;
            continue;
          }
          default:
            return this.fail(`invalid escape "\\${String.fromCharCode(e)}" in a string`, i + 1);
        }
        out += ch;
        i += 2;
        start = i;
        continue;
      }
      if (c < 32) return this.fail(`${showChar(c)} inside a string (control characters must be escaped)`, i);
      i++;
    }
  }

  /** s[p] is '-' or a digit: reads a number's source text into `tok`; returns the position after it, or MORE. */
  readNumber(p: number): number {
    const s = this.s;
    const len = this.len;
    const final = this.final;
    let i = p;
    if (s.charCodeAt(i) === 45) i++;
    if (i >= len) return final ? this.eof(i) : MORE;
    let c = s.charCodeAt(i);
    if (c === 48) i++;
    else if (c >= 49 && c <= 57) {
      i++;
      while (i < len && isDigit(s.charCodeAt(i))) i++;
    } else return this.fail(`invalid number: ${showChar(c)} after "-"`, i);
    if (i < len && s.charCodeAt(i) === 46) {
      i++;
      if (i >= len) return final ? this.eof(i) : MORE;
      if (!isDigit(s.charCodeAt(i))) return this.fail(`invalid number: ${showChar(s.charCodeAt(i))} after "."`, i);
      while (i < len && isDigit(s.charCodeAt(i))) i++;
    }
    if (i < len && ((c = s.charCodeAt(i)) === 101 || c === 69)) {
      i++;
      if (i < len && ((c = s.charCodeAt(i)) === 43 || c === 45)) i++;
      if (i >= len) return final ? this.eof(i) : MORE;
      if (!isDigit(s.charCodeAt(i))) return this.fail(`invalid number: ${showChar(s.charCodeAt(i))} in the exponent`, i);
      while (i < len && isDigit(s.charCodeAt(i))) i++;
    }
    if (i >= len && !final) return MORE;
    this.tok = s.slice(p, i);
    return i;
  }

  /** s[p] starts true/false/null: checks the word; returns the position after it, or MORE. */
  readWord(p: number, word: string): number {
    const s = this.s;
    for (let k = 0; k < word.length; k++) {
      if (p + k >= this.len) return this.final ? this.eof(p + k) : MORE;
      if (s.charCodeAt(p + k) !== word.charCodeAt(k)) return this.fail(`unexpected ${showChar(s.charCodeAt(p + k))}`, p + k);
    }
    return p + word.length;
  }

  /** Reads a scalar at s[p] into `tok` (`tokNull` for JSON null); returns the position after it, or MORE. */
  readScalar(p: number): number {
    const c = this.s.charCodeAt(p);
    this.tokNull = false;
    if (c === 34) return this.readString(p);
    if (c === 45 || (c >= 48 && c <= 57)) return this.readNumber(p);
    if (c === 116) {
      this.tok = 'true';
      return this.readWord(p, 'true');
    }
    if (c === 102) {
      this.tok = 'false';
      return this.readWord(p, 'false');
    }
    if (c === 110) {
      this.tokNull = true;
      return this.readWord(p, 'null');
    }
    return this.fail(`unexpected ${showChar(c)} where a value was expected`, p);
  }

  /** Skips JSON whitespace from s[i], counting lines; returns the first other position. */
  skipWs(i: number): number {
    const s = this.s;
    const len = this.len;
    while (i < len) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13) i++;
      else if (c === 10) {
        this.line++;
        i++;
        this.lineStart = i;
      } else break;
    }
    return i;
  }

  /**
   * Reads a flat object at s[p] ("{"): each member whose key has a slot in `keys` puts its scalar in `slots` (source
   * text, null for JSON null); other members are skipped when scalar. Returns the position after the object (its line
   * in `objLine`), MORE when it is cut by the end of the text, or SLOW (nothing consumed: a nested value or a syntax
   * error, which the general machine then reads or reports precisely). `slots` is cleared first.
   */
  readFlatObject(p: number, keys: KeySlots, slots: (string | null | undefined)[]): number {
    const s = this.s;
    const len = this.len;
    const line0 = this.line;
    const lineStart0 = this.lineStart;
    for (let k = 0; k < slots.length; k++) slots[k] = undefined;
    let i = p + 1;
    let first = true;
    let r = SLOW;
    for (;;) {
      i = this.skipWs(i);
      if (i >= len) {
        r = MORE;
        break;
      }
      let c = s.charCodeAt(i);
      if (c === 125 && first) {
        this.objLine = line0;
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
        slot = keys.at(s, i + 1, ke);
        i = ke + 1;
      } else {
        const e = this.readString(i);
        if (e === MORE) {
          r = MORE;
          break;
        }
        slot = keys.of(this.tok);
        i = e;
      }
      i = this.skipWs(i);
      if (i >= len) {
        r = MORE;
        break;
      }
      if (s.charCodeAt(i) !== 58) break;
      i = this.skipWs(i + 1);
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
          const e = this.readString(i);
          if (e === MORE) {
            r = MORE;
            break;
          }
          if (slot !== -1) slots[slot] = this.tok;
          i = e;
        }
      } else if (c === 123 || c === 91) {
        break; // nested: the general machine skips it (or the reader refuses it)
      } else {
        const e = this.readScalar(i);
        if (e === MORE) {
          r = MORE;
          break;
        }
        if (slot !== -1) slots[slot] = this.tokNull ? null : this.tok;
        i = e;
      }
      first = false;
      i = this.skipWs(i);
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
        this.objLine = line0;
        return i + 1;
      }
      break; // anything else: the general machine reports it precisely
    }
    this.line = line0;
    this.lineStart = lineStart0;
    return r === MORE && !this.final ? MORE : SLOW;
  }

  private open(kind: number, p: number): void {
    const d = this.depth;
    if (d >= MAX_DEPTH) throw new JsonFail(`arrays and objects are nested more than ${MAX_DEPTH} levels deep; DHIS2 files nest about 10 levels, so the file is damaged or not a DHIS2 file`, p, true);
    const role = this.handler.open(kind, p);
    this.roles[d] = role;
    this.states[d] = kind === OBJ ? S_KEY_OR_END : S_ELEM_OR_END;
    this.keys[d] = '';
    this.depth = d + 1;
  }

  private close(): void {
    const d = --this.depth;
    if (this.deferred && d === this.deferredDepth) throw this.deferred;
    this.handler.close(this.roles[d]!);
    if (d === 0) this.rootDone = true;
  }

  /** Scans the text from `start` until it ends or `paused` is set; returns the position up to which it was consumed. */
  scan(start: number): number {
    const s = this.s;
    const len = this.len;
    const states = this.states;
    const h = this.handler;
    let p = start;
    for (;;) {
      p = this.skipWs(p);
      if (p >= len || this.paused) return p;
      const c = s.charCodeAt(p);
      if (this.depth === 0) {
        if (this.rootDone) this.fail(`unexpected ${showChar(c)} after the end of the JSON document`, p);
        h.root(p, c);
        if (c !== 123 && c !== 91) this.shapeError('the document must be a JSON object or array', p);
        this.sawRoot = true;
        this.open(c === 123 ? OBJ : ARR, p);
        p++;
        continue;
      }
      const d = this.depth - 1;
      const st = states[d]!;
      switch (st) {
        case S_KEY_OR_END:
        case S_KEY: {
          if (c === 125 && st === S_KEY_OR_END) {
            this.close();
            p++;
            continue;
          }
          if (c !== 34) this.fail(`unexpected ${showChar(c)} where ${st === S_KEY ? 'a field name' : 'a field name or "}"'} was expected`, p);
          const e = this.readString(p);
          if (e === MORE) return this.final ? this.eof(len) : p;
          this.keys[d] = this.tok;
          states[d] = S_COLON;
          p = e;
          continue;
        }
        case S_COLON:
          if (c !== 58) this.fail(`unexpected ${showChar(c)} where ":" was expected`, p);
          states[d] = S_VALUE;
          p++;
          continue;
        case S_VALUE:
        case S_ELEM_OR_END:
        case S_ELEM: {
          if (c === 93 && st === S_ELEM_OR_END) {
            this.close();
            p++;
            continue;
          }
          const next = st === S_VALUE ? S_OBJ_NEXT : S_ARR_NEXT;
          if (c === 123 || c === 91) {
            if (c === 123 && this.roles[d] === this.fastRole) {
              const e = h.fastObject(p);
              if (e >= 0) {
                states[d] = next;
                p = e;
                continue;
              }
              // cut by the end of the text: wait for the rest, unless the object is long already (then the general
              // machine reads it token by token, so that only one token is ever held back)
              if (e === MORE && len - p <= FLAT_MAX) return p;
            }
            states[d] = next;
            this.open(c === 123 ? OBJ : ARR, p);
            p++;
            continue;
          }
          const e = this.readScalar(p);
          if (e === MORE) return this.final ? this.eof(len) : p;
          states[d] = next;
          h.scalar(p, this.tokNull ? null : this.tok);
          p = e;
          continue;
        }
        case S_OBJ_NEXT:
          if (c === 44) states[d] = S_KEY;
          else if (c === 125) this.close();
          else this.fail(`unexpected ${showChar(c)} where "," or "}" was expected`, p);
          p++;
          continue;
        default:
          if (c === 44) states[d] = S_ELEM;
          else if (c === 93) this.close();
          else this.fail(`unexpected ${showChar(c)} where "," or "]" was expected`, p);
          p++;
          continue;
      }
    }
  }

  /** Turns a JsonFail into a BAD_FILE naming the file, line and column; anything else is rethrown. */
  located(e: unknown): never {
    if (!(e instanceof JsonFail)) throw e;
    // line and column of e.pos: newlines are only in whitespace, counted up to where the scan got
    const buf = this.s;
    let ln = this.line;
    let ls = this.lineStart;
    for (let k = buf.indexOf('\n', Math.max(ls, 0)); k !== -1 && k < e.pos; k = buf.indexOf('\n', k + 1)) {
      ln++;
      ls = k + 1;
    }
    const column = e.pos - ls + 1;
    const file = this.fileName;
    const text = e.shape ? `${file}, line ${ln}, column ${column}: ${e.message}` : `${file}, line ${ln}: malformed JSON at column ${column} (${e.message})`;
    throw new AppError('BAD_FILE', text, { file, line: ln, column });
  }

  /**
   * Scans the chunks through, yielding what `take` returns after each stretch of scanning (when the handler paused
   * the scan, or the text that has arrived is used up). Afterwards call `end`.
   */
  async *feed<T>(chunks: AsyncIterable<Uint8Array>, take: () => T | undefined, idle?: () => T): AsyncGenerator<T> {
    // bytes after the last "}" wait in `carry` (up to CARRY_MAX, then they are decoded anyway: the decoder streams);
    // while a long token is cut, bytes wait until as many have arrived as the token holds (`waitFor`), so each byte is
    // scanned a bounded number of times. After IDLE_BYTES without anything to yield, `idle()` is yielded: the job checks
    // for cancel then.
    const CARRY_MAX = 65536;
    const carry: Buffer[] = [];
    let carryLen = 0;
    let quiet = 0; // bytes since the last yield
    for await (const chunk of chunks) {
      const b = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      quiet += b.length;
      let cut = b.lastIndexOf(0x7d) + 1;
      if (cut === 0 && carryLen + b.length >= CARRY_MAX) cut = b.length;
      if (cut === 0 || carryLen + cut < this.waitFor) {
        carry.push(Buffer.from(b));
        carryLen += b.length;
        if (idle && quiet >= IDLE_BYTES) {
          quiet = 0;
          yield idle();
        }
        continue;
      }
      const bytes = carry.splice(0, carry.length);
      bytes.push(b.subarray(0, cut));
      carryLen = 0;
      if (cut < b.length) {
        carry.push(Buffer.from(b.subarray(cut)));
        carryLen = b.length - cut;
      }
      this.load(bytes, false);
      for (const t of this.run(take)) {
        quiet = 0;
        yield t;
      }
      if (idle && quiet >= IDLE_BYTES) {
        quiet = 0;
        yield idle();
      }
    }
    this.load(carry, true);
    this.final = true;
    yield* this.run(take);
  }

  private *run<T>(take: () => T | undefined): Generator<T> {
    do {
      this.paused = false;
      try {
        this.pos = this.scan(this.pos);
      } catch (e) {
        this.located(e);
      }
      const t = take();
      if (t !== undefined) yield t;
    } while (this.paused);
    const rest = this.len - this.pos;
    if (rest > this.maxToken) {
      const c = this.s.charCodeAt(this.pos);
      const what = c === 34 ? 'a JSON string is' : c === 45 || (c >= 48 && c <= 57) ? 'a JSON number is' : 'one JSON value is';
      throw tokenTooLong(this.fileName, this.line, what, this.maxToken);
    }
    this.waitFor = rest;
  }

  /**
   * Decodes the next bytes after what is left of `s`. When a token is cut, its text is encoded again and decoded with
   * the next bytes (rare, and short).
   */
  private load(bytes: Buffer[], last: boolean): void {
    const pos = this.pos;
    if (pos < this.len) bytes.unshift(Buffer.from(this.s.slice(pos), 'utf8'));
    const body = bytes.length === 1 ? bytes[0]! : Buffer.concat(bytes);
    this.utf8.setLine(this.line);
    const text = this.utf8.decode(body, last);
    this.lineStart -= pos;
    this.s = text;
    this.len = text.length;
    this.pos = 0;
  }

  /** After `feed`: refuses a document cut short. Returns whether there was a document at all (not only blank). */
  end(): boolean {
    if (!this.sawRoot) return false;
    try {
      if (this.depth > 0) this.eof(this.len);
    } catch (e) {
      this.located(e);
    }
    return true;
  }
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** A flat object cut by the end of the text longer than this is read by the general machine instead. */
const FLAT_MAX = 65536;
