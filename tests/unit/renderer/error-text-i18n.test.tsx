import { describe, expect, it } from 'vitest';
import { errorText } from '../../../src-renderer/api.ts';
import { i18n } from '../../../src-renderer/i18n.ts';
import { toSerializedError } from '../../../src-shared/errors.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';

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

/**
 * No screen tells the user to type a CLI flag (issue 15): an engine message that names one has a `.screen` variant
 * the screens say instead, unless only the CLI can meet it (listed here, each with why).
 */
describe('engine messages that name a CLI flag', () => {
  const CLI_ONLY: Record<string, string> = {
    'transfer.needsTo': 'the Send screen always gives the site',
    'transfer.resendNeedsSequence': 'the Send screen offers no resend by number',
    'transfer.chooseOneRange': 'the Send screen asks one range at a time',
    'transfer.metadataChoice': 'the Send screen offers the three choices only',
    'transfer.fromPastChanges': 'the Send screen offers no --from-sequence',
    'serve.portTaken': 'ferry serve is a command',
    'site.flagNeedsName': "ferry site's flag; the Sites screen's field is checked before",
    'export.dhis14NeedsObjects': 'the DHIS 1.4 export screen withholds Export until they are chosen',
    'export.formNeedsDataSet': 'the PDF form screen withholds Export until a data set is chosen',
    'dhis14.noDataFile': "the DHIS 1.4 screen says its own sentence for this refusal (details.reason 'noDataFile')",
    'dhis14.noDataFileZip': "the same, for a zip",
    'format.mdbNeedsPassword': 'names the Password field of the DHIS 1.4 import too',
    'undo.laterJobs': 'the Undo panel says its own sentence and offers the button',
  };

  it('each has a screen variant, or only the CLI can meet it', async () => {
    const { resources } = await import('../../../src-shared/i18n/catalogue.ts');
    const en = resources.en.errors as Record<string, string>;
    const flagged = Object.entries(en).filter(([k, v]) => !k.endsWith('.screen') && /(^|[\s(])--[a-z]/.test(v)).map(([k]) => k.replace(/_(one|other)$/, ''));
    const missing = [...new Set(flagged)].filter((k) => !(`${k}.screen` in en) && !(k in CLI_ONLY));
    expect(missing).toEqual([]);
    for (const k of Object.keys(en).filter((x) => x.endsWith('.screen'))) expect(en[k], k).not.toMatch(/(^|[\s(])--[a-z]/);
  });

  it('the screens say the variant, in every language; the CLI keeps the flag', async () => {
    const { localizedMessage } = await import('../../../src-shared/i18n/error-messages.ts');
    const csv = toSerializedError(ferryError('BAD_FILE', 'detect.csvUnknown', { file: 'x.csv' }, { file: 'x.csv', line: 1 }));
    expect(csv.message).toContain('--kind csv-metadata');
    expect(errorText(csv)).toBe("x.csv, line 1: not a DHIS2 file that Ferry can recognise: a CSV data file has DHIS2's 11 columns (dataelement, period, orgunit, …); for a CSV metadata file, use Import › CSV metadata import and choose the object type");
    expect(localizedMessage(i18n, csv)).toContain('--kind csv-metadata');
    await i18n.changeLanguage('fr');
    expect(errorText(csv)).toMatch(/^x\.csv, ligne 1 : ce n’est pas .*utilisez Import › Importation de métadonnées CSV/);
    await i18n.changeLanguage('pt');
    expect(errorText(csv)).toContain('use Importação › Importação de metadados CSV');
  });
});
