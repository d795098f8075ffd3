/**
 * From the objects an event file holds (either generation: the tracker API's 2.36+ names or the deprecated events
 * API's ≤ 2.40 names, spec §6) to the shared tracker model (src-shared/dhis2/tracker.ts). Shared by the JSON and XML
 * readers (the CSV reader maps its columns itself).
 *
 * - Old names are renamed (eventDate → occurredAt, dueDate → scheduledAt, completedDate → completedAt, created →
 *   createdAt, lastUpdated → updatedAt, trackedEntityInstance → trackedEntity, coordinate → geometry, enrollmentDate →
 *   enrolledAt, incidentDate → occurredAt, storedDate → storedAt); a string assignedUser becomes `{uid}`.
 * - A metadata reference written as DHIS2's MetadataIdentifier (`{"idScheme": "UID", "identifier": "…"}`, as the
 *   tracker importer's own payloads do) is read as its identifier.
 * - Text fields take JSON strings, numbers and booleans as their text; an object or array where text belongs is a
 *   BAD_FILE naming the file and line (`Shape`).
 * - attributeCategoryOptions separated by ';' (deprecated API) are normalised to ','.
 */
import type {
  EventGeneration,
  RelationshipItem,
  TrackedEntity,
  TrackerAttribute,
  TrackerDataValue,
  TrackerEnrollment,
  TrackerEvent,
  TrackerGeometry,
  TrackerNote,
  TrackerRelationship,
  TrackerUser,
} from '../../../src-shared/dhis2/tracker.ts';

import type { ErrorKey } from '../../../src-shared/i18n/error-messages.ts';

/** Which object of the file a field belongs to: the root object (its kind and number in the file) and the path below it. */
export interface Where {
  root: 'event' | 'enrollment' | 'relationship' | 'trackedEntity';
  n: number;
  /** ' › dataValues[2]', ' › enrollments[0] › events[1]' (DHIS2's field names: the same in every language); '' at the root */
  path: string;
}

/** The object at `field[i]` below `where`. */
const at = (where: Where, field: string, i: number): Where => ({ ...where, path: `${where.path} › ${field}[${i}]` });

/**
 * A field of the wrong shape (an object where text belongs …), by key of the errors catalogue: the reader turns it
 * into BAD_FILE with its file and line.
 */
export class Shape extends Error {
  constructor(
    readonly key: ErrorKey,
    readonly params: Record<string, string | number>,
  ) {
    super(key);
  }
}

const shape = (key: 'events.shape.notText' | 'events.shape.notArray' | 'events.shape.itemNotObject' | 'events.shape.geometry', field: string, where: Where, more: Record<string, string | number> = {}): Shape => new Shape(key, { field, root: where.root, n: where.n, path: where.path, ...more });

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys only the deprecated events API (≤ 2.40) wrote. */
const OLD_KEYS = ['eventDate', 'dueDate', 'trackedEntityInstance', 'coordinate', 'completedDate', 'enrollmentDate', 'incidentDate', 'lastUpdated'];
/** Keys only the tracker API (2.36+) writes. */
const NEW_KEYS = ['occurredAt', 'scheduledAt', 'trackedEntity', 'completedAt', 'enrolledAt', 'updatedAt', 'createdAt'];

/** The generation an object's field names show, or null when they show neither. */
export function generationOf(o: Obj): EventGeneration | null {
  for (const k of NEW_KEYS) if (k in o) return 'tracker';
  for (const k of OLD_KEYS) if (k in o) return 'events';
  return null;
}

function text(o: Obj, key: string, where: Where): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // DHIS2's MetadataIdentifier ({"idScheme": "UID", "identifier": "…"}); without an identifier it names nothing
  if (isObj(v) && ('identifier' in v || 'idScheme' in v)) return typeof v.identifier === 'string' && v.identifier !== '' ? v.identifier : undefined;
  throw shape('events.shape.notText', key, where, { kind: Array.isArray(v) ? 'array' : 'object' });
}

/** The first of several names (new, then old) that is present. */
function textOf(o: Obj, keys: string[], where: Where): string | undefined {
  for (const k of keys) {
    const v = text(o, k, where);
    if (v !== undefined) return v;
  }
  return undefined;
}

function bool(o: Obj, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.trim().toLowerCase() === 'true';
  return undefined;
}

function list(o: Obj, key: string, where: Where): Obj[] {
  const v = o[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw shape('events.shape.notArray', key, where);
  return v.map((x, i) => {
    if (!isObj(x)) throw shape('events.shape.itemNotObject', key, where, { i });
    return x;
  });
}

/** Sets only defined values (the model's optional fields stay absent rather than undefined). */
function put<T extends object, K extends keyof T>(t: T, k: K, v: T[K] | undefined): void {
  if (v !== undefined) t[k] = v;
}

const GEO_TYPES = new Map(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection'].map((t) => [t.toUpperCase(), t]));

/** GeoJSON (type case normalised: the old docs wrote "POINT") or the old `coordinate: {latitude, longitude}`. */
export function geometryOf(o: Obj, where: Where): TrackerGeometry | null | undefined {
  const g = o.geometry;
  if (g === null) return null;
  if (g !== undefined) {
    if (!isObj(g) || typeof g.type !== 'string') throw shape('events.shape.geometry', 'geometry', where);
    return { type: GEO_TYPES.get(g.type.toUpperCase()) ?? g.type, coordinates: g.coordinates };
  }
  const c = o.coordinate;
  if (isObj(c)) {
    const lat = Number(c.latitude);
    const lng = Number(c.longitude);
    if (c.latitude !== undefined && c.longitude !== undefined && c.latitude !== '' && c.longitude !== '' && Number.isFinite(lat) && Number.isFinite(lng))
      return { type: 'Point', coordinates: [lng, lat] };
  }
  return undefined;
}

function userOf(v: unknown): TrackerUser | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return { uid: v };
  if (!isObj(v)) return undefined;
  const u: TrackerUser = {};
  for (const k of ['uid', 'username', 'firstName', 'surname'] as const) if (typeof v[k] === 'string') u[k] = v[k];
  return u;
}

function noteOf(o: Obj, where: Where): TrackerNote {
  const n: TrackerNote = { value: text(o, 'value', where) ?? '' };
  put(n, 'note', text(o, 'note', where));
  put(n, 'storedAt', textOf(o, ['storedAt', 'storedDate'], where));
  put(n, 'storedBy', text(o, 'storedBy', where));
  put(n, 'createdBy', userOf(o.createdBy));
  return n;
}

export function dataValueOf(o: Obj, where: Where): TrackerDataValue {
  const v = o.value;
  const dv: TrackerDataValue = {
    dataElement: text(o, 'dataElement', where) ?? '',
    value: v === null || v === undefined ? null : typeof v === 'string' ? v : text(o, 'value', where)!,
  };
  put(dv, 'providedElsewhere', bool(o, 'providedElsewhere'));
  put(dv, 'storedBy', text(o, 'storedBy', where));
  put(dv, 'createdAt', textOf(o, ['createdAt', 'created'], where));
  put(dv, 'updatedAt', textOf(o, ['updatedAt', 'lastUpdated'], where));
  put(dv, 'createdBy', userOf(o.createdBy));
  put(dv, 'updatedBy', userOf(o.updatedBy));
  return dv;
}

function attributeOf(o: Obj, where: Where): TrackerAttribute {
  const v = o.value;
  const a: TrackerAttribute = {
    attribute: text(o, 'attribute', where) ?? '',
    value: v === null || v === undefined ? null : typeof v === 'string' ? v : text(o, 'value', where)!,
  };
  put(a, 'displayName', text(o, 'displayName', where));
  put(a, 'valueType', text(o, 'valueType', where));
  put(a, 'storedBy', text(o, 'storedBy', where));
  put(a, 'createdAt', textOf(o, ['createdAt', 'created'], where));
  put(a, 'updatedAt', textOf(o, ['updatedAt', 'lastUpdated'], where));
  return a;
}

const aco = (s: string | undefined): string | undefined => (s === undefined ? undefined : s.split(';').join(','));

/** attributeCategoryOptions as text ("a,b" or "a;b") or, as the tracker importer's payloads write it, a list of ids or MetadataIdentifiers. */
function acoOf(o: Obj, where: Where): string | undefined {
  const v = o.attributeCategoryOptions;
  if (!Array.isArray(v)) return aco(text(o, 'attributeCategoryOptions', where));
  const ids = v.map((x, i) => text({ x }, 'x', at(where, 'attributeCategoryOptions', i))).filter((x): x is string => x !== undefined && x !== '');
  return ids.length ? ids.join(',') : undefined;
}

export function eventOf(o: Obj, where: Where): TrackerEvent {
  const e: TrackerEvent = { dataValues: [], notes: [] };
  put(e, 'event', text(o, 'event', where));
  put(e, 'status', text(o, 'status', where) as TrackerEvent['status']);
  put(e, 'program', text(o, 'program', where));
  put(e, 'programStage', text(o, 'programStage', where));
  put(e, 'enrollment', text(o, 'enrollment', where));
  put(e, 'trackedEntity', textOf(o, ['trackedEntity', 'trackedEntityInstance'], where));
  put(e, 'orgUnit', text(o, 'orgUnit', where));
  put(e, 'occurredAt', textOf(o, ['occurredAt', 'eventDate'], where));
  put(e, 'scheduledAt', textOf(o, ['scheduledAt', 'dueDate'], where));
  put(e, 'storedBy', text(o, 'storedBy', where));
  put(e, 'followUp', bool(o, 'followUp') ?? bool(o, 'followup'));
  put(e, 'deleted', bool(o, 'deleted'));
  put(e, 'createdAt', textOf(o, ['createdAt', 'created'], where));
  put(e, 'createdAtClient', text(o, 'createdAtClient', where));
  put(e, 'updatedAt', textOf(o, ['updatedAt', 'lastUpdated'], where));
  put(e, 'updatedAtClient', textOf(o, ['updatedAtClient', 'lastUpdatedAtClient'], where));
  put(e, 'createdBy', userOf(o.createdBy ?? o.createdByUserInfo));
  put(e, 'updatedBy', userOf(o.updatedBy ?? o.lastUpdatedByUserInfo));
  put(e, 'completedBy', text(o, 'completedBy', where));
  put(e, 'completedAt', textOf(o, ['completedAt', 'completedDate'], where));
  put(e, 'attributeOptionCombo', text(o, 'attributeOptionCombo', where));
  put(e, 'attributeCategoryOptions', acoOf(o, where));
  put(e, 'assignedUser', userOf(o.assignedUser));
  put(e, 'geometry', geometryOf(o, where));
  e.dataValues = list(o, 'dataValues', where).map((d, i) => dataValueOf(d, at(where, 'dataValues', i)));
  e.notes = list(o, 'notes', where).map((n, i) => noteOf(n, at(where, 'notes', i)));
  if (o.relationships !== undefined && o.relationships !== null) e.relationships = list(o, 'relationships', where).map((r, i) => relationshipOf(r, at(where, 'relationships', i)));
  return e;
}

export function enrollmentOf(o: Obj, where: Where): TrackerEnrollment {
  const n: TrackerEnrollment = { attributes: [], events: [], notes: [] };
  put(n, 'enrollment', text(o, 'enrollment', where));
  put(n, 'program', text(o, 'program', where));
  put(n, 'trackedEntity', textOf(o, ['trackedEntity', 'trackedEntityInstance'], where));
  put(n, 'orgUnit', text(o, 'orgUnit', where));
  put(n, 'status', text(o, 'status', where) as TrackerEnrollment['status']);
  put(n, 'enrolledAt', textOf(o, ['enrolledAt', 'enrollmentDate'], where));
  put(n, 'occurredAt', textOf(o, ['occurredAt', 'incidentDate'], where));
  put(n, 'followUp', bool(o, 'followUp') ?? bool(o, 'followup'));
  put(n, 'deleted', bool(o, 'deleted'));
  put(n, 'createdAt', textOf(o, ['createdAt', 'created'], where));
  put(n, 'createdAtClient', text(o, 'createdAtClient', where));
  put(n, 'updatedAt', textOf(o, ['updatedAt', 'lastUpdated'], where));
  put(n, 'updatedAtClient', textOf(o, ['updatedAtClient', 'lastUpdatedAtClient'], where));
  put(n, 'completedAt', textOf(o, ['completedAt', 'completedDate'], where));
  put(n, 'completedBy', text(o, 'completedBy', where));
  put(n, 'storedBy', text(o, 'storedBy', where));
  put(n, 'geometry', geometryOf(o, where));
  n.attributes = list(o, 'attributes', where).map((a, i) => attributeOf(a, at(where, 'attributes', i)));
  n.events = list(o, 'events', where).map((e, i) => eventOf(e, at(where, 'events', i)));
  n.notes = list(o, 'notes', where).map((x, i) => noteOf(x, at(where, 'notes', i)));
  if (o.relationships !== undefined && o.relationships !== null) n.relationships = list(o, 'relationships', where).map((r, i) => relationshipOf(r, at(where, 'relationships', i)));
  return n;
}

export function trackedEntityOf(o: Obj, where: Where): TrackedEntity {
  const t: TrackedEntity = { attributes: [], enrollments: [] };
  put(t, 'trackedEntity', textOf(o, ['trackedEntity', 'trackedEntityInstance'], where));
  put(t, 'trackedEntityType', text(o, 'trackedEntityType', where));
  put(t, 'orgUnit', text(o, 'orgUnit', where));
  put(t, 'createdAt', textOf(o, ['createdAt', 'created'], where));
  put(t, 'createdAtClient', text(o, 'createdAtClient', where));
  put(t, 'updatedAt', textOf(o, ['updatedAt', 'lastUpdated'], where));
  put(t, 'updatedAtClient', textOf(o, ['updatedAtClient', 'lastUpdatedAtClient'], where));
  put(t, 'inactive', bool(o, 'inactive'));
  put(t, 'deleted', bool(o, 'deleted'));
  put(t, 'potentialDuplicate', bool(o, 'potentialDuplicate'));
  put(t, 'storedBy', text(o, 'storedBy', where));
  put(t, 'geometry', geometryOf(o, where));
  t.attributes = list(o, 'attributes', where).map((a, i) => attributeOf(a, at(where, 'attributes', i)));
  t.enrollments = list(o, 'enrollments', where).map((e, i) => enrollmentOf(e, at(where, 'enrollments', i)));
  if (o.relationships !== undefined && o.relationships !== null) t.relationships = list(o, 'relationships', where).map((r, i) => relationshipOf(r, at(where, 'relationships', i)));
  return t;
}

function itemOf(v: unknown, where: Where): RelationshipItem {
  const it: RelationshipItem = {};
  if (!isObj(v)) return it;
  const side = (k: 'trackedEntity' | 'enrollment' | 'event', alt: string[]): string | undefined => {
    for (const key of [k, ...alt]) {
      const x = v[key];
      if (typeof x === 'string') return x;
      // export shape: {"trackedEntity": {"trackedEntity": "uid", …}}
      if (isObj(x)) return textOf(x, [k, ...alt], where);
    }
    return undefined;
  };
  put(it, 'trackedEntity', side('trackedEntity', ['trackedEntityInstance']));
  put(it, 'enrollment', side('enrollment', []));
  put(it, 'event', side('event', []));
  return it;
}

export function relationshipOf(o: Obj, where: Where): TrackerRelationship {
  const r: TrackerRelationship = { from: itemOf(o.from, where), to: itemOf(o.to, where) };
  put(r, 'relationship', text(o, 'relationship', where));
  put(r, 'relationshipType', text(o, 'relationshipType', where));
  put(r, 'relationshipName', text(o, 'relationshipName', where));
  put(r, 'bidirectional', bool(o, 'bidirectional'));
  put(r, 'createdAt', textOf(o, ['createdAt', 'created'], where));
  put(r, 'updatedAt', textOf(o, ['updatedAt', 'lastUpdated'], where));
  return r;
}

/** What an object of an `instances` (2.39–2.40 tracker export) or untyped list is, from its fields. */
export function typeOfInstance(o: Obj): 'TRACKED_ENTITY' | 'ENROLLMENT' | 'EVENT' | 'RELATIONSHIP' {
  if ('relationshipType' in o && ('from' in o || 'to' in o)) return 'RELATIONSHIP';
  if ('trackedEntityType' in o || 'enrollments' in o) return 'TRACKED_ENTITY';
  if ('programStage' in o || 'dataValues' in o || 'occurredAt' in o || 'eventDate' in o) return 'EVENT';
  if ('enrolledAt' in o || 'enrollmentDate' in o || 'enrollment' in o) return 'ENROLLMENT';
  return 'EVENT';
}
