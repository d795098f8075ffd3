/** Data values repo (src-main/db/repos/data-values.ts): the export filter's SQL, export cursors, counts, import writes. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { DataValuesRepo, DataValueWritesRepo, filtersRows, noFilter, whereOf, type DataValueFilter } from '../../../../src-main/db/repos/data-values.ts';
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
        ' AND dv.ou IN (SELECT value FROM json_each(?)) AND dv.aoc IN (SELECT value FROM json_each(?)) AND dv.last_updated >= ? AND dv.deleted = 0',
    );
    expect(w.params).toEqual(['[1,2]', '2024-01-01', '2024-03-31', '[3]', '[4]', '2024-02-01']);
  });

  it('lets a period list win over a date range; an empty list still filters (it selects nothing)', () => {
    expect(whereOf(f({ periods: [], periodStart: '2024-01-01' }))).toEqual({ where: 'WHERE dv.pe IN (SELECT value FROM json_each(?)) AND dv.deleted = 0', params: ['[]'] });
    expect(whereOf(f({ periodEnd: '2024-01-31' })).params).toEqual(['2024-01-31']);
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
    expect(spy).toHaveBeenCalledTimes(3);
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
    w.insertNew(1, pe, 3, 4, 5, '10', 'alice', now, now, null, 0, 0, 7);
    expect(w.isEmpty()).toBe(false);
    expect(w.partitionIsEmpty(3, pe)).toBe(false);
    expect(w.find(1, pe, 3, 4, 5)).toEqual(['10', null, 0, 0]);
    expect(w.find(2, pe, 3, 4, 5)).toBeUndefined();
    w.update(1, pe, 3, 4, 5, '11', 'c', 1, 'bob', now, 7);
    expect(w.find(1, pe, 3, 4, 5)).toEqual(['11', 'c', 1, 0]);
    w.softDelete(1, pe, 3, 4, 5, 'bob', now, 7);
    expect(w.find(1, pe, 3, 4, 5)).toEqual(['11', 'c', 1, 1]);
    w.upsert(1, pe, 3, 4, 5, '12', 'carol', now, now, null, 0, 0, 7);
    expect(w.find(1, pe, 3, 4, 5)).toEqual(['12', null, 0, 0]);
  });

  it('insertIfAbsent writes only a new key', () => {
    expect(w.insertIfAbsent(1, pe, 3, 4, 5, '1', 'a', now, now, null, 0, 0, 7)).toBe(true);
    expect(w.insertIfAbsent(1, pe, 3, 4, 5, '2', 'a', now, now, null, 0, 0, 7)).toBe(false);
    expect(w.find(1, pe, 3, 4, 5)?.[0]).toBe('1');
  });
});
