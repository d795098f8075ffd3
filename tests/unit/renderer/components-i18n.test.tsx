/**
 * The shared components in French and Portuguese (issue 15): the summary's counts in words, the multi-file headline
 * composed from filesOutcome (not the engine's English description), the conflict table's headers and pages, status
 * tags, sizes and durations, and numbers written the language's way (1 234 / 1234).
 */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { i18n } from '../../../src-renderer/i18n.ts';
import { setApi } from '../../../src-renderer/api.ts';
import type { ImportReport, ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { DataImportSummaryView, countsInWords, headline } from '../../../src-renderer/components/ImportSummaryView.tsx';
import { ImportReportView } from '../../../src-renderer/components/ImportReportView.tsx';
import { StatusTag, PartialTag, DryRunTag } from '../../../src-renderer/components/StatusTag.tsx';
import { checkDropped } from '../../../src-renderer/components/FilePicker.tsx';
import { dateProblem, fmtBytes, fmtDuration, fmtNumber, typeLabel } from '../../../src-renderer/components/format.ts';
import { fakeApi } from './fake-api.ts';

afterEach(() => {
  cleanup();
  setApi(null);
});

/** narrow and ordinary no-break spaces as plain spaces (Intl writes 1 234 with U+202F in French) */
const plain = (s: string | null | undefined): string => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

function fiveFiles(dryRun: boolean): ImportSummary {
  const file = (name: string, imported: number, status: 'SUCCESS' | 'ERROR' = 'SUCCESS') => ({
    responseType: 'ImportSummary' as const,
    status,
    description: status === 'ERROR' ? 'The import process failed: clinic-3.xml, line 3: malformed XML' : 'Import process completed successfully',
    importCount: { imported, updated: 0, ignored: 0, deleted: 0 },
    conflicts: [],
    rejectedIndexes: [],
    file: name,
    format: 'csv',
  });
  return {
    responseType: 'ImportSummary',
    status: 'ERROR',
    // the engine's English words: the screens must not show them in French or Portuguese
    description: `1 of 5 files could not be imported; 4 ${dryRun ? 'would be' : 'were'} imported`,
    importCount: { imported: 12345, updated: 3, ignored: 5, deleted: 0 },
    conflicts: Array.from({ length: 60 }, (_, i) => ({ object: `DeUnknown${String(i).padStart(2, '0')}`, objects: {}, value: 'Data element not found', errorCode: 'E7610', indexes: [i] })),
    rejectedIndexes: [],
    dryRun,
    fileSummaries: [file('clinic-1.csv', 10), file('clinic-2.csv', 10), file('clinic-3.xml', 0, 'ERROR'), file('clinic-4.csv', 10), file('clinic-5.csv', 12315)],
    filesOutcome: { files: 5, failed: 1, imported: 4, partial: true },
    ignoredBreakdown: { unchanged: 2, refused: 3, zeroNotStored: 1_000_000, rows: 1_012_353 },
  } as ImportSummary;
}

describe('in French', () => {
  it('says the counts in words, the files outcome and the headline from the summary’s numbers', async () => {
    await i18n.changeLanguage('fr');
    setApi(fakeApi({ 'metadata:names': () => ({}) }));
    render(<DataImportSummaryView summary={fiveFiles(false)} dryRun={false} />);
    expect(plain(screen.getByTestId('summary-headline').textContent)).toBe(
      'Importation terminée : 4 fichiers sur 5 ont été enregistrés (12 345 importés, 3 mis à jour, 0 supprimé, 5 ignorés) ; 1 fichier a été refusé et rien n’en a été enregistré.',
    );
    const outcome = plain(screen.getByTestId('files-outcome').textContent);
    expect(outcome).toContain('1 fichier sur 5 n’a pas pu être importé ; 4 ont été importés.');
    expect(outcome).toContain('Chaque fichier est importé en entier ou pas du tout');
    expect(outcome).not.toContain('could not be imported');
    expect(plain(screen.getByTestId('counts-words').textContent)).toBe(
      '1 012 353 lignes lues — importées (nouvelles) : 12 345, mises à jour : 3, supprimées : 0, ignorées : 5. ' +
        'Parmi les lignes ignorées, 2 étaient inchangées (déjà enregistrées comme dans le fichier) et 3 ont été refusées (voir les conflits, ou la stratégie ne s’appliquait pas). ' +
        '1 000 000 de valeurs zéro n’ont pas été enregistrées : le zéro n’est pas significatif pour leurs éléments de données (DHIS2 ne compte pas ces valeurs).',
    );
    expect(screen.getByTestId('status-tag').textContent).toBe('Importé en partie');
    // the conflict table: French headers, groups by default (60 > a page), pages in French
    const table = screen.getByTestId('conflict-table');
    expect(within(table).getByRole('heading').textContent).toMatch(/^Conflits \(60\)$/);
    fireEvent.click(within(table).getByTestId('conflict-view-rows'));
    expect(Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent)).toEqual(['Code d’erreur', 'Message', 'Objet', 'Propriété', 'Emplacement dans le fichier']);
    expect(plain(within(table).getByTestId('conflict-page').textContent)).toBe('Lignes 1 à 50 sur 60.');
    expect(within(table).getByTestId('conflict-next').textContent).toBe('Suivante →');
    expect(within(table).getByText('Page 1 sur 2')).toBeTruthy();
    expect(within(table).getAllByText(/^valeur \d+$/).length).toBeGreaterThan(0);
    expect(within(screen.getByTestId('file-summaries')).getAllByTestId('file-status').map((s) => s.textContent)).toEqual(['Réussi', 'Réussi', 'Erreur', 'Réussi', 'Réussi']);
  });

  it('a dry run says "would be" in French', async () => {
    await i18n.changeLanguage('fr');
    const s = fiveFiles(true);
    expect(plain(headline(s, true))).toBe('Essai à blanc terminé : rien n’a été modifié. L’importation donnerait : 12 345 importés, 3 mis à jour, 0 supprimé, 5 ignorés.');
    expect(plain(countsInWords(s, true))).toMatch(/^1 012 353 lignes lues — seraient importées \(nouvelles\) : 12 345, seraient mises à jour : 3/);
    setApi(fakeApi({ 'metadata:names': () => ({}) }));
    render(<DataImportSummaryView summary={s} dryRun />);
    expect(plain(screen.getByTestId('files-outcome').textContent)).toContain('1 fichier sur 5 n’a pas pu être importé ; 4 seraient importés.');
    expect(screen.getByTestId('status-tag').textContent).toBe('Certains fichiers seraient refusés');
    expect(screen.getByTestId('dry-run-tag').textContent).toBe('Essai à blanc');
  });

  it('writes numbers, sizes, durations, tags and the date message the French way', async () => {
    await i18n.changeLanguage('fr');
    expect(plain(fmtNumber(1234567))).toBe('1 234 567');
    expect(plain(fmtBytes(1536))).toBe('1,5 Ko');
    expect(plain(fmtBytes(5 * 1024 * 1024 * 1024))).toBe('5,00 Go');
    expect(fmtDuration(125_000)).toBe('2 min 5 s');
    expect(dateProblem('31/03/2024')).toBe('Saisissez la date au format yyyy-MM-dd, par ex. 2024-03-31 (et non « 31/03/2024 »).');
    expect(dateProblem('2024-02-30')).toBe('2024-02-30 n’est pas un jour du calendrier.');
    render(
      <>
        <StatusTag status="WARNING" />
        <StatusTag status="running" testId="running" />
        <PartialTag dryRun={false} />
        <DryRunTag />
      </>,
    );
    expect(screen.getAllByTestId('status-tag').map((t) => t.textContent)).toEqual(['Terminé avec des avertissements', 'Importé en partie']);
    expect(screen.getByTestId('running').textContent).toBe('En cours');
    expect(['org.hisp.dhis.organisationunit.OrganisationUnit', 'categories', 'Category', 'dataElements', 'options', 'fooBars'].map(typeLabel)).toEqual([
      'Unités d’organisation',
      'Catégories',
      'Catégories',
      'Éléments de données',
      'Options',
      'Foo bars',
    ]);
    expect(checkDropped(['a.pdf', 'b.pdf'], ['json'], true).note).toBe('a.pdf, b.pdf ne sont pas des fichiers que cette importation lit (.json).');
  });
});

describe('in Portuguese', () => {
  it('says the counts in words, the files outcome and the headline with pt-PT words and 1 234', async () => {
    await i18n.changeLanguage('pt');
    setApi(fakeApi({ 'metadata:names': () => ({}) }));
    render(<DataImportSummaryView summary={fiveFiles(false)} dryRun={false} />);
    expect(screen.getByTestId('summary-headline').textContent).toBe(
      'Importação concluída: 4 de 5 ficheiros foram guardados (12\u00a0345 importados, 3 atualizados, 0 eliminados, 5 ignorados); 1 ficheiro foi recusado e nada dele foi guardado.',
    );
    expect(screen.getByTestId('files-outcome').textContent).toContain('1 de 5 ficheiros não pôde ser importado; 4 foram importados.');
    expect(screen.getByTestId('counts-words').textContent).toBe(
      '1\u00a0012\u00a0353 linhas lidas — importadas (novas): 12\u00a0345, atualizadas: 3, eliminadas: 0, ignoradas: 5. ' +
        'Das linhas ignoradas, 2 estavam inalteradas (já guardadas tal como no ficheiro) e 3 foram recusadas (ver os conflitos, ou a estratégia não se aplicava). ' +
        '1\u00a0000\u00a0000 de valores zero não foram guardados: o zero não é significativo para os seus elementos de dados (o DHIS2 não conta estes valores).',
    );
    const table = screen.getByTestId('conflict-table');
    expect(within(table).getByRole('heading').textContent).toBe('Conflitos (60)');
    expect(within(table).getByTestId('conflict-view-rows').textContent).toBe('Um a um');
    expect(within(table).getByTestId('conflict-view-grouped').textContent).toBe('Por código e objeto');
    expect(Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent)).toEqual(['Código de erro', 'Objeto', 'Listados', 'Mensagem (o primeiro)']);
    expect(within(table).getByTestId('conflict-page').textContent).toBe('Grupos 1–50 de 60.');
    expect(within(screen.getByTestId('combined-counts')).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['', 'Importados', 'Atualizados', 'Eliminados', 'Ignorados', 'Total']);
  });

  it('the metadata summary: headline, table and more-notes in Portuguese', async () => {
    await i18n.changeLanguage('pt');
    setApi(fakeApi({ 'metadata:names': () => ({}) }));
    const report: ImportReport = {
      responseType: 'ImportReport',
      status: 'OK',
      stats: { created: 1200, updated: 3, deleted: 0, ignored: 2, total: 1205 },
      typeReports: [],
      moreErrorReports: { E5002: 1500 },
    } as ImportReport;
    render(<ImportReportView report={report} dryRun />);
    expect(screen.getByTestId('summary-headline').textContent).toBe('Ensaio concluído: nada foi alterado. A importação daria: 1200 criados, 3 atualizados, 0 eliminados, 2 ignorados.');
    expect(screen.getByTestId('status-tag').textContent).toBe('Sucesso');
    expect(screen.getByTestId('dry-run-tag').textContent).toBe('Ensaio');
    expect(screen.getByTestId('more-conflicts').textContent).toBe('… e mais 1500 conflitos deste tipo (E5002), não listados');
    expect(screen.getByText('Todos os tipos')).toBeTruthy();
    expect(fmtBytes(1536)).toBe('1,5 KB');
    expect(fmtNumber(1_234_567)).toBe('1\u00a0234\u00a0567');
    expect(typeLabel('categoryOptionCombos')).toBe('Combinações de opções de categoria');
  });
});
