import type { Migration } from '../migrate.ts';

/**
 * The kept DHIS 1.4 → DHIS2 mapping (issue 8): which stored object each 1.4 legacy id became, per object type, so that
 * a second (incremental) import of the same 1.4 database maps its rows to the same objects and creates no duplicates.
 * Its own table only (IF NOT EXISTS): it applies whether migration 7 (events) lands before or after it.
 */
export const m0008: Migration = {
  version: 8,
  name: 'dhis14',
  up: `
CREATE TABLE IF NOT EXISTS dhis14_mapping (
  object_type TEXT NOT NULL,
  legacy_id INTEGER NOT NULL,
  uid TEXT NOT NULL,
  name TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (object_type, legacy_id)
) STRICT, WITHOUT ROWID;
`,
};
