/**
 * Read-only queries of the DHIS 1.4 exports (exporters/dhis14.ts): the objects of a type in id order (1.4's integer
 * ids are their ranks in that order, so every export of one database numbers an object the same way), streamed; the
 * org unit tree as (id, uid, parent uid, level).
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
