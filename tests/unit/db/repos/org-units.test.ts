/** Org units repo (src-main/db/repos/org-units.ts): subtrees, level order, the tree browser's queries. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { OrgUnitsRepo } from '../../../../src-main/db/repos/org-units.ts';
import { U, seedMetadata } from '../../exporters/seed.ts';

let db: Db;
let repo: OrgUnitsRepo;
const idOf = (uid: string): number => db.prepare('SELECT id FROM metadata_object WHERE uid = ?').pluck().get(uid) as number;
beforeAll(() => {
  db = openDb(':memory:');
  seedMetadata(db); // Root → District A → Clinic A1; Root → District B
  repo = new OrgUnitsRepo(db);
});
afterAll(() => db.close());

describe('OrgUnitsRepo', () => {
  it('lists children and whole subtrees', () => {
    expect(repo.childIds(idOf(U.ouRoot)).sort()).toEqual([idOf(U.ouA), idOf(U.ouB)].sort());
    expect(repo.subtreeIds(idOf(U.ouA)).sort()).toEqual([idOf(U.ouA), idOf(U.ouA1)].sort());
    expect(repo.subtreeIds(idOf(U.ouRoot))).toHaveLength(4);
    expect(repo.childIds(idOf(U.ouA1))).toEqual([]);
  });

  it('orders every org unit parents first', () => {
    const order = repo.idsInLevelOrder();
    expect(order[0]).toBe(idOf(U.ouRoot));
    expect(order.indexOf(idOf(U.ouA))).toBeLessThan(order.indexOf(idOf(U.ouA1)));
  });

  it('serves the tree browser: roots, children by uid, search by name, code or uid', () => {
    expect(repo.roots().map((n) => [n.uid, n.level, n.childCount])).toEqual([[U.ouRoot, 1, 2]]);
    expect(repo.childrenOf(U.ouRoot).map((n) => n.name)).toEqual(['District A', 'District B']);
    expect(repo.childrenOf(U.ouA)[0]).toEqual({ uid: U.ouA1, code: 'CLINIC_A1', name: 'Clinic A1', level: 3, path: `/${U.ouRoot}/${U.ouA}/${U.ouA1}`, childCount: 0 });
    expect(repo.search('district').map((n) => n.uid)).toEqual([U.ouA, U.ouB]);
    expect(repo.search('CLINIC_A').map((n) => n.uid)).toEqual([U.ouA1]);
    expect(repo.search(U.ouB).map((n) => n.uid)).toEqual([U.ouB]);
    expect(repo.childrenOf('NoSuchUid01')).toEqual([]);
  });
});
