/**
 * Read-only queries of the tracker import's program rules and DHIS2 validators that need more than the write repo:
 * the program rule metadata as the metadata import stored it (programRules, programRuleActions, programRuleVariables,
 * constants, org unit groups, option sets and options: metadata_object rows with their DXF2 JSON), the stored events
 * of an enrollment with their values and the tracked entity's attribute values (the rule engine's context), and
 * whether a relationship already links two objects (E4018). Nothing here writes.
 */
import type { Db } from '../open.ts';
import { Statements } from './statements.ts';

export interface RuleObjectRow {
  id: number;
  uid: string;
  code: string | null;
  name: string | null;
  json: string;
}

/** A stored event of an enrollment with one of its values (one row per value; de/value null for an event without). */
export interface StoredEventValueRow {
  id: number;
  uid: string;
  program_stage: number | null;
  status: string;
  occurred_at: string | null;
  scheduled_at: string | null;
  completed_at: string | null;
  created_at: string | null;
  ou: number | null;
  de: number | null;
  value: string | null;
}

export interface StoredEnrollmentRow {
  id: number;
  uid: string;
  te: number | null;
  status: string;
  enrolled_at: string | null;
  occurred_at: string | null;
  ou: number | null;
}

export class TrackerRulesRepo {
  private readonly st: Statements;

  constructor(db: Db) {
    this.st = new Statements(db);
  }

  /** How many program rules are stored (0: the import runs no rule engine at all). */
  countProgramRules(): number {
    return this.st.pluck(`SELECT count(*) FROM metadata_object WHERE type = 'programRules'`).get() as number;
  }

  /** Stored objects of a metadata type (programRules, programRuleActions, programRuleVariables, constants …). */
  objectsOfType(type: string): RuleObjectRow[] {
    return this.st.rows(`SELECT id, uid, code, name, json FROM metadata_object WHERE type = ? ORDER BY id`).all(type) as RuleObjectRow[];
  }

  /** The events of an enrollment that are not deleted, each with its values, in id order. */
  eventsOfEnrollment(enrollmentId: number): StoredEventValueRow[] {
    return this.st
      .rows(
        `SELECT e.id, e.uid, e.program_stage, e.status, e.occurred_at, e.scheduled_at, e.completed_at, e.created_at, e.ou, v.de, v.value
         FROM event e LEFT JOIN event_data_value v ON v.event = e.id
         WHERE e.enrollment = ? AND e.deleted = 0 ORDER BY e.id`,
      )
      .all(enrollmentId) as StoredEventValueRow[];
  }

  enrollment(id: number): StoredEnrollmentRow | undefined {
    return this.st.rows(`SELECT id, uid, te, status, enrolled_at, occurred_at, ou FROM enrollment WHERE id = ?`).get(id) as StoredEnrollmentRow | undefined;
  }

  /** attribute id → value of a tracked entity */
  attributeValues(teId: number): Map<number, string> {
    const m = new Map<number, string>();
    for (const r of this.st.raw(`SELECT attribute, value FROM tracked_entity_attribute_value WHERE te = ?`).all(teId) as [number, string | null][]) {
      if (r[1] != null) m.set(r[0], r[1]);
    }
    return m;
  }

  /** data element id → stored value of an event */
  eventValues(eventId: number): Map<number, string> {
    const m = new Map<number, string>();
    for (const r of this.st.raw(`SELECT de, value FROM event_data_value WHERE event = ?`).all(eventId) as [number, string | null][]) {
      if (r[1] != null) m.set(r[0], r[1]);
    }
    return m;
  }

  /** The uid of a live relationship of a type from one object to another, if one exists (DHIS2's relationship key). */
  existingRelationship(typeId: number, fromType: string, fromId: number, toType: string, toId: number): string | undefined {
    return this.st
      .pluck(
        `SELECT uid FROM relationship WHERE from_type = ? AND from_id = ? AND to_type = ? AND to_id = ? AND relationship_type = ? AND deleted = 0 LIMIT 1`,
      )
      .get(fromType, fromId, toType, toId, typeId) as string | undefined;
  }

  /** The code of a stored object (an org unit's, for V{orgunit_code}). */
  codeOf(id: number): string | null {
    return (this.st.pluck(`SELECT code FROM metadata_object WHERE id = ?`).get(id) as string | null | undefined) ?? null;
  }
}
