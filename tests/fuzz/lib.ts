/**
 * The reader fuzzer (issue 16, Proof), shared by tests/fuzz/readers.test.ts (bounded, in `npm test`) and
 * scripts/fuzz.ts (`npm run fuzz -- --seconds N --seed S`).
 *
 * Seeds: the shared corpus (../shared/corpus, read in place; skipped with a message when absent, as tests/corpus does)
 * and small generated documents for every reader the format registry declares. Each input is a seed mutated
 * (truncation, byte flips, deleted and repeated runs, deep nesting, huge tokens, wrong encodings, lone surrogates, NULs,
 * other line ends) and wrapped (plain, gzip, truncated gzip, zip with one or several entries, directory and __MACOSX
 * entries, archives inside archives, garbage after a zip signature). Every input must end in a clear outcome — rows or
 * records, or an AppError with a known code naming the file — never INTERNAL, never a raw TypeError/RangeError, within a
 * linear bound of its size.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { FORMATS } from '../../src-main/formats/registry.ts';
import { openInput, type OpenedInput } from '../../src-main/io/input.ts';
import { detectFormat } from '../../src-main/io/detect.ts';
import { AppError } from '../../src-shared/errors.ts';
import { hasLoneSurrogate } from '../../src-main/formats/shared/limits.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** ../shared/corpus next to the repository (FERRY_CORPUS_DIR overrides it, as for tests/corpus). */
export const corpusDir = process.env.FERRY_CORPUS_DIR ? path.resolve(process.env.FERRY_CORPUS_DIR) : path.resolve(repoRoot, '../shared/corpus');
export const corpusExists = fs.existsSync(path.join(corpusDir, 'cases.json'));

/** The codes a refused input may carry; anything else (INTERNAL, a raw TypeError …) is a finding. */
export const CLEAR_CODES = ['BAD_FILE', 'TOO_LARGE', 'UNSUPPORTED'];

/** A seeded PRNG (mulberry32): the same seed gives the same inputs. */
export { rng } from '../helpers/seeded.ts';
type Rng = () => number;
const int = (r: Rng, n: number): number => Math.floor(r() * n);
const pick = <T>(r: Rng, a: readonly T[]): T => a[int(r, a.length)]!;

export type Kind = 'data' | 'metadata';
/** A reader of the registry: a kind and a --format name. */
export interface Target {
  kind: Kind;
  format: string;
  module: string;
}
/** Every reader the format registry declares. */
export function targets(): Target[] {
  const out: Target[] = [];
  for (const m of FORMATS) {
    if (m.readers?.data) out.push({ kind: 'data', format: m.format, module: m.id });
    if (m.readers?.metadata) out.push({ kind: 'metadata', format: m.format, module: m.id });
  }
  return out;
}

export interface Seed {
  name: string;
  bytes: Buffer;
  target: Target;
}

/** Corpus files a registry reader reads (plain files up to 256 KB: mutations of small documents are cheap). */
export function corpusSeeds(): Seed[] {
  if (!corpusExists) return [];
  const all = targets();
  const out: Seed[] = [];
  for (const folder of ['datavalues', 'adx', 'metadata']) {
    const d = path.join(corpusDir, folder);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).sort()) {
      const p = path.join(d, f);
      const st = fs.statSync(p);
      if (!st.isFile() || st.size === 0 || st.size > 256 * 1024) continue;
      const bytes = fs.readFileSync(p);
      let t: Target | undefined;
      try {
        const det = detectFormat(bytes.subarray(0, 65536), f);
        t = all.find((x) => x.kind === det.kind && x.format === det.format);
      } catch {
        t = undefined;
      }
      if (t) out.push({ name: `${folder}/${f}`, bytes, target: t });
    }
  }
  return out;
}

/** Small valid documents for every reader (so the suite runs without the corpus too). */
export function generatedSeeds(r: Rng): Seed[] {
  const all = targets();
  const t = (kind: Kind, format: string): Target => all.find((x) => x.kind === kind && x.format === format)!;
  const uid = (): string => 'Ab' + Array.from({ length: 9 }, () => pick(r, [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'])).join('');
  const text = (): string => pick(r, ['', 'a', 'late, but "complete"', 'ñandú €', '𝄞 x', 'line1\nline2', '<&>', '1.10', 'a\tb']);
  const rows = Array.from({ length: 5 + int(r, 20) }, () => ({ de: uid(), pe: pick(r, ['202401', '2024Q1', '2024W3', '2024']), ou: uid(), v: String(int(r, 1000)), c: text() }));
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
  const csvQ = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const out: Seed[] = [];
  const add = (name: string, kind: Kind, format: string, s: string): void => void (t(kind, format) && out.push({ name: `generated/${name}`, bytes: Buffer.from(s), target: t(kind, format) }));
  add('values.csv', 'data', 'csv', 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,deleted\n' + rows.map((x) => `${x.de},${x.pe},${x.ou},,,${x.v},,,${csvQ(x.c)},false,`).join('\n') + '\n');
  add('values.xml', 'data', 'xml', `<?xml version="1.0" encoding="UTF-8"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" dataSet="${uid()}">\n` + rows.map((x) => `  <dataValue dataElement="${x.de}" period="${x.pe}" orgUnit="${x.ou}" value="${x.v}" comment="${esc(x.c)}"/>`).join('\n') + '\n</dataValueSet>\n');
  add('values.json', 'data', 'json', JSON.stringify({ dataSet: uid(), dataValues: rows.map((x) => ({ dataElement: x.de, period: x.pe, orgUnit: x.ou, value: x.v, comment: x.c })) }, null, r() < 0.5 ? 2 : undefined));
  add('values.adx.xml', 'data', 'adx', `<adx xmlns="urn:ihe:qrph:adx:2015">\n<group dataSet="${uid()}" period="2024-01-01/P1M" orgUnit="${uid()}">\n` + rows.map((x) => `<dataValue dataElement="${x.de}" value="${x.v}"><annotation>${esc(x.c)}</annotation></dataValue>`).join('\n') + '\n</group>\n</adx>\n');
  add('form.pdf', 'data', 'pdf', pdfFormText([['TXFD_OrgID', uid()], ['TXFD_PeriodID', '202401'], ...rows.map((x): [string, string] => [`TXFDDV_${x.de}_HllvX50cXC0`, x.c || x.v])]));
  const des = rows.map((x) => ({ id: x.de, name: x.c || x.de, shortName: x.de, valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE', categoryCombo: { id: 'bjDvmb4bfuf' } }));
  add('metadata.json', 'metadata', 'json', JSON.stringify({ system: { id: 'x', rev: '1', version: '2.42', date: '2024-01-01' }, dataElements: des, organisationUnits: [{ id: uid(), name: 'OU', shortName: 'OU', openingDate: '2000-01-01', geometry: { type: 'Point', coordinates: [1.5, 2.5] } }] }, null, 1));
  add('metadata.xml', 'metadata', 'xml', `<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://dhis2.org/schema/dxf/2.0">\n<dataElements>\n` + des.map((d) => `<dataElement id="${d.id}" name="${esc(d.name)}" shortName="${d.shortName}"><valueType>NUMBER</valueType><aggregationType>SUM</aggregationType><domainType>AGGREGATE</domainType><categoryCombo id="bjDvmb4bfuf"/></dataElement>`).join('\n') + '\n</dataElements>\n</metadata>\n');
  return out;
}

/**
 * A filled PDF data entry form as uncompressed PDF text (text fields with their values as UTF-16 strings), so that
 * mutations reach its objects, strings and cross-reference table.
 */
function pdfFormText(fields: [string, string][]): string {
  const hex = (s: string): string => '<FEFF' + Buffer.from(s, 'utf16le').swap16().toString('hex').toUpperCase() + '>';
  const objs: string[] = [];
  const first = 5;
  const refs = fields.map((_, i) => `${first + i} 0 R`).join(' ');
  objs.push('<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>');
  objs.push('<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [${refs}] >>`);
  objs.push(`<< /Fields [${refs}] /DA (/Helv 0 Tf 0 g) >>`);
  fields.forEach(([name, value], i) => objs.push(`<< /Type /Annot /Subtype /Widget /FT /Tx /T (${name}) /V ${hex(value)} /Rect [40 ${800 - i * 20} 200 ${815 - i * 20}] /P 3 0 R >>`));
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// mutations of a document

type Mutation = (r: Rng, b: Buffer, t: Target) => Buffer;
const at = (r: Rng, b: Buffer): number => int(r, b.length + 1);
const xmlish = (t: Target): boolean => t.format !== 'json' && t.format !== 'csv';

export const MUTATIONS: Record<string, Mutation> = {
  truncate: (r, b) => b.subarray(0, at(r, b)),
  flip: (r, b) => {
    const c = Buffer.from(b);
    for (let k = 1 + int(r, 8); k > 0 && c.length; k--) c[int(r, c.length)] = int(r, 256);
    return c;
  },
  delete: (r, b) => {
    const i = at(r, b);
    return Buffer.concat([b.subarray(0, i), b.subarray(Math.min(b.length, i + 1 + int(r, 64)))]);
  },
  /** a run of the document repeated many times (a stuck writer, a pasted block) */
  repeat: (r, b) => {
    const i = at(r, b);
    const run = b.subarray(i, Math.min(b.length, i + 1 + int(r, 200)));
    return Buffer.concat([b.subarray(0, i), Buffer.alloc(0), ...Array.from({ length: 1 + int(r, 4000) }, () => run), b.subarray(i)]);
  },
  /** 1,000 to 200,000 levels of nesting at a random point */
  nest: (r, b, t) => {
    const n = pick(r, [300, 1000, 20_000, 200_000]);
    const i = at(r, b);
    const [open, close] = xmlish(t) ? ['<a>', '</a>'] : t.format === 'json' ? pick(r, [['[', ']'], ['{"a":', '}']]) : ['"', '"'];
    return Buffer.concat([b.subarray(0, i), Buffer.from(open.repeat(n) + (r() < 0.5 ? close.repeat(n) : '')), b.subarray(i)]);
  },
  /** one token of 0.5 to 3 MB: a run of letters, digits, blanks or quotes */
  huge: (r, b) => {
    const n = pick(r, [512 * 1024, 1 << 20, 1.5 * (1 << 20), 3 << 20]);
    const i = at(r, b);
    return Buffer.concat([b.subarray(0, i), Buffer.alloc(n, pick(r, ['a', '7', ' ', '\n', '"', '&', '<', ','])), b.subarray(i)]);
  },
  /** inside a string or attribute value: after a random quote */
  hugeValue: (r, b) => {
    let i = b.indexOf(0x22, at(r, b));
    if (i < 0) i = b.indexOf(0x22);
    i = i < 0 ? at(r, b) : i + 1;
    return Buffer.concat([b.subarray(0, i), Buffer.alloc(pick(r, [700_000, 1 << 20, 2 << 20]), pick(r, ['x', ' ', '\\'])), b.subarray(i)]);
  },
  encoding: (r, b) => {
    const s = b.toString('utf8');
    switch (int(r, 5)) {
      case 0:
        return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
      case 1:
        return Buffer.from(s, 'utf16le');
      case 2: {
        const be = Buffer.from(s, 'utf16le');
        be.swap16();
        return r() < 0.5 ? Buffer.concat([Buffer.from([0xfe, 0xff]), be]) : be;
      }
      case 3:
        return Buffer.from(s.replace(/[a-z]/, 'é'), 'latin1');
      default: {
        const c = Buffer.from(b);
        for (let k = 0; k < 4 && c.length; k++) c[int(r, c.length)] = 0x80 + int(r, 128);
        return c;
      }
    }
  },
  surrogate: (r, b) => {
    let i = b.indexOf(0x22, at(r, b));
    if (i < 0) i = at(r, b);
    return Buffer.concat([b.subarray(0, i + 1), Buffer.from(pick(r, ['\\ud800', '\\udfff', '\\ud834\\u0041', '\\ud834', '&#xD800;', '\\ud834\\udd1e'])), b.subarray(i + 1)]);
  },
  control: (r, b) => {
    const i = at(r, b);
    return Buffer.concat([b.subarray(0, i), Buffer.from([pick(r, [0, 1, 8, 0x1b, 0x7f])]), b.subarray(i)]);
  },
  lineEnds: (r, b) => Buffer.from(b.toString('utf8').replace(/\r?\n/g, pick(r, ['\r', '\r\n', '\n\n', '\u2028']))),
  bom: (r, b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), r() < 0.3 ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), b]),
};

// ---------------------------------------------------------------------------------------------------------------------
// containers

type Container = (r: Rng, name: string, doc: Buffer, other: Buffer) => { bytes: Buffer; ext: string };
const u8 = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.length);
export const CONTAINERS: Record<string, Container> = {
  plain: (_r, _n, doc) => ({ bytes: doc, ext: '' }),
  gzip: (_r, _n, doc) => ({ bytes: zlib.gzipSync(doc), ext: '.gz' }),
  gzipCut: (r, _n, doc) => {
    const z = zlib.gzipSync(doc);
    return { bytes: z.subarray(0, Math.max(10, int(r, z.length))), ext: '.gz' };
  },
  zip: (r, n, doc) => ({ bytes: Buffer.from(zipSync({ [n]: u8(doc) }, { level: r() < 0.3 ? 0 : 6 })), ext: '.zip' }),
  zipMany: (r, n, doc, other) => ({
    bytes: Buffer.from(zipSync({ 'dir/': new Uint8Array(0), [`dir/${n}`]: u8(doc), '__MACOSX/dir/._x': u8(Buffer.alloc(100, 7)), [`dir/second-${n}`]: u8(other), 'dir/empty.txt': new Uint8Array(0) }, { level: r() < 0.3 ? 0 : 6 })),
    ext: '.zip',
  }),
  zipCut: (r, n, doc) => {
    const z = Buffer.from(zipSync({ [n]: u8(doc) }));
    return { bytes: z.subarray(0, Math.max(4, int(r, z.length))), ext: '.zip' };
  },
  nested: (r, n, doc) => {
    const inner = r() < 0.5 ? Buffer.from(zipSync({ [n]: u8(doc) })) : zlib.gzipSync(doc);
    return { bytes: Buffer.from(zipSync({ [`${n}.inner`]: u8(inner) })), ext: '.zip' };
  },
  garbageZip: (r, _n, doc) => ({ bytes: Buffer.concat([Buffer.from('PK\x03\x04'), doc.subarray(0, int(r, 200))]), ext: '.zip' }),
};

export interface FuzzInput {
  /** the file name (what messages must name) */
  name: string;
  bytes: Buffer;
  target: Target;
  /** how it was made: seed, mutations, container */
  what: string;
}

/** One input: a seed, 0 to 3 mutations (the first always), a container. */
export function makeInput(r: Rng, seeds: Seed[], n: number): FuzzInput {
  const seed = pick(r, seeds);
  let doc = seed.bytes;
  const names: string[] = [];
  const keys = Object.keys(MUTATIONS);
  // huge mutations are slow to read: at most one, and only now and then
  for (let k = 0, m = 1 + int(r, 3); k < m; k++) {
    let key = pick(r, keys);
    if ((key === 'huge' || key === 'hugeValue') && (names.some((x) => x.startsWith('huge')) || r() < 0.5)) key = 'flip';
    if (k > 0 && r() < 0.4) continue;
    doc = MUTATIONS[key]!(r, doc, seed.target);
    names.push(key);
  }
  const ckeys = Object.keys(CONTAINERS);
  const c = r() < 0.5 ? 'plain' : pick(r, ckeys);
  const base = path.basename(seed.name).replace(/[^\w.-]/g, '_');
  const other = pick(r, seeds).bytes;
  const { bytes, ext } = CONTAINERS[c]!(r, base, doc, other);
  return { name: `f${n}-${base}${ext}`, bytes, target: seed.target, what: `${seed.name} ${names.join('+')} ${c}` };
}

export interface Outcome {
  /** records or rows read (over every entry), or the refusal */
  records: number;
  /** strings read that hold a lone UTF-16 surrogate (text with no UTF-8 form, which SQLite would store mangled) */
  illFormed: number;
  /** decompressed bytes handed to the readers */
  bytes: number;
  code: string | null;
  message: string | null;
  /** the error when it is not an AppError */
  raw: string | null;
  cpuMs: number;
}

/**
 * Reads a file as the importer does: every entry of an archive, each through the target's reader (`forced`, as with
 * --format) or through detection (`detect`: entries detected as something else are refused as the importer does).
 */
export async function readFile(file: string, target: Target, how: 'forced' | 'detect'): Promise<Outcome> {
  const t0 = process.cpuUsage();
  let records = 0;
  let illFormed = 0;
  let bytes = 0;
  let input: OpenedInput | null = null;
  const counted = async function* (it: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const c of it) {
      bytes += c.length;
      yield c;
    }
  };
  const done = (code: string | null, message: string | null, raw: string | null): Outcome => {
    const c = process.cpuUsage(t0);
    return { records, illFormed, bytes, code, message, raw, cpuMs: (c.user + c.system) / 1000 };
  };
  const walk = (v: unknown, depth: number): void => {
    if (typeof v === 'string') {
      if (hasLoneSurrogate(v)) illFormed++;
    } else if (v && typeof v === 'object' && depth < 300) for (const [k, x] of Object.entries(v)) (walk(k, depth), walk(x, depth + 1));
  };
  try {
    input = await openInput(file);
    for (let e: OpenedInput | null = input; e; e = await e.next()) {
      input = e;
      let t = target;
      if (how === 'detect') {
        const d = detectFormat(e.head, e.label);
        const found = targets().find((x) => x.kind === d.kind && x.format === d.format);
        if (!found) throw new AppError('UNSUPPORTED', `${e.label}: no reader for ${d.kind} ${d.format}`, { file: e.label });
        t = found;
      }
      const m = FORMATS.find((x) => x.format === t.format && x.readers?.[t.kind])!;
      if (t.kind === 'data') {
        for await (const b of m.readers!.data!(counted(e.chunks()), { fileName: e.label })) {
          records += b.rows.length;
          walk(b.rows, 0);
        }
      } else {
        for await (const rec of m.readers!.metadata!(counted(e.chunks()), e.label, { keys: [] }, {})) {
          records++;
          walk(rec.object, 0);
        }
      }
    }
    return done(null, null, null);
  } catch (e) {
    if (e instanceof AppError) return done(e.code, e.message, null);
    return done(null, null, `${(e as Error)?.constructor?.name ?? typeof e}: ${(e as Error)?.message ?? String(e)}`);
  } finally {
    input?.close();
  }
}

/**
 * The linear bound every input must meet: 200 ms plus 0.25 ms per KB read (readers run at 2-40 µs per KB), the KB
 * being the file's or, when more, what it decompresses to (what the readers were handed).
 */
export const boundMs = (bytes: number): number => 200 + (0.25 * bytes) / 1024;

/** Why an outcome is not a clear one (null when it is). */
export function finding(o: Outcome, input: FuzzInput, size: number): string | null {
  if (o.raw) return `raw error ${o.raw}`;
  if (o.code !== null) {
    if (!CLEAR_CODES.includes(o.code)) return `code ${o.code}: ${o.message}`;
    if (!o.message?.startsWith(input.name)) return `message does not name the file: ${o.message}`;
    // an engine failure passed off as a bad file
    if (/Maximum call stack|Invalid string length|Invalid array length|allocation failed|is not a function|Cannot read propert|of undefined|\bNaN\b/.test(o.message)) return `an internal failure worded as a bad file: ${o.message}`;
  }
  if (o.illFormed) return `${o.illFormed} strings read with a lone UTF-16 surrogate (no UTF-8 form)`;
  const read = Math.max(size, o.bytes);
  if (o.cpuMs > boundMs(read)) return `${o.cpuMs.toFixed(0)} ms CPU for ${read} bytes (bound ${boundMs(read).toFixed(0)} ms)`;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------------
// pathological generators for the linearity check: a document of about `size` bytes, one construct of which grows with
// it (what made the old readers quadratic: each chunk re-scanned what they carried). Data readers refuse a construct
// over 1 MB (limits.ts), metadata readers over 64 MB: past the limit a read ends early, and costs less per byte.

export interface Pathological {
  name: string;
  target: Target;
  make: (size: number) => Buffer;
}
export function pathological(): Pathological[] {
  const all = targets();
  const t = (kind: Kind, format: string): Target => all.find((x) => x.kind === kind && x.format === format)!;
  const doc = (head: string, fill: string, tail: string) => (size: number): Buffer => Buffer.from(head + fill.repeat(Math.max(1, Math.floor(size / fill.length))) + tail);
  const XML = '<?xml version="1.0"?>\n<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n';
  const ADX = '<adx xmlns="urn:ihe:qrph:adx:2015">\n<group dataSet="a" period="2024-01-01/P1M" orgUnit="b">\n';
  return [
    { name: 'CSV: one long line', target: t('data', 'csv'), make: doc('dataelement,period,orgunit\na,202401,b,,,', '7', '\n') },
    { name: 'CSV: a quoted field of line breaks', target: t('data', 'csv'), make: doc('dataelement,period,orgunit\na,202401,b,,,"', 'x\r\n', '"\n') },
    { name: 'XML data: blank space in the root', target: t('data', 'xml'), make: doc(XML, ' ', '</dataValueSet>') },
    { name: 'XML data: an attribute value', target: t('data', 'xml'), make: doc(XML + '<dataValue value="', 'v', '"/></dataValueSet>') },
    { name: 'XML data: blank space inside a tag', target: t('data', 'xml'), make: doc(XML + '<dataValue', ' ', '/></dataValueSet>') },
    { name: 'XML data: a comment', target: t('data', 'xml'), make: doc(XML + '<!--', 'c', '--></dataValueSet>') },
    { name: 'JSON data: a string', target: t('data', 'json'), make: doc('{"dataValues":[{"value":"', 's', '"}]}') },
    { name: 'JSON data: blank space', target: t('data', 'json'), make: doc('{"dataValues":[', ' ', '{"value":"1"}]}') },
    { name: 'JSON data: a row of many fields', target: t('data', 'json'), make: doc('{"dataValues":[{"value":"1"', ',"x":1', '}]}') },
    { name: 'ADX: an annotation', target: t('data', 'adx'), make: doc(ADX + '<dataValue dataElement="x" value="1"><annotation>', 'a', '</annotation></dataValue></group></adx>') },
    { name: 'JSON metadata: a string', target: t('metadata', 'json'), make: doc('{"dataElements":[{"id":"a","name":"', 'n', '"}]}') },
    { name: 'JSON metadata: blank space', target: t('metadata', 'json'), make: doc('{"dataElements":[', ' ', '{"id":"a"}]}') },
    { name: 'XML metadata: a text node', target: t('metadata', 'xml'), make: doc('<metadata><dataElements><dataElement id="a"><name>', 'n', '</name></dataElement></dataElements></metadata>') },
    { name: 'XML metadata: an attribute value', target: t('metadata', 'xml'), make: doc('<metadata><dataElements><dataElement id="a" name="', 'n', '"/></dataElements></metadata>') },
  ];
}

/** Chunks of `size` bytes as a .gz arrives (16 KB): the worst case for a reader that re-scans what it carries. */
export async function* chunked(b: Buffer, size = 16384): AsyncGenerator<Buffer> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

/** CPU ms to read `doc` through the target's reader from 16 KB chunks (a refusal is an outcome too). */
export async function readCpu(target: Target, doc: Buffer): Promise<number> {
  const m = FORMATS.find((x) => x.format === target.format && x.readers?.[target.kind])!;
  const t0 = process.cpuUsage();
  try {
    if (target.kind === 'data') for await (const _ of m.readers!.data!(chunked(doc), { fileName: 'p' }));
    else for await (const _ of m.readers!.metadata!(chunked(doc), 'p', { keys: [] }, {}));
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
  }
  const c = process.cpuUsage(t0);
  return (c.user + c.system) / 1000;
}

/** Best of `runs` of the mean CPU ms of reading `doc` (read enough times to take about 1 MB, so the timer's grain counts little). */
async function bestCpu(target: Target, doc: Buffer, runs: number): Promise<number> {
  const reps = Math.max(1, Math.ceil((1 << 20) / Math.max(doc.length, 1024)));
  let best = Infinity;
  for (let k = 0; k < runs; k++) {
    let ms = 0;
    for (let j = 0; j < reps; j++) ms += await readCpu(target, doc);
    best = Math.min(best, ms / reps);
  }
  return best;
}

/** Per-byte CPU time (ns) of a generator at each size, best of `runs`. */
export async function perByte(p: Pathological, sizes: number[], runs = 3): Promise<{ size: number; nsPerByte: number }[]> {
  const out: { size: number; nsPerByte: number }[] = [];
  for (const size of sizes) {
    const doc = p.make(size);
    const ms = await bestCpu(p.target, doc, runs);
    out.push({ size: doc.length, nsPerByte: (ms * 1e6) / doc.length });
  }
  return out;
}

/** How much the per-byte time grows with size: the largest ratio of a size's time to the best time of a smaller size. */
export function growth(v: { nsPerByte: number }[]): number {
  let g = 1;
  let best = Infinity;
  for (const x of v) {
    if (best < Infinity) g = Math.max(g, x.nsPerByte / best);
    best = Math.min(best, x.nsPerByte);
  }
  return g;
}
