/**
 * The DXF2 metadata import engine (spec §2): preheat (match by UID or CODE, assign UIDs) → validate (DHIS2's checks in
 * DHIS2's order) → write through MetadataRepo → ImportReport. Works on a payload held in memory (as DHIS2 does);
 * every database lookup is a batch query or a map built once per import.
 */
import type { Db } from '../../db/open.ts';
import { MetadataRepo } from '../../db/repos/metadata.ts';
import { generateUid, isValidUid } from '../../../src-shared/dhis2/uid.ts';
import type { MetadataImportOptions } from '../../../src-shared/dhis2/options.ts';
import {
  emptyStats,
  type ErrorReport,
  type ImportReport,
  type MissingReference,
  type ObjectReport,
  type Stats,
  type TypeReport,
} from '../../../src-shared/dhis2/import-summary.ts';
import {
  DEFAULT_UIDS,
  ENVELOPE_KEYS,
  IDENTIFIABLE,
  IMPORT_ORDER,
  METADATA_TYPES,
  simpleClassName,
} from '../../../src-shared/dhis2/schema/registry.ts';
import type { EmbeddedSpec, RefSpec, TypeSpec } from '../../../src-shared/dhis2/schema/types.ts';

export type Obj = Record<string, unknown>;

export interface PayloadRecord {
  type: string;
  index: number;
  object: Obj;
}

export interface EngineOptions extends Omit<MetadataImportOptions, 'importReportMode'> {
  importReportMode: string;
  /** fixtures: no UID format check, no schema/uniqueness checks, default objects merged into the stored defaults */
  lenient?: boolean;
  sourceFileId?: number | null;
  /** ISO time recorded as lastUpdated */
  now: string;
}

export interface EngineHooks {
  progress?(stage: string, done: number, total: number): void;
  throwIfCancelled?(): void;
}

export interface EngineResult {
  report: ImportReport;
  /** false: nothing may be committed (atomicMode ALL with errors) */
  commit: boolean;
}

/** A stored object as the preheat loads it: the full JSON only for the types whose checks need it. */
interface Stored {
  id: number;
  uid: string;
  type: string;
  code: string | null;
  name: string | null;
  created: string | null;
  /** JSON text of translations / sharing (only with skipTranslation / skipSharing) */
  translations: string | null;
  sharing: string | null;
  json: string | null;
}

/** Types whose stored JSON the checks read (category model for the COC check, owners of orphan-deleted collections). */
const FULL_JSON_TYPES = [
  'categoryOptionCombos', 'categoryCombos', 'categories',
  ...Object.values(METADATA_TYPES).filter((t) => t.orphanDelete?.length).map((t) => t.plural),
];

interface Item {
  type: string;
  spec: TypeSpec;
  index: number;
  obj: Obj;
  existing: Stored | null;
  errors: ErrorReport[];
  removed: boolean;
}

const CATEGORY_TYPES = new Set(['categoryOptions', 'categories', 'categoryCombos', 'categoryOptionCombos']);
const DEFAULT_UID_SET = new Set(Object.values(DEFAULT_UIDS));
const CHUNK = 900;

/** Per-type property lists merged with the identifiable defaults, built once (not per object). */
interface Shape {
  embedded: [string, EmbeddedSpec][];
  maxLengths: [string, number][];
}
const shapes = new Map<string, Shape>();
function shapeOf(type: string): Shape {
  let s = shapes.get(type);
  if (!s) {
    const spec = METADATA_TYPES[type];
    s = {
      embedded: Object.entries({ ...IDENTIFIABLE.embedded, ...spec?.embedded }),
      maxLengths: Object.entries({ ...IDENTIFIABLE.maxLengths, ...spec?.maxLengths }),
    };
    shapes.set(type, s);
  }
  return s;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `{name} [{uid}] ({Class})` or `[{uid}] ({Class})` as DHIS2 renders objects in messages. */
function describe(type: string, o: { id?: unknown; code?: unknown; name?: unknown } | undefined, key?: string): string {
  const ident = key ?? str(o?.id) ?? str(o?.code) ?? '';
  const name = str(o?.name);
  return `${name ? name + ' ' : ''}[${ident}] (${simpleClassName(type)})`;
}

function singularProp(prop: string, target: string): string {
  if (prop === target) return METADATA_TYPES[target]?.singular ?? prop;
  if (prop.endsWith('ies')) return prop.slice(0, -3) + 'y';
  if (prop.endsWith('s')) return prop.slice(0, -1);
  return prop;
}

export class MetadataEngine {
  private readonly repo: MetadataRepo;
  /** stored objects found by the preheat, per type */
  private readonly dbByUid = new Map<string, Map<string, Stored>>();
  private readonly dbByCode = new Map<string, Map<string, Stored>>();
  private items: Item[] = [];
  private readonly byType = new Map<string, Item[]>();
  private readonly payloadByUid = new Map<string, Map<string, Item>>();
  private readonly payloadByCode = new Map<string, Map<string, Item>>();
  private readonly unknownKeys: string[] = [];
  private readonly skipped = new Map<string, { count: number; reason: string }>();
  private readonly missingRefs: MissingReference[] = [];
  private readonly refErrorTypes = new Set<string>();
  private generatedCocs = 0;
  private knownKeys = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: EngineOptions,
    private readonly hooks: EngineHooks = {},
  ) {
    this.repo = new MetadataRepo(db);
  }

  // ------------------------------------------------------------------ input
  /** Notes a top-level key of the payload (arrays or not), so unknown keys are reported. */
  noteKey(key: string, count: number): void {
    if (ENVELOPE_KEYS.includes(key) || key === '_fixture') return;
    const spec = METADATA_TYPES[key];
    if (!spec) {
      if (!this.unknownKeys.includes(key)) this.unknownKeys.push(key);
      return;
    }
    this.knownKeys++;
    if (spec.importable === false || spec.embeddedIn) {
      const s = this.skipped.get(key) ?? {
        count: 0,
        reason: spec.skipReason ?? `${key} are part of ${spec.embeddedIn?.type}: import them inside their parent`,
      };
      s.count += count;
      this.skipped.set(key, s);
    }
  }

  add(rec: PayloadRecord): void {
    const spec = METADATA_TYPES[rec.type];
    if (!spec || spec.importable === false || spec.embeddedIn) return;
    const item: Item = { type: rec.type, spec, index: rec.index, obj: rec.object, existing: null, errors: [], removed: false };
    this.items.push(item);
    let list = this.byType.get(rec.type);
    if (!list) this.byType.set(rec.type, (list = []));
    list.push(item);
  }

  hasMetadata(): boolean {
    return this.items.length > 0 || this.knownKeys > 0;
  }

  // ------------------------------------------------------------------ run
  run(): EngineResult {
    const o = this.opts;
    this.dropDefaults();
    this.preheat();
    this.hooks.throwIfCancelled?.();
    if (o.importStrategy === 'DELETE') return this.runDelete();
    this.match();
    this.connectDefaults();
    this.legacyCoordinates();
    this.hooks.progress?.('validating', 0, this.items.length);
    this.checkDuplicateIds();
    this.checkStrategy();
    if (!o.lenient) {
      this.checkSchema();
      this.checkUniqueness();
      this.checkAttributes();
    }
    this.checkReferences();
    if (!o.lenient) {
      this.checkUidFormat();
      this.checkCategoryOptionCombos();
      this.checkDashboards();
    }
    this.hooks.throwIfCancelled?.();
    const hasErrors = this.items.some((i) => i.errors.length > 0);
    const failAll = hasErrors && o.atomicMode === 'ALL' && !o.lenient;
    if (!failAll) this.write();
    return { report: this.buildReport(failAll ? 'ERROR' : hasErrors ? 'WARNING' : 'OK', failAll), commit: !failAll };
  }

  // ------------------------------------------------------------------ preheat
  private dropDefaults(): void {
    for (const type of CATEGORY_TYPES) {
      const list = this.byType.get(type);
      if (!list) continue;
      const keep: Item[] = [];
      for (const it of list) {
        const isDefault = it.obj.id === DEFAULT_UIDS[type] || (it.obj.id == null && it.obj.name === 'default');
        if (!isDefault) {
          keep.push(it);
          continue;
        }
        it.removed = true;
        // DHIS2 drops default objects silently; fixtures may carry properties (e.g. a code) the stored default needs
        if (this.opts.lenient) {
          const stored = this.repo.getByUid(type, DEFAULT_UIDS[type]!);
          if (stored) {
            const merged = { ...stored.json };
            for (const k of ['code', 'name', 'shortName']) if (it.obj[k] != null) merged[k] = it.obj[k];
            this.repo.upsert(type, merged, this.opts.sourceFileId ?? null);
          }
        }
      }
      this.byType.set(type, keep);
    }
    this.items = this.items.filter((i) => !i.removed);
  }

  private forEachRef(it: Item, fn: (target: string, ref: Obj) => void): void {
    const visit = (o: Obj, refs: Record<string, RefSpec> | undefined): void => {
      if (!refs) return;
      for (const [p, r] of Object.entries(refs)) {
        const v = o[p];
        if (r.collection && Array.isArray(v)) for (const x of v) isObj(x) && fn(r.target, x);
        else if (isObj(v)) fn(r.target, v);
      }
    };
    visit(it.obj, it.spec.refs);
    for (const [p, e] of shapeOf(it.type).embedded) {
      const v = it.obj[p];
      if (Array.isArray(v)) for (const x of v) isObj(x) && visit(x, e.refs);
      else if (isObj(v)) visit(v, e.refs);
    }
  }

  /** Loads, in batches, the stored objects the payload mentions (by uid, and by code per type). */
  private preheat(): void {
    const uids = new Set<string>(DEFAULT_UID_SET);
    const codes = new Map<string, Set<string>>();
    const addCode = (type: string, code: string | undefined): void => {
      if (!code) return;
      let set = codes.get(type);
      if (!set) codes.set(type, (set = new Set()));
      set.add(code);
    };
    for (const it of this.items) {
      const id = str(it.obj.id);
      if (id) uids.add(id);
      addCode(it.type, str(it.obj.code));
      this.forEachRef(it, (target, ref) => {
        const rid = str(ref.id);
        if (rid) uids.add(rid);
        addCode(target, str(ref.code));
      });
    }
    const statements = new Map<string, { all(...params: unknown[]): unknown[] }>();
    const load = (sql: string, keys: string[], first: unknown[] = []): void => {
      for (let i = 0; i < keys.length; i += CHUNK) {
        const part = keys.slice(i, i + CHUNK);
        const key = `${part.length}:${sql}`;
        let st = statements.get(key);
        if (!st) statements.set(key, (st = this.db.prepare(sql.replace('?*', part.map(() => '?').join(',')))));
        for (const r of st.all(...first, ...part) as Stored[]) this.remember(r);
      }
    };
    const cols =
      `id, uid, type, code, name, json_extract(json, '$.created') AS created, ` +
      `${this.opts.skipTranslation ? `json_extract(json, '$.translations')` : 'NULL'} AS translations, ` +
      `${this.opts.skipSharing ? `json_extract(json, '$.sharing')` : 'NULL'} AS sharing, ` +
      `CASE WHEN type IN (${FULL_JSON_TYPES.map((t) => `'${t}'`).join(',')}) THEN json END AS json`;
    // a database smaller than the lookup (e.g. a first import) is read once instead of in batches
    const stored = this.db.prepare(`SELECT count(*) FROM metadata_object`).pluck().get() as number;
    if (stored <= uids.size) {
      for (const r of this.db.prepare(`SELECT ${cols} FROM metadata_object`).iterate() as IterableIterator<Stored>) this.remember(r);
      return;
    }
    load(`SELECT ${cols} FROM metadata_object WHERE uid IN (?*)`, [...uids]);
    for (const [type, set] of codes) {
      const known = this.dbByCode.get(type);
      const rest = known ? [...set].filter((c) => !known.has(c)) : [...set];
      if (rest.length) load(`SELECT ${cols} FROM metadata_object WHERE type = ? AND code IN (?*)`, rest, [type]);
    }
  }

  private remember(r: Stored): void {
    let m = this.dbByUid.get(r.type);
    if (!m) this.dbByUid.set(r.type, (m = new Map()));
    m.set(r.uid, r);
    if (r.code != null) {
      let c = this.dbByCode.get(r.type);
      if (!c) this.dbByCode.set(r.type, (c = new Map()));
      c.set(r.code, r);
    }
  }

  /**
   * The stored object a payload object is: by the chosen identifier (UID: `id`; CODE: `code`), else by the other one
   * (UID mode: an object without id is found by its code; CODE mode: an object whose uid is stored is that object).
   */
  private findStored(type: string, o: Obj): Stored | null {
    const id = str(o.id);
    const code = str(o.code);
    const byId = id ? (this.dbByUid.get(type)?.get(id) ?? null) : null;
    const byCode = code ? (this.dbByCode.get(type)?.get(code) ?? null) : null;
    if (this.opts.identifier === 'CODE') return byCode ?? byId;
    return id ? byId : byCode;
  }

  /** Matches payload objects with stored ones; matched objects keep the stored UID; others without id get one. */
  private match(): void {
    for (const it of this.items) {
      it.existing = this.findStored(it.type, it.obj);
      if (it.existing) it.obj.id = it.existing.uid;
      else if (!str(it.obj.id)) it.obj.id = generateUid();
      const uid = it.obj.id as string;
      let m = this.payloadByUid.get(it.type);
      if (!m) this.payloadByUid.set(it.type, (m = new Map()));
      if (!m.has(uid)) m.set(uid, it);
      const code = str(it.obj.code);
      if (code) {
        let c = this.payloadByCode.get(it.type);
        if (!c) this.payloadByCode.set(it.type, (c = new Map()));
        if (!c.has(code)) c.set(code, it);
      }
    }
  }

  /** A missing reference to the category model is connected to the system default (not on embedded objects). */
  private connectDefaults(): void {
    for (const it of this.items) {
      if (it.type === 'categoryOptionCombos') continue;
      for (const [p, r] of Object.entries(it.spec.refs ?? {})) {
        if (r.collection || !CATEGORY_TYPES.has(r.target) || it.obj[p] != null) continue;
        it.obj[p] = { id: DEFAULT_UIDS[r.target] };
      }
    }
  }

  /** Before 2.32 org units carried `featureType` + `coordinates` (JSON text) instead of GeoJSON `geometry`. */
  private legacyCoordinates(): void {
    const types: Record<string, string> = { POINT: 'Point', POLYGON: 'Polygon', MULTI_POLYGON: 'MultiPolygon' };
    for (const it of this.byType.get('organisationUnits') ?? []) {
      const o = it.obj;
      if (o.geometry != null || typeof o.coordinates !== 'string' || typeof o.featureType !== 'string') continue;
      const t = types[o.featureType];
      if (!t) continue;
      try {
        const coordinates = JSON.parse(o.coordinates) as unknown;
        if (!Array.isArray(coordinates)) continue;
        o.geometry = { type: t, coordinates };
        delete o.coordinates;
      } catch {
        /* not JSON: leave the object as it is */
      }
    }
  }

  // ------------------------------------------------------------------ checks
  private error(it: Item, code: string, message: string, extra: Partial<ErrorReport> = {}, remove = true): void {
    it.errors.push({ message, mainKlass: it.spec.klass, mainId: str(it.obj.id), errorCode: code, ...extra });
    if (remove) it.removed = true;
  }

  private live(type?: string): Item[] {
    return (type ? (this.byType.get(type) ?? []) : this.items).filter((i) => !i.removed);
  }

  private checkDuplicateIds(): void {
    for (const [type, list] of this.byType) {
      const seen = new Set<string>();
      for (const it of list) {
        const id = it.obj.id as string;
        if (seen.has(id)) {
          this.error(it, 'E5004', `Id \`${id}\` for type \`${simpleClassName(type)}\` exists on more than 1 object in the payload, removing all but the first found`, {
            errorProperty: 'id', args: [id, simpleClassName(type)], value: id,
          });
        } else seen.add(id);
      }
    }
  }

  private checkStrategy(): void {
    const s = this.opts.importStrategy;
    for (const it of this.live()) {
      if ((s === 'CREATE' && it.existing) || (s === 'UPDATE' && !it.existing)) this.strategyError(it);
    }
  }

  private strategyError(it: Item): void {
    const s = this.opts.importStrategy;
    const d = describe(it.type, it.obj);
    if (s === 'CREATE') {
      this.error(it, 'E5000', `Found matching object for reference, but import mode is CREATE. Identifier was ${this.opts.identifier}, and object was ${d}.`, {
        errorProperty: 'id', args: [this.opts.identifier, d], value: it.obj.id as string,
      });
    } else {
      this.error(it, 'E5001', `No matching object for reference. Identifier was ${this.opts.identifier}, and object was ${d}.`, {
        errorProperty: 'id', args: [this.opts.identifier, d], value: String(it.obj.id ?? it.obj.code ?? ''),
      });
    }
  }

  private checkSchema(): void {
    for (const it of this.live()) {
      for (const p of it.spec.required ?? []) {
        const v = it.obj[p];
        if (v === null || v === undefined) this.error(it, 'E4000', `Missing required property \`${p}\``, { errorProperty: p, args: [p] }, false);
      }
      for (const [p, max] of shapeOf(it.type).maxLengths) this.checkLength(it, p, it.obj[p], max);
      for (const [p, e] of Object.entries(it.spec.embedded ?? {})) {
        const v = it.obj[p];
        const list = Array.isArray(v) ? v : isObj(v) ? [v] : [];
        for (const x of list) {
          if (!isObj(x)) continue;
          for (const q of e.required ?? []) {
            if (x[q] == null) this.error(it, 'E4000', `Missing required property \`${p}.${q}\``, { errorProperty: `${p}.${q}`, args: [`${p}.${q}`] }, false);
          }
          for (const [q, max] of Object.entries(e.maxLengths ?? {})) this.checkLength(it, `${p}.${q}`, x[q], max);
        }
      }
      if (it.errors.length) it.removed = true;
    }
  }

  private checkLength(it: Item, prop: string, v: unknown, max: number): void {
    if (typeof v === 'string' && v.length > max) {
      this.error(it, 'E4001', `Maximum length of property \`${prop}\`is ${max}, but given length was ${v.length}`, {
        errorProperty: prop, args: [prop, String(max), String(v.length)], value: v.length > 60 ? v.slice(0, 57) + '...' : v,
      }, false);
    }
  }

  /** Stored values of a property for a type, value → uid (code/name from columns, others from the JSON). */
  private storedValues(type: string, prop: string): Map<string, { uid: string; name: string | null }> {
    const col = prop === 'code' || prop === 'name' ? prop : `json_extract(json, '$.${prop}')`;
    const rows = this.db.prepare(`SELECT uid, name, ${col} AS v FROM metadata_object WHERE type = ? AND ${col} IS NOT NULL`).all(type) as {
      uid: string; name: string | null; v: unknown;
    }[];
    const m = new Map<string, { uid: string; name: string | null }>();
    for (const r of rows) m.set(String(r.v), { uid: r.uid, name: r.name });
    return m;
  }

  private checkUniqueness(): void {
    for (const [type, list0] of this.byType) {
      const spec = METADATA_TYPES[type]!;
      const props = [...new Set([...IDENTIFIABLE.unique, ...(spec.unique ?? [])])];
      for (const p of props) {
        const list = list0.filter((i) => !i.removed && typeof i.obj[p] === 'string');
        if (!list.length) continue;
        const stored = this.storedValues(type, p);
        const seen = new Map<string, Item>();
        for (const it of list) {
          const v = it.obj[p] as string;
          const uid = it.obj.id as string;
          const other = stored.get(v);
          const first = seen.get(v);
          let clash: string | null = null;
          if (other && other.uid !== uid && !this.payloadOwnsUid(type, other.uid, p, v)) clash = describe(type, { id: other.uid, name: other.name });
          else if (first && first.obj.id !== uid) clash = describe(type, first.obj);
          if (clash) {
            const d = describe(type, it.obj);
            this.error(it, 'E5003', `Property \`${p}\` with value \`${v}\` on object ${d} already exists on object ${clash}`, {
              errorProperty: p, args: [p, v, d, clash], value: v,
            });
          } else if (!first) seen.set(v, it);
        }
      }
    }
  }

  /** true when the stored owner of a value is itself updated in this payload with another value (no clash). */
  private payloadOwnsUid(type: string, uid: string, prop: string, value: string): boolean {
    const it = this.payloadByUid.get(type)?.get(uid);
    return !!it && !it.removed && it.obj[prop] !== value;
  }

  private checkAttributes(): void {
    const attrs = new Map<string, Obj>();
    for (const r of this.db.prepare(`SELECT json FROM metadata_object WHERE type = 'attributes'`).pluck().all() as string[]) {
      const a = JSON.parse(r) as Obj;
      attrs.set(a.id as string, a);
    }
    for (const it of this.byType.get('attributes') ?? []) attrs.set(it.obj.id as string, it.obj);
    if (!attrs.size) return;
    for (const [type, list] of this.byType) {
      const flag = METADATA_TYPES[type]!.attributeFlag;
      if (!flag) continue;
      const applicable = [...attrs.values()].filter((a) => a[flag] === true);
      const mandatory = applicable.filter((a) => a.mandatory === true);
      const unique = applicable.filter((a) => a.unique === true);
      const live = list.filter((i) => !i.removed);
      const valuesOf = (o: Obj): Map<string, string> => {
        const m = new Map<string, string>();
        for (const av of Array.isArray(o.attributeValues) ? o.attributeValues : []) {
          if (isObj(av) && isObj(av.attribute) && typeof av.attribute.id === 'string' && av.value != null && av.value !== '') m.set(av.attribute.id, String(av.value));
        }
        return m;
      };
      for (const it of live) {
        const vals = valuesOf(it.obj);
        for (const a of mandatory) {
          if (!vals.has(a.id as string)) {
            this.error(it, 'E4011', `Attribute \`${a.id}\` is required`, { errorProperty: 'attributeValues', args: [a.id as string], value: a.id as string }, false);
          }
        }
      }
      for (const a of unique) {
        const aid = a.id as string;
        const stored = new Map<string, string>();
        const rows = this.db
          .prepare(
            `SELECT m.uid AS uid, json_extract(av.value, '$.value') AS v FROM metadata_object m, json_each(m.json, '$.attributeValues') av
             WHERE m.type = ? AND json_extract(av.value, '$.attribute.id') = ?`,
          )
          .all(type, aid) as { uid: string; v: unknown }[];
        for (const r of rows) if (r.v != null) stored.set(String(r.v), r.uid);
        const seen = new Map<string, string>();
        for (const it of live) {
          const v = valuesOf(it.obj).get(aid);
          if (v == null) continue;
          const uid = it.obj.id as string;
          const other = stored.get(v);
          const clash = (other && other !== uid) || (seen.has(v) && seen.get(v) !== uid);
          if (clash) this.error(it, 'E4009', `Attribute \`${aid}\` is unique, and value \`${v}\` already exist`, { errorProperty: 'attributeValues', args: [aid, v], value: v }, false);
          else seen.set(v, uid);
        }
      }
      for (const it of live) if (it.errors.length) it.removed = true;
    }
  }

  /**
   * Resolves a reference to a uid against the payload, then the database, then the system defaults: by UID first and
   * then by code (identifier CODE: by code first); null when nothing matches.
   */
  private resolve(target: string, ref: Obj): string | null {
    const id = str(ref.id);
    const code = str(ref.code);
    const byId = (): string | null =>
      id && (this.payloadByUid.get(target)?.has(id) || this.dbByUid.get(target)?.has(id) || DEFAULT_UIDS[target] === id) ? id : null;
    const byCode = (): string | null => {
      if (!code) return null;
      const p = this.payloadByCode.get(target)?.get(code);
      if (p) return p.obj.id as string;
      return this.dbByCode.get(target)?.get(code)?.uid ?? null;
    };
    return this.opts.identifier === 'CODE' ? (byCode() ?? byId()) : (byId() ?? byCode());
  }

  private checkReferences(): void {
    const o = this.opts;
    const notOwnerErrors = o.importReportMode === 'ERRORS_NOT_OWNER';
    for (const it of this.live()) {
      let described: string | null = null;
      const dOf = (): string => (described ??= describe(it.type, it.obj));
      const handle = (holder: Obj, prop: string, r: RefSpec, path: string): void => {
        const v = holder[prop];
        if (v == null) return;
        if (r.owner === false) {
          if (notOwnerErrors && Array.isArray(v)) {
            for (const x of v) {
              if (!isObj(x)) continue;
              const rd = describe(r.target, x);
              this.error(it, 'E5006', `Non-owner reference ${rd} on object ${dOf()} for association \`${singularProp(prop, r.target)}\` disallowed for payload for ERRORS_NOT_OWNER`, {
                errorKlass: METADATA_TYPES[r.target]?.klass, errorProperty: path, args: [rd, dOf(), singularProp(prop, r.target)], value: str(x.id) ?? str(x.code),
              }, false);
            }
          }
          delete holder[prop]; // the other side owns this relation
          return;
        }
        const assoc = r.collection ? singularProp(prop, r.target) : prop;
        const fix = (x: unknown): Obj | null => {
          if (!isObj(x)) return null;
          const uid = this.resolve(r.target, x);
          if (uid) return { id: uid };
          const key = str(x.id) ?? str(x.code) ?? '';
          const rd = `[${key}] (${simpleClassName(r.target)})`;
          if (o.lenient) return { ...x };
          if (o.skipValidation) {
            this.missingRefs.push({ type: it.type, uid: it.obj.id as string, name: str(it.obj.name), property: path, targetType: r.target, target: key });
            return { ...x };
          }
          this.refErrorTypes.add(it.type);
          this.error(it, 'E5002', `Invalid reference ${rd} on object ${dOf()} for association \`${assoc}\``, {
            errorKlass: METADATA_TYPES[r.target]?.klass, errorProperty: path, errorProperties: [rd, dOf(), assoc], args: [rd, dOf(), assoc], value: key,
          }, false);
          return null;
        };
        if (r.collection) {
          if (!Array.isArray(v)) return;
          const out: Obj[] = [];
          const seen = new Set<string>();
          for (const x of v) {
            const f = fix(x);
            if (!f) continue;
            const key = String(f.id);
            if (seen.has(key)) {
              const rd = `[${key}] (${simpleClassName(r.target)})`;
              this.refErrorTypes.add(it.type);
              this.error(it, 'E5007', `Duplicate reference ${rd} on object ${dOf()} for association \`${assoc}\``, {
                errorKlass: METADATA_TYPES[r.target]?.klass, errorProperty: path, args: [rd, dOf(), assoc], value: key,
              }, false);
              continue;
            }
            seen.add(key);
            out.push(f);
          }
          holder[prop] = out;
        } else {
          const f = fix(v);
          if (f) holder[prop] = f;
          else delete holder[prop];
        }
      };
      for (const [p, r] of Object.entries(it.spec.refs ?? {})) handle(it.obj, p, r, p);
      for (const [p, e] of shapeOf(it.type).embedded) {
        const v = it.obj[p];
        const list = Array.isArray(v) ? v : isObj(v) ? [v] : [];
        for (const x of list) if (isObj(x)) for (const [q, r] of Object.entries(e.refs ?? {})) handle(x, q, r, `${p}.${q}`);
      }
    }
  }

  private checkUidFormat(): void {
    if (this.opts.importStrategy === 'UPDATE') return;
    for (const it of this.live()) {
      if (it.existing) continue;
      const uid = it.obj.id as string;
      if (!isValidUid(uid)) {
        this.error(it, 'E4014', `Invalid UID \`${uid}\` for property \`${simpleClassName(it.type)}\``, { errorProperty: 'id', args: [uid, simpleClassName(it.type)], value: uid });
      }
    }
  }

  private json(type: string, uid: string): Obj | null {
    const p = this.payloadByUid.get(type)?.get(uid);
    if (p) return p.obj;
    const s = this.dbByUid.get(type)?.get(uid);
    if (s?.json) return JSON.parse(s.json) as Obj;
    const row = this.repo.getByUid(type, uid);
    return row ? row.json : null;
  }

  /** The COCs given for a category combo must be exactly the cartesian product of its categories' options. */
  private checkCategoryOptionCombos(): void {
    const cocs = this.live('categoryOptionCombos');
    if (!cocs.length) return;
    const byCombo = new Map<string, Item[]>();
    const firstOf = new Map<string, Item>();
    const add = (combo: string, it: Item | null, holder: Item): void => {
      let l = byCombo.get(combo);
      if (!l) byCombo.set(combo, (l = []));
      if (it) l.push(it);
      if (!firstOf.has(combo)) firstOf.set(combo, holder);
    };
    for (const it of cocs) {
      const combo = isObj(it.obj.categoryCombo) ? str(it.obj.categoryCombo.id) : undefined;
      if (combo) add(combo, it, it);
      if (it.existing) {
        const old = JSON.parse(it.existing.json ?? '{}') as Obj;
        const oldCombo = isObj(old.categoryCombo) ? str(old.categoryCombo.id) : undefined;
        if (oldCombo && oldCombo !== combo) add(oldCombo, null, it);
      }
    }
    const idsOf = (o: Obj | null, p: string): string[] =>
      o && Array.isArray(o[p]) ? (o[p] as unknown[]).filter(isObj).map((x) => String(x.id)) : [];
    for (const [combo, given] of byCombo) {
      if (DEFAULT_UID_SET.has(combo)) continue;
      const comboObj = this.json('categoryCombos', combo);
      if (!comboObj) continue;
      let expected: string[][] = [[]];
      for (const cat of idsOf(comboObj, 'categories')) {
        const opts = idsOf(this.json('categories', cat), 'categoryOptions');
        expected = expected.flatMap((prefix) => opts.map((op) => [...prefix, op]));
      }
      const key = (ids: string[]): string => [...ids].sort().join(',');
      const holder = given[0] ?? firstOf.get(combo)!;
      let message: string | null = null;
      if (given.length !== expected.length) {
        message = `Importing ${given.length} CategoryOptionCombos does not match the expected amount of ${expected.length} for CategoryCombo ${combo}`;
      } else {
        const exp = new Set(expected.map(key));
        const got = new Set(given.map((g) => key(idsOf(g.obj, 'categoryOptions'))));
        const unexpected = given.filter((g) => !exp.has(key(idsOf(g.obj, 'categoryOptions'))));
        const missing = expected.filter((e) => !got.has(key(e)));
        if (unexpected.length || missing.length) {
          message =
            `Unexpected CategoryOptionCombo provided with CategoryOptions [${unexpected.map((u) => idsOf(u.obj, 'categoryOptions').join(', ')).join('], [')}] for CategoryCombo ${combo}. ` +
            `Missing expected CategoryOptionCombos with CategoryOption sets [${missing.map((m) => '[' + m.join(', ') + ']').join(', ')}]`;
        }
      }
      if (message) {
        this.error(holder, 'E1122', message, { errorKlass: METADATA_TYPES.categoryCombos!.klass, errorProperty: 'categoryOptionCombos', args: [combo], value: combo });
        for (const g of given) g.removed = true;
        holder.removed = true;
      }
    }
  }

  /** Dashboard layouts: each column index may appear once (DashboardCheck). */
  private checkDashboards(): void {
    for (const it of this.live('dashboards')) {
      const layout = it.obj.layout;
      if (!isObj(layout) || !Array.isArray(layout.columns)) continue;
      const seen = new Set<unknown>();
      for (const c of layout.columns) {
        const idx = isObj(c) ? c.index : undefined;
        if (seen.has(idx)) {
          this.error(it, 'E4069', `Dashboard layout is invalid: column index ${String(idx)} appears more than once`, { errorProperty: 'layout', value: String(idx) });
          break;
        }
        seen.add(idx);
      }
    }
  }

  // ------------------------------------------------------------------ write
  private storedJson(it: Item): Obj {
    const o = it.obj;
    const out: Obj = { ...o };
    for (const p of Object.keys(it.spec.inverse ?? {})) delete out[p];
    const old = it.existing;
    if (this.opts.skipTranslation) {
      if (old?.translations != null) out.translations = JSON.parse(old.translations) as unknown;
      else delete out.translations;
    }
    if (this.opts.skipSharing) {
      if (old?.sharing != null) out.sharing = JSON.parse(old.sharing) as unknown;
      else delete out.sharing;
    }
    for (const [k, v] of Object.entries(it.spec.defaults ?? {})) if (out[k] == null) out[k] = v;
    for (const [p, e] of Object.entries(it.spec.embedded ?? {})) {
      if (!e.defaults || !Array.isArray(out[p])) continue;
      out[p] = (out[p] as unknown[]).map((x) => {
        if (!isObj(x)) return x;
        const y = { ...x };
        for (const [k, v] of Object.entries(e.defaults!)) if (y[k] == null) y[k] = v;
        return y;
      });
    }
    out.created = old?.created ?? (o.created as string | undefined) ?? this.opts.now;
    out.lastUpdated = this.opts.now;
    return out;
  }

  private write(): void {
    const order = new Map(IMPORT_ORDER.map((t, i) => [t, i]));
    const live = this.live().sort((a, b) => (order.get(a.type) ?? 999) - (order.get(b.type) ?? 999));
    const ids = new Map<string, Map<string, number>>();
    const idOf = (type: string, uid: string): number | null => {
      const m = ids.get(type)?.get(uid);
      if (m != null) return m;
      const s = this.dbByUid.get(type)?.get(uid);
      if (s) return s.id;
      return this.repo.idOf(type, uid);
    };
    let done = 0;
    const total = live.length;
    let ouTouched = false;
    const orphans: number[] = [];
    for (const it of live) {
      const json = this.storedJson(it);
      if (it.existing) {
        for (const p of it.spec.orphanDelete ?? []) {
          const before = (JSON.parse(it.existing.json ?? '{}') as Obj)[p];
          const after = new Set(Array.isArray(json[p]) ? (json[p] as Obj[]).map((x) => x.id) : []);
          const target = it.spec.refs?.[p]?.target;
          if (!target || !Array.isArray(before)) continue;
          for (const x of before) {
            if (!isObj(x) || after.has(x.id) || this.payloadByUid.get(target)?.has(String(x.id))) continue;
            const id = this.repo.idOf(target, String(x.id));
            if (id != null) orphans.push(id);
          }
        }
      }
      const { id } = this.repo.upsert(it.type, json, this.opts.sourceFileId ?? null);
      let m = ids.get(it.type);
      if (!m) ids.set(it.type, (m = new Map()));
      m.set(json.id as string, id);
      if (it.type === 'organisationUnits') ouTouched = true;
      if (++done % 2000 === 0) {
        this.hooks.progress?.('writing', done, total * 2);
        this.hooks.throwIfCancelled?.();
      }
    }
    done = 0;
    for (const it of live) {
      const fromId = ids.get(it.type)!.get(it.obj.id as string)!;
      const refs: { toId: number; property: string }[] = [];
      const collect = (holder: Obj, refsSpec: Record<string, RefSpec> | undefined, prefix: string): void => {
        for (const [p, r] of Object.entries(refsSpec ?? {})) {
          if (r.owner === false) continue;
          const v = holder[p];
          const list = r.collection && Array.isArray(v) ? v : isObj(v) ? [v] : [];
          for (const x of list) {
            if (!isObj(x) || typeof x.id !== 'string') continue;
            const toId = idOf(r.target, x.id);
            if (toId != null) refs.push({ toId, property: prefix + p });
          }
        }
      };
      collect(it.obj, it.spec.refs, '');
      for (const [p, e] of shapeOf(it.type).embedded) {
        const v = it.obj[p];
        const list = Array.isArray(v) ? v : isObj(v) ? [v] : [];
        for (const x of list) if (isObj(x)) collect(x, e.refs, `${p}.`);
      }
      if (refs.length || it.existing) this.repo.setRefs(fromId, refs);
      if (++done % 2000 === 0) {
        this.hooks.progress?.('writing', total + done, total * 2);
        this.hooks.throwIfCancelled?.();
      }
    }
    for (const id of orphans) this.repo.delete(id);
    if (ouTouched || orphans.length) this.repo.rebuildOrgUnitPaths();
    if (!this.opts.lenient) this.generateMissingCocs(live.filter((i) => i.type === 'categoryCombos').map((i) => ids.get('categoryCombos')!.get(i.obj.id as string)!));
    this.hooks.progress?.('writing', total * 2, total * 2);
  }

  /**
   * A category combo without any category option combo gets the full cartesian product of its categories' options
   * (DHIS2 generates them after a metadata import), so data can be entered against it.
   */
  private generateMissingCocs(comboIds: number[]): void {
    const hasCoc = this.db.prepare(
      `SELECT 1 FROM metadata_ref r JOIN metadata_object m ON m.id = r.from_id WHERE r.to_id = ? AND r.property = 'categoryCombo' AND m.type = 'categoryOptionCombos' LIMIT 1`,
    );
    for (const comboId of comboIds) {
      const combo = this.repo.getById(comboId);
      if (!combo || DEFAULT_UID_SET.has(combo.uid) || hasCoc.get(comboId)) continue;
      const cats = (Array.isArray(combo.json.categories) ? combo.json.categories : []).filter(isObj).map((c) => this.repo.getByUid('categories', String(c.id)));
      if (!cats.length || cats.some((c) => !c)) continue;
      let rows: { id: number; uid: string; name: string }[][] = [[]];
      for (const cat of cats) {
        const opts = (Array.isArray(cat!.json.categoryOptions) ? cat!.json.categoryOptions : [])
          .filter(isObj)
          .map((o) => this.repo.getByUid('categoryOptions', String(o.id)))
          .filter((o): o is NonNullable<typeof o> => o != null)
          .map((o) => ({ id: o.id, uid: o.uid, name: o.name ?? o.uid }));
        rows = rows.flatMap((prefix) => opts.map((o) => [...prefix, o]));
      }
      for (const opts of rows) {
        if (!opts.length) continue;
        const coc: Obj = {
          id: generateUid(), name: opts.map((o) => o.name).join(', '), ignoreApproval: false, categoryCombo: { id: combo.uid },
          categoryOptions: opts.map((o) => ({ id: o.uid })), created: this.opts.now, lastUpdated: this.opts.now,
        };
        const { id } = this.repo.upsert('categoryOptionCombos', coc, this.opts.sourceFileId ?? null);
        this.repo.setRefs(id, [{ toId: comboId, property: 'categoryCombo' }, ...opts.map((o) => ({ toId: o.id, property: 'categoryOptions' }))]);
        this.generatedCocs++;
      }
    }
  }

  // ------------------------------------------------------------------ delete
  private runDelete(): EngineResult {
    for (const it of this.items) {
      it.existing = this.findStored(it.type, it.obj);
      if (!it.existing) {
        const d = describe(it.type, it.obj);
        this.error(it, 'E5001', `No matching object for reference. Identifier was ${this.opts.identifier}, and object was ${d}.`, {
          errorProperty: 'id', args: [this.opts.identifier, d], value: String(it.obj.id ?? it.obj.code ?? ''),
        });
      } else it.obj.id = it.existing.uid;
    }
    // data recorded against an object (values, completions, events): never deleted with it
    const usage: Record<string, [table: string, col: string, what: string][]> = {
      dataElements: [['data_value', 'de', 'data values']],
      organisationUnits: [['data_value', 'ou', 'data values'], ['complete_registration', 'ou', 'data set completions'], ['event', 'ou', 'events']],
      categoryOptionCombos: [['data_value', 'coc', 'data values'], ['data_value', 'aoc', 'data values'], ['complete_registration', 'aoc', 'data set completions']],
      dataSets: [['complete_registration', 'dataset', 'data set completions']],
      programs: [['event', 'program', 'events']],
      programStages: [['event', 'program_stage', 'events']],
    };
    for (const it of this.live()) {
      const d = describe(it.type, it.obj);
      for (const [table, col, what] of usage[it.type] ?? []) {
        const n = this.db.prepare(`SELECT count(*) FROM ${table} WHERE ${col} = ?${table === 'complete_registration' ? '' : ' AND deleted = 0'}`).pluck().get(it.existing!.id) as number;
        if (n > 0) {
          this.error(it, 'E4030', `Object could not be deleted because it is associated with another object: ${n} ${what} (${d})`, { errorProperty: 'id', args: [d], value: String(n) });
          break;
        }
      }
    }
    // objects still referenced by objects that stay (a child's parent, a data set's data element …) are kept, so no
    // reference is left dangling; repeated until stable, as a refusal can keep a referrer of another object
    for (let changed = true; changed; ) {
      changed = false;
      const deleting = new Set(this.live().map((i) => i.existing!.id));
      for (const it of this.live()) {
        const blocking = this.repo.referrers(it.existing!.id).filter((r) => !deleting.has(r.id));
        if (!blocking.length) continue;
        const d = describe(it.type, it.obj);
        const list = blocking.slice(0, 3).map((r) => `${describe(r.type, { id: r.uid })} via ${r.property}`).join(', ');
        this.error(it, 'E4030', `Object could not be deleted because it is associated with another object: ${list}${blocking.length > 3 ? ` and ${blocking.length - 3} more` : ''}`, {
          errorProperty: 'id', args: [d, list], value: String(blocking.length),
        });
        changed = true;
      }
    }
    const hasErrors = this.items.some((i) => i.errors.length);
    const failAll = hasErrors && this.opts.atomicMode === 'ALL';
    if (!failAll) {
      let ou = false;
      for (const it of this.live()) {
        this.repo.delete(it.existing!.id);
        if (it.type === 'organisationUnits') ou = true;
      }
      if (ou) this.repo.rebuildOrgUnitPaths();
    }
    return { report: this.buildReport(failAll ? 'ERROR' : hasErrors ? 'WARNING' : 'OK', failAll), commit: !failAll };
  }

  // ------------------------------------------------------------------ report
  private buildReport(status: ImportReport['status'], failAll: boolean): ImportReport {
    const order = new Map(IMPORT_ORDER.map((t, i) => [t, i]));
    const types = [...this.byType.keys()].sort((a, b) => (order.get(a) ?? 999) - (order.get(b) ?? 999));
    const total: Stats = emptyStats();
    const typeReports: TypeReport[] = [];
    const full = this.opts.importReportMode === 'FULL' || this.opts.importReportMode === 'DEBUG';
    for (const type of types) {
      const list = this.byType.get(type)!;
      const spec = METADATA_TYPES[type]!;
      const stats = emptyStats();
      for (const it of list) {
        if (it.removed) stats.ignored++;
        else if (this.opts.importStrategy === 'DELETE') stats.deleted++;
        else if (it.existing) stats.updated++;
        else stats.created++;
      }
      if (this.refErrorTypes.has(type) && this.opts.atomicMode === 'ALL') stats.ignored++;
      if (failAll) {
        stats.ignored += stats.created + stats.updated + stats.deleted;
        stats.created = stats.updated = stats.deleted = 0;
      }
      stats.total = stats.created + stats.updated + stats.deleted + stats.ignored;
      if (stats.total === 0) continue;
      const objectReports: ObjectReport[] = [];
      for (const it of list) {
        if (!it.errors.length && !full) continue;
        const r: ObjectReport = { klass: spec.klass, index: it.index, uid: str(it.obj.id), errorReports: it.errors };
        if (this.opts.importReportMode === 'DEBUG' && str(it.obj.name)) r.displayName = str(it.obj.name);
        objectReports.push(r);
      }
      typeReports.push({ klass: spec.klass, stats, objectReports });
      for (const k of ['created', 'updated', 'deleted', 'ignored', 'total'] as const) total[k] += stats[k];
    }
    const report: ImportReport = { responseType: 'ImportReport', status, stats: total, typeReports };
    if (this.unknownKeys.length) report.unknownKeys = [...this.unknownKeys];
    if (this.missingRefs.length) report.missingReferences = [...this.missingRefs];
    if (this.skipped.size) report.skippedTypes = [...this.skipped].map(([type, s]) => ({ type, count: s.count, reason: s.reason }));
    if (this.generatedCocs) report.generatedCategoryOptionCombos = this.generatedCocs;
    return report;
  }
}

/** Adds one file's report into the job's report (several files → one ImportReport). */
export function mergeReports(into: ImportReport | null, r: ImportReport): ImportReport {
  if (!into) return r;
  const rank = { OK: 0, WARNING: 1, ERROR: 2 } as const;
  const out: ImportReport = { ...into, status: rank[r.status] > rank[into.status] ? r.status : into.status };
  for (const k of ['created', 'updated', 'deleted', 'ignored', 'total'] as const) out.stats = { ...out.stats, [k]: out.stats[k] + r.stats[k] };
  const byKlass = new Map(out.typeReports.map((t) => [t.klass, { ...t, stats: { ...t.stats }, objectReports: [...t.objectReports] }]));
  for (const t of r.typeReports) {
    const e = byKlass.get(t.klass);
    if (!e) byKlass.set(t.klass, t);
    else {
      for (const k of ['created', 'updated', 'deleted', 'ignored', 'total'] as const) e.stats[k] += t.stats[k];
      for (const o of t.objectReports) e.objectReports.push(o);
    }
  }
  out.typeReports = [...byKlass.values()];
  if (r.unknownKeys) out.unknownKeys = [...new Set([...(out.unknownKeys ?? []), ...r.unknownKeys])];
  if (r.missingReferences) out.missingReferences = [...(out.missingReferences ?? []), ...r.missingReferences];
  if (r.skippedTypes) out.skippedTypes = [...(out.skippedTypes ?? []), ...r.skippedTypes];
  if (r.generatedCategoryOptionCombos) out.generatedCategoryOptionCombos = (out.generatedCategoryOptionCombos ?? 0) + r.generatedCategoryOptionCombos;
  return out;
}
