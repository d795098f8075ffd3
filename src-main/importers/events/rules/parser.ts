/**
 * The program rule expression language (DHIS2's rule engine, expression-parser RULE_ENGINE modes), parsed once into
 * a small tree: literals ('text' or "text", numbers, true/false/null), variables `#{name}` (program rule variable),
 * `A{name}` (the same, attribute style), `V{name}` (environment variable), `C{uid}` (constant), `d2:fn(args…)` calls,
 * parentheses, unary `! not - +`, and the binary operators by precedence (low → high): `|| or`, `&& and`,
 * `== !=`, `< > <= >=`, `+ -`, `* / %`, `^` (right-associative). A text that does not parse throws RuleSyntaxError
 * naming where.
 */

export type RuleNode =
  | { k: 'lit'; v: number | string | boolean | null }
  | { k: 'var'; ns: '#' | 'A' | 'V' | 'C'; name: string }
  | { k: 'fn'; name: string; args: RuleNode[] }
  | { k: 'un'; op: '!' | '-' | '+'; a: RuleNode }
  | { k: 'bin'; op: BinOp; a: RuleNode; b: RuleNode };

export type BinOp = '||' | '&&' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%' | '^';

export class RuleSyntaxError extends Error {}

type Tok =
  | { t: 'num'; v: number; at: number }
  | { t: 'str'; v: string; at: number }
  | { t: 'var'; ns: '#' | 'A' | 'V' | 'C'; v: string; at: number }
  | { t: 'id'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '+', '-', '*', '/', '%', '^', '(', ')', ','];

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if ((c === '#' || c === 'A' || c === 'V' || c === 'C') && src[i + 1] === '{') {
      const end = src.indexOf('}', i + 2);
      if (end < 0) throw new RuleSyntaxError(`unclosed ${c}{ at ${at}`);
      out.push({ t: 'var', ns: c, v: src.slice(i + 2, end).trim(), at });
      i = end + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      let s = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new RuleSyntaxError(`unclosed string at ${at}`);
        const d = src[i]!;
        if (d === '\\' && i + 1 < src.length) {
          const e = src[i + 1]!;
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
          continue;
        }
        if (d === c) {
          i++;
          break;
        }
        s += d;
        i++;
      }
      out.push({ t: 'str', v: s, at });
      continue;
    }
    const num = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]), at });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_][A-Za-z0-9_]*)?/.exec(src.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0], at });
      i += id[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ t: 'op', v: op, at });
      i += op.length;
      continue;
    }
    throw new RuleSyntaxError(`unexpected '${c}' at ${at}`);
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

const LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];
const WORD_OPS: Record<string, string> = { or: '||', and: '&&' };

/** Parses an expression; an empty text is null (DHIS2 evaluates an empty condition as false). */
export function parseExpression(src: string | null | undefined): RuleNode | null {
  if (src == null || src.trim() === '') return null;
  const toks = tokenize(src);
  let p = 0;
  const peek = (): Tok => toks[p]!;
  const opOf = (t: Tok): string | null => (t.t === 'op' ? t.v : t.t === 'id' ? (WORD_OPS[t.v.toLowerCase()] ?? null) : null);
  const expect = (v: string): void => {
    const t = peek();
    if (t.t !== 'op' || t.v !== v) throw new RuleSyntaxError(`expected '${v}' at ${t.at}`);
    p++;
  };
  const level = (n: number): RuleNode => {
    if (n === LEVELS.length) return power();
    let a = level(n + 1);
    for (;;) {
      const op = opOf(peek());
      if (!op || !LEVELS[n]!.includes(op)) return a;
      p++;
      a = { k: 'bin', op: op as BinOp, a, b: level(n + 1) };
    }
  };
  const power = (): RuleNode => {
    const a = unary();
    if (opOf(peek()) === '^') {
      p++;
      return { k: 'bin', op: '^', a, b: power() };
    }
    return a;
  };
  const unary = (): RuleNode => {
    const t = peek();
    const op = opOf(t) ?? (t.t === 'id' && t.v.toLowerCase() === 'not' ? '!' : null);
    if (op === '!' || op === '-' || op === '+') {
      p++;
      return { k: 'un', op, a: unary() };
    }
    return primary();
  };
  const primary = (): RuleNode => {
    const t = peek();
    p++;
    switch (t.t) {
      case 'num':
        return { k: 'lit', v: t.v };
      case 'str':
        return { k: 'lit', v: t.v };
      case 'var':
        return { k: 'var', ns: t.ns, name: t.v };
      case 'id': {
        const w = t.v.toLowerCase();
        if (w === 'true' || w === 'false') return { k: 'lit', v: w === 'true' };
        if (w === 'null') return { k: 'lit', v: null };
        if (peek().t === 'op' && (peek() as { v: string }).v === '(') {
          p++;
          const args: RuleNode[] = [];
          if (!(peek().t === 'op' && (peek() as { v: string }).v === ')')) {
            for (;;) {
              args.push(level(0));
              if (peek().t === 'op' && (peek() as { v: string }).v === ',') {
                p++;
                continue;
              }
              break;
            }
          }
          expect(')');
          return { k: 'fn', name: t.v, args };
        }
        throw new RuleSyntaxError(`unknown name '${t.v}' at ${t.at}`);
      }
      case 'op':
        if (t.v === '(') {
          const e = level(0);
          expect(')');
          return e;
        }
        throw new RuleSyntaxError(`unexpected '${t.v}' at ${t.at}`);
      case 'end':
        throw new RuleSyntaxError('unexpected end of expression');
    }
  };
  const e = level(0);
  if (peek().t !== 'end') throw new RuleSyntaxError(`unexpected text at ${peek().at}`);
  return e;
}
