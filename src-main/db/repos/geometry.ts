/**
 * The geometry import's reads and writes: org units looked up by uid, code or name in batches, their geometry (in
 * org_unit.geometry and in the stored DXF2 JSON, which exports read), GEOJSON attribute values, and the parents'
 * boundaries the map preview draws. Never creates an org unit.
 */
import type { Db } from '../open.ts';
import { Statements } from './statements.ts';

export interface GeometryTarget {
  id: number;
  uid: string;
  code: string | null;
  name: string | null;
  parentId: number | null;
  /** GeoJSON text, or null */
  geometry: string | null;
}

export interface AttributeInfo {
  uid: string;
  name: string | null;
  valueType: string | null;
  organisationUnitAttribute: boolean;
}

/** Lookups go in batches of this many parameters (under SQLite's limit of 999). */
const CHUNK = 900;
const COLUMN = { uid: 'm.uid', code: 'm.code', name: 'm.name' } as const;

export class GeometryRepo {
  private readonly st: Statements;
  constructor(db: Db) {
    this.st = new Statements(db);
  }

  /** Org units whose uid, code or name is one of `values` (every match: a name may be shared). */
  find(by: 'uid' | 'code' | 'name', values: readonly string[]): GeometryTarget[] {
    const out: GeometryTarget[] = [];
    for (let i = 0; i < values.length; i += CHUNK) {
      const part = values.slice(i, i + CHUNK);
      const sql =
        `SELECT m.id, m.uid, m.code, m.name, o.parent_id AS parentId, o.geometry FROM metadata_object m JOIN org_unit o ON o.id = m.id ` +
        `WHERE m.type = 'organisationUnits' AND ${COLUMN[by]} IN (${part.map(() => '?').join(',')})`;
      out.push(...(this.st.rows(sql).all(...part) as GeometryTarget[]));
    }
    return out;
  }

  /** Sets (or, with null, removes) an org unit's geometry: the org_unit row and the stored JSON. */
  setGeometry(id: number, geometry: string | null, now: string, sourceFileId: number | null): void {
    this.st.rows(`UPDATE org_unit SET geometry = ? WHERE id = ?`).run(geometry, id);
    if (geometry === null)
      this.st
        .rows(`UPDATE metadata_object SET json = json_set(json_remove(json, '$.geometry'), '$.lastUpdated', ?), last_updated = ?, source_file_id = ? WHERE id = ?`)
        .run(now, now, sourceFileId, id);
    else
      this.st
        .rows(`UPDATE metadata_object SET json = json_set(json, '$.geometry', json(?), '$.lastUpdated', ?), last_updated = ?, source_file_id = ? WHERE id = ?`)
        .run(geometry, now, now, sourceFileId, id);
  }

  /** A stored attribute (its value type and whether org units may carry it), or null. */
  attribute(uid: string): AttributeInfo | null {
    const r = this.st
      .rows(
        `SELECT uid, name, json_extract(json, '$.valueType') AS valueType, coalesce(json_extract(json, '$.organisationUnitAttribute'), 0) AS ou FROM metadata_object WHERE type = 'attributes' AND uid = ?`,
      )
      .get(uid) as { uid: string; name: string | null; valueType: string | null; ou: number } | undefined;
    return r ? { uid: r.uid, name: r.name, valueType: r.valueType, organisationUnitAttribute: r.ou === 1 } : null;
  }

  /** The value of an attribute on an org unit, or null. */
  attributeValue(id: number, attributeUid: string): string | null {
    const json = this.st.pluck(`SELECT json FROM metadata_object WHERE id = ?`).get(id) as string | undefined;
    if (!json) return null;
    const values = (JSON.parse(json) as { attributeValues?: { attribute?: { id?: string }; value?: unknown }[] }).attributeValues ?? [];
    const v = values.find((a) => a.attribute?.id === attributeUid)?.value;
    return v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);
  }

  /** Sets (or, with null, removes) an attribute value of an org unit (its metadata_ref to the attribute too). */
  setAttributeValue(id: number, attributeUid: string, value: string | null, now: string, sourceFileId: number | null): void {
    const json = this.st.pluck(`SELECT json FROM metadata_object WHERE id = ?`).get(id) as string | undefined;
    if (!json) return;
    const obj = JSON.parse(json) as Record<string, unknown> & { attributeValues?: { attribute?: { id?: string }; value?: unknown }[] };
    const values = (obj.attributeValues ?? []).filter((a) => a.attribute?.id !== attributeUid);
    if (value !== null) values.push({ value, attribute: { id: attributeUid } });
    obj.attributeValues = values;
    obj.lastUpdated = now;
    this.st.rows(`UPDATE metadata_object SET json = ?, last_updated = ?, source_file_id = ? WHERE id = ?`).run(JSON.stringify(obj), now, sourceFileId, id);
    const attrId = this.st.pluck(`SELECT id FROM metadata_object WHERE type = 'attributes' AND uid = ?`).get(attributeUid) as number | undefined;
    if (attrId === undefined) return;
    if (value !== null) this.st.rows(`INSERT OR IGNORE INTO metadata_ref (from_id, to_id, property) VALUES (?, ?, 'attributeValues.attribute')`).run(id, attrId);
    else this.st.rows(`DELETE FROM metadata_ref WHERE from_id = ? AND to_id = ? AND property = 'attributeValues.attribute'`).run(id, attrId);
  }

  /** Uid, name and geometry of org units by id (the preview's parent boundaries); only those with a geometry. */
  withGeometry(ids: readonly number[]): { id: number; uid: string; name: string | null; geometry: string }[] {
    const out: { id: number; uid: string; name: string | null; geometry: string }[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const sql = `SELECT m.id, m.uid, m.name, o.geometry FROM metadata_object m JOIN org_unit o ON o.id = m.id WHERE o.geometry IS NOT NULL AND m.id IN (${part.map(() => '?').join(',')})`;
      out.push(...(this.st.rows(sql).all(...part) as { id: number; uid: string; name: string | null; geometry: string }[]));
    }
    return out;
  }

  /** The uid of an org unit by id. */
  uidOf(id: number): string | null {
    return (this.st.pluck(`SELECT uid FROM metadata_object WHERE id = ?`).get(id) as string | undefined) ?? null;
  }
}
