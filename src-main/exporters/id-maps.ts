/**
 * Output id schemes: maps metadata_object.id → the identifier DHIS2 would write for UID, CODE, NAME, ID or
 * ATTRIBUTE:<uid>. Built once per export as arrays indexed by the integer id (O(1) per value, no per-row queries).
 * Objects lacking the chosen property map to null (DHIS2 writes null / omits the attribute).
 */
import type { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { ErrorKey } from '../../src-shared/i18n/error-messages.ts';
import { parseIdScheme } from '../../src-shared/dhis2/options.ts';

export type IdScheme = string;

/** what a selection names (a key of the errors catalogue under export.what) */
export type ObjectWhat = ErrorKey extends infer K ? (K extends `export.what.${infer W}` ? W : never) : never;

export function normalizeScheme(s: unknown, fallback: IdScheme): IdScheme {
  if (s == null || s === '') return fallback;
  const scheme = parseIdScheme(String(s));
  if (!scheme) throw ferryError('BAD_REQUEST', 'export.unknownIdScheme', { scheme: String(s).trim() });
  return scheme;
}

/** An id → identifier lookup for one metadata type under one scheme, with a fallback for ids of other types. */
export class IdMap {
  private readonly arr: (string | null | undefined)[];
  private readonly extra = new Map<number, string | null>();
  constructor(
    private readonly repo: MetadataLookupRepo,
    readonly type: string,
    readonly scheme: IdScheme,
  ) {
    this.arr = new Array<string | null | undefined>(repo.maxId() + 1).fill(undefined);
    for (const r of repo.identifiers(type, scheme)) this.arr[r[0]] = r[1] == null ? null : String(r[1]);
  }
  get(id: number): string | null {
    const v = this.arr[id];
    if (v !== undefined) return v;
    return this.lookup(id);
  }
  private lookup(id: number): string | null {
    if (this.extra.has(id)) return this.extra.get(id)!;
    const r = this.repo.identifierOf(id, this.scheme);
    const v = r == null ? null : String(r);
    this.extra.set(id, v);
    return v;
  }
}

/**
 * Resolves the ids a user typed (UID first, then code, then name) to metadata_object ids of one type.
 * Unknown ids are an error naming them: an export that silently ignores a filter would export the wrong data.
 */
export function resolveIds(repo: MetadataLookupRepo, type: string, ids: string[], what: ObjectWhat): number[] {
  const out: number[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const r = repo.idByUid(type, id) ?? repo.idByCode(type, id) ?? repo.idByName(type, id);
    if (r == null) missing.push(id);
    else out.push(r);
  }
  if (missing.length)
    throw ferryError('BAD_REQUEST', 'export.noMatching', { what, ids: missing.map((m) => `'${m}'`).join(', ') }, { missing });
  return [...new Set(out)];
}
