/**
 * Issue 16, defect 5: the private copy through which a database in a read-only place is opened (openSite). It holds
 * the database and its -wal (whose commits are part of it), never the -shm; it is deleted on close, and copies left by
 * a Ferry process that is gone (killed, a power cut) are deleted by the next one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb, privateCopy } from '../../../src-main/db/open.ts';
import { tmpDir } from '../../helpers/tmp.ts';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('privateCopy', () => {
  it('copies the database with the commits still in its -wal, writable, and removes it all', () => {
    const dir = tmpDir('ferry-copy-');
    made.push(dir);
    const src = path.join(dir, 'site.sqlite');
    openDb(src).close();
    const live = new Database(src);
    live.pragma('wal_autocheckpoint = 0');
    live.exec(`INSERT INTO metadata_object (uid, type, name, json) VALUES ('abcdefghijk', 'dataElements', 'Only in the WAL', '{}')`);
    fs.chmodSync(src, 0o444);
    const copy = privateCopy(src, src);
    try {
      expect(path.dirname(copy.file)).toMatch(new RegExp(`^${os.tmpdir()}/ferry-readonly-`));
      expect(fs.readdirSync(path.dirname(copy.file)).sort()).toEqual(['owner', 'site.sqlite', 'site.sqlite-wal']);
      expect(fs.statSync(copy.file).mode & 0o777).toBe(0o600);
      const db = openDb(copy.file, { migrate: false });
      expect(db.prepare(`SELECT name FROM metadata_object WHERE uid = 'abcdefghijk'`).pluck().get()).toBe('Only in the WAL');
      db.close();
    } finally {
      copy.remove();
      live.close();
    }
    expect(fs.existsSync(path.dirname(copy.file))).toBe(false);
  });

  it('deletes the copies of a Ferry process that is gone, and only those', () => {
    const stale = (owner: string | null): string => {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-readonly-'));
      made.push(d);
      if (owner !== null) fs.writeFileSync(path.join(d, 'owner'), owner);
      return d;
    };
    const dead = stale(`2147483646 ${os.hostname()}\n`);
    const alive = stale(`${process.pid} ${os.hostname()}\n`);
    const elsewhere = stale(`2147483646 another-machine\n`);
    const beingMade = stale(null);
    const dir = tmpDir('ferry-copy-');
    made.push(dir);
    openDb(path.join(dir, 'site.sqlite')).close();
    const copy = privateCopy(path.join(dir, 'site.sqlite'), 'site.sqlite');
    copy.remove();
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(alive)).toBe(true);
    expect(fs.existsSync(elsewhere)).toBe(true);
    expect(fs.existsSync(beingMade)).toBe(true);
  });
});
