/**
 * Event and tracked entity writers, from the shared tracker model:
 *
 * - tracker JSON: `{"events": […]}` / `{"trackedEntities": […]}` as /api/tracker exports them with paging=false
 *   (tracker names; geometry GeoJSON; one object per line);
 * - tracker CSV: the column order DHIS2's CsvEventDataValue writes (csv-columns.ts), one row per data value (an event
 *   without values: one row with empty data element columns); geometry as WKT with latitude/longitude for points.
 *   Like DHIS2's writer it leaves createdAtClient, updatedAtClient, updatedBy and assignedUser empty (corpus case
 *   trk-csv-complete-event-rewrite). Tracked entities: one row per attribute value;
 * - events JSON / XML / CSV of the deprecated API (≤ 2.40): old names (eventDate, dueDate, completedDate,
 *   trackedEntityInstance, created, lastUpdated), points as `coordinate` {latitude, longitude} (other geometries as
 *   GeoJSON), attributeCategoryOptions separated by ';', assignedUser as the user's uid; CSV in the 17 positional
 *   columns with their header.
 */
import type { TrackedEntity, TrackerEnrollment, TrackerEvent, TrackerGeometry, TrackerRecord, TrackerRelationship } from '../../../src-shared/dhis2/tracker.ts';
import { XML_DECLARATION, attr, escapeText } from '../shared/xml-writer.ts';
import type { EventsWriter, EventsWriterOptions } from '../types.ts';
import { EVENTS_CSV_COLUMNS, TRACKER_CSV_COLUMNS } from './csv-columns.ts';
import { geometryToWkt } from './wkt.ts';

type Obj = Record<string, unknown>;

/** Copies the defined fields of `src` in the order of `keys`. */
function ordered(src: object, keys: readonly string[]): Obj {
  const o: Obj = {};
  const s = src as Obj;
  for (const k of keys) if (s[k] !== undefined) o[k] = s[k];
  return o;
}

const EVENT_KEYS = [
  'event', 'status', 'program', 'programStage', 'enrollment', 'trackedEntity', 'orgUnit', 'occurredAt', 'scheduledAt', 'storedBy', 'followUp',
  'deleted', 'createdAt', 'createdAtClient', 'updatedAt', 'updatedAtClient', 'attributeOptionCombo', 'attributeCategoryOptions', 'completedBy',
  'completedAt', 'createdBy', 'updatedBy', 'assignedUser', 'geometry', 'dataValues', 'notes', 'relationships',
];
const DV_KEYS = ['dataElement', 'value', 'providedElsewhere', 'storedBy', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy'];
const ENROLLMENT_KEYS = [
  'enrollment', 'program', 'trackedEntity', 'orgUnit', 'status', 'enrolledAt', 'occurredAt', 'followUp', 'deleted', 'storedBy', 'createdAt',
  'createdAtClient', 'updatedAt', 'updatedAtClient', 'completedBy', 'completedAt', 'geometry', 'attributes', 'events', 'notes', 'relationships',
];
const TE_KEYS = [
  'trackedEntity', 'trackedEntityType', 'orgUnit', 'createdAt', 'createdAtClient', 'updatedAt', 'updatedAtClient', 'inactive', 'deleted',
  'potentialDuplicate', 'storedBy', 'geometry', 'attributes', 'enrollments', 'relationships',
];

export function trackerEventJson(e: TrackerEvent): Obj {
  const o = ordered(e, EVENT_KEYS);
  o.dataValues = e.dataValues.map((d) => ordered(d, DV_KEYS));
  return o;
}
function trackerEnrollmentJson(n: TrackerEnrollment): Obj {
  const o = ordered(n, ENROLLMENT_KEYS);
  o.events = n.events.map(trackerEventJson);
  return o;
}
function trackerEntityJson(t: TrackedEntity): Obj {
  const o = ordered(t, TE_KEYS);
  o.enrollments = t.enrollments.map(trackerEnrollmentJson);
  return o;
}
function trackerJsonOf(r: TrackerRecord): Obj {
  switch (r.type) {
    case 'EVENT':
      return trackerEventJson(r.value);
    case 'ENROLLMENT':
      return trackerEnrollmentJson(r.value);
    case 'TRACKED_ENTITY':
      return trackerEntityJson(r.value);
    default:
      return r.value as TrackerRelationship as unknown as Obj;
  }
}

/** A JSON list writer: `{"<key>":[` one object a line `]}`. */
function jsonList(key: string, of: (r: TrackerRecord) => Obj): EventsWriter {
  let n = 0;
  return {
    start: () => `{"${key}":[`,
    write: (r) => (n++ ? ',\n' : '\n') + JSON.stringify(of(r)),
    end: () => (n ? '\n]}\n' : ']}\n'),
  };
}

export function createTrackerJsonWriter(opts: EventsWriterOptions): EventsWriter {
  return jsonList(opts.what === 'EVENT' ? 'events' : 'trackedEntities', trackerJsonOf);
}

// --- CSV

/**
 * Quoted as DHIS2's CSV writer (Jackson's CsvMapper) quotes: a field holding a comma, quote, line break or any blank
 * or control character — "POINT (40 5)", "Test org unit" (DHIS2's CsvTrackedEntityServiceTest); quotes doubled.
 */
// eslint-disable-next-line no-control-regex -- blanks and control characters are what makes Jackson quote
const NEEDS_QUOTES = /[",\x00-\x20]/;
const QUOTE = /"/g;
export function csvField(s: string | null | undefined): string {
  if (s == null) return '';
  if (!NEEDS_QUOTES.test(s)) return s;
  return '"' + s.replace(QUOTE, '""') + '"';
}
const b = (v: boolean | undefined): string => (v ? 'true' : 'false');

/** A number as Java's Double.toString writes it for coordinates: 5 → "5.0" (DHIS2's CSV latitude/longitude are Doubles). */
const javaDouble = (v: unknown): string => {
  const n = Number(v);
  return Number.isInteger(n) && Math.abs(n) < 1e7 ? n.toFixed(1) : String(v);
};

/** [latitude, longitude] of a point, as text ('' for other geometries). */
function pointOf(g: TrackerGeometry | null | undefined): [string, string] {
  if (g?.type !== 'Point' || !Array.isArray(g.coordinates)) return ['', ''];
  const c = g.coordinates as unknown[];
  return [javaDouble(c[1]), javaDouble(c[0])];
}

function trackerCsvRows(e: TrackerEvent): string {
  const [lat, lng] = pointOf(e.geometry);
  const head = [
    e.event, e.status, e.program, e.programStage, e.enrollment, e.orgUnit, e.occurredAt, e.scheduledAt, geometryToWkt(e.geometry), lat, lng,
    b(e.followUp), b(e.deleted), e.createdAt, '', e.updatedAt, '', e.completedBy, e.completedAt, '', e.attributeOptionCombo,
    e.attributeCategoryOptions, '',
  ]
    .map(csvField)
    .join(',');
  if (!e.dataValues.length) return head + ',,,false,,\n';
  let s = '';
  for (const d of e.dataValues) s += `${head},${csvField(d.dataElement)},${csvField(d.value)},${b(d.providedElsewhere)},${csvField(d.updatedAt)},${csvField(d.createdAt)}\n`;
  return s;
}

/**
 * Tracked entity CSV columns in DHIS2's order (CsvTrackedEntity: 16 named columns, then the attribute's six in
 * alphabetical order, as DHIS2's own tests show them): one row per attribute value; without attributes one row.
 */
export const TRACKED_ENTITY_CSV_COLUMNS = [
  'trackedEntity', 'trackedEntityType', 'createdAt', 'createdAtClient', 'updatedAt', 'updatedAtClient', 'orgUnit', 'inactive', 'deleted',
  'potentialDuplicate', 'geometry', 'latitude', 'longitude', 'storedBy', 'createdBy', 'updatedBy', 'attrCreatedAt', 'attrUpdatedAt', 'attribute',
  'displayName', 'value', 'valueType',
] as const;

function trackedEntityCsvRows(t: TrackedEntity): string {
  const [lat, lng] = pointOf(t.geometry);
  const head = [
    t.trackedEntity, t.trackedEntityType, t.createdAt, t.createdAtClient, t.updatedAt, t.updatedAtClient, t.orgUnit, b(t.inactive), b(t.deleted),
    b(t.potentialDuplicate), geometryToWkt(t.geometry), lat, lng, t.storedBy, '', '',
  ]
    .map(csvField)
    .join(',');
  if (!t.attributes.length) return head + ',,,,,,\n';
  let s = '';
  for (const a of t.attributes)
    s += `${head},${[a.createdAt, a.updatedAt, a.attribute, a.displayName, a.value, a.valueType].map(csvField).join(',')}\n`;
  return s;
}

export function createTrackerCsvWriter(opts: EventsWriterOptions): EventsWriter {
  const te = opts.what === 'TRACKED_ENTITY';
  return {
    start: () => (opts.header === false ? '' : (te ? TRACKED_ENTITY_CSV_COLUMNS : TRACKER_CSV_COLUMNS).join(',') + '\n'),
    write: (r) => (r.type === 'EVENT' ? trackerCsvRows(r.value) : r.type === 'TRACKED_ENTITY' ? trackedEntityCsvRows(r.value) : ''),
    end: () => '',
  };
}

// --- the deprecated events API (≤ 2.40)

const oldAco = (s: string | undefined): string | undefined => (s === undefined ? undefined : s.split(',').join(';'));

/** An event in the deprecated API's JSON names. */
export function oldEventJson(e: TrackerEvent): Obj {
  const o: Obj = {};
  const put = (k: string, v: unknown): void => {
    if (v !== undefined) o[k] = v;
  };
  put('event', e.event);
  put('status', e.status);
  put('program', e.program);
  put('programStage', e.programStage);
  put('enrollment', e.enrollment);
  put('trackedEntityInstance', e.trackedEntity);
  put('orgUnit', e.orgUnit);
  put('eventDate', e.occurredAt);
  put('dueDate', e.scheduledAt);
  put('completedDate', e.completedAt);
  put('completedBy', e.completedBy);
  put('storedBy', e.storedBy);
  put('created', e.createdAt);
  put('createdAtClient', e.createdAtClient);
  put('lastUpdated', e.updatedAt);
  put('lastUpdatedAtClient', e.updatedAtClient);
  put('followup', e.followUp);
  put('deleted', e.deleted);
  put('attributeOptionCombo', e.attributeOptionCombo);
  put('attributeCategoryOptions', oldAco(e.attributeCategoryOptions));
  put('assignedUser', e.assignedUser?.uid);
  const [lat, lng] = pointOf(e.geometry);
  if (lat !== '') o.coordinate = { latitude: Number(lat), longitude: Number(lng) };
  put('geometry', e.geometry ?? undefined);
  o.dataValues = e.dataValues.map((d) => {
    const v: Obj = { dataElement: d.dataElement, value: d.value };
    if (d.providedElsewhere !== undefined) v.providedElsewhere = d.providedElsewhere;
    if (d.storedBy !== undefined) v.storedBy = d.storedBy;
    if (d.createdAt !== undefined) v.created = d.createdAt;
    if (d.updatedAt !== undefined) v.lastUpdated = d.updatedAt;
    return v;
  });
  if (e.notes.length) o.notes = e.notes.map((n) => ordered({ note: n.note, value: n.value, storedDate: n.storedAt, storedBy: n.storedBy }, ['note', 'value', 'storedDate', 'storedBy']));
  return o;
}

export function createOldEventsJsonWriter(): EventsWriter {
  return jsonList('events', (r) => (r.type === 'EVENT' ? oldEventJson(r.value) : {}));
}

export function createOldEventsXmlWriter(): EventsWriter {
  return {
    start: () => XML_DECLARATION + '<events>\n',
    write(r) {
      if (r.type !== 'EVENT') return '';
      const e = r.value;
      let s =
        '<event' +
        attr('event', e.event) +
        attr('status', e.status) +
        attr('program', e.program) +
        attr('programStage', e.programStage) +
        attr('enrollment', e.enrollment) +
        attr('trackedEntityInstance', e.trackedEntity) +
        attr('orgUnit', e.orgUnit) +
        attr('eventDate', e.occurredAt) +
        attr('dueDate', e.scheduledAt) +
        attr('completedDate', e.completedAt) +
        attr('completedBy', e.completedBy) +
        attr('storedBy', e.storedBy) +
        attr('created', e.createdAt) +
        attr('lastUpdated', e.updatedAt) +
        attr('followup', e.followUp === undefined ? undefined : String(e.followUp)) +
        attr('deleted', e.deleted === undefined ? undefined : String(e.deleted)) +
        attr('attributeOptionCombo', e.attributeOptionCombo) +
        attr('attributeCategoryOptions', oldAco(e.attributeCategoryOptions)) +
        attr('assignedUser', e.assignedUser?.uid) +
        '>';
      const [lat, lng] = pointOf(e.geometry);
      if (lat !== '') s += `<coordinate${attr('latitude', lat)}${attr('longitude', lng)}/>`;
      else if (e.geometry) s += `<geometry>${escapeText(JSON.stringify(e.geometry))}</geometry>`;
      if (e.dataValues.length) {
        s += '<dataValues>';
        for (const d of e.dataValues)
          s +=
            '<dataValue' +
            attr('dataElement', d.dataElement) +
            attr('value', d.value) +
            attr('providedElsewhere', d.providedElsewhere === undefined ? undefined : String(d.providedElsewhere)) +
            attr('storedBy', d.storedBy) +
            attr('created', d.createdAt) +
            attr('lastUpdated', d.updatedAt) +
            '/>';
        s += '</dataValues>';
      }
      if (e.notes.length) {
        s += '<notes>';
        for (const n of e.notes) s += '<note' + attr('note', n.note) + attr('value', n.value) + attr('storedDate', n.storedAt) + attr('storedBy', n.storedBy) + '/>';
        s += '</notes>';
      }
      return s + '</event>\n';
    },
    end: () => '</events>\n',
  };
}

function oldCsvRows(e: TrackerEvent): string {
  const [lat, lng] = pointOf(e.geometry);
  const head = [e.event, e.status, e.program, e.programStage, e.enrollment, e.orgUnit, e.occurredAt, e.scheduledAt, lat, lng].map(csvField).join(',');
  const tail = [e.completedAt, e.completedBy, geometryToWkt(e.geometry)].map(csvField).join(',');
  if (!e.dataValues.length) return `${head},,,${csvField(e.storedBy)},false,${tail}\n`;
  let s = '';
  for (const d of e.dataValues) s += `${head},${csvField(d.dataElement)},${csvField(d.value)},${csvField(d.storedBy ?? e.storedBy)},${b(d.providedElsewhere)},${tail}\n`;
  return s;
}

export function createOldEventsCsvWriter(opts: EventsWriterOptions): EventsWriter {
  return {
    start: () => (opts.header === false ? '' : EVENTS_CSV_COLUMNS.join(',') + '\n'),
    write: (r) => (r.type === 'EVENT' ? oldCsvRows(r.value) : ''),
    end: () => '',
  };
}
