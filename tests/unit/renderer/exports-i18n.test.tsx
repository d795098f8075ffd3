/**
 * The export screens in French and Portuguese (exports namespace): titles, labels, choices and the stores' form
 * errors in the language chosen, counts with its plural forms and number format (fr: 1 234, pt: 1234).
 */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { i18n } from '../../../src-renderer/i18n.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';
import { useDataExport, useMetadataExport } from '../../../src-renderer/stores/exports.ts';
import { useEventsExport } from '../../../src-renderer/stores/events-export.ts';
import { useSend } from '../../../src-renderer/stores/send.ts';
import { usePdfFormExport } from '../../../src-renderer/stores/pdf-form.ts';
import { DataExportScreen } from '../../../src-renderer/screens/data-export/DataExportScreen.tsx';
import { EventsExportScreen } from '../../../src-renderer/screens/events-export/EventsExportScreen.tsx';
import { MetadataExportScreen } from '../../../src-renderer/screens/metadata-export/MetadataExportScreen.tsx';
import { SendScreen } from '../../../src-renderer/screens/send/SendScreen.tsx';
import { PdfFormExportScreen } from '../../../src-renderer/screens/pdf-form-export/PdfFormExportScreen.tsx';
import { Dhis14ExportScreen } from '../../../src-renderer/screens/dhis14-export/Dhis14ExportScreen.tsx';
import { DependencyExportScreen } from '../../../src-renderer/screens/dependency-export/DependencyExportScreen.tsx';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import type { SendPreview, SendSummary } from '../../../src-shared/transfer-send.ts';
import { fakeApi, jobRecord, type FakeHandlers } from './fake-api.ts';

/** the text with every kind of space (fr groups digits with a narrow no-break space) as a plain space */
const plain = (s: string | null | undefined): string => (s ?? '').replace(/\s/g, ' ');

beforeEach(() => {
  useApp.setState({ formats: formatInfos(), capabilities: ['export:data', 'export:events', 'export:metadata', 'export:send'], dbInfo: { metadata: { dataElements: 1_234_567, organisationUnits: 3 }, dataValues: 0, events: 0, freeSpace: null } as never });
  useDataExport.getState().reset();
  useMetadataExport.getState().reset();
  useEventsExport.getState().reset();
  usePdfFormExport.getState().reset();
  useSend.setState({ site: null, destinations: [], destination: '', metadata: 'none', siteName: '', preview: null, previewing: false, step: 'edit', formError: null });
});
afterEach(() => {
  cleanup();
  setApi(null);
});

const lists: FakeHandlers = { 'metadata:list': () => [], 'orgUnits:children': () => [] };

const site = { id: 'SiteUid0001', name: 'Clinic A', orgUnit: 'OuClinicA01', orgUnitName: 'Clinic A', nameSet: true, orgUnitSet: true };
const preview = (to: string): SendPreview => ({
  site: { id: 'SiteUid0001', name: 'Clinic A', orgUnit: 'OuClinicA01' },
  destination: to,
  known: true,
  sequence: 4,
  changes: { from: 7, to: 12 },
  valuesAtMost: 1234,
  events: 1,
  metadataObjects: 1_000_000,
  lastSent: { sequence: 3, packageId: 'PkgPrev0001', file: '/usb/prev.zip', createdAt: '2026-11-30T10:00:00.000Z' },
});
const sent: SendSummary = {
  responseType: 'ExportSummary', status: 'OK', file: '/usb/pkg.zip', format: 'ferry-package', compression: 'zip', bytes: 4567, sha256: 'cd'.repeat(32),
  counts: { dataValues: 1200, deletions: 4, events: 3, metadataObjects: 0, controlTotals: 10 },
  packageId: 'PkgNew00001', sequence: 4, changes: { from: 7, to: 12 }, from: { id: 'SiteUid0001', name: 'Clinic A' }, to: { id: 'DestUid0001', name: 'District B' },
};
const sendHandlers = (): FakeHandlers => ({
  'transfer:site': () => site,
  'transfer:destinations': () => [{ id: 'DestUid0001', name: 'District B', last: null, packages: 3 }],
  'transfer:sendPreview': (r) => preview(r.to),
  'dialog:saveFile': () => ({ path: '/usb/pkg.zip' }),
  'transfer:send': () => ({ jobId: 9 }),
  'jobs:wait': (r) => jobRecord({ id: r.id, direction: 'export', kind: 'send', summary: sent, resultStatus: 'OK' }),
});

describe('data export in French and Portuguese', () => {
  it('French: title, steps, labels, the refusal of an empty form', async () => {
    setApi(fakeApi(lists));
    await i18n.changeLanguage('fr');
    render(<DataExportScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Export de données');
    expect(screen.getByText('Options avancées')).toBeTruthy();
    expect(screen.getByLabelText('Date de début')).toBeTruthy();
    expect(screen.getByLabelText('Inclure les valeurs supprimées')).toBeTruthy();
    expect(screen.getByLabelText('Sans compression')).toBeTruthy();
    expect(screen.getByTestId('start').textContent).toBe('Exporter…');
    fireEvent.click(screen.getByTestId('start'));
    await screen.findByText('Choisissez au moins une unité d’organisation.');
  });

  it('Portuguese: title, labels, the refusal of a start after the end', async () => {
    setApi(fakeApi(lists));
    await i18n.changeLanguage('pt');
    useDataExport.getState().patchOptions({ orgUnits: [{ id: 'OuBo0000001', name: 'Bo', mode: 'DESCENDANTS' }], dataSets: [{ id: 'DsAnc000001', name: 'ANC' }], startDate: '2024-05-01', endDate: '2024-04-01' });
    render(<DataExportScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Exportação de dados');
    expect(screen.getByLabelText('Alterações desde')).toBeTruthy();
    expect(screen.getByLabelText('Esquema de ID das unidades organizacionais')).toBeTruthy();
    expect(screen.getByTestId('start').textContent).toBe('Exportar…');
    fireEvent.click(screen.getByTestId('start'));
    await screen.findByText('A data de início é posterior à data de fim.');
  });
});

describe('metadata export counts', () => {
  it('writes the chosen objects with the language’s grouping and plural (fr: 1 234 570 objets; pt: 1 234 570 objetos)', async () => {
    setApi(fakeApi(lists));
    await i18n.changeLanguage('fr');
    const { unmount } = render(<MetadataExportScreen />);
    await waitFor(() => expect(plain(screen.getByText(/types sur/).textContent)).toBe('2 types sur 2, 1 234 570 objets'));
    unmount();
    await i18n.changeLanguage('pt');
    render(<MetadataExportScreen />);
    await waitFor(() => expect(plain(screen.getByText(/tipos,/).textContent)).toBe('2 de 2 tipos, 1 234 570 objetos'));
    // European Portuguese: zero takes the plural (the catalogue's _zero form; CLDR's 'pt' would say "0 objeto")
    fireEvent.click(screen.getByTestId('select-none'));
    await waitFor(() => expect(plain(screen.getByText(/tipos,/).textContent)).toBe('0 de 2 tipos, 0 objetos'));
  });
});

describe('event export in French and Portuguese', () => {
  it('French: the wizard, the org unit inclusion, the program hint', async () => {
    setApi(fakeApi(lists));
    await i18n.changeLanguage('fr');
    render(<EventsExportScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Export d’événements');
    expect(screen.getByLabelText('Inclure les descendants de l’unité d’organisation')).toBeTruthy();
    expect(screen.getByText('Aucune choisie : toutes les unités d’organisation.')).toBeTruthy();
    expect(screen.getByText('Aucun choisi : tous les programmes.')).toBeTruthy();
    expect(screen.getByLabelText('Inclure les événements supprimés')).toBeTruthy();
    expect(screen.getByLabelText('Schéma d’ID')).toBeTruthy();
  });

  it('Portuguese: a chosen program, its stage hint and its clear button', async () => {
    setApi(fakeApi(lists));
    await i18n.changeLanguage('pt');
    useEventsExport.getState().patchOptions({ program: { id: 'Program0001', name: 'Malária' } });
    render(<EventsExportScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Exportação de eventos');
    expect(screen.getByText('Nenhum escolhido: todos os estágios de Malária.')).toBeTruthy();
    expect(screen.getByText(/Escolhido: Malária/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Limpar: programa' }));
    expect(useEventsExport.getState().options.program).toBeNull();
    useEventsExport.getState().patchOptions({ startDate: '2024-05-01', endDate: '2024-04-01' });
    expect(await useEventsExport.getState().start()).toBe(false);
    expect(useEventsExport.getState().formError).toBe('A data de início é posterior à data de fim.');
  });
});

describe('send in French and Portuguese', () => {
  it('French: the preview with its plural forms and numbers, then the result', async () => {
    const api = fakeApi(sendHandlers());
    setApi(api);
    await i18n.changeLanguage('fr');
    useSend.getState().setMetadata('all');
    render(<SendScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Envoyer à un autre site');
    await waitFor(() => expect((screen.getByTestId('send-site-name') as HTMLInputElement).value).toBe('Clinic A'));
    expect(screen.getByText('Sites auxquels celui-ci a envoyé : District B.')).toBeTruthy();
    fireEvent.change(screen.getByTestId('send-destination'), { target: { value: 'District B' } });
    const box = await screen.findByTestId('send-preview');
    expect(plain(box.querySelector('p')!.textContent)).toBe('Paquet 4 pour District B : changements 8 à 12.');
    expect(screen.getByTestId('send-preview-sequence').textContent).toBe('4');
    expect(plain(screen.getByTestId('send-preview-values').textContent)).toBe('jusqu’à 1 234 valeurs de données (nouvelles, modifiées ou supprimées)');
    expect(screen.getByTestId('send-preview-events').textContent).toBe('1 événement');
    // CLDR: French says "1 000 000 d’objets"
    expect(plain(screen.getByTestId('send-preview-metadata').textContent)).toBe('1 000 000 d’objets de métadonnées');
    expect(box.textContent).toMatch(/Le dernier paquet pour District B était le numéro 3, créé le 2026-11-30/);
    fireEvent.click(screen.getByTestId('start'));
    await screen.findByTestId('send-result');
    expect(screen.getByText('Le paquet 4 pour District B est écrit et vérifié')).toBeTruthy();
    expect(plain(screen.getByTestId('send-result-values').textContent)).toBe('1 200');
    expect(plain(screen.getByText(/octets$/).textContent)).toBe('4 567 octets');
    expect(screen.getByTestId('new-send').textContent).toBe('Envoyer un autre');
  });

  it('Portuguese: the preview, and the refusal without a destination', async () => {
    const api = fakeApi(sendHandlers());
    setApi(api);
    await i18n.changeLanguage('pt');
    render(<SendScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Enviar para outro local');
    await waitFor(() => expect((screen.getByTestId('send-site-name') as HTMLInputElement).value).toBe('Clinic A'));
    expect(screen.getByLabelText('Sem metadados (para cima: unidade → distrito)')).toBeTruthy();
    fireEvent.click(screen.getByTestId('start'));
    expect((await screen.findByTestId('send-error')).textContent).toBe('Escolha ou escreva o local a que o pacote se destina.');
    fireEvent.change(screen.getByTestId('send-destination'), { target: { value: 'District B' } });
    await screen.findByTestId('send-preview');
    expect(plain(screen.getByTestId('send-preview-values').textContent)).toBe('até 1234 valores de dados (novos, alterados ou eliminados)');
    expect(screen.getByTestId('send-preview-events').textContent).toBe('1 evento');
    expect(screen.getByTestId('send-preview').textContent).toContain('Pacote 4 para District B: alterações 8 a 12.');
  });
});

describe('PDF form, DHIS 1.4 and dependency export in French and Portuguese', () => {
  it('PDF form: the intro names the data import screen in bold; a period that is none is refused in the language', async () => {
    setApi(fakeApi(lists));
    await i18n.changeLanguage('fr');
    const { unmount } = render(<PdfFormExportScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Formulaire de saisie PDF');
    expect(screen.getByText('Import de données').tagName).toBe('STRONG');
    expect((screen.getByTestId('pdf-form-period') as HTMLInputElement).placeholder).toBe('p. ex. 202611');
    expect(screen.getByTestId('start').textContent).toBe('Enregistrer le formulaire…');
    unmount();
    await i18n.changeLanguage('pt');
    usePdfFormExport.getState().patchOptions({ dataSet: { id: 'DsAnc000001', name: 'ANC' }, period: 'Novembro' });
    expect(await usePdfFormExport.getState().start()).toBe(false);
    expect(usePdfFormExport.getState().formError).toBe('“Novembro” não é um período DHIS2 (por exemplo 202611 para um mês, 2026Q4, 2026W48, 2026).');
  });

  it('DHIS 1.4: what to export, in French; dependency export types, in Portuguese', async () => {
    setApi(fakeApi(lists));
    await i18n.changeLanguage('fr');
    const { unmount } = render(<Dhis14ExportScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Export vers DHIS 1.4');
    expect(screen.getByLabelText('Métadonnées détaillées')).toBeTruthy();
    expect(screen.getByText('Ensembles de données (facultatif)')).toBeTruthy();
    unmount();
    await i18n.changeLanguage('pt');
    render(<DependencyExportScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Exportação de dependências de metadados');
    const types = [...(screen.getByLabelText('Tipo de objeto') as HTMLSelectElement).options].map((o) => o.text);
    expect(types).toEqual(['Conjuntos de dados', 'Programas', 'Combinações de categorias', 'Painéis', 'Grupos de elementos de dados', 'Conjuntos de opções']);
  });
});
