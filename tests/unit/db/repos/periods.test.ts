/** Periods repo (src-main/db/repos/periods.ts). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { PeriodsRepo } from '../../../../src-main/db/repos/periods.ts';
import { parsePeriod } from '../../../../src-shared/dhis2/period.ts';

let db: Db;
let repo: PeriodsRepo;
beforeEach(() => {
  db = openDb(':memory:');
  repo = new PeriodsRepo(db);
});
afterEach(() => db.close());

describe('PeriodsRepo', () => {
  it('creates a period on first use and returns the same id after', () => {
    expect(repo.idOf('202401')).toBeUndefined();
    const a = repo.ensure(parsePeriod('202401')!);
    const q = repo.ensure(parsePeriod('2024Q1')!);
    expect(repo.ensure(parsePeriod('202401')!)).toBe(a);
    expect(repo.idOf('202401')).toBe(a);
    expect(q).not.toBe(a);
  });

  it('lists every period with its dates, as id → iso array and iso → id map', () => {
    const a = repo.ensure(parsePeriod('202402')!);
    const w = repo.ensure(parsePeriod('2024W10')!);
    expect([...repo.all()]).toEqual([
      [a, '202402', '2024-02-01', '2024-02-29'],
      [w, '2024W10', '2024-03-04', '2024-03-10'],
    ]);
    const iso = repo.isoById();
    expect([iso[a], iso[w]]).toEqual(['202402', '2024W10']);
    expect(repo.idsByIso()).toEqual(new Map([['202402', a], ['2024W10', w]]));
  });
});
