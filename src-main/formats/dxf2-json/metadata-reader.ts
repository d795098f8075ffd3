/**
 * DXF2 JSON metadata reader (pure, streaming). Turns `{"dataElements": [ {...}, … ], "organisationUnits": [...], …}`
 * into records `{type, index, object}` in file order, one object at a time, and reports every top-level key with the
 * kind of its value (so unknown keys can be reported rather than dropped). Syntax errors become AppError BAD_FILE
 * naming the file, line and column.
 *
 * Built on @streamparser/json (the synchronous core that @streamparser/json-node wraps in Node streams): the tokenizer
 * and token parser are wired by hand so the reader knows each token's byte offset (for line/column) and the current
 * top-level key.
 *
 * Limits (shared/limits.ts): @streamparser/json is linear in its input (measured on 32 MB strings and blank runs, see
 * BENCHMARKS.md) but holds a string or number until it ends, and would rebuild arrays nested without end (200,000
 * levels overflowed the stack further on): a string or number longer than MAX_METADATA_TOKEN and nesting deeper than
 * MAX_DEPTH are refused, and so is a lone UTF-16 surrogate escape ("\ud800" alone), which the library keeps as
 * JSON.parse does but which has no UTF-8 form to store.
 */
import { isUtf8 } from 'node:buffer';
import { Tokenizer, TokenParser, TokenType } from '@streamparser/json';
import { AppError } from '../../../src-shared/errors.ts';
import type { ErrorKey, ErrorParams } from '../../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { METADATA_TYPES } from '../../../src-shared/dhis2/schema/registry.ts';
import type { MetadataReadInfo, MetadataRecord, ReadOptions, TopLevelKey } from '../shared/metadata-record.ts';
import { MAX_DEPTH, MAX_METADATA_TOKEN, hasLoneSurrogate, tokenTooLong } from '../shared/limits.ts';

class LineCounter {
  private lines = 0; // newlines in bytes before `start`
  private start = 0;
  private lastNl = -1; // absolute offset of the last newline before `start`
  private chunk: Buffer = Buffer.alloc(0);
  setChunk(c: Buffer): void {
    // account the previous chunk
    for (let i = this.chunk.indexOf(10); i >= 0; i = this.chunk.indexOf(10, i + 1)) {
      this.lines++;
      this.lastNl = this.start + i;
    }
    this.start += this.chunk.length;
    this.chunk = c;
  }
  at(offset: number): { line: number; column: number } {
    let line = this.lines + 1;
    let lastNl = this.lastNl;
    const rel = Math.min(offset - this.start, this.chunk.length);
    for (let i = 0; i < rel; i++) {
      if (this.chunk[i] === 10) {
        line++;
        lastNl = this.start + i;
      }
    }
    return { line, column: Math.max(1, offset - lastNl) };
  }
}

/** Streaming UTF-8 validation without decoding (buffer.isUtf8), carrying a sequence cut at a chunk's end. */
class Utf8Check {
  private carry: Buffer | null = null;
  check(chunk: Buffer): boolean {
    let b = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    // keep an incomplete multi-byte sequence at the end for the next chunk
    let cut = b.length;
    for (let k = 1; k <= 3 && k <= b.length; k++) {
      const c = b[b.length - k]!;
      if (c < 0x80) break;
      if (c >= 0xc0) {
        const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        if (need > k) cut = b.length - k;
        break;
      }
    }
    if (cut < b.length) {
      this.carry = Buffer.from(b.subarray(cut));
      b = b.subarray(0, cut);
    }
    return isUtf8(b);
  }
}

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function* readDxf2JsonMetadata(
  chunks: AsyncIterable<Buffer>,
  fileName: string,
  info: MetadataReadInfo,
  opts: ReadOptions = {},
): AsyncGenerator<MetadataRecord> {
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: ['$.*.*'], keepStack: false });
  const lc = new LineCounter();
  const utf8 = new Utf8Check();
  const queue: MetadataRecord[] = [];
  let depth = 0;
  let expectKey = false;
  let expectValueKind = false;
  let rootSeen = false;
  let current: TopLevelKey | null = null;
  let lastOffset = 0;
  let total = 0;
  // bytes of blank chunks not given to the tokenizer (between tokens they carry nothing): keeps offsets exact
  let skipped = 0;
  let failure: AppError | null = null;

  const fail = (key: ErrorKey, offset: number, params: ErrorParams = {}): AppError => {
    const { line, column } = lc.at(offset);
    return ferryError('BAD_FILE', key, { file: fileName, line, column, ...params }, { file: fileName, line, column });
  };

  const refuseDeep = (offset: number): void => {
    const { line, column } = lc.at(offset);
    failure = ferryError('BAD_FILE', 'limits.tooDeepAt', { file: fileName, line, column, what: 'jsonArraysObjects', depth: MAX_DEPTH }, { file: fileName, line, column });
  };
  tokenizer.onToken = (t) => {
    if (failure) return;
    lastOffset = t.offset + skipped;
    const tok = t.token;
    if (tok === TokenType.STRING && hasLoneSurrogate(t.value as string)) {
      failure = fail('json.loneSurrogate', t.offset);
      return;
    }
    if (depth > 1) {
      // inside an item: only nesting matters here (the hot path)
      if (tok === TokenType.LEFT_BRACE || tok === TokenType.LEFT_BRACKET) {
        if (++depth > MAX_DEPTH) return refuseDeep(t.offset);
      } else if (tok === TokenType.RIGHT_BRACE || tok === TokenType.RIGHT_BRACKET) depth--;
      parser.write(t);
      return;
    }
    if (!rootSeen) {
      rootSeen = true;
      if (tok !== TokenType.LEFT_BRACE) {
        failure = fail('json.metadataNotObject', t.offset);
        return;
      }
    }
    if (depth === 1) {
      if (expectKey && tok === TokenType.STRING) {
        current = { key: String(t.value), kind: 'scalar', count: 0 };
        info.keys.push(current);
        expectKey = false;
      } else if (tok === TokenType.COLON) {
        expectValueKind = true;
      } else if (expectValueKind && current) {
        current.kind = tok === TokenType.LEFT_BRACKET ? 'array' : tok === TokenType.LEFT_BRACE ? 'object' : 'scalar';
        expectValueKind = false;
      } else if (tok === TokenType.COMMA) {
        expectKey = true;
      }
    }
    if (tok === TokenType.LEFT_BRACE || tok === TokenType.LEFT_BRACKET) {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (tok === TokenType.RIGHT_BRACE || tok === TokenType.RIGHT_BRACKET) depth--;
    parser.write(t);
  };
  tokenizer.onError = (e) => {
    if (failure) return;
    const m = /absolute position "(\d+)"/.exec(e.message);
    const at = m ? Number(m[1]) + skipped : lastOffset;
    const ch = /Unexpected "(.*?)"/.exec(e.message)?.[1];
    failure = ch !== undefined ? fail('json.unexpectedChar', at, { found: ch }) : fail('json.invalid', at, { detail: e.message });
  };
  parser.onError = (e) => {
    if (failure) return;
    failure = /ended in mid-parsing/.test(e.message)
      ? fail('json.endsEarly', total)
      : fail('json.invalidStructure', lastOffset, { detail: e.message.replace(/ in state .*/, '') });
  };
  parser.onValue = ({ value }) => {
    if (failure || !current || current.kind !== 'array') return;
    const index = current.count++;
    if (!isPlainObject(value)) {
      // envelope arrays such as "date": [2016, 1, 8] are not metadata; a metadata type must hold objects
      if (METADATA_TYPES[current.key]) failure = fail('json.itemNotObject', lastOffset, { list: current.key, index });
      return;
    }
    queue.push({ type: current.key, index, object: value });
  };
  parser.onEnd = () => undefined;
  tokenizer.onEnd = () => undefined;

  const tokenizerIdle = (): boolean => (tokenizer as unknown as { state: number }).state === 0;
  // a string, number or literal cut by the end of the bytes so far (tokenizer states TRUE1 … NUMBER_AFTER_E_AND_DIGIT)
  const inToken = (): boolean => {
    const st = (tokenizer as unknown as { state: number }).state;
    return st >= 3 && st <= 27;
  };
  // the (lower bound of the) offset where the token in progress started: the last token's start, or the start of the
  // chunk after which it was first seen in progress while that was still the last token
  let tokenFrom = -1;
  let tokenAfter = -1;
  let first = true;
  for await (let chunk of chunks) {
    if (first) {
      first = false;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    lc.setChunk(chunk);
    if (!utf8.check(chunk)) {
      throw fail('json.notUtf8', total);
    }
    if (rootSeen && tokenizerIdle() && isBlank(chunk)) {
      skipped += chunk.length;
      total += chunk.length;
      opts.onBytes?.(total);
      continue;
    }
    const chunkStart = total;
    try {
      tokenizer.write(chunk);
    } catch (e) {
      if (!failure) failure = fail('json.invalid', lastOffset, { detail: (e as Error).message });
    }
    total += chunk.length;
    if (!failure && inToken()) {
      if (tokenAfter !== lastOffset) {
        tokenAfter = lastOffset;
        tokenFrom = Math.max(lastOffset, chunkStart);
      }
      // strings and numbers hold no line break: the line at the end of the chunk is the token's line
      if (total - tokenFrom > MAX_METADATA_TOKEN) failure = tokenTooLong(fileName, lc.at(total).line, 'jsonStringOrNumber', MAX_METADATA_TOKEN);
    }
    if (failure) throw failure;
    while (queue.length) yield queue.shift()!;
    opts.onBytes?.(total);
  }
  if (!rootSeen) throw ferryError('BAD_FILE', 'file.empty', { file: fileName }, { file: fileName });
  try {
    tokenizer.end();
  } catch (e) {
    if (!failure) failure = fail('json.invalid', total, { detail: (e as Error).message });
  }
  if (!failure && (depth !== 0 || !parser.isEnded)) {
    try {
      parser.end();
    } catch {
      /* reported through onError */
    }
    if (!failure) failure = fail('json.endsEarly', total);
  }
  if (failure) throw failure;
  while (queue.length) yield queue.shift()!;
}
