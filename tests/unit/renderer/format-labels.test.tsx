/** The format choices of the wizards are named in the chosen language (the engine's registry labels are English). */
import { describe, expect, it } from 'vitest';
import { i18n } from '../../../src-renderer/i18n.ts';
import { formatChoices } from '../../../src-renderer/stores/app.ts';
import type { FormatInfo } from '../../../src-shared/api/contract.ts';

const f = (id: string, format: string, label: string, reads: FormatInfo['reads']): FormatInfo => ({ id, format, label, kinds: [], extensions: [], mimeTypes: [], reads, writes: [] });
const FORMATS = [
  f('events-json', 'json', 'Tracker JSON (2.36+; reads the events JSON of 2.40 and older too)', ['events']),
  f('events-xml', 'xml', 'Events XML (2.40 and older)', ['events']),
  f('pdf-form', 'pdf', 'PDF data entry form', ['data']),
  f('some-new-format', 'new', 'A format the catalogue does not know yet', ['data']),
];

describe('format choices', () => {
  it('English: the registry’s labels', () => {
    expect(formatChoices(FORMATS, 'events', 'reads').map((c) => c.label)).toEqual(['Tracker JSON (2.36+; reads the events JSON of 2.40 and older too)', 'Events XML (2.40 and older)']);
  });

  it('French and Portuguese: the catalogue’s names; a format it does not know keeps the engine’s label', async () => {
    await i18n.changeLanguage('fr');
    expect(formatChoices(FORMATS, 'events', 'reads').map((c) => c.label)).toEqual([
      'JSON Tracker (2.36+ ; lit aussi le JSON d’événements de 2.40 et antérieures)',
      'XML d’événements (2.40 et antérieures)',
    ]);
    expect(formatChoices(FORMATS, 'data', 'reads')).toEqual([
      { value: 'pdf', label: 'Formulaire de saisie PDF' },
      { value: 'new', label: 'A format the catalogue does not know yet' },
    ]);
    await i18n.changeLanguage('pt');
    expect(formatChoices(FORMATS, 'data', 'reads')[0]!.label).toBe('Formulário de entrada de dados PDF');
  });
});
