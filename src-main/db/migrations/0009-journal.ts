import type { Migration } from '../migrate.ts';

/**
 * The local change sequence and the change journal (issue 13): "what changed since the last send" and undo.
 *
 * THE CHANGE SEQUENCE is job_file.id: every row an import writes carries the id of the job file that wrote it
 * (source_file_id), and ids only grow. Wall clocks are never used (facility desktops often have a wrong date). An undo
 * job has a job_file row of its own (a pseudo file), so that what it writes gets a fresh number too.
 *  - data_value_written (file_id, ou, pe): one row per file × org unit × period the file wrote (inserted, updated,
 *    soft-deleted), filled by DataValueWritesRepo like data_value_change; "values changed after N" reads the
 *    partitions of files > N by key, then the values of those partitions with source_file_id > N — no scan of
 *    data_value and no index on it (a 1,000,000-value import of 10,000 partitions adds 10,000 small rows).
 *    data_value_written_ou (ou, pe, file_id) finds the later files that wrote the same partitions (undo's check).
 *  - Program data and metadata: the generic journal below lists every row a job wrote (journal_row), which is how the
 *    sender finds events changed (soft deletes included, which do not set source_file_id) after a sequence number.
 *  See src-main/db/repos/changes.ts for the queries.
 *
 * THE JOURNAL: what a job wrote, so that it can be undone exactly.
 *  - journal_data_value: per job file, the before-image of every data value the file updated or soft-deleted (the
 *    whole row, texts as their ids, source_file_id included; the first image wins when a file writes a key twice).
 *    A pure insert records nothing: the rows a file inserted are its partitions' rows with source_file_id = file and
 *    no before-image. Written by DataValueWritesRepo (an extra INSERT … SELECT per updated row; nothing per insert).
 *  - journal_row: per job, every row the job inserted (before NULL), updated or deleted (before = the old row as a
 *    JSON object of its columns) in the metadata tables (metadata_object, metadata_ref, org_unit), the program data
 *    tables (event data values and notes: in journal_event_value / journal_note, below), complete_registration and
 *    dhis14_mapping, recorded by the triggers below while journal_current holds the
 *    job's id (the runner sets it inside the job's transaction, and clears it before the commit). k1…k4 are the row's
 *    key (0 for unused parts). One trigger call per event, not per event data value (measured: per-value triggers
 *    doubled the CPU time of a 100,000-event × 10-value import and made the database 8 times larger).
 *  - undo_touched: the data value keys an undo job removed or restored (the undo writes data_value directly, with
 *    the old source_file_id), so that a send after the undo carries them (a removed key as a deletion).
 *  - job_undo: job → the undo job that undid it. journal_since: the first job id the journal covers (jobs before the
 *    migration cannot be undone).
 */
const JOURNALED: { table: string; key: string[] }[] = [
  { table: 'metadata_object', key: ['id'] },
  { table: 'org_unit', key: ['id'] },
  { table: 'metadata_ref', key: ['from_id', 'to_id', 'property'] },
  { table: 'complete_registration', key: ['dataset', 'pe', 'ou', 'aoc'] },
  { table: 'tracked_entity', key: ['id'] },
  { table: 'tracked_entity_attribute_value', key: ['te', 'attribute'] },
  { table: 'enrollment', key: ['id'] },
  { table: 'event', key: ['id'] },
  { table: 'relationship', key: ['id'] },
  { table: 'dhis14_mapping', key: ['object_type', 'legacy_id'] },
];

/** the key of a row (NEW or OLD) as the four journal key columns */
const keyOf = (alias: string, key: string[]): string => [0, 1, 2, 3].map((i) => (key[i] ? `${alias}.${key[i]}` : '0')).join(', ');

export const m0009: Migration = {
  version: 9,
  name: 'journal',
  up: (db) => {
    db.exec(`
CREATE TABLE data_value_written (
  file_id INTEGER NOT NULL,
  ou INTEGER NOT NULL,
  pe INTEGER NOT NULL,
  PRIMARY KEY (file_id, ou, pe)
) STRICT, WITHOUT ROWID;
CREATE INDEX data_value_written_ou ON data_value_written(ou, pe, file_id);
INSERT INTO data_value_written (file_id, ou, pe) SELECT DISTINCT source_file_id, ou, pe FROM data_value WHERE source_file_id IS NOT NULL;

CREATE INDEX event_source_file ON event(source_file_id);

CREATE TABLE journal_data_value (
  file_id INTEGER NOT NULL,
  ou INTEGER NOT NULL,
  pe INTEGER NOT NULL,
  de INTEGER NOT NULL,
  coc INTEGER NOT NULL,
  aoc INTEGER NOT NULL,
  value TEXT,
  stored_by ANY,
  created ANY,
  last_updated ANY NOT NULL,
  comment TEXT,
  followup INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  source_file_id INTEGER,
  PRIMARY KEY (file_id, ou, pe, de, coc, aoc)
) STRICT, WITHOUT ROWID;

CREATE TABLE undo_touched (
  file_id INTEGER NOT NULL,
  ou INTEGER NOT NULL,
  pe INTEGER NOT NULL,
  de INTEGER NOT NULL,
  coc INTEGER NOT NULL,
  aoc INTEGER NOT NULL,
  PRIMARY KEY (file_id, ou, pe, de, coc, aoc)
) STRICT, WITHOUT ROWID;

CREATE TABLE journal_row (
  job_id INTEGER NOT NULL,
  tbl TEXT NOT NULL,
  k1 ANY NOT NULL,
  k2 ANY NOT NULL,
  k3 ANY NOT NULL,
  k4 ANY NOT NULL,
  before TEXT,
  PRIMARY KEY (job_id, tbl, k1, k2, k3, k4)
) STRICT, WITHOUT ROWID;
CREATE INDEX journal_row_key ON journal_row(tbl, k1, k2, k3, k4, job_id);

-- the data values and notes of an event (notes of an enrollment) as they were when the job first changed the event
-- (enrollment): copied by the event's (enrollment's) update and delete triggers, once per job, set-based; an event
-- the job created has none (undo deletes its values and notes with it). Event data values and notes are written only
-- together with their event (enrollment), so they need no trigger of their own (1,000,000 event values would cost a
-- trigger call and a journal row each).
CREATE TABLE journal_event_value (
  job_id INTEGER NOT NULL,
  event INTEGER NOT NULL,
  de INTEGER NOT NULL,
  value TEXT,
  provided_elsewhere INTEGER NOT NULL,
  stored_by TEXT,
  created_at TEXT,
  updated_at TEXT,
  created_by TEXT,
  updated_by TEXT,
  PRIMARY KEY (job_id, event, de)
) STRICT, WITHOUT ROWID;
CREATE TABLE journal_note (
  job_id INTEGER NOT NULL,
  id INTEGER NOT NULL,
  uid TEXT,
  owner_type TEXT NOT NULL,
  owner_id INTEGER NOT NULL,
  value TEXT NOT NULL,
  stored_at TEXT,
  stored_by TEXT,
  created_by TEXT,
  PRIMARY KEY (job_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE journal_current (job_id INTEGER NOT NULL) STRICT;
CREATE TABLE journal_since (job_id INTEGER NOT NULL) STRICT;
INSERT INTO journal_since (job_id) SELECT coalesce(max(id), 0) + 1 FROM job;
CREATE TABLE job_undo (
  job_id INTEGER PRIMARY KEY,
  undone_by INTEGER NOT NULL
) STRICT;
`);
    for (const { table, key } of JOURNALED) {
      const exists = db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(table);
      if (!exists) continue;
      const cols = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).map((c) => `'${c}', OLD.${c}`).join(', ');
      db.exec(`
CREATE TRIGGER journal_${table}_insert AFTER INSERT ON ${table} WHEN EXISTS (SELECT 1 FROM journal_current) BEGIN
  INSERT OR IGNORE INTO journal_row (job_id, tbl, k1, k2, k3, k4, before) SELECT job_id, '${table}', ${keyOf('NEW', key)}, NULL FROM journal_current;
END;
CREATE TRIGGER journal_${table}_update BEFORE UPDATE ON ${table} WHEN EXISTS (SELECT 1 FROM journal_current) BEGIN
  INSERT OR IGNORE INTO journal_row (job_id, tbl, k1, k2, k3, k4, before) SELECT job_id, '${table}', ${keyOf('OLD', key)}, json_object(${cols}) FROM journal_current;
END;
CREATE TRIGGER journal_${table}_delete BEFORE DELETE ON ${table} WHEN EXISTS (SELECT 1 FROM journal_current) BEGIN
  INSERT OR IGNORE INTO journal_row (job_id, tbl, k1, k2, k3, k4, before) SELECT job_id, '${table}', ${keyOf('OLD', key)}, json_object(${cols}) FROM journal_current;
END;`);
    }
    // events and enrollments: their data values and notes as they were, copied when the job's first before-image of the
    // event (enrollment) is recorded (an AFTER INSERT on journal_row fires only for a row actually inserted: once per
    // job and event; never for an event the job created, whose before is NULL). (A NOT EXISTS check on journal_row in
    // the event's own trigger made a re-import of 20,000 events take 22 s of CPU instead of 2.)
    if (db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'event'`).get()) {
      db.exec(`
CREATE TRIGGER journal_row_children AFTER INSERT ON journal_row WHEN NEW.before IS NOT NULL AND NEW.tbl IN ('event', 'enrollment') BEGIN
  INSERT OR IGNORE INTO journal_event_value (job_id, event, de, value, provided_elsewhere, stored_by, created_at, updated_at, created_by, updated_by)
    SELECT NEW.job_id, v.event, v.de, v.value, v.provided_elsewhere, v.stored_by, v.created_at, v.updated_at, v.created_by, v.updated_by FROM event_data_value v
     WHERE NEW.tbl = 'event' AND v.event = NEW.k1;
  INSERT OR IGNORE INTO journal_note (job_id, id, uid, owner_type, owner_id, value, stored_at, stored_by, created_by)
    SELECT NEW.job_id, n.id, n.uid, n.owner_type, n.owner_id, n.value, n.stored_at, n.stored_by, n.created_by FROM tracker_note n
     WHERE n.owner_type = CASE NEW.tbl WHEN 'event' THEN 'EVENT' ELSE 'ENROLLMENT' END AND n.owner_id = NEW.k1;
END;`);
    }
  },
};

/** The journaled tables and their keys (undo restores them in this order: parents before children). */
export const JOURNALED_TABLES = JOURNALED;
