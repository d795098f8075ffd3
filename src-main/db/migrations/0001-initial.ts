import type { Migration } from '../migrate.ts';

/** The first schema: generic metadata store, org unit tree, periods, data values, events, jobs. */
export const m0001: Migration = {
  version: 1,
  name: 'initial',
  up: `
CREATE TABLE job (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('import','export')),
  status TEXT NOT NULL,
  dry_run INTEGER NOT NULL DEFAULT 0,
  options TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  duration_ms INTEGER,
  result_status TEXT,
  summary TEXT,
  error TEXT
) STRICT;

CREATE TABLE job_file (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES job(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER,
  sha256 TEXT,
  format TEXT,
  compression TEXT,
  status TEXT,
  UNIQUE (job_id, idx)
) STRICT;

-- Every DHIS2 metadata object as its DXF2 JSON. type = DXF2 plural key ('dataElements').
CREATE TABLE metadata_object (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL,
  type TEXT NOT NULL,
  code TEXT,
  name TEXT,
  last_updated TEXT,
  json TEXT NOT NULL,
  source_file_id INTEGER,
  UNIQUE (type, uid)
) STRICT;
CREATE INDEX metadata_object_uid ON metadata_object(uid);
CREATE INDEX metadata_object_type_code ON metadata_object(type, code);
CREATE INDEX metadata_object_type_name ON metadata_object(type, name);

-- References between stored objects (from holds a reference to to via property).
CREATE TABLE metadata_ref (
  from_id INTEGER NOT NULL REFERENCES metadata_object(id) ON DELETE CASCADE,
  to_id INTEGER NOT NULL,
  property TEXT NOT NULL,
  PRIMARY KEY (from_id, to_id, property)
) STRICT, WITHOUT ROWID;
CREATE INDEX metadata_ref_to ON metadata_ref(to_id);

-- Org unit hierarchy, kept alongside the generic store.
CREATE TABLE org_unit (
  id INTEGER PRIMARY KEY REFERENCES metadata_object(id) ON DELETE CASCADE,
  parent_id INTEGER,
  path TEXT,
  level INTEGER,
  geometry TEXT
) STRICT;
CREATE INDEX org_unit_parent ON org_unit(parent_id);
CREATE INDEX org_unit_path ON org_unit(path);

CREATE TABLE period (
  id INTEGER PRIMARY KEY,
  iso TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL
) STRICT;

-- Aggregate data values keyed by integer ids of their five dimensions (metadata_object.id / period.id).
CREATE TABLE data_value (
  de INTEGER NOT NULL,
  pe INTEGER NOT NULL,
  ou INTEGER NOT NULL,
  coc INTEGER NOT NULL,
  aoc INTEGER NOT NULL,
  value TEXT,
  stored_by TEXT,
  created TEXT NOT NULL,
  last_updated TEXT NOT NULL,
  comment TEXT,
  followup INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  source_file_id INTEGER,
  PRIMARY KEY (de, pe, ou, coc, aoc)
) STRICT, WITHOUT ROWID;
CREATE INDEX data_value_ou_pe ON data_value(ou, pe);
CREATE INDEX data_value_last_updated ON data_value(last_updated);
CREATE INDEX data_value_source ON data_value(source_file_id);

CREATE TABLE complete_registration (
  dataset INTEGER NOT NULL,
  pe INTEGER NOT NULL,
  ou INTEGER NOT NULL,
  aoc INTEGER NOT NULL,
  date TEXT NOT NULL,
  stored_by TEXT,
  source_file_id INTEGER,
  PRIMARY KEY (dataset, pe, ou, aoc)
) STRICT, WITHOUT ROWID;

-- Events (program stage instances) as their JSON; later issues fill this.
CREATE TABLE event (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  program INTEGER,
  program_stage INTEGER,
  ou INTEGER,
  occurred_at TEXT,
  json TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  source_file_id INTEGER
) STRICT;
`,
};
