import type { Migration } from '../migrate.ts';

/**
 * Compact data values.
 *  - stored_by, created and last_updated hold the integer id of their text in data_value_text (one row per distinct
 *    user name or timestamp: an import writes one timestamp for all its values), so the exact text comes back on
 *    export whatever its form (with or without milliseconds or a time zone). created is NULL while it equals
 *    last_updated (every value an import inserts). The columns are ANY: a row inserted with texts by SQL outside
 *    Ferry's writer (tools, tests) stays readable, and adoptTextRows (repos/data-values.ts) turns its texts into ids.
 *    (A trigger doing that on insert was measured: its per-row invocation alone cost 2.5–3 s per 1,000,000 inserts.)
 *  - No index on last_updated: data_value_change holds one row per (last_updated, org unit, period) written, so a
 *    "changed since" export searches those partitions by key. Indexes: the key (ou, pe, de, coc, aoc) for org units and
 *    periods, data_value_de_pe for data sets / data elements × periods and the "does this data element have values"
 *    check of a metadata delete; data_value_deleted (partial: soft-deleted values only, nothing for live ones) so that
 *    `info` counts live values as all rows minus deleted ones without reading the table. The (source_file_id) index is
 *    dropped: no query filters on it.
 *
 * Measured with the data bench's 1,000,000 values (page size 4096; bytes = page_count × page_size / values):
 *   schema 5: 155.6 bytes a value after the import (table 90, last_updated index 41, source_file_id index 17 — a
 *     floor-inserted copy), 137.5 after VACUUM;
 *   tried: timestamps as INTEGER ms + stored_by interned + (de, pe) index + last_updated index: 75 (table 37,
 *     last_updated index 23 with its 6-byte keys, de/pe 16); timestamps interned too (1-byte ids): 69 after the
 *     import (table 31, last_updated index 20, de/pe 17), 61 after VACUUM;
 *   this schema: 49.4 after the import (table 31.2, de/pe index 17.3, data_value_change 0.2), 43.7 after VACUUM.
 *   The conversion of a 1,000,000-value schema-5 database took 3.3 s (`ferry info`, CLI start included); the file then
 *   holds the old table's freed pages too (187 bytes a value) until a VACUUM (43.7).
 */
const NEW_TABLE = `
CREATE TABLE data_value_new (
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
  followup INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  source_file_id INTEGER,
  PRIMARY KEY (ou, pe, de, coc, aoc)
) STRICT, WITHOUT ROWID`;

/** data_value with stored_by, created and last_updated as their texts, for people and tests reading the file. */
const DECODED_VIEW = `
CREATE VIEW data_value_decoded AS
SELECT ou, pe, de, coc, aoc, value,
  CASE WHEN typeof(stored_by) = 'integer' THEN (SELECT text FROM data_value_text WHERE id = dv.stored_by) ELSE stored_by END AS stored_by,
  CASE WHEN typeof(coalesce(created, last_updated)) = 'integer' THEN (SELECT text FROM data_value_text WHERE id = coalesce(dv.created, dv.last_updated))
    ELSE coalesce(created, last_updated) END AS created,
  CASE WHEN typeof(last_updated) = 'integer' THEN (SELECT text FROM data_value_text WHERE id = dv.last_updated) ELSE last_updated END AS last_updated,
  comment, followup, deleted, source_file_id
FROM data_value dv;`;

export const m0006: Migration = {
  version: 6,
  name: 'data-value-compact',
  up: (db, progress) => {
    db.exec(`CREATE TABLE data_value_text (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE) STRICT`);
    db.exec(NEW_TABLE);
    const ous = db.prepare(`SELECT DISTINCT ou FROM data_value ORDER BY ou`).pluck().all() as number[];
    const texts = db.prepare(`
INSERT OR IGNORE INTO data_value_text (text)
  SELECT DISTINCT t FROM (
    SELECT stored_by AS t FROM data_value WHERE ou >= ? AND ou <= ?
    UNION ALL SELECT last_updated FROM data_value WHERE ou >= ? AND ou <= ?
    UNION ALL SELECT created FROM data_value WHERE ou >= ? AND ou <= ?)
  WHERE t IS NOT NULL`);
    const copy = db.prepare(`
INSERT INTO data_value_new (ou, pe, de, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id)
  SELECT ou, pe, de, coc, aoc, value,
    (SELECT id FROM data_value_text WHERE text = d.stored_by),
    CASE WHEN d.created IS d.last_updated THEN NULL ELSE (SELECT id FROM data_value_text WHERE text = d.created) END,
    (SELECT id FROM data_value_text WHERE text = d.last_updated),
    comment, followup, deleted, source_file_id
  FROM data_value d WHERE ou >= ? AND ou <= ? ORDER BY ou, pe, de, coc, aoc`);
    // steps: one per 50 org units (their texts, then their rows), then three to drop the old table and build the
    // indexes, so that a long conversion shows progress all along
    const STEP = 50;
    const chunks = Math.ceil(ous.length / STEP);
    const total = chunks + 3;
    progress?.(0, total);
    for (let i = 0; i < ous.length; i += STEP) {
      const first = ous[i];
      const last = ous[Math.min(i + STEP, ous.length) - 1];
      texts.run(first, last, first, last, first, last);
      copy.run(first, last);
      progress?.(i / STEP + 1, total);
    }
    db.exec(`DROP TABLE data_value; ALTER TABLE data_value_new RENAME TO data_value;`);
    progress?.(chunks + 1, total);
    db.exec(`CREATE INDEX data_value_de_pe ON data_value(de, pe);`);
    progress?.(chunks + 2, total);
    db.exec(`
CREATE INDEX data_value_deleted ON data_value(deleted) WHERE deleted = 1;
CREATE TABLE data_value_change (
  last_updated INTEGER NOT NULL,
  ou INTEGER NOT NULL,
  pe INTEGER NOT NULL,
  PRIMARY KEY (last_updated, ou, pe)
) STRICT, WITHOUT ROWID;
INSERT INTO data_value_change (last_updated, ou, pe) SELECT DISTINCT last_updated, ou, pe FROM data_value;
${DECODED_VIEW}`);
    progress?.(total, total);
  },
};
