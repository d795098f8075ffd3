/**
 * Metadata export (DHIS2 GET /api/metadata, spec §4.1): the chosen types (empty = every type stored), JSON or XML,
 * the `system` header, `skipSharing` (drops user, publicAccess, externalAccess, userGroupAccesses, userAccesses,
 * sharing) and `defaults` INCLUDE|EXCLUDE (EXCLUDE drops the system default category objects and the references to
 * them). Objects stream from SQLite one at a time; the JSON fast path writes the stored text without re-parsing.
 */
import path from 'node:path';
import type { Db } from '../db/open.ts';
import { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { OrgUnitsRepo } from '../db/repos/org-units.ts';
import type { Exporter, JobContext } from '../jobs/types.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import { metadataWriterFor } from '../formats/registry.ts';
import type { MetadataSheetWriterFactory } from '../formats/types.ts';
import { orderColumns, type NameOf } from '../formats/xlsx/metadata-writer.ts';
import { sinkWritable } from '../io/output.ts';
import { VERSION } from '../version.ts';
import { METADATA_TYPES, PLURAL_BY_SINGULAR } from '../../src-shared/dhis2/schema/registry.ts';
import { asBool, asString, asStringList, orderTypes, reportProgress, systemInfo, truncationWarning, writeFile, type BatchedOutput, type ExportWarning, type WrittenCounts } from './common.ts';

export const SHARING_KEYS = ['user', 'publicAccess', 'externalAccess', 'userGroupAccesses', 'userAccesses', 'sharing'] as const;
const SHARING_PROBE = SHARING_KEYS.map((k) => `"${k}"`);
export const DEFAULT_TYPES = ['categoryOptions', 'categories', 'categoryCombos', 'categoryOptionCombos'];

export interface MetadataTransform {
  skipSharing: boolean;
  /** uids of the default category objects to drop (defaults=EXCLUDE), else empty */
  excludeUids: Set<string>;
}

export function parseTransform(db: Db, o: Record<string, unknown>): MetadataTransform {
  const defaults = (asString(o.defaults) ?? 'INCLUDE').toUpperCase();
  if (defaults !== 'INCLUDE' && defaults !== 'EXCLUDE') throw ferryError('BAD_REQUEST', 'export.defaultsChoice', { value: defaults });
  const excludeUids = new Set<string>();
  if (defaults === 'EXCLUDE') for (const u of new MetadataLookupRepo(db).defaultCategoryObjectUids()) excludeUids.add(u);
  return { skipSharing: asBool(o.skipSharing), excludeUids };
}

/** Removes references ({"id": x} values and array items) to excluded uids, recursively. */
function stripRefs(v: unknown, uids: Set<string>): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      if (isRefTo(x, uids)) continue;
      out.push(stripRefs(x, uids));
    }
    return out;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      if (isRefTo(x, uids)) delete o[k];
      else if (x && typeof x === 'object') o[k] = stripRefs(x, uids);
    }
    return o;
  }
  return v;
}

function isRefTo(x: unknown, uids: Set<string>): boolean {
  return !!x && typeof x === 'object' && !Array.isArray(x) && typeof (x as { id?: unknown }).id === 'string' && uids.has((x as { id: string }).id) && Object.keys(x).length <= 4;
}

/**
 * Applies the transform to one stored object. Returns the JSON text to write (the stored text when nothing changes),
 * the parsed object when the caller needs it (XML) or null when the object itself is excluded.
 */
export function transformObject(uid: string, json: string, t: MetadataTransform, needParsed: boolean): { text: string; obj: Record<string, unknown> | null } | null {
  if (t.excludeUids.has(uid)) return null;
  const touchSharing = t.skipSharing && SHARING_PROBE.some((p) => json.includes(p));
  let touchDefaults = false;
  if (t.excludeUids.size) for (const u of t.excludeUids) if (json.includes(u)) touchDefaults = true;
  if (!touchSharing && !touchDefaults) return { text: json, obj: needParsed ? (JSON.parse(json) as Record<string, unknown>) : null };
  let obj = JSON.parse(json) as Record<string, unknown>;
  if (touchSharing) for (const k of SHARING_KEYS) delete obj[k];
  if (touchDefaults) obj = stripRefs(obj, t.excludeUids) as Record<string, unknown>;
  return { text: JSON.stringify(obj), obj };
}

/** A source of objects per type: uid + stored JSON text, streamed. */
export type ObjectSource = (type: string) => Iterable<{ uid: string; json: string }>;

/** Writes the metadata document for `types` (already ordered) from `source`. Returns counts per type. */
export async function writeMetadata(
  ctx: JobContext,
  o: BatchedOutput,
  format: string,
  types: string[],
  source: ObjectSource,
  t: MetadataTransform,
  total: number | null,
  fileName: string,
): Promise<Record<string, number> | WrittenCounts> {
  const factory = metadataWriterFor(format);
  if (typeof factory !== 'function') return writeMetadataSheets(ctx, o, factory, types, source, t, total, fileName);
  const counts: Record<string, number> = {};
  const sys = systemInfo(ctx.now);
  let n = 0;
  const w = factory();
  const parsed = w.takes === 'object';
  o.push(w.begin(sys));
  for (const type of types) {
    o.push(w.beginType(type));
    let c = 0;
    for (const { uid, json } of source(type)) {
      const r = transformObject(uid, json, t, parsed);
      if (!r) continue;
      c++;
      n++;
      if (o.push(w.object(r.text, r.obj))) {
        reportProgress(ctx, n, total, fileName);
        await o.flush();
      }
    }
    o.push(w.endType(type));
    counts[type] = c;
  }
  o.push(w.end());
  reportProgress(ctx, n, total, fileName);
  return counts;
}

/** Names of stored objects by uid, looked up once each (references in a spreadsheet show name and uid). */
export function storedNames(db: Db): NameOf {
  const meta = new MetadataLookupRepo(db);
  const cache = new Map<string, string | null>();
  return (uid) => {
    let v = cache.get(uid);
    if (v === undefined) {
      v = meta.nameOfUid(uid) ?? null;
      cache.set(uid, v);
    }
    return v;
  };
}

/**
 * The spreadsheet (xlsx) form of writeMetadata: a first pass over each type's objects finds its columns (the
 * property names its objects carry after the transform) and its count for the Contents sheet; the second writes the
 * rows. Both stream; only the property names are held.
 */
async function writeMetadataSheets(
  ctx: JobContext,
  o: BatchedOutput,
  factory: MetadataSheetWriterFactory,
  types: string[],
  source: ObjectSource,
  t: MetadataTransform,
  total: number | null,
  fileName: string,
): Promise<WrittenCounts> {
  const plan: { type: string; count: number; columns: string[] }[] = [];
  ctx.progress({ stage: 'collecting', done: 0, total: null, unit: 'records', records: 0, fileIndex: 0, fileName });
  for (const type of types) {
    const keys = new Set<string>();
    let count = 0;
    for (const { uid, json } of source(type)) {
      const r = transformObject(uid, json, t, true);
      if (!r) continue;
      count++;
      for (const k of Object.keys(r.obj!)) keys.add(k);
      if (count % 5000 === 0) ctx.throwIfCancelled();
    }
    plan.push({ type, count, columns: orderColumns(keys) });
  }
  const w = factory.create(sinkWritable(o.sink), storedNames(ctx.db), { creator: `Ferry ${VERSION}`, created: new Date(ctx.now) });
  w.begin(systemInfo(ctx.now), plan);
  const counts: Record<string, number> = {};
  let n = 0;
  for (const { type, columns } of plan) {
    w.beginType(type, columns);
    let c = 0;
    for (const { uid, json } of source(type)) {
      const r = transformObject(uid, json, t, true);
      if (!r) continue;
      c++;
      n++;
      if (w.object(r.obj!)) {
        reportProgress(ctx, n, total, fileName);
        await w.room();
        await o.flush();
      }
    }
    w.endType(type);
    counts[type] = c;
  }
  const { truncatedCells } = await w.end();
  reportProgress(ctx, n, total, fileName);
  const warnings: ExportWarning[] = [];
  if (truncatedCells) {
    counts.truncatedCells = truncatedCells;
    warnings.push(truncationWarning(truncatedCells));
  }
  return { counts, warnings };
}

/** Throws UNSUPPORTED unless the format registry has a metadata writer for `format`. */
export function checkMetadataFormat(format: string): void {
  metadataWriterFor(format);
}

/**
 * Streams stored objects of one type; org units by level so parents come before children. The level order sorts ids
 * only (org units with geometry can be large: their JSON is fetched one at a time, never sorted in memory).
 */
export function storedSource(db: Db): ObjectSource {
  const meta = new MetadataLookupRepo(db);
  const tree = new OrgUnitsRepo(db);
  return (type) => {
    if (type !== 'organisationUnits') return meta.uidJsonOfType(type);
    const ids = tree.idsInLevelOrder();
    return (function* () {
      for (const id of ids) yield meta.uidJsonById(id)!;
    })();
  };
}

export async function exportMetadata(ctx: JobContext, out: string, format: string, compression: string, options: Record<string, unknown>): Promise<ExportSummary> {
  checkMetadataFormat(format);
  const db = ctx.db;
  const stored = new MetadataLookupRepo(db).countsByType();
  const storedCount = new Map(stored.map((r) => [r.type, r.n]));
  const requested = [...asStringList(options.types), ...asStringList(options.type)];
  const unknown = requested.filter((t) => !storedCount.has(t) && !METADATA_TYPES[t]);
  if (unknown.length) {
    // several: the names as given, and the plural keys meant where a name is a singular (the same in every language)
    const first = unknown[0]!;
    const plural = PLURAL_BY_SINGULAR[first];
    const plurals = unknown.map((t) => PLURAL_BY_SINGULAR[t]).filter((p): p is string => p !== undefined);
    const types = unknown.map((t) => `'${t}'`).join(', ');
    throw unknown.length === 1
      ? ferryError('BAD_REQUEST', plural ? 'export.unknownTypeHint' : 'export.unknownType', plural ? { type: first, plural } : { type: first })
      : ferryError('BAD_REQUEST', plurals.length ? 'export.unknownTypesHint' : 'export.unknownTypes', plurals.length ? { types, plurals: plurals.join(', ') } : { types });
  }
  const types = orderTypes(requested.length ? requested : stored.map((r) => r.type));
  const t = parseTransform(db, options);
  const total = types.reduce((a, ty) => a + (storedCount.get(ty) ?? 0), 0);
  const fileName = path.basename(out);
  return writeFile(ctx, out, format, compression, (o) => writeMetadata(ctx, o, format, types, storedSource(db), t, total, fileName));
}

export const metadataExporter: Exporter = {
  kind: 'metadata',
  namedBy: 'metadata',
  async run(ctx, out, format, compression, options) {
    return { summary: await exportMetadata(ctx, out, format, compression, options) };
  },
};
