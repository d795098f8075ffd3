/**
 * Output id schemes: maps metadata_object.id → the identifier DHIS2 would write for UID, CODE, NAME, ID or
 * ATTRIBUTE:<uid>. Built once per export as arrays indexed by the integer id (O(1) per value, no per-row queries).
 * Objects lacking the chosen property map to null (DHIS2 writes null / omits the attribute).
 */
import type { Db } from '../db/open.ts';
import { AppError } from '../../src-shared/errors.ts';
import { parseIdScheme } from '../../src-shared/dhis2/options.ts';

export type IdScheme = string;

export function normalizeScheme(s: unknown, fallback: IdScheme): IdScheme {
  if (s == null || s === '') return fallback;
  const scheme = parseIdScheme(String(s));
  if (!scheme) throw new AppError('BAD_REQUEST', `Unknown id scheme '${String(s).trim()}' (use UID, CODE, NAME or ATTRIBUTE:<uid>).`);
  return scheme;
}

function column(scheme: IdScheme): string {
  switch (scheme) {
    case 'UID':
      return 'uid';
    case 'CODE':
      return 'code';
    case 'NAME':
      return 'name';
    case 'ID':
      return 'CAST(id AS TEXT)';
    default:
      return `(SELECT json_extract(av.value, '$.value') FROM json_each(metadata_object.json, '$.attributeValues') av WHERE json_extract(av.value, '$.attribute.id') = @attr)`;
  }
}

/** An id → identifier lookup for one metadata type under one scheme, with a fallback for ids of other types. */
export class IdMap {
  private readonly arr: (string | null | undefined)[];
  private readonly extra = new Map<number, string | null>();
  constructor(
    private readonly db: Db,
    readonly type: string,
    readonly scheme: IdScheme,
  ) {
    const max = (db.prepare(`SELECT max(id) FROM metadata_object`).pluck().get() as number | null) ?? 0;
    this.arr = new Array<string | null | undefined>(max + 1).fill(undefined);
    const attr = scheme.startsWith('ATTRIBUTE:') ? scheme.slice(10) : null;
    const stmt = db.prepare(`SELECT id, ${column(scheme)} AS v FROM metadata_object WHERE type = @type`).raw(true);
    for (const r of stmt.iterate(attr ? { type, attr } : { type }) as IterableIterator<[number, string | number | null]>) {
      this.arr[r[0]] = r[1] == null ? null : String(r[1]);
    }
  }
  get(id: number): string | null {
    const v = this.arr[id];
    if (v !== undefined) return v;
    return this.lookup(id);
  }
  private lookup(id: number): string | null {
    if (this.extra.has(id)) return this.extra.get(id)!;
    const attr = this.scheme.startsWith('ATTRIBUTE:') ? this.scheme.slice(10) : null;
    const r = this.db.prepare(`SELECT ${column(this.scheme)} FROM metadata_object WHERE id = @id`).pluck().get(attr ? { id, attr } : { id }) as
      | string
      | number
      | null
      | undefined;
    const v = r == null ? null : String(r);
    this.extra.set(id, v);
    return v;
  }
}

/**
 * Resolves the ids a user typed (UID first, then code, then name) to metadata_object ids of one type.
 * Unknown ids are an error naming them: an export that silently ignores a filter would export the wrong data.
 */
export function resolveIds(db: Db, type: string, ids: string[], label: string): number[] {
  const byUid = db.prepare(`SELECT id FROM metadata_object WHERE type = ? AND uid = ?`).pluck();
  const byCode = db.prepare(`SELECT id FROM metadata_object WHERE type = ? AND code = ?`).pluck();
  const byName = db.prepare(`SELECT id FROM metadata_object WHERE type = ? AND name = ?`).pluck();
  const out: number[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const r = (byUid.get(type, id) ?? byCode.get(type, id) ?? byName.get(type, id)) as number | undefined;
    if (r == null) missing.push(id);
    else out.push(r);
  }
  if (missing.length)
    throw new AppError('BAD_REQUEST', `No ${label} matching ${missing.map((m) => `'${m}'`).join(', ')} is stored in this database.`, { missing });
  return [...new Set(out)];
}
