import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { NAMESPACES, resources } from '../../src-shared/i18n/catalogue.ts';
import { createI18n } from '../../src-shared/i18n/create.ts';
import { FORMATS } from '../../src-main/formats/registry.ts';
import { LANGUAGES, languageOfLocale, pickLanguage, type Language } from '../../src-shared/i18n/languages.ts';

/**
 * The message catalogues are complete: every English key is in French and Portuguese with each plural form the
 * language needs (CLDR: French and Portuguese say "1 000 000 de fichiers", a "many" form English lacks) and the same
 * {{variables}}; and the screens hold no English text outside the catalogues.
 */

const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (k: string): string => k.replace(PLURAL, '');
const vars = (s: string): string[] => [...new Set([...s.matchAll(/\{\{\s*([\w.]+)/g)].map((m) => m[1]!))].sort();

describe('message catalogues', () => {
  const translations = LANGUAGES.map((l) => l.code).filter((l) => l !== 'en');

  for (const lang of translations) {
    for (const ns of NAMESPACES) {
      it(`${lang}/${ns}.json has every English message, each plural form and the same {{variables}}`, () => {
        const en = resources.en[ns];
        const tr = resources[lang][ns];
        const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
        const problems: string[] = [];
        const enBases = new Map<string, string[]>();
        for (const k of Object.keys(en)) enBases.set(base(k), [...(enBases.get(base(k)) ?? []), k]);
        for (const [b, keys] of enBases) {
          const plural = keys.some((k) => PLURAL.test(k));
          const wanted = plural ? categories.map((c) => `${b}_${c}`) : [b];
          const enVars = vars(keys.map((k) => en[k]!).join(' '));
          for (const k of wanted) {
            const v = tr[k];
            if (v === undefined) problems.push(`missing ${k}`);
            else if (!v.trim()) problems.push(`empty ${k}`);
            else {
              const missingVars = enVars.filter((x) => x !== 'count' && !vars(v).includes(x));
              if (missingVars.length) problems.push(`${k} lacks {{${missingVars.join('}}, {{')}}}`);
            }
          }
        }
        for (const k of Object.keys(tr)) if (!enBases.has(base(k))) problems.push(`${k} is not an English key`);
        for (const [k, v] of Object.entries(tr)) {
          const extra = vars(v).filter((x) => !vars(Object.entries(en).filter(([ek]) => base(ek) === base(k)).map(([, ev]) => ev).join(' ')).includes(x));
          if (extra.length) problems.push(`${k} uses {{${extra.join('}}, {{')}}}, which English never passes`);
        }
        expect(problems).toEqual([]);
      });
    }
  }

  it('counts are written the language’s way, with its plural forms', () => {
    const t = (l: Language, n: number): string => createI18n(l).t('common:files', { count: n });
    expect([t('en', 1), t('en', 1234567)]).toEqual(['1 file', '1,234,567 files']);
    expect([t('fr', 1), t('fr', 2), t('fr', 1_000_000)].map((s) => s.replace(/\s/g, ' '))).toEqual(['1 fichier', '2 fichiers', '1 000 000 de fichiers']);
    // European Portuguese (pt-PT rules, not CLDR's Brazilian 'pt'): zero is plural, thousands grouped by spaces
    expect([t('pt', 0), t('pt', 1), t('pt', 2), t('pt', 1_234_567), t('pt', 1_000_000)].map((s) => s.replace(/\s/g, ' '))).toEqual([
      '0 ficheiros',
      '1 ficheiro',
      '2 ficheiros',
      '1 234 567 ficheiros',
      '1 000 000 de ficheiros',
    ]);
  });

  it('every registered format has its name in the catalogue (the screens\' format choices)', () => {
    const missing = FORMATS.map((f) => `format.${f.id}`).filter((k) => !(k in resources.en.app));
    expect(missing).toEqual([]);
    const t = createI18n('fr').t;
    expect(t('app:format.pdf-form')).toBe('Formulaire de saisie PDF');
  });

  it('a language is chosen from a locale name, English when Ferry does not speak it', () => {
    expect(['fr_FR.UTF-8', 'pt-BR', 'fr_CA@euro', 'C', 'de_DE', '', undefined].map((l) => languageOfLocale(l))).toEqual(['fr', 'pt', 'fr', null, null, null, null]);
    expect(pickLanguage(null, 'de-DE', 'pt_MZ.UTF-8')).toBe('pt');
    expect(pickLanguage('C')).toBe('en');
  });
});

// ---- no English outside the catalogues -------------------------------------------------------------------------------

const ROOT = path.resolve(__dirname, '../..');

/** Words that are the same in every language: formats, products, units. */
const UNTRANSLATED = /\b(DHIS2?|DHIS 1\.4|DXF2|JSON|XML|CSV|ADX|GML|GeoJSON|PDF|XLSX?|ZIP|GZ|gzip|UIDs?|IDs?|Ferry|SQLite|yyyy-MM-dd|HTTPS?|URL|KB|MB|GB|ms|min|h|s|e\.g\.)\b/g;
const hasWords = (s: string): boolean => /[A-Za-z]{2,}/.test(s.replace(UNTRANSLATED, '').replace(/https?:\/\/\S+/g, ''));

/** Attributes whose text a user reads or hears. */
const READ_ATTRS = new Set(['title', 'aria-label', 'aria-description', 'placeholder', 'alt', 'label', 'legend', 'heading', 'hint', 'help', 'description', 'emptyText', 'confirmLabel', 'actionLabel', 'caption', 'message', 'text']);

function englishIn(file: string): string[] {
  const src = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, src, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const found: string[] = [];
  const at = (n: ts.Node, s: string): void => {
    found.push(`${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1} ${JSON.stringify(s.trim().slice(0, 60))}`);
  };
  const literalText = (n: ts.Node): string | null =>
    ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) ? n.text : ts.isTemplateExpression(n) ? [n.head.text, ...n.templateSpans.map((x) => x.literal.text)].join(' ') : null;
  /** a string a JSX expression renders: itself, or a branch of ?: / && / || */
  const rendered = (n: ts.Expression): void => {
    const e = ts.isParenthesizedExpression(n) ? n.expression : n;
    const text = literalText(e);
    if (text !== null) {
      if (hasWords(text)) at(e, text);
    } else if (ts.isConditionalExpression(e)) {
      rendered(e.whenTrue);
      rendered(e.whenFalse);
    } else if (ts.isBinaryExpression(e) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(e.operatorToken.kind)) {
      rendered(e.right);
    }
  };
  const visit = (n: ts.Node): void => {
    if (ts.isJsxText(n) && hasWords(n.text)) at(n, n.text);
    else if (ts.isJsxExpression(n) && n.expression && (ts.isJsxElement(n.parent) || ts.isJsxFragment(n.parent))) rendered(n.expression);
    else if (ts.isJsxAttribute(n) && n.initializer && READ_ATTRS.has(n.name.getText(sf))) {
      const init = n.initializer;
      if (ts.isStringLiteral(init) && hasWords(init.text)) at(init, init.text);
      else if (ts.isJsxExpression(init) && init.expression) rendered(init.expression);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

function tsxFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? tsxFiles(p) : p.endsWith('.tsx') ? [p] : [];
  });
}

describe('the screens speak through the catalogues', () => {
  const files = tsxFiles(path.join(ROOT, 'src-renderer'));

  it('no screen renders English text outside the catalogues', () => {
    const found = files.flatMap(englishIn);
    expect(found).toEqual([]);
  });

  it('the scan finds text, attributes and rendered literals', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-i18n-'));
    const f = path.join(dir, 'X.tsx');
    fs.writeFileSync(f, `export const X = ({ n }: { n: number }) => (<div title="Open the file" className="big wide">Hello there {n > 1 ? 'many files' : null}{\`\${n} rows\`}<b>{n}</b> JSON <i aria-label={'Close'} data-test="x y" /></div>);\n`);
    expect(englishIn(f).map((l) => l.replace(/^.*X\.tsx:1 /, ''))).toEqual(['"Open the file"', '"Hello there"', '"many files"', '"rows"', '"Close"']);
  });
});
