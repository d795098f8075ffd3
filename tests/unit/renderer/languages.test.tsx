/**
 * Issue 15, French and Portuguese: the shell (menu, counts, the language chooser), the home, the Job overview (its
 * options as the wizards label them), the check and maintenance screens, in fr and pt with a fake Api; the chooser
 * switches every screen at once and remembers the choice.
 */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { i18n, LANGUAGE_KEY } from '../../../src-renderer/i18n.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';
import { optionLines, SCHEME_LABEL, VALUE_LABEL } from '../../../src-renderer/screens/job-overview/job-labels.ts';
import { TILE_PURPOSE } from '../../../src-renderer/screens/home/first-run.ts';
import { resources } from '../../../src-shared/i18n/catalogue.ts';
import { fakeApi, jobRecord, resetApp } from './fake-api.ts';

afterEach(resetApp);

/** the narrow no-break space French writes between thousands (CLDR), and Portuguese's dot */
const NNBSP = '\u202f';
const DEFAULTS = { categoryOptions: 1, categories: 1, categoryCombos: 1, categoryOptionCombos: 1 };
const CAPS = ['import:metadata', 'import:data', 'export:data', 'db:check', 'db:maintenance'];

const DATA_JOB = jobRecord({
  id: 4,
  kind: 'data',
  direction: 'import',
  resultStatus: 'SUCCESS',
  options: { dryRun: false, importStrategy: 'CREATE_AND_UPDATE', idScheme: 'CODE', orgUnitIdScheme: 'ATTRIBUTE:abcdefghijk', overlap: 'newer', skipExistingCheck: true },
  files: [{ index: 0, path: '/d/bo.json', name: 'bo.json', size: 518, sha256: 'ab41ffc7d8fb'.padEnd(64, '0'), format: 'json', compression: 'none', status: 'SUCCESS' }],
});

function api(o: { dataValues?: number; events?: number; metadata?: Record<string, number>; jobs?: boolean } = {}) {
  return fakeApi({
    'app:info': () => ({ version: '0.1.0', dbPath: '/home/dm/ferry/site.db', capabilities: CAPS }),
    'db:info': () => ({ metadata: o.metadata ?? { ...DEFAULTS, organisationUnits: 1_234_563 }, dataValues: o.dataValues ?? 1_234_567, events: o.events ?? 2 }),
    'jobs:list': () => (o.jobs === false ? [] : [DATA_JOB]),
    'jobs:get': () => DATA_JOB,
    'db:checkStatus': () => ({ running: false, progress: null, last: null }),
    'db:maintenanceStatus': () => ({ running: null, progress: null, last: null }),
  });
}

const menuTexts = (): string[] => Array.from(document.querySelectorAll('nav [data-test^="menu-"]')).map((b) => b.textContent ?? '');

describe('the shell in French and Portuguese', () => {
  it('fr: menu, groups, counts written 1 234 567 (the system defaults not counted), the chooser named in French', async () => {
    await i18n.changeLanguage('fr');
    setApi(api());
    render(<App />);
    await screen.findByText('/home/dm/ferry/site.db');
    expect(menuTexts()).toEqual([
      'Importation de métadonnées',
      'Importation de données',
      'Export de données',
      'Historique des tâches',
      'Vérifier la base de données',
      'Maintenance de la base de données',
    ]);
    expect(Array.from(document.querySelectorAll('nav .menu-title')).map((e) => e.textContent)).toEqual(['Import', 'Export', 'Outils', 'Base de données']);
    // 1 234 563 org units + the four defaults: the defaults are not the user's metadata
    expect(screen.getByTestId('db-metadata-count').textContent).toBe(`1${NNBSP}234${NNBSP}563 objets de métadonnées`);
    expect(screen.getByTestId('db-datavalue-count').textContent).toBe(`1${NNBSP}234${NNBSP}567 valeurs de données`);
    expect(screen.getByTestId('db-event-count').textContent).toBe('2 événements');
    const chooser = screen.getByRole('combobox', { name: 'Langue (Language, Idioma)' }) as HTMLSelectElement;
    expect(chooser.value).toBe('fr');
    expect(Array.from(chooser.options).map((o) => [o.value, o.textContent])).toEqual([
      ['en', 'English'],
      ['fr', 'Français'],
      ['pt', 'Português'],
    ]);
    expect(screen.getByRole('navigation', { name: 'Menu principal' })).toBeTruthy();
  });

  it('pt: menu, counts written 1 234 567, one event in the singular', async () => {
    await i18n.changeLanguage('pt');
    setApi(api({ metadata: { ...DEFAULTS, dataElements: 1 }, events: 1 }));
    render(<App />);
    await screen.findByText('/home/dm/ferry/site.db');
    expect(menuTexts()).toEqual([
      'Importação de metadados',
      'Importação de dados',
      'Exportação de dados',
      'Histórico de tarefas',
      'Verificar a base de dados',
      'Manutenção da base de dados',
    ]);
    expect(screen.getByTestId('db-metadata-count').textContent).toBe('1 objeto de metadados');
    expect(screen.getByTestId('db-datavalue-count').textContent).toBe('1\u00a0234\u00a0567 valores de dados');
    expect(screen.getByTestId('db-event-count').textContent).toBe('1 evento');
    expect(screen.getByRole('combobox', { name: 'Idioma (Language, Langue)' })).toBeTruthy();
  });

  it('the chooser switches every screen at once, without a reload, and remembers the choice', async () => {
    setApi(api());
    render(<App />);
    await screen.findByText('/home/dm/ferry/site.db');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Import and export');
    const chooser = screen.getByRole('combobox', { name: 'Language (Langue, Idioma)' });
    await act(async () => {
      fireEvent.change(chooser, { target: { value: 'fr' } });
    });
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Import et export'));
    expect(menuTexts()[0]).toBe('Importation de métadonnées');
    expect(globalThis.localStorage.getItem(LANGUAGE_KEY)).toBe('fr');
    expect(document.documentElement.lang).toBe('fr');
    // the same app, now on another screen, then in Portuguese
    fireEvent.click(screen.getByTestId('menu-jobs'));
    await screen.findByRole('heading', { level: 1, name: 'Historique des tâches' });
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: 'Langue (Language, Idioma)' }), { target: { value: 'pt' } });
    });
    await screen.findByRole('heading', { level: 1, name: 'Histórico de tarefas' });
    expect(screen.getByRole('button', { name: 'Importações' })).toBeTruthy();
    expect(globalThis.localStorage.getItem(LANGUAGE_KEY)).toBe('pt');
  });
});

describe('the home in French and Portuguese', () => {
  it('fr: first-run guidance, tiles and their purposes', async () => {
    await i18n.changeLanguage('fr');
    setApi(api({ metadata: DEFAULTS, dataValues: 0, events: 0 }));
    render(<App />);
    const card = await screen.findByTestId('first-run');
    expect(card.querySelector('h2')!.textContent).toBe('Commencez ici : cette base de données est vide');
    expect(Array.from(card.querySelectorAll('li strong')).map((s) => s.textContent)).toEqual(['Importez d’abord les métadonnées', 'Puis importez les données']);
    expect(screen.getByTestId('first-run-metadata').textContent).toBe('Importer les métadonnées');
    const tile = screen.getByTestId('tile-import-data');
    expect(tile.querySelector('.tile-group')!.textContent).toBe('Import');
    expect(tile.querySelector('.tile-label')!.textContent).toBe('Importation de données');
    expect(tile.querySelector('.tile-purpose')!.textContent).toBe(
      'Charger des valeurs de données (JSON, XML, CSV, ADX, formulaires PDF remplis…), un fichier ou plusieurs à la fois.',
    );
    // the exported lines follow the language too
    expect(TILE_PURPOSE['db-check']).toBe('Vérifier que le fichier de la base est intact (après une coupure de courant, par exemple).');
    expect(screen.getByTestId('no-metadata').textContent).toBe('Pas encore de métadonnées (seulement les éléments par défaut du système). Commencez par un import de métadonnées.');
    expect(screen.getByTestId('home-counts').textContent).toBe('0 valeur de données · 0 événement');
  });

  it('pt: the database card counts 1 234 567 and names the tiles', async () => {
    await i18n.changeLanguage('pt');
    setApi(api());
    render(<App />);
    await screen.findByTestId('db-counts');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Importação e exportação');
    expect(screen.getByTestId('home-counts').textContent).toBe('1\u00a0234\u00a0567 valores de dados · 2 eventos');
    expect(document.querySelector('[data-type="organisationUnits"] td')!.textContent).toBe('1\u00a0234\u00a0563');
    expect(screen.getByTestId('tile-db-maintenance').querySelector('.tile-label')!.textContent).toBe('Manutenção da base de dados');
    expect(screen.getByTestId('tile-db-maintenance').querySelector('.tile-group')!.textContent).toBe('Utilitários');
    expect(screen.queryByTestId('first-run')).toBeNull();
  });
});

describe('the Job overview in three languages', () => {
  it('en: the options as the wizards label them, not DHIS2 API keys', async () => {
    setApi(api());
    useApp.setState({ screen: 'jobs', jobId: 4 });
    render(<App />);
    const options = await screen.findByTestId('job-options');
    await waitFor(() => expect(options.textContent).toContain('Strategy: New and updates'));
    expect(options.textContent).toBe(
      'Dry run: No · Strategy: New and updates · ID scheme: Code · Org unit ID scheme: Attribute abcdefghijk · When files carry the same values: Keep the newer file’s values · Skip check for existing values: Yes',
    );
    expect(options.textContent).not.toMatch(/importStrategy|CREATE_AND_UPDATE|skipExistingCheck/);
    expect(screen.getByRole('heading', { name: /^Data import, \d{4}-\d\d-\d\d \d\d:\d\d$/ })).toBeTruthy();
  });

  it('fr: list, title and options in French', async () => {
    await i18n.changeLanguage('fr');
    setApi(api());
    useApp.setState({ screen: 'jobs' });
    render(<App />);
    await screen.findByTestId('jobs-table');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Historique des tâches');
    expect(Array.from(document.querySelectorAll('.jobs thead th')).map((t) => t.textContent)).toEqual(['Date', 'Tâche', 'Fichiers', 'Statut', 'Durée']);
    expect(screen.getByTestId('open-job').textContent).toBe('Importation de données');
    fireEvent.click(screen.getByTestId('open-job'));
    const options = await screen.findByTestId('job-options');
    expect(options.textContent).toBe(
      'Essai à blanc : Non · Stratégie : Nouveaux et mises à jour · Schéma d’ID : Code · Schéma d’ID des unités d’organisation : Attribut abcdefghijk · Quand des fichiers portent les mêmes valeurs : Garder les valeurs du fichier le plus récent · Ne pas vérifier les valeurs existantes : Oui',
    );
    expect(screen.getByTestId('back-to-jobs').textContent).toBe('← Toutes les tâches');
    expect(screen.getByTestId('run-again').textContent).toBe('Relancer…');
  });

  it('pt: options in Portuguese; the empty overview says what will appear', async () => {
    await i18n.changeLanguage('pt');
    expect(optionLines(DATA_JOB.options).map((o) => `${o.label}: ${o.value}`)).toEqual([
      'Ensaio: Não',
      'Estratégia: Novos e atualizações',
      'Esquema de ID: Código',
      'Esquema de ID das unidades organizacionais: Atributo abcdefghijk',
      'Quando os ficheiros trazem os mesmos valores: Manter os valores do ficheiro mais recente',
      'Não verificar os valores existentes: Sim',
    ]);
    // a DHIS 1.4 password is never shown
    expect(optionLines({ password: 'secret' })).toEqual([{ option: 'password', label: 'Palavra-passe', value: '••••••' }]);
    setApi(api({ jobs: false }));
    useApp.setState({ screen: 'jobs' });
    render(<App />);
    const empty = await screen.findByTestId('jobs-empty');
    expect(empty.textContent).toContain('Ainda não há tarefas.');
    expect(empty.textContent).toContain('Cada importação e exportação feita aqui ficará listada');
  });

  it('every option value label the overview uses is in the catalogue', () => {
    const app = resources.en.app as Record<string, string>;
    for (const key of [...Object.values(VALUE_LABEL).flatMap((m) => Object.values(m)), ...Object.values(SCHEME_LABEL)]) expect(app[key], key).toBeTypeOf('string');
  });
});

describe('check and maintenance in French and Portuguese', () => {
  it('fr: the check screen; pt: the maintenance screen', async () => {
    await i18n.changeLanguage('fr');
    setApi(api());
    useApp.setState({ screen: 'db-check' });
    const { unmount } = render(<App />);
    expect((await screen.findByTestId('db-check-start')).textContent).toBe('Vérifier la base de données');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Vérifier la base de données');
    unmount();
    await i18n.changeLanguage('pt');
    useApp.setState({ screen: 'db-maintenance' });
    render(<App />);
    expect((await screen.findByTestId('db-backup-start')).textContent).toBe('Fazer cópia…');
    expect(screen.getByTestId('db-vacuum-start').textContent).toBe('Compactar');
    expect(screen.getByRole('heading', { level: 2, name: 'Compactar a base de dados' })).toBeTruthy();
  });
});

describe('the options line', () => {
  it('lists the switches that were turned on, not the ones left off', () => {
    const lines = optionLines({ dryRun: true, importStrategy: 'UPDATE', strictPeriods: false, strictDataElements: true, force: false, skipExistingCheck: false, firstRowIsHeader: false });
    expect(lines.map((o) => `${o.label}: ${o.value}`)).toEqual([
      'Dry run: Yes',
      'Strategy: Updates only',
      'Data elements must belong to the data set: Yes',
      'The first row is a header: No',
    ]);
  });
});

describe('the Sites page in French and Portuguese', () => {
  const gap = (sequence: number) => ({ senderId: 's1', senderName: 'Clinique A', sequence, message: `package ${sequence} from Clinique A has not arrived` });
  const siteApi = () =>
    fakeApi({
      'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:transfer'] }),
      'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
      'transfer:sites': () => [
        { senderId: 's1', name: 'Clinique A', orgUnit: null, packages: 1234, lastSequence: 6, lastReceivedAt: '2026-12-02T09:30:00.000Z', expectedNext: 1, gaps: [gap(1), gap(3), gap(4)], mismatches: 0 },
      ],
      'transfer:reconcile': () => ({ cells: 1, mismatches: 1, rows: [{ senderId: 's1', senderName: 'Clinique A', sequence: 6, orgUnit: 'OuBo0000001', dataSet: null, period: '202401', sent: { values: 1, sum: 10 }, stored: { values: 1_234_567, sum: 12 }, match: false }] }),
    });

  it('fr: columns, the missing packages said with their neighbours, counts', async () => {
    await i18n.changeLanguage('fr');
    setApi(siteApi());
    useApp.setState({ screen: 'sites' });
    render(<App />);
    await screen.findByTestId('sites-row');
    expect(Array.from(document.querySelectorAll('[data-test="sites-table"] th')).map((t) => t.textContent)).toEqual([
      'Site',
      'Paquets',
      'Dernier paquet',
      'Reçu le',
      'Prochain attendu',
      'Manquants',
      'Totaux qui diffèrent',
    ]);
    expect(screen.getByTestId('sites-row').textContent).toContain(`1${NNBSP}234`);
    expect(screen.getAllByTestId('sites-gap').map((g) => g.textContent)).toEqual([
      'le paquet 1 de Clinique A n’est pas arrivé ; le paquet 2 est arrivé',
      'le paquet 3 de Clinique A n’est pas arrivé ; les paquets 2 et 5 sont arrivés',
      'le paquet 4 de Clinique A n’est pas arrivé ; les paquets 2 et 5 sont arrivés',
    ]);
    const mismatch = screen.getByTestId('sites-mismatch-table').textContent!;
    expect(mismatch).toContain('1 valeur, somme 10 (paquet 6)');
    expect(mismatch).toContain(`1${NNBSP}234${NNBSP}567 valeurs, somme 12`);
    expect(mismatch).toContain('(aucun)');
  });

  it('pt: the missing packages', async () => {
    await i18n.changeLanguage('pt');
    setApi(siteApi());
    useApp.setState({ screen: 'sites' });
    render(<App />);
    await screen.findByTestId('sites-row');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Locais');
    expect(screen.getAllByTestId('sites-gap')[1]!.textContent).toBe('o pacote 3 de Clinique A não chegou; os pacotes 2 e 5 chegaram');
  });
});
