/** The views of a file's first bytes that format sniffs share (computed once per file by io/detect.ts). */
import type { SniffHead } from '../types.ts';

/** Text of the first 8 KB without BOM and leading blank space. */
export function textStart(head: Buffer): string {
  let s = head.subarray(0, 8192).toString('utf8');
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  return s.replace(/^\s+/, '');
}

/** `text` is null for binary heads (sniffs that look at magic bytes still get `bytes`). */
export function sniffHead(bytes: Buffer, text: string | null): SniffHead {
  let xmlRoot: string | null = null;
  let xmlBody = '';
  if (text?.startsWith('<')) {
    // skip prolog, comments and doctype to the root element name;
    // a DOCTYPE may hold an internal subset in [...] (entity declarations: refused later by the readers)
    xmlBody = text.replace(/^(<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^[>]*(\[[\s\S]*?\]\s*)?>\s*)*/i, '');
    xmlRoot = /^<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(xmlBody)?.[2] ?? '';
  }
  const firstLine = text ? (text.split(/\r?\n/, 1)[0] ?? '') : '';
  return { bytes, text, xmlRoot, xmlBody, firstLine };
}

/** A JSON object head whose first key is one of `keys`. */
export function jsonFirstKeyIn(text: string | null, keys: readonly string[]): boolean {
  if (!text?.startsWith('{')) return false;
  const m = /^\{\s*"([^"\\]*)"/.exec(text.slice(0, 8192));
  return !!m && keys.includes(m[1]!);
}
