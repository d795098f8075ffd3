/**
 * DHIS2's expression language as its ExpressionService checks an INDICATOR_EXPRESSION (`expressionIsValid`): the
 * grammar of dhis2-antlr-expression-parser 1.0.39 (the version dhis2-core master uses), its lexer's rule (longest
 * match; on a tie, literal tokens first, then the lexer rules in the grammar's order), the items and functions an
 * indicator expression may hold (DefaultExpressionService's INDICATOR_EXPRESSION_ITEMS), the casts the operators
 * make while DHIS2 visits the expression for its description, and the objects its items name — which DHIS2 looks
 * up in the database: `validateIndicatorExpression` returns them and the caller decides whether they are stored.
 *
 * Known approximations: item values count as any type (DHIS2 substitutes a value of the item's value type, so a text
 * data element in arithmetic is refused there and accepted here); an `aggregationType(…)` name is not checked against
 * DHIS2's AggregationType enum; program variables written outside `V{…}` are read as plain identifiers (refused
 * either way).
 */

/** An object an expression item names, by type (DXF2 plural key) and uid. */
export interface ExpressionRef {
  type: string;
  uid: string;
}

export type ExpressionCheck = { ok: true; refs: ExpressionRef[] } | { ok: false; reason: string };

// ------------------------------------------------------------------------------------------------------ lexer
interface Tok {
  /** the literal itself for literal tokens, else the lexer rule's name */
  k: string;
  t: string;
}

/** Literal tokens an indicator expression may use. */
const LITERALS = [
  '(', ')', ',', '^', '+', '-', '*', '/', '%', '<', '>', '<=', '>=', '==', '!=', '!', '&&', '||', 'not', 'and', 'or', 'in',
  'null', '.', '.*', '.*.', '}', '#{', 'A{', 'C{', 'D{', 'I{', 'N{', 'OUG{', 'R{', '[days]', '[periodInYear]',
  '[yearlyPeriodCount]', '.aggregationType(', '.maxDate(', '.minDate(', '.periodOffset(', '.yearToDate()', 'contains(',
  'containsItems(', 'firstNonNull(', 'greatest(', 'if(', 'is(', 'isNotNull(', 'isNull(', 'least(', 'log(', 'log10(',
  'removeZeros(', 'subExpression(',
];

/** Literal tokens of the grammar whose items or functions an indicator expression may not hold. */
const UNSUPPORTED = [
  '.stageOffset(', 'normDistCum(', 'normDistDen(', 'orgUnit.ancestor(', 'orgUnit.dataSet(', 'orgUnit.group(', 'orgUnit.program(',
  'avg(', 'count(', 'max(', 'median(', 'min(', 'percentileCont(', 'stddev(', 'stddevPop(', 'stddevSamp(', 'sum(', 'variance(',
  'distinct', 'V{', 'X{', 'PS_EVENTDATE:',
];

const UID = '[a-zA-Z][a-zA-Z0-9]{10}';
const ESC = `\\\\(?:[btnfr"'\\\\]|[0-3]?[0-7]?[0-7]|u+[0-9a-fA-F]{4})`;
/** The lexer rules, in the grammar's order. */
const RULES: [string, RegExp][] = [
  ['D2', /d2:[a-zA-Z]+\(/y], // the program functions (literal tokens, none of them an indicator's)
  ['RRT', /REPORTING_RATE_ON_TIME|REPORTING_RATE|ACTUAL_REPORTS_ON_TIME|ACTUAL_REPORTS|EXPECTED_REPORTS/y],
  ['INT', /0|[1-9][0-9]*/y],
  ['NUM', /(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?/y],
  ['BOOL', /true|false/y],
  ['DATE', /[1-9][0-9]{3}-[0-1]?[0-9]-[0-3]?[0-9]/y],
  ['QUID', new RegExp(`'${UID}'|"${UID}"`, 'y')],
  ['STR', new RegExp(`'(?:[^'\\\\\\r\\n]|${ESC})*'|"(?:[^"\\\\\\r\\n]|${ESC})*"`, 'y')],
  ['UID', new RegExp(UID, 'y')],
  ['TUID0', new RegExp(`deGroup:${UID}`, 'y')],
  ['TUID1', new RegExp(`co:${UID}|coGroup:${UID}(?:&${UID})*`, 'y')],
  ['IDENT', /[a-zA-Z_]+/y],
  ['WS', /[ \t\n\r]+/y],
  ['COMMENT', /\/\*[\s\S]*?\*\//y],
];

class Invalid extends Error {}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    let best: Tok | null = null;
    for (const l of LITERALS) if (src.startsWith(l, i) && (!best || l.length > best.t.length)) best = { k: l, t: l };
    for (const l of UNSUPPORTED) if (src.startsWith(l, i) && (!best || l.length > best.t.length)) best = { k: 'UNSUPPORTED', t: l };
    for (const [k, re] of RULES) {
      re.lastIndex = i;
      const m = re.exec(src);
      if (m && m[0].length && (!best || m[0].length > best.t.length)) best = { k: k === 'D2' ? 'UNSUPPORTED' : k, t: m[0] };
    }
    if (!best) throw new Invalid(`unexpected character '${src[i]}'`);
    if (best.k !== 'COMMENT') out.push(best);
    i += best.t.length;
  }
  return out;
}

// ----------------------------------------------------------------------------------------------------- parser
/** What a subexpression is known to give: a number, a boolean, a text that is not a number, or anything. */
type Kind = 'num' | 'bool' | 'str' | 'any';

/** Java's Double.parseDouble on a text (the casts DHIS2 makes). */
const numericText = (s: string): boolean => /^[\s]*[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)[\s]*$/.test(s);

/** The text of a string literal (escapes resolved enough to tell whether it is a number). */
const literalText = (t: string): string => t.slice(1, -1).replace(/\\(.)/g, '$1');

class Parser {
  private i = 0;
  readonly refs: ExpressionRef[] = [];
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }

  private ws(): boolean {
    const start = this.i;
    while (this.toks[this.i]?.k === 'WS') this.i++;
    return this.i > start;
  }

  private next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new Invalid('unexpected end of expression');
    return t;
  }

  private expect(...kinds: string[]): Tok {
    const t = this.next();
    if (!kinds.includes(t.k)) throw new Invalid(`expected ${kinds.join(' or ')} but found '${t.t}'`);
    return t;
  }

  private at(...kinds: string[]): boolean {
    const t = this.peek();
    return !!t && kinds.includes(t.k);
  }

  /** castDouble: a boolean or a text that is not a number cannot be one. */
  private num(k: Kind): void {
    if (k === 'bool' || k === 'str') throw new Invalid('a number was expected');
  }

  /** castBoolean: a number cannot be a boolean. */
  private bool(k: Kind): void {
    if (k === 'num') throw new Invalid('a boolean was expected');
  }

  parse(): Kind {
    this.ws();
    const k = this.or();
    this.ws();
    if (this.i < this.toks.length) throw new Invalid(`unexpected '${this.peek()!.t}'`);
    return k;
  }

  private binary(ops: string[], operand: () => Kind, combine: (l: Kind, r: Kind) => Kind): Kind {
    let l = operand();
    for (;;) {
      const save = this.i;
      this.ws();
      if (!this.at(...ops)) {
        this.i = save;
        return l;
      }
      this.next();
      const r = operand();
      l = combine(l, r);
    }
  }

  private or(): Kind {
    return this.binary(['||', 'or'], () => this.and(), (l, r) => (this.bool(l), this.bool(r), 'bool'));
  }

  private and(): Kind {
    return this.binary(['&&', 'and'], () => this.eq(), (l, r) => (this.bool(l), this.bool(r), 'bool'));
  }

  private compare(l: Kind, r: Kind): Kind {
    if ((l === 'num' && r === 'bool') || (l === 'bool' && r === 'num')) throw new Invalid('a number cannot be compared with a boolean');
    return 'bool';
  }

  private eq(): Kind {
    return this.binary(['==', '!='], () => this.cmp(), (l, r) => this.compare(l, r));
  }

  private cmp(): Kind {
    return this.binary(['<', '>', '<=', '>='], () => this.add(), (l, r) => this.compare(l, r));
  }

  private arith(l: Kind, r: Kind): Kind {
    this.num(l);
    this.num(r);
    return 'num';
  }

  private add(): Kind {
    return this.binary(['+', '-'], () => this.mul(), (l, r) => this.arith(l, r));
  }

  private mul(): Kind {
    return this.binary(['*', '/', '%'], () => this.unary(), (l, r) => this.arith(l, r));
  }

  private unary(): Kind {
    this.ws();
    if (this.at('+', '-')) {
      this.next();
      this.num(this.unary());
      return 'num';
    }
    if (this.at('!', 'not')) {
      this.next();
      this.bool(this.unary());
      return 'bool';
    }
    return this.pow();
  }

  private pow(): Kind {
    const base = this.postfix();
    const save = this.i;
    this.ws();
    if (!this.at('^')) {
      this.i = save;
      return base;
    }
    this.next();
    return this.arith(base, this.unary());
  }

  private postfix(): Kind {
    const k = this.primary();
    for (;;) {
      const save = this.i;
      this.ws();
      const t = this.peek();
      if (t?.k === '.aggregationType(') {
        this.next();
        this.ws();
        this.expect('IDENT');
        this.ws();
        this.expect(')');
      } else if (t?.k === '.maxDate(' || t?.k === '.minDate(') {
        this.next();
        this.ws();
        this.expect('DATE');
        this.ws();
        this.expect(')');
      } else if (t?.k === '.periodOffset(') {
        this.next();
        this.ws();
        if (this.at('+', '-')) this.next();
        this.expect('INT');
        this.ws();
        this.expect(')');
      } else if (t?.k === '.yearToDate()') {
        this.next();
      } else if (t?.k === 'UNSUPPORTED') {
        throw new Invalid(`${t.t} is not supported in an indicator expression`);
      } else {
        this.i = save;
        return k;
      }
    }
  }

  /** `expr (',' expr)*` up to the closing parenthesis: the kinds of the arguments. */
  private args(): Kind[] {
    const out = [this.or()];
    for (;;) {
      this.ws();
      const t = this.expect(',', ')');
      if (t.k === ')') return out;
      out.push(this.or());
    }
  }

  private arity(name: string, args: Kind[], min: number, max: number): Kind[] {
    if (args.length < min || args.length > max) throw new Invalid(`${name} takes ${min === max ? min : `${min} to ${max}`} arguments`);
    return args;
  }

  private ref(type: string, uid: string): void {
    this.refs.push({ type, uid });
  }

  private primary(): Kind {
    this.ws();
    const t = this.next();
    switch (t.k) {
      case '(': {
        const k = this.or();
        this.ws();
        this.expect(')');
        return k;
      }
      case 'contains(':
      case 'containsItems(':
        this.arity(t.k, this.args(), 2, Infinity);
        return 'bool';
      case 'firstNonNull(':
        this.args();
        return 'any';
      case 'greatest(':
      case 'least(':
        for (const a of this.args()) this.num(a);
        return 'num';
      case 'if(': {
        const [c, a, b] = this.arity(t.k, this.args(), 3, 3);
        this.bool(c!);
        return a === b ? a! : 'any';
      }
      case 'is(': {
        this.or();
        if (!this.ws()) throw new Invalid("'in' must follow a space");
        this.expect('in');
        if (!this.ws()) throw new Invalid("'in' must be followed by a space");
        this.args();
        return 'bool';
      }
      case 'isNull(':
      case 'isNotNull(':
        this.arity(t.k, this.args(), 1, 1);
        return 'bool';
      case 'log(':
        for (const a of this.arity(t.k, this.args(), 1, 2)) this.num(a);
        return 'num';
      case 'log10(':
        this.num(this.arity(t.k, this.args(), 1, 1)[0]!);
        return 'num';
      case 'removeZeros(':
      case 'subExpression(':
        return this.arity(t.k, this.args(), 1, 1)[0]!;
      case '#{':
        this.dataItem();
        return 'any';
      case 'A{':
        this.ref('programs', this.expect('UID').t);
        this.expect('.');
        this.ref('trackedEntityAttributes', this.expect('UID').t);
        this.expect('}');
        return 'any';
      case 'D{':
        this.ref('programs', this.expect('UID').t);
        this.expect('.');
        this.ref('dataElements', this.expect('UID').t);
        this.expect('}');
        return 'any';
      case 'C{':
      case 'I{':
      case 'N{':
      case 'OUG{':
        this.ref({ 'C{': 'constants', 'I{': 'programIndicators', 'N{': 'indicators', 'OUG{': 'organisationUnitGroups' }[t.k], this.expect('UID').t);
        this.expect('}');
        return 'num';
      case 'R{':
        this.ref('dataSets', this.expect('UID').t);
        this.expect('.');
        this.expect('RRT');
        this.expect('}');
        return 'num';
      case '[days]':
      case '[periodInYear]':
      case '[yearlyPeriodCount]':
      case 'INT':
      case 'NUM':
        return 'num';
      case 'null':
        return 'any';
      case 'BOOL':
        return 'bool';
      case 'STR':
      case 'QUID':
        return numericText(literalText(t.t)) ? 'any' : 'str';
      case 'UNSUPPORTED':
        throw new Invalid(`${t.t} is not supported in an indicator expression`);
      default:
        throw new Invalid(`unexpected '${t.t}'`);
    }
  }

  /**
   * `#{…}`: a data element or an operand (option combo, attribute option combo, wildcards), all of which must exist
   * (DataDimensionExtractor). The grammar's tagged uids (`deGroup:`, `co:`, `coGroup:`) are read by predictors only:
   * in an indicator expression DHIS2 looks the tagged text up as a uid and finds nothing.
   */
  private dataItem(): void {
    const t0 = this.expect('UID', 'TUID0');
    if (t0.k === 'TUID0') throw new Invalid(`no data element ${t0.t}`);
    this.ref('dataElements', t0.t);
    const t = this.expect('}', '.*', '.*.', '.');
    if (t.k === '}') return;
    if (t.k === '.*') {
      this.expect('}');
      return;
    }
    if (t.k === '.*.') {
      this.ref('categoryOptionCombos', this.expect('UID').t);
      this.expect('}');
      return;
    }
    const t1 = this.expect('UID', 'TUID1');
    if (t1.k === 'TUID1') throw new Invalid(`no category option combo ${t1.t}`);
    this.ref('categoryOptionCombos', t1.t);
    const t2 = this.expect('}', '.*', '.');
    if (t2.k === '.*') this.expect('}');
    else if (t2.k === '.') {
      this.ref('categoryOptionCombos', this.expect('UID').t);
      this.expect('}');
    }
  }
}

/**
 * Whether DHIS2 can parse an indicator expression, before looking its items up: a blank expression (or the text
 * `null`) is not valid; neither is one the grammar refuses, one with an item or function indicators do not support,
 * or one whose result cannot be a number. When it parses, the objects its items name are returned (all must exist).
 */
export function validateIndicatorExpression(expression: string | null | undefined): ExpressionCheck {
  if (expression == null || expression.trim() === '' || expression.trim().toLowerCase() === 'null') return { ok: false, reason: 'empty' };
  try {
    const p = new Parser(lex(expression));
    const k = p.parse();
    if (k === 'bool' || k === 'str') throw new Invalid('the expression does not give a number');
    return { ok: true, refs: p.refs };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    throw e;
  }
}
