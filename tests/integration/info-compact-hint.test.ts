/**
 * `ferry info` names `ferry vacuum` in one line when the file holds much free space (more than a fifth of it and more
 * than 50 MB: e.g. after migration 6 converted the values), db:info and db:maintenanceStatus say so for the screens.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { COMPACT_MIN_FREE_BYTES, freeSpace, worthCompacting } from '../../src-main/db/maintenance.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { DbInfo, DbMaintenanceStatus } from '../../src-shared/api/contract.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-free-');
  dbPath = path.join(dir, 'site.sqlite');
  openDb(dbPath).close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** leaves `mb` MB of free pages inside the file (a table written, checkpointed into the file, then dropped) */
function leaveFreeSpace(mb: number): void {
  const db = openDb(dbPath);
  db.exec(`CREATE TABLE junk (b BLOB)`);
  const ins = db.prepare(`INSERT INTO junk VALUES (zeroblob(?))`);
  for (let i = 0; i < mb; i++) ins.run(1024 * 1024);
  db.exec(`DROP TABLE junk`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
const MB = 1024 * 1024;
const HINT = /^(\d[\d,]*) MB of the file's (\d[\d,]*) MB \((\d+)%\) is free space: `ferry vacuum` gives it back$/m;

describe('the compaction hint', () => {
  it('a fresh database: no hint, and db:info says there is nothing worth compacting', async () => {
    const r = await ferryCli(['--db', dbPath, 'info']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/free space/);
    const j = (await ferryCli(['--db', dbPath, 'info', '--json'])).json<DbInfo>();
    expect(j.freeSpace).toMatchObject({ freeBytes: 0, worthCompacting: false });
    expect(j.freeSpace!.fileBytes).toBeGreaterThan(0);
  });

  it('much free space: one line naming ferry vacuum, the same in --json and db:maintenanceStatus; gone after ferry vacuum', async () => {
    leaveFreeSpace(60);
    const r = await ferryCli(['--db', dbPath, 'info']);
    expect(r.code).toBe(0);
    const m = HINT.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1]!.replace(/,/g, ''))).toBeGreaterThanOrEqual(59);
    expect(Number(m![3])).toBeGreaterThan(80);
    const j = (await ferryCli(['--db', dbPath, 'info', '--json'])).json<DbInfo>();
    expect(j.freeSpace!.worthCompacting).toBe(true);
    expect(j.freeSpace!.freeBytes).toBeGreaterThan(COMPACT_MIN_FREE_BYTES);
    const ferry = openFerry({ dbPath, mode: 'inline' });
    try {
      const s = await invoke(ferry.handlers, 'db:maintenanceStatus', {});
      expect(s.ok).toBe(true);
      expect((s as { value: DbMaintenanceStatus }).value.space).toEqual(j.freeSpace);
    } finally {
      await ferry.close();
    }
    expect((await ferryCli(['--db', dbPath, 'vacuum'])).code).toBe(0);
    const after = await ferryCli(['--db', dbPath, 'info']);
    expect(after.stdout).not.toMatch(/free space/);
  });

  it('free space under 50 MB, or under a fifth of the file, is not worth a hint', () => {
    leaveFreeSpace(40);
    const db = openDb(dbPath);
    try {
      const f = freeSpace(db);
      expect(f.freeBytes).toBeGreaterThan(39 * 1024 * 1024);
      expect(f.worthCompacting).toBe(false);
      // 60 MB free in a file of 400 MB: 15%; 60 MB free in 250 MB: 24%
      expect(worthCompacting(60 * MB, 400 * MB)).toBe(false);
      expect(worthCompacting(60 * MB, 250 * MB)).toBe(true);
      expect(worthCompacting(50 * MB, 60 * MB)).toBe(false);
    } finally {
      db.close();
    }
  });
});
