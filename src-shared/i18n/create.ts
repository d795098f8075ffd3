import type { Module, Newable } from 'i18next';
import { resources, NAMESPACES } from './catalogue.ts';
import { makeI18n, type I18n } from './instance.ts';
import { DEFAULT_LANGUAGE, type Language } from './languages.ts';

export type { I18n };
export { formatCount } from './languages.ts';

/** The screens' i18next instance over every catalogue (makeI18n's options), in `language`. */
export function createI18n(
  language: Language = DEFAULT_LANGUAGE,
  init: Partial<Parameters<I18n['init']>[0]> = {},
  plugins: (Module | Newable<Module>)[] = [],
): I18n {
  return makeI18n({ language, resources, ns: NAMESPACES, defaultNS: 'common', plugins, init });
}
