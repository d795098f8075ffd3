/**
 * The languages Ferry speaks. English is the source catalogue; French and Portuguese are DHIS2's biggest offline
 * audiences (francophone and lusophone Africa). A language is one of these codes everywhere: the screens' chooser, the
 * CLI's --lang flag and FERRY_LANG, the catalogue folders (src-shared/i18n/locales/<code>/).
 */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'pt', name: 'Português' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

export const DEFAULT_LANGUAGE: Language = 'en';

export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && LANGUAGES.some((l) => l.code === v);
}

/**
 * The language of a locale name as systems write it ("fr", "fr-FR", "pt_BR.UTF-8", "fr_CA@euro"), or null when Ferry
 * does not speak it ("C", "POSIX", "de_DE").
 */
export function languageOfLocale(locale: string | null | undefined): Language | null {
  if (!locale) return null;
  const code = locale.trim().toLowerCase().split(/[-_.@]/)[0];
  return isLanguage(code) ? code : null;
}

/**
 * The first language Ferry speaks among locale names in order of preference (a choice made in the app or by flag,
 * then the system's), English when none.
 */
export function pickLanguage(...candidates: (string | null | undefined)[]): Language {
  for (const c of candidates) {
    const l = languageOfLocale(c);
    if (l) return l;
  }
  return DEFAULT_LANGUAGE;
}

/**
 * The locale whose CLDR rules a language's numbers and plurals follow. Ferry's Portuguese is European, as Mozambique,
 * Angola and Guinea-Bissau write it (pt-PT: "1 234 567", "0 ficheiros"); CLDR's plain "pt" is Brazil's ("1.234.567",
 * "0 ficheiro"). Messages stay in the catalogue folder of the language code.
 */
export function intlLocale(language: string): string {
  return language === 'pt' ? 'pt-PT' : language;
}

/** A whole number as the language writes it (1,234,567 · 1 234 567 · 1 234 567); '—' when there is none. */
export function formatCount(n: number | null | undefined, language: string): string {
  return n == null ? '—' : n.toLocaleString(intlLocale(language));
}

/** A number with `digits` decimals as the language writes it (1.5 · 1,5). */
export function formatDecimal(n: number, language: string, digits: number): string {
  return n.toLocaleString(intlLocale(language), { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
