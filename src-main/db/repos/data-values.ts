/**
 * Aggregate data values (data_value, keyed (ou, pe, de, coc, aoc) on integer ids, WITHOUT ROWID) and data set
 * completions (complete_registration).
 *  - DataValuesRepo: the read side — export cursors streamed with `.raw(true).iterate()` (values are never collected
 *    in memory), counts, completion dates. Filters come as a typed DataValueFilter; the WHERE clause is composed here.
 *  - DataValueWritesRepo: the statements of a data value import, prepared once and run once per value (no per-row
 *    allocation beyond better-sqlite3's own).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../open.ts';
import { Statements } from './statements.ts';
import { dropPending, holdPending, type PendingWrites } from '../tx.ts';

/** What a data export selects (ids are metadata_object / period ids). null = no filter on that dimension. */
export interface DataValueFilter {
  /** data elements (an empty list selects nothing) */
  dataElements: number[] | null;
  /** periods (an empty list selects nothing); when null, periodStart/periodEnd may select a date range */
  periods: number[] | null;
  /** yyyy-MM-dd: periods starting on or after */
  periodStart: string | null;
  /** yyyy-MM-dd: periods ending on or before */
  periodEnd: string | null;
  orgUnits: number[] | null;
  attributeOptionCombos: number[] | null;
  /** values changed at or after this time (ISO) */
  lastUpdatedSince: string | null;
  includeDeleted: boolean;
}

/** A filter that selects every live value. */
export function noFilter(): DataValueFilter {
  return {
    dataElements: null,
    periods: null,
    periodStart: null,
    periodEnd: null,
    orgUnits: null,
    attributeOptionCombos: null,
    lastUpdatedSince: null,
    includeDeleted: false,
  };
}

/**
 * The WHERE clause over data_value aliased dv ('' = every row) and its parameters, in order. `byPartition`: with
 * periods and data elements but no org units, read the (org unit, period) partitions of those periods in key order
 * and filter the data elements on the rows (see DataValuesRepo.byPartition), instead of the data_value_de_pe index.
 */
export function whereOf(f: DataValueFilter, byPartition = false): { where: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const inList = (col: string, ids: number[]): void => {
    where.push(`dv.${col} IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(ids));
  };
  const partitions = byPartition && f.dataElements != null && f.orgUnits == null && f.lastUpdatedSince == null;
  if (f.dataElements) {
    if (partitions) {
      // `+dv.de`: not an index term (the partitions are the way in), a test on each row read
      where.push(`+dv.de IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(f.dataElements));
    } else inList('de', f.dataElements);
  }
  let periodSet: { sql: string; params: unknown[] } | null = null;
  if (f.periods) periodSet = { sql: 'SELECT value FROM json_each(?)', params: [JSON.stringify(f.periods)] };
  else if (f.periodStart != null || f.periodEnd != null) {
    const conds: string[] = [];
    const ps: unknown[] = [];
    if (f.periodStart != null) conds.push('substr(p.start_date, 1, 10) >= ?'), ps.push(f.periodStart);
    if (f.periodEnd != null) conds.push('substr(p.end_date, 1, 10) <= ?'), ps.push(f.periodEnd);
    periodSet = { sql: `SELECT p.id FROM period p WHERE ${conds.join(' AND ')}`, params: ps };
  }
  if (periodSet) {
    where.push(`dv.pe IN (${periodSet.sql})`);
    params.push(...periodSet.params);
  }
  if (f.orgUnits) inList('ou', f.orgUnits);
  else if (periodSet && partitions) {
    // every org unit holding values, found by one search of the key per org unit (SQLite has no skip-scan without
    // statistics): does not depend on data_value_change, so rows written by SQL outside Ferry's writer are found too
    where.push(
      `dv.ou IN (WITH RECURSIVE o(ou) AS (SELECT min(ou) FROM data_value UNION ALL SELECT (SELECT min(d.ou) FROM data_value d WHERE d.ou > o.ou) FROM o WHERE o.ou IS NOT NULL) SELECT ou FROM o WHERE ou IS NOT NULL)`,
    );
  } else if (periodSet && !f.dataElements && f.lastUpdatedSince == null) {
    // periods without org units or data elements: the (org unit, period) partitions holding them (every stored
    // value's partition has a data_value_change row), so values are read by key instead of by a scan of the table
    where.push(`(dv.ou, dv.pe) IN (SELECT c.ou, c.pe FROM data_value_change c WHERE c.pe IN (${periodSet.sql}))`);
    params.push(...periodSet.params);
  }
  if (f.attributeOptionCombos) inList('aoc', f.attributeOptionCombos);
  if (f.lastUpdatedSince != null) {
    // the (org unit, period) partitions with a value written at one of those times (data_value_change: a key
    // search, no index on data_value.last_updated), then the values themselves
    where.push(
      '(dv.ou, dv.pe) IN (SELECT c.ou, c.pe FROM data_value_change c WHERE c.last_updated IN (SELECT t.id FROM data_value_text t WHERE t.text >= ?))',
      'dv.last_updated IN (SELECT t.id FROM data_value_text t WHERE t.text >= ?)',
    );
    params.push(f.lastUpdatedSince, f.lastUpdatedSince);
  }
  if (!f.includeDeleted) where.push('dv.deleted = 0');
  return { where: where.length ? 'WHERE ' + where.join(' AND ') : '', params };
}

/**
 * Rows written by SQL outside DataValueWritesRepo with texts in stored_by / created / last_updated (tools, test seeds)
 * get those as data_value_text ids (created NULL when equal to last_updated) and their data_value_change rows, which
 * the period and last-updated filters rely on. Returns the number of rows changed.
 */
export function adoptTextRows(db: Db): number {
  return db.transaction(() => {
    db.prepare(
      `INSERT OR IGNORE INTO data_value_text (text)
         SELECT stored_by FROM data_value WHERE typeof(stored_by) = 'text'
         UNION SELECT created FROM data_value WHERE typeof(created) = 'text'
         UNION SELECT last_updated FROM data_value WHERE typeof(last_updated) = 'text'`,
    ).run();
    const changed = db
      .prepare(
        `UPDATE data_value SET
           stored_by = CASE WHEN typeof(stored_by) = 'text' THEN (SELECT t.id FROM data_value_text t WHERE t.text = data_value.stored_by) ELSE stored_by END,
           created = CASE WHEN created IS last_updated THEN NULL
             WHEN typeof(created) = 'text' THEN (SELECT t.id FROM data_value_text t WHERE t.text = data_value.created) ELSE created END,
           last_updated = CASE WHEN typeof(last_updated) = 'text' THEN (SELECT t.id FROM data_value_text t WHERE t.text = data_value.last_updated) ELSE last_updated END
         WHERE typeof(stored_by) = 'text' OR typeof(created) = 'text' OR typeof(last_updated) = 'text'`,
      )
      .run().changes;
    db.prepare(`INSERT OR IGNORE INTO data_value_change (last_updated, ou, pe) SELECT DISTINCT last_updated, ou, pe FROM data_value`).run();
    recountLiveValues(db);
    return changed;
  })();
}

/**
 * The live count and the combos stored (migration 12) taken again from data_value: for rows inserted, or `deleted`
 * flipped, by SQL outside DataValueWritesRepo (which keeps both as it writes). Reads every row: tools and tests only.
 */
export function recountLiveValues(db: Db): void {
  db.prepare(`INSERT OR IGNORE INTO data_value_combo (coc, aoc, de) SELECT DISTINCT coc, aoc, de FROM data_value`).run();
  db.prepare(`UPDATE live_count SET n = (SELECT count(*) FROM data_value WHERE deleted = 0) WHERE tbl = 'data_value'`).run();
}

/** True when the filter restricts rows beyond live/deleted. */
export function filtersRows(f: DataValueFilter): boolean {
  return (
    f.dataElements != null ||
    f.periods != null ||
    f.periodStart != null ||
    f.periodEnd != null ||
    f.orgUnits != null ||
    f.attributeOptionCombos != null ||
    f.lastUpdatedSince != null
  );
}

/** [de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted] */
export type ExportRow = [number, number, number, number, number, string | null, string | null, string | null, string | null, string | null, number, number];
/** [aoc, ou, pe, de, coc, value, comment] in (ou, pe) order */
export type AdxRow = [number, number, number, number, number, string | null, string | null];

const COLUMNS = 'dv.de, dv.pe, dv.ou, dv.coc, dv.aoc, dv.value, dv.stored_by, dv.created, dv.last_updated, dv.comment, dv.followup, dv.deleted';

export class DataValuesRepo {
  private readonly st: Statements;

  constructor(db: Db) {
    this.st = new Statements(db);
  }

  /**
   * The selected values in key order, streamed from one cursor. `withCreated` false reads NULL instead of the created
   * column (CSV has none).
   */
  exportRows(f: DataValueFilter, withCreated: boolean, limit: number | null): IterableIterator<ExportRow> {
    const { where, params } = whereOf(f, this.byPartition(f));
    const columns = withCreated ? COLUMNS : COLUMNS.replace('dv.created', 'NULL');
    const rows = this.st.raw(`SELECT ${columns} FROM data_value dv ${where}${limit != null ? ' LIMIT ' + limit : ''}`).iterate(...params) as IterableIterator<ExportRow>;
    return decodeRows(rows, this.texts(), withCreated);
  }

  /**
   * Whether values of these data elements and periods (no org units) are better read partition by partition than
   * through data_value_de_pe. The index gives the rows of the data elements only, but each costs a search of the
   * table (a random page read in a large file: 1,000,000 values of a data set × year out of 20,000,000 took 7.6 s);
   * the partitions of the periods are read in key order, every data element's values with them. Chosen when the data
   * elements are at least a fifth of those stored, when the partitions hold at most five times the rows wanted.
   */
  byPartition(f: DataValueFilter): boolean {
    if (f.dataElements == null || f.orgUnits != null || f.lastUpdatedSince != null) return false;
    if (f.periods == null && f.periodStart == null && f.periodEnd == null) return false;
    const all = this.st.pluck(`SELECT count(*) FROM metadata_object WHERE type = 'dataElements'`).get() as number;
    return f.dataElements.length * 5 >= all;
  }

  /** data_value_text: id → text (user names and timestamps: a few rows) */
  private texts(): Map<number, string> {
    return new Map(this.st.raw(`SELECT id, text FROM data_value_text`).all() as [number, string][]);
  }

  /**
   * The selected values of these data elements and attribute option combos (one ADX data set), in (ou, pe) order: the
   * key order, so no sort and no memory growing with the export.
   */
  adxRows(f: DataValueFilter, dataElements: number[], attributeOptionCombos: number[]): IterableIterator<AdxRow> {
    const partitions = this.byPartition(f);
    const { where: w, params } = whereOf(f, partitions);
    const where = `${w ? w + ' AND' : 'WHERE'} ${partitions ? '+' : ''}dv.de IN (SELECT value FROM json_each(?)) AND dv.aoc IN (SELECT value FROM json_each(?))`;
    return this.st
      .raw(`SELECT dv.aoc, dv.ou, dv.pe, dv.de, dv.coc, dv.value, dv.comment FROM data_value dv ${where} ORDER BY dv.ou, dv.pe`)
      .iterate(...params, JSON.stringify(dataElements), JSON.stringify(attributeOptionCombos)) as IterableIterator<AdxRow>;
  }

  /** [data element, attribute option combo, number of values] of the selected values. */
  countsByDataElementAndAoc(f: DataValueFilter): IterableIterator<[number, number, number]> {
    const { where, params } = whereOf(f);
    return this.st.raw(`SELECT dv.de, dv.aoc, count(*) FROM data_value dv ${where} GROUP BY dv.de, dv.aoc`).iterate(...params) as IterableIterator<
      [number, number, number]
    >;
  }

  /** Number of selected values. */
  count(f: DataValueFilter): number {
    if (f.dataElements != null && f.orgUnits == null && f.lastUpdatedSince == null && !f.includeDeleted) {
      // from data_value_de_pe's entries alone (they hold every key column): every row selected, minus the soft-deleted
      // ones of the partial index data_value_deleted — no table row read (1,000,000 of 20,000,000 values: 0.04 s CPU,
      // 0.16-0.3 s by partitions)
      const { where, params } = whereOf({ ...f, includeDeleted: true });
      const all = this.st.pluck(`SELECT count(*) FROM data_value dv ${where}`).get(...params) as number;
      if (all === 0) return 0;
      return all - (this.st.pluck(`SELECT count(*) FROM data_value dv INDEXED BY data_value_deleted ${where} AND dv.deleted = 1`).get(...params) as number);
    }
    const { where, params } = whereOf(f, this.byPartition(f));
    return this.st.pluck(`SELECT count(*) FROM data_value dv ${where}`).get(...params) as number;
  }

  /** Number of rows, soft-deleted ones included: from a covering index in milliseconds. */
  countRows(): number {
    return this.st.pluck(`SELECT count(*) FROM data_value`).get() as number;
  }

  /** Number of live (not soft-deleted) values: the count kept by the triggers of migration 12 (live_count). */
  countLive(): number {
    return this.st.pluck(`SELECT n FROM live_count WHERE tbl = 'data_value'`).get() as number;
  }

  /** The earliest completion date of a data set for a period and org unit (any attribute option combo). */
  completionDate(dataSet: number, period: number, orgUnit: number): string | undefined {
    return this.st.pluck(`SELECT date FROM complete_registration WHERE dataset = ? AND pe = ? AND ou = ? ORDER BY date LIMIT 1`).get(dataSet, period, orgUnit) as
      | string
      | undefined;
  }
}

/**
 * Export rows with stored_by, created and last_updated as their text: an INTEGER is a data_value_text id, a TEXT is
 * itself; a NULL created is the row's last_updated. The row arrays are rewritten in place (nothing allocated per row).
 */
function* decodeRows(rows: IterableIterator<ExportRow>, texts: Map<number, string>, withCreated: boolean): Generator<ExportRow> {
  const dec = (v: unknown): string | null => (typeof v === 'number' ? (texts.get(v) ?? null) : (v as string | null));
  for (const r of rows) {
    r[6] = dec(r[6]);
    const updated = dec(r[8]);
    r[8] = updated;
    r[7] = withCreated ? (r[7] == null ? updated : dec(r[7])) : null;
    yield r;
  }
}

/** [value, comment, followup, deleted] of a stored row */
export type ExistingRow = [string | null, string | null, number, number];

/**
 * The writes of a data value import, inside the job's transaction. Every statement is prepared once, in the
 * constructor; the per-value methods take their columns as arguments so nothing is allocated per value. stored_by,
 * created and last_updated are data_value_text ids (textId); created null = the same as last_updated. The ids are
 * bound through CAST(? AS INTEGER): better-sqlite3 binds a JS number as REAL, which an ANY column would keep (8 bytes).
 */
/** data_value_text ids a DataValueWritesRepo keeps in memory at most (the rest are looked up) */
export const TEXT_IDS_CACHED = 4096;

/**
 * Keys remembered beyond what memory should hold (the conflict groups a data import counts but does not list): a
 * TEMP table of the job's connection, one set per instance. It lives in the job's transaction: a rollback takes its
 * rows (the sets of the rolled-back file, which nobody reads afterwards) with it.
 */
export class SpilledKeySet {
  private static next = 0;
  private readonly id = SpilledKeySet.next++;
  private readonly add: Statement;

  constructor(db: Db) {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS spilled_key (set_id INTEGER NOT NULL, k TEXT NOT NULL, PRIMARY KEY (set_id, k)) WITHOUT ROWID`);
    this.add = db.prepare(`INSERT OR IGNORE INTO temp.spilled_key (set_id, k) VALUES (?, ?)`);
  }

  /** adds a key; true when it was not in the set */
  addIfNew(key: string): boolean {
    return this.add.run(this.id, key).changes > 0;
  }
}

/** keys a RecentKeys holds at most (all its groups together) */
export const RECENT_KEYS = 8192;

/**
 * The keys of rows a repo wrote recently, by group (a file, a timestamp, a data element): a window, not a record. Files
 * are grouped by org unit and period, so a key comes back while it is recent or not at all; a key that comes back later
 * costs one INSERT OR IGNORE that the table's unique key refuses. Started afresh when full, so memory does not grow
 * with the partitions a job writes (100,000 org units × 10 years of months are 12,000,000).
 */
export class RecentKeys {
  private readonly groups = new Map<number, Set<number>>();
  private lastGroup = -1;
  private last: Set<number> | undefined;
  size = 0;

  constructor(private readonly cap = RECENT_KEYS) {}

  /** true when (group, key) is not among the recent keys (it is then added) */
  addIfNew(group: number, key: number): boolean {
    let set = group === this.lastGroup ? this.last : this.groups.get(group);
    if (set === undefined) {
      set = new Set();
      this.groups.set(group, set);
    } else if (set.has(key)) return false;
    if (this.size >= this.cap) {
      this.clear();
      this.groups.set(group, set);
    }
    set.add(key);
    this.size++;
    this.lastGroup = group;
    this.last = set;
    return true;
  }

  clear(): void {
    for (const set of this.groups.values()) set.clear();
    this.groups.clear();
    this.lastGroup = -1;
    this.last = undefined;
    this.size = 0;
  }
}

export class DataValueWritesRepo implements PendingWrites {
  private readonly st: {
    deletedOf: Statement;
    addLive: Statement;
    combo: Statement;
    existing: Statement;
    partition: Statement;
    any: Statement;
    insertNew: Statement;
    insertIfAbsent: Statement;
    insert: Statement;
    update: Statement;
    del: Statement;
    complete: Statement;
    completeUpdate: Statement;
    text: Statement;
    addText: Statement;
    change: Statement;
    written: Statement;
    journal: Statement;
  };
  /**
   * (file, ou, pe) of data_value_written rows this repo wrote: the last one, and the recent ones (file → ou·2²²+pe,
   * 0009-journal). A bounded window (RecentKeys): the statement's OR IGNORE and the table's key answer the others.
   */
  private writtenFile = -1;
  private writtenOu = -1;
  private writtenPe = -1;
  private readonly written = new RecentKeys();
  /** (last_updated, ou, pe) of data_value_change rows this repo wrote: the last one, and the recent ones (bounded) */
  private changeLu = -1;
  private changeOu = -1;
  private changePe = -1;
  private readonly changes = new RecentKeys();
  /** text → data_value_text id, of texts this repo interned or looked up (cleared by forgetTexts) */
  private readonly textIds = new Map<string, number>();
  /**
   * Live values added (or removed) since the last transaction boundary: written to live_count (migration 12) by
   * flush() — which tx.ts calls before a SAVEPOINT, RELEASE or COMMIT of this connection — and dropped by discard() at
   * a ROLLBACK (TO). A trigger per row would give every INSERT a statement journal, quadratic inside the import's
   * per-file savepoint.
   */
  private live = 0;
  /** data element → coc·2²²+aoc of the data_value_combo rows this repo wrote or found recently (cleared by discard) */
  private readonly combos = new RecentKeys();
  /** the last combo written or found (most values repeat it: no key composed) */
  private comboDe = -1;
  private comboCoc = -1;
  private comboAoc = -1;

  constructor(private readonly db: Db) {
    this.st = {
      deletedOf: db.prepare(`SELECT deleted FROM data_value WHERE de = ? AND pe = ? AND ou = ? AND coc = ? AND aoc = ?`).pluck(),
      addLive: db.prepare(`UPDATE live_count SET n = n + ? WHERE tbl = 'data_value'`),
      combo: db.prepare(`INSERT OR IGNORE INTO data_value_combo (coc, aoc, de) VALUES (?, ?, ?)`),
      existing: db.prepare(`SELECT value, comment, followup, deleted FROM data_value WHERE de = ? AND pe = ? AND ou = ? AND coc = ? AND aoc = ?`).raw(),
      partition: db.prepare(`SELECT 1 FROM data_value WHERE ou = ? AND pe = ? LIMIT 1`).pluck(),
      any: db.prepare(`SELECT 1 FROM data_value LIMIT 1`).pluck(),
      insertNew: db.prepare(
        `INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id)
         VALUES (?, ?, ?, ?, ?, ?, CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS INTEGER), ?, ?, ?, ?)`,
      ),
      insertIfAbsent: db.prepare(
        `INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id)
         VALUES (?, ?, ?, ?, ?, ?, CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS INTEGER), ?, ?, ?, ?) ON CONFLICT (ou, pe, de, coc, aoc) DO NOTHING`,
      ),
      insert: db.prepare(
        `INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id)
         VALUES (?, ?, ?, ?, ?, ?, CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS INTEGER), ?, ?, ?, ?)
         ON CONFLICT (de, pe, ou, coc, aoc) DO UPDATE SET value = excluded.value, stored_by = excluded.stored_by, created = excluded.created,
           last_updated = excluded.last_updated, comment = excluded.comment, followup = excluded.followup, deleted = excluded.deleted,
           source_file_id = excluded.source_file_id`,
      ),
      // created NULL means "same as last_updated": it keeps the old last_updated when that changes
      update: db.prepare(
        `UPDATE data_value SET value = ?, comment = ?, followup = ?, stored_by = CAST(? AS INTEGER), created = coalesce(created, last_updated),
           last_updated = CAST(? AS INTEGER), deleted = 0,
           source_file_id = ? WHERE de = ? AND pe = ? AND ou = ? AND coc = ? AND aoc = ?`,
      ),
      del: db.prepare(
        `UPDATE data_value SET deleted = 1, stored_by = CAST(? AS INTEGER), created = coalesce(created, last_updated), last_updated = CAST(? AS INTEGER), source_file_id = ?
         WHERE de = ? AND pe = ? AND ou = ? AND coc = ? AND aoc = ?`,
      ),
      text: db.prepare(`SELECT id FROM data_value_text WHERE text = ?`).pluck(),
      addText: db.prepare(`INSERT INTO data_value_text (text) VALUES (?)`),
      change: db.prepare(`INSERT OR IGNORE INTO data_value_change (last_updated, ou, pe) VALUES (?, ?, ?)`),
      written: db.prepare(`INSERT OR IGNORE INTO data_value_written (file_id, ou, pe) VALUES (?, ?, ?)`),
      // the before-image of a row about to be changed (not when this file wrote it itself: undo removes those)
      journal: db.prepare(
        `INSERT OR IGNORE INTO journal_data_value (file_id, ou, pe, de, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id)
         SELECT ?, ou, pe, de, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id FROM data_value
         WHERE de = ? AND pe = ? AND ou = ? AND coc = ? AND aoc = ? AND source_file_id IS NOT ?`,
      ),
      completeUpdate: db.prepare(`UPDATE complete_registration SET date = ?, stored_by = ?, source_file_id = ? WHERE dataset = ? AND pe = ? AND ou = ? AND aoc = ?`),
      complete: db.prepare(`INSERT INTO complete_registration (dataset, pe, ou, aoc, date, stored_by, source_file_id) VALUES (?, ?, ?, ?, ?, ?, ?)`),
    };
  }

  /**
   * The data_value_text id of a user name or timestamp, added when new: what stored_by, created and last_updated hold.
   * Ids are cached; after a savepoint rollback call forgetTexts (a rolled-back id may be reused).
   */
  textId(text: string): number {
    let id = this.textIds.get(text);
    if (id === undefined) {
      id = this.st.text.get(text) as number | undefined;
      if (id === undefined) id = Number(this.st.addText.run(text).lastInsertRowid);
      // a capped cache (issue 14: flat memory whatever the file): a file of many distinct user names starts it afresh
      // when full, and the table's unique index answers the names it no longer holds
      if (this.textIds.size >= TEXT_IDS_CACHED) this.textIds.clear();
      this.textIds.set(text, id);
    }
    return id;
  }

  /** Writes the live values counted since the last boundary into live_count (tx.ts calls it; so may a caller). */
  flush(): void {
    if (this.live !== 0) this.st.addLive.run(this.live);
    this.live = 0;
    dropPending(this.db, this);
  }

  /** The rows counted were rolled back (tx.ts calls it at a ROLLBACK or ROLLBACK TO). */
  discard(): void {
    this.live = 0;
    this.combos.clear();
    this.comboDe = -1;
    dropPending(this.db, this);
  }

  /** Entries the repo keeps to spare itself statements (combos, change and written rows): bounded, for tests. */
  trackedKeys(): { combos: number; changes: number; written: number } {
    return { combos: this.combos.size, changes: this.changes.size, written: this.written.size };
  }

  private bumpLive(d: number): void {
    if (d === 0) return;
    // (counting already: a transaction is open, the repo is held)
    if (this.live > 0 && d > 0) return void (this.live += d);
    // outside a transaction (tools, tests) each statement commits by itself: so does its count
    if (!this.db.inTransaction) return void this.st.addLive.run(d);
    if (this.live === 0) holdPending(this.db, this);
    this.live += d;
    if (this.live === 0) dropPending(this.db, this);
  }

  /** Keeps data_value_combo whole: one INSERT per (coc, aoc, data element) new to this repo, not per value. */
  private combo(de: number, coc: number, aoc: number): void {
    if (de === this.comboDe && coc === this.comboCoc && aoc === this.comboAoc) return;
    this.comboDe = de;
    this.comboCoc = coc;
    this.comboAoc = aoc;
    if (this.combos.addIfNew(de, coc * 4_194_304 + aoc)) this.st.combo.run(coc, aoc, de);
  }

  /** After a savepoint rollback: texts and data_value_change rows added inside it are gone. */
  forgetTexts(): void {
    this.discard();
    this.textIds.clear();
    this.changes.clear();
    this.changeLu = -1;
    this.written.clear();
    this.writtenFile = -1;
  }

  /**
   * Keeps data_value_written whole (the change sequence, 0009-journal): one row per file × org unit × period written,
   * one INSERT per partition, not per value.
   */
  private wrote(fileId: number, ou: number, pe: number): void {
    if (fileId === this.writtenFile && ou === this.writtenOu && pe === this.writtenPe) return;
    this.writtenFile = fileId;
    this.writtenOu = ou;
    this.writtenPe = pe;
    if (this.written.addIfNew(fileId, ou * 4_194_304 + pe)) this.st.written.run(fileId, ou, pe);
  }

  /**
   * Keeps data_value_change whole: every (last_updated, ou, pe) of a stored value has its row (stale rows are harmless:
   * the lastUpdated filter checks the value too). One INSERT per partition and timestamp, not per value.
   */
  private changed(lastUpdated: number, ou: number, pe: number): void {
    if (lastUpdated === this.changeLu && ou === this.changeOu && pe === this.changePe) return;
    this.changeLu = lastUpdated;
    this.changeOu = ou;
    this.changePe = pe;
    if (this.changes.addIfNew(lastUpdated, ou * 4_194_304 + pe)) this.st.change.run(lastUpdated, ou, pe);
  }

  /** True when the table holds no row at all. */
  isEmpty(): boolean {
    return this.st.any.get() === undefined;
  }

  /** True when the (org unit, period) partition holds no row. */
  partitionIsEmpty(ou: number, pe: number): boolean {
    return this.st.partition.get(ou, pe) === undefined;
  }

  /** The stored row of a key, soft-deleted or not. */
  find(de: number, pe: number, ou: number, coc: number, aoc: number): ExistingRow | undefined {
    return this.st.existing.get(de, pe, ou, coc, aoc) as ExistingRow | undefined;
  }

  /** INSERT of a key known to be absent (a plain INSERT: no conflict clause to evaluate). */
  insertNew(
    de: number, pe: number, ou: number, coc: number, aoc: number,
    value: string | null, storedBy: number, created: number | null, lastUpdated: number, comment: string | null, followup: number, deleted: number, fileId: number,
  ): void {
    this.changed(lastUpdated, ou, pe);
    this.wrote(fileId, ou, pe);
    this.combo(de, coc, aoc);
    this.st.insertNew.run(de, pe, ou, coc, aoc, value, storedBy, created, lastUpdated, comment, followup, deleted, fileId);
    if (deleted === 0) this.bumpLive(1);
  }

  /** INSERT unless the key exists; false when it does (then nothing was written). */
  insertIfAbsent(
    de: number, pe: number, ou: number, coc: number, aoc: number,
    value: string | null, storedBy: number, created: number | null, lastUpdated: number, comment: string | null, followup: number, deleted: number, fileId: number,
  ): boolean {
    this.changed(lastUpdated, ou, pe);
    this.wrote(fileId, ou, pe);
    this.combo(de, coc, aoc);
    const inserted = this.st.insertIfAbsent.run(de, pe, ou, coc, aoc, value, storedBy, created, lastUpdated, comment, followup, deleted, fileId).changes > 0;
    if (inserted && deleted === 0) this.bumpLive(1);
    return inserted;
  }

  /**
   * INSERT unless the key exists: true when inserted. Unlike insertIfAbsent nothing else is written when the key exists
   * (no data_value_change / data_value_written / data_value_combo row): the caller looks the stored value up then and
   * decides, and may write nothing at all (an unchanged value).
   */
  insertIfNew(
    de: number, pe: number, ou: number, coc: number, aoc: number,
    value: string | null, storedBy: number, created: number | null, lastUpdated: number, comment: string | null, followup: number, deleted: number, fileId: number,
  ): boolean {
    if (this.st.insertIfAbsent.run(de, pe, ou, coc, aoc, value, storedBy, created, lastUpdated, comment, followup, deleted, fileId).changes === 0) return false;
    this.changed(lastUpdated, ou, pe);
    this.wrote(fileId, ou, pe);
    this.combo(de, coc, aoc);
    if (deleted === 0) this.bumpLive(1);
    return true;
  }

  /** INSERT, replacing every column of an existing row with the same key. */
  upsert(
    de: number, pe: number, ou: number, coc: number, aoc: number,
    value: string | null, storedBy: number, created: number | null, lastUpdated: number, comment: string | null, followup: number, deleted: number, fileId: number,
  ): void {
    this.changed(lastUpdated, ou, pe);
    this.wrote(fileId, ou, pe);
    this.combo(de, coc, aoc);
    // an absent key: one INSERT (nothing to journal); a stored one: its before-image, then every column replaced
    if (this.st.insertIfAbsent.run(de, pe, ou, coc, aoc, value, storedBy, created, lastUpdated, comment, followup, deleted, fileId).changes > 0) {
      if (deleted === 0) this.bumpLive(1);
      return;
    }
    const was = this.st.deletedOf.get(de, pe, ou, coc, aoc) as number | undefined;
    this.st.journal.run(fileId, de, pe, ou, coc, aoc, fileId);
    this.st.insert.run(de, pe, ou, coc, aoc, value, storedBy, created, lastUpdated, comment, followup, deleted, fileId);
    this.bumpLive((deleted === 0 ? 1 : 0) - (was === 0 ? 1 : 0));
  }

  /**
   * Updates a stored value (and undeletes it). `wasDeleted`: the stored row's deleted flag when the caller has just
   * read it (the importers' existing-value lookup), so the live count needs no second lookup of the key.
   */
  update(
    de: number, pe: number, ou: number, coc: number, aoc: number,
    value: string | null, comment: string | null, followup: number, storedBy: number, lastUpdated: number, fileId: number,
    wasDeleted?: number,
  ): void {
    this.changed(lastUpdated, ou, pe);
    this.wrote(fileId, ou, pe);
    const was = wasDeleted ?? (this.st.deletedOf.get(de, pe, ou, coc, aoc) as number | undefined);
    this.st.journal.run(fileId, de, pe, ou, coc, aoc, fileId);
    this.st.update.run(value, comment, followup, storedBy, lastUpdated, fileId, de, pe, ou, coc, aoc);
    if (was === 1) this.bumpLive(1);
  }

  /** Marks a stored value deleted (DHIS2's soft delete: the row stays, deleted = 1); `wasDeleted` as for update. */
  softDelete(de: number, pe: number, ou: number, coc: number, aoc: number, storedBy: number, lastUpdated: number, fileId: number, wasDeleted?: number): void {
    this.changed(lastUpdated, ou, pe);
    this.wrote(fileId, ou, pe);
    const was = wasDeleted ?? (this.st.deletedOf.get(de, pe, ou, coc, aoc) as number | undefined);
    this.st.journal.run(fileId, de, pe, ou, coc, aoc, fileId);
    this.st.del.run(storedBy, lastUpdated, fileId, de, pe, ou, coc, aoc);
    if (was === 0) this.bumpLive(-1);
  }

  /** Records (or moves) the completion of a data set for a period, org unit and attribute option combo (an UPDATE, then an INSERT when no row was there: never an upsert on a journaled table, whose ON CONFLICT would override the journal trigger's OR IGNORE and fail a job that writes the same row twice). */
  complete(dataSet: number, pe: number, ou: number, aoc: number, date: string, storedBy: string, fileId: number): void {
    if (this.st.completeUpdate.run(date, storedBy, fileId, dataSet, pe, ou, aoc).changes === 0) this.st.complete.run(dataSet, pe, ou, aoc, date, storedBy, fileId);
  }
}
