/**
 * The import's working state (DHIS2's ObjectBundle + preheat): the payload objects, the stored objects the preheat
 * found, lookups by uid and code, and what the report needs besides the objects. The preheat fills it, the checks
 * mark objects invalid, the writer and the report read it.
 */
import type { Db } from '../../db/open.ts';
import { MetadataRepo, type PreheatedObject } from '../../db/repos/metadata.ts';
import type { ErrorReport, MissingReference } from '../../../src-shared/dhis2/import-summary.ts';
import { DEFAULT_UIDS, ENVELOPE_KEYS, METADATA_TYPES } from '../../../src-shared/dhis2/schema/registry.ts';
import type { TypeSpec } from '../../../src-shared/dhis2/schema/types.ts';
import { str } from './objects.ts';
import type { EngineHooks, EngineOptions, Obj, PayloadRecord } from './types.ts';

/** A stored object as the preheat loads it: the full JSON only for the types whose checks need it. */
export type Stored = PreheatedObject;

/** One payload object. */
export interface Item {
  type: string;
  spec: TypeSpec;
  index: number;
  obj: Obj;
  /** the stored object it updates (null: a new object) */
  existing: Stored | null;
  errors: ErrorReport[];
  /** invalid (or a dropped default): not written, counted as ignored */
  removed: boolean;
}

export class Bundle {
  readonly repo: MetadataRepo;
  items: Item[] = [];
  readonly byType = new Map<string, Item[]>();
  /** stored objects found by the preheat, per type */
  readonly dbByUid = new Map<string, Map<string, Stored>>();
  readonly dbByCode = new Map<string, Map<string, Stored>>();
  /** payload objects per type, by uid and by code (the first one when given twice) */
  readonly payloadByUid = new Map<string, Map<string, Item>>();
  readonly payloadByCode = new Map<string, Map<string, Item>>();
  readonly unknownKeys: string[] = [];
  readonly skipped = new Map<string, { count: number; reason: string }>();
  /** references left unresolved under skipValidation */
  readonly missingRefs: MissingReference[] = [];
  /** types with an invalid reference (one more ignored in the type's stats under atomicMode ALL) */
  readonly refErrorTypes = new Set<string>();
  generatedCocs = 0;
  knownKeys = 0;

  constructor(
    readonly db: Db,
    readonly opts: EngineOptions,
    readonly hooks: EngineHooks = {},
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

  // ------------------------------------------------------------------ state
  /** Adds an error report to an object and (unless `remove` is false) removes the object from the import. */
  error(it: Item, code: string, message: string, extra: Partial<ErrorReport> = {}, remove = true): void {
    it.errors.push({ message, mainKlass: it.spec.klass, mainId: str(it.obj.id), errorCode: code, ...extra });
    if (remove) it.removed = true;
  }

  /** The payload objects still in the import (of one type, or all). */
  live(type?: string): Item[] {
    return (type ? (this.byType.get(type) ?? []) : this.items).filter((i) => !i.removed);
  }

  hasErrors(): boolean {
    return this.items.some((i) => i.errors.length > 0);
  }

  // ------------------------------------------------------------------ lookups
  /**
   * The stored object a payload object is: by the chosen identifier (UID: `id`; CODE: `code`), else by the other one
   * (UID mode: an object without id is found by its code; CODE mode: an object whose uid is stored is that object).
   */
  findStored(type: string, o: Obj): Stored | null {
    const id = str(o.id);
    const code = str(o.code);
    const byId = id ? (this.dbByUid.get(type)?.get(id) ?? null) : null;
    const byCode = code ? (this.dbByCode.get(type)?.get(code) ?? null) : null;
    if (this.opts.identifier === 'CODE') return byCode ?? byId;
    return id ? byId : byCode;
  }

  /**
   * Resolves a reference to a uid against the payload, then the database, then the system defaults: by UID first and
   * then by code (identifier CODE: by code first); null when nothing matches.
   */
  resolve(target: string, ref: Obj): string | null {
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

  /** An object's JSON as this import sees it: the payload's, else the stored one. */
  json(type: string, uid: string): Obj | null {
    const p = this.payloadByUid.get(type)?.get(uid);
    if (p) return p.obj;
    const s = this.dbByUid.get(type)?.get(uid);
    if (s?.json) return JSON.parse(s.json) as Obj;
    const row = this.repo.getByUid(type, uid);
    return row ? row.json : null;
  }
}
