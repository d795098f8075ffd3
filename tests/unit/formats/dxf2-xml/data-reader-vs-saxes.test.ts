/**
 * Seeded random differential test of Ferry's hand-written DXF2 XML data scanner (readXmlDataValues) against saxes (the
 * saxes-based reader in tests/helpers). Random valid data value sets — attributes in any order and either quote,
 * whitespace and line breaks (LF, CRLF, CR) between and inside them, entities (&amp; &lt; &#233; &#x1F600; …), multi-byte
 * text, comments, processing instructions, DOCTYPE, CDATA and nested elements, prefixed names, a BOM — are fed in
 * random chunk sizes (1 byte to 64 KB, cutting multi-byte characters). Header and rows must be identical, and each row's
 * line is where its start tag begins (the scanner) or ends (saxes, which reports the line of the ">"), both checked
 * against the generator. Malformed documents (one targeted mutation of a valid one) must be refused by the scanner
 * whenever saxes refuses them, both naming a line; a mutation saxes accepts must read the same. A failure prints its seed.
 */
import { describe, expect, it } from 'vitest';
import { readXmlDataValues } from '../../../../src-main/formats/dxf2-xml/data-reader.ts';
import type { DataValueBatch, DataValueHeader, DataValueRow } from '../../../../src-main/formats/data-value-row.ts';
import { readXmlDataValuesSaxes } from '../../../helpers/saxes-data-reader.ts';
import { rng, chunker, split } from '../../../helpers/seeded.ts';



const ROW_ATTRS = [
  'dataElement', 'period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'value', 'storedBy', 'comment', 'followUp', 'followup', 'deleted',
  'created', 'lastUpdated', 'timestamp', 'foo', 'x:bar', 'data-x', 'valueType',
];
const HEADER_ATTRS = [
  'dataSet', 'completeDate', 'period', 'orgUnit', 'attributeOptionCombo', 'idScheme', 'dataElementIdScheme', 'orgUnitIdScheme',
  'categoryOptionComboIdScheme', 'dataSetIdScheme', 'importStrategy', 'strategy', 'dryRun', 'xmlns:xsi', 'other',
];
const TEXT = ['a', 'Z', '0', ' ', 'é', '€', '𝄞', '😀', '中文', '>', ';', '-', 'x y', 'true', 'false', ' TRUE '];
const ENTITIES = ['&amp;', '&lt;', '&gt;', '&quot;', '&apos;', '&#233;', '&#xE9;', '&#x1F600;', '&#128512;', '&#10;', '&#9;', '&#13;', '&#x20AC;'];

interface Doc {
  doc: string;
  /** per row, in document order: the offsets of its start tag's "<" and ">" */
  rowTags: [number, number][];
}

/** A random valid DXF2 XML data value set with the given line break. */
function generate(r: () => number, nl: string, rowCount: number): Doc {
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const ws = (min: number): string => {
    let s = min ? pick([' ', '\t', nl, '  ']) : '';
    while (r() < 0.25) s += pick([' ', '\t', nl]);
    return s;
  };
  const attrValue = (q: string): string => {
    let v = '';
    for (let n = Math.floor(r() * 5); n > 0; n--) {
      const k = r();
      v += k < 0.55 ? pick(TEXT) : k < 0.85 ? pick(ENTITIES) : k < 0.95 ? pick(['\t', '\n', '\r\n', '\r']) : q === '"' ? "'" : '"';
    }
    return v;
  };
  const attrs = (names: readonly string[], max: number): string => {
    const chosen = [...names].sort(() => r() - 0.5).slice(0, Math.floor(r() * (max + 1)));
    return chosen
      .map((n) => {
        const q = r() < 0.8 ? '"' : "'";
        return ws(1) + n + (r() < 0.2 ? ws(0) + '=' + ws(0) : '=') + q + attrValue(q) + q;
      })
      .join('');
  };
  const comment = (): string => '<!--' + pick(['', ' c ', ' <dataValue dataElement="x"/> ', ' & < > ', nl, ' é ']) + '-->';
  const cdata = (): string => '<![CDATA[' + pick(['', ' <x> ', ' & ', ']] >', nl]) + ']]>';
  const text = (): string => pick(['', ' ', nl, 'text', ' a &amp; b ', '&#233;', 'é' + nl]);

  let doc = '';
  const rowTags: [number, number][] = [];
  const prefix = r() < 0.2 ? 'd:' : '';
  const row = (): void => {
    const start = doc.length;
    const name = (r() < 0.5 ? prefix : '') + 'dataValue';
    doc += '<' + name;
    doc += attrs(ROW_ATTRS, 8) + ws(0);
    const k = r();
    if (k < 0.7) {
      doc += '/>';
      rowTags.push([start, doc.length - 1]);
    } else {
      doc += '>';
      rowTags.push([start, doc.length - 1]);
      if (k < 0.85) doc += pick(['', ws(0), comment(), cdata(), text()]);
      doc += '</' + name + ws(0) + '>';
    }
  };
  const other = (depth: number): void => {
    const name = pick(['other', 'meta', 'x:y']);
    doc += '<' + name + attrs(['a', 'b', 'value', 'dataElement'], 2) + ws(0) + '>';
    for (let n = Math.floor(r() * 3); n > 0; n--) {
      const k = r();
      if (k < 0.3) row();
      else if (k < 0.5) doc += comment();
      else if (k < 0.7) doc += cdata();
      else if (k < 0.85 || depth > 1) doc += text();
      else other(depth + 1);
    }
    doc += '</' + name + '>';
  };

  if (r() < 0.1) doc += '\uFEFF';
  if (r() < 0.6) doc += '<?xml version="1.0" encoding="UTF-8"?>' + (r() < 0.7 ? nl : '');
  if (r() < 0.2) doc += comment() + ws(0);
  if (r() < 0.15) doc += '<!DOCTYPE dataValueSet>' + ws(0);
  if (r() < 0.1) doc += '<?pi some data?>' + ws(0);
  const rootName = prefix + 'dataValueSet';
  doc += '<' + rootName + (prefix ? ' xmlns:d="http://dhis2.org/schema/dxf/2.0"' : r() < 0.5 ? ' xmlns="http://dhis2.org/schema/dxf/2.0"' : '') + attrs(HEADER_ATTRS, 6) + ws(0);
  if (rowCount === 0 && r() < 0.5) doc += '/>';
  else {
    doc += '>';
    for (let n = 0; n < rowCount; n++) {
      doc += ws(0);
      const k = r();
      if (k < 0.8) row();
      else if (k < 0.87) doc += comment();
      else if (k < 0.92) doc += cdata();
      else if (k < 0.95) doc += text();
      else other(0);
    }
    doc += ws(0) + '</' + rootName + ws(0) + '>';
  }
  if (r() < 0.5) doc += ws(0);
  if (r() < 0.1) doc += comment() + ws(0);
  return { doc, rowTags };
}

/** For each position (ascending), 1 + the line breaks before it: LF, CRLF and a lone CR (XML reads all three as a line end). */
function linesAt(text: string, positions: number[]): number[] {
  let line = 1;
  let k = 0;
  return positions.map((pos) => {
    for (; k < pos; k++) {
      const c = text.charCodeAt(k);
      if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) line++;
    }
    return line;
  });
}
const lineAt = (text: string, pos: number): number => linesAt(text, [pos])[0]!;

type Read = { header: DataValueHeader | undefined; rows: DataValueRow[] } | { error: string };

async function run(fn: typeof readXmlDataValues, bytes: Buffer, sizes: () => number): Promise<Read> {
  try {
    const out: DataValueBatch[] = [];
    for await (const b of fn(split(bytes, sizes), { fileName: 'f.xml' })) out.push(b);
    return { header: out.find((b) => b.header)?.header, rows: out.flatMap((b) => b.rows) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
const withoutLines = (x: Read): unknown => ('error' in x ? x : { header: x.header, rows: x.rows.map(({ line: _l, ...rest }) => rest) });

const NEWLINES = ['\n', '\r\n', '\r'];

describe('DXF2 XML scanner: seeded random differential test against saxes', () => {
  it('reads random valid documents exactly as saxes does, at the lines the generator put them, whatever the chunks', async () => {
    const SEED = 31_000;
    for (let n = 0; n < 300; n++) {
      const seed = SEED + n;
      const r = rng(seed);
      const nl = NEWLINES[n % 3]!;
      // every 50th document is large (several 64 KB chunks; read in chunks of 64 bytes or more, to stay fast)
      const big = n % 50 === 0;
      const { doc, rowTags } = generate(r, nl, big ? 2000 : Math.floor(r() * 25));
      const bytes = Buffer.from(doc, 'utf8');
      const sax = await run(readXmlDataValuesSaxes, bytes, () => 65536);
      expect(sax, `seed ${seed}: saxes refused a generated document\n${doc}`).not.toHaveProperty('error');
      const fast = await run(readXmlDataValues, bytes, chunker(r, big ? 64 : 1));
      expect(withoutLines(fast), `seed ${seed}\n${doc}`).toEqual(withoutLines(sax));
      const rows = (fast as { rows: DataValueRow[] }).rows;
      expect(rows.map((x) => x.line), `seed ${seed}: scanner lines (start tag)`).toEqual(linesAt(doc, rowTags.map(([a]) => a)));
      expect((sax as { rows: DataValueRow[] }).rows.map((x) => x.line), `seed ${seed}: saxes lines (end of start tag)`).toEqual(linesAt(doc, rowTags.map(([, b]) => b)));
    }
  });

  it('refuses what saxes refuses (naming a line), and reads what saxes accepts the same', async () => {
    const MUTATIONS: ((doc: string, r: () => number) => string | null)[] = [
      // cut short
      (d, r) => d.slice(0, Math.floor(r() * d.length)),
      // an end tag left out, or misspelt
      (d, r) => replaceOne(d, /<\/[^>]*>/g, r, () => ''),
      (d, r) => replaceOne(d, /<\/([^>\s]*)/g, r, (m) => m + 'x'),
      // a duplicate attribute
      (d, r) => replaceOne(d, /<(\w+:)?dataValue(\s+)([\w:-]+\s*=\s*("[^"]*"|'[^']*'))/g, r, (m) => `${m} ${m.replace(/^<\S+\s+/, '')}`),
      // an undefined entity, a bare "&", or "<" in an attribute value
      (d, r) => replaceOne(d, /="/g, r, (m) => m + pick(r, ['&bogus;', '& ', '&#xZZ;', '&#0;', '<'])),
      // an unquoted value, a value not closed, no space between attributes, no "="
      (d, r) => replaceOne(d, /="([^"<&]*)"/g, r, (m) => '=' + m.slice(2, -1).replace(/\s/g, '')),
      (d, r) => replaceOne(d, /="[^"]*"/g, r, (m) => m.slice(0, -1)),
      (d, r) => replaceOne(d, /"(\s+)(?=[\w:-]+\s*=)/g, r, () => '"'),
      (d, r) => replaceOne(d, /\s*=\s*(?=["'])/g, r, () => ' '),
      // text or a second root outside the root element
      (d, r) => (r() < 0.5 ? 'x' + d : d + pick(r, ['x', '<dataValueSet/>', '<a></a>', '&amp;'])),
      // one character of markup deleted or added
      (d, r) => {
        const at = Math.floor(r() * d.length);
        return r() < 0.5 ? d.slice(0, at) + d.slice(at + 1) : d.slice(0, at) + pick(r, ['<', '>', '"', "'", '=', '/', '&', '!', '?']) + d.slice(at);
      },
    ];
    let refused = 0;
    let both = 0;
    for (let n = 0; n < 600; n++) {
      const seed = 41_000 + n;
      const r = rng(seed);
      const nl = NEWLINES[n % 3]!;
      const { doc } = generate(r, nl, Math.floor(r() * 12));
      const bad = MUTATIONS[n % MUTATIONS.length]!(doc, r);
      if (bad === null || bad === doc) continue;
      const bytes = Buffer.from(bad, 'utf8');
      const sax = await run(readXmlDataValuesSaxes, bytes, () => 65536);
      const fast = await run(readXmlDataValues, bytes, chunker(r));
      if ('error' in sax) {
        refused++;
        expect(fast, `seed ${seed}: saxes refused (${sax.error}) but the scanner read it\n${bad}`).toHaveProperty('error');
        both++;
        const lines = lineAt(bad, bad.length);
        for (const e of [(fast as { error: string }).error, sax.error]) {
          const m = /^f\.xml, line (\d+): /.exec(e);
          expect(m, `seed ${seed}: ${e}`).not.toBeNull();
          expect(Number(m![1]), `seed ${seed}: ${e}`).toBeLessThanOrEqual(lines);
        }
      } else {
        expect(withoutLines(fast), `seed ${seed}: saxes read it\n${bad}`).toEqual(withoutLines(sax));
      }
    }
    expect(refused).toBeGreaterThan(300);
    expect(both).toBe(refused);
  });
});

function pick<T>(r: () => number, a: readonly T[]): T {
  return a[Math.floor(r() * a.length)]!;
}

/** Replaces one random match of `re` (global) in s, or null when there is none. */
function replaceOne(s: string, re: RegExp, r: () => number, f: (m: string) => string): string | null {
  const all = [...s.matchAll(re)];
  if (!all.length) return null;
  const m = all[Math.floor(r() * all.length)]!;
  return s.slice(0, m.index) + f(m[0]) + s.slice(m.index + m[0].length);
}
