import { initReactI18next } from 'react-i18next';
import { createI18n } from '../src-shared/i18n/create.ts';
import { isLanguage, pickLanguage, type Language } from '../src-shared/i18n/languages.ts';

/** Where the language chosen in the app is remembered (the window's local storage, kept in Electron's user data). */
export const LANGUAGE_KEY = 'ferry.language';

function remembered(): string | null {
  try {
    return globalThis.localStorage?.getItem(LANGUAGE_KEY) ?? null;
  } catch {
    return null; // storage refused (a locked-down profile): the system's language
  }
}

/**
 * The screens' one i18next instance: the language chosen in the app, else the system's (navigator.language), else
 * English. Components translate with react-i18next's useTranslation('<namespace>'); stores and helpers outside React
 * with i18n.t('<namespace>:<key>').
 */
export const i18n = createI18n(pickLanguage(remembered(), globalThis.navigator?.language), {}, [initReactI18next]);
if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

/** Switches every screen to `language` and remembers the choice for the next start. */
export async function setLanguage(language: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(LANGUAGE_KEY, language);
  } catch {
    // not remembered; still switched for this session
  }
  await i18n.changeLanguage(language);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}
