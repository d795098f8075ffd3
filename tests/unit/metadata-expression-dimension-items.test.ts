/**
 * Expression dimension items (dhis2-core master ExpressionDimensionItemObjectBundleHook, E7137): the indicator
 * expression grammar as DHIS2's ExpressionService checks it (validateIndicatorExpression), then the hook through the
 * real metadata import service: DHIS2's message, class, arguments and counts; the objects an expression names must be
 * stored (not only in the payload, as DHIS2 looks them up in the database); atomic mode ALL writes nothing, NONE
 * keeps the valid items.
 */
import { describe, expect, it } from 'vitest';
import { validateIndicatorExpression } from '../../src-main/importers/metadata/checks/indicator-expression.ts';
import { useMetadataService } from '../helpers/metadata-service.ts';

type Obj = Record<string, unknown>;
const svc = useMetadataService();
const NONE = { atomicMode: 'NONE' };
const EDI = 'org.hisp.dhis.expressiondimensionitem.ExpressionDimensionItem';

describe('indicator expressions as DHIS2 parses them', () => {
  it('accepts operators, functions, items and dot functions of indicator expressions, and names the objects of the items', () => {
    for (const e of [
      '#{DataElemA01}', '#{DataElemA01.CocAbcde001}', '#{DataElemA01.*}', '#{DataElemA01.*.CocAbcde001}', '#{DataElemA01.CocAbcde001.CocAbcde002}',
      '#{DataElemA01.CocAbcde001.*}', ' #{DataElemA01} + #{DataElemB01} * 2 ', '( #{DataElemA01} + 1 ) / 3', '-#{DataElemA01}^2', '2^-1', '7 % 2',
      'if(#{DataElemA01} > 5, 1, 0)', 'if(isNull(#{DataElemA01}), 0, #{DataElemA01})', 'greatest(#{DataElemA01}, 0)', 'least(1,2,3)',
      'firstNonNull(#{DataElemA01}, 0)', 'log(#{DataElemA01}, 10)', 'log10(100)', 'removeZeros(#{DataElemA01})',
      'subExpression(if(#{DataElemA01} > 0 && #{DataElemB01} < 3 or not true, 1, 0))', 'N{IndicatA001}', 'C{ConstantA01} * 2', 'OUG{OuGroupA001}',
      'R{DataSetA001.REPORTING_RATE}', 'R{DataSetA001.ACTUAL_REPORTS_ON_TIME}', 'D{ProgramA01x.DataElemA01}', 'A{ProgramA01x.TeAttrib001}', 'I{ProgIndA001}',
      '[days] * 1', '[periodInYear] + [yearlyPeriodCount]', '#{DataElemA01}.periodOffset(-1)', '#{DataElemA01} .periodOffset( 2 )',
      '#{DataElemA01}.yearToDate()', '#{DataElemA01}.aggregationType(AVERAGE)', '#{DataElemA01}.maxDate(2024-12-31).minDate(2020-1-1)',
      '#{DataElemA01} /* comment */ + 1',
      '1', '0.5', '.5e3', "'5'", 'firstNonNull(null, 1)', 'if(is(#{DataElemA01} in 1, 2), 1, 0)', 'if(contains("abc", "b"), 1, 0)',
    ]) expect(validateIndicatorExpression(e), e).toMatchObject({ ok: true });
    expect(validateIndicatorExpression('#{DataElemA01.CocAbcde001} + N{IndicatA001} + R{DataSetA001.REPORTING_RATE} + #{DataElemB01.*.CocAbcde002} + D{ProgramA01x.DataElemC01}')).toEqual({
      ok: true,
      refs: [
        { type: 'dataElements', uid: 'DataElemA01' }, { type: 'categoryOptionCombos', uid: 'CocAbcde001' }, { type: 'indicators', uid: 'IndicatA001' },
        { type: 'dataSets', uid: 'DataSetA001' }, { type: 'dataElements', uid: 'DataElemB01' }, { type: 'categoryOptionCombos', uid: 'CocAbcde002' },
        { type: 'programs', uid: 'ProgramA01x' }, { type: 'dataElements', uid: 'DataElemC01' },
      ],
    });
  });

  it('refuses blank and null texts, syntax errors, what indicators do not support, tagged uids, and results that are no number', () => {
    for (const e of [
      null, '', '   ', 'null ', ' NULL', '#{DataElemA01', '#{DataElemA0}', '#{DataElemA01} +', '1 +* 2', '1 2', '(1', '1)', 'sum(#{DataElemA01})',
      'avg(#{DataElemA01})', 'V{event_date}', 'd2:hasValue(#{DataElemA01})', 'A{TeAttrib001}', "'abc'", 'true', '1 > 0', '#{DataElemA01} == #{DataElemB01}',
      'isNull(#{DataElemA01})', '1 + true', "'abc' * 2", '!1', 'if (1 > 0, 2, 3)', 'iff(1,2,3)', 'if(1 > 0, 2)', 'if(1, 2, 3)', '#{DataElemA01}.stageOffset(1)',
      'orgUnit.ancestor(OuAbcdef001)', '[days', '2024-01-01', '#{ DataElemA01 }', 'R{DataSetA001.RATE}', 'C{ConstantA01', 'log10(1, 2)',
      'is(1 in 1)', 'is(1in 1)', '#{DataElemA01}.aggregationType()', '1 { 2', 'x',
      // tagged uids belong to predictors: an indicator expression looks the tagged text up as a uid
      '#{deGroup:DeGroupA001}', '#{DataElemA01.co:CatOptA0001}', '#{DataElemA01.coGroup:CoGroupA001&CoGroupA002}',
    ]) expect(validateIndicatorExpression(e), String(e)).toMatchObject({ ok: false });
  });
});

const de = (id: string): Obj => ({ id, name: id, shortName: id, valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM' });
const item = (id: string, expression: unknown, extra: Obj = {}): Obj => ({ id, name: `Item ${id}`, shortName: `Item ${id}`, expression, ...extra });
/** stored objects for the items to name */
const base = (): Record<string, Obj[]> => ({
  dataElements: [de('DataElemA01'), de('DataElemB01')],
  indicatorTypes: [{ id: 'IndTypeA001', name: 'Number', factor: 1 }],
  indicators: [{ id: 'IndicatA001', name: 'Ind A', shortName: 'Ind A', numerator: '#{DataElemA01}', denominator: '1', indicatorType: { id: 'IndTypeA001' } }],
  constants: [{ id: 'ConstantA01', name: 'Pi', value: 3.14 }],
  dataSets: [{ id: 'DataSetA001', name: 'DS A', periodType: 'Monthly' }],
});

describe('ExpressionDimensionItemObjectBundleHook', () => {
  it('E7137: expressions DHIS2 cannot parse, or naming objects that are not stored (one of the same payload is not stored yet; the default option combo always is)', async () => {
    await svc.run(base());
    const r = await svc.run({
      dataElements: [de('DataElemNew')],
      expressionDimensionItems: [
        item('ExprItem001', '#{DataElemA01} + #{DataElemB01}'),
        item('ExprItem002', '#{DataElemA01} +'),
        item('ExprItem003', 'sum(#{DataElemA01})'),
        item('ExprItem004', '#{NoSuchDe001} * 2'),
        item('ExprItem005', '#{DataElemNew}'),
        item('ExprItem006', 'N{IndicatA001} / C{ConstantA01} + R{DataSetA001.REPORTING_RATE}'),
        item('ExprItem007', 'N{DataElemA01}'),
        item('ExprItem008', '  '),
        item('ExprItem009', '#{DataElemA01.HllvX50cXC0} * 2'),
        item('ExprItem010', '#{DataElemA01.CocNoSuch01}'),
      ],
    }, NONE);
    const bad = [['ExprItem002', '#{DataElemA01} +'], ['ExprItem003', 'sum(#{DataElemA01})'], ['ExprItem004', '#{NoSuchDe001} * 2'], ['ExprItem005', '#{DataElemNew}'], ['ExprItem007', 'N{DataElemA01}'], ['ExprItem008', '  '], ['ExprItem010', '#{DataElemA01.CocNoSuch01}']];
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.mainKlass, e.args])).toEqual(
      bad.map(([uid, x]) => ['E7137', uid, `Expression is not parsable: \`${x}\``, EDI, [x, 'Not a valid expression']]),
    );
    expect(r.stats('ExpressionDimensionItem')).toEqual({ created: 3, updated: 0, ignored: 7, total: 10 });
    expect(r.stats('DataElement')).toEqual({ created: 1, updated: 0, ignored: 0, total: 1 });
    expect(svc.stored('ExprItem001')).toMatchObject({ expression: '#{DataElemA01} + #{DataElemB01}' });
    expect(svc.stored('ExprItem002')).toBeUndefined();
  });

  it('E7137 with no expression at all (`null`); E4000 for the required short name; an update is checked too', async () => {
    await svc.run(base());
    expect((await svc.run({ expressionDimensionItems: [item('ExprItem001', '#{DataElemA01}')] })).report.status).toBe('OK');
    const r = await svc.run({
      expressionDimensionItems: [{ id: 'ExprItem002', name: 'No expression', shortName: 'No expression' }, { id: 'ExprItem003', name: 'No short name', expression: '1' }, item('ExprItem001', 'x')],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.args])).toEqual([
      ['E7137', 'ExprItem002', 'Expression is not parsable: `null`', ['null', 'Not a valid expression']],
      ['E4000', 'ExprItem003', 'Missing required property `shortName`', ['shortName']],
      ['E7137', 'ExprItem001', 'Expression is not parsable: `x`', ['x', 'Not a valid expression']],
    ]);
    expect(r.stats('ExpressionDimensionItem')).toEqual({ created: 0, updated: 0, ignored: 3, total: 3 });
    expect(svc.stored('ExprItem001')).toMatchObject({ expression: '#{DataElemA01}' });
  });

  it('atomic mode ALL: one invalid item leaves nothing of the payload written', async () => {
    await svc.run(base());
    const r = await svc.run({ dataElements: [de('DataElemNew')], expressionDimensionItems: [item('ExprItem001', '#{DataElemA01}'), item('ExprItem002', 'true')] });
    expect(r.report.status).toBe('ERROR');
    expect(r.errors.map((e) => [e.errorCode, e.uid])).toEqual([['E7137', 'ExprItem002']]);
    expect(r.stats('ExpressionDimensionItem')).toEqual({ created: 0, updated: 0, ignored: 2, total: 2 });
    expect(svc.count('expressionDimensionItems')).toBe(0);
    expect(svc.stored('DataElemNew')).toBeUndefined();
  });
});
