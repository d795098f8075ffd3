/**
 * The event CSV columns of both generations (spec §6.1, §6.2). Shared by the CSV reader and writers.
 *
 * - Tracker (2.36+): the order DHIS2's CsvEventDataValue writes. Its own test fixture `completeEvent.csv` and the
 *   zip/gzip export test (corpus cases trk-csv-complete-event, trk-csv-complete-event-rewrite) have 28 columns — no
 *   event `storedBy` and no `storedByDataValue`; the 30-column order of spec §6.1 (with both) is read too.
 * - Deprecated events API (≤ 2.40): 17 columns, positional unless a header names them.
 */
export const TRACKER_CSV_COLUMNS = [
  'event', 'status', 'program', 'programStage', 'enrollment', 'orgUnit', 'occurredAt', 'scheduledAt', 'geometry', 'latitude', 'longitude',
  'followUp', 'deleted', 'createdAt', 'createdAtClient', 'updatedAt', 'updatedAtClient', 'completedBy', 'completedAt', 'updatedBy',
  'attributeOptionCombo', 'attributeCategoryOptions', 'assignedUser', 'dataElement', 'value', 'providedElsewhere', 'updatedAtDataValue',
  'createdAtDataValue',
] as const;

/** spec §6.1's 30 columns (core-2.42 annotation order, with storedBy and storedByDataValue) */
export const TRACKER_CSV_COLUMNS_30 = [
  ...TRACKER_CSV_COLUMNS.slice(0, 25), 'storedBy', 'providedElsewhere', 'storedByDataValue', 'updatedAtDataValue', 'createdAtDataValue',
] as const;

export const EVENTS_CSV_COLUMNS = [
  'event', 'status', 'program', 'programStage', 'enrollment', 'orgUnit', 'eventDate', 'dueDate', 'latitude', 'longitude', 'dataElement', 'value',
  'storedBy', 'providedElsewhere', 'completedDate', 'completedBy', 'geometry',
] as const;

/** Header names (lower case) → the field they fill; old names map to the tracker model's. */
export const CSV_FIELD_OF: Record<string, string> = Object.fromEntries(
  [
    ...TRACKER_CSV_COLUMNS_30.map((c) => [c, c]),
    ['eventDate', 'occurredAt'],
    ['dueDate', 'scheduledAt'],
    ['completedDate', 'completedAt'],
    ['created', 'createdAt'],
    ['lastUpdated', 'updatedAt'],
    ['trackedEntityInstance', 'trackedEntity'],
    ['trackedEntity', 'trackedEntity'],
    ['storedByDataValue', 'storedByDataValue'],
  ].map(([k, v]) => [k!.toLowerCase(), v!]),
);

/** Names only the deprecated API's CSV used. */
export const OLD_CSV_NAMES = new Set(['eventdate', 'duedate', 'completeddate']);
