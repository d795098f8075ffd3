import type { Migration } from '../migrate.ts';
import { generateUid } from '../../../src-shared/dhis2/uid.ts';

/**
 * Transfer packages, the sending side (issue 13):
 *  - transfer_site: this database's own site, one row (id = 1). Its uid is made once here and never changes; its name
 *    and org unit are NULL until set (`ferry site --name`), and then default when read (see transfer/site.ts).
 *  - transfer_destination: the sites this database sends to, by name (a destination's uid is learnt when one is known,
 *    else made here from the name so that a sequence per destination exists from the first package on).
 *  - transfer_package_sent: every package made: destination, sequence (1, 2, 3 … per destination; a re-made package
 *    keeps its number and gets a row of its own with a new package id), the change range (from, to], the package id,
 *    file, bytes, the sha256 of the file and of every entry (JSON), counts and the sender's clock.
 * Tables of their own only (IF NOT EXISTS): it applies whatever migrations 9 and 11 did.
 */
export const m0010: Migration = {
  version: 10,
  name: 'transfer',
  up: (db) => {
    db.exec(`
CREATE TABLE IF NOT EXISTS transfer_site (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  uid TEXT NOT NULL,
  name TEXT,
  org_unit TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS transfer_destination (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  org_unit TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS transfer_package_sent (
  id INTEGER PRIMARY KEY,
  destination_id INTEGER NOT NULL REFERENCES transfer_destination(id),
  sequence INTEGER NOT NULL,
  change_from INTEGER NOT NULL,
  change_to INTEGER NOT NULL,
  package_id TEXT NOT NULL UNIQUE,
  resend_of TEXT,
  file TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  entries TEXT NOT NULL,
  counts TEXT NOT NULL,
  metadata INTEGER NOT NULL DEFAULT 0,
  job_id INTEGER,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS transfer_package_sent_dest ON transfer_package_sent(destination_id, sequence);
`);
    db.prepare(`INSERT OR IGNORE INTO transfer_site (id, uid) VALUES (1, ?)`).run(generateUid());
  },
};
