/** Names for a list of uids (metadata:names): any type, unknown uids absent, a thousand uids in one query. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { MetadataLookupRepo } from '../../../../src-main/db/repos/metadata-lookups.ts';
import { metadataNames } from '../../../../src-main/services/info.ts';
import { U, seedMetadata } from '../../exporters/seed.ts';

let db: Db;
let repo: MetadataLookupRepo;
beforeAll(() => {
  db = openDb(':memory:');
  seedMetadata(db);
  repo = new MetadataLookupRepo(db);
});
afterAll(() => db.close());

describe('MetadataLookupRepo.namesOfUids', () => {
  it('gives the name and type of objects of several types, and leaves unknown uids out', () => {
    const m = repo.namesOfUids([U.deNum, U.ouA1, U.cocF, U.ds1, U.optionSet, 'Unknown0001', U.deNum]);
    expect(Object.fromEntries(m)).toEqual({
      [U.deNum]: { name: 'Malaria cases', type: 'dataElements' },
      [U.ouA1]: { name: 'Clinic A1', type: 'organisationUnits' },
      [U.cocF]: { name: 'Female', type: 'categoryOptionCombos' },
      [U.ds1]: { name: 'Monthly report', type: 'dataSets' },
      [U.optionSet]: { name: 'Colours', type: 'optionSets' },
    });
    expect(repo.namesOfUids([])).toEqual(new Map());
    expect(repo.namesOfUids(['Unknown0001', "x' OR 1=1 --"]).size).toBe(0);
  });

  it('answers 1000 uids in one call (one statement, whatever the list length)', () => {
    const uids = Array.from({ length: 998 }, (_, i) => `Nope${String(i).padStart(7, '0')}`).concat([U.ouRoot, U.deText]);
    const prepare = db.prepare.bind(db);
    let prepared = 0;
    db.prepare = ((sql: string) => {
      prepared++;
      return prepare(sql);
    }) as typeof db.prepare;
    const fresh = new MetadataLookupRepo(db);
    let m: Map<string, { name: string | null; type: string }>;
    try {
      m = fresh.namesOfUids(uids);
      fresh.namesOfUids(uids.slice(0, 10));
    } finally {
      db.prepare = prepare;
    }
    expect(prepared).toBe(1);
    expect([...m.keys()].sort()).toEqual([U.deText, U.ouRoot].sort());
    expect(m.get(U.ouRoot)).toEqual({ name: 'Root', type: 'organisationUnits' });
  });

  it('the service answers a plain record for the channel', () => {
    expect(metadataNames(db, [U.ouB, 'Unknown0001'])).toEqual({ [U.ouB]: { name: 'District B', type: 'organisationUnits' } });
  });
});
