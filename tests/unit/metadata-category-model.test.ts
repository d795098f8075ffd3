/**
 * The category model's object bundle hooks (dhis2-core master CategoryObjectBundleHook, CategoryComboObjectBundleHook,
 * CategoryOptionComboObjectBundleHook) through the real metadata import service: one test per code (message, uid,
 * index, counts), atomic mode ALL writes nothing, NONE keeps the valid objects. Sets inside messages are printed in
 * Java's HashSet order (the expected strings were printed by Java 17 with DHIS2's UID hash).
 */
import { describe, expect, it } from 'vitest';
import { javaHashSetOrder, javaList, javaUidSet, copyCapacity, setHash, uidHash } from '../../src-main/importers/metadata/checks/hook-support.ts';
import fs from 'node:fs';
import path from 'node:path';
import { invoke } from '../../src-main/ipc/register.ts';
import { useMetadataService } from '../helpers/metadata-service.ts';
import { tmpDir } from '../helpers/tmp.ts';

type Obj = Record<string, unknown>;
const svc = useMetadataService();
const NONE = { atomicMode: 'NONE' };
const COC = 'org.hisp.dhis.category.CategoryOptionCombo';

const opt = (id: string): Obj => ({ id, name: id, shortName: id });
const cat = (id: string, options: string[]): Obj => ({ id, name: id, shortName: id, dataDimensionType: 'DISAGGREGATION', categoryOptions: options.map((o) => ({ id: o })) });
const combo = (id: string, cats: string[]): Obj => ({ id, name: id, dataDimensionType: 'DISAGGREGATION', categories: cats.map((c) => ({ id: c })) });
const coc = (id: string, comboId: string | null, options: string[]): Obj => ({
  id, name: id, ...(comboId ? { categoryCombo: { id: comboId } } : {}), categoryOptions: options.map((o) => ({ id: o })),
});
/** two categories (A, B × C): the combo has 2 combinations, [A, C] and [B, C] */
const model = {
  categoryOptions: ['CatOption0A', 'CatOption0B', 'CatOption0C'].map(opt),
  categories: [cat('Category001', ['CatOption0A', 'CatOption0B']), cat('Category002', ['CatOption0C'])],
  categoryCombos: [combo('CatCombo001', ['Category001', 'Category002'])],
};
const manyOptions = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(11 - prefix.length, '0')}`);

describe('Java HashSet order of the sets in messages', () => {
  it('matches what Java 17 prints for Set<UID> and Set<Set<UID>>', () => {
    expect(javaUidSet(['CatOption0A', 'CatOption0B'])).toBe('[CatOption0A, CatOption0B]');
    const print = (sets: string[][]): string => {
      const h = (e: string[]): number => setHash(e.map(uidHash));
      const first = javaHashSetOrder(sets, h);
      return javaList(javaHashSetOrder(first, h, copyCapacity(sets.length)).map((e) => javaUidSet(e, copyCapacity(e.length))));
    };
    expect(print([['CatOption0B', 'CatOption0C']])).toBe('[[CatOption0C, CatOption0B]]');
    const all: string[][] = [];
    for (const a of ['OptAaaaaaa1', 'OptAaaaaaa2', 'OptAaaaaaa3']) for (const b of ['OptBbbbbbb1', 'OptBbbbbbb2', 'OptBbbbbbb3', 'OptBbbbbbb4']) for (const c of ['OptCcccccc1', 'OptCcccccc2']) all.push([a, b, c]);
    const h = (e: string[]): number => setHash(e.map(uidHash));
    const missing = javaHashSetOrder(javaHashSetOrder(all, h), h, copyCapacity(all.length)).filter((e) => e.join() !== 'OptAaaaaaa1,OptBbbbbbb1,OptCcccccc1');
    expect(javaList(missing.slice(0, 3).map((e) => javaUidSet(e, copyCapacity(e.length))))).toBe(
      '[[OptCcccccc2, OptBbbbbbb4, OptAaaaaaa3], [OptCcccccc2, OptAaaaaaa2, OptBbbbbbb4], [OptCcccccc2, OptAaaaaaa3, OptBbbbbbb3]]',
    );
  });
});

describe('categories and category combos (CategoryService.validate with the default dhis.conf limits)', () => {
  it('E1127: a category with more than 50 options', async () => {
    const options = manyOptions('CatOpt', 51);
    const r = await svc.run({ categoryOptions: options.map(opt), categories: [cat('CategoryBig', options), cat('CategoryOk1', options.slice(0, 50))] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.mainKlass, e.message])).toEqual([
      ['E1127', 0, 'CategoryBig', COC, 'Category CategoryBig cannot have more than 50 options, but had: 51 '],
    ]);
    expect(r.stats('Category')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
    expect(svc.stored('CategoryBig')).toBeUndefined();
    expect(svc.stored('CategoryOk1')).toBeDefined();
  });

  it('E1126: a combo of more than 5 categories', async () => {
    const cats = ['CatA', 'CatB', 'CatC', 'CatD', 'CatE', 'CatF'].map((c) => `${c}0000000`);
    const r = await svc.run({ categoryOptions: [opt('CatOption0A')], categories: cats.map((c) => cat(c, ['CatOption0A'])), categoryCombos: [combo('ComboSix001', cats)] });
    expect(r.report.status).toBe('ERROR');
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.args])).toEqual([
      ['E1126', 'ComboSix001', 'Category combo ComboSix001 cannot combine more than 5 categories, but had: 6', ['ComboSix001', '5', '6']],
    ]);
    expect(svc.count('categories')).toBe(1); // the system default only: atomic ALL writes nothing
  });

  it('E1128: a combo whose stored categories give more than 500 combinations (a combo validates its categories as stored)', async () => {
    const a = manyOptions('OptA', 8);
    const b = manyOptions('OptB', 8);
    const c = manyOptions('OptC', 8);
    const cats = { categoryOptions: [...a, ...b, ...c].map(opt), categories: [cat('CategoryA01', a), cat('CategoryB01', b), cat('CategoryC01', c)] };
    const combos = { categoryCombos: [combo('ComboBig001', ['CategoryA01', 'CategoryB01', 'CategoryC01']), combo('ComboOk0001', ['CategoryA01', 'CategoryB01'])] };
    // with the categories new in the same payload DHIS2 counts no stored options: no error
    expect((await svc.run({ ...cats, ...combos }, { dryRun: true })).errors).toEqual([]);
    await svc.run(cats);
    const r = await svc.run(combos, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message])).toEqual([
      ['E1128', 0, 'ComboBig001', 'Category combo ComboBig001 cannot have more than 500 combinations, but requires: 512'],
    ]);
    expect(r.stats('CategoryCombo')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });
});

describe('E1120: an update that would make data values inaccessible', () => {
  it('changing the categories of a combo with data values is refused; the same categories are fine', async () => {
    const cocs = [coc('CocUid00001', 'CatCombo001', ['CatOption0A', 'CatOption0C']), coc('CocUid00002', 'CatCombo001', ['CatOption0B', 'CatOption0C'])];
    await svc.run({
      ...model, categoryOptionCombos: cocs,
      dataElements: [{ id: 'DataElemA01', name: 'A', shortName: 'A', valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM', categoryCombo: { id: 'CatCombo001' } }],
      organisationUnits: [{ id: 'OrgUnitA001', name: 'OU', shortName: 'OU', openingDate: '2020-01-01' }],
    });
    const file = path.join(tmpDir('ferry-dv-'), 'values.json');
    fs.writeFileSync(file, JSON.stringify({ dataValues: [{ dataElement: 'DataElemA01', period: '202001', orgUnit: 'OrgUnitA001', categoryOptionCombo: 'CocUid00002', value: '3' }] }));
    const started = await invoke(svc.ferry.handlers, 'import:start', { files: [file], kind: 'data', options: {} });
    if (!started.ok) throw new Error(started.error.message);
    expect((await svc.ferry.jobs.wait((started.value as { jobId: number }).jobId)).summary).toMatchObject({ importCount: { imported: 1 } });

    const same = await svc.run({ categoryCombos: [combo('CatCombo001', ['Category001', 'Category002'])] });
    expect(same.report.status).toBe('OK');
    const r = await svc.run({ categoryCombos: [combo('CatCombo001', ['Category001'])] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.mainKlass, e.message, e.args])).toEqual([
      ['E1120', 'CatCombo001', 'org.hisp.dhis.category.CategoryCombo', 'Update cannot be applied as it would make existing data values inaccessible', ['CatCombo001']],
    ]);
    expect(r.stats('CategoryCombo')).toEqual({ created: 0, updated: 0, ignored: 1, total: 1 });
    expect(svc.stored('CatCombo001')?.categories).toEqual([{ id: 'Category001' }, { id: 'Category002' }]);
  });
});

describe('category option combos', () => {
  it('E1133: no category combo', async () => {
    const r = await svc.run({ ...model, categoryOptionCombos: [coc('CocNoCombo1', null, ['CatOption0A'])] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.mainKlass, e.message])).toEqual([
      ['E1133', 'CocNoCombo1', COC, 'CategoryCombo must be provided for Category option combo CocNoCombo1'],
    ]);
    expect(r.stats('CategoryOptionCombo')).toEqual({ created: 0, updated: 0, ignored: 1, total: 1 });
  });

  it('E1122: another option combo on the default category combo', async () => {
    const r = await svc.run({ categoryOptionCombos: [coc('CocDefault1', 'bjDvmb4bfuf', ['xYerKDKCefk'])] }, NONE);
    const codes = r.errors.map((e) => e.errorCode);
    expect(codes[0]).toBe('E1122');
    expect(r.errors[0]).toMatchObject({ uid: 'CocDefault1', message: 'Category option combo CocDefault1 cannot be associated with the default category combo' });
    expect(svc.stored('CocDefault1')).toBeUndefined();
  });

  it('E1110: a new option combo whose category combo is not found', async () => {
    const r = await svc.run({ ...model, categoryOptionCombos: [coc('CocNoCombo2', 'ComboUnknwn', ['CatOption0A', 'CatOption0C'])] }, NONE);
    expect(r.errors[0]).toMatchObject({
      errorCode: 'E1110', uid: 'CocNoCombo2', mainKlass: 'org.hisp.dhis.category.CategoryCombo', message: 'Category combo not found or not accessible: `ComboUnknwn`',
    });
    // as in DHIS2 the rest of the chain still runs on it: the unknown combo is also an invalid reference
    expect(r.errors.map((e) => e.errorCode)).toEqual(['E1110', 'E5002']);
    expect(svc.stored('CocNoCombo2')).toBeUndefined();
  });

  it('E1130: every option combo of a combo is refused when their number is not the number of combinations', async () => {
    const r = await svc.run({ ...model, categoryOptionCombos: [coc('CocUid00001', 'CatCombo001', ['CatOption0A', 'CatOption0C'])] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message, e.args])).toEqual([
      ['E1130', 0, 'CocUid00001', 'Importing 1 CategoryOptionCombos does not match the expected amount of 2 for CategoryCombo CatCombo001', ['1', '2', 'CatCombo001']],
    ]);
    expect(r.stats('CategoryOptionCombo')).toEqual({ created: 0, updated: 0, ignored: 1, total: 1 });
    expect(r.stats('CategoryCombo')).toMatchObject({ created: 1, ignored: 0 });
    expect(r.report.status).toBe('WARNING');
  });

  it('E1131: the right number, but an option set that is not a combination (named with the missing sets)', async () => {
    const r = await svc.run({
      ...model,
      categoryOptionCombos: [coc('CocUid00001', 'CatCombo001', ['CatOption0A', 'CatOption0C']), coc('CocUid00002', 'CatCombo001', ['CatOption0A', 'CatOption0B'])],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message])).toEqual([
      ['E1131', 1, 'CocUid00002',
        'Unexpected CategoryOptionCombo provided with CategoryOptions: [CatOption0A, CatOption0B] for CategoryCombo: CatCombo001. ' +
        'Missing expected CategoryOptionCombos with CategoryOption sets: [[CatOption0C, CatOption0B]]'],
    ]);
    expect(r.stats('CategoryOptionCombo')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
    expect(svc.stored('CocUid00001')).toBeDefined();
  });

  it('E1132: new uids for option combos that are already stored (regenerated uids) are refused', async () => {
    await svc.run(model); // DHIS2 generates the 2 option combos of the combo
    expect(svc.count('categoryOptionCombos')).toBe(3);
    const r = await svc.run({ categoryOptionCombos: [coc('CocNewUid01', 'CatCombo001', ['CatOption0A', 'CatOption0C']), coc('CocNewUid02', 'CatCombo001', ['CatOption0C', 'CatOption0B'])] });
    expect(r.report.status).toBe('ERROR');
    expect(r.errors.map((e) => [e.errorCode, e.uid])).toEqual([['E1132', 'CocNewUid01'], ['E1132', 'CocNewUid02']]);
    expect(r.errors[0]!.message).toMatch(
      /^Provided CategoryOptionCombo CocNewUid01 cannot be processed \(potential duplicate\)\. An existing CategoryOptionCombo [A-Za-z][A-Za-z0-9]{10} has the same CategoryCombo CatCombo001 and same CategoryOptions \[CatOption0A, CatOption0C\]$/,
    );
    expect(svc.count('categoryOptionCombos')).toBe(3);
  });

  it('atomic mode ALL: one bad option combo and nothing of the payload is written', async () => {
    const r = await svc.run({ ...model, categoryOptionCombos: [coc('CocUid00001', 'CatCombo001', ['CatOption0A', 'CatOption0C'])] });
    expect(r.report.status).toBe('ERROR');
    expect(r.report.stats).toMatchObject({ created: 0, ignored: 7 });
    expect(svc.stored('CatCombo001')).toBeUndefined();
    expect(svc.stored('CatOption0A')).toBeUndefined();
  });
});
