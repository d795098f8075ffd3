/**
 * The live counts `ferry info` reads (live_count, migration 12) stay equal to count(*) after every path that writes
 * data values or events: imports (new, update, the DELETE strategy, a deleted=true row, re-import), a dry run and a
 * failed job (rolled back), a file of a job rolled back to its savepoint, undo, receive, the events import and its
 * delete strategy, SQL written by hand; the migration's initial count, and a database at a later schema without it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDb, type Db } from '../../src-main/db/open.ts';
import { recountLive } from '../../src-main/db/migrations/0012-live-counts.ts';
import { adoptTextRows } from '../../src-main/db/repos/data-values.ts';
import { MIGRATIONS } from '../../src-main/db/migrations/index.ts';
import { migrate } from '../../src-main/db/migrate.ts';
import { ferryCli } from '../helpers/cli.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';
import { loadEventMetadata } from '../helpers/events-import-metadata.ts';
import { writePackage } from '../helpers/receive-package.ts';
import type { JobRecord, DbInfo } from '../../src-shared/api/contract.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata, writeFile } from '../unit/importers/data-values/helpers.ts';
import { withDbAt } from '../helpers/db.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-count-');
  dbPath = path.join(dir, 'site.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, SMALL_METADATA);
  loadEventMetadata(db);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const withDb = <T>(fn: (db: Db) => T): T => withDbAt(dbPath, fn);
const kept = (): { values: number; events: number } =>
  withDb((db) => {
    const n = (t: string): number => db.prepare(`SELECT n FROM live_count WHERE tbl = ?`).pluck().get(t) as number;
    return { values: n('data_value'), events: n('event') };
  });
const counted = (): { values: number; events: number } =>
  withDb((db) => ({
    values: db.prepare(`SELECT count(*) FROM data_value WHERE deleted = 0`).pluck().get() as number,
    events: db.prepare(`SELECT count(*) FROM event WHERE deleted = 0`).pluck().get() as number,
  }));
/** the kept counts equal count(*), and are what is expected */
function expectCounts(values: number, events = 0): void {
  expect(counted()).toEqual({ values, events });
  expect(kept()).toEqual({ values, events });
}
const cli = (args: string[]) => ferryCli(['--db', dbPath, ...args]);
const csv = (name: string, rows: string[]): string => writeFile(dir, name, [CSV_HEADER, ...rows].join('\n') + '\n');
async function importOk(file: string, extra: string[] = []): Promise<number> {
  const r = await cli(['import', file, '--json', ...extra]);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  return (await cli(['jobs', '--json'])).json<JobRecord[]>()[0]!.id;
}
async function undo(id: number): Promise<void> {
  const r = await cli(['undo', String(id), '--json']);
  expect(r.code, r.stderr + r.stdout).toBe(0);
}

const row = (pe: string, ou: string, value: string, deleted = ''): string => `DeInteger01,${pe},${ou},,,${value},alice,,,false,${deleted}`;

describe('live_count: the counts info reads are kept by every write', () => {
  it('imports (new, updated, re-imported, deleted=true rows, the DELETE strategy), undo of each, and info reporting them', async () => {
    expectCounts(0);
    const first = await importOk(csv('a.csv', [row('202401', 'OuClinicA01', '1'), row('202402', 'OuClinicA01', '2'), row('202401', 'OuClinicB01', '3')]));
    expectCounts(3);
    // an update of one, one new, one deleted by its deleted column
    const second = await importOk(csv('b.csv', [row('202401', 'OuClinicA01', '10'), row('202403', 'OuClinicA01', '4'), row('202402', 'OuClinicA01', '2', 'true')]));
    expectCounts(3);
    // the same file again: nothing changes
    const same = await importOk(csv('b2.csv', [row('202401', 'OuClinicA01', '10'), row('202403', 'OuClinicA01', '4')]));
    expectCounts(3);
    // the DELETE strategy soft-deletes two
    const del = await importOk(csv('c.csv', [row('202401', 'OuClinicA01', '10'), row('202401', 'OuClinicB01', '3')]), ['--import-strategy', 'DELETE']);
    expectCounts(1);
    // a soft-deleted value written again is live again
    const again = await importOk(csv('d.csv', [row('202401', 'OuClinicB01', '5')]));
    expectCounts(2);
    const info = (await cli(['info', '--json'])).json<DbInfo>();
    expect(info.dataValues).toBe(2);
    await undo(again);
    expectCounts(1);
    await undo(del);
    expectCounts(3);
    await undo(same);
    await undo(second);
    expectCounts(3);
    await undo(first);
    expectCounts(0);
  });

  it('a dry run, a failed job and a file rolled back to its savepoint leave the count as it was', async () => {
    await importOk(csv('a.csv', [row('202401', 'OuClinicA01', '1')]));
    expectCounts(1);
    const dry = await cli(['import', csv('dry.csv', [row('202402', 'OuClinicA01', '2'), row('202401', 'OuClinicA01', '1', 'true')]), '--dry-run', '--json']);
    expect(dry.code, dry.stderr + dry.stdout).toBe(0);
    expectCounts(1);
    // atomic mode ALL: one bad row fails the whole job after the good rows were written
    const failed = await cli(['import', csv('bad.csv', [row('202402', 'OuClinicA01', '2'), row('202403', 'NoSuchOu001', '3')]), '--atomic-mode', 'ALL', '--json']);
    expect(failed.code).not.toBe(0);
    expectCounts(1);
    // two files of one job: the first kept, the second cut short after a value was written (rolled back to its savepoint)
    const value = (pe: string) => JSON.stringify({ dataElement: 'DeInteger01', period: pe, orgUnit: 'OuClinicA01', value: '5' });
    const kept1 = writeFile(dir, 'keep.json', `{"dataValues": [${value('202404')}]}`);
    const cut = writeFile(dir, 'cut.json', `{"dataValues": [${value('202405')}, ${value('202406')}, {"dataElement": `);
    const two = await cli(['import', kept1, cut, '--json']);
    expect(two.stdout).toContain('ERROR');
    expectCounts(2);
  });

  it('receive of a package (values and a deletion) keeps the count, and so does SQL written by hand', async () => {
    await importOk(csv('a.csv', [row('202401', 'OuClinicA01', '1'), row('202402', 'OuClinicA01', '2')]));
    const from = { id: 'SiteClinicA', name: 'Clinic A', orgUnit: 'OuClinicA01' };
    const v = (pe: string, value: string, deleted = false) => ({ dataElement: 'DeInteger01', period: pe, orgUnit: 'OuClinicA01', value, deleted });
    const p = writePackage(dir, 'a-1.zip', { from, sequence: 1, values: [v('202403', '3'), v('202404', '4'), v('202401', '1', true)] });
    const r = await cli(['receive', p, '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expectCounts(3);
    // a DELETE by hand is counted by the delete trigger; an INSERT or a flip of `deleted` by hand needs adoptTextRows
    withDb((db) => {
      db.prepare(`DELETE FROM data_value WHERE pe = (SELECT id FROM period WHERE iso = '202404')`).run();
      db.prepare(`DELETE FROM data_value WHERE deleted = 1 AND pe = (SELECT id FROM period WHERE iso = '202401')`).run();
    });
    expectCounts(2);
    withDb((db) => {
      db.prepare(`UPDATE data_value SET deleted = 1 WHERE deleted = 0 AND pe = (SELECT id FROM period WHERE iso = '202403')`).run();
      db.prepare(
        `INSERT INTO data_value (ou, pe, de, coc, aoc, value, last_updated)
           SELECT ou, pe, (SELECT id FROM metadata_object WHERE uid = 'DeText00001'), coc, aoc, 'x', last_updated FROM data_value WHERE pe = (SELECT id FROM period WHERE iso = '202402')`,
      ).run();
      adoptTextRows(db);
    });
    expectCounts(2);
  });

  it('events: import, update, the DELETE strategy and undo keep the event count', async () => {
    const ev = (id: string) => ({ event: id, program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', occurredAt: '2024-03-01', dataValues: [{ dataElement: 'DeWeight001', value: '5' }] });
    const payload = (events: unknown[]): string => writeFile(dir, `ev-${Math.random().toString(36).slice(2)}.json`, JSON.stringify({ events }));
    const first = await importOk(payload([ev('EvCount0001'), ev('EvCount0002'), ev('EvCount0003')]), ['--kind', 'events']);
    expectCounts(0, 3);
    const update = await importOk(payload([{ ...ev('EvCount0001'), occurredAt: '2024-03-02' }]), ['--kind', 'events']);
    expectCounts(0, 3);
    const del = await importOk(payload([{ event: 'EvCount0002', dataValues: [] }]), ['--kind', 'events', '--import-strategy', 'DELETE']);
    expectCounts(0, 2);
    const dry = await cli(['import', payload([ev('EvCount0004')]), '--kind', 'events', '--dry-run', '--json']);
    expect(dry.code, dry.stderr + dry.stdout).toBe(0);
    expectCounts(0, 2);
    await undo(del);
    expectCounts(0, 3);
    expect((await cli(['info', '--json'])).json<DbInfo>().events).toBe(3);
    await undo(update);
    await undo(first);
    expectCounts(0, 0);
  });
});

/** triggers on data_value that fire on INSERT or UPDATE (each gives the statement a statement journal) */
const rowTriggers = (db: { prepare: Db['prepare'] }): string[] =>
  (db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'data_value'`).all() as { name: string; sql: string }[])
    .filter((t) => /\b(INSERT|UPDATE)\s+(OF\s+[\w, ]+\s+)?ON\s+data_value\b/i.test(t.sql))
    .map((t) => t.name);

describe('live_count: DHIS 1.4 import', () => {
  it('an import of a DHIS 1.4 database (its own writer, one job transaction), its re-import and its undo keep the count', async () => {
    const mdb = path.join(repoRoot, 'tests/fixtures/dhis14/small.mdb');
    const fresh = path.join(dir, 'd14.sqlite');
    const run = async (...args: string[]) => {
      const r = await ferryCli(['--db', fresh, ...args, '--json']);
      expect(r.code, r.stderr + r.stdout).toBe(0);
    };
    const both = () => {
      const db = openDb(fresh);
      try {
        return [db.prepare(`SELECT n FROM live_count WHERE tbl = 'data_value'`).pluck().get(), db.prepare(`SELECT count(*) FROM data_value WHERE deleted = 0`).pluck().get()];
      } finally {
        db.close();
      }
    };
    await run('import', mdb, '--kind', 'dhis14');
    const [kept1, counted1] = both();
    expect(counted1).toBeGreaterThan(0);
    expect(kept1).toBe(counted1);
    await run('import', mdb, '--kind', 'dhis14');
    expect(both()).toEqual([counted1, counted1]);
    const jobs = (await ferryCli(['--db', fresh, 'jobs', '--json'])).json<JobRecord[]>();
    await run('undo', String(jobs.at(-1)!.id), '--cascade');
    expect(both()).toEqual([0, 0]);
  });
});

describe('migration 12', () => {
  it('leaves no trigger on data_value that fires on INSERT or UPDATE (the import runs in a savepoint per file)', () => {
    withDb((db) => expect(rowTriggers(db)).toEqual([]));
  });

  it('counts the values and events already stored (soft-deleted ones left out), and is applied to a later schema that lacks it', async () => {
    await importOk(csv('a.csv', [row('202401', 'OuClinicA01', '1'), row('202402', 'OuClinicA01', '2'), row('202403', 'OuClinicA01', '3', 'true')]));
    expectCounts(2);
    // as a database made after migration 13 landed but before 12 did: schema 13, no live_count, no triggers
    const raw = new Database(dbPath);
    raw.exec(`DROP TRIGGER live_count_data_value_delete;
      DROP TRIGGER live_count_event_insert; DROP TRIGGER live_count_event_delete; DROP TRIGGER live_count_event_deleted; DROP TABLE live_count; DROP TABLE data_value_combo;`);
    raw.prepare(`UPDATE data_value SET deleted = 0 WHERE deleted = 1`).run();
    expect(raw.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(13);
    const progress: [string, number, number][] = [];
    migrate(raw, MIGRATIONS, dbPath, (name, done, total) => progress.push([name, done, total]));
    expect(recountLive(raw, 'data_value')).toBe(3);
    expect(raw.prepare(`SELECT n FROM live_count WHERE tbl = 'data_value'`).pluck().get()).toBe(3);
    expect(progress.filter((p) => p[0] === 'live-counts').at(-1)).toEqual(['live-counts', 3, 3]);
    // the combos stored (one data element, default combos), for the option combo checks
    expect(raw.prepare(`SELECT count(*) FROM data_value_combo c JOIN metadata_object m ON m.id = c.de WHERE m.uid = 'DeInteger01'`).pluck().get()).toBe(1);
    // once applied it is not applied again (the count would be doubled, or the CREATE TABLE fail)
    migrate(raw, MIGRATIONS, dbPath);
    // its first form (a count trigger on data_value's INSERT and UPDATE) is replaced
    raw.exec(`CREATE TRIGGER live_count_data_value_insert AFTER INSERT ON data_value BEGIN SELECT 1; END;
      CREATE TRIGGER live_count_data_value_deleted AFTER UPDATE OF deleted ON data_value BEGIN SELECT 1; END;`);
    migrate(raw, MIGRATIONS, dbPath);
    expect(rowTriggers(raw)).toEqual([]);
    raw.close();
    expectCounts(3);
    await importOk(csv('b.csv', [row('202404', 'OuClinicA01', '4')]));
    expectCounts(4);
  });
});
