import { describe, expect, it } from 'vitest';
import { runEngine, useMemoryDb } from '../harness.ts';

const t = useMemoryDb();

describe('CategoryOptionCombosCheck', () => {
  const model = {
    categoryOptions: ['A', 'B', 'C'].map((x) => ({ id: `CatOption0${x}`, name: `Opt ${x}`, shortName: `Opt ${x}` })),
    categories: [
      { id: 'Category001', name: 'Cat 1', shortName: 'Cat 1', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: 'CatOption0A' }, { id: 'CatOption0B' }] },
      { id: 'Category002', name: 'Cat 2', shortName: 'Cat 2', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: 'CatOption0C' }] },
    ],
    categoryCombos: [{ id: 'CatCombo001', name: 'Combo', dataDimensionType: 'DISAGGREGATION', categories: [{ id: 'Category001' }, { id: 'Category002' }] }],
  };

  it('option combos given for a combo must match its expected number', () => {
    const { report, errors } = runEngine(t.db, {
      ...model,
      categoryOptionCombos: [{ id: 'CocUid00001', name: 'x', categoryCombo: { id: 'CatCombo001' }, categoryOptions: [{ id: 'CatOption0A' }, { id: 'CatOption0C' }] }],
    });
    expect(report.status).toBe('ERROR');
    expect(errors.map((e) => e.message)).toEqual(['Importing 1 CategoryOptionCombos does not match the expected amount of 2 for CategoryCombo CatCombo001']);
  });

  it('the right number with a wrong option set names the unexpected and the missing sets', () => {
    const coc = (id: string, options: string[]): Record<string, unknown> => ({ id, name: id, categoryCombo: { id: 'CatCombo001' }, categoryOptions: options.map((o) => ({ id: o })) });
    const { errors } = runEngine(t.db, { ...model, categoryOptionCombos: [coc('CocUid00001', ['CatOption0A', 'CatOption0C']), coc('CocUid00002', ['CatOption0A', 'CatOption0B'])] });
    expect(errors.map((e) => [e.errorCode, e.mainId])).toEqual([['E1131', 'CocUid00002']]);
    expect(errors[0]!.message).toBe(
      'Unexpected CategoryOptionCombo provided with CategoryOptions: [CatOption0A, CatOption0B] for CategoryCombo: CatCombo001. ' +
        'Missing expected CategoryOptionCombos with CategoryOption sets: [[CatOption0C, CatOption0B]]',
    );
  });
});
