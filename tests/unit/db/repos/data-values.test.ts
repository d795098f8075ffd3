/** Data values repo (src-main/db/repos/data-values.ts): the export filter's SQL, export cursors, counts, import writes. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { DataValuesRepo, DataValueWritesRepo, adoptTextRows, filtersRows, noFilter, whereOf, type DataValueFilter, type ExportRow as ExportRowT } from '../../../../src-main/db/repos/data-values.ts';
import { PeriodsRepo } from '../../../../src-main/db/repos/periods.ts';
import { parsePeriod } from '../../../../src-shared/dhis2/period.ts';
import { U, seedData, seedMetadata, seedValues } from '../../exporters/seed.ts';

const f = (x: Partial<DataValueFilter> = {}): DataValueFilter => ({ ...noFilter(), ...x });

describe('whereOf: the typed filter as SQL', () => {
  it('selects live values by default and everything with includeDeleted', () => {
    expect(whereOf(noFilter())).toEqual({ where: 'WHERE dv.deleted = 0', params: [] });
    expect(whereOf(f({ includeDeleted: true }))).toEqual({ where: '', params: [] });
  });

  it('composes every dimension in a fixed order, with id lists as JSON parameters', () => {
    const w = whereOf({
      dataElements: [1, 2],
      periods: null,
      periodStart: '2024-01-01',
      periodEnd: '2024-03-31',
      orgUnits: [3],
      attributeOptionCombos: [4],
      lastUpdatedSince: '2024-02-01',
      includeDeleted: false,
    });
    expect(w.where).toBe(
      'WHERE dv.de IN (SELECT value FROM json_each(?)) AND dv.pe IN (SELECT p.id FROM period p WHERE substr(p.start_date, 1, 10) >= ? AND substr(p.end_date, 1, 10) <= ?)' +
        ' AND dv.ou IN (SELECT value FROM json_each(?)) AND dv.aoc IN (SELECT value FROM json_each(?))' +
        ' AND (dv.ou, dv.pe) IN (SELECT c.ou, c.pe FROM data_value_change c WHERE c.last_updated IN (SELECT t.id FROM data_value_text t WHERE t.text >= ?))' +
        ' AND dv.last_updated IN (SELECT t.id FROM data_value_text t WHERE t.text >= ?) AND dv.deleted = 0',
    );
    expect(w.params).toEqual(['[1,2]', '2024-01-01', '2024-03-31', '[3]', '[4]', '2024-02-01', '2024-02-01']);
  });

  it('lets a period list win over a date range; an empty list still filters (it selects nothing)', () => {
    expect(whereOf(f({ periods: [], periodStart: '2024-01-01', orgUnits: [3] }))).toEqual({
      where: 'WHERE dv.pe IN (SELECT value FROM json_each(?)) AND dv.ou IN (SELECT value FROM json_each(?)) AND dv.deleted = 0',
      params: ['[]', '[3]'],
    });
    // periods alone: also their (org unit, period) partitions, so the key is searched instead of the table scanned
    expect(whereOf(f({ periods: [], periodStart: '2024-01-01' }))).toEqual({
      where:
        'WHERE dv.pe IN (SELECT value FROM json_each(?)) AND (dv.ou, dv.pe) IN (SELECT c.ou, c.pe FROM data_value_change c WHERE c.pe IN (SELECT value FROM json_each(?)))' +
        ' AND dv.deleted = 0',
      params: ['[]', '[]'],
    });
    expect(whereOf(f({ periodEnd: '2024-01-31' })).params).toEqual(['2024-01-31', '2024-01-31']);
  });

  it('filtersRows is false only for the live/deleted choice alone', () => {
    expect(filtersRows(noFilter())).toBe(false);
    expect(filtersRows(f({ includeDeleted: true }))).toBe(false);
    expect(filtersRows(f({ orgUnits: [] }))).toBe(true);
    expect(filtersRows(f({ lastUpdatedSince: '2024-01-01' }))).toBe(true);
  });
});

describe('DataValuesRepo', () => {
  let db: Db;
  let repo: DataValuesRepo;
  const idOf = (uid: string): number => db.prepare('SELECT id FROM metadata_object WHERE uid = ?').pluck().get(uid) as number;
  beforeEach(() => {
    db = openDb(':memory:');
    seedMetadata(db);
    seedData(db);
    repo = new DataValuesRepo(db);
  });
  afterEach(() => db.close());

  it('streams the selected values in key order as arrays', () => {
    const live = [...repo.exportRows(noFilter(), true, null)];
    expect(live).toHaveLength(seedValues().filter((v) => !v.deleted).length);
    expect(live[0]).toHaveLength(12);
    const keys = live.map((r) => [r[2], r[1], r[0], r[3], r[4]]);
    expect(keys).toEqual([...keys].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]! || a[3]! - b[3]! || a[4]! - b[4]!));
    expect([...repo.exportRows(f({ includeDeleted: true }), true, null)]).toHaveLength(seedValues().length);
  });

  it('reads NULL for created when asked (CSV), and honours the limit', () => {
    expect([...repo.exportRows(noFilter(), false, null)].every((r) => r[7] === null)).toBe(true);
    expect([...repo.exportRows(noFilter(), true, null)].every((r) => typeof r[7] === 'string')).toBe(true);
    expect([...repo.exportRows(noFilter(), true, 3)]).toHaveLength(3);
  });

  it('filters by org unit, and counts what it selects', () => {
    const sel = f({ orgUnits: [idOf(U.ouA)] });
    const rows = [...repo.exportRows(sel, true, null)];
    expect(rows.length).toBe(seedValues().filter((v) => v.ou === U.ouA && !v.deleted).length);
    expect(rows.every((r) => r[2] === idOf(U.ouA))).toBe(true);
    expect(repo.count(sel)).toBe(rows.length);
    expect(repo.countRows()).toBe(seedValues().length);
    expect(repo.countLive()).toBe(seedValues().filter((v) => !v.deleted).length);
  });

  it('counts per data element and attribute option combo', () => {
    const counts = [...repo.countsByDataElementAndAoc(noFilter())];
    expect(counts.reduce((a, [, , n]) => a + n, 0)).toBe(repo.countLive());
    expect(counts).toContainEqual([idOf(U.deNum), idOf(U.aocA), 1]);
  });

  it('streams one data set block for ADX in (org unit, period) order', () => {
    const rows = [...repo.adxRows(noFilter(), [idOf(U.deNum)], [idOf(U.def.coc)])];
    expect(rows.length).toBe(seedValues().filter((v) => v.de === U.deNum && v.aoc === U.def.coc && !v.deleted).length);
    const order = rows.map((r) => [r[1], r[2]]);
    expect(order).toEqual([...order].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
  });

  it('prepares each query once per repo, however often it runs', () => {
    const spy = vi.spyOn(db, 'prepare');
    const r = new DataValuesRepo(db);
    for (let i = 0; i < 3; i++) {
      [...r.exportRows(noFilter(), true, null)];
      r.count(f({ orgUnits: [1] }));
      r.countRows();
    }
    expect(spy).toHaveBeenCalledTimes(4); // + the data_value_text read of exportRows
    spy.mockRestore();
  });

  it('reads the earliest completion of a data set, period and org unit', () => {
    const w = new DataValueWritesRepo(db);
    const pe = new PeriodsRepo(db).idOf('202401')!;
    expect(repo.completionDate(idOf(U.ds1), pe, idOf(U.ouA))).toBeUndefined();
    w.complete(idOf(U.ds1), pe, idOf(U.ouA), idOf(U.aocA), '2024-02-10', 'x', 1);
    w.complete(idOf(U.ds1), pe, idOf(U.ouA), idOf(U.def.coc), '2024-02-05', 'x', 1);
    expect(repo.completionDate(idOf(U.ds1), pe, idOf(U.ouA))).toBe('2024-02-05');
  });
});

describe('DataValueWritesRepo', () => {
  let db: Db;
  let w: DataValueWritesRepo;
  let pe: number;
  const now = '2024-05-01T00:00:00.000Z';
  beforeEach(() => {
    db = openDb(':memory:');
    w = new DataValueWritesRepo(db);
    pe = new PeriodsRepo(db).ensure(parsePeriod('202401')!);
    db.exec('PRAGMA foreign_keys = OFF'); // bare ids: no metadata needed for these statements
  });
  afterEach(() => db.close());

  it('inserts, finds, updates, soft-deletes and undeletes one key', () => {
    expect(w.isEmpty()).toBe(true);
    expect(w.partitionIsEmpty(3, pe)).toBe(true);
    w.insertNew(1, pe, 3, 4, 5, '10', w.textId('alice'), null, w.textId(now), null, 0, 0, 7);
    expect(w.isEmpty()).toBe(false);
    expect(w.partitionIsEmpty(3, pe)).toBe(false);
    expect(w.find(1, pe, 3, 4, 5)).toEqual(['10', null, 0, 0]);
    expect(w.find(2, pe, 3, 4, 5)).toBeUndefined();
    w.update(1, pe, 3, 4, 5, '11', 'c', 1, w.textId('bob'), w.textId(now), 7);
    expect(w.find(1, pe, 3, 4, 5)).toEqual(['11', 'c', 1, 0]);
    w.softDelete(1, pe, 3, 4, 5, w.textId('bob'), w.textId(now), 7);
    expect(w.find(1, pe, 3, 4, 5)).toEqual(['11', 'c', 1, 1]);
    w.upsert(1, pe, 3, 4, 5, '12', w.textId('carol'), null, w.textId(now), null, 0, 0, 7);
    expect(w.find(1, pe, 3, 4, 5)).toEqual(['12', null, 0, 0]);
  });

  it('insertIfAbsent writes only a new key', () => {
    expect(w.insertIfAbsent(1, pe, 3, 4, 5, '1', w.textId('a'), null, w.textId(now), null, 0, 0, 7)).toBe(true);
    expect(w.insertIfAbsent(1, pe, 3, 4, 5, '2', w.textId('a'), null, w.textId(now), null, 0, 0, 7)).toBe(false);
    expect(w.find(1, pe, 3, 4, 5)?.[0]).toBe('1');
  });
});

describe('compact storage: user names and timestamps as data_value_text ids', () => {
  let db: Db;
  let w: DataValueWritesRepo;
  let pe: number;
  const t1 = '2024-05-01T00:00:00.000Z';
  const t2 = '2024-06-02T10:11:12.345Z';
  beforeEach(() => {
    db = openDb(':memory:');
    w = new DataValueWritesRepo(db);
    pe = new PeriodsRepo(db).ensure(parsePeriod('202401')!);
    db.exec('PRAGMA foreign_keys = OFF');
  });
  afterEach(() => db.close());
  const stored = (): unknown[] => db.prepare(`SELECT stored_by, created, last_updated FROM data_value`).raw().get() as unknown[];
  const exported = (f0: DataValueFilter = noFilter()): ExportRowT[] => [...new DataValuesRepo(db).exportRows(f0, true, null)];

  it('interns each text once; the row holds small integers and created NULL while it equals last_updated', () => {
    expect(w.textId('alice')).toBe(w.textId('alice'));
    w.insertNew(1, pe, 3, 4, 5, '10', w.textId('alice'), null, w.textId(t1), null, 0, 0, 7);
    w.insertNew(2, pe, 3, 4, 5, '11', w.textId('alice'), null, w.textId(t1), null, 0, 0, 7);
    expect(db.prepare(`SELECT count(*) FROM data_value_text`).pluck().get()).toBe(2);
    expect(stored()).toEqual([w.textId('alice'), null, w.textId(t1)]);
    // INTEGER, not REAL (a JS number is bound as REAL; the ANY columns would keep 8 bytes)
    expect(db.prepare(`SELECT typeof(stored_by) || typeof(created) || typeof(last_updated) FROM data_value`).pluck().all()).toEqual(['integernullinteger', 'integernullinteger']);
    w.update(2, pe, 3, 4, 5, '12', null, 0, w.textId('bob'), w.textId(t2), 8);
    expect(db.prepare(`SELECT typeof(stored_by) || typeof(created) || typeof(last_updated) FROM data_value WHERE de = 2`).pluck().get()).toBe('integerintegerinteger');
    expect(exported().map((r) => r.slice(6, 9))).toEqual([
      ['alice', t1, t1],
      ['bob', t1, t2],
    ]);
  });

  it('an update keeps the first last_updated as created and exports both texts exactly', () => {
    w.insertNew(1, pe, 3, 4, 5, '10', w.textId('alice'), null, w.textId(t1), null, 0, 0, 7);
    w.update(1, pe, 3, 4, 5, '12', null, 0, w.textId('bob'), w.textId(t2), 8);
    expect(exported()[0]!.slice(5, 9)).toEqual(['12', 'bob', t1, t2]);
    w.softDelete(1, pe, 3, 4, 5, w.textId('carol'), w.textId('2024-07-01T00:00:00+0200'), 9);
    const r = exported(f({ includeDeleted: true }))[0]!;
    expect(r.slice(6, 9)).toEqual(['carol', t1, '2024-07-01T00:00:00+0200']);
    expect(r[11]).toBe(1);
  });

  it('reads texts written directly by SQL as themselves; adoptTextRows interns them for the filters', () => {
    w.insertNew(1, pe, 3, 4, 5, '10', w.textId('alice'), null, w.textId(t1), null, 0, 0, 7);
    db.prepare(`INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated) VALUES (2, ?, 3, 4, 5, '9', 'dora', '2023-01-01', '2024-06-03')`).run(pe);
    db.prepare(`INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated) VALUES (3, ?, 6, 4, 5, '8', NULL, 'x', 'x')`).run(pe);
    expect(exported().map((r) => r.slice(6, 9))).toEqual([
      ['alice', t1, t1],
      ['dora', '2023-01-01', '2024-06-03'],
      [null, 'x', 'x'],
    ]);
    expect(adoptTextRows(db)).toBe(2);
    expect(adoptTextRows(db)).toBe(0);
    expect(db.prepare(`SELECT typeof(stored_by), typeof(created), typeof(last_updated) FROM data_value WHERE de = 2`).raw().get()).toEqual(['integer', 'integer', 'integer']);
    expect(db.prepare(`SELECT stored_by, created FROM data_value WHERE de = 3`).raw().get()).toEqual([null, null]);
    expect(db.prepare(`SELECT last_updated, ou, pe FROM data_value_change ORDER BY 1, 2`).raw().all()).toEqual([
      [w.textId(t1), 3, pe],
      [w.textId('2024-06-03'), 3, pe],
      [w.textId('x'), 6, pe],
    ]);
    expect(db.prepare(`SELECT de, stored_by, created, last_updated FROM data_value_decoded ORDER BY de`).raw().all()).toEqual([
      [1, 'alice', t1, t1],
      [2, 'dora', '2023-01-01', '2024-06-03'],
      [3, null, 'x', 'x'],
    ]);
    db.prepare(`DELETE FROM data_value WHERE de = 3`).run();
    expect(exported().map((r) => r.slice(6, 9))).toEqual([
      ['alice', t1, t1],
      ['dora', '2023-01-01', '2024-06-03'],
    ]);
    expect(exported(f({ lastUpdatedSince: '2024-06-01' })).map((r) => r[0])).toEqual([2]);
    expect(exported(f({ lastUpdatedSince: '2024-04-30' })).map((r) => r[0])).toEqual([1, 2]);
    expect(exported(f({ lastUpdatedSince: '2024-06-04' }))).toEqual([]);
    // an update moves the value to a new time: its partition is found under that time
    w.update(1, pe, 3, 4, 5, '13', null, 0, w.textId('bob'), w.textId('2024-07-01T00:00:00.000Z'), 8);
    expect(exported(f({ lastUpdatedSince: '2024-06-04' })).map((r) => r[0])).toEqual([1]);
  });

  it('forgetTexts drops ids a savepoint rollback may have removed', () => {
    db.exec('SAVEPOINT s');
    const a = w.textId('alice');
    db.exec('ROLLBACK TO s; RELEASE s');
    w.forgetTexts();
    expect(db.prepare(`SELECT count(*) FROM data_value_text`).pluck().get()).toBe(0);
    expect(w.textId('alice')).toBe(a); // added again (the same id: the table was empty)
    expect(db.prepare(`SELECT text FROM data_value_text WHERE id = ?`).pluck().get(a)).toBe('alice');
  });
});

