/**
 * The kept counts of migration 12 (live_count: the live values of data_value and the live events) checked against
 * count(*), and taken again. Every Ferry write keeps them; SQL written by hand (a tool inserting data values, a
 * `deleted` flipped outside DataValueWritesRepo) makes them drift: `ferry info` and the export's progress bar then
 * show a wrong number. The database check (services/check.ts) reports a drift with both numbers; the repair counts
 * again (recountLiveValues for data values, which also records the combos stored; a count of the live events).
 */
import type { Db } from '../open.ts';
import { LIVE_COUNT_TABLES, recountLive } from '../migrations/0012-live-counts.ts';
import { recountLiveValues } from './data-values.ts';

export type LiveCountTable = (typeof LIVE_COUNT_TABLES)[number];

/** A kept count and the rows counted: they differ when `kept !== counted`. */
export interface LiveCountCheck {
  table: LiveCountTable;
  kept: number;
  counted: number;
}

const exists = (db: Db, type: 'table' | 'index', name: string): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?`).get(type, name) !== undefined;

/**
 * Each kept count with the rows counted now (data values: two b-tree counts, no row read; events: a scan). Empty for
 * a database without kept counts (a schema before migration 12: nothing to compare).
 */
export function checkLiveCounts(db: Db): LiveCountCheck[] {
  if (!exists(db, 'table', 'live_count')) return [];
  const kept = new Map(db.prepare(`SELECT tbl, n FROM live_count`).raw(true).all() as [string, number][]);
  const out: LiveCountCheck[] = [];
  for (const table of LIVE_COUNT_TABLES) {
    if (!kept.has(table) || !exists(db, 'table', table)) continue;
    // (the data_value count relies on the partial index data_value_deleted; a database without it counts by scan)
    const counted =
      table === 'data_value' && !exists(db, 'index', 'data_value_deleted')
        ? (db.prepare(`SELECT count(*) FROM data_value WHERE deleted = 0`).pluck().get() as number)
        : recountLive(db, table);
    out.push({ table, kept: kept.get(table)!, counted });
  }
  return out;
}

/**
 * Takes the kept counts again, in one write transaction (BEGIN IMMEDIATE: it waits, up to the busy timeout, for a
 * job that writes): returns each count as it was kept and as counted now (the kept count from then on).
 */
export function repairLiveCounts(db: Db): LiveCountCheck[] {
  return db.transaction(() => {
    const before = checkLiveCounts(db);
    for (const c of before) {
      if (c.table === 'data_value') recountLiveValues(db);
      else db.prepare(`UPDATE live_count SET n = ? WHERE tbl = ?`).run(c.counted, c.table);
    }
    // the count the repair stored (recountLiveValues counts by scan: the same rows, within this transaction)
    const after = new Map(db.prepare(`SELECT tbl, n FROM live_count`).raw(true).all() as [string, number][]);
    return before.map((c) => ({ table: c.table, kept: c.kept, counted: after.get(c.table) ?? c.counted }));
  }).immediate();
}
