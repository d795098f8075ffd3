/** Migration 0006 (compact data values): a schema-5 database converted in place keeps every value's texts exactly. */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src-main/db/migrate.ts';
import { MIGRATIONS } from '../../../src-main/db/migrations/index.ts';
import { DataValuesRepo, noFilter } from '../../../src-main/db/repos/data-values.ts';
import type { Db } from '../../../src-main/db/open.ts';

type Row = [number, number, number, number, number, string | null, string | null, string, string, string | null, number, number, number | null];
/** (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id) */
const ROWS: Row[] = [
  [1, 1, 10, 4, 4, '5', 'admin', '2024-02-01T10:00:00.000Z', '2024-02-01T10:00:00.000Z', null, 0, 0, 1],
  [2, 1, 10, 4, 4, '6', 'admin', '2023-01-01T00:00:00.000Z', '2024-02-01T10:00:00.000Z', 'seen', 1, 0, 1],
  [1, 2, 10, 4, 4, '7', 'bob', '2024-03-01T08:30:00', '2024-03-01T08:30:00', null, 0, 1, 2], // no ms, no zone
  [1, 1, 11, 4, 4, null, null, '2024-03-01T08:30:00.123+0200', '2024-03-02', 'x', 0, 0, null], // zone; a bare date
  [3, 3, 12, 5, 4, '8', 'admin', '2024-01-01', '2024-01-01', null, 0, 0, 3],
];

let db: Db;
beforeEach(() => {
  db = new Database(':memory:') as Db;
  migrate(db, MIGRATIONS.filter((m) => m.version <= 5));
  db.pragma('foreign_keys = OFF');
  const ins = db.prepare(
    `INSERT INTO data_value (de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  for (const r of ROWS) ins.run(...r);
});
afterEach(() => db.close());

describe('migration 6: data-value-compact', () => {
  it('converts in place with progress; export rows and the decoded view give back every text exactly', () => {
    const steps: [string, number, number][] = [];
    expect(migrate(db, MIGRATIONS.filter((m) => m.version <= 6), ':memory:', (m, done, total) => steps.push([m, done, total]))).toBe(6);
    expect(db.pragma('user_version', { simple: true })).toBe(6);
    // three org units: one copy step, then the old table dropped and the indexes built
    expect(steps.map(([m, done, total]) => `${m} ${done}/${total}`)).toEqual(['data-value-compact 0/4', 'data-value-compact 1/4', 'data-value-compact 2/4', 'data-value-compact 3/4', 'data-value-compact 4/4']);
    const decoded = db.prepare(`SELECT de, pe, ou, coc, aoc, value, stored_by, created, last_updated, comment, followup, deleted, source_file_id FROM data_value_decoded`).raw().all();
    const key = (r: unknown[]): string => `${r[2]}|${r[1]}|${r[0]}`;
    expect(new Map(decoded.map((r) => [key(r as unknown[]), r]))).toEqual(new Map(ROWS.map((r) => [key(r), r])));
    const exported = [...new DataValuesRepo(db).exportRows({ ...noFilter(), includeDeleted: true }, true, null)];
    expect(new Map(exported.map((r) => [key(r), r]))).toEqual(new Map(ROWS.map((r) => [key(r), r.slice(0, 12)])));
    // ids, not texts; created NULL where it equalled last_updated
    expect(db.prepare(`SELECT DISTINCT typeof(stored_by) || ',' || typeof(last_updated) FROM data_value WHERE stored_by IS NOT NULL`).pluck().all()).toEqual(['integer,integer']);
    expect(db.prepare(`SELECT count(*) FROM data_value WHERE created IS NULL`).pluck().get()).toBe(3);
    expect(db.prepare(`SELECT count(*) FROM data_value_text`).pluck().get()).toBe(8); // 2 user names, 6 timestamp texts
    // every stored value's (last_updated, ou, pe) partition is listed for the last-updated filter
    expect(db.prepare(`SELECT count(*) FROM data_value dv WHERE NOT EXISTS (SELECT 1 FROM data_value_change c WHERE c.last_updated = dv.last_updated AND c.ou = dv.ou AND c.pe = dv.pe)`).pluck().get()).toBe(0);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'data_value' ORDER BY name`).pluck().all()).toEqual(['data_value_de_pe', 'data_value_deleted']);
  });

  it('is all or nothing: a failure leaves schema 5 and its rows untouched', () => {
    db.exec(`CREATE TABLE data_value_change (x)`); // the migration's CREATE TABLE fails after the copy
    expect(() => migrate(db, MIGRATIONS)).toThrow(/data_value_change/);
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    expect(db.prepare(`SELECT count(*) FROM data_value WHERE typeof(last_updated) = 'text'`).pluck().get()).toBe(ROWS.length);
    expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name IN ('data_value_text', 'data_value_new')`).pluck().get()).toBe(0);
  });
});
