/**
 * DHIS2 metadata conformance: every `metadata` case of ../shared/corpus/cases.json is its own test, run through the
 * same code the CLI uses (openFerry → import:start → job). Skipped with a message when the corpus is absent.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb, type Db } from '../../src-main/db/open.ts';
import type { ImportReport, ErrorReport } from '../../src-shared/dhis2/import-summary.ts';
import { DEFAULT_UIDS, METADATA_TYPES } from '../../src-shared/dhis2/schema/registry.ts';
import { readDxf2JsonMetadata } from '../../src-main/formats/dxf2-json/metadata-reader.ts';
import { readDxf2XmlMetadata } from '../../src-main/formats/dxf2-xml/metadata-reader.ts';
import { openInput } from '../../src-main/io/input.ts';
import { detectFormat } from '../../src-main/io/detect.ts';
import { MetadataEngine, readMetadataFile } from '../../src-main/importers/metadata/index.ts';
import { caseOptions, corpusExists, corpusPath, importThrough, loadCases, openCaseDb, type CorpusCase } from './harness.ts';
import { METADATA_EXPECTED_FAILURES } from './metadata-expected-failures.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const DEFAULTS = new Set(Object.values(DEFAULT_UIDS));

/** An object as a reader would see it: stored JSON plus the inverse (non-owner) collections. */
function view(db: Db, type: string, row: { id: number; json: string }): Obj {
  const o = JSON.parse(row.json) as Obj;
  for (const [p, inv] of Object.entries(METADATA_TYPES[type]?.inverse ?? {})) {
    if (o[p] !== undefined) continue;
    const uids = db
      .prepare(`SELECT m.uid FROM metadata_ref r JOIN metadata_object m ON m.id = r.from_id WHERE r.to_id = ? AND r.property = ? AND m.type = ? ORDER BY m.id`)
      .pluck()
      .all(row.id, inv.property, inv.type) as string[];
    o[p] = uids.map((id) => ({ id }));
  }
  return o;
}

/** System defaults are excluded from counts, except those a case's setup fixtures list (FX-CAT reproduces them). */
let keptDefaults = new Set<string>();

function allOfType(db: Db, type: string): Obj[] {
  const spec = METADATA_TYPES[type];
  if (spec?.embeddedIn) {
    const out: Obj[] = [];
    for (const p of allOfType(db, spec.embeddedIn.type)) {
      const v = p[spec.embeddedIn.property];
      if (Array.isArray(v)) out.push(...v.filter(isObj));
    }
    return out;
  }
  const rows = db.prepare(`SELECT id, uid, json FROM metadata_object WHERE type = ? ORDER BY id`).all(type) as { id: number; uid: string; json: string }[];
  return rows.filter((r) => !DEFAULTS.has(r.uid) || keptDefaults.has(r.uid)).map((r) => view(db, type, r));
}

function find(db: Db, spec: { type: string; id?: string; code?: string; match?: Obj }): Obj | undefined {
  return allOfType(db, spec.type).find((o) =>
    spec.id ? o.id === spec.id : spec.code ? o.code === spec.code : Object.entries(spec.match ?? {}).every(([k, v]) => o[k] === v),
  );
}

/** Values at a dotted path with `[n]` and `[*]` (a `[*]` yields one value per element). */
function at(o: unknown, p: string): { values: unknown[]; star: boolean } {
  let cur: unknown[] = [o];
  let star = false;
  for (const part of p.split('.')) {
    const m = /^([^[]+)(?:\[(\*|\d+)\])?$/.exec(part)!;
    cur = cur.map((c) => (isObj(c) ? c[m[1]!] : undefined));
    if (m[2] === '*') {
      star = true;
      cur = cur.flatMap((c) => (Array.isArray(c) ? c : []));
    } else if (m[2] !== undefined) cur = cur.map((c) => (Array.isArray(c) ? c[Number(m[2])] : undefined));
  }
  return { values: cur, star };
}
const norm = (v: unknown): unknown => (isObj(v) && typeof v.id === 'string' && Object.keys(v).length <= 3 ? v.id : v === undefined ? null : v);
const sizeOf = (v: unknown): number => (Array.isArray(v) ? v.length : isObj(v) ? 1 : 0);

function checkObject(o: Obj | undefined, e: Obj, label: string): void {
  expect(o, `${label} exists`).toBeDefined();
  for (const [p, want] of Object.entries((e.props as Obj) ?? {})) {
    const { values, star } = at(o, p);
    if (star && Array.isArray(want)) expect(values.map(norm), `${label} ${p}`).toEqual(want);
    else if (star) for (const v of values) expect(norm(v), `${label} ${p}`).toEqual(want);
    else expect(norm(values[0]), `${label} ${p}`).toEqual(want);
  }
  for (const [p, n] of Object.entries((e.sizes as Obj) ?? {})) expect(sizeOf(at(o, p).values[0]), `${label} size of ${p}`).toBe(n);
  for (const [p, n] of Object.entries((e.minSizes as Obj) ?? {})) expect(sizeOf(at(o, p).values[0]), `${label} size of ${p}`).toBeGreaterThanOrEqual(n as number);
  for (const p of (e.present as string[]) ?? []) expect(at(o, p).values[0], `${label} ${p} present`).not.toBeUndefined();
}

function errorsOf(r: ImportReport): ErrorReport[] {
  return r.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports));
}

function checkReport(r: ImportReport, x: Obj): void {
  const errors = errorsOf(r);
  const dump = JSON.stringify(errors.map((e) => `${e.errorCode} ${e.message}`).slice(0, 12));
  if (x.status !== undefined) expect(r.status, `status; errors ${dump}`).toBe(x.status);
  if (x.errorCount !== undefined) expect(errors.length, `errorCount; errors ${dump}`).toBe(x.errorCount);
  if (x.errorCodes) expect([...new Set(errors.map((e) => e.errorCode))].sort(), dump).toEqual([...(x.errorCodes as string[])].sort());
  for (const [code, n] of Object.entries((x.errorCodeCounts as Obj) ?? {})) expect(errors.filter((e) => e.errorCode === code).length, `${code}; ${dump}`).toBe(n);
  for (const [code, n] of Object.entries((x.errorCodeMin as Obj) ?? {}))
    expect(errors.filter((e) => e.errorCode === code).length, `${code}; ${dump}`).toBeGreaterThanOrEqual(n as number);
  for (const e of (x.errors as Obj[]) ?? []) expect(errors.some((a) => a.errorCode === e.errorCode && (e.property === undefined || a.errorProperty === e.property)), `${JSON.stringify(e)}; ${dump}`).toBe(true);
  for (const m of (x.errorMessages as string[]) ?? []) expect(errors.map((e) => e.message), dump).toContain(m);
  if (x.errorMessageParts) {
    const parts = x.errorMessageParts as { beforeFirstDot: string[]; fromFirstDot: string[] };
    const msg = errors[0]?.message ?? '';
    const dot = msg.indexOf('.');
    const before = dot >= 0 ? msg.slice(0, dot) : msg;
    const after = dot >= 0 ? msg.slice(dot) : '';
    for (const s of parts.beforeFirstDot) expect(before).toContain(s);
    for (const s of parts.fromFirstDot) expect(after).toContain(s);
  }
  for (const ref of (x.invalidReferences as { type: string; id: string }[]) ?? [])
    expect(errors.some((e) => e.errorCode === 'E5002' && e.message.includes(`[${ref.id}] (${ref.type})`)), `invalid reference ${ref.id}; ${dump}`).toBe(true);
  for (const [k, v] of Object.entries((x.stats as Obj) ?? {})) expect(r.stats[k as keyof typeof r.stats], `stats.${k}; ${JSON.stringify(r.stats)} ${dump}`).toBe(v);
  for (const [type, st] of Object.entries((x.typeStats as Obj) ?? {})) {
    const tr = r.typeReports.find((t) => t.klass === METADATA_TYPES[type]?.klass);
    for (const [k, v] of Object.entries(st as Obj)) expect(tr?.stats[k as 'created'], `${type}.${k}`).toBe(v);
  }
  for (const [type, spec] of Object.entries((x.objectReports as Obj) ?? {})) {
    const s = spec as { count?: number; errorsEach?: number };
    const tr = r.typeReports.find((t) => t.klass === METADATA_TYPES[type]?.klass);
    const ors = (tr?.objectReports ?? []).filter((o) => o.errorReports.length > 0);
    if (s.count !== undefined) expect(ors.length, `${type} object reports; ${dump}`).toBe(s.count);
    if (s.errorsEach !== undefined) for (const o of ors) expect(o.errorReports.length, `${type} errors per object; ${dump}`).toBe(s.errorsEach);
  }
  if (x.statsIgnoredLessThanTotal) expect(r.stats.ignored, `${JSON.stringify(r.stats)} ${dump}`).toBeLessThan(r.stats.total);
}

function checkAfter(db: Db, a: Obj, uidsBefore: Map<string, string>): void {
  for (const [type, n] of Object.entries((a.counts as Obj) ?? {})) expect(allOfType(db, type).length, `count of ${type}`).toBe(n);
  for (const [type, n] of Object.entries((a.minCounts as Obj) ?? {})) expect(allOfType(db, type).length, `count of ${type}`).toBeGreaterThanOrEqual(n as number);
  for (const e of (a.objects as Obj[]) ?? []) {
    const spec = e as { type: string; id?: string; code?: string; match?: Obj };
    const o = find(db, spec);
    checkObject(o, e, `${spec.type} ${spec.id ?? spec.code ?? JSON.stringify(spec.match)}`);
    if (a.uidUnchanged && spec.code && uidsBefore.has(spec.code)) expect(o?.id, 'uid unchanged').toBe(uidsBefore.get(spec.code));
  }
  for (const e of (a.absent as { type: string; id: string }[]) ?? []) expect(find(db, e), `${e.type} ${e.id} absent`).toBeUndefined();
  for (const [type, e] of Object.entries((a.eachOfType as Obj) ?? {})) {
    const list = allOfType(db, type);
    expect(list.length, `${type} exist`).toBeGreaterThan(0);
    for (const o of list) checkObject(o, e as Obj, `${type} ${String(o.id)}`);
  }
  for (const e of (a.noNullReferences as { type: string; id: string; collection: string }[]) ?? []) {
    const o = find(db, e);
    expect(o).toBeDefined();
    const list = o![e.collection];
    expect(Array.isArray(list), `${e.collection} is a list`).toBe(true);
    for (const x of list as unknown[]) expect(isObj(x) && typeof x.id === 'string', `${e.type}.${e.collection} entry`).toBe(true);
  }
  if (a.optionSetOptionsEach !== undefined) for (const os of allOfType(db, 'optionSets')) expect(sizeOf(os.options)).toBe(a.optionSetOptionsEach);
}

async function runImportCase(c: CorpusCase): Promise<void> {
  keptDefaults = new Set<string>();
  for (const s of c.setup ?? []) {
    const text = fs.readFileSync(corpusPath(s), 'utf8');
    for (const u of DEFAULTS) if (text.includes(`"${u}"`)) keptDefaults.add(u);
  }
  const cdb = await openCaseDb(c);
  try {
    for (const b of c.before ?? []) {
      const job = await importThrough(cdb.ferry, b.file, caseOptions(b.options), 'metadata');
      expect(job.error, `before ${b.file}: ${JSON.stringify(job.error)}`).toBeNull();
    }
    const uidsBefore = new Map<string, string>();
    for (const r of cdb.ferry.db.prepare(`SELECT uid, code FROM metadata_object WHERE code IS NOT NULL`).all() as { uid: string; code: string }[]) uidsBefore.set(r.code, r.uid);
    const job = await importThrough(cdb.ferry, c.file, caseOptions(c.options), 'metadata');
    expect(job.error, JSON.stringify(job.error)).toBeNull();
    const report = job.summary as ImportReport;
    expect(report.responseType).toBe('ImportReport');
    checkReport(report, c.expect);
    if (c.expect.after) checkAfter(cdb.ferry.db, c.expect.after as Obj, uidsBefore);
  } finally {
    await cdb.close();
  }
}

async function runParseCase(c: CorpusCase): Promise<void> {
  const file = corpusPath(c.file);
  const input = await openInput(file);
  const read = file.endsWith('.xml') ? readDxf2XmlMetadata : readDxf2JsonMetadata;
  const parsed: Record<string, Obj[]> = {};
  for await (const r of read(input.chunks(), input.name, { keys: [] })) (parsed[r.type] ??= []).push(r.object);
  for (const [type, list] of Object.entries(c.expect.parsed as Record<string, Obj[]>)) {
    expect(parsed[type]?.length, type).toBe(list.length);
    list.forEach((want, i) => expect(parsed[type]![i]).toMatchObject(want));
  }
}

async function runDetectCase(c: CorpusCase): Promise<void> {
  const file = corpusPath(c.file);
  const want = (c.expect.detected ?? {}) as { compression?: string; firstCharsAfterUnwrap?: string };
  const input = await openInput(file);
  try {
    if (want.compression) expect(input.compression).toBe(want.compression);
    if (want.firstCharsAfterUnwrap) expect(input.head.subarray(0, want.firstCharsAfterUnwrap.length).toString('utf8')).toBe(want.firstCharsAfterUnwrap);
    detectFormat(input.head, input.name);
  } finally {
    input.close();
  }
  // a DXF2 metadata import must refuse it with a clear message rather than import nothing
  const engine = new MetadataEngine(openDb(':memory:'), {
    dryRun: true, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', identifier: 'UID', skipValidation: false, skipSharing: false,
    skipTranslation: false, importReportMode: 'ERRORS', firstRowIsHeader: true, now: '', sourceFileId: null,
  });
  await expect(readMetadataFile({ path: file, name: path.basename(file) }, engine, undefined)).rejects.toThrow(/not DHIS2 metadata|no DHIS2 metadata/);
}

const cases = loadCases('metadata');

describe.skipIf(corpusExists)('DHIS2 metadata conformance without the corpus', () => {
  it.skip('skipped: ../shared/corpus was not found next to the repository', () => undefined);
});

describe.skipIf(!corpusExists)('DHIS2 metadata conformance (../shared/corpus)', () => {
  for (const c of cases) {
    const title = `${c.id}${c.phase ? ` [${c.phase}]` : ''}`;
    if (c.applicable === false) {
      it.skip(`${title} — not applicable offline: ${c.reason ?? ''}`, () => undefined);
      continue;
    }
    const fn = (): Promise<void> => (c.phase === 'parse' ? runParseCase(c) : c.phase === 'detect' ? runDetectCase(c) : runImportCase(c));
    const reason = METADATA_EXPECTED_FAILURES[c.id];
    if (reason) it.fails(`${title} — expected failure: ${reason}`, fn);
    else it(title, fn);
  }
});
