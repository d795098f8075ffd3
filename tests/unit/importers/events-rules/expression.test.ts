/**
 * The program rule expression language, function by function: parser (precedence, literals, variables, errors) and
 * evaluator (typed variables with DHIS2's defaults, operators, environment variables, constants, every d2: function).
 */
import { describe, expect, it } from 'vitest';
import { parseExpression, RuleSyntaxError } from '../../../../src-main/importers/events/rules/parser.ts';
import { evaluate, isTrue, RuleEvalError, toText, type EvalContext, type VariableValue, type Value } from '../../../../src-main/importers/events/rules/evaluator.ts';

const v = (type: VariableValue['type'], value: string | null, candidates: string[] = value == null ? [] : [value], eventDate: string | null = null): VariableValue => ({
  type, value, candidates, eventDate,
});

function ctx(over: Partial<EvalContext> = {}): EvalContext {
  return {
    variables: new Map<string, VariableValue>([
      ['weight', v('NUMERIC', '12.5')],
      ['age', v('NUMERIC', null)],
      ['name', v('TEXT', 'Amina Sesay')],
      ['empty text', v('TEXT', null)],
      ['pregnant', v('BOOLEAN', 'true')],
      ['smoker', v('BOOLEAN', null)],
      ['dob', v('DATE', '2020-02-29')],
      ['visits', v('NUMERIC', '3', ['3', '-1', '0', '7'], '2024-05-01')],
      ['sex', v('TEXT', 'Female', ['FEMALE', 'MALE', 'FEMALE'])],
    ]),
    env: new Map<string, VariableValue>([
      ['event_date', v('TEXT', '2024-03-15')],
      ['current_date', v('TEXT', '2024-06-01')],
      ['event_count', v('NUMERIC', '4')],
    ]),
    constants: new Map([['ConstPi0001', 3.14]]),
    inOrgUnitGroup: (g) => g === 'GrpUrban001' || g === 'URBAN',
    ...over,
  };
}

const ev = (src: string, c: EvalContext = ctx()): Value => evaluate(parseExpression(src)!, c);

describe('parser', () => {
  it('parses precedence: || below &&, comparisons below + -, * / % above, ^ right-associative, unary', () => {
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('2 ^ 3 ^ 2')).toBe(512);
    expect(ev('-2 + 5')).toBe(3);
    expect(ev('10 % 4 + 1')).toBe(3);
    expect(ev('1 + 1 == 2 && 3 > 2 || false')).toBe(true);
    expect(ev('true || false && false')).toBe(true);
    expect(ev('!true || true')).toBe(true);
    expect(ev('not (1 > 2) and 2 > 1 or false')).toBe(true);
  });

  it('reads strings in single and double quotes with escapes, numbers with decimals and exponents, booleans', () => {
    expect(ev("'it\\'s'")).toBe("it's");
    expect(ev('"a b"')).toBe('a b');
    expect(ev('1.5e2')).toBe(150);
    expect(ev('.5')).toBe(0.5);
    expect(ev('TRUE')).toBe(true);
  });

  it('an empty text is no expression; broken texts throw RuleSyntaxError naming the place', () => {
    expect(parseExpression('')).toBeNull();
    expect(parseExpression('   ')).toBeNull();
    expect(() => parseExpression('#{weight} >')).toThrow(RuleSyntaxError);
    expect(() => parseExpression('(1 + 2')).toThrow(/expected '\)'/);
    expect(() => parseExpression("'open")).toThrow(/unclosed string/);
    expect(() => parseExpression('#{weight')).toThrow(/unclosed #\{/);
    expect(() => parseExpression('1 2')).toThrow(/unexpected text at 2/);
    expect(() => parseExpression('weight > 1')).toThrow(/unknown name 'weight'/);
    expect(() => parseExpression('1 $ 2')).toThrow(/unexpected '\$' at 2/);
  });

  it('variables keep spaces and dots in their names', () => {
    expect(parseExpression('#{empty text}')).toEqual({ k: 'var', ns: '#', name: 'empty text' });
    expect(parseExpression('A{name}')).toEqual({ k: 'var', ns: 'A', name: 'name' });
    expect(parseExpression('d2:hasValue(V{event_date})')).toEqual({ k: 'fn', name: 'd2:hasValue', args: [{ k: 'var', ns: 'V', name: 'event_date' }] });
  });
});

describe('evaluator: values', () => {
  it('types variables by value type, empty ones as 0, false and empty text', () => {
    expect(ev('#{weight}')).toBe(12.5);
    expect(ev('#{age}')).toBe(0);
    expect(ev('#{age} + 1')).toBe(1);
    expect(ev('#{empty text}')).toBe('');
    expect(ev('#{smoker}')).toBe(false);
    expect(ev('#{pregnant}')).toBe(true);
    expect(ev('A{name}')).toBe('Amina Sesay');
    expect(ev('#{dob}')).toBe('2020-02-29');
  });

  it('environment variables and constants; an unknown variable or constant throws, an absent V{} is empty', () => {
    expect(ev('V{event_date}')).toBe('2024-03-15');
    expect(ev('V{event_count} * 2')).toBe(8);
    expect(ev('V{due_date}')).toBe('');
    expect(ev('C{ConstPi0001} * 2')).toBeCloseTo(6.28);
    expect(() => ev('#{nope}')).toThrow(RuleEvalError);
    expect(() => ev('C{Missing0001}')).toThrow(/unknown constant/);
  });

  it('comparisons: numbers as numbers (numeric texts too), dates and texts as text, booleans as booleans', () => {
    expect(ev('#{weight} > 9')).toBe(true);
    expect(ev("'10' > 9")).toBe(true);
    expect(ev("'10' > '9'")).toBe(true);
    expect(ev("'abc' < 'abd'")).toBe(true);
    expect(ev("#{dob} < '2021-01-01'")).toBe(true);
    expect(ev("#{name} == 'Amina Sesay'")).toBe(true);
    expect(ev("#{pregnant} == 'true'")).toBe(true);
    expect(ev('#{smoker} != true')).toBe(true);
    expect(ev('#{weight} == 12.50')).toBe(true);
    expect(ev("#{empty text} == ''")).toBe(true);
  });

  it('arithmetic refuses texts that are no numbers, and division by zero', () => {
    expect(() => ev('#{name} + 1')).toThrow(/is not a number/);
    expect(() => ev('1 / 0')).toThrow(/division by zero/);
  });

  it('a condition is true only for true or the text true; results print as DHIS2 prints them', () => {
    expect(isTrue(true)).toBe(true);
    expect(isTrue('true')).toBe(true);
    expect(isTrue(1)).toBe(false);
    expect(isTrue('yes')).toBe(false);
    expect(toText(5)).toBe('5');
    expect(toText(2.5)).toBe('2.5');
    expect(toText(null)).toBe('');
    expect(toText(false)).toBe('false');
  });
});

describe('evaluator: d2 functions', () => {
  it('d2:hasValue looks at the raw value, not the default', () => {
    expect(ev('d2:hasValue(#{weight})')).toBe(true);
    expect(ev('d2:hasValue(#{age})')).toBe(false);
    expect(ev("d2:hasValue('x')")).toBe(true);
    expect(ev('d2:hasValue(V{due_date})')).toBe(false);
  });

  it('dates: daysBetween, weeksBetween, monthsBetween, yearsBetween, addDays', () => {
    expect(ev("d2:daysBetween('2024-01-01', '2024-03-01')")).toBe(60);
    expect(ev("d2:daysBetween('2024-03-01', '2024-01-01')")).toBe(-60);
    expect(ev("d2:weeksBetween('2024-01-01', '2024-01-20')")).toBe(2);
    expect(ev("d2:monthsBetween('2024-01-31', '2024-02-29')")).toBe(0);
    expect(ev("d2:monthsBetween('2024-01-15', '2024-03-15')")).toBe(2);
    expect(ev("d2:yearsBetween(#{dob}, '2024-02-28')")).toBe(3);
    expect(ev("d2:yearsBetween(#{dob}, '2024-02-29')")).toBe(4);
    expect(ev('d2:addDays(V{event_date}, 20)')).toBe('2024-04-04');
    expect(ev("d2:addDays('2024-03-01', -1)")).toBe('2024-02-29');
    expect(() => ev("d2:daysBetween('soon', '2024-01-01')")).toThrow(/not a date/);
  });

  it('texts: length, left, right, substring, split, concatenate, validatePattern', () => {
    expect(ev('d2:length(#{name})')).toBe(11);
    expect(ev('d2:left(#{name}, 5)')).toBe('Amina');
    expect(ev('d2:right(#{name}, 5)')).toBe('Sesay');
    expect(ev('d2:right(#{name}, 0)')).toBe('');
    expect(ev('d2:substring(#{name}, 6, 9)')).toBe('Ses');
    expect(ev('d2:substring(#{name}, 6, 99)')).toBe('Sesay');
    expect(ev("d2:split('a,b,c', ',', 1)")).toBe('b');
    expect(ev("d2:split('a,b,c', ',', 5)")).toBe('');
    expect(ev("d2:concatenate('w=', #{weight}, '/', 2)")).toBe('w=12.5/2');
    expect(ev("d2:validatePattern('AB123', '[A-Z]{2}[0-9]+')")).toBe(true);
    expect(ev("d2:validatePattern('AB123x', '[A-Z]{2}[0-9]+')")).toBe(false);
  });

  it('numbers: zing, oizp, zpvc, round, floor, ceil, modulus', () => {
    expect(ev('d2:zing(-3)')).toBe(0);
    expect(ev('d2:zing(4)')).toBe(4);
    expect(ev('d2:oizp(0)')).toBe(1);
    expect(ev('d2:oizp(-0.5)')).toBe(0);
    expect(ev("d2:zpvc(1, -2, 0, 'x', 3)")).toBe(3);
    expect(ev('d2:round(2.5)')).toBe(3);
    expect(ev('d2:round(-2.5)')).toBe(-3);
    expect(ev('d2:round(3.14159, 2)')).toBe(3.14);
    expect(ev('d2:floor(2.7)')).toBe(2);
    expect(ev('d2:ceil(2.1)')).toBe(3);
    expect(ev('d2:modulus(17, 5)')).toBe(2);
  });

  it('over all values of a variable: count, countIfValue, countIfZeroPos, maxValue, minValue, lastEventDate', () => {
    expect(ev('d2:count(#{visits})')).toBe(4);
    expect(ev("d2:countIfValue(#{sex}, 'FEMALE')")).toBe(2);
    expect(ev('d2:countIfValue(#{visits}, 0)')).toBe(1);
    expect(ev('d2:countIfZeroPos(#{visits})')).toBe(3);
    expect(ev('d2:maxValue(#{visits})')).toBe(7);
    expect(ev('d2:minValue(#{visits})')).toBe(-1);
    expect(ev('d2:lastEventDate(#{visits})')).toBe('2024-05-01');
    expect(() => ev("d2:count('x')")).toThrow(/takes a variable/);
  });

  it('d2:condition evaluates its text argument; inOrgUnitGroup by uid or code; hasUserRole is false offline', () => {
    expect(ev("d2:condition('#{weight} > 10', 'heavy', 'light')")).toBe('heavy');
    expect(ev("d2:condition('#{weight} > 20', 'heavy', 'light')")).toBe('light');
    expect(ev("d2:inOrgUnitGroup('GrpUrban001')")).toBe(true);
    expect(ev("d2:inOrgUnitGroup('URBAN')")).toBe(true);
    expect(ev("d2:inOrgUnitGroup('RURAL')")).toBe(false);
    expect(ev("d2:hasUserRole('Role0000001')")).toBe(false);
  });

  it('functions DHIS2 has and Ferry has not, and wrong argument counts, throw RuleEvalError', () => {
    expect(() => ev('d2:zScoreWFA(1, 2, 3)')).toThrow(/function not supported: d2:zScoreWFA/);
    expect(() => ev('d2:left(#{name})')).toThrow(/takes 2 arguments, not 1/);
  });
});
