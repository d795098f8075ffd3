/**
 * Query plans of what users filter data values on (EXPLAIN QUERY PLAN, SQLite's own account of how it reads): every
 * filtered export, the "does this data element have values" check of a metadata delete, reads data_value through a
 * key or index SEARCH — never a SCAN of the table.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { DataValuesRepo, DataValueWritesRepo, noFilter, recountLiveValues, whereOf, type DataValueFilter } from '../../../../src-main/db/repos/data-values.ts';
import { MetadataRepo } from '../../../../src-main/db/repos/metadata.ts';
import { PeriodsRepo } from '../../../../src-main/db/repos/periods.ts';
import { parsePeriod } from '../../../../src-shared/dhis2/period.ts';

let db: Db;
let pes: number[];
const OUS = Array.from({ length: 20 }, (_, i) => 100 + i);
const DES = Array.from({ length: 10 }, (_, i) => 10 + i);

beforeAll(() => {
  db = openDb(':memory:');
  db.exec('PRAGMA foreign_keys = OFF'); // bare ids
  const periods = new PeriodsRepo(db);
  pes = ['202401', '202402', '202403', '202501'].map((iso) => periods.ensure(parsePeriod(iso)!));
  const w = new DataValueWritesRepo(db);
  const by = w.textId('bench');
  const now = w.textId('2024-05-01T00:00:00.000Z');
  for (const ou of OUS) for (const pe of pes) for (const de of DES) w.insertNew(de, pe, ou, 1, 1, String(de), by, null, now, null, 0, 0, 1);
});
afterAll(() => db.close());

/** The plan lines of every statement that `run` prepares, run with `params`. */
function plansOf(run: () => void, params: unknown[]): string[] {
  const spy = vi.spyOn(db, 'prepare');
  let calls: string[];
  try {
    run();
  } finally {
    calls = spy.mock.calls.map((c) => c[0] as string);
    spy.mockRestore();
  }
  const sqls = calls.filter((s) => /\bdata_value\b(?!_)/.test(s));
  expect(sqls.length).toBeGreaterThan(0);
  return sqls.flatMap((sql) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params.slice(0, countParams(sql))) as { detail: string }[]).map((r) => r.detail));
}
const countParams = (sql: string): number => (sql.match(/\?/g) ?? []).length;

/** data_value (aliased dv or not) is read by SEARCH, never by SCAN */
function expectSearch(plan: string[]): void {
  const dv = plan.filter((l) => /^(SCAN|SEARCH) (dv|data_value)\b/.test(l));
  expect(dv.length, plan.join('\n')).toBeGreaterThan(0);
  // (a bare "USING PRIMARY KEY" is min(ou): the first key, one search)
  // (data_value_deleted: the partial index of the soft-deleted rows only)
  for (const l of dv) expect(l, plan.join('\n')).toMatch(/^SEARCH (dv|data_value) USING (PRIMARY KEY|INDEX data_value_de_pe|COVERING INDEX data_value_de_pe|COVERING INDEX data_value_deleted)( \(|$)/);
}

const filter = (x: Partial<DataValueFilter>): DataValueFilter => ({ ...noFilter(), ...x });
const exportPlan = (f: DataValueFilter): string[] => {
  const repo = new DataValuesRepo(db);
  return plansOf(() => void [...repo.exportRows(f, true, null)], whereOf(f).params);
};

describe('no full scan of data_value for a filtered export', () => {
  it.each<[string, () => Partial<DataValueFilter>]>([
    ['one district (org units) × one month', () => ({ orgUnits: OUS.slice(0, 10), periods: [pes[0]!] })],
    ['an org unit subtree alone', () => ({ orgUnits: OUS.slice(5, 15) })],
    ['a data set (its data elements) × a year', () => ({ dataElements: DES.slice(0, 4), periodStart: '2024-01-01', periodEnd: '2024-12-31' })],
    ['a data set alone', () => ({ dataElements: DES.slice(0, 4) })],
    ['a data set × a year × every org unit', () => ({ dataElements: DES.slice(0, 4), periodStart: '2024-01-01', periodEnd: '2024-12-31', orgUnits: OUS })],
    ['a period range alone', () => ({ periodStart: '2024-01-01', periodEnd: '2024-02-29' })],
    ['a period list alone', () => ({ periods: [pes[1]!] })],
    ['last-updated alone', () => ({ lastUpdatedSince: '2024-04-01' })],
    ['last-updated × a data set', () => ({ lastUpdatedSince: '2024-04-01', dataElements: DES.slice(0, 2) })],
    ['last-updated × org units × a period range', () => ({ lastUpdatedSince: '2024-04-01', orgUnits: OUS.slice(0, 3), periodStart: '2024-01-01' })],
  ])('%s', (_, make) => {
    const f = filter(make());
    expectSearch(exportPlan(f));
    // the counts of the export (its progress total) and the ADX blocks read the same way
    const repo = new DataValuesRepo(db);
    expectSearch(plansOf(() => void repo.count(f), whereOf(f).params));
  });

  it('the check itself fails on a scan (a filter on a column no key or index leads with)', () => {
    const plan = plansOf(() => void db.prepare(`SELECT count(*) FROM data_value dv WHERE dv.coc = ?`), [1]);
    expect(plan.join('\n')).toMatch(/SCAN dv/);
    expect(() => expectSearch(plan)).toThrow();
  });

  it('selects exactly the filtered values (the rewritten period and last-updated conditions lose none)', () => {
    const repo = new DataValuesRepo(db);
    expect(repo.count(filter({ periodStart: '2024-01-01', periodEnd: '2024-02-29' }))).toBe(OUS.length * 2 * DES.length);
    expect(repo.count(filter({ periods: [pes[3]!] }))).toBe(OUS.length * DES.length);
    expect(repo.count(filter({ lastUpdatedSince: '2024-04-01' }))).toBe(OUS.length * pes.length * DES.length);
    expect(repo.count(filter({ lastUpdatedSince: '2024-05-01T00:00:00.001Z' }))).toBe(0);
    expect(repo.count(filter({ orgUnits: OUS.slice(0, 10), periods: [pes[0]!] }))).toBe(10 * DES.length);
  });

  it('a data set × a year with no org units is read partition by partition (org unit, period) in key order, with exactly its values', () => {
    const repo = new DataValuesRepo(db);
    const f = filter({ dataElements: DES.slice(2, 6), periodStart: '2024-01-01', periodEnd: '2024-12-31' });
    expect(repo.byPartition(f)).toBe(true);
    expect(exportPlan(f).join('\n')).toMatch(/^SEARCH dv USING PRIMARY KEY \(ou=\? AND pe=\?\)$/m);
    const rows = [...repo.exportRows(f, false, null)].map((r) => [r[2], r[1], r[0]]);
    const want = OUS.flatMap((ou) => pes.slice(0, 3).flatMap((pe) => DES.slice(2, 6).map((de) => [ou, pe, de])));
    expect(rows).toEqual(want);
    expect(repo.count(f)).toBe(want.length);
    // a row written by SQL outside Ferry's writer (no data_value_change row) is found too
    db.prepare(`INSERT INTO data_value (ou, pe, de, coc, aoc, value, last_updated) VALUES (999, ?, ?, 1, 1, 'x', 1)`).run(pes[0], DES[2]);
    try {
      expect(repo.count(f)).toBe(want.length + 1);
    } finally {
      db.prepare(`DELETE FROM data_value WHERE ou = 999`).run();
      recountLiveValues(db); // (the INSERT by hand was not counted, its DELETE was)
    }
  });

  it('the "does this data element have values" check of a metadata delete searches the (de, pe) index', () => {
    const meta = new MetadataRepo(db);
    let usage: unknown;
    const plan = plansOf(() => void (usage = meta.dataUsage('dataElements', DES[0]!)), [DES[0]]);
    expect(usage).toEqual({ count: OUS.length * pes.length, what: 'data values' });
    expectSearch(plan);
  });

  it('the option combo checks (metadata delete, E1120) search data_value_de_pe under the data elements stored with the combo', () => {
    const meta = new MetadataRepo(db);
    const w = new DataValueWritesRepo(db);
    // a second category option combo on two values (one of them soft-deleted), a third attribute option combo on one
    w.insertNew(DES[1]!, pes[0]!, OUS[1]!, 7, 1, 'x', w.textId('bench'), null, w.textId('2024-05-02T00:00:00.000Z'), null, 0, 0, 3);
    w.insertNew(DES[2]!, pes[0]!, OUS[1]!, 7, 1, 'x', w.textId('bench'), null, w.textId('2024-05-02T00:00:00.000Z'), null, 0, 1, 3);
    w.insertNew(DES[3]!, pes[1]!, OUS[2]!, 1, 8, 'x', w.textId('bench'), null, w.textId('2024-05-02T00:00:00.000Z'), null, 0, 0, 3);
    try {
      let usage: unknown;
      const plan = plansOf(() => void (usage = meta.dataUsage('categoryOptionCombos', 7)), [7, 7]);
      expect(usage).toEqual({ count: 1, what: 'data values' });
      expectSearch(plan);
      expect(plansOf(() => void (usage = meta.dataUsage('categoryOptionCombos', 8)), [8, 8]).join('\n')).not.toMatch(/SCAN (dv|data_value)\b/);
      expect(usage).toEqual({ count: 1, what: 'data values' });
      expect(meta.dataUsage('categoryOptionCombos', 9)).toBeNull();
      expect(meta.dataUsage('categoryOptionCombos', 1)).toEqual({ count: OUS.length * pes.length * DES.length + 1, what: 'data values' });
    } finally {
      db.prepare(`DELETE FROM data_value WHERE coc = 7 OR aoc = 8`).run();
    }
    expect(meta.dataUsage('categoryOptionCombos', 7)).toBeNull();
  });

  it('info reads the live count kept by migration 12 (live_count), not data_value', () => {
    const repo = new DataValuesRepo(db);
    const w = new DataValueWritesRepo(db);
    w.softDelete(DES[0]!, pes[0]!, OUS[0]!, 1, 1, w.textId('bench'), w.textId('2024-06-01T00:00:00.000Z'), 2);
    let live: number;
    const spy = vi.spyOn(db, 'prepare');
    try {
      live = repo.countLive();
    } finally {
      const sqls = spy.mock.calls.map((c) => c[0] as string);
      spy.mockRestore();
      for (const sql of sqls) expect(sql).not.toMatch(/FROM data_value\b(?!_)/);
    }
    expect(live).toBe(OUS.length * pes.length * DES.length - 1);
  });
});
