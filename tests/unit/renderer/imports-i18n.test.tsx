/**
 * The import screens in French and Portuguese (#15): the data import, metadata import and receive screens switched to
 * fr and pt show their catalogue's words (titles, step names, labels, choices, blocked messages), a store's own
 * message in the chosen language (and again after a change of language), and numbers written the language's way.
 */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { i18n } from '../../../src-renderer/i18n.ts';
import { useDataImport, useMetadataImport } from '../../../src-renderer/stores/imports.ts';
import { useReceive } from '../../../src-renderer/stores/receive.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';
import { DataImportScreen } from '../../../src-renderer/screens/data-import/DataImportScreen.tsx';
import { MetadataImportScreen } from '../../../src-renderer/screens/metadata-import/MetadataImportScreen.tsx';
import { ReceiveScreen } from '../../../src-renderer/screens/receive/ReceiveScreen.tsx';
import { ReceiveSummaryView } from '../../../src-renderer/screens/receive/ReceiveSummaryView.tsx';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import type { ImportReport, ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import type { PackageInspection, ReceiveSummary } from '../../../src-shared/transfer-receive.ts';
import { fakeApi, jobRecord } from './fake-api.ts';

beforeEach(() => {
  useApp.setState({ formats: formatInfos(), capabilities: ['import:data', 'import:metadata', 'import:transfer'] });
  useDataImport.getState().reset();
  useMetadataImport.getState().reset();
  useReceive.getState().reset();
});
afterEach(() => {
  cleanup();
  setApi(null);
});

/** French puts a narrow no-break space between thousands; Portuguese (as Intl writes 'pt') a full stop. */
const FR_MILLION = '1\u202f234\u202f567';
const PT_MILLION = '1\u00a0234\u00a0567';

/** the wizard's step names as the step indicator shows them */
const stepNames = (): string[] => [...document.querySelectorAll('ol.steps li')].map((li) => li.textContent!.replace(/^\d+\s*/, ''));

const stat = (r: { paths: string[] }) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: p.includes('gone') ? null : 10 }));

function overlapSummary(): ImportSummary {
  return {
    responseType: 'ImportSummary',
    status: 'SUCCESS',
    description: 'Import process completed successfully',
    importCount: { imported: 4, updated: 2, ignored: 1, deleted: 0 },
    conflicts: [],
    rejectedIndexes: [],
    dryRun: true,
    overlaps: { policy: 'stop', keys: 1234567, differing: 2, stopped: false, pairs: [{ first: 'a.csv', second: 'b.csv', keys: 1234567, differing: 2 }] },
  };
}

describe('data import in French and Portuguese', () => {
  it('fr: title, labels, strategy choices, an unreadable file named in French and again in Portuguese after a change of language', async () => {
    await act(() => i18n.changeLanguage('fr'));
    setApi(fakeApi({ 'files:stat': stat }));
    await useDataImport.getState().addPaths(['/d/a.csv', '/d/gone.csv']);
    expect(useDataImport.getState().fileError).toBe('Ce fichier ne peut pas être lu\u00a0: gone.csv');
    render(<DataImportScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Importation de données');
    expect(stepNames()).toEqual(['Fichiers', 'Options', 'Exécution', 'Résumé']);
    expect(screen.getByText(/Des fichiers de valeurs de données exportés de DHIS2 ou de Ferry/)).toBeTruthy();
    // the store's message follows the language without being made again
    await act(() => i18n.changeLanguage('pt'));
    expect(useDataImport.getState().fileError).toBe('Este ficheiro não pode ser lido: gone.csv');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Importação de dados');
    expect(stepNames()).toEqual(['Ficheiros', 'Opções', 'Execução', 'Resumo']);
    await act(() => i18n.changeLanguage('fr'));
    fireEvent.click(screen.getByTestId('next'));
    expect((screen.getByLabelText('Essai à blanc') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('Vérifie les fichiers et montre ce qui changerait, sans rien modifier.')).toBeTruthy();
    const strategy = screen.getByLabelText('Stratégie') as HTMLSelectElement;
    expect(Array.from(strategy.options).map((o) => o.value)).toEqual(['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'DELETE']);
    expect(strategy.options[0]!.textContent).toBe('Nouvelles et mises à jour (importer les nouvelles valeurs et mettre à jour les existantes)');
    fireEvent.change(strategy, { target: { value: 'DELETE' } });
    expect(screen.getByText('Supprimer retire de cette base de données les valeurs de données listées dans les fichiers.')).toBeTruthy();
    expect(screen.getByLabelText('Importer dans les périodes expirées et fermées (force)')).toBeTruthy();
    expect(screen.getByText('Contrôles stricts')).toBeTruthy();
  });

  it('fr and pt: the overlap notice counts in the language’s way; Import waits for the choice, said in the language', async () => {
    let n = 0;
    setApi(
      fakeApi({
        'files:stat': stat,
        'import:start': () => ({ jobId: ++n }),
        'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'data', dryRun: true, resultStatus: 'SUCCESS', summary: overlapSummary() }),
      }),
    );
    await act(() => i18n.changeLanguage('fr'));
    await useDataImport.getState().addPaths(['/d/a.csv', '/d/b.csv']);
    render(<DataImportScreen />);
    fireEvent.click(screen.getByTestId('next'));
    expect((screen.getByLabelText('M’arrêter et me montrer les fichiers (rien n’est importé tant que je n’ai pas choisi)') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByTestId('start'));
    const notice = await screen.findByTestId('overlap-choice');
    expect(notice.querySelector('p')!.textContent).toBe(
      `${FR_MILLION} valeurs se trouvent dans plus d’un fichier, dont 2 avec des nombres différents (les fichiers sont listés dans le résumé ci-dessous). Les valeurs de quel fichier faut-il garder\u00a0?`,
    );
    expect(screen.queryByTestId('import-now')).toBeNull();
    expect(screen.getByTestId('action-bar').textContent).toContain('Choisissez ci-dessus les valeurs de quel fichier garder, puis importez.');
    await act(() => i18n.changeLanguage('pt'));
    expect(screen.getByTestId('overlap-choice').querySelector('p')!.textContent).toMatch(
      new RegExp(`^${PT_MILLION.replace(/\./g, '\\.')} valores estão em mais de um ficheiro, 2 dos quais com números diferentes`),
    );
    expect(screen.getByTestId('action-bar').textContent).toContain('Escolha acima os valores de que ficheiro manter e depois importe.');
    fireEvent.click(within(screen.getByTestId('overlap-choice')).getByLabelText('Manter os valores do primeiro ficheiro da lista'));
    expect(await screen.findByTestId('import-now')).toBeTruthy();
  });
});

const metadataError: ImportReport = {
  responseType: 'ImportReport',
  status: 'ERROR',
  stats: { created: 0, updated: 0, deleted: 0, ignored: 3, total: 3 },
  typeReports: [],
};

describe('metadata import in French and Portuguese', () => {
  for (const [lang, title, dryRun, blocked] of [
    ['fr', 'Importation de métadonnées', 'Essai à blanc', 'Avec le mode atomique « Tout », rien n’est importé tant que le fichier contient des erreurs.'],
    ['pt', 'Importação de metadados', 'Ensaio', 'Com o modo atómico "Tudo", nada é importado enquanto o ficheiro tiver erros.'],
  ] as const) {
    it(`${lang}: title, options and why Import is not offered after a dry run with errors (atomic mode All)`, async () => {
      await act(() => i18n.changeLanguage(lang));
      setApi(
        fakeApi({
          'files:stat': stat,
          'import:start': () => ({ jobId: 1 }),
          'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'metadata', dryRun: true, resultStatus: 'ERROR', summary: metadataError }),
        }),
      );
      await useMetadataImport.getState().addPaths(['/d/meta.json']);
      render(<MetadataImportScreen />);
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(title);
      fireEvent.click(screen.getByTestId('next'));
      expect((screen.getByLabelText(dryRun) as HTMLInputElement).checked).toBe(true);
      expect(screen.getByLabelText(lang === 'fr' ? 'Ignorer la validation' : 'Ignorar a validação')).toBeTruthy();
      fireEvent.click(screen.getByTestId('start'));
      await waitFor(() => expect(screen.getByTestId('action-bar').textContent).toContain(blocked.replace(/« /g, '«\u00a0').replace(/ »/g, '\u00a0»')));
      expect(screen.queryByTestId('import-now')).toBeNull();
    });
  }
});

const manifest = (seq: number): NonNullable<PackageInspection['manifest']> => ({
  format: 'ferry-transfer-package',
  formatVersion: 1,
  packageId: `Pkg${seq}`,
  from: { id: 'SiteClinicA', name: 'Clinic A', orgUnit: 'OuClinicA01' },
  to: { id: 'SiteDistr01', name: 'District' },
  sequence: seq,
  changes: { from: 0, to: 10 },
  createdAt: '2026-12-01T10:00:00.000Z',
  ferryVersion: '0.1.0',
  entries: [],
  counts: { values: 1234567, deletions: 4, events: 3, metadataObjects: 0 },
  controlTotalCells: 12,
});

const receiveSummary = (): ReceiveSummary => ({
  responseType: 'TransferReceive',
  status: 'WARNING',
  description: 'package 3 from Clinic A received: 1234567 values imported, 0 updated, 4 deleted, 0 ignored',
  file: 'a-3.zip',
  packageId: 'Pkg3',
  from: { id: 'SiteClinicA', name: 'Clinic A' },
  to: { id: 'SiteDistr01', name: 'District' },
  sequence: 3,
  changes: { from: 0, to: 10 },
  counts: { values: 1234567, deletions: 4, events: 3, metadataObjects: 0 },
  alreadyReceived: null,
  dryRun: false,
  dataValues: { imported: 1234567, updated: 0, deleted: 4, ignored: 0, keptNewer: 2, conflicts: [] },
  events: null,
  eventsKeptNewer: 0,
  metadata: null,
  gaps: [],
  reconciliation: {
    cells: 1200,
    mismatches: 1,
    rows: [{ senderId: 'SiteClinicA', senderName: 'Clinic A', orgUnit: 'OuClinicA01', dataSet: null, period: '202401', sequence: 3, sent: { values: 2000, sum: 25 }, stored: { values: 1, sum: 10 }, match: false }],
  },
});

describe('receive in French and Portuguese', () => {
  it('fr: steps, a store message, the inspection with counts the French way, then pt', async () => {
    await act(() => i18n.changeLanguage('fr'));
    const inspection: PackageInspection = { file: '/usb/a-3.zip', fileName: 'a-3.zip', bytes: 100, manifest: manifest(3), verified: true, error: null, alreadyReceived: { receivedAt: '2026-12-01T11:00:00.000Z', jobId: 42 }, gaps: [] };
    setApi(fakeApi({ 'files:stat': stat, 'transfer:inspect': () => inspection }));
    render(<ReceiveScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Recevoir d’autres sites');
    expect(stepNames()).toEqual(['Paquets', 'Contenu', 'Résultat']);
    // the store's own problem, said in French, then in Portuguese once the language changes
    await act(() => useReceive.getState().inspect());
    expect(useReceive.getState().error).toBe('Choisissez au moins un paquet.');
    await act(() => i18n.changeLanguage('pt'));
    expect(useReceive.getState().error).toBe('Escolha pelo menos um pacote.');
    await act(() => i18n.changeLanguage('fr'));
    await act(() => useReceive.getState().addPaths(['/usb/a-3.zip']));
    fireEvent.click(screen.getByTestId('receive-inspect'));
    const card = await screen.findByTestId('receive-inspection');
    expect(within(card).getByTestId('receive-sequence').textContent).toBe('3');
    expect(within(card).getByTestId('receive-sender').textContent).toBe('Clinic A');
    expect(card.querySelector('p')!.textContent).toMatch(new RegExp(`^Paquet 3 de Clinic A pour District, créé le 2026-12-01 \\d\\d:\\d\\d\u00a0: ${FR_MILLION} valeurs, 4 suppressions, 3 événements, 0 objet de métadonnées\\.$`));
    expect(within(card).getByTestId('receive-already').textContent).toMatch(/^Déjà reçu le 2026-12-01 \(tâche 42\)\u00a0: le recevoir de nouveau ne change rien\.$/);
    expect(screen.getByTestId('receive-start').textContent).toBe('Recevoir');
    await act(() => i18n.changeLanguage('pt'));
    expect(card.querySelector('p')!.textContent).toContain(`${PT_MILLION} valores, 4 eliminações, 3 eventos, 0 objetos de metadados`);
    expect(screen.getByTestId('receive-dry-run').textContent).toBe('Ensaio');
  });

  for (const [lang, headline, values, reconciliation, cell] of [
    ['fr', 'paquet 3 de Clinic A reçu', `Valeurs\u00a0: importées ${FR_MILLION}, mises à jour 0, supprimées 4, ignorées 0, gardées car plus récentes 2`, 'Rapprochement avec Clinic A\u00a0: 1\u202f199 totaux unité d’organisation × ensemble de données × période sur 1\u202f200 concordent, 1 diffère.', '2\u202f000 valeurs, somme 25'],
    ['pt', 'pacote 3 de Clinic A recebido', `Valores: importados ${PT_MILLION}, atualizados 0, eliminados 4, ignorados 0, mantidos por serem mais recentes 2`, 'Reconciliação com Clinic A: 1199 de 1200 totais unidade organizacional × conjunto de dados × período coincidem, 1 difere.', '2000 valores, soma 25'],
  ] as const) {
    it(`${lang}: ReceiveSummaryView composes the headline, counts and reconciliation in the language`, async () => {
      await act(() => i18n.changeLanguage(lang));
      render(<ReceiveSummaryView summary={receiveSummary()} />);
      expect(screen.getByTestId('receive-description').textContent).toBe(headline);
      expect(screen.getByTestId('receive-values').textContent).toBe(values);
      expect(screen.getByTestId('receive-reconciliation').textContent).toBe(reconciliation);
      const row = screen.getByTestId('receive-mismatches').querySelector('tbody tr')!;
      expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['OuClinicA01', lang === 'fr' ? '(aucun)' : '(nenhum)', '202401', cell, lang === 'fr' ? '1 valeur, somme 10' : '1 valor, soma 10']);
    });
  }
});
