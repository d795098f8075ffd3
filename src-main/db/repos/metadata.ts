/**
 * The generic metadata store: every DHIS2 metadata object as its DXF2 JSON (references as {"id": uid}), plus a
 * reference table and the org unit hierarchy. Storage contract shared by importers and exporters:
 *  - metadata_object.type is the DXF2 plural key ('dataElements', 'organisationUnits', …);
 *  - json is the object as DHIS2 would export it with `:owner` fields: `id` always set, references as {"id": uid};
 *  - metadata_ref has one row per resolved reference (property = the JSON property holding it);
 *  - org units also have an org_unit row (parent_id, path '/uid/uid', level from 1, geometry as GeoJSON text).
 */
import type { Db } from '../open.ts';

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

export class MetadataRepo {
  private readonly st;
  constructor(private readonly db: Db) {
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
      delRefs: db.prepare(`DELETE FROM metadata_ref WHERE from_id = ?`),
      insRef: db.prepare(`INSERT OR IGNORE INTO metadata_ref (from_id, to_id, property) VALUES (?, ?, ?)`),
      upsertOu: db.prepare(
        `INSERT INTO org_unit (id, parent_id, geometry) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET parent_id = excluded.parent_id, geometry = excluded.geometry`,
      ),
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
      this.st.upsertOu.run(id, parentId, geometry);
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
    this.db.prepare(`DELETE FROM org_unit WHERE id = ?`).run(id);
    this.st.delete.run(id);
  }

  /** Objects that reference this one (for DELETE checks and dependency export). */
  referrers(toId: number): { id: number; type: string; uid: string; property: string }[] {
    return this.db
      .prepare(`SELECT m.id, m.type, m.uid, r.property FROM metadata_ref r JOIN metadata_object m ON m.id = r.from_id WHERE r.to_id = ?`)
      .all(toId) as { id: number; type: string; uid: string; property: string }[];
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
