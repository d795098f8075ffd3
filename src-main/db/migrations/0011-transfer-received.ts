import type { Migration } from '../migrate.ts';

/**
 * Transfer packages received from other sites (issue 13, receive side): every package received (sender, its sequence,
 * package id, the sender's change range, when, by which job), the senders known here, and the control totals of the
 * latest package that carried each org unit × data set × period (what reconciliation compares the database with).
 * Its own tables only (IF NOT EXISTS): it applies whether migrations 9 (journal) and 10 (send) land before or after it.
 */
export const m0011: Migration = {
  version: 11,
  name: 'transfer-received',
  up: `
CREATE TABLE IF NOT EXISTS transfer_sender (
  sender_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  org_unit TEXT,
  first_seen_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS transfer_received (
  id INTEGER PRIMARY KEY,
  sender_id TEXT NOT NULL REFERENCES transfer_sender(sender_id),
  sequence INTEGER NOT NULL,
  package_id TEXT NOT NULL,
  destination_id TEXT,
  destination_name TEXT,
  changes_from INTEGER NOT NULL,
  changes_to INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  received_at TEXT NOT NULL,
  job_id INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  counts TEXT NOT NULL,
  UNIQUE (sender_id, sequence)
) STRICT;
CREATE INDEX IF NOT EXISTS transfer_received_job ON transfer_received(job_id);
CREATE TABLE IF NOT EXISTS transfer_control_total (
  sender_id TEXT NOT NULL,
  org_unit TEXT NOT NULL,
  data_set TEXT NOT NULL,
  period TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  value_count INTEGER NOT NULL,
  value_sum REAL NOT NULL,
  PRIMARY KEY (sender_id, org_unit, data_set, period)
) STRICT, WITHOUT ROWID;
`,
};
