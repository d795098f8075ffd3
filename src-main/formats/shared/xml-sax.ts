/**
 * Streaming XML through saxes, shared by the XML formats that need a general parser (ADX data, and the reference
 * reader the DXF2 data scanner is tested against). Bytes are decoded as strict UTF-8; malformed XML becomes a
 * BAD_FILE naming the file and line.
 */
import { SaxesParser } from 'saxes';
import { AppError } from '../../../src-shared/errors.ts';
import { StrictUtf8 } from '../data-value-row.ts';

/** The local part of a (possibly prefixed) element or attribute name. */
export const localName = (n: string): string => {
  const i = n.indexOf(':');
  return i === -1 ? n : n.slice(i + 1);
};

/**
 * Drives saxes over decoded chunks. `setup` registers the handlers, which push what they make into `out`; each
 * non-empty `out` is yielded (and `setup` called again with a fresh one). Errors become BAD_FILE with file and line.
 */
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
