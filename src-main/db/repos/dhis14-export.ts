/**
 * Read-only queries of the DHIS 1.4 exports (exporters/dhis14.ts): the objects of a type in id order, streamed; the
 * legacy 1.4 ids the 1.4 import kept (dhis14_mapping); the org unit tree as (id, uid, parent uid, level).
 */
import type { Db } from '../open.ts';
import { Statements } from './statements.ts';

export interface Dhis14ObjectRow {
  id: number;
  uid: string;
  code: string | null;
  name: string | null;
  json: string;
}

export class Dhis14ExportRepo {
  private readonly st: Statements;

  constructor(db: Db) {
    this.st = new Statements(db);
  }

  /** [id, uid] of every object of a type, in id order. */
  idsOfType(type: string): [number, string][] {
    return this.st.raw(`SELECT id, uid FROM metadata_object WHERE type = ? ORDER BY id`).all(type) as [number, string][];
  }

  /**
   * [legacy id, uid] of the objects of a type that came from DHIS 1.4 (the 1.4 import's kept mapping, migration 8),
   * smallest legacy id first; none when that table does not exist.
   */
  legacyIds(type: string): [number, string][] {
    const exists = this.st.pluck(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'dhis14_mapping'`).get() as number;
    if (!exists) return [];
    return this.st.raw(`SELECT legacy_id, uid FROM dhis14_mapping WHERE object_type = ? ORDER BY legacy_id`).all(type) as [number, string][];
  }

  /** Every object of a type with its JSON text, in id order, streamed. */
  objectsOfType(type: string): IterableIterator<Dhis14ObjectRow> {
    return this.st.rows(`SELECT id, uid, code, name, json FROM metadata_object WHERE type = ? ORDER BY id`).iterate(type) as IterableIterator<Dhis14ObjectRow>;
  }

  /** [id, uid, parent uid, stored level] of every org unit, in id order. */
  orgUnitTree(): [number, string, string | null, number | null][] {
    return this.st
      .raw(`SELECT m.id, m.uid, json_extract(m.json, '$.parent.id'), o.level FROM metadata_object m LEFT JOIN org_unit o ON o.id = m.id WHERE m.type = 'organisationUnits' ORDER BY m.id`)
      .all() as [number, string, string | null, number | null][];
  }
}
