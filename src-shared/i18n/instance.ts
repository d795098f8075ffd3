import { createInstance, type i18n as I18n, type Module, type Newable, type Resource } from 'i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, intlLocale, type Language } from './languages.ts';

export type { I18n };

/**
 * A ready i18next instance in `language` over the given catalogues (synchronous: they are bundled, nothing is
 * fetched) — the screens' (create.ts: every namespace) and the CLI's (its own namespace alone, for a fast start) are
 * both made here, with the same options. Keys are flat ("wizard.next" is one key, not a path); "ns:key" picks a
 * namespace; a key missing from a catalogue falls back to English (the catalogue test keeps that from shipping).
 * Values are not HTML-escaped: React escapes, the CLI prints text. Plurals and {{n, number}} follow intlLocale's CLDR
 * rules (European Portuguese, not Brazilian).
 */
export function makeI18n(p: {
  language?: Language;
  resources: Resource;
  ns: readonly string[];
  defaultNS: string;
  plugins?: (Module | Newable<Module>)[];
  init?: Partial<Parameters<I18n['init']>[0]>;
}): I18n {
  const i18n = createInstance();
  for (const m of p.plugins ?? []) i18n.use(m);
  void i18n.init({
    lng: p.language ?? DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: LANGUAGES.map((l) => l.code),
    resources: p.resources,
    ns: [...p.ns],
    defaultNS: p.defaultNS,
    keySeparator: false,
    nsSeparator: ':',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    ...p.init,
  } as Parameters<I18n['init']>[0]);
  regionalRules(i18n);
  return i18n;
}

/** i18next takes plural rules and number formats from the language code; Ferry's come from intlLocale. */
function regionalRules(i18n: I18n): void {
  const plurals = i18n.services.pluralResolver as { getRule(code: string, options?: object): unknown } | undefined;
  if (!plurals || typeof plurals.getRule !== 'function') throw new Error('i18next: no plural resolver to set regional rules on');
  const getRule = plurals.getRule.bind(plurals);
  plurals.getRule = (code, options) => getRule(intlLocale(code), options);
  const numbers = new Map<string, Intl.NumberFormat>();
  i18n.services.formatter?.add('number', (value: number, lng: string | undefined, options: Intl.NumberFormatOptions & Record<string, unknown>) => {
    const opts: Intl.NumberFormatOptions = {};
    for (const k of ['minimumFractionDigits', 'maximumFractionDigits', 'style', 'unit', 'notation'] as const) if (options?.[k] !== undefined) (opts as Record<string, unknown>)[k] = options[k];
    const key = `${lng}|${JSON.stringify(opts)}`;
    let f = numbers.get(key);
    if (!f) numbers.set(key, (f = new Intl.NumberFormat(intlLocale(lng ?? DEFAULT_LANGUAGE), opts)));
    return f.format(value);
  });
}
