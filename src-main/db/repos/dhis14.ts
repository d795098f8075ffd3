/**
 * The DHIS 1.4 import's SQL: the kept legacy-id mapping (migration 8) and the reads that match 1.4 objects with stored
 * ones (by name, short name or code, as the old importer did) and resolve their integer ids for the data values.
 */
import type { Db } from '../open.ts';
import { Statements } from './statements.ts';

export interface StoredForMatch {
  id: number;
  uid: string;
  code: string | null;
  name: string | null;
  shortName: string | null;
  json: string;
}

export class Dhis14Repo {
  private readonly st: Statements;

  constructor(db: Db) {
    this.st = new Statements(db);
  }

  /** legacy id → uid for one object type */
  mapping(objectType: string): Map<number, string> {
    const rows = this.st.raw(`SELECT legacy_id, uid FROM dhis14_mapping WHERE object_type = ?`).all(objectType) as [number, string][];
    return new Map(rows);
  }

  /** Keeps a 1.4 id's object (an UPDATE, then an INSERT when no row was there: never an upsert on a journaled table, whose ON CONFLICT would override the journal trigger's OR IGNORE and fail a job that writes the same row twice). */
  keep(objectType: string, legacyId: number, uid: string, name: string | null, now: string): void {
    const u = this.st.rows(`UPDATE dhis14_mapping SET uid = ?, name = ?, updated_at = ? WHERE object_type = ? AND legacy_id = ?`).run(uid, name, now, objectType, legacyId);
    if (u.changes === 0) this.st.rows(`INSERT INTO dhis14_mapping (object_type, legacy_id, uid, name, updated_at) VALUES (?, ?, ?, ?, ?)`).run(objectType, legacyId, uid, name, now);
  }

  mappingCount(): number {
    return this.st.pluck(`SELECT count(*) FROM dhis14_mapping`).get() as number;
  }

  /** Every stored object of a type with what matching needs. */
  objectsOfType(type: string): StoredForMatch[] {
    return this.st
      .rows(`SELECT id, uid, code, name, json_extract(json, '$.shortName') AS shortName, json FROM metadata_object WHERE type = ?`)
      .all(type) as StoredForMatch[];
  }

  /** uid → integer id for one type (the data value keys). */
  idsByUid(type: string): Map<string, number> {
    const rows = this.st.raw(`SELECT uid, id FROM metadata_object WHERE type = ?`).all(type) as [string, number][];
    return new Map(rows);
  }

  /** The default category option combo's id (DHIS2 2.42 uid HllvX50cXC0), or null when the database has none. */
  defaultCocId(): number | null {
    return (
      (this.st.pluck(`SELECT id FROM metadata_object WHERE type = 'categoryOptionCombos' AND uid = 'HllvX50cXC0'`).get() as number | undefined) ??
      (this.st.pluck(`SELECT id FROM metadata_object WHERE type = 'categoryOptionCombos' AND code = 'default' AND name = 'default' ORDER BY id LIMIT 1`).get() as
        | number
        | undefined) ??
      null
    );
  }
}
