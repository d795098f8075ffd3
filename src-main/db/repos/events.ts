/**
 * Program data, read side (migration 7: tracked_entity, tracked_entity_attribute_value, enrollment, event,
 * event_data_value, tracker_note, relationship): counts for `info`, and the streamed iteration the event and tracked
 * entity exporters read through. Writes are TrackerWriteRepo's (tracker-write.ts).
 *
 * Iteration contract (exporters):
 *  - `events(filter, chunkSize)` yields arrays of at most `chunkSize` TrackerEvents in id order (the order they were
 *    first stored), each with its data values (by data element uid) and notes; each chunk is its own short queries
 *    (keyset on id), so no statement stays open between chunks and memory stays at one chunk.
 *  - `trackedEntities(filter, chunkSize)` the same for tracked entities, with their attributes and (withEnrollments)
 *    their enrollments, each with its attributes-free body, notes and events nested.
 *  - Metadata references come back as uids (program, programStage, orgUnit, attributeOptionCombo, dataElement,
 *    trackedEntityType, attribute); an exporter writing CODE or NAME maps them itself (MetadataLookupRepo.identifiers).
 *    A reference to metadata that is no longer stored comes back undefined.
 *  - Filters: program, programStage, trackedEntityType (uids); orgUnit (uid) with orgUnitMode SELECTED (default) |
 *    CHILDREN (the unit and its children) | DESCENDANTS (the unit and its whole subtree); occurredAfter /
 *    occurredBefore (ISO dates or date-times, both ends inclusive: a date-only bound covers its whole day);
 *    updatedAfter (updated_at ≥ it); includeDeleted (default false: soft-deleted rows are left out).
 *    An unknown program, stage, type or org unit uid matches nothing.
 */
import type { Db } from '../open.ts';
import type {
  TrackedEntity,
  TrackerAttribute,
  TrackerDataValue,
  TrackerEnrollment,
  TrackerEvent,
  TrackerGeometry,
  TrackerNote,
  TrackerUser,
  EventStatus,
  EnrollmentStatus,
} from '../../../src-shared/dhis2/tracker.ts';
import { Statements } from './statements.ts';

export type OrgUnitMode = 'SELECTED' | 'CHILDREN' | 'DESCENDANTS';

export interface EventFilter {
  program?: string;
  programStage?: string;
  orgUnit?: string;
  orgUnitMode?: OrgUnitMode;
  occurredAfter?: string;
  occurredBefore?: string;
  updatedAfter?: string;
  includeDeleted?: boolean;
}

export interface TrackedEntityFilter {
  program?: string;
  trackedEntityType?: string;
  orgUnit?: string;
  orgUnitMode?: OrgUnitMode;
  updatedAfter?: string;
  includeDeleted?: boolean;
  /** nest each tracked entity's enrollments (and their events): default true */
  withEnrollments?: boolean;
}

interface EventRow {
  id: number;
  uid: string;
  program_id: number | null;
  stage_id: number | null;
  enrollment: string | null;
  trackedEntity: string | null;
  ou_id: number | null;
  status: string;
  occurred_at: string | null;
  scheduled_at: string | null;
  completed_at: string | null;
  completed_by: string | null;
  aoc_id: number | null;
  attribute_category_options: string | null;
  follow_up: number;
  deleted: number;
  geometry: string | null;
  stored_by: string | null;
  assigned_user: string | null;
  created_by: string | null;
  updated_by: string | null;
  created_at: string | null;
  created_at_client: string | null;
  updated_at: string | null;
  updated_at_client: string | null;
}

/**
 * Metadata references are read as their integer ids and turned into uids through a per-repo cache (uidOf): a handful
 * of programs, stages, org units and combos serve every event, so joining metadata_object for each row (6 joins a row)
 * cost most of an export.
 */
const EVENT_COLUMNS = `e.id, e.uid, e.program AS program_id, e.program_stage AS stage_id, en.uid AS enrollment, te.uid AS trackedEntity, e.ou AS ou_id,
  e.status, e.occurred_at, e.scheduled_at, e.completed_at, e.completed_by, e.aoc AS aoc_id, e.attribute_category_options, e.follow_up,
  e.deleted, e.geometry, e.stored_by, e.assigned_user, e.created_by, e.updated_by, e.created_at, e.created_at_client, e.updated_at,
  e.updated_at_client`;
const EVENT_JOINS = `LEFT JOIN enrollment en ON en.id = e.enrollment LEFT JOIN tracked_entity te ON te.id = en.te`;

const json = <T>(s: string | null): T | undefined => {
  if (s == null) return undefined;
  try {
    return JSON.parse(s) as T;
  } catch {
    return undefined;
  }
};
/** a stored ISO timestamp as a julian day instant (its zone applied; a "+0200" zone SQLite does not read: the local time) */
const AS_INSTANT = (col: string): string => `coalesce(julianday(${col}), julianday(substr(${col}, 1, 19)))`;
/** the day before a yyyy-MM-dd (or date-time) cut-off, as text: a lower bound for any zone */
const dayBefore = (d: string): string => new Date(Date.parse(d.slice(0, 10) + 'T00:00:00Z') - 86_400_000).toISOString().slice(0, 10);
const opt = <T>(v: T | null): T | undefined => (v == null ? undefined : v);

/** Sets `key` on `o` only when the value is defined (exported objects carry no undefined keys). */
function put<T extends object, K extends keyof T>(o: T, key: K, v: T[K] | undefined): void {
  if (v !== undefined) o[key] = v;
}

export class EventsRepo {
  private readonly st: Statements;

  /** metadata_object id → uid, filled as rows name them (an export names few distinct objects); emptied at each call */
  private readonly uids = new Map<number, string | null>();

  constructor(db: Db) {
    this.st = new Statements(db);
  }

  private uidOf(id: number | null): string | undefined {
    if (id == null) return undefined;
    let u = this.uids.get(id);
    if (u === undefined) {
      u = (this.st.pluck(`SELECT uid FROM metadata_object WHERE id = ?`).get(id) as string | undefined) ?? null;
      this.uids.set(id, u);
    }
    return u ?? undefined;
  }

  /** Number of events not soft-deleted: the count kept by the triggers of migration 12 (live_count). */
  countLive(): number {
    return this.st.pluck(`SELECT n FROM live_count WHERE tbl = 'event'`).get() as number;
  }

  /** Live counts of every tracker table (info, tests). */
  counts(): { trackedEntities: number; enrollments: number; events: number; eventValues: number; relationships: number } {
    const n = (sql: string): number => this.st.pluck(sql).get() as number;
    return {
      trackedEntities: n(`SELECT count(*) FROM tracked_entity WHERE deleted = 0`),
      enrollments: n(`SELECT count(*) FROM enrollment WHERE deleted = 0`),
      events: n(`SELECT count(*) FROM event WHERE deleted = 0`),
      eventValues: n(`SELECT count(*) FROM event_data_value v JOIN event e ON e.id = v.event WHERE e.deleted = 0`),
      relationships: n(`SELECT count(*) FROM relationship WHERE deleted = 0`),
    };
  }

  /** metadata_object id of a uid of `type`; -1 when none (matches nothing). */
  private metaId(type: string, uid: string): number {
    return (this.st.pluck(`SELECT id FROM metadata_object WHERE type = ? AND uid = ?`).get(type, uid) as number | undefined) ?? -1;
  }

  /** The org unit ids a filter selects, as a JSON array text (bound to json_each). */
  private orgUnitIds(uid: string, mode: OrgUnitMode | undefined): string {
    const id = this.metaId('organisationUnits', uid);
    if (id === -1) return '[]';
    if (!mode || mode === 'SELECTED') return `[${id}]`;
    if (mode === 'CHILDREN') return JSON.stringify([id, ...(this.st.pluck(`SELECT id FROM org_unit WHERE parent_id = ?`).all(id) as number[])]);
    const ids = this.st
      .pluck(`WITH RECURSIVE t(id, depth) AS (SELECT ?, 0 UNION SELECT o.id, t.depth + 1 FROM org_unit o JOIN t ON o.parent_id = t.id WHERE t.depth < 100) SELECT id FROM t`)
      .all(id) as number[];
    return JSON.stringify(ids);
  }

  /** Events matching `filter`, in chunks of at most `chunkSize`, in id order. */
  *events(filter: EventFilter = {}, chunkSize = 1000): Generator<TrackerEvent[]> {
    this.uids.clear();
    const where: string[] = ['e.id > @after'];
    const params: Record<string, unknown> = { after: 0, limit: Math.max(1, chunkSize) };
    if (filter.program) {
      where.push('e.program = @program');
      params.program = this.metaId('programs', filter.program);
    }
    if (filter.programStage) {
      where.push('e.program_stage = @stage');
      params.stage = this.metaId('programStages', filter.programStage);
    }
    if (filter.orgUnit) {
      where.push('e.ou IN (SELECT value FROM json_each(@ous))');
      params.ous = this.orgUnitIds(filter.orgUnit, filter.orgUnitMode);
    }
    if (filter.occurredAfter) {
      where.push('e.occurred_at >= @occAfter');
      params.occAfter = filter.occurredAfter;
    }
    if (filter.occurredBefore) {
      where.push('substr(e.occurred_at, 1, length(@occBefore)) <= @occBefore');
      params.occBefore = filter.occurredBefore;
    }
    if (filter.updatedAfter) {
      // instants, not texts (a stored time may carry its zone: 01:00+02:00 is the day before in UTC); the text bound
      // (a day earlier: zones are within ±14 h) keeps the updated_at index in use
      where.push(`e.updated_at >= @updLow AND ${AS_INSTANT('e.updated_at')} >= julianday(@updAfter)`);
      params.updLow = dayBefore(filter.updatedAfter);
      params.updAfter = filter.updatedAfter;
    }
    if (!filter.includeDeleted) where.push('e.deleted = 0');
    const sql = `SELECT ${EVENT_COLUMNS} FROM event e ${EVENT_JOINS} WHERE ${where.join(' AND ')} ORDER BY e.id LIMIT @limit`;
    for (;;) {
      const rows = this.st.rows(sql).all(params) as EventRow[];
      if (rows.length === 0) return;
      yield this.eventsOf(rows);
      params.after = rows[rows.length - 1]!.id;
      if (rows.length < chunkSize) return;
    }
  }

  /** The events with these ids (deleted or not), in id order; ids not stored are skipped. */
  eventsByIds(ids: number[]): TrackerEvent[] {
    this.uids.clear();
    if (!ids.length) return [];
    const rows = this.st.rows(`SELECT ${EVENT_COLUMNS} FROM event e ${EVENT_JOINS} WHERE e.id IN (SELECT value FROM json_each(?)) ORDER BY e.id`).all(JSON.stringify(ids)) as EventRow[];
    return rows.length ? this.eventsOf(rows) : [];
  }

  /** One event by uid (deleted or not), or undefined. */
  eventByUid(uid: string): TrackerEvent | undefined {
    this.uids.clear();
    const rows = this.st.rows(`SELECT ${EVENT_COLUMNS} FROM event e ${EVENT_JOINS} WHERE e.uid = ?`).all(uid) as EventRow[];
    return rows.length ? this.eventsOf(rows)[0] : undefined;
  }

  private eventsOf(rows: EventRow[]): TrackerEvent[] {
    // the chunk's own ids (not an id range: a filtered export's chunk spans ids of events it does not hold)
    const ids = JSON.stringify(rows.map((r) => r.id));
    const byId = new Map<number, EventRow>();
    for (const r of rows) byId.set(r.id, r);
    const values = new Map<number, TrackerDataValue[]>();
    type ValueRow = [event: number, de: number, value: string | null, providedElsewhere: number, storedBy: string | null, createdAt: string | null,
      updatedAt: string | null, createdBy: string | null, updatedBy: string | null];
    // rows as arrays (a million value rows: objects keyed by column cost about a third more)
    for (const v of this.st
      .raw(
        `SELECT v.event, v.de, v.value, v.provided_elsewhere, v.stored_by, v.created_at, v.updated_at, v.created_by, v.updated_by
         FROM event_data_value v WHERE v.event IN (SELECT value FROM json_each(?))`,
      )
      .iterate(ids) as IterableIterator<ValueRow>) {
      const de = this.uidOf(v[1]);
      if (de == null) continue;
      const e = byId.get(v[0])!;
      const dv: TrackerDataValue = { dataElement: de, value: v[2], providedElsewhere: v[3] === 1 };
      // NULL while equal to the event's (the writer stores them so)
      put(dv, 'storedBy', opt(v[4] ?? e.stored_by));
      put(dv, 'createdAt', opt(v[5] ?? e.created_at));
      put(dv, 'updatedAt', opt(v[6] ?? e.updated_at));
      if (v[7] != null) put(dv, 'createdBy', json<TrackerUser>(v[7]));
      if (v[8] != null) put(dv, 'updatedBy', json<TrackerUser>(v[8]));
      let list = values.get(v[0]);
      if (!list) values.set(v[0], (list = []));
      list.push(dv);
    }
    // values in data element uid order (as before: stable output whatever the storage order)
    for (const list of values.values()) if (list.length > 1) list.sort((a, b) => (a.dataElement < b.dataElement ? -1 : a.dataElement > b.dataElement ? 1 : 0));
    const notes = this.notesOf('EVENT', ids);
    return rows.map((r) => {
      const e: TrackerEvent = { event: r.uid, status: r.status as EventStatus, dataValues: values.get(r.id) ?? [], notes: notes.get(r.id) ?? [] };
      put(e, 'program', this.uidOf(r.program_id));
      put(e, 'programStage', this.uidOf(r.stage_id));
      put(e, 'enrollment', opt(r.enrollment));
      put(e, 'trackedEntity', opt(r.trackedEntity));
      put(e, 'orgUnit', this.uidOf(r.ou_id));
      put(e, 'occurredAt', opt(r.occurred_at));
      put(e, 'scheduledAt', opt(r.scheduled_at));
      put(e, 'storedBy', opt(r.stored_by));
      e.followUp = r.follow_up === 1;
      e.deleted = r.deleted === 1;
      put(e, 'createdAt', opt(r.created_at));
      put(e, 'createdAtClient', opt(r.created_at_client));
      put(e, 'updatedAt', opt(r.updated_at));
      put(e, 'updatedAtClient', opt(r.updated_at_client));
      put(e, 'createdBy', json<TrackerUser>(r.created_by));
      put(e, 'updatedBy', json<TrackerUser>(r.updated_by));
      put(e, 'completedBy', opt(r.completed_by));
      put(e, 'completedAt', opt(r.completed_at));
      put(e, 'attributeOptionCombo', this.uidOf(r.aoc_id));
      put(e, 'attributeCategoryOptions', opt(r.attribute_category_options));
      put(e, 'assignedUser', json<TrackerUser>(r.assigned_user));
      put(e, 'geometry', json<TrackerGeometry>(r.geometry));
      return e;
    });
  }

  /** Notes of the owners whose ids are in `ids` (a JSON array), by owner id, in stored order. */
  private notesOf(ownerType: 'EVENT' | 'ENROLLMENT', ids: string): Map<number, TrackerNote[]> {
    const out = new Map<number, TrackerNote[]>();
    for (const n of this.st
      .rows(`SELECT owner_id, uid, value, stored_at, stored_by, created_by FROM tracker_note WHERE owner_type = ? AND owner_id IN (SELECT value FROM json_each(?)) ORDER BY id`)
      .iterate(ownerType, ids) as IterableIterator<{
      owner_id: number;
      uid: string | null;
      value: string;
      stored_at: string | null;
      stored_by: string | null;
      created_by: string | null;
    }>) {
      const note: TrackerNote = { value: n.value };
      put(note, 'note', opt(n.uid));
      put(note, 'storedAt', opt(n.stored_at));
      put(note, 'storedBy', opt(n.stored_by));
      put(note, 'createdBy', json<TrackerUser>(n.created_by));
      let list = out.get(n.owner_id);
      if (!list) out.set(n.owner_id, (list = []));
      list.push(note);
    }
    return out;
  }

  /** Tracked entities matching `filter`, in chunks of at most `chunkSize`, in id order. */
  *trackedEntities(filter: TrackedEntityFilter = {}, chunkSize = 500): Generator<TrackedEntity[]> {
    this.uids.clear();
    const where: string[] = ['t.id > @after'];
    const params: Record<string, unknown> = { after: 0, limit: Math.max(1, chunkSize) };
    if (filter.trackedEntityType) {
      where.push('t.te_type = @type');
      params.type = this.metaId('trackedEntityTypes', filter.trackedEntityType);
    }
    if (filter.program) {
      where.push(`EXISTS (SELECT 1 FROM enrollment en WHERE en.te = t.id AND en.program = @program${filter.includeDeleted ? '' : ' AND en.deleted = 0'})`);
      params.program = this.metaId('programs', filter.program);
    }
    if (filter.orgUnit) {
      where.push('t.ou IN (SELECT value FROM json_each(@ous))');
      params.ous = this.orgUnitIds(filter.orgUnit, filter.orgUnitMode);
    }
    if (filter.updatedAfter) {
      where.push(`t.updated_at >= @updLow AND ${AS_INSTANT('t.updated_at')} >= julianday(@updAfter)`);
      params.updLow = dayBefore(filter.updatedAfter);
      params.updAfter = filter.updatedAfter;
    }
    if (!filter.includeDeleted) where.push('t.deleted = 0');
    const sql = `SELECT t.id, t.uid, tt.uid AS type, ou.uid AS orgUnit, t.inactive, t.potential_duplicate, t.deleted, t.geometry, t.stored_by,
        t.created_at, t.created_at_client, t.updated_at, t.updated_at_client
      FROM tracked_entity t LEFT JOIN metadata_object tt ON tt.id = t.te_type LEFT JOIN metadata_object ou ON ou.id = t.ou
      WHERE ${where.join(' AND ')} ORDER BY t.id LIMIT @limit`;
    for (;;) {
      const rows = this.st.rows(sql).all(params) as {
        id: number;
        uid: string;
        type: string | null;
        orgUnit: string | null;
        inactive: number;
        potential_duplicate: number;
        deleted: number;
        geometry: string | null;
        stored_by: string | null;
        created_at: string | null;
        created_at_client: string | null;
        updated_at: string | null;
        updated_at_client: string | null;
      }[];
      if (rows.length === 0) return;
      const last = rows[rows.length - 1]!.id;
      // the chunk's own ids (a filtered chunk's id range holds tracked entities it does not)
      const ids = JSON.stringify(rows.map((r) => r.id));
      const attrs = this.attributesOf(ids);
      const enrollments = filter.withEnrollments === false ? new Map<number, TrackerEnrollment[]>() : this.enrollmentsOf(ids, filter);
      yield rows.map((r) => {
        const t: TrackedEntity = { trackedEntity: r.uid, attributes: attrs.get(r.id) ?? [], enrollments: enrollments.get(r.id) ?? [] };
        put(t, 'trackedEntityType', opt(r.type));
        put(t, 'orgUnit', opt(r.orgUnit));
        put(t, 'createdAt', opt(r.created_at));
        put(t, 'createdAtClient', opt(r.created_at_client));
        put(t, 'updatedAt', opt(r.updated_at));
        put(t, 'updatedAtClient', opt(r.updated_at_client));
        t.inactive = r.inactive === 1;
        t.deleted = r.deleted === 1;
        t.potentialDuplicate = r.potential_duplicate === 1;
        put(t, 'storedBy', opt(r.stored_by));
        put(t, 'geometry', json<TrackerGeometry>(r.geometry));
        return t;
      });
      params.after = last;
      if (rows.length < chunkSize) return;
    }
  }

  private attributesOf(teIds: string): Map<number, TrackerAttribute[]> {
    const out = new Map<number, TrackerAttribute[]>();
    for (const a of this.st
      .rows(
        `SELECT v.te, m.uid AS attribute, m.name, json_extract(m.json, '$.valueType') AS valueType, v.value, v.stored_by, v.created_at, v.updated_at
         FROM tracked_entity_attribute_value v LEFT JOIN metadata_object m ON m.id = v.attribute WHERE v.te IN (SELECT value FROM json_each(?)) ORDER BY v.te, m.uid`,
      )
      .iterate(teIds) as IterableIterator<{
      te: number;
      attribute: string | null;
      name: string | null;
      valueType: string | null;
      value: string | null;
      stored_by: string | null;
      created_at: string | null;
      updated_at: string | null;
    }>) {
      if (a.attribute == null) continue;
      const attr: TrackerAttribute = { attribute: a.attribute, value: a.value };
      put(attr, 'displayName', opt(a.name));
      put(attr, 'valueType', opt(a.valueType));
      put(attr, 'storedBy', opt(a.stored_by));
      put(attr, 'createdAt', opt(a.created_at));
      put(attr, 'updatedAt', opt(a.updated_at));
      let list = out.get(a.te);
      if (!list) out.set(a.te, (list = []));
      list.push(attr);
    }
    return out;
  }

  private enrollmentsOf(teIds: string, filter: TrackedEntityFilter): Map<number, TrackerEnrollment[]> {
    const out = new Map<number, TrackerEnrollment[]>();
    const rows = this.st
      .rows(
        `SELECT en.id, en.te, en.uid, t.uid AS trackedEntity, p.uid AS program, ou.uid AS orgUnit, en.status, en.enrolled_at, en.occurred_at,
           en.completed_at, en.completed_by, en.follow_up, en.deleted, en.geometry, en.stored_by, en.created_at, en.created_at_client,
           en.updated_at, en.updated_at_client
         FROM enrollment en JOIN tracked_entity t ON t.id = en.te LEFT JOIN metadata_object p ON p.id = en.program LEFT JOIN metadata_object ou ON ou.id = en.ou
         WHERE en.te IN (SELECT value FROM json_each(@tes)) AND (@program IS NULL OR p.uid = @program) AND (@all = 1 OR en.deleted = 0) ORDER BY en.te, en.id`,
      )
      .all({ tes: teIds, program: filter.program ?? null, all: filter.includeDeleted ? 1 : 0 }) as {
      id: number;
      te: number;
      uid: string;
      trackedEntity: string;
      program: string | null;
      orgUnit: string | null;
      status: string;
      enrolled_at: string | null;
      occurred_at: string | null;
      completed_at: string | null;
      completed_by: string | null;
      follow_up: number;
      deleted: number;
      geometry: string | null;
      stored_by: string | null;
      created_at: string | null;
      created_at_client: string | null;
      updated_at: string | null;
      updated_at_client: string | null;
    }[];
    if (rows.length === 0) return out;
    const enrollmentIds = JSON.stringify(rows.map((r) => r.id));
    const eventRows = this.st
      .rows(`SELECT ${EVENT_COLUMNS} FROM event e ${EVENT_JOINS} WHERE e.enrollment IN (SELECT value FROM json_each(?)) AND (? = 1 OR e.deleted = 0) ORDER BY e.id`)
      .all(enrollmentIds, filter.includeDeleted ? 1 : 0) as EventRow[];
    const eventsByEnrollment = new Map<string, TrackerEvent[]>();
    // values and notes are read for a list of event ids: keep each list at 500
    for (let i = 0; i < eventRows.length; i += 500) {
      const part = eventRows.slice(i, i + 500);
      const built = this.eventsOf(part);
      for (const ev of built) {
        const key = ev.enrollment ?? '';
        let list = eventsByEnrollment.get(key);
        if (!list) eventsByEnrollment.set(key, (list = []));
        list.push(ev);
      }
    }
    const notes = this.notesOf('ENROLLMENT', JSON.stringify(rows.map((r) => r.id)));
    for (const r of rows) {
      const en: TrackerEnrollment = { enrollment: r.uid, attributes: [], events: eventsByEnrollment.get(r.uid) ?? [], notes: notes.get(r.id) ?? [] };
      put(en, 'program', opt(r.program));
      en.trackedEntity = r.trackedEntity;
      put(en, 'orgUnit', opt(r.orgUnit));
      en.status = r.status as EnrollmentStatus;
      put(en, 'enrolledAt', opt(r.enrolled_at));
      put(en, 'occurredAt', opt(r.occurred_at));
      put(en, 'completedAt', opt(r.completed_at));
      put(en, 'completedBy', opt(r.completed_by));
      en.followUp = r.follow_up === 1;
      en.deleted = r.deleted === 1;
      put(en, 'geometry', json<TrackerGeometry>(r.geometry));
      put(en, 'storedBy', opt(r.stored_by));
      put(en, 'createdAt', opt(r.created_at));
      put(en, 'createdAtClient', opt(r.created_at_client));
      put(en, 'updatedAt', opt(r.updated_at));
      put(en, 'updatedAtClient', opt(r.updated_at_client));
      let list = out.get(r.te);
      if (!list) out.set(r.te, (list = []));
      list.push(en);
    }
    return out;
  }
}
