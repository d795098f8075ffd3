/**
 * Program data in the tracker API's own model (spec §6.1, DHIS2 2.36+): tracked entities, enrollments, events,
 * relationships. Every event file Ferry reads — tracker JSON/CSV and the deprecated events API's JSON/XML/CSV (§6.2) —
 * is read into these shapes (old names renamed: eventDate → occurredAt, dueDate → scheduledAt, completedDate →
 * completedAt, trackedEntityInstance → trackedEntity, coordinate → geometry, created → createdAt, lastUpdated →
 * updatedAt), and every event writer writes from them; that is what makes any readable file exportable in any written
 * format. Identifiers are kept as the file gives them (a uid, code, name or attribute value, per the id schemes);
 * the importer resolves them, the exporter writes them in the scheme asked for.
 */

export const EVENT_STATUSES = ['ACTIVE', 'COMPLETED', 'VISITED', 'SCHEDULE', 'OVERDUE', 'SKIPPED'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
export const ENROLLMENT_STATUSES = ['ACTIVE', 'COMPLETED', 'CANCELLED'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** A GeoJSON geometry object ({"type":"Point","coordinates":[lng,lat]}, Polygon, MultiPolygon …). */
export interface TrackerGeometry {
  type: string;
  coordinates: unknown;
}

export interface TrackerUser {
  uid?: string;
  username?: string;
  firstName?: string;
  surname?: string;
}

export interface TrackerNote {
  note?: string;
  value: string;
  storedAt?: string;
  storedBy?: string;
  createdBy?: TrackerUser;
}

/** A data value of an event; `value: null` removes the value (tracker import). */
export interface TrackerDataValue {
  dataElement: string;
  value: string | null;
  providedElsewhere?: boolean;
  storedBy?: string;
  createdAt?: string;
  updatedAt?: string;
  createdBy?: TrackerUser;
  updatedBy?: TrackerUser;
}

/** A tracked entity attribute value (on a tracked entity, or given on an enrollment). */
export interface TrackerAttribute {
  attribute: string;
  value: string | null;
  displayName?: string;
  valueType?: string;
  storedBy?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface TrackerEvent {
  event?: string;
  status?: EventStatus;
  program?: string;
  programStage?: string;
  enrollment?: string;
  trackedEntity?: string;
  orgUnit?: string;
  occurredAt?: string;
  scheduledAt?: string;
  storedBy?: string;
  followUp?: boolean;
  deleted?: boolean;
  createdAt?: string;
  createdAtClient?: string;
  updatedAt?: string;
  updatedAtClient?: string;
  createdBy?: TrackerUser;
  updatedBy?: TrackerUser;
  completedBy?: string;
  completedAt?: string;
  attributeOptionCombo?: string;
  /** category option ids separated by ',' (the deprecated API used ';': readers normalise to ',') */
  attributeCategoryOptions?: string;
  assignedUser?: TrackerUser;
  geometry?: TrackerGeometry | null;
  dataValues: TrackerDataValue[];
  notes: TrackerNote[];
  relationships?: TrackerRelationship[];
}

export interface TrackerEnrollment {
  enrollment?: string;
  program?: string;
  trackedEntity?: string;
  orgUnit?: string;
  status?: EnrollmentStatus;
  enrolledAt?: string;
  occurredAt?: string;
  followUp?: boolean;
  deleted?: boolean;
  createdAt?: string;
  createdAtClient?: string;
  updatedAt?: string;
  updatedAtClient?: string;
  completedAt?: string;
  completedBy?: string;
  storedBy?: string;
  geometry?: TrackerGeometry | null;
  attributes: TrackerAttribute[];
  events: TrackerEvent[];
  notes: TrackerNote[];
  relationships?: TrackerRelationship[];
}

export interface TrackedEntity {
  trackedEntity?: string;
  trackedEntityType?: string;
  orgUnit?: string;
  createdAt?: string;
  createdAtClient?: string;
  updatedAt?: string;
  updatedAtClient?: string;
  inactive?: boolean;
  deleted?: boolean;
  potentialDuplicate?: boolean;
  storedBy?: string;
  geometry?: TrackerGeometry | null;
  attributes: TrackerAttribute[];
  enrollments: TrackerEnrollment[];
  relationships?: TrackerRelationship[];
}

/** One side of a relationship: exactly one of the three. */
export interface RelationshipItem {
  trackedEntity?: string;
  enrollment?: string;
  event?: string;
}

export interface TrackerRelationship {
  relationship?: string;
  relationshipType?: string;
  relationshipName?: string;
  bidirectional?: boolean;
  createdAt?: string;
  updatedAt?: string;
  from: RelationshipItem;
  to: RelationshipItem;
}

/** The tracker types, as DHIS2 names them in its reports (typeReportMap keys, errorReports[].trackerType). */
export type TrackerType = 'TRACKED_ENTITY' | 'ENROLLMENT' | 'EVENT' | 'RELATIONSHIP';

/**
 * Which generation of DHIS2 wrote a file: 'tracker' (/api/tracker, 2.36+: answered with a tracker ImportReport) or
 * 'events' (the deprecated /api/events, ≤ 2.40: answered with ImportSummaries).
 */
export type EventGeneration = 'tracker' | 'events';

/**
 * What an event reader yields: one top-level object at a time, with where it starts in the file (1-based line, and
 * its 0-based index among the file's objects of that type). A tracked entity carries its enrollments and their events
 * nested, as in the file; readers never hold more than one top-level object.
 */
export type TrackerRecord =
  | { type: 'TRACKED_ENTITY'; value: TrackedEntity; line: number; index: number }
  | { type: 'ENROLLMENT'; value: TrackerEnrollment; line: number; index: number }
  | { type: 'EVENT'; value: TrackerEvent; line: number; index: number }
  | { type: 'RELATIONSHIP'; value: TrackerRelationship; line: number; index: number };

/** A tracker ImportReport (spec §6.1): what `ferry import --kind events` answers for tracker files. */
export interface TrackerErrorReport {
  message: string;
  errorCode: string;
  trackerType: TrackerType;
  uid: string;
  /** Ferry extra: the file line of the object (DHIS2 has none) */
  line?: number;
}

export interface TrackerStats {
  created: number;
  updated: number;
  deleted: number;
  ignored: number;
  total: number;
}

export interface TrackerObjectReport {
  trackerType: TrackerType;
  uid: string;
  index?: number;
  errorReports: TrackerErrorReport[];
}

export interface TrackerTypeReport {
  trackerType: TrackerType;
  stats: TrackerStats;
  /** the objects written, as DHIS2 lists them (each with its empty errorReports) */
  objectReports: TrackerObjectReport[];
  /** Ferry extra: objects written and not listed (SUMMARY_LIMITS.objectReports per job, or a compacted old job) */
  moreObjectReports?: number;
}

export interface TrackerImportReport {
  /** discriminates it from the other summaries stored in the job history */
  responseType: 'TrackerImportReport';
  status: 'OK' | 'WARNING' | 'ERROR';
  validationReport: { errorReports: TrackerErrorReport[]; warningReports: TrackerErrorReport[] };
  stats: TrackerStats;
  bundleReport?: { status: 'OK' | 'WARNING' | 'ERROR'; typeReportMap: Partial<Record<TrackerType, TrackerTypeReport>>; stats: TrackerStats };
  /** Ferry extra: error reports not listed (the cap of SUMMARY_LIMITS), by code */
  moreErrorReports?: Record<string, number>;
  /**
   * Ferry extra, dry runs (importMode VALIDATE): what the import would have written. DHIS2 validates without
   * committing and reports zero counts (stats.created 0, an empty typeReportMap); Ferry keeps those and tells here
   * what committing would give.
   */
  wouldBe?: { stats: TrackerStats; typeReportMap: Partial<Record<TrackerType, TrackerTypeReport>> };
}

/**
 * A tracker report as the job history keeps it for an old job: the bundle's objectReports emptied and counted in
 * moreObjectReports (the same object when there is nothing to compact).
 */
export function compactTrackerReport(r: TrackerImportReport): TrackerImportReport {
  const compactMap = (m: Partial<Record<TrackerType, TrackerTypeReport>>): Partial<Record<TrackerType, TrackerTypeReport>> => {
    const out: Partial<Record<TrackerType, TrackerTypeReport>> = {};
    for (const [k, t] of Object.entries(m) as [TrackerType, TrackerTypeReport][]) {
      const hidden = t.objectReports.length + (t.moreObjectReports ?? 0);
      out[k] = { trackerType: t.trackerType, stats: t.stats, objectReports: [], ...(hidden ? { moreObjectReports: hidden } : {}) };
    }
    return out;
  };
  const listed = (m: Partial<Record<TrackerType, TrackerTypeReport>> | undefined): boolean => Object.values(m ?? {}).some((t) => t.objectReports.length > 0);
  if (!listed(r.bundleReport?.typeReportMap) && !listed(r.wouldBe?.typeReportMap)) return r;
  return {
    ...r,
    ...(r.bundleReport ? { bundleReport: { ...r.bundleReport, typeReportMap: compactMap(r.bundleReport.typeReportMap) } } : {}),
    ...(r.wouldBe ? { wouldBe: { ...r.wouldBe, typeReportMap: compactMap(r.wouldBe.typeReportMap) } } : {}),
  };
}
