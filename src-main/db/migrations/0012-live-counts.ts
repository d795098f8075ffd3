import type { Migration } from '../migrate.ts';
import type { Database } from 'better-sqlite3';

/**
 * Live counts kept by every write (issue 14: `ferry info` at once on 20,000,000 values). live_count holds one row per
 * counted table: 'data_value' (values not soft-deleted) and 'event' (events not soft-deleted). A rolled-back
 * transaction or savepoint rolls the count back with the rows.
 *  - event: triggers (+1 a live row inserted, −1 a live row deleted, ±1 an UPDATE flipping `deleted`); event writes
 *    already carry the journal's triggers.
 *  - data_value: no trigger on INSERT or UPDATE. A trigger gives every statement a statement journal, and inside the
 *    import's per-file SAVEPOINT the sub-journal is truncated by walking it from the start at each statement: an import
 *    into a database holding values became quadratic (helper (e), 10M database: 11 µs a row without the trigger, 96 µs
 *    at 30,000 rows and 180 µs at 60,000 with it). A trigger also cost ≈ 0.7 µs a row even without a savepoint (1,000,000
 *    inserts: 2.5–2.8 s CPU → 3.2–3.6 s). DataValueWritesRepo counts its writes in memory (a lookup of the stored
 *    `deleted` before an update, upsert or soft delete) and writes the sum once per file (tx.ts: before SAVEPOINT,
 *    RELEASE and COMMIT; dropped at ROLLBACK). The undo's INSERT … SELECT adds its rows itself (journal-undo.ts);
 *    DELETE keeps a trigger (only set-based DELETEs exist: undo, tools). SQL written by hand that inserts values or
 *    flips `deleted` must call adoptTextRows (repos/data-values.ts), which recounts.
 *  - data_value_combo: one row per (category option combo, attribute option combo, data element) ever stored, written
 *    by DataValueWritesRepo once per combination and job. The "does this option combo have values" check of a metadata
 *    delete or of E1120 looks up the data elements stored with the combo there, then counts in data_value_de_pe (which
 *    holds coc and aoc as key columns): no scan of the values. DHIS2 accepts a combo outside the data element's category
 *    combo unless strictCategoryOptionCombos is on, so the metadata cannot tell which data elements to search. Rows are
 *    never removed: a stale row only adds a data element to search.
 *
 * Before, `info` counted: data_value's smallest index read whole (b-tree count) minus the soft-deleted rows, 0.60 s
 * cold on 20,000,000 values (≈ 340 MB of index pages), and `event` scanned.
 *
 * Nothing deletes a row here without firing the delete trigger: no INSERT OR REPLACE is used on these tables. A
 * migration that rebuilds data_value or event (CREATE new / copy / DROP / RENAME) drops the triggers with the old
 * table: it must call createLiveCountTriggers again (and recount).
 *
 * The initial counts come from count(*) (data_value: its smallest index's b-tree count minus the soft-deleted rows of
 * the partial index data_value_deleted), the combos from data_value_de_pe, with progress (10,000,000 values: 11 s on a
 * loaded machine). Applied also to a database already at a later schema that lacks it (isApplied: migrations 13 and
 * 14 may have landed first), and again to one that has its first form (data_value row triggers, e842be5–270aaf5).
 */
export const LIVE_COUNT_TABLES = ['data_value', 'event'] as const;

export function createLiveCountTriggers(db: Database, table: (typeof LIVE_COUNT_TABLES)[number]): void {
  db.exec(`
DROP TRIGGER IF EXISTS live_count_${table}_insert;
DROP TRIGGER IF EXISTS live_count_${table}_delete;
DROP TRIGGER IF EXISTS live_count_${table}_deleted;
CREATE TRIGGER live_count_${table}_delete AFTER DELETE ON ${table} WHEN OLD.deleted = 0 BEGIN
  UPDATE live_count SET n = n - 1 WHERE tbl = '${table}';
END;`);
  if (table === 'data_value') return;
  db.exec(`
CREATE TRIGGER live_count_${table}_insert AFTER INSERT ON ${table} WHEN NEW.deleted = 0 BEGIN
  UPDATE live_count SET n = n + 1 WHERE tbl = '${table}';
END;
CREATE TRIGGER live_count_${table}_deleted AFTER UPDATE OF deleted ON ${table} WHEN (OLD.deleted = 0) IS NOT (NEW.deleted = 0) BEGIN
  UPDATE live_count SET n = n + (CASE WHEN NEW.deleted = 0 THEN 1 ELSE -1 END) WHERE tbl = '${table}';
END;`);
}

/** count(*) of the live rows of a counted table, the slow way (the migration, `ferry check`, tests). */
export function recountLive(db: Database, table: (typeof LIVE_COUNT_TABLES)[number]): number {
  if (table === 'data_value') {
    // two statements: a bare count(*) is SQLite's b-tree count of the smallest index (no row decoding)
    const all = db.prepare(`SELECT count(*) FROM data_value`).pluck().get() as number;
    return all - (db.prepare(`SELECT count(*) FROM data_value WHERE deleted = 1`).pluck().get() as number);
  }
  return db.prepare(`SELECT count(*) FROM event WHERE deleted = 0`).pluck().get() as number;
}

const hasTable = (db: Database, name: string): boolean => db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;

export const m0012: Migration = {
  version: 12,
  name: 'live-counts',
  isApplied: (db) =>
    hasTable(db, 'live_count') &&
    hasTable(db, 'data_value_combo') &&
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'live_count_data_value_insert'`).get() === undefined,
  // (re-runnable: a database that got an earlier form of this migration gets what it lacks, counts taken again)
  up: (db, progress) => {
    db.exec(`
CREATE TABLE IF NOT EXISTS live_count (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS data_value_combo (coc INTEGER NOT NULL, aoc INTEGER NOT NULL, de INTEGER NOT NULL, PRIMARY KEY (coc, aoc, de)) STRICT, WITHOUT ROWID;`);
    // the combos stored, data element by data element from data_value_de_pe (its entries hold coc and aoc): one step
    // of progress per 20 data elements, then one per counted table
    const des = db
      .prepare(
        `WITH RECURSIVE d(de) AS (SELECT min(de) FROM data_value UNION ALL SELECT (SELECT min(x.de) FROM data_value x WHERE x.de > d.de) FROM d WHERE d.de IS NOT NULL)
         SELECT de FROM d WHERE de IS NOT NULL`,
      )
      .pluck()
      .all() as number[];
    const STEP = 20;
    const chunks = Math.ceil(des.length / STEP);
    const total = chunks + LIVE_COUNT_TABLES.length;
    progress?.(0, total);
    const combos = db.prepare(`INSERT OR IGNORE INTO data_value_combo (coc, aoc, de) SELECT DISTINCT coc, aoc, de FROM data_value WHERE de >= ? AND de <= ?`);
    for (let i = 0; i < des.length; i += STEP) {
      combos.run(des[i], des[Math.min(i + STEP, des.length) - 1]);
      progress?.(i / STEP + 1, total);
    }
    const set = db.prepare(`INSERT OR REPLACE INTO live_count (tbl, n) VALUES (?, ?)`);
    LIVE_COUNT_TABLES.forEach((t, i) => {
      set.run(t, recountLive(db, t));
      createLiveCountTriggers(db, t);
      progress?.(chunks + i + 1, total);
    });
    progress?.(total, total);
  },
};
