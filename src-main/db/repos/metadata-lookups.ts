/**
 * Read-only metadata queries of the exporters, the data value import and the screens: identifiers under an id
 * scheme, lookups by type and uid/code/name, references inside the stored DXF2 JSON, counts. Nothing here writes;
 * the metadata import's reads and writes are MetadataRepo's (metadata.ts). Storage contract: see metadata.ts.
 */
import type { Db } from '../open.ts';
import type { MetadataListItem } from '../../../src-shared/api/contract.ts';
import { Statements } from './statements.ts';

/** A stored object with its DXF2 JSON text (parse only what is needed). */
export interface ObjectRow {
  id: number;
  uid: string;
  type: string;
  code: string | null;
  name: string | null;
  json: string;
}

/** id, uid, type and JSON text of a stored object */
export type ObjectJson = Pick<ObjectRow, 'id' | 'uid' | 'type' | 'json'>;

/** The uids of the system default category objects (DHIS2 2.42: option, category, combo, option combo). */
const DEFAULT_UIDS = `'xYerKDKCefk','GLevLNI9wkl','bjDvmb4bfuf','HllvX50cXC0'`;

/**
 * The SQL expression giving an object's identifier under an id scheme: UID, CODE, NAME, ID, or ATTRIBUTE:<uid> (the
 * value of that attribute, bound as @attr).
 */
function identifierColumn(scheme: string): string {
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

const attributeOf = (scheme: string): string | null => (scheme.startsWith('ATTRIBUTE:') ? scheme.slice(10) : null);

export class MetadataLookupRepo {
  private readonly st: Statements;

  constructor(db: Db) {
    this.st = new Statements(db);
  }

  // ---- identifiers and ids ----

  /** The largest metadata_object id (0 when empty): the size of id-indexed arrays. */
  maxId(): number {
    return (this.st.pluck(`SELECT max(id) FROM metadata_object`).get() as number | null) ?? 0;
  }

  /** [id, identifier under `scheme`] of every object of a type. */
  identifiers(type: string, scheme: string): IterableIterator<[number, string | number | null]> {
    const attr = attributeOf(scheme);
    return this.st
      .raw(`SELECT id, ${identifierColumn(scheme)} AS v FROM metadata_object WHERE type = @type`)
      .iterate(attr ? { type, attr } : { type }) as IterableIterator<[number, string | number | null]>;
  }

  /** The identifier of one object (any type) under `scheme`; undefined when no object has this id. */
  identifierOf(id: number, scheme: string): string | number | null | undefined {
    const attr = attributeOf(scheme);
    return this.st.pluck(`SELECT ${identifierColumn(scheme)} FROM metadata_object WHERE id = @id`).get(attr ? { id, attr } : { id }) as
      | string
      | number
      | null
      | undefined;
  }

  idByUid(type: string, uid: string): number | undefined {
    return this.st.pluck(`SELECT id FROM metadata_object WHERE type = ? AND uid = ?`).get(type, uid) as number | undefined;
  }

  idByCode(type: string, code: string): number | undefined {
    return this.st.pluck(`SELECT id FROM metadata_object WHERE type = ? AND code = ?`).get(type, code) as number | undefined;
  }

  idByName(type: string, name: string): number | undefined {
    return this.st.pluck(`SELECT id FROM metadata_object WHERE type = ? AND name = ?`).get(type, name) as number | undefined;
  }

  /** The name of the object with this uid, whatever its type (null when it has none, undefined when none is stored). */
  nameOfUid(uid: string): string | null | undefined {
    return this.st.pluck(`SELECT name FROM metadata_object WHERE uid = ? ORDER BY id LIMIT 1`).get(uid) as string | null | undefined;
  }

  /**
   * The name and type of each stored object among `uids`, whatever its type, in one query (the list goes in as one
   * JSON array read by json_each); a uid stored under two types (test fixtures) gives the first stored. Unknown uids
   * are absent from the answer.
   */
  namesOfUids(uids: readonly string[]): Map<string, { name: string | null; type: string }> {
    const out = new Map<string, { name: string | null; type: string }>();
    if (uids.length === 0) return out;
    const rows = this.st
      .raw(`SELECT m.uid, m.name, m.type FROM (SELECT DISTINCT value AS uid FROM json_each(?)) u JOIN metadata_object m ON m.uid = u.uid ORDER BY m.id`)
      .all(JSON.stringify(uids)) as [string, string | null, string][];
    for (const [uid, name, type] of rows) if (!out.has(uid)) out.set(uid, { name, type });
    return out;
  }

  uidOf(id: number): string | undefined {
    return this.st.pluck(`SELECT uid FROM metadata_object WHERE id = ?`).get(id) as string | undefined;
  }

  // ---- objects ----

  /** Every object of a type (JSON as text). */
  rowsOfType(type: string): ObjectRow[] {
    return this.st.rows(`SELECT id, uid, type, code, name, json FROM metadata_object WHERE type = ?`).all(type) as ObjectRow[];
  }

  /** uid and JSON text of every object of a type, streamed in id order. */
  uidJsonOfType(type: string): IterableIterator<{ uid: string; json: string }> {
    return this.st.rows(`SELECT uid, json FROM metadata_object WHERE type = ? ORDER BY id`).iterate(type) as IterableIterator<{ uid: string; json: string }>;
  }

  uidJsonById(id: number): { uid: string; json: string } | undefined {
    return this.st.rows(`SELECT uid, json FROM metadata_object WHERE id = ?`).get(id) as { uid: string; json: string } | undefined;
  }

  jsonById(id: number): string | undefined {
    return this.st.pluck(`SELECT json FROM metadata_object WHERE id = ?`).get(id) as string | undefined;
  }

  idJsonByUid(type: string, uid: string): { id: number; json: string } | undefined {
    return this.st.rows(`SELECT id, json FROM metadata_object WHERE type = ? AND uid = ?`).get(type, uid) as { id: number; json: string } | undefined;
  }

  objectByUid(type: string, uid: string): ObjectJson | undefined {
    return this.st.rows(`SELECT id, uid, type, json FROM metadata_object WHERE type = ? AND uid = ?`).get(type, uid) as ObjectJson | undefined;
  }

  /** The object with this uid whatever its type (the first stored when test fixtures reuse a uid). */
  objectByAnyTypeUid(uid: string): ObjectJson | undefined {
    return this.st.rows(`SELECT id, uid, type, json FROM metadata_object WHERE uid = ? ORDER BY id LIMIT 1`).get(uid) as ObjectJson | undefined;
  }

  /** The first object of a type whose code or name is `s`. */
  objectByCodeOrName(type: string, s: string): ObjectJson | undefined {
    return this.st.rows(`SELECT id, uid, type, json FROM metadata_object WHERE type = ? AND (code = ? OR name = ?) ORDER BY id LIMIT 1`).get(type, s, s) as
      | ObjectJson
      | undefined;
  }

  // ---- references ----

  /** uids referenced as [{id}] by the array at `arrayPath` ('$.organisationUnits') of one object. */
  refUids(id: number, arrayPath: string): string[] {
    const rows = this.st.pluck(`SELECT json_extract(e.value, '$.id') FROM metadata_object m, json_each(m.json, ?) e WHERE m.id = ?`).all(arrayPath, id) as (string | null)[];
    return rows.filter((x): x is string => typeof x === 'string');
  }

  /** uids of a data set's data elements: its dataSetElements, and for old exports a plain dataElements list. */
  dataSetElementUids(dataSetId: number): string[] {
    const rows = this.st
      .pluck(
        `SELECT json_extract(e.value, '$.dataElement.id') FROM metadata_object m, json_each(m.json, '$.dataSetElements') e WHERE m.id = ?
         UNION SELECT json_extract(e.value, '$.id') FROM metadata_object m, json_each(m.json, '$.dataElements') e WHERE m.id = ?`,
      )
      .all(dataSetId, dataSetId) as (string | null)[];
    return rows.filter((x): x is string => !!x);
  }

  /** Objects of type `fromType` with a metadata_ref row pointing to `toId`. */
  referrersOfType(toId: number, fromType: string): IterableIterator<ObjectJson> {
    return this.st
      .rows(`SELECT m.id, m.uid, m.type, m.json FROM metadata_ref r JOIN metadata_object m ON m.id = r.from_id WHERE r.to_id = ? AND m.type = ?`)
      .iterate(toId, fromType) as IterableIterator<ObjectJson>;
  }

  /** uids of objects of type `fromType` whose JSON property `property` is {"id": toUid}. */
  uidsReferringByJson(fromType: string, property: string, toUid: string): string[] {
    return this.st.pluck(`SELECT uid FROM metadata_object WHERE type = ? AND json_extract(json, ?) = ?`).all(fromType, `$.${property}.id`, toUid) as string[];
  }

  // ---- category model and data sets ----

  /** uids of the system default category option, category, combo and option combo (by uid, or code and name 'default'). */
  defaultCategoryObjectUids(): string[] {
    return this.st
      .pluck(
        `SELECT uid FROM metadata_object WHERE type IN ('categoryOptions','categories','categoryCombos','categoryOptionCombos')
         AND (uid IN (${DEFAULT_UIDS}) OR (code = 'default' AND name = 'default'))`,
      )
      .all() as string[];
  }

  /** Ids of the default category option combo(s). */
  defaultCategoryOptionComboIds(): number[] {
    return this.st
      .pluck(`SELECT id FROM metadata_object WHERE type = 'categoryOptionCombos' AND (uid = 'HllvX50cXC0' OR (code = 'default' AND name = 'default'))`)
      .all() as number[];
  }

  /** The option combos of a category combo, linked from either side (the combo's list or the option combo's combo). */
  optionCombosOfCombo(comboUid: string): number[] {
    return this.st
      .pluck(
        `SELECT id FROM metadata_object WHERE type = 'categoryOptionCombos' AND json_extract(json, '$.categoryCombo.id') = ?
         UNION SELECT c.id FROM metadata_object m, json_each(m.json, '$.categoryOptionCombos') e JOIN metadata_object c ON c.type = 'categoryOptionCombos' AND c.uid = json_extract(e.value, '$.id')
         WHERE m.type = 'categoryCombos' AND m.uid = ?`,
      )
      .all(comboUid, comboUid) as number[];
  }

  /** [id, valueType] of every data element. */
  dataElementValueTypes(): IterableIterator<[number, string | null]> {
    return this.st.raw(`SELECT id, json_extract(json, '$.valueType') FROM metadata_object WHERE type = 'dataElements'`).iterate() as IterableIterator<[number, string | null]>;
  }

  /** Ids of every data set, by name. */
  dataSetIdsByName(): number[] {
    return this.st.pluck(`SELECT id FROM metadata_object WHERE type = 'dataSets' ORDER BY name, id`).all() as number[];
  }

  // ---- counts and lists ----

  /** Number of stored objects per type, by type. */
  countsByType(): { type: string; n: number }[] {
    return this.st.rows(`SELECT type, count(*) AS n FROM metadata_object GROUP BY type ORDER BY type`).all() as { type: string; n: number }[];
  }

  /** Objects of a type whose name or code contains `search`, or whose uid is `search` (all when empty), by name. */
  /** Objects of a type for the pickers: by name, code or uid; `linkedTo` keeps those a reference (either way) ties to that object. */
  list(type: string, search: string | undefined, limit: number, linkedTo?: string): MetadataListItem[] {
    const like = `%${search ?? ''}%`;
    if (linkedTo !== undefined) {
      return this.st
        .rows(
          `SELECT uid, code, name FROM metadata_object WHERE type = ? AND (? = '%%' OR name LIKE ? OR code LIKE ? OR uid = ?)
             AND id IN (SELECT r.from_id FROM metadata_ref r JOIN metadata_object o ON o.id = r.to_id WHERE o.uid = ?
                        UNION SELECT r.to_id FROM metadata_ref r JOIN metadata_object o ON o.id = r.from_id WHERE o.uid = ?)
           ORDER BY name COLLATE NOCASE, uid LIMIT ?`,
        )
        .all(type, like, like, like, search ?? '', linkedTo, linkedTo, limit) as MetadataListItem[];
    }
    return this.st
      .rows(
        `SELECT uid, code, name FROM metadata_object WHERE type = ? AND (? = '%%' OR name LIKE ? OR code LIKE ? OR uid = ?) ORDER BY name COLLATE NOCASE, uid LIMIT ?`,
      )
      .all(type, like, like, like, search ?? '', limit) as MetadataListItem[];
  }
}
