/**
 * Issue 14: the kept counts of migration 12 (live_count) can drift when SQL written by hand writes data_value (its
 * INSERTs are not counted by a trigger) or the counts themselves. The database check compares each kept count with
 * count(*) and reports a drift with both numbers, offering the repair; the repair (recountLiveValues, and a count of
 * the live events) puts them right; a clean database reports none. In process, and behind db:check / db:repair in the
 * check's worker.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { DbChecker, checkDatabaseFile, countsDrift, repairDatabaseFile } from '../../src-main/services/check.ts';
import { seedData, seedMetadata, U } from '../unit/exporters/seed.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { ferryCli } from '../helpers/cli.ts';
import type { Channel, Req, Res } from '../../src-shared/api/contract.ts';
import type { Ferry } from '../../src-main/services/context.ts';

async function call<C extends Channel>(f: Ferry, channel: C, req: Req<C>): Promise<Res<C>> {
  const r = await invoke(f.handlers, channel, req);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as Res<C>;
}

let dir: string;
let file: string;

beforeEach(() => {
  dir = tmpDir('ferry-counts-');
  file = path.join(dir, 'site.sqlite');
  const db = openDb(file);
  seedMetadata(db);
  seedData(db); // (seeded by SQL, then adopted: counted again, as a tool must)
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs SQL on the site's file as a tool would (no Ferry writer, no recount). */
function byHand(sql: string): void {
  const db = openDb(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

const liveValues = (): number => {
  const db = openDb(file);
  try {
    return db.prepare(`SELECT count(*) FROM data_value WHERE deleted = 0`).pluck().get() as number;
  } finally {
    db.close();
  }
};

/** One more value, inserted the way a tool would: a plain INSERT into data_value. */
const HAND_INSERT = `INSERT INTO data_value (ou, pe, de, coc, aoc, value, last_updated)
  SELECT (SELECT id FROM metadata_object WHERE uid = '${U.ouB}'), (SELECT min(id) FROM period), (SELECT id FROM metadata_object WHERE uid = '${U.deNum}'),
         (SELECT id FROM metadata_object WHERE uid = '${U.def.coc}'), (SELECT id FROM metadata_object WHERE uid = '${U.def.coc}'), '77', '2024-05-01T00:00:00.000Z'`;

describe('the kept counts in the database check', () => {
  it('a clean database: every kept count equals count(*), nothing to repair', () => {
    const n = liveValues();
    expect(n).toBeGreaterThan(0);
    const r = checkDatabaseFile(file);
    expect(r.ok).toBe(true);
    expect(r.liveCounts).toEqual([
      { table: 'data_value', kept: n, counted: n },
      { table: 'event', kept: 0, counted: 0 },
    ]);
    expect(r.repairs).toEqual([]);
    expect(countsDrift(r)).toBe(false);
  });

  it('a value inserted by hand: the drift is reported with both numbers, the repair fixes it', () => {
    const n = liveValues();
    byHand(HAND_INSERT);
    expect(liveValues()).toBe(n + 1);
    const r = checkDatabaseFile(file);
    expect(r.ok).toBe(true); // SQLite finds nothing wrong: the file is sound, the count is not
    expect(r.liveCounts).toContainEqual({ table: 'data_value', kept: n, counted: n + 1 });
    expect(r.repairs).toEqual(['liveCounts']);
    expect(countsDrift(r)).toBe(true);

    const fixed = repairDatabaseFile(file);
    expect(fixed.liveCounts).toContainEqual({ table: 'data_value', kept: n, counted: n + 1 });
    const again = checkDatabaseFile(file);
    expect(again.liveCounts).toContainEqual({ table: 'data_value', kept: n + 1, counted: n + 1 });
    expect(again.repairs).toEqual([]);
    // the repair also records the combination stored by hand (the metadata checks look combos up there)
    const db = openDb(file);
    try {
      expect(db.prepare(`SELECT n FROM live_count WHERE tbl = 'data_value'`).pluck().get()).toBe(n + 1);
      expect(db.prepare(`SELECT count(*) FROM data_value_combo c JOIN data_value v ON v.coc = c.coc AND v.aoc = c.aoc AND v.de = c.de WHERE v.value = '77'`).pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('a soft delete flipped by hand, and an event count written by hand, are found and repaired too', () => {
    const n = liveValues();
    byHand(`UPDATE data_value SET deleted = 1 WHERE value = (SELECT min(value) FROM data_value WHERE deleted = 0) AND deleted = 0`);
    const gone = n - liveValues();
    expect(gone).toBeGreaterThan(0);
    byHand(`UPDATE live_count SET n = n + 3 WHERE tbl = 'event'`);
    const r = checkDatabaseFile(file);
    expect(r.liveCounts).toEqual([
      { table: 'data_value', kept: n, counted: n - gone },
      { table: 'event', kept: 3, counted: 0 },
    ]);
    repairDatabaseFile(file);
    expect(checkDatabaseFile(file).liveCounts).toEqual([
      { table: 'data_value', kept: n - gone, counted: n - gone },
      { table: 'event', kept: 0, counted: 0 },
    ]);
  });

  it('a read-only site is not repaired (its check ran on a private copy)', () => {
    byHand(HAND_INSERT);
    const checker = new DbChecker({ dbPath: file, mode: 'inline', readOnly: 'it is on a read-only medium' });
    return expect(checker.repair()).rejects.toMatchObject({ code: 'DB_READONLY' });
  });

  it('behind db:check and db:repair, in the check worker; db:checkStatus then shows the repaired counts', async () => {
    const n = liveValues();
    byHand(HAND_INSERT);
    const f = openFerry({ dbPath: file, mode: 'worker' });
    try {
      const checked = await call(f, 'db:check', {});
      expect(checked.liveCounts).toContainEqual({ table: 'data_value', kept: n, counted: n + 1 });
      expect(checked.repairs).toEqual(['liveCounts']);
      const repaired = await call(f, 'db:repair', {});
      expect(repaired.liveCounts).toContainEqual({ table: 'data_value', kept: n, counted: n + 1 });
      const status = await call(f, 'db:checkStatus', {});
      expect(status.last?.liveCounts).toContainEqual({ table: 'data_value', kept: n + 1, counted: n + 1 });
      expect(status.last?.repairs).toEqual([]);
      expect((await call(f, 'db:info', {})).dataValues).toBe(n + 1); // what `ferry info` shows
    } finally {
      await f.close();
    }
    expect(checkDatabaseFile(file).repairs).toEqual([]);
  });

  it('ferry check: the drift with both numbers and the repair to run (exit 1); --repair counts again (exit 0); --json', async () => {
    const n = liveValues();
    byHand(HAND_INSERT);
    const drift = await ferryCli(['--db', file, 'check']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatch(/^ok: SQLite's integrity check found nothing wrong in /);
    expect(drift.stdout).toContain(`kept count wrong: data values: ${n} kept, ${n + 1} counted (SQL written outside Ferry changed the table)\n`);
    expect(drift.stdout).toContain('What to do: ferry check --repair counts them again (nothing else changes)\n');
    const json = await ferryCli(['--db', file, 'check', '--json']);
    expect(json.code).toBe(1);
    expect(json.json<{ liveCounts: unknown[]; repairs: string[] }>()).toMatchObject({ liveCounts: [{ table: 'data_value', kept: n, counted: n + 1 }, { table: 'event', kept: 0, counted: 0 }], repairs: ['liveCounts'] });
    const fr = await ferryCli(['--db', file, 'check', '--lang', 'fr']);
    expect(fr.stdout).toContain(`compte tenu erroné : valeurs de données : ${n} tenus, ${n + 1} comptés`);
    const fixed = await ferryCli(['--db', file, 'check', '--repair']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stdout).toContain(`repaired: data values counted again: ${n + 1}\n`);
    const clean = await ferryCli(['--db', file, 'check']);
    expect(clean.code).toBe(0);
    expect(clean.stdout).not.toContain('kept count');
  });
});
