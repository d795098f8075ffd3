// Renderer unit tests run in English, whatever the machine's language, with the screens' real i18next instance.
import { afterEach } from 'vitest';
import { i18n, LANGUAGE_KEY } from '../../src-renderer/i18n.ts';

await i18n.changeLanguage('en');
afterEach(async () => {
  globalThis.localStorage?.removeItem(LANGUAGE_KEY);
  if (i18n.language !== 'en') await i18n.changeLanguage('en');
});
