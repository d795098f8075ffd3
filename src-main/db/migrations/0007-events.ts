import type { Migration } from '../migrate.ts';

/**
 * Program data (issue 9): tracked entities with their attribute values, enrollments, events with their data values,
 * notes and relationships, in tables of their own. Every reference to metadata is the integer metadata_object.id
 * (program, program stage, org unit, attribute option combo, data element, tracked entity type and attribute,
 * relationship type); references between tracker objects are the integer ids of these tables. Timestamps are the
 * ISO-8601 texts the file gave (or the job's time), so that an export writes them back as they came.
 *
 * The placeholder `event` table of migration 1 (uid + JSON, never written by any importer) is replaced: rows it may
 * hold are carried over with the columns it had.
 *
 * Indexes serve the export filters: events by (program, org unit, occurred date) — a stage is always asked with its
 * program — by last update, by enrollment (partial: events of programs with registration only), enrollments by tracked entity and
 * by (program, org unit), tracked entities by org unit and type. Event data values have their key (event, de) only.
 * Every row records the job file that wrote it (source_file_id = job_file.id).
 */
export const m0007: Migration = {
  version: 7,
  name: 'events',
  up: `
ALTER TABLE event RENAME TO event_placeholder;

CREATE TABLE tracked_entity (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  te_type INTEGER,
  ou INTEGER,
  inactive INTEGER NOT NULL DEFAULT 0,
  potential_duplicate INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  geometry TEXT,
  stored_by TEXT,
  created_at TEXT,
  created_at_client TEXT,
  updated_at TEXT,
  updated_at_client TEXT,
  source_file_id INTEGER
) STRICT;
CREATE INDEX tracked_entity_ou ON tracked_entity(ou);
CREATE INDEX tracked_entity_type ON tracked_entity(te_type);
CREATE INDEX tracked_entity_updated ON tracked_entity(updated_at);

CREATE TABLE tracked_entity_attribute_value (
  te INTEGER NOT NULL,
  attribute INTEGER NOT NULL,
  value TEXT,
  stored_by TEXT,
  created_at TEXT,
  updated_at TEXT,
  PRIMARY KEY (te, attribute)
) STRICT, WITHOUT ROWID;
CREATE INDEX tracked_entity_attribute_value_attr ON tracked_entity_attribute_value(attribute, value);

CREATE TABLE enrollment (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  te INTEGER,
  program INTEGER NOT NULL,
  ou INTEGER,
  status TEXT NOT NULL DEFAULT 'ACTIVE',
  enrolled_at TEXT,
  occurred_at TEXT,
  completed_at TEXT,
  completed_by TEXT,
  follow_up INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  geometry TEXT,
  stored_by TEXT,
  created_at TEXT,
  created_at_client TEXT,
  updated_at TEXT,
  updated_at_client TEXT,
  source_file_id INTEGER
) STRICT;
CREATE INDEX enrollment_te ON enrollment(te);
CREATE INDEX enrollment_program_ou ON enrollment(program, ou);

CREATE TABLE event (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  program INTEGER,
  program_stage INTEGER,
  enrollment INTEGER,
  ou INTEGER,
  status TEXT NOT NULL DEFAULT 'ACTIVE',
  occurred_at TEXT,
  scheduled_at TEXT,
  completed_at TEXT,
  completed_by TEXT,
  aoc INTEGER,
  attribute_category_options TEXT,
  follow_up INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  geometry TEXT,
  stored_by TEXT,
  assigned_user TEXT,
  created_by TEXT,
  updated_by TEXT,
  created_at TEXT,
  created_at_client TEXT,
  updated_at TEXT,
  updated_at_client TEXT,
  source_file_id INTEGER
) STRICT;
CREATE INDEX event_program_ou ON event(program, ou, occurred_at);
CREATE INDEX event_enrollment ON event(enrollment) WHERE enrollment IS NOT NULL;
CREATE INDEX event_updated ON event(updated_at);

INSERT INTO event (id, uid, program, program_stage, ou, occurred_at, deleted, source_file_id)
  SELECT id, uid, program, program_stage, ou, occurred_at, deleted, source_file_id FROM event_placeholder;
DROP TABLE event_placeholder;

-- assigned_user, created_by, updated_by: the user object's JSON text ({"uid","username",…}) as the file gave it.
-- A data value's stored_by, created_at and updated_at are NULL while equal to its event's (what an import of a file
-- without per-value timestamps writes): 1,000,000 values then hold no repeated texts. Readers take the event's.
CREATE TABLE event_data_value (
  event INTEGER NOT NULL,
  de INTEGER NOT NULL,
  value TEXT,
  provided_elsewhere INTEGER NOT NULL DEFAULT 0,
  stored_by TEXT,
  created_at TEXT,
  updated_at TEXT,
  created_by TEXT,
  updated_by TEXT,
  PRIMARY KEY (event, de)
) STRICT, WITHOUT ROWID;

-- notes of an event (owner_type 'EVENT') or an enrollment ('ENROLLMENT'), in their file order (id)
CREATE TABLE tracker_note (
  id INTEGER PRIMARY KEY,
  uid TEXT,
  owner_type TEXT NOT NULL CHECK (owner_type IN ('EVENT','ENROLLMENT')),
  owner_id INTEGER NOT NULL,
  value TEXT NOT NULL,
  stored_at TEXT,
  stored_by TEXT,
  created_by TEXT
) STRICT;
CREATE INDEX tracker_note_owner ON tracker_note(owner_type, owner_id);

-- each side is one tracker object: its type ('TRACKED_ENTITY','ENROLLMENT','EVENT') and its id in that table
CREATE TABLE relationship (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  relationship_type INTEGER,
  from_type TEXT NOT NULL,
  from_id INTEGER NOT NULL,
  to_type TEXT NOT NULL,
  to_id INTEGER NOT NULL,
  bidirectional INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  created_at TEXT,
  updated_at TEXT,
  source_file_id INTEGER
) STRICT;
CREATE INDEX relationship_from ON relationship(from_type, from_id);
CREATE INDEX relationship_to ON relationship(to_type, to_id);
`,
};
