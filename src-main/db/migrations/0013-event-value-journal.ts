import type { Migration } from '../migrate.ts';

/**
 * Event data values journaled one by one (issue 9, speed of a re-import): until now the journal copied every data
 * value of an event as its before-image whenever a job updated the event (the journal_row_children trigger of
 * migration 9), so a re-import of 100,000 events × 10 values copied 1,000,000 values even when none changed. From
 * this migration on:
 *  - nothing is copied when a job updates an event (enrollment): the journal_row_children trigger is gone (it cost
 *    0.3 s per 100,000 updated events even without notes); notes are only ever added, and each note a job adds is
 *    listed in journal_row as ('tracker_note', id) (the undo removes them; the sender already reads such rows);
 *  - the events import (TrackerWriteRepo) writes only the data values that really change, and records the
 *    before-image of exactly those in journal_event_value, first image per job wins: the old row (existed = 1), or
 *    existed = 0 for a value the event did not have (the undo deletes it);
 *  - the undo of a job from journal_event_value_since on puts back exactly its journaled values (and deletes the
 *    values of the events it created); a job before it still has every value of its updated events copied and is
 *    undone as before (all values of its events removed, the copies put back);
 *  - an event's before-image in journal_row is a JSON array of its columns in table order (it was an object).
 * It touches only the journal (its column and table, the triggers above): it applies whatever migrations 12 and 14 did.
 */
export const m0013: Migration = {
  version: 13,
  name: 'event-value-journal',
  up: (db) => {
    db.exec(`
ALTER TABLE journal_event_value ADD COLUMN existed INTEGER NOT NULL DEFAULT 1;
CREATE TABLE journal_event_value_since (job_id INTEGER NOT NULL) STRICT;
INSERT INTO journal_event_value_since (job_id) SELECT coalesce(max(id), 0) + 1 FROM job;
DROP TRIGGER IF EXISTS journal_row_children;
CREATE TRIGGER journal_tracker_note_insert AFTER INSERT ON tracker_note WHEN EXISTS (SELECT 1 FROM journal_current) BEGIN
  INSERT OR IGNORE INTO journal_row (job_id, tbl, k1, k2, k3, k4, before) SELECT job_id, 'tracker_note', NEW.id, 0, 0, 0, NULL FROM journal_current;
END;`);
    // an event's before-image as a JSON array of its columns in table order instead of an object naming each: building
    // the object was half the cost of an event's update (100,000 events: json_object 1.65 s, json_array 1.26 s,
    // measured); the undo reads either (journal-undo.ts)
    const cols = (db.prepare(`SELECT name FROM pragma_table_info('event')`).pluck().all() as string[]).map((c) => `OLD.${c}`).join(', ');
    for (const [when, op] of [
      ['update', 'UPDATE'],
      ['delete', 'DELETE'],
    ])
      db.exec(`
DROP TRIGGER IF EXISTS journal_event_${when};
CREATE TRIGGER journal_event_${when} BEFORE ${op} ON event WHEN EXISTS (SELECT 1 FROM journal_current) BEGIN
  INSERT OR IGNORE INTO journal_row (job_id, tbl, k1, k2, k3, k4, before) SELECT job_id, 'event', OLD.id, 0, 0, 0, json_array(${cols}) FROM journal_current;
END;`);
  },
};
