/** Read-only metadata queries (src-main/db/repos/metadata-lookups.ts) used by exporters, the data import and screens. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { MetadataLookupRepo } from '../../../../src-main/db/repos/metadata-lookups.ts';
import { U, seedMetadata } from '../../exporters/seed.ts';

let db: Db;
let repo: MetadataLookupRepo;
const idOf = (uid: string): number => db.prepare('SELECT id FROM metadata_object WHERE uid = ?').pluck().get(uid) as number;
beforeAll(() => {
  db = openDb(':memory:');
  seedMetadata(db);
  repo = new MetadataLookupRepo(db);
});
afterAll(() => db.close());

describe('identifiers under an id scheme', () => {
  it('maps ids to UID, CODE, NAME, ID and ATTRIBUTE:<uid> identifiers', () => {
    const of = (scheme: string): Map<number, unknown> => new Map(repo.identifiers('dataElements', scheme));
    const de = idOf(U.deNum);
    expect(of('UID').get(de)).toBe(U.deNum);
    expect(of('CODE').get(de)).toBe('MAL_CASES');
    expect(of('NAME').get(de)).toBe('Malaria cases');
    expect(of('ID').get(de)).toBe(String(de));
    expect(of(`ATTRIBUTE:${U.attr}`).get(de)).toBe('L-NUM');
    expect(of('UID').size).toBe(3);
    expect(repo.identifierOf(idOf(U.ouA), `ATTRIBUTE:${U.attr}`)).toBe('L-A');
    expect(repo.identifierOf(idOf(U.indType), `ATTRIBUTE:${U.attr}`)).toBeNull();
    expect(repo.identifierOf(999_999, 'UID')).toBeUndefined();
    expect(repo.maxId()).toBeGreaterThanOrEqual(de);
  });

  it('finds ids by uid, code and name within a type', () => {
    expect(repo.idByUid('dataSets', U.ds1)).toBe(idOf(U.ds1));
    expect(repo.idByUid('dataElements', U.ds1)).toBeUndefined();
    expect(repo.idByCode('dataSets', 'MONTHLY')).toBe(idOf(U.ds1));
    expect(repo.idByName('dataSets', 'Monthly report')).toBe(idOf(U.ds1));
    expect(repo.uidOf(idOf(U.ds1))).toBe(U.ds1);
  });
});

describe('objects and references', () => {
  it('reads objects as JSON text by type, id and uid', () => {
    expect(repo.rowsOfType('dataSets').map((r) => r.uid).sort()).toEqual([U.ds1, U.ds2].sort());
    expect([...repo.uidJsonOfType('dataSets')].map((r) => r.uid)).toEqual([U.ds1, U.ds2]);
    expect(JSON.parse(repo.jsonById(idOf(U.ds1))!).code).toBe('MONTHLY');
    expect(repo.uidJsonById(idOf(U.ds1))?.uid).toBe(U.ds1);
    expect(repo.idJsonByUid('dataSets', U.ds1)?.id).toBe(idOf(U.ds1));
    expect(repo.objectByUid('dataSets', U.ds1)?.type).toBe('dataSets');
    expect(repo.objectByAnyTypeUid(U.ds1)?.type).toBe('dataSets');
    expect(repo.objectByCodeOrName('dataSets', 'Mechanism report')?.uid).toBe(U.ds2);
  });

  it("follows references: a group's members, a data set's elements, referrers through metadata_ref and the JSON", () => {
    expect(repo.refUids(idOf(U.ouGroup), '$.organisationUnits')).toEqual([U.ouB]);
    expect(repo.dataSetElementUids(idOf(U.ds1)).sort()).toEqual([U.deNum, U.deText].sort());
    expect([...repo.referrersOfType(idOf(U.ds1), 'sections')].map((r) => r.uid)).toEqual([U.section]);
    expect(repo.uidsReferringByJson('sections', 'dataSet', U.ds1)).toEqual([U.section]);
  });

  it('lists the objects of a type linked to an object, by a reference either way (a program\'s stages in the pickers)', () => {
    expect(repo.list('sections', undefined, 10, U.ds1).map((r) => r.uid)).toEqual([U.section]);
    expect(repo.list('dataSets', undefined, 10, U.section).map((r) => r.uid)).toEqual([U.ds1]);
    expect(repo.list('sections', undefined, 10, U.ds2)).toEqual([]);
    expect(repo.list('dataSets', undefined, 10).map((r) => r.uid).sort()).toEqual([U.ds1, U.ds2].sort());
  });
});

describe('category model, data sets, counts and lists', () => {
  it('finds the default category objects and option combos of a combo', () => {
    expect(repo.defaultCategoryObjectUids().sort()).toEqual(Object.values(U.def).sort());
    expect(repo.defaultCategoryOptionComboIds()).toEqual([idOf(U.def.coc)]);
    expect(repo.optionCombosOfCombo(U.ccSex).sort()).toEqual([idOf(U.cocM), idOf(U.cocF)].sort());
  });

  it('lists data element value types and data sets by name', () => {
    expect(new Map(repo.dataElementValueTypes()).get(idOf(U.deText))).toBe('TEXT');
    expect(repo.dataSetIdsByName()).toEqual([idOf(U.ds2), idOf(U.ds1)]); // Mechanism report, Monthly report
  });

  it('counts objects per type and lists a type with search', () => {
    const counts = new Map(repo.countsByType().map((r) => [r.type, r.n]));
    expect(counts.get('organisationUnits')).toBe(4);
    expect(repo.countsByType().map((r) => r.type)).toEqual([...counts.keys()].sort());
    expect(repo.list('dataElements', undefined, 500).map((r) => r.name)).toEqual(['Malaria cases', 'Other', 'Remarks, free text']);
    expect(repo.list('dataElements', 'remark', 500)).toEqual([{ uid: U.deText, code: 'REMARKS', name: 'Remarks, free text' }]);
    expect(repo.list('dataElements', U.deOther, 500).map((r) => r.uid)).toEqual([U.deOther]);
    expect(repo.list('dataElements', undefined, 1)).toHaveLength(1);
  });
});
