import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { AppError, toSerializedError } from '../../src-shared/errors.ts';
import { localizedMessage } from '../../src-shared/i18n/error-messages.ts';
import { englishError, ferryError } from '../../src-shared/keyed-errors.ts';
import { createI18n } from '../../src-shared/i18n/create.ts';
import { resources } from '../../src-shared/i18n/catalogue.ts';

/**
 * The messages the engine composes travel as a key and parameters beside their English text, and every door says
 * them in its language; the engine composes no message outside the errors catalogue (the scan below).
 */

const root = path.resolve(__dirname, '../..');

describe('engine messages by key', () => {
  it('ferryError keeps the English message and carries the key and parameters', () => {
    const e = ferryError('BAD_FILE', 'xml.malformed', { file: 'clinic-3.xml', line: 3, detail: 'unclosed tag: dataValue' }, { file: 'clinic-3.xml', line: 3 });
    expect(e).toBeInstanceOf(AppError);
    expect(e.message).toBe('clinic-3.xml, line 3: malformed XML (unclosed tag: dataValue)');
    expect(toSerializedError(e)).toEqual({
      code: 'BAD_FILE',
      message: 'clinic-3.xml, line 3: malformed XML (unclosed tag: dataValue)',
      details: { file: 'clinic-3.xml', line: 3, messageKey: 'xml.malformed', messageParams: { file: 'clinic-3.xml', line: 3, detail: 'unclosed tag: dataValue' } },
    });
  });

  it('each door says it in its language, and falls back to the English for a key it does not know', () => {
    const e = toSerializedError(ferryError('BAD_FILE', 'file.emptyDecompressed', { file: 'a.csv.gz' }, { file: 'a.csv.gz' }));
    expect(localizedMessage(createI18n('en'), e)).toBe('a.csv.gz: the file is empty once decompressed');
    expect(localizedMessage(createI18n('fr'), e)).toBe('a.csv.gz : le fichier est vide une fois décompressé');
    expect(localizedMessage(createI18n('pt'), e)).toBe('a.csv.gz: o ficheiro está vazio depois de descomprimido');
    const unknown = { message: 'as it came', details: { messageKey: 'no.such.key', messageParams: {} } };
    expect(localizedMessage(createI18n('fr'), unknown)).toBe('as it came');
    expect(localizedMessage(createI18n('fr'), { message: 'no key at all' })).toBe('no key at all');
  });

  it('every English message renders without a {{placeholder}} left when given its variables', () => {
    const en = resources.en.errors as Record<string, string>;
    for (const [k, v] of Object.entries(en)) {
      const params: Record<string, string | number> = { count: 2 };
      for (const m of v.matchAll(/\{\{\s*(\w+)/g)) params[m[1]!] ??= 7;
      const key = k.replace(/_(zero|one|two|few|many|other)$/, '') as Parameters<typeof englishError>[0];
      const text = englishError(key, params);
      expect(text, k).not.toMatch(/\{\{|\$t\(/);
      for (const l of ['fr', 'pt'] as const) expect(localizedMessage(createI18n(l), { message: text, details: { messageKey: key, messageParams: params } }), `${l} ${k}`).not.toMatch(/\{\{|\$t\(/);
    }
  });
});

/**
 * The engine's own sentences: a `new AppError(code, '…')` whose message is written in place (a string or a template)
 * is English that no language can change. None is left in src-main: every message is a key of the errors catalogue.
 */
describe('no engine message outside the errors catalogue', () => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name)) files.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, 'src-main'));

  const literalMessages = (file: string, text = fs.readFileSync(path.join(root, file), 'utf8')): string[] => {
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const found: string[] = [];
    const composed = (n: ts.Node): boolean =>
      ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n) || (ts.isBinaryExpression(n) && (composed(n.left) || composed(n.right))) || (ts.isConditionalExpression(n) && (composed(n.whenTrue) || composed(n.whenFalse))) || (ts.isParenthesizedExpression(n) && composed(n.expression));
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'AppError') {
        const msg = n.arguments?.[1];
        if (msg && composed(msg)) found.push(`${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    return found;
  };

  it('every AppError message is a key of the errors catalogue (ferryError)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => literalMessages(f))).toEqual([]);
  });

  it('the scan sees a message written in place', () => {
    expect(literalMessages('probe.ts', "throw new AppError('BAD_FILE', `${name}: the file is empty`);\nthrow ferryError('BAD_FILE', 'file.empty', { file: name });\n")).toEqual(['probe.ts:1']);
  });
});
