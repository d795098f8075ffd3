import { createInstance, type i18n as I18n, type Module, type Newable } from 'i18next';
import { resources, NAMESPACES } from './catalogue.ts';
import { DEFAULT_LANGUAGE, type Language } from './languages.ts';

export type { I18n };

/**
 * A ready i18next instance in `language` (synchronous: the catalogues are bundled, nothing is fetched). Keys are flat
 * ("wizard.next" is one key, not a path); "ns:key" picks a namespace; a key missing from a catalogue falls back to
 * English (the catalogue test keeps that from shipping). Values are not HTML-escaped: React escapes, the CLI prints
 * text.
 */
export function createI18n(
  language: Language = DEFAULT_LANGUAGE,
  init: Partial<Parameters<I18n['init']>[0]> = {},
  plugins: (Module | Newable<Module>)[] = [],
): I18n {
  const i18n = createInstance();
  for (const p of plugins) i18n.use(p);
  void i18n.init({
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: Object.keys(resources),
    resources,
    ns: [...NAMESPACES],
    defaultNS: 'common',
    keySeparator: false,
    nsSeparator: ':',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    ...init,
  } as Parameters<I18n['init']>[0]);
  return i18n;
}

/** A whole number in the language's way (1,234,567 · 1 234 567 · 1.234.567); '—' when there is none. */
export function formatCount(n: number | null | undefined, language: string): string {
  return n == null ? '—' : n.toLocaleString(language);
}
