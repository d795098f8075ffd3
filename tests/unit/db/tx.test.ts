/** Transaction, savepoint and connection-setting helpers (src-main/db/tx.ts). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openDb, type Db } from '../../../src-main/db/open.ts';
import * as tx from '../../../src-main/db/tx.ts';
import { tmpDir } from '../../helpers/tmp.ts';

let db: Db;
beforeEach(() => {
  db = openDb(':memory:');
  db.exec('CREATE TABLE t (x INTEGER)');
});
afterEach(() => db.close());

const rows = (): number[] => db.prepare('SELECT x FROM t ORDER BY x').pluck().all() as number[];
const insert = (x: number): void => void db.prepare('INSERT INTO t (x) VALUES (?)').run(x);

describe('transactions', () => {
  it('begin / commit keeps, begin / rollback undoes', () => {
    tx.begin(db);
    insert(1);
    tx.commit(db);
    tx.beginImmediate(db);
    expect(tx.inTransaction(db)).toBe(true);
    insert(2);
    tx.rollback(db);
    expect(tx.inTransaction(db)).toBe(false);
    expect(rows()).toEqual([1]);
  });

  it('rollbackIfOpen does nothing without a transaction', () => {
    expect(() => tx.rollbackIfOpen(db)).not.toThrow();
    tx.begin(db);
    insert(3);
    tx.rollbackIfOpen(db);
    expect(rows()).toEqual([]);
  });
});

describe('savepoints', () => {
  it('nest inside a transaction: rollbackTo undoes only what followed, release keeps it', () => {
    tx.beginImmediate(db);
    insert(1);
    tx.savepoint(db, 'data_file');
    insert(2);
    tx.rollbackTo(db, 'data_file');
    tx.release(db, 'data_file');
    tx.savepoint(db, 'data_file');
    insert(3);
    tx.release(db, 'data_file');
    expect(tx.inTransaction(db)).toBe(true);
    tx.commit(db);
    expect(rows()).toEqual([1, 3]);
  });

  it('refuse names that are not plain identifiers', () => {
    for (const bad of ['', 'a b', 'x; DROP TABLE t', '1abc', 'a-b']) expect(() => tx.savepoint(db, bad), bad).toThrow(/Invalid savepoint name/);
    expect(() => tx.release(db, 'a;b')).toThrow(/Invalid savepoint name/);
    expect(() => tx.rollbackTo(db, 'a;b')).toThrow(/Invalid savepoint name/);
  });
});

describe('connection settings', () => {
  it('cacheSize sets the page cache in KiB', () => {
    tx.cacheSize(db, 8192);
    expect(db.pragma('cache_size', { simple: true })).toBe(-8192);
    expect(() => tx.cacheSize(db, 0)).toThrow();
    expect(() => tx.cacheSize(db, 1.5)).toThrow();
  });

  it('busyTimeout reads and setBusyTimeout sets the busy timeout', () => {
    expect(tx.busyTimeout(db)).toBe(30000); // openDb's
    tx.setBusyTimeout(db, 200);
    expect(tx.busyTimeout(db)).toBe(200);
    expect(() => tx.setBusyTimeout(db, -1)).toThrow();
  });

  it('beginImmediate fails with SQLITE_BUSY while another connection writes', () => {
    const file = path.join(tmpDir('ferry-tx-'), 'x.sqlite');
    const a = openDb(file);
    const b = openDb(file);
    try {
      tx.setBusyTimeout(b, 0);
      tx.beginImmediate(a);
      expect(() => tx.beginImmediate(b)).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
      tx.rollback(a);
      tx.beginImmediate(b);
      tx.rollback(b);
    } finally {
      a.close();
      b.close();
    }
  });
});
