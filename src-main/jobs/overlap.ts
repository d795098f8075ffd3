/**
 * Overlapping files (issue 15): value keys (data element, period, org unit, category option combo, attribute option
 * combo) carried by more than one file of a data value job, found before the import by reading every file once.
 * Streaming with bounded memory: each key is hashed to 64 bits and kept in an open-addressing table of typed arrays
 * (14 bytes a slot: key hash, value hash, owning file; up to 3/4 full), never as strings: 29 MB for the 1.5M
 * distinct keys of two 1M-value files. A job with more than MAX_KEYS distinct keys is read in several passes, each
 * keeping the keys of one part of the hash space: at most ~117 MB however large the files.
 *
 * Keys are compared by identity when the job's database is at hand (always in a job): each part of a key is resolved
 * to the stored object as the data value import resolves it (importers/data-values/lookups.ts and header.ts: the same
 * id schemes from the options and the file's header, ADX's CODE default, the header's org unit, period and attribute
 * option combo in place of the rows', ADX category options to their combo, periods to their canonical ISO id, an
 * empty combo to the default one), so a file naming a data element by uid and another by code overlap. A part that
 * does not resolve keeps its written form (the import will refuse that row anyway); the rows of a header the import
 * refuses whole (unknown data set, org unit or attribute option combo) are not counted. Without a database (tests of
 * the scan alone) keys are compared as the files write them. A key repeated within one file is not an overlap (the
 * file's later row wins, as in DHIS2). A file that cannot be read is skipped here: the import reports it.
 */
import fs from 'node:fs';
import { openInput, type OpenedInput } from '../io/input.ts';
import { detectFormat } from '../io/detect.ts';
import { dataReaderFor } from '../formats/registry.ts';
import type { DataValueHeader, DataValueRow } from '../formats/data-value-row.ts';
import type { DataImportOptions, ImportFormat } from '../../src-shared/dhis2/options.ts';
import type { OverlapPair, OverlapPolicy, OverlapReport } from '../../src-shared/dhis2/import-summary.ts';
import type { ImportFileInput, JobContext } from './types.ts';
import type { Db } from '../db/open.ts';
import { dataImportOptionsSchema } from '../../src-shared/dhis2/options.ts';
import { parsePeriod } from '../../src-shared/dhis2/period.ts';
import { defaultIdSchemeOf } from '../formats/registry.ts';
import { MetadataLookups } from '../importers/data-values/lookups.ts';
import { resolveHeader } from '../importers/data-values/header.ts';

/** pairs listed in a report */
export const MAX_PAIRS = 50;
const SHARED = 0x8000;
const DIFFERED = 0x4000;
const FILE_BITS = 0x3fff;
/** files (zip entries) a scan tells apart */
const MAX_UNITS = FILE_BITS - 1;
/** distinct keys one pass keeps (at most 2^23 slots of 14 bytes: 117 MB); more are split over passes */
export const MAX_KEYS = 6_000_000;

/** Two running 32-bit FNV-1a style hashes (different offsets and primes): a 64-bit key, fed field by field. */
let ha = 0;
let hb = 0;
function start(): void {
  ha = 0x811c9dc5;
  hb = 0x9747b28c;
}
function feed(s: string): void {
  let a = ha;
  let b = hb;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // a separator, so that fields do not run into each other
  ha = Math.imul(a ^ 1, 0x01000193);
  hb = Math.imul(b ^ 1, 0x5bd1e995);
}

/** Feeds a resolved object's id (metadata_object.id, ≥ 0): a tag unit no identifier starts with, then its two halves. */
function feedId(n: number): void {
  let a = Math.imul(ha ^ 0xfffe, 0x01000193);
  let b = Math.imul(hb ^ 0xfffe, 0x5bd1e995);
  b ^= b >>> 15;
  const lo = n & 0xffff;
  const hi = Math.floor(n / 0x10000);
  a = Math.imul(a ^ lo, 0x01000193);
  b = Math.imul(b ^ lo, 0x5bd1e995);
  b ^= b >>> 15;
  a = Math.imul(a ^ hi, 0x01000193);
  b = Math.imul(b ^ hi, 0x5bd1e995);
  b ^= b >>> 15;
  ha = Math.imul(a ^ 1, 0x01000193);
  hb = Math.imul(b ^ 1, 0x5bd1e995);
}

/** Two 32-bit hashes of a string (tests, and what rowKey's fields give when fed one by one). */
export function hash2(s: string): [number, number] {
  start();
  feed(s);
  return [ha >>> 0, hb >>> 0 || 1];
}

/**
 * A set of 64-bit key hashes, each with the file that last wrote it (its index + 1, 0 = empty slot; bit 15 = the key
 * is in more than one file, bit 14 = their values differed) and a 32-bit hash of its value there.
 */
export class KeyTable {
  private cap = 1 << 16;
  private hi = new Uint32Array(this.cap);
  private lo = new Uint32Array(this.cap);
  private val = new Uint32Array(this.cap);
  private owner = new Uint16Array(this.cap);
  size = 0;

  /** bytes held by the table */
  get bytes(): number {
    return this.cap * 14;
  }

  /**
   * Records that file `file` carries key (h, l) with value hash v. Returns -1 for a new key or one the same file
   * already carried, else the earlier file's index, with `differs` telling whether the values differ, `first`
   * whether the key is shared for the first time and `firstDiffer` whether its values differ for the first time.
   */
  put(h: number, l: number, v: number, file: number, out: { differs: boolean; first: boolean; firstDiffer: boolean }): number {
    if (this.size * 4 >= this.cap * 3) this.grow(); // load factor up to 3/4
    const mask = this.cap - 1;
    let i = (h ^ Math.imul(l, 0x9e3779b1)) & mask;
    for (;;) {
      const o = this.owner[i]!;
      if (o === 0) {
        this.hi[i] = h;
        this.lo[i] = l;
        this.val[i] = v;
        this.owner[i] = file + 1;
        this.size++;
        return -1;
      }
      if (this.hi[i] === h && this.lo[i] === l) {
        const prev = (o & FILE_BITS) - 1;
        if (prev === file) {
          this.val[i] = v; // the file's later row wins
          return -1;
        }
        out.differs = this.val[i] !== v;
        out.first = (o & SHARED) === 0;
        out.firstDiffer = out.differs && (o & DIFFERED) === 0;
        this.val[i] = v;
        this.owner[i] = (file + 1) | SHARED | (out.differs ? DIFFERED : o & DIFFERED);
        return prev;
      }
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const { hi, lo, val, owner } = this;
    this.cap *= 2;
    this.hi = new Uint32Array(this.cap);
    this.lo = new Uint32Array(this.cap);
    this.val = new Uint32Array(this.cap);
    this.owner = new Uint16Array(this.cap);
    const mask = this.cap - 1;
    for (let j = 0; j < owner.length; j++) {
      if (owner[j] === 0) continue;
      let i = (hi[j]! ^ Math.imul(lo[j]!, 0x9e3779b1)) & mask;
      while (this.owner[i] !== 0) i = (i + 1) & mask;
      this.hi[i] = hi[j]!;
      this.lo[i] = lo[j]!;
      this.val[i] = val[j]!;
      this.owner[i] = owner[j]!;
    }
  }
}

function combo(row: string | undefined, options?: Record<string, string>): string {
  if (row) return row;
  if (options) return Object.keys(options).sort().map((k) => `${k}=${options[k]}`).join(',');
  return '';
}

function headerAoc(h: DataValueHeader | null): string {
  if (!h) return '';
  if (h.attributeOptionCombo) return h.attributeOptionCombo;
  const a = h.attributeCategoryOptions;
  if (!a) return '';
  return Array.isArray(a) ? [...a].sort().join(',') : combo(undefined, a);
}

/**
 * The 64-bit hash of a row's key as the file writes it (the header's fields where the row has none), into `out`;
 * the fields are fed one by one (no key string is built: this runs once per row).
 */
export function hashRowKey(r: DataValueRow, h: DataValueHeader | null, headerAocKey: string, out: Uint32Array): void {
  start();
  feed(r.dataElement ?? '');
  feed(r.period ?? h?.period ?? '');
  feed(r.orgUnit ?? h?.orgUnit ?? '');
  feed(r.categoryOptionCombo || (r.categoryOptions ? combo(undefined, r.categoryOptions) : ''));
  feed(r.attributeOptionCombo ?? headerAocKey);
  out[0] = ha >>> 0;
  out[1] = hb >>> 0 || 1;
}

/**
 * Hashes value keys by identity (see the top of this file): the data value import's lookups and header resolution,
 * applied to each header, then to each row's identifiers. Identifiers are looked up as given, then trimmed, as the
 * import does; the previous row's period and org unit are remembered (files are grouped by them).
 */
export class KeyIdentity {
  private deMap = new Map<string, number>();
  private ouMap = new Map<string, number>();
  private cocMap = new Map<string, number>();
  private catMap = new Map<string, number>();
  private optMap = new Map<string, number>();
  private rootOu: number | null = null;
  private rootAoc: number | null = null;
  private rootPeriod: string | null = null;
  /** the header's rows are refused whole by the import: not counted */
  skip = false;
  private lastPeRaw: string | undefined = undefined;
  private lastPe = '';
  private lastOuRaw: string | undefined = undefined;
  private lastOu = -1;

  constructor(
    private readonly L: MetadataLookups,
    private readonly options: DataImportOptions,
    private readonly defaultScheme: 'UID' | 'CODE',
  ) {
    this.header(null);
  }

  /** A file's (or ADX group's) header, merged as the scan merges it; null for a file without one (CSV). */
  header(h: DataValueHeader | null): void {
    const r = resolveHeader(h ?? {}, { options: this.options, defaultScheme: this.defaultScheme, lookups: this.L });
    this.deMap = r.deMap;
    this.ouMap = r.ouMap;
    this.cocMap = r.cocMap;
    this.catMap = this.L.idMap('categories', r.schemes.category);
    this.optMap = this.L.idMap('categoryOptions', r.schemes.categoryOption);
    this.rootOu = r.orgUnit;
    this.rootAoc = r.attributeOptionCombo;
    this.rootPeriod = r.period ? r.period.iso : null;
    this.skip = r.failure !== null || r.abort !== null;
    this.lastPeRaw = undefined;
    this.lastOuRaw = undefined;
    this.lastCocRaw = this.lastAocRaw = '\u0000';
  }

  private id(map: Map<string, number>, raw: string): number | undefined {
    return map.get(raw) ?? map.get(raw.trim());
  }

  /** A combo part: the stored combo, the default one when blank, else its written form (-1). */
  private comboId(raw: string | undefined): number {
    if (raw === undefined || raw.trim() === '') return this.L.defaultCocId;
    return this.id(this.cocMap, raw) ?? -1;
  }

  // the previous row's combos (the attribute option combo rarely changes from row to row)
  private lastCocRaw: string | undefined = '\u0000';
  private lastCoc = -1;
  private lastAocRaw: string | undefined = '\u0000';
  private lastAoc = -1;

  /** The 64-bit hash of a row's key by identity, into `out`. */
  hash(r: DataValueRow, out: Uint32Array): void {
    start();
    const deRaw = r.dataElement ?? '';
    const de = this.id(this.deMap, deRaw);
    if (de !== undefined) feedId(de);
    else feed(deRaw);
    if (this.rootPeriod !== null) feed(this.rootPeriod);
    else {
      if (r.period !== this.lastPeRaw) {
        const raw = r.period ?? '';
        this.lastPeRaw = r.period;
        this.lastPe = parsePeriod(raw.trim())?.iso ?? raw;
      }
      feed(this.lastPe);
    }
    if (this.rootOu !== null) feedId(this.rootOu);
    else {
      const raw = r.orgUnit ?? '';
      if (raw !== this.lastOuRaw) {
        this.lastOuRaw = raw;
        this.lastOu = this.id(this.ouMap, raw) ?? -1;
      }
      if (this.lastOu >= 0) feedId(this.lastOu);
      else feed(raw);
    }
    const cocRaw = r.categoryOptionCombo;
    if ((cocRaw === undefined || cocRaw.trim() === '') && r.categoryOptions) {
      const id = de !== undefined ? this.cocFromOptions(de, r.categoryOptions) : null;
      if (id != null) feedId(id);
      else feed(combo(undefined, r.categoryOptions));
    } else {
      if (cocRaw !== this.lastCocRaw) {
        this.lastCocRaw = cocRaw;
        this.lastCoc = this.comboId(cocRaw);
      }
      if (this.lastCoc >= 0) feedId(this.lastCoc);
      else feed(cocRaw ?? '');
    }
    if (this.rootAoc !== null) feedId(this.rootAoc);
    else {
      const aocRaw = r.attributeOptionCombo;
      if (aocRaw !== this.lastAocRaw) {
        this.lastAocRaw = aocRaw;
        this.lastAoc = this.comboId(aocRaw);
      }
      if (this.lastAoc >= 0) feedId(this.lastAoc);
      else feed(aocRaw ?? '');
    }
    out[0] = ha >>> 0;
    out[1] = hb >>> 0 || 1;
  }

  /** ADX category → option pairs: the combo of the data element's category combo made of those options. */
  private cocFromOptions(de: number, cats: Record<string, string>): number | null {
    const info = this.L.des.get(de);
    if (!info) return null;
    const ids: number[] = [];
    for (const cat in cats) {
      if (this.catMap.get(cat) == null) return null;
      const id = this.optMap.get(cats[cat]!);
      if (id == null) return null;
      ids.push(id);
    }
    return this.L.cocForOptions(info.catComboId, ids);
  }
}

/** A 32-bit hash of what a row says about its key's value: the value (or ADX annotation), and whether it deletes. */
function hashValue(r: DataValueRow): number {
  start();
  feed(r.value ?? r.annotation ?? '');
  if (r.deleted === true) feed('d');
  return ha >>> 0;
}

/**
 * Whether the files of a job can overlap at all: several files, or a zip archive of more than one entry (its end of
 * central directory record tells how many: a one-entry archive, e.g. jan.csv.zip, is not read twice).
 */
export function mayOverlap(files: readonly ImportFileInput[]): boolean {
  if (files.length > 1) return true;
  const f = files[0];
  if (!f) return false;
  try {
    const fd = fs.openSync(f.path, 'r');
    try {
      const magic = Buffer.alloc(4);
      fs.readSync(fd, magic, 0, 4, 0);
      if (magic[0] !== 0x50 || magic[1] !== 0x4b) return false;
      const size = fs.fstatSync(fd).size;
      const tail = Buffer.alloc(Math.min(size, 65_557));
      fs.readSync(fd, tail, 0, tail.length, size - tail.length);
      for (let i = tail.length - 22; i >= 0; i--) {
        if (tail.readUInt32LE(i) !== 0x06054b50) continue;
        const entries = tail.readUInt16LE(i + 10);
        return entries > 1; // (0xffff: zip64, many)
      }
      return true; // no record found: the import will say what is wrong; read it to be safe
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

export interface OverlapScan {
  report: Omit<OverlapReport, 'policy' | 'stopped'>;
  /** the units read (files, zip entries), in job order: label and the job file's index */
  units: { label: string; fileIndex: number }[];
  /** peak bytes of the key table */
  tableBytes: number;
  rows: number;
  /** passes over the files (more than one when the job holds more distinct keys than MAX_KEYS) */
  passes: number;
}

/** What the scan identifies keys with: the job's metadata and its import options. */
interface Identity {
  lookups: MetadataLookups;
  options: DataImportOptions;
}

/**
 * Reads every file (zip entry) of the job once and finds the keys carried by more than one. `options` are the job's
 * data import options (DHIS2 names, as the importer gets them: firstRowIsHeader, the id schemes); with `ctx.db` keys
 * are compared by identity, else as written.
 */
export async function scanOverlaps(
  ctx: (Pick<JobContext, 'throwIfCancelled' | 'progress'> & { db?: Db }) | null,
  files: readonly ImportFileInput[],
  options: Record<string, unknown>,
  format?: ImportFormat,
  maxKeys = MAX_KEYS,
): Promise<OverlapScan> {
  let identity: Identity | null = null;
  if (ctx?.db) {
    // (options the importer will refuse: keys as written, the import reports the options)
    const parsed = dataImportOptionsSchema.safeParse(options);
    if (parsed.success) identity = { lookups: new MetadataLookups(ctx.db), options: parsed.data };
  }
  // one pass keeps every key; when the job holds more distinct keys than maxKeys, the keys are split by hash into
  // 2, 4, … parts read in as many passes (each key is in one part, so the counts add up): memory stays bounded
  for (let parts = 1; ; parts *= 2) {
    const total: OverlapScan = { report: { keys: 0, differing: 0, pairs: [] }, units: [], tableBytes: 0, rows: 0, passes: 0 };
    const pairs = new Map<string, OverlapPair>();
    let overflow = false;
    for (let part = 0; part < parts && !overflow; part++) {
      const r = await scanPass(ctx, files, options.firstRowIsHeader as boolean | undefined, identity, format, parts, part, maxKeys, pairs);
      total.passes++;
      if (r === null) overflow = true;
      else {
        total.report.keys += r.keys;
        total.report.differing += r.differing;
        total.tableBytes = Math.max(total.tableBytes, r.tableBytes);
        if (part === 0) {
          total.units = r.units;
          total.rows = r.rows;
        }
      }
    }
    if (overflow) continue;
    // most shared keys first; then in the job's order of files (the same whatever the passes)
    const order = (k: string): number[] => k.split(':').map(Number);
    const all = [...pairs.entries()]
      .sort(([ka, a], [kb, b]) => b.keys - a.keys || order(ka)[0]! - order(kb)[0]! || order(ka)[1]! - order(kb)[1]!)
      .map(([, p]) => p);
    total.report.pairs = all.slice(0, MAX_PAIRS);
    if (all.length > MAX_PAIRS) total.report.morePairs = all.length - MAX_PAIRS;
    return total;
  }
}

/** One pass over the job's files, keeping the keys of one part (hash mod parts); null when more than maxKeys. */
async function scanPass(
  ctx: Pick<JobContext, 'throwIfCancelled' | 'progress'> | null,
  files: readonly ImportFileInput[],
  firstRowIsHeader: boolean | undefined,
  identity: Identity | null,
  format: ImportFormat | undefined,
  parts: number,
  part: number,
  maxKeys: number,
  pairs: Map<string, OverlapPair>,
): Promise<{ keys: number; differing: number; units: OverlapScan['units']; rows: number; tableBytes: number } | null> {
  const table = new KeyTable();
  const units: OverlapScan['units'] = [];
  let keys = 0;
  let differing = 0;
  let rows = 0;
  const out = { differs: false, first: false, firstDiffer: false };
  const key = new Uint32Array(2);
  const mask = parts - 1;
  const stage = parts === 1 ? 'checking files for overlapping values' : `checking files for overlapping values (part ${part + 1} of ${parts})`;
  for (const file of files) {
    let input: OpenedInput | null = null;
    try {
      input = await openInput(file.path);
      for (let cur: OpenedInput | null = input; cur; cur = await cur.next()) {
        const u = units.length;
        if (u >= MAX_UNITS) break;
        units.push({ label: cur.label, fileIndex: file.index });
        let fmt: string | null = format ?? null;
        if (!fmt) {
          const d = detectFormat(cur.head, cur.label);
          if (d.kind !== 'data') continue;
          fmt = d.format;
        }
        let header: DataValueHeader | null = null;
        let aocKey = '';
        const ident = identity ? new KeyIdentity(identity.lookups, identity.options, defaultIdSchemeOf(fmt)) : null;
        const reader = dataReaderFor(fmt, cur.label)(cur.chunks(), { fileName: cur.label, firstRowIsHeader });
        try {
          for await (const batch of reader) {
            if (batch.header) {
              header = batch.header.group || !header ? batch.header : (Object.assign({}, header, batch.header) as DataValueHeader);
              aocKey = headerAoc(header);
              ident?.header(header);
            }
            for (const r of batch.rows) {
              if (ident) {
                if (ident.skip) continue;
                ident.hash(r, key);
              } else hashRowKey(r, header, aocKey, key);
              const h = key[0]!;
              const l = key[1]!;
              if ((l & mask) !== part) continue;
              const prev = table.put(h, l, hashValue(r), u, out);
              if (prev < 0) {
                if (table.size > maxKeys) return null;
                continue;
              }
              if (out.first) keys++;
              if (out.firstDiffer) differing++;
              const pk = `${prev}:${u}`;
              let p = pairs.get(pk);
              if (!p) pairs.set(pk, (p = { first: units[prev]!.label, second: cur.label, keys: 0, differing: 0 }));
              p.keys++;
              if (out.differs) p.differing++;
            }
            rows += batch.rows.length;
            ctx?.throwIfCancelled();
            ctx?.progress({ stage, unit: 'bytes', done: cur.rawBytesRead(), total: cur.size, records: rows, fileIndex: file.index, fileName: cur.label });
          }
        } catch (e) {
          if ((e as { code?: string }).code === 'CANCELLED') throw e;
          // a broken file (entry): the import reports it; the keys read so far stay
        }
      }
    } catch (e) {
      if ((e as { code?: string }).code === 'CANCELLED') throw e;
    } finally {
      input?.close();
    }
  }
  return { keys, differing, units, rows, tableBytes: table.bytes };
}

/** The order the files are imported in under a policy (the last file's values are kept): null to keep the list order. */
export function importOrder(files: readonly ImportFileInput[], policy: OverlapPolicy): ImportFileInput[] | null {
  if (policy === 'first') return [...files].reverse();
  if (policy === 'newer') {
    const mtime = (f: ImportFileInput): number => {
      try {
        return fs.statSync(f.path).mtimeMs;
      } catch {
        return 0;
      }
    };
    const withTime = files.map((f, i) => ({ f, i, t: mtime(f) }));
    withTime.sort((a, b) => a.t - b.t || a.i - b.i);
    return withTime.map((x) => x.f);
  }
  return null;
}
