/** Utilities › Database maintenance against the real engine: a backup to the save dialog's file, then compaction. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, HAS_CHROMIUM, importDirect, startHarness, type Harness } from './harness.ts';
import { isSoundFerryDb } from '../../src-main/db/maintenance.ts';

describe.skipIf(!HAS_CHROMIUM)('database maintenance screen (Chromium, real engine)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('db-maintenance');
    await importDirect(h, path.join(FIXTURES, 'metadata-small.json'), 'metadata');
    await importDirect(h, path.join(FIXTURES, 'data-bo.json'), 'data');
    await h.page.reload();
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  it('backs up to the file chosen in the save dialog: a sound Ferry database with the same values, no .part left', async () => {
    const { page } = h;
    const out = path.join(h.dir, 'usb', 'site-backup.sqlite');
    fs.mkdirSync(path.dirname(out));
    await h.queueSave(out);
    await page.getByTestId('menu-db-maintenance').click();
    await page.getByTestId('db-backup-start').click();
    const done = page.getByTestId('db-backup-done');
    await done.waitFor();
    await expect(done.textContent()).resolves.toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\([\\d.]+ KB\\), checked by SQLite: sound\\. Made in \\d+ ms\\.$`));
    await h.screenshot('db-maintenance-backup');
    expect(fs.readdirSync(path.dirname(out))).toEqual(['site-backup.sqlite']);
    expect(isSoundFerryDb(out)).toBe(true);
    const count = (file: string): number => {
      const db = new Database(file, { readonly: true });
      try {
        return db.prepare('SELECT count(*) FROM data_value').pluck().get() as number;
      } finally {
        db.close();
      }
    };
    expect(count(out)).toBe(count(path.join(h.dir, 'site.db')));
    expect(count(out)).toBeGreaterThan(0);
    expect(h.problems).toEqual([]);
  });

  it('compacts the database and says how large it is now', async () => {
    const { page } = h;
    await page.getByTestId('menu-db-maintenance').click();
    await page.getByTestId('db-vacuum-start').click();
    const done = page.getByTestId('db-vacuum-done');
    await done.waitFor();
    await expect(done.textContent()).resolves.toMatch(/^[\d.]+ KB → [\d.]+ KB \((?:[\d.]+ [KM]?B freed|there was nothing to give back)\) in \d+ m?s\.$/); // ms, or s on a busy machine
    await h.screenshot('db-maintenance-vacuum');
    expect(isSoundFerryDb(path.join(h.dir, 'site.db'))).toBe(true);
    expect(await h.invoke('db:maintenanceStatus', {})).toMatchObject({ running: null, last: { task: 'vacuum', checkpointed: true } });
    expect(h.problems).toEqual([]);
  });
});
