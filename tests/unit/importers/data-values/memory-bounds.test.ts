/**
 * What keeps a data value import's memory flat however large the file (issue 14): the keys of unlisted conflict groups
 * move to a key set outside the heap past a cap (counts unchanged), the data_value_text ids are a capped cache (ids
 * unchanged), and the batches' ints travel in a shared ring of slots instead of one new array per batch.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { DataValueWritesRepo, SpilledKeySet, TEXT_IDS_CACHED } from '../../../../src-main/db/repos/data-values.ts';
import { ConflictBudget, ConflictCollector, type KeySet } from '../../../../src-main/importers/data-values/conflicts.ts';
import { BatchDecoder, BatchEncoder, BatchRing } from '../../../../src-main/importers/data-values/codec.ts';
import type { ResolvedSink } from '../../../../src-main/importers/data-values/resolved.ts';
import { parsePeriod } from '../../../../src-shared/dhis2/period.ts';
import { savepoint, release, rollbackTo } from '../../../../src-main/db/tx.ts';

const limits = { perCode: 2, total: 3, indexesPerConflict: 2, rejectedIndexes: 1 };

/** a deterministic mix of conflicts: groups repeating, new groups appearing, two codes */
function feed(c: ConflictCollector): Set<number> {
  const groups = new Set<number>();
  let x = 7;
  for (let i = 0; i < 3000; i++) {
    x = (x * 48271) % 2147483647;
    const g = x % 700;
    const code = g % 3 === 0 ? 'E7612' : 'E7610';
    c.add(code, i, code === 'E7610' ? { dataElement: `De${g}` } : { organisationUnit: `Ou${g}` }, [String(g)], i + 2);
    groups.add(g);
  }
  return groups;
}

const summaryOf = (c: ConflictCollector): unknown => ({ list: c.list(), more: c.moreConflicts(), size: c.size, occurrences: c.occurrences });

describe('ConflictCollector: unlisted groups past the memory cap', () => {
  it('counts exactly the same once the keys move to a key set', () => {
    const plain = new ConflictCollector(new ConflictBudget(limits));
    const groups = feed(plain);
    let made = 0;
    const moved: Set<string>[] = [];
    const spilling = new ConflictCollector(new ConflictBudget(limits), {
      keysInMemory: 10,
      keySet: (): KeySet => {
        made++;
        const s = new Set<string>();
        moved.push(s);
        return { addIfNew: (k) => (s.has(k) ? false : (s.add(k), true)) };
      },
    });
    feed(spilling);
    expect(made).toBe(1);
    expect(groups.size).toBeGreaterThan(600);
    expect(moved[0]!.size).toBe(groups.size);
    expect(summaryOf(spilling)).toEqual(summaryOf(plain));
    // (the mix does exercise the unlisted counts)
    const more = plain.moreConflicts()!;
    expect(more.E7610!.conflicts + more.E7612!.conflicts).toBe(groups.size - 3);
  });

  it('without a key set, keeps every key in memory (as before)', () => {
    const plain = new ConflictCollector(new ConflictBudget(limits));
    feed(plain);
    const capped = new ConflictCollector(new ConflictBudget(limits), { keysInMemory: 10 });
    feed(capped);
    expect(summaryOf(capped)).toEqual(summaryOf(plain));
  });

  describe('in a TEMP table of the job connection (SpilledKeySet)', () => {
    let db: Db;
    beforeEach(() => {
      db = openDb(':memory:');
    });
    afterEach(() => db.close());

    it('gives the same summary, one set per collector, inside a savepoint that is rolled back', () => {
      const plain = new ConflictCollector(new ConflictBudget(limits));
      feed(plain);
      savepoint(db, 'f1');
      const a = new ConflictCollector(new ConflictBudget(limits), { keysInMemory: 5, keySet: () => new SpilledKeySet(db) });
      feed(a);
      const b = new ConflictCollector(new ConflictBudget(limits), { keysInMemory: 5, keySet: () => new SpilledKeySet(db) });
      feed(b);
      expect(summaryOf(a)).toEqual(summaryOf(plain));
      expect(summaryOf(b)).toEqual(summaryOf(plain));
      rollbackTo(db, 'f1');
      release(db, 'f1');
      // a later file creates the table again
      savepoint(db, 'f2');
      const c = new ConflictCollector(new ConflictBudget(limits), { keysInMemory: 5, keySet: () => new SpilledKeySet(db) });
      feed(c);
      release(db, 'f2');
      expect(summaryOf(c)).toEqual(summaryOf(plain));
    });
  });
});

describe('DataValueWritesRepo.textId: a capped cache', () => {
  let db: Db;
  beforeEach(() => {
    db = openDb(':memory:');
  });
  afterEach(() => db.close());

  it('gives every text the same id before and after the cache starts afresh', () => {
    const w = new DataValueWritesRepo(db);
    const n = TEXT_IDS_CACHED + 50;
    const first = Array.from({ length: n }, (_, i) => w.textId(`user${i}`));
    expect(new Set(first).size).toBe(n);
    const again = Array.from({ length: n }, (_, i) => w.textId(`user${i}`));
    expect(again).toEqual(first);
    const held = (w as unknown as { textIds: Map<string, number> }).textIds.size;
    expect(held).toBeLessThanOrEqual(TEXT_IDS_CACHED);
    expect(db.prepare('SELECT count(*) FROM data_value_text').pluck().get()).toBe(n);
  });
});

describe('BatchRing: the batches in shared slots', () => {
  const p1 = parsePeriod('202401')!;
  const record = (calls: unknown[][]): ResolvedSink => ({
    value: (...a) => void calls.push(['value', ...a]),
    reject: (...a) => void calls.push(['reject', ...a]),
    plain: (...a) => void calls.push(['plain', ...a]),
    complete: (...a) => void calls.push(['complete', ...a]),
  });

  it('carries lent batches through the slots in turn, and a batch too large for a slot in its own array', () => {
    const ring = BatchRing.create(2);
    const far = new BatchRing(ring.buffer, 2); // the other thread's view of the same memory
    const enc = new BatchEncoder(16);
    const dec = new BatchDecoder();
    const got: unknown[][] = [];
    const want: unknown[][] = [];
    for (let b = 0; b < 5; b++) {
      const rows = b === 3 ? Math.ceil(BatchRing.SLOT_INTS / 14) + 10 : 3;
      for (let i = 0; i < rows; i++) {
        enc.value(i, i + 2, undefined, b, p1, i, 3, 4, `${b}.${i}`, null, 'admin', 0, 'De');
        want.push(['value', i, i + 2, undefined, b, p1, i, 3, 4, `${b}.${i}`, null, 'admin', 0, '']);
      }
      const packed = far.pack(enc.take(true)!);
      if (b === 3) expect(packed.slot).toBeUndefined();
      else expect(packed.slot).toBe(b % 2);
      // the encoder's lent array is reused at once: the packed batch must not depend on it
      enc.value(0, 0, undefined, 0, p1, 0, 0, 0, 'overwrite', null, 'admin', 0, 'De');
      enc.take(true);
      dec.apply(ring.unpack(structuredClone(packed)), record(got));
    }
    expect(got).toEqual(want);
  });
});
