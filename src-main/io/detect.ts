/** Format and kind sniffing from the first decompressed bytes (DESIGN §3 step 1): generic checks, then the registry's sniffs. */
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { ImportKind } from '../../src-shared/dhis2/options.ts';
import { FORMATS } from '../formats/registry.ts';
import { sniffHead, textStart } from '../formats/shared/sniff-head.ts';
import type { SniffHead } from '../formats/types.ts';

export interface Detected {
  /** the --format name ('json', 'xml', 'csv', 'adx', …) */
  format: string;
  kind: ImportKind;
  /** the registry id of the format module that recognised the file */
  module: string;
}

/** Throws BAD_FILE for text that is not UTF-8 (the encoding every DHIS2 exchange format uses). */
export function assertUtf8Head(head: Buffer, fileName: string): void {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw ferryError('BAD_FILE', 'file.utf16', { file: fileName }, { file: fileName });
  }
  refuseUtf16WithoutBom(head, fileName);
  // a multi-byte character may be cut at the end of the head: ignore the last 3 bytes
  const slice = head.length > 3 ? head.subarray(0, head.length - 3) : head;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(slice);
  } catch {
    const bad = firstInvalidUtf8(slice);
    throw ferryError('BAD_FILE', 'file.notUtf8', { file: fileName, line: bad.line }, { file: fileName, line: bad.line });
  }
}

function firstInvalidUtf8(buf: Buffer): { line: number } {
  let line = 1;
  const dec = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0x0a) line++;
    if (buf[i]! >= 0x80) {
      let ok = false;
      for (let len = 2; len <= 4 && !ok; len++) {
        try {
          dec.decode(buf.subarray(i, i + len));
          ok = true;
          i += len - 1;
        } catch {
          /* try longer */
        }
      }
      if (!ok) return { line };
    }
  }
  return { line };
}

/** The first strong sniff in registry order, else the first weak one. */
function sniffAll(head: SniffHead): Detected | null {
  let weak: Detected | null = null;
  for (const m of FORMATS) {
    const r = m.sniff?.(head);
    if (!r) continue;
    if (!r.weak) return { format: m.format, kind: r.kind, module: m.id };
    weak ??= { format: m.format, kind: r.kind, module: m.id };
  }
  return weak;
}

/** Sniffs the kind and format of a file from its first (decompressed) bytes, through the format registry. */
export function detectFormat(head: Buffer, fileName: string): Detected {
  // binary formats first (PDF, Access): their sniffs look at magic bytes only
  const binary = sniffAll(sniffHead(head, null));
  if (binary) return binary;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) assertUtf8Head(head, fileName);
  refuseUtf16WithoutBom(head, fileName);
  // an archive inside an archive (a zip entry that is itself a .zip or .gz): only the outer one is opened
  if ((head[0] === 0x1f && head[1] === 0x8b) || (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04)) {
    throw ferryError('BAD_FILE', 'file.archiveInArchive', { file: fileName, kind: head[0] === 0x1f ? 'gzip' : 'zip' }, { file: fileName });
  }
  // binary: NULs at the very start or more than a stray few (a text file may carry one in a comment)
  if (head.subarray(0, 16).includes(0) || countByte(head, 0) > head.length / 100) {
    throw ferryError('BAD_FILE', 'file.binary', { file: fileName }, { file: fileName });
  }
  assertUtf8Head(head, fileName);
  const s = textStart(head);
  if (!s) throw ferryError('BAD_FILE', 'file.blank', { file: fileName }, { file: fileName });
  const h = sniffHead(head, s);
  const found = sniffAll(h);
  if (found) return found;
  if (h.xmlRoot === '') {
    // "<", or only a prolog (declaration, comments, DOCTYPE) that the head holds whole or cut
    const rest = h.xmlBody.trim();
    if (rest === '' || rest === '<' || rest.startsWith('<?') || rest.startsWith('<!')) {
      const whole = head.length < 65536;
      throw ferryError('BAD_FILE', whole ? 'xml.endsBeforeRoot' : 'xml.noRootIn64k', { file: fileName }, { file: fileName, line: 1 });
    }
    throw ferryError('BAD_FILE', 'xml.noElementName', { file: fileName, found: JSON.stringify(rest.slice(0, 20)) }, { file: fileName, line: 1 });
  }
  if (h.xmlRoot !== null) {
    throw ferryError('BAD_FILE', 'detect.notDhis2Root', { file: fileName, root: h.xmlRoot }, { file: fileName, line: 1 });
  }
  if (s.startsWith('[')) throw ferryError('BAD_FILE', 'json.array', { file: fileName }, { file: fileName, line: 1 });
  if (h.firstLine.includes(',')) {
    throw ferryError('BAD_FILE', 'detect.csvUnknown', { file: fileName }, { file: fileName, line: 1 });
  }
  throw ferryError('BAD_FILE', 'detect.unknown', { file: fileName }, { file: fileName, line: 1 });
}

function refuseUtf16WithoutBom(head: Buffer, fileName: string): void {
  const utf16 = utf16WithoutBom(head);
  if (!utf16) return;
  throw ferryError('BAD_FILE', 'file.utf16NoBom', { file: fileName, encoding: utf16 }, { file: fileName });
}

/**
 * 'UTF-16LE' / 'UTF-16BE' when the head looks like UTF-16 text without a byte order mark: in its first bytes almost
 * every byte at odd (LE) or even (BE) positions is 0 and the others are not (ASCII text in UTF-16); else null.
 */
function utf16WithoutBom(head: Buffer): string | null {
  const n = Math.min(head.length, 1024) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++;
    if (head[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero >= pairs * 0.9 && evenZero <= pairs * 0.1) return 'UTF-16LE';
  if (evenZero >= pairs * 0.9 && oddZero <= pairs * 0.1) return 'UTF-16BE';
  return null;
}

function countByte(b: Buffer, v: number): number {
  let n = 0;
  for (let i = b.indexOf(v); i >= 0; i = b.indexOf(v, i + 1)) n++;
  return n;
}
