/** A form's problem shown on an export wizard is said again in the language chosen while it shows. */
import './setup.ts';
import { describe, expect, it } from 'vitest';
import { i18n } from '../../../src-renderer/i18n.ts';
import { useDataExport } from '../../../src-renderer/stores/exports.ts';

describe('export form errors follow the language', () => {
  it('a refused start in French, then Portuguese, then English', async () => {
    await i18n.changeLanguage('fr');
    useDataExport.getState().reset();
    expect(await useDataExport.getState().start()).toBe(false); // no org unit chosen: refused before any dialog
    expect(useDataExport.getState().formError).toBe('Choisissez au moins une unité d’organisation.');
    await i18n.changeLanguage('pt');
    expect(useDataExport.getState().formError).toBe('Escolha pelo menos uma unidade organizacional.');
    await i18n.changeLanguage('en');
    expect(useDataExport.getState().formError).toBe('Choose at least one organisation unit.');
    useDataExport.getState().setOption('orgUnits', []);
    expect(useDataExport.getState().formError).toBeNull(); // a change of option clears it, as before
  });
});
