/**
 * Streaming XML through saxes, shared by the XML formats that need a general parser (ADX data, and the reference
 * reader the DXF2 data scanner is tested against). Bytes are decoded as strict UTF-8; malformed XML becomes a
 * BAD_FILE naming the file and line.
 */
import { SaxesParser } from 'saxes';
import { AppError } from '../../../src-shared/errors.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { StrictUtf8 } from '../data-value-row.ts';
import { IDLE_BYTES, MAX_DATA_TOKEN, MAX_DEPTH, tokenTooLong, tooDeep } from './limits.ts';

/** The local part of a (possibly prefixed) element or attribute name. */
export const localName = (n: string): string => {
  const i = n.indexOf(':');
  return i === -1 ? n : n.slice(i + 1);
};

type AnyHandler = (...args: unknown[]) => void;
/**
 * The events that end a construct: between two of them saxes holds one construct (text, tag, CDATA…) in memory. Not
 * 'comment': a comment handler makes saxes read long text 3 × slower (measured), so comments count with what follows.
 */
const MARKS = ['xmldecl', 'text', 'processinginstruction', 'doctype', 'opentag', 'closetag', 'cdata'] as const;

/**
 * Bounds what saxes holds and how deep it goes (limits.ts). saxes itself is linear in its input (measured on 32 MB
 * text nodes, attribute values and blank runs, see BENCHMARKS.md) but holds a whole text node, tag, comment or CDATA
 * section until it ends, and keeps every open element. The guard wraps the parser's handlers (register them after
 * calling it): each event that ends a construct notes the parser's position; `check(written)`, called after each
 * write with the characters written so far (saxes' own position is exact only inside handlers), refuses more than
 * `maxToken` characters since then (a construct too long, or blank space without end), naming the line it starts on. An element nested deeper than MAX_DEPTH is refused as it opens. Errors are AppError BAD_FILE
 * thrown from the handler or from check().
 */
export function guardSax(parser: SaxesParser<{ xmlns: false }>, fileName: string, maxToken: number): { check(written: number): void; depth(): number } {
  let last = 0;
  let lastLine = 1;
  let depth = 0;
  const handlers = new Map<string, AnyHandler>();
  const p = parser as unknown as { on(name: string, handler: AnyHandler): void };
  const on = p.on.bind(parser);
  for (const ev of MARKS) {
    on(ev, (...args: unknown[]) => {
      if (ev === 'opentag') {
        if (depth >= MAX_DEPTH) throw tooDeep(fileName, parser.line, 'xmlElements');
        depth++;
      } else if (ev === 'closetag') depth--;
      last = parser.position;
      lastLine = parser.line;
      handlers.get(ev)?.(...args);
    });
  }
  p.on = (name, handler) => {
    if ((MARKS as readonly string[]).includes(name)) handlers.set(name, handler);
    else on(name, handler);
  };
  return {
    check(written) {
      if (written - last > maxToken) {
        throw tokenTooLong(fileName, lastLine, 'xmlConstruct', maxToken);
      }
    },
    depth: () => depth,
  };
}

/**
 * Drives saxes over decoded chunks. `setup` registers the handlers, which push what they make into `out`; each
 * non-empty `out` is yielded (and `setup` called again with a fresh one). Errors become BAD_FILE with file and line.
 */
export async function* saxStream<T>(
  chunks: AsyncIterable<Uint8Array>,
  fileName: string,
  setup: (p: SaxesParser<{ xmlns: false }>, out: T[]) => void,
  maxToken = MAX_DATA_TOKEN,
): AsyncGenerator<T[]> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const guard = guardSax(parser, fileName, maxToken);
  const utf8 = new StrictUtf8(fileName);
  let out: T[] = [];
  setup(parser, out);
  const fail = (e: unknown): never => {
    if (e instanceof AppError) throw e;
    const msg = (e as Error).message ?? String(e);
    // saxes messages look like "undefined:3:17: unclosed tag: x"
    const m = /^[^:]*:(\d+):(\d+): (.*)$/s.exec(msg);
    const line = m ? Number(m[1]) : parser.line;
    throw ferryError('BAD_FILE', 'xml.malformed', { file: fileName, line, detail: m ? m[3]! : msg }, { file: fileName, line });
  };
  // feed saxes 64K characters at a time and hand rows over in small batches: they die young (cheap GC); after
  // IDLE_BYTES without a row, an empty batch goes out anyway (the job checks for cancel between batches)
  const PIECE = 65536;
  let quiet = 0;
  let written = 0;
  for await (const chunk of chunks) {
    utf8.setLine(parser.line);
    const s = utf8.decode(chunk);
    for (let i = 0; i < s.length; i += PIECE) {
      try {
        parser.write(s.length <= PIECE ? s : s.slice(i, i + PIECE));
      } catch (e) {
        fail(e);
      }
      const n = Math.min(PIECE, s.length - i);
      written += n;
      guard.check(written);
      quiet += n;
      if (out.length || quiet >= IDLE_BYTES) {
        quiet = 0;
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
