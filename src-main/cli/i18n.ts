/**
 * The language of the `ferry` command's text: --lang en|fr|pt, else $FERRY_LANG, else the system's (LC_ALL,
 * LC_MESSAGES, LANG: pickLanguage), else English. Its messages are the `cli` namespace of the one message catalogue
 * (src-shared/i18n/locales/<language>/cli.json), in an i18next instance made by makeI18n (src-shared/i18n/instance.ts), as the screens' is. --json output never goes through here: it is the
 * same bytes in every language (DHIS2's own messages stay as DHIS2 writes them).
 *
 * Code that formats without choosing (tests calling formatJob) writes English.
 */
import type { TFunction } from 'i18next';
import { makeI18n, type I18n } from '../../src-shared/i18n/instance.ts';
import enCli from '../../src-shared/i18n/locales/en/cli.json';
import frCli from '../../src-shared/i18n/locales/fr/cli.json';
import ptCli from '../../src-shared/i18n/locales/pt/cli.json';
import { localizedMessage } from '../../src-shared/i18n/error-messages.ts';
import type { AppErrorDetails } from '../../src-shared/errors.ts';
import type { en } from '../../src-shared/i18n/catalogue.ts';
import { UsageError } from './args.ts';
import { LANGUAGES, formatCount, intlLocale, isLanguage, pickLanguage, type Language } from '../../src-shared/i18n/languages.ts';

type CliT = TFunction<'cli'>;
/** a key of the cli namespace (plural keys by their base name go through t directly) */
export type CliKey = keyof (typeof en)['cli'] & string;

let language: Language = 'en';
let i18n: I18n | null = null;
let fixed: CliT | null = null;
let english: CliT | null = null;

/** The system's choice: $FERRY_LANG, else LC_ALL, LC_MESSAGES, LANG (the first Ferry speaks), else English. */
export function systemLanguage(env: NodeJS.ProcessEnv): Language {
  return pickLanguage(env.FERRY_LANG, env.LC_ALL, env.LC_MESSAGES, env.LANG);
}

/** --lang's language, null when it names none Ferry speaks. */
export function flagLanguage(flag: string | boolean | string[]): Language | null {
  const v = typeof flag === 'string' ? flag.trim().toLowerCase() : '';
  return isLanguage(v) ? v : null;
}

/**
 * Sets the language of this run (the first call creates the i18next instance: the catalogues are bundled), with the
 * engine's messages in it unless `errors: false` (main.ts loads them once it knows the command is not --help).
 */
export async function useLanguage(l: Language, o: { errors?: boolean } = {}): Promise<void> {
  setLanguage(l);
  if (o.errors !== false) await loadErrorMessages();
}

/** The engine's messages (the errors namespace), each language its own chunk, loaded on demand: `ferry --help` needs none. */
const ERROR_CATALOGUES: Record<Language, () => Promise<{ default: Record<string, string> }>> = {
  en: () => import('../../src-shared/i18n/locales/en/errors.json'),
  fr: () => import('../../src-shared/i18n/locales/fr/errors.json'),
  pt: () => import('../../src-shared/i18n/locales/pt/errors.json'),
};
const errorsLoaded = new Set<Language>();

/** Loads the run's language's error messages and English's (the fallback); until then errorMessage says the English message. */
export async function loadErrorMessages(): Promise<void> {
  const inst = instance();
  for (const l of new Set<Language>(['en', language])) {
    if (errorsLoaded.has(l)) continue;
    inst.addResourceBundle(l, 'errors', (await ERROR_CATALOGUES[l]()).default, true, true);
    errorsLoaded.add(l);
  }
}

/** The CLI's instance: makeI18n's options over the cli namespace, the errors namespace added when loaded (the whole
 * catalogue — every screen's messages in every language — is not what a `ferry` start should parse). */
function createCliI18n(l: Language): I18n {
  return makeI18n({
    language: l,
    resources: { en: { cli: enCli }, fr: { cli: frCli }, pt: { cli: ptCli } },
    ns: ['cli', 'errors'],
    defaultNS: 'cli',
  });
}

function instance(): I18n {
  if (!i18n) setLanguage(language);
  return i18n!;
}

/** An error's message in the run's language: the engine's key and parameters when it gave them, else its English. */
export function errorMessage(e: { message: string; details?: unknown }): string {
  return localizedMessage(instance(), e);
}

/** Where an error is, in the run's language: "clinic.xml, line 3, column 7" ('' when the details say nowhere). */
export function locationText(d: AppErrorDetails): string {
  const tr = instance().t as unknown as (k: string, o: object) => string;
  const parts: string[] = [];
  if (d.file) parts.push(d.file);
  if (d.line != null) parts.push(d.column != null ? tr('errors:where.lineColumn', { line: d.line, column: d.column }) : tr('errors:where.line', { line: d.line }));
  return parts.join(', ');
}

function setLanguage(l: Language): void {
  language = l;
  if (!i18n) i18n = createCliI18n(l);
  else if (i18n.language !== l) void i18n.changeLanguage(l); // synchronous: the resources are in memory
  fixed = i18n.getFixedT(l, 'cli');
  english ??= i18n.getFixedT('en', 'cli');
}

export function currentLanguage(): Language {
  return language;
}

/** A message of the cli namespace in the run's language (after useLanguage). */
export const t = ((...args: unknown[]) => {
  if (!fixed) setLanguage(language);
  return (fixed as unknown as (...a: unknown[]) => string)(...args);
}) as unknown as CliT;

/** The same message in English: what --json output says (the same bytes in every language). */
export const tEnglish = ((...args: unknown[]) => {
  if (!english) setLanguage(language);
  return (english as unknown as (...a: unknown[]) => string)(...args);
}) as unknown as CliT;

/** A whole number as the language writes it: 1,234,567 · 1 234 567 · 1.234.567. */
export function n(x: number): string {
  return formatCount(x, language);
}

/** "a, b and c" in the language */
export function list(items: readonly string[]): string {
  return new Intl.ListFormat(intlLocale(language), { type: 'conjunction' }).format(items);
}

/** the languages --lang takes, for its refusal: "en (English), fr (Français), pt (Português)" */
export function languageChoices(): string {
  return LANGUAGES.map((l) => `${l.code} (${l.name})`).join(', ');
}

/** A refused command line: English for --json, the run's language for the terminal. */
export function usageError(key: CliKey, params: Record<string, unknown> = {}): UsageError {
  const tr = (f: CliT): string => (f as unknown as (k: string, p: Record<string, unknown>) => string)(key, params);
  return new UsageError(tr(tEnglish), tr(t));
}
