/**
 * Evaluates a parsed program rule expression (parser.ts) against the values of one tracker object, as DHIS2's rule
 * engine does offline:
 *  - `#{var}` / `A{var}`: a program rule variable's value typed by its value type — NUMERIC as a number, BOOLEAN as a
 *    boolean, DATE and TEXT as text — and an empty one as DHIS2's default for the type (0, false, '');
 *    `V{name}` an environment variable (event_date, current_date, org_unit, event_count …), `C{uid}` a constant;
 *  - `+ - * / % ^` on numbers (texts that hold numbers count as numbers), comparisons numeric when both sides are
 *    numbers, else as text (ISO dates compare as text), `&& || !` on booleans (the text 'true' is true);
 *  - the d2: functions DHIS2 documents for program rules, with d2:hasUserRole false (no users offline). A function
 *    DHIS2 has and Ferry has not (z-scores, data matrix) throws RuleEvalError: the rule is skipped with a warning.
 * The result of a condition counts as true only when it is true or the text 'true' (DHIS2's toString().toBoolean()).
 */
import { parseExpression, type RuleNode } from './parser.ts';

export type RuleValueType = 'NUMERIC' | 'BOOLEAN' | 'DATE' | 'TEXT';
export type Value = number | string | boolean | null;

/** A variable's value as the rule engine holds it: text, its type, every value it took (all events), and when. */
export interface VariableValue {
  type: RuleValueType;
  value: string | null;
  candidates: string[];
  eventDate: string | null;
}

export interface EvalContext {
  /** program rule variables by name (calculated values included, changed by ASSIGN actions as rules run) */
  variables: Map<string, VariableValue>;
  /** environment variables V{…} by name */
  env: Map<string, VariableValue>;
  /** constants C{uid} */
  constants: Map<string, number>;
  /** whether the object's org unit is in the org unit group of that uid or code (d2:inOrgUnitGroup) */
  inOrgUnitGroup?: (group: string) => boolean;
}

export class RuleEvalError extends Error {}

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** The value of a variable as an expression sees it: typed, and DHIS2's default when empty. */
export function typedValue(v: VariableValue): Value {
  const raw = v.value;
  switch (v.type) {
    case 'NUMERIC':
      if (raw == null || raw === '') return 0;
      return NUMERIC_TEXT.test(raw) ? Number(raw) : raw;
    case 'BOOLEAN':
      return raw == null || raw === '' ? false : raw.trim().toLowerCase() === 'true';
    default:
      return raw ?? '';
  }
}

export function toNumber(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v == null || v === '') return 0;
  if (NUMERIC_TEXT.test(v)) return Number(v);
  throw new RuleEvalError(`'${v}' is not a number`);
}

export function toBool(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v == null) return false;
  return v.trim().toLowerCase() === 'true';
}

/** A value as text, as DHIS2 prints a result: whole numbers without decimals. */
export function toText(v: Value): string {
  if (v == null) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return String(v);
    return Number.isInteger(v) ? String(v) : String(v);
  }
  return String(v);
}

/** A condition's result: true only for true or the text 'true'. */
export function isTrue(v: Value): boolean {
  return v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
}

const isNumeric = (v: Value): boolean => typeof v === 'number' || (typeof v === 'string' && NUMERIC_TEXT.test(v));

function compare(a: Value, b: Value): number {
  if (isNumeric(a) && isNumeric(b)) return toNumber(a) - toNumber(b);
  const x = toText(a);
  const y = toText(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function equal(a: Value, b: Value): boolean {
  if (typeof a === 'boolean' || typeof b === 'boolean') return toBool(a) === toBool(b);
  if (a == null || b == null) return (a ?? '') === (b ?? '');
  if ((typeof a === 'number' || typeof b === 'number') && isNumeric(a) && isNumeric(b)) return toNumber(a) === toNumber(b);
  return toText(a) === toText(b);
}

// ---------------------------------------------------------------- dates

const DAY = 86_400_000;

function dayOf(v: Value): number {
  const s = toText(v).trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) throw new RuleEvalError(`'${s}' is not a date`);
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) / DAY;
}

const isoDay = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);

function monthsBetween(a: Value, b: Value): number {
  const s = new Date(dayOf(a) * DAY);
  const e = new Date(dayOf(b) * DAY);
  let m = (e.getUTCFullYear() - s.getUTCFullYear()) * 12 + (e.getUTCMonth() - s.getUTCMonth());
  if (m > 0 && e.getUTCDate() < s.getUTCDate()) m--;
  else if (m < 0 && e.getUTCDate() > s.getUTCDate()) m++;
  return m;
}

// ---------------------------------------------------------------- evaluation

const conditionCache = new Map<string, RuleNode | null>();

function variableOf(node: RuleNode, ctx: EvalContext): VariableValue | undefined {
  if (node.k !== 'var') return undefined;
  return node.ns === 'V' ? ctx.env.get(node.name) : ctx.variables.get(node.name);
}

function needVariable(fn: string, node: RuleNode | undefined, ctx: EvalContext): VariableValue {
  if (!node || node.k !== 'var' || node.ns === 'C') throw new RuleEvalError(`${fn} takes a variable`);
  const v = variableOf(node, ctx);
  if (!v) throw new RuleEvalError(`unknown variable ${node.ns}{${node.name}}`);
  return v;
}

function arity(fn: string, args: RuleNode[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw new RuleEvalError(`${fn} takes ${min === max ? min : `${min} to ${max}`} arguments, not ${args.length}`);
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const y = Math.round(Math.abs(x) * f) / f;
  return x < 0 ? -y : y;
}

function call(name: string, args: RuleNode[], ctx: EvalContext): Value {
  const fn = name.startsWith('d2:') ? name.slice(3) : name;
  const ev = (i: number): Value => evaluate(args[i]!, ctx);
  const num = (i: number): number => toNumber(ev(i));
  const text = (i: number): string => toText(ev(i));
  switch (fn) {
    case 'hasValue': {
      arity(name, args, 1);
      const v = variableOf(args[0]!, ctx);
      if (args[0]!.k === 'var' && args[0]!.ns !== 'C') return v != null && v.value != null && v.value !== '';
      const x = ev(0);
      return x != null && x !== '';
    }
    case 'daysBetween':
      arity(name, args, 2);
      return dayOf(ev(1)) - dayOf(ev(0));
    case 'weeksBetween':
      arity(name, args, 2);
      return Math.trunc((dayOf(ev(1)) - dayOf(ev(0))) / 7);
    case 'monthsBetween':
      arity(name, args, 2);
      return monthsBetween(ev(0), ev(1));
    case 'yearsBetween':
      arity(name, args, 2);
      return Math.trunc(monthsBetween(ev(0), ev(1)) / 12);
    case 'addDays':
      arity(name, args, 2);
      return isoDay(dayOf(ev(0)) + Math.trunc(num(1)));
    case 'length':
      arity(name, args, 1);
      return text(0).length;
    case 'left': {
      arity(name, args, 2);
      const s = text(0);
      return s.slice(0, Math.max(0, Math.min(s.length, Math.trunc(num(1)))));
    }
    case 'right': {
      arity(name, args, 2);
      const s = text(0);
      const n = Math.max(0, Math.min(s.length, Math.trunc(num(1))));
      return n === 0 ? '' : s.slice(s.length - n);
    }
    case 'substring': {
      arity(name, args, 3);
      const s = text(0);
      const start = Math.max(0, Math.min(s.length, Math.trunc(num(1))));
      const end = Math.max(start, Math.min(s.length, Math.trunc(num(2))));
      return s.slice(start, end);
    }
    case 'split': {
      arity(name, args, 3);
      const parts = text(0).split(text(1));
      return parts[Math.trunc(num(2))] ?? '';
    }
    case 'concatenate':
      return args.map((_, i) => text(i)).join('');
    case 'condition': {
      arity(name, args, 3);
      const src = text(0);
      let node = conditionCache.get(src);
      if (node === undefined) conditionCache.set(src, (node = parseExpression(src)));
      return node && isTrue(evaluate(node, ctx)) ? ev(1) : ev(2);
    }
    case 'zing': {
      arity(name, args, 1);
      const x = num(0);
      return x < 0 ? 0 : x;
    }
    case 'oizp':
      arity(name, args, 1);
      return num(0) >= 0 ? 1 : 0;
    case 'zpvc':
      return args.reduce((n, _, i) => {
        const v = ev(i);
        return n + (isNumeric(v) && toNumber(v) >= 0 ? 1 : 0);
      }, 0);
    case 'round':
      arity(name, args, 1, 2);
      return round(num(0), args.length > 1 ? Math.trunc(num(1)) : 0);
    case 'floor':
      arity(name, args, 1);
      return Math.floor(num(0));
    case 'ceil':
      arity(name, args, 1);
      return Math.ceil(num(0));
    case 'modulus':
      arity(name, args, 2);
      return num(0) % num(1);
    case 'count':
      arity(name, args, 1);
      return needVariable(name, args[0], ctx).candidates.length;
    case 'countIfValue': {
      arity(name, args, 2);
      const v = needVariable(name, args[0], ctx);
      const want = ev(1);
      return v.candidates.filter((c) => equal(c, want)).length;
    }
    case 'countIfZeroPos':
      arity(name, args, 1);
      return needVariable(name, args[0], ctx).candidates.filter((c) => NUMERIC_TEXT.test(c) && Number(c) >= 0).length;
    case 'maxValue':
    case 'minValue': {
      arity(name, args, 1);
      const nums = needVariable(name, args[0], ctx).candidates.filter((c) => NUMERIC_TEXT.test(c)).map(Number);
      if (!nums.length) return null;
      return fn === 'maxValue' ? Math.max(...nums) : Math.min(...nums);
    }
    case 'lastEventDate':
      arity(name, args, 1);
      return needVariable(name, args[0], ctx).eventDate ?? '';
    case 'validatePattern': {
      arity(name, args, 2);
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${text(1)})$`);
      } catch {
        throw new RuleEvalError(`invalid pattern ${text(1)}`);
      }
      return re.test(text(0));
    }
    case 'inOrgUnitGroup':
      arity(name, args, 1);
      return ctx.inOrgUnitGroup ? ctx.inOrgUnitGroup(text(0)) : false;
    case 'hasUserRole':
      arity(name, args, 1);
      return false;
    default:
      throw new RuleEvalError(`function not supported: ${name}`);
  }
}

export function evaluate(node: RuleNode, ctx: EvalContext): Value {
  switch (node.k) {
    case 'lit':
      return node.v;
    case 'var': {
      if (node.ns === 'C') {
        const c = ctx.constants.get(node.name);
        if (c === undefined) throw new RuleEvalError(`unknown constant C{${node.name}}`);
        return c;
      }
      const v = variableOf(node, ctx);
      if (!v) {
        // an environment variable without a value here (V{due_date} of an event without one): empty
        if (node.ns === 'V') return '';
        throw new RuleEvalError(`unknown variable ${node.ns}{${node.name}}`);
      }
      return typedValue(v);
    }
    case 'fn':
      return call(node.name, node.args, ctx);
    case 'un': {
      const a = evaluate(node.a, ctx);
      if (node.op === '!') return !toBool(a);
      return node.op === '-' ? -toNumber(a) : toNumber(a);
    }
    case 'bin': {
      const op = node.op;
      if (op === '&&') return toBool(evaluate(node.a, ctx)) && toBool(evaluate(node.b, ctx));
      if (op === '||') return toBool(evaluate(node.a, ctx)) || toBool(evaluate(node.b, ctx));
      const a = evaluate(node.a, ctx);
      const b = evaluate(node.b, ctx);
      switch (op) {
        case '==':
          return equal(a, b);
        case '!=':
          return !equal(a, b);
        case '<':
          return compare(a, b) < 0;
        case '>':
          return compare(a, b) > 0;
        case '<=':
          return compare(a, b) <= 0;
        case '>=':
          return compare(a, b) >= 0;
        case '+':
          return toNumber(a) + toNumber(b);
        case '-':
          return toNumber(a) - toNumber(b);
        case '*':
          return toNumber(a) * toNumber(b);
        case '/': {
          const d = toNumber(b);
          if (d === 0) throw new RuleEvalError('division by zero');
          return toNumber(a) / d;
        }
        case '%':
          return toNumber(a) % toNumber(b);
        case '^':
          return toNumber(a) ** toNumber(b);
      }
    }
  }
}
