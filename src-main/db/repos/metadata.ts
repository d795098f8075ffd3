/**
 * The generic metadata store: every DHIS2 metadata object as its DXF2 JSON (references as {"id": uid}), plus a
 * reference table and the org unit hierarchy. Storage contract shared by importers and exporters:
 *  - metadata_object.type is the DXF2 plural key ('dataElements', 'organisationUnits', …);
 *  - json is the object as DHIS2 would export it with `:owner` fields: `id` always set, references as {"id": uid};
 *  - metadata_ref has one row per resolved reference (property = the JSON property holding it);
 *  - org units also have an org_unit row (parent_id, path '/uid/uid', level from 1, geometry as GeoJSON text).
 */
import type { Db } from '../open.ts';
import { Statements } from './statements.ts';

export interface StoredObject {
  id: number;
  uid: string;
  type: string;
  code: string | null;
  name: string | null;
  json: Record<string, unknown>;
}

interface Row {
  id: number;
  uid: string;
  type: string;
  code: string | null;
  name: string | null;
  json: string;
}

const toStored = (r: Row | undefined): StoredObject | null =>
  r ? { id: r.id, uid: r.uid, type: r.type, code: r.code, name: r.name, json: JSON.parse(r.json) as Record<string, unknown> } : null;

/**
 * A stored object as the metadata import's preheat loads it: columns, plus from the JSON the `created` time, the
 * translations / sharing (JSON text, only when asked for) and the whole JSON (only for the types asked for).
 */
export interface PreheatedObject {
  id: number;
  uid: string;
  type: string;
  code: string | null;
  name: string | null;
  created: string | null;
  translations: string | null;
  sharing: string | null;
  json: string | null;
}

/** What the preheat reads besides the columns. */
export interface PreheatColumns {
  translations: boolean;
  sharing: boolean;
  /** types whose full JSON is read */
  jsonTypes: readonly string[];
}

/** Lookups by uid or code go in batches of this many parameters (under SQLite's limit of 999). */
const CHUNK = 900;

/**
 * Data recorded against a metadata object, per metadata type: [table, column, what the user calls it]. Such an
 * object is never deleted (DHIS2's deletion handlers veto it); deleted data values do not count.
 */
const DATA_USAGE: Record<string, readonly (readonly [table: string, col: string, what: string])[]> = {
  dataElements: [['data_value', 'de', 'data values']],
  organisationUnits: [['data_value', 'ou', 'data values'], ['complete_registration', 'ou', 'data set completions'], ['event', 'ou', 'events']],
  categoryOptionCombos: [['data_value', 'coc', 'data values'], ['data_value', 'aoc', 'data values'], ['complete_registration', 'aoc', 'data set completions']],
  dataSets: [['complete_registration', 'dataset', 'data set completions']],
  programs: [['event', 'program', 'events']],
  programStages: [['event', 'program_stage', 'events']],
};

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export class MetadataRepo {
  private readonly st;
  /** statements whose text depends on the call (batch size, columns, property): prepared once each, then reused */
  private readonly sql: Statements;
  constructor(private readonly db: Db) {
    this.sql = new Statements(db);
    this.st = {
      byUid: db.prepare(`SELECT id, uid, type, code, name, json FROM metadata_object WHERE type = ? AND uid = ?`),
      byCode: db.prepare(`SELECT id, uid, type, code, name, json FROM metadata_object WHERE type = ? AND code = ?`),
      anyByUid: db.prepare(`SELECT id, uid, type, code, name, json FROM metadata_object WHERE uid = ?`),
      byId: db.prepare(`SELECT id, uid, type, code, name, json FROM metadata_object WHERE id = ?`),
      idByUid: db.prepare(`SELECT id FROM metadata_object WHERE type = ? AND uid = ?`).pluck(),
      insert: db.prepare(
        `INSERT INTO metadata_object (uid, type, code, name, last_updated, json, source_file_id) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: db.prepare(
        `UPDATE metadata_object SET code = ?, name = ?, last_updated = ?, json = ?, source_file_id = ? WHERE id = ?`,
      ),
      delete: db.prepare(`DELETE FROM metadata_object WHERE id = ?`),
      deleteOu: db.prepare(`DELETE FROM org_unit WHERE id = ?`),
      referrers: db.prepare(`SELECT m.id, m.type, m.uid, r.property FROM metadata_ref r JOIN metadata_object m ON m.id = r.from_id WHERE r.to_id = ?`),
      delRefs: db.prepare(`DELETE FROM metadata_ref WHERE from_id = ?`),
      insRef: db.prepare(`INSERT OR IGNORE INTO metadata_ref (from_id, to_id, property) VALUES (?, ?, ?)`),
      // an UPDATE, then an INSERT: never an upsert on a journaled table (its ON CONFLICT overrides the journal trigger's OR IGNORE)
      updateOu: db.prepare(`UPDATE org_unit SET parent_id = ?, geometry = ? WHERE id = ?`),
      insertOu: db.prepare(`INSERT INTO org_unit (id, parent_id, geometry) VALUES (?, ?, ?)`),
      listType: db.prepare(`SELECT id, uid, type, code, name, json FROM metadata_object WHERE type = ? ORDER BY id`),
      count: db.prepare(`SELECT count(*) FROM metadata_object WHERE type = ?`).pluck(),
    };
  }

  getByUid(type: string, uid: string): StoredObject | null {
    return toStored(this.st.byUid.get(type, uid) as Row | undefined);
  }
  getByCode(type: string, code: string): StoredObject | null {
    return toStored(this.st.byCode.get(type, code) as Row | undefined);
  }
  getById(id: number): StoredObject | null {
    return toStored(this.st.byId.get(id) as Row | undefined);
  }
  /** Objects of any type with this uid (DHIS2 uids are unique across types; test fixtures may not be). */
  findByUid(uid: string): StoredObject[] {
    return (this.st.anyByUid.all(uid) as Row[]).map((r) => toStored(r)!);
  }
  idOf(type: string, uid: string): number | null {
    return (this.st.idByUid.get(type, uid) as number | undefined) ?? null;
  }
  count(type: string): number {
    return this.st.count.get(type) as number;
  }
  *iterate(type: string): IterableIterator<StoredObject> {
    for (const r of this.st.listType.iterate(type) as IterableIterator<Row>) yield toStored(r)!;
  }

  /**
   * Inserts or replaces an object (DHIS2 REPLACE semantics: the new JSON replaces the old one). For org units the
   * org_unit row is written too; call rebuildOrgUnitPaths() once after a batch to refresh path and level.
   */
  upsert(type: string, obj: Record<string, unknown>, sourceFileId: number | null = null): { id: number; created: boolean } {
    const uid = obj.id as string;
    const code = typeof obj.code === 'string' ? obj.code : null;
    const name = typeof obj.name === 'string' ? obj.name : null;
    const lastUpdated = typeof obj.lastUpdated === 'string' ? obj.lastUpdated : null;
    const json = JSON.stringify(obj);
    const existing = this.st.idByUid.get(type, uid) as number | undefined;
    let id: number;
    let created = false;
    if (existing != null) {
      this.st.update.run(code, name, lastUpdated, json, sourceFileId, existing);
      id = existing;
    } else {
      id = Number(this.st.insert.run(uid, type, code, name, lastUpdated, json, sourceFileId).lastInsertRowid);
      created = true;
    }
    if (type === 'organisationUnits') {
      const parentUid = (obj.parent as { id?: string } | undefined)?.id;
      const parentId = parentUid ? ((this.st.idByUid.get('organisationUnits', parentUid) as number | undefined) ?? null) : null;
      const geometry = obj.geometry != null ? JSON.stringify(obj.geometry) : null;
      if (this.st.updateOu.run(parentId, geometry, id).changes === 0) this.st.insertOu.run(id, parentId, geometry);
    }
    return { id, created };
  }

  /** Replaces the reference rows of an object. */
  setRefs(fromId: number, refs: { toId: number; property: string }[]): void {
    this.st.delRefs.run(fromId);
    for (const r of refs) this.st.insRef.run(fromId, r.toId, r.property);
  }

  delete(id: number): void {
    this.st.delRefs.run(id);
    this.st.deleteOu.run(id);
    this.st.delete.run(id);
  }

  /** Objects that reference this one (for DELETE checks and dependency export). */
  referrers(toId: number): { id: number; type: string; uid: string; property: string }[] {
    return this.st.referrers.all(toId) as { id: number; type: string; uid: string; property: string }[];
  }

  // ---------------------------------------------------------------- metadata import: preheat
  /** Number of stored objects of every type. */
  countAll(): number {
    return this.sql.pluck(`SELECT count(*) FROM metadata_object`).get() as number;
  }

  private preheatSelect(cols: PreheatColumns): string {
    return (
      `SELECT id, uid, type, code, name, json_extract(json, '$.created') AS created, ` +
      `${cols.translations ? `json_extract(json, '$.translations')` : 'NULL'} AS translations, ` +
      `${cols.sharing ? `json_extract(json, '$.sharing')` : 'NULL'} AS sharing, ` +
      `CASE WHEN type IN (${cols.jsonTypes.map(quote).join(',')}) THEN json END AS json FROM metadata_object`
    );
  }

  /** Every stored object, as the preheat reads it (a database smaller than the lookup is read once, not in batches). */
  preheatAll(cols: PreheatColumns): IterableIterator<PreheatedObject> {
    return this.sql.rows(this.preheatSelect(cols)).iterate() as IterableIterator<PreheatedObject>;
  }

  /** The stored objects of any type with these uids, in batches. */
  *preheatByUids(cols: PreheatColumns, uids: readonly string[]): IterableIterator<PreheatedObject> {
    yield* this.preheatIn(`${this.preheatSelect(cols)} WHERE uid IN (?*)`, uids, []);
  }

  /** The stored objects of one type with these codes, in batches. */
  *preheatByCodes(cols: PreheatColumns, type: string, codes: readonly string[]): IterableIterator<PreheatedObject> {
    yield* this.preheatIn(`${this.preheatSelect(cols)} WHERE type = ? AND code IN (?*)`, codes, [type]);
  }

  private *preheatIn(sql: string, keys: readonly string[], first: unknown[]): IterableIterator<PreheatedObject> {
    for (let i = 0; i < keys.length; i += CHUNK) {
      const part = keys.slice(i, i + CHUNK);
      yield* this.sql.rows(sql.replace('?*', part.map(() => '?').join(','))).all(...first, ...part) as PreheatedObject[];
    }
  }

  // ---------------------------------------------------------------- metadata import: checks
  /**
   * Stored values of a property of a type with the uid, code and name of the object holding each (`code` and `name` from
   * their columns, other properties from the JSON); objects without the property are left out.
   */
  propertyValues(type: string, prop: string): { uid: string; code: string | null; name: string | null; v: unknown }[] {
    const col = prop === 'code' || prop === 'name' ? prop : `json_extract(json, ${quote('$.' + prop)})`;
    return this.sql.rows(`SELECT uid, code, name, ${col} AS v FROM metadata_object WHERE type = ? AND ${col} IS NOT NULL`).all(type) as {
      uid: string; code: string | null; name: string | null; v: unknown;
    }[];
  }

  /** The JSON text of every stored custom attribute definition. */
  attributeDefinitions(): string[] {
    return this.sql.pluck(`SELECT json FROM metadata_object WHERE type = 'attributes'`).all() as string[];
  }

  /** Stored values of one custom attribute on the objects of a type (v: the value as stored, null when absent). */
  attributeValues(type: string, attributeUid: string): { uid: string; v: unknown }[] {
    return this.sql.rows(
      `SELECT m.uid AS uid, json_extract(av.value, '$.value') AS v FROM metadata_object m, json_each(m.json, '$.attributeValues') av
             WHERE m.type = ? AND json_extract(av.value, '$.attribute.id') = ?`,
    ).all(type, attributeUid) as { uid: string; v: unknown }[];
  }

  /** true when some category option combo references this category combo. */
  hasCategoryOptionCombos(comboId: number): boolean {
    return this.sql.rows(
      `SELECT 1 FROM metadata_ref r JOIN metadata_object m ON m.id = r.from_id WHERE r.to_id = ? AND r.property = 'categoryCombo' AND m.type = 'categoryOptionCombos' LIMIT 1`,
    ).get(comboId) !== undefined;
  }

  /**
   * The first kind of data recorded against an object (data values, data set completions, events) with its count,
   * or null when none is: such an object must not be deleted.
   */
  dataUsage(type: string, id: number): { count: number; what: string } | null {
    for (const [table, col, what] of DATA_USAGE[type] ?? []) {
      const n =
        table === 'data_value'
          ? this.liveValuesWith(col as 'de' | 'ou' | 'coc' | 'aoc', id)
          : (this.sql.pluck(`SELECT count(*) FROM ${table} WHERE ${col} = ?${table === 'complete_registration' ? '' : ' AND deleted = 0'}`).get(id) as number);
      if (n > 0) return { count: n, what };
    }
    return null;
  }

  /**
   * Live data values with this data element, org unit, category or attribute option combo, read from indexes only: the
   * rows of a key or data_value_de_pe search counted from the index entries (which hold every key column), minus the
   * soft-deleted ones of the partial index data_value_deleted — not a search of the table per value. An option combo
   * is searched under the data elements stored with it (data_value_combo, migration 12): no index leads with it.
   */
  private liveValuesWith(col: 'de' | 'ou' | 'coc' | 'aoc', id: number): number {
    const combo = col === 'coc' || col === 'aoc';
    const where = combo ? `de IN (SELECT c.de FROM data_value_combo c WHERE c.${col} = ?) AND ${col} = ?` : `${col} = ?`;
    const all = this.sql.pluck(`SELECT count(*) FROM data_value WHERE ${where}`).get(...(combo ? [id, id] : [id])) as number;
    if (all === 0) return 0;
    return all - (this.sql.pluck(`SELECT count(*) FROM data_value INDEXED BY data_value_deleted WHERE deleted = 1 AND ${col} = ?`).get(id) as number);
  }

  /**
   * Re-links org units to parents stored after them, then recomputes path ('/uid/uid/…') and level (root = 1)
   * for the whole tree with one recursive query.
   */
  rebuildOrgUnitPaths(): void {
    this.db.exec(`
      UPDATE org_unit SET parent_id = (
        SELECT p.id FROM metadata_object p
        WHERE p.type = 'organisationUnits' AND p.uid = json_extract((SELECT json FROM metadata_object m WHERE m.id = org_unit.id), '$.parent.id')
      );
      DROP TABLE IF EXISTS temp.ou_tree;
      CREATE TEMP TABLE ou_tree (id INTEGER PRIMARY KEY, path TEXT, level INTEGER);
      INSERT INTO temp.ou_tree (id, path, level)
      WITH RECURSIVE tree(id, path, level) AS (
        SELECT o.id, '/' || m.uid, 1 FROM org_unit o JOIN metadata_object m ON m.id = o.id
          WHERE o.parent_id IS NULL OR o.parent_id NOT IN (SELECT id FROM org_unit)
        UNION ALL
        SELECT c.id, tree.path || '/' || m.uid, tree.level + 1 FROM org_unit c JOIN tree ON c.parent_id = tree.id JOIN metadata_object m ON m.id = c.id
          WHERE tree.level < 100
      )
      SELECT id, path, level FROM tree;
      UPDATE org_unit SET path = t.path, level = t.level FROM temp.ou_tree t WHERE t.id = org_unit.id;
      DROP TABLE temp.ou_tree;
    `);
  }
}
