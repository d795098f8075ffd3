/**
 * DataValueWritesRepo's live count (migration 12) at the transaction boundaries of tx.ts: written before SAVEPOINT,
 * RELEASE and COMMIT, dropped with the rows at ROLLBACK TO and ROLLBACK; written at once outside a transaction.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src-main/db/open.ts';
import { DataValueWritesRepo } from '../../../src-main/db/repos/data-values.ts';
import { beginImmediate, commit, release, rollback, rollbackTo, savepoint } from '../../../src-main/db/tx.ts';

let db: Db;
let w: DataValueWritesRepo;
let n = 0;
beforeEach(() => {
  db = openDb(':memory:');
  db.exec('PRAGMA foreign_keys = OFF'); // bare ids
  w = new DataValueWritesRepo(db);
  n = 0;
});
afterEach(() => db.close());

const kept = (): number => db.prepare(`SELECT n FROM live_count WHERE tbl = 'data_value'`).pluck().get() as number;
const counted = (): number => db.prepare(`SELECT count(*) FROM data_value WHERE deleted = 0`).pluck().get() as number;
/** a new live value (or a soft-deleted one) */
const add = (deleted = 0): void => w.insertNew(1, 1, 100 + n++, 1, 1, 'v', w.textId('u'), null, w.textId('2024-01-01'), null, 0, deleted, 1);

describe('live count at transaction boundaries', () => {
  it('outside a transaction each write counts at once', () => {
    add();
    add();
    add(1);
    expect(kept()).toBe(2);
    w.softDelete(1, 1, 100, 1, 1, w.textId('u'), w.textId('2024-01-02'), 2);
    expect([kept(), counted()]).toEqual([1, 1]);
  });

  it('a file rolled back to its savepoint takes its count with it; a released one keeps it; COMMIT writes the rest', () => {
    beginImmediate(db);
    add();
    savepoint(db, 'f1'); // what came before is written first (it is not the savepoint's to undo)
    add();
    add();
    rollbackTo(db, 'f1');
    w.forgetTexts();
    release(db, 'f1');
    expect(kept()).toBe(1);
    savepoint(db, 'f2');
    add();
    w.update(1, 1, 100, 1, 1, 'x', null, 0, w.textId('u'), w.textId('2024-01-03'), 3); // live already: no change
    w.softDelete(1, 1, 100, 1, 1, w.textId('u'), w.textId('2024-01-03'), 3);
    w.upsert(1, 1, 100, 1, 1, 'y', w.textId('u'), null, w.textId('2024-01-04'), null, 0, 0, 3); // live again
    w.upsert(1, 1, 999, 1, 1, 'z', w.textId('u'), null, w.textId('2024-01-04'), null, 0, 1, 3); // new, deleted
    release(db, 'f2');
    add();
    commit(db);
    expect([kept(), counted()]).toEqual([3, 3]);
  });

  it('a rolled-back job counts nothing', () => {
    beginImmediate(db);
    add();
    savepoint(db, 'f1');
    add();
    release(db, 'f1');
    add();
    rollback(db);
    expect([kept(), counted()]).toEqual([0, 0]);
    add(); // the repo goes on counting after it
    savepoint(db, 'later'); // (a boundary: nothing of the rolled-back job may be written here)
    release(db, 'later');
    expect([kept(), counted()]).toEqual([1, 1]);
  });
});
