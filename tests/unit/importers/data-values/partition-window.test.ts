/**
 * What the writing side of a data value import remembers per (org unit, period) partition is a window, not a record
 * (issue 14: 100,000 org units × 10 years of months are 12,000,000 partitions): the partitions' emptiness
 * (DataValueWriter), the data_value_change / data_value_written rows and the combos written (DataValueWritesRepo's
 * RecentKeys). Past the window a job writes more partitions than it remembers, comes back to forgotten ones, and still
 * counts, stores and records exactly what it did when it remembered all of them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { RECENT_KEYS, RecentKeys } from '../../../../src-main/db/repos/data-values.ts';
import { DataValueWriter, PARTITIONS_REMEMBERED } from '../../../../src-main/importers/data-values/writer.ts';
import { ValueApplier } from '../../../../src-main/importers/data-values/apply.ts';
import { strategyBits } from '../../../../src-main/importers/data-values/resolved.ts';
import { beginImmediate, commit, release, savepoint } from '../../../../src-main/db/tx.ts';
import { parsePeriod, type Period } from '../../../../src-shared/dhis2/period.ts';

const NOW = '2026-12-08T03:00:00.000Z';
const MONTHS: Period[] = Array.from({ length: 12 }, (_, i) => parsePeriod(`2024${String(i + 1).padStart(2, '0')}`)!);
/** more partitions than either window holds */
const ORG_UNITS = Math.ceil((3 * Math.max(PARTITIONS_REMEMBERED, RECENT_KEYS)) / MONTHS.length);
const PARTITIONS = ORG_UNITS * MONTHS.length;
const FLAGS = strategyBits('CREATE_AND_UPDATE');
/** org unit ids start here (below: the data elements and combos; the ids are only integers to the writer) */
const OU0 = 100_000;

describe('the writing side remembers a bounded window of partitions', () => {
  let db: Db;
  beforeEach(() => {
    db = openDb(':memory:');
  });
  afterEach(() => db.close());

  /** one file (job transaction + file savepoint, as pipeline.ts runs it); `order` gives the partitions' order */
  function importFile(fileId: number, value: (ou: number, m: number) => string, order: 'grouped' | 'months first', de = (_ou: number, _m: number): number => 1) {
    beginImmediate(db);
    savepoint(db, 'data_file');
    const writer = new DataValueWriter(db, NOW);
    const a = new ValueApplier({ writer, skipExistingCheck: false, fileId });
    let index = 0;
    const one = (ou: number, m: number): void =>
      a.value(index++, index, undefined, de(ou, m), MONTHS[m]!, OU0 + ou, 1, 1, value(ou, m), null, 'admin', FLAGS, 'DeX');
    if (order === 'grouped') for (let ou = 0; ou < ORG_UNITS; ou++) for (let m = 0; m < MONTHS.length; m++) one(ou, m);
    else for (let m = 0; m < MONTHS.length; m++) for (let ou = 0; ou < ORG_UNITS; ou++) one(ou, m);
    const tracked = writer.trackedKeys();
    release(db, 'data_file');
    commit(db);
    return { count: { ...a.count }, tracked };
  }

  const rows = (sql: string): number => db.prepare(sql).pluck().get() as number;

  it('counts, stores and records every partition while holding at most the window', () => {
    // a value stored before the job: the table is not empty, so every partition's emptiness is looked up
    db.prepare(`INSERT INTO period (iso, type, start_date, end_date) VALUES ('2023', 'Yearly', '2023-01-01', '2023-12-31')`).run();
    db.prepare(
      `INSERT INTO data_value (de, pe, ou, coc, aoc, value, last_updated, followup, deleted) VALUES (1, (SELECT id FROM period WHERE iso = '2023'), 7, 1, 1, 'x', 'then', 0, 0)`,
    ).run();
    db.prepare(`UPDATE live_count SET n = 1 WHERE tbl = 'data_value'`).run();

    const first = importFile(1, (ou, m) => `${ou}-${m}`, 'grouped');
    expect(first.count).toMatchObject({ imported: PARTITIONS, updated: 0, ignored: 0, deleted: 0 });
    expect(first.tracked.partitions).toBeLessThanOrEqual(PARTITIONS_REMEMBERED);
    expect(first.tracked.changes).toBeLessThanOrEqual(RECENT_KEYS);
    expect(first.tracked.written).toBeLessThanOrEqual(RECENT_KEYS);
    expect(PARTITIONS).toBeGreaterThan(2 * Math.max(PARTITIONS_REMEMBERED, RECENT_KEYS));
    expect(rows(`SELECT count(*) FROM data_value`)).toBe(PARTITIONS + 1);
    expect(rows(`SELECT count(*) FROM data_value_written WHERE file_id = 1`)).toBe(PARTITIONS);
    expect(rows(`SELECT count(*) FROM data_value_change WHERE ou >= ${OU0}`)).toBe(PARTITIONS);
    expect(rows(`SELECT n FROM live_count WHERE tbl = 'data_value'`)).toBe(PARTITIONS + 1);

    // months first: every partition comes back after the window has moved on — the same values are unchanged, and
    // the changed ones (every third org unit) updated, with their before-images, whatever the writer had forgotten
    const second = importFile(2, (ou, m) => (ou % 3 === 0 ? `${ou}-${m} changed` : `${ou}-${m}`), 'months first');
    const changed = Math.ceil(ORG_UNITS / 3) * MONTHS.length;
    expect(second.count).toMatchObject({ imported: 0, updated: changed, ignored: PARTITIONS - changed, deleted: 0 });
    expect(second.tracked.partitions).toBeLessThanOrEqual(PARTITIONS_REMEMBERED);
    expect(second.tracked.written).toBeLessThanOrEqual(RECENT_KEYS);
    expect(rows(`SELECT count(*) FROM data_value_written WHERE file_id = 2`)).toBe(changed);
    expect(rows(`SELECT count(*) FROM data_value WHERE value LIKE '% changed'`)).toBe(changed);
    expect(rows(`SELECT count(*) FROM journal_data_value WHERE file_id = 2`)).toBe(changed);
    expect(rows(`SELECT n FROM live_count WHERE tbl = 'data_value'`)).toBe(PARTITIONS + 1);
  });

  it('keeps data_value_combo whole while remembering at most the window of combos', () => {
    // a data element per (org unit, month): more combos than the window
    const de = (ou: number, m: number): number => 1 + ou * MONTHS.length + m;
    const r = importFile(1, () => '5', 'grouped', de);
    expect(r.count.imported).toBe(PARTITIONS);
    expect(r.tracked.combos).toBeLessThanOrEqual(RECENT_KEYS);
    expect(rows(`SELECT count(*) FROM data_value_combo`)).toBe(PARTITIONS);
  });
});

describe('RecentKeys', () => {
  it('answers new once per key while it remembers it, and starts afresh when full', () => {
    const k = new RecentKeys(4);
    expect([k.addIfNew(1, 10), k.addIfNew(1, 10), k.addIfNew(2, 10), k.addIfNew(1, 11)]).toEqual([true, false, true, true]);
    expect(k.size).toBe(3);
    expect(k.addIfNew(3, 1)).toBe(true);
    expect(k.size).toBe(4);
    // full: the next new key starts a new window holding it alone
    expect(k.addIfNew(3, 2)).toBe(true);
    expect(k.size).toBe(1);
    expect(k.addIfNew(3, 2)).toBe(false);
    // a forgotten key counts as new again (its INSERT OR IGNORE is then refused by the table's key)
    expect(k.addIfNew(1, 10)).toBe(true);
  });
});
