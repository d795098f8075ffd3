import { describe, expect, it } from 'vitest';
import { errorText } from '../../../src-renderer/api.ts';
import { i18n } from '../../../src-renderer/i18n.ts';
import { ferryError, toSerializedError } from '../../../src-shared/errors.ts';

/** errorText — every screen's way to say an error — says the engine's keyed messages in the screens' language. */
describe('errorText in the screens’ language', () => {
  const malformed = toSerializedError(ferryError('BAD_FILE', 'xml.malformed', { file: 'clinic-3.xml', line: 3, detail: 'unclosed tag' }, { file: '/usb/clinic-3.xml', line: 3 }));

  it('English: the engine’s message as it came, without the place said twice', () => {
    expect(errorText(malformed)).toBe('clinic-3.xml, line 3: malformed XML (unclosed tag)');
  });

  it('French and Portuguese: from the catalogue, without the place said twice', async () => {
    await i18n.changeLanguage('fr');
    expect(errorText(malformed)).toBe('clinic-3.xml, ligne 3 : XML mal formé (unclosed tag)');
    await i18n.changeLanguage('pt');
    expect(errorText(malformed)).toBe('clinic-3.xml, linha 3: XML malformado (unclosed tag)');
  });

  it('a message without a key keeps its words, and the place is added in the language', async () => {
    await i18n.changeLanguage('fr');
    expect(errorText({ code: 'BAD_FILE', message: 'something odd', details: { file: '/x/a.json', line: 12, column: 4 } })).toBe('a.json, ligne 12, colonne 4: something odd');
    expect(errorText({ code: 'BAD_FILE', message: 'a.json, line 12: something odd', details: { file: '/x/a.json', line: 12 } })).toBe('a.json, line 12: something odd');
  });
});
