/**
 * The other import screens in French and Portuguese (#15): CSV metadata (class keys in the language's order, the
 * membership warning, the preview's column names), event import, geometry import and the DHIS 1.4 report.
 */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { i18n } from '../../../src-renderer/i18n.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';
import { useCsvMetadataImport, useCsvMetadataPreview } from '../../../src-renderer/stores/csv-metadata.ts';
import { useEventsImport } from '../../../src-renderer/stores/events-import.ts';
import { useGeometryImport } from '../../../src-renderer/stores/geometry.ts';
import { CsvMetadataImportScreen, columnLabel } from '../../../src-renderer/screens/csv-metadata-import/CsvMetadataImportScreen.tsx';
import { EventsImportScreen } from '../../../src-renderer/screens/events-import/EventsImportScreen.tsx';
import { GeometryImportScreen } from '../../../src-renderer/screens/geometry-import/GeometryImportScreen.tsx';
import { Dhis14ImportScreen, Dhis14ReportView } from '../../../src-renderer/screens/dhis14-import/Dhis14ImportScreen.tsx';
import { useDhis14Import } from '../../../src-renderer/stores/dhis14-import.ts';
import { CSV_CLASSES, cellsOf } from '../../../src-shared/dhis2/csv-metadata.ts';
import type { Dhis14ImportSummary } from '../../../src-shared/dhis14-report.ts';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import { fakeApi, jobRecord } from './fake-api.ts';

const stat = (r: { paths: string[] }) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 }));

beforeEach(() => {
  useApp.setState({ formats: formatInfos(), capabilities: ['import:csv-metadata', 'import:events', 'import:geometry', 'import:dhis14'] });
  useCsvMetadataImport.getState().reset();
  useCsvMetadataPreview.getState().clear();
  useEventsImport.getState().reset();
  useGeometryImport.getState().reset();
});
afterEach(() => {
  cleanup();
  setApi(null);
});

describe('CSV metadata import in French', () => {
  it('offers the class keys in French, in French order; warns about member lists and names the preview columns in French', async () => {
    await act(() => i18n.changeLanguage('fr'));
    setApi(
      fakeApi({
        'files:stat': stat,
        'csvMetadata:preview': (r) => ({
          classKey: r.classKey,
          columns: CSV_CLASSES.DATA_ELEMENT_GROUP_MEMBERSHIP.columns.map((c) => ({ key: c.key, label: c.label })),
          header: null,
          rows: [{ line: 1, cells: cellsOf('DATA_ELEMENT_GROUP_MEMBERSHIP', ['grpAAAAAAAA', 'fbfJHSPpUQD']), extra: 2 }],
          more: false,
          warning: null,
        }),
      }),
    );
    await useCsvMetadataImport.getState().addPaths(['/d/members.csv']);
    render(<CsvMetadataImportScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Importation de métadonnées CSV');
    fireEvent.click(screen.getByTestId('next'));
    const select = screen.getByLabelText('Contenu du fichier (class key)') as HTMLSelectElement;
    const labels = Array.from(select.options).map((o) => o.textContent!);
    expect(labels[0]).toBe('Choisissez le contenu du fichier…');
    expect(labels).toContain('Éléments de données (DATA_ELEMENT)');
    // French order: "Appartenances…" first, "Unités d'organisation" last (É sorts with E)
    expect(labels[1]).toBe('Appartenances aux ensembles de groupes d’options (OPTION_GROUP_SET_MEMBERSHIP)');
    expect(labels.indexOf('Éléments de données (DATA_ELEMENT)')).toBeLessThan(labels.indexOf('Groupes d’éléments de données (DATA_ELEMENT_GROUP)'));
    expect(labels.at(-1)).toBe('Unités d’organisation (ORGANISATION_UNIT)');
    fireEvent.change(select, { target: { value: 'DATA_ELEMENT_GROUP_MEMBERSHIP' } });
    expect(screen.getByTestId('membership-warning').textContent).toMatch(
      /^Appartenances aux groupes d’éléments de données remplacent la liste des membres\u00a0: chaque groupe nommé dans le fichier ne garde que les éléments de données listés pour lui/,
    );
    const table = await screen.findByTestId('csv-preview');
    expect(Array.from(table.querySelectorAll('th')).map((th) => th.textContent)).toEqual(['Ligne', 'UID du groupe d’éléments de données', 'UID du membre (élément de données)']);
    expect(table.textContent).toContain('2 colonnes après la dernière sont ignorées.');
  });

  it('every column label of every class key has its French and Portuguese words', async () => {
    // the words these languages write as English does
    const same = { fr: new Set(['URL', 'Code', 'Description', 'Instruction']), pt: new Set(['URL']) };
    for (const lang of ['fr', 'pt'] as const) {
      await i18n.changeLanguage(lang);
      const untranslated = Object.values(CSV_CLASSES)
        .flatMap((spec) => spec.columns.map((c) => c.label))
        .filter((label) => !same[lang].has(label) && columnLabel(label) === label);
      expect(untranslated, lang).toEqual([]);
    }
  });
});

describe('event and geometry import in Portuguese and French', () => {
  it('pt: event import title, strategies, atomic and validation modes', async () => {
    await act(() => i18n.changeLanguage('pt'));
    setApi(fakeApi({ 'files:stat': stat }));
    await useEventsImport.getState().addPaths(['/d/events.json']);
    render(<EventsImportScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Importação de eventos');
    fireEvent.click(screen.getByTestId('next'));
    const strategy = screen.getByLabelText('Estratégia de importação') as HTMLSelectElement;
    expect(strategy.options[2]!.textContent).toBe('Atualizar (um objeto que não existe é um erro)');
    expect(screen.getByLabelText('Tudo ou nada (ALL): um erro e nada é importado')).toBeTruthy();
    const validation = screen.getByLabelText('Modo de validação') as HTMLSelectElement;
    expect(Array.from(validation.options).map((o) => o.textContent)).toEqual([
      'Completo: todas as verificações, todos os erros indicados',
      'Falha rápida: parar no primeiro erro',
      'Ignorar: só as verificações necessárias para gravar os objetos',
    ]);
  });

  it('fr: geometry import matching options and the missing-property warning', async () => {
    await act(() => i18n.changeLanguage('fr'));
    setApi(fakeApi({ 'files:stat': stat }));
    await useGeometryImport.getState().addPaths(['/d/districts.geojson']);
    render(<GeometryImportScreen />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Importation de géométries');
    fireEvent.click(screen.getByTestId('next'));
    fireEvent.click(screen.getByLabelText('Une propriété de l’entité'));
    fireEvent.change(screen.getByLabelText('Propriété de l’entité'), { target: { value: ' ' } });
    expect(screen.getByText('Indiquez la propriété de l’entité qui identifie l’unité d’organisation.')).toBeTruthy();
    const against = screen.getByLabelText('Comparée à ce champ de l’unité d’organisation') as HTMLSelectElement;
    expect(Array.from(against.options).map((o) => o.textContent)).toEqual(['Identifiant (UID)', 'Code', 'Nom']);
  });
});

describe('DHIS 1.4 report in Portuguese', () => {
  it('tables and counts in Portuguese, numbers the Portuguese way', async () => {
    await act(() => i18n.changeLanguage('pt'));
    const summary: Dhis14ImportSummary = {
      responseType: 'ImportSummary',
      status: 'WARNING',
      description: '',
      importCount: { imported: 1234567, updated: 0, ignored: 2, deleted: 0 },
      conflicts: [],
      rejectedIndexes: [],
      dhis14: {
        mode: 'preview',
        file: 'district.mdb',
        format: 'mdb',
        tables: [{ name: 'RoutineData', rows: 1234569 }],
        lastUpdated: '2009-01-01T00:00:00',
        levels: 8,
        issues: [],
        objects: [{ type: 'organisationUnits', created: 1500, updated: 0, unchanged: 0, ignored: 0 }],
        values: { read: 1234569, imported: 1234567, updated: 0, unchanged: 0, skipped: 2, filtered: null },
        skipped: [{ what: 'custom data entry forms', count: 12000 }],
      },
    };
    render(<Dhis14ReportView summary={summary} />);
    const report = screen.getByTestId('dhis14-report');
    expect(report.querySelector('p')!.textContent).toBe('district.mdb (base de dados Access) — valores atualizados depois de 2009-01-01');
    expect(Array.from(screen.getByTestId('dhis14-objects').querySelectorAll('thead th')).map((th) => th.textContent)).toEqual([
      'Tipo',
      'Seriam criados',
      'Seriam atualizados',
      'Inalterados',
      'Recusados',
    ]);
    expect(screen.getByTestId('dhis14-type-organisationUnits').textContent).toBe('Unidades organizacionais1500000');
    expect(screen.getByTestId('dhis14-values-read').textContent).toBe('1\u00a0234\u00a0569');
    expect(screen.getByText('Nenhum problema de integridade encontrado.')).toBeTruthy();
    expect(report.textContent).toContain('custom data entry forms (12\u00a0000 neste ficheiro)');
  });
});

describe('DHIS 1.4 import: no screen tells the user to type a CLI flag', () => {
  it('an XML export without its data file: the screen says to untick "Import data values" (in each language), not --data-values', async () => {
    const message = 'dhis14.zip: this DHIS 1.4 XML export has no data file (RoutineData.txt is missing from the zip); export again from DHIS 1.4 with data, or import its metadata only (dataValues: false, --data-values false)';
    const record = jobRecord({ id: 3, kind: 'dhis14', status: 'failed', summary: null, error: { code: 'BAD_FILE', message, details: { file: 'dhis14.zip', reason: 'noDataFile' } } });
    useDhis14Import.setState({ step: 'run', run: { phase: 'finished', jobId: 3, record, error: null, cancelling: false } });
    render(<Dhis14ImportScreen />);
    const error = screen.getByTestId('job-error');
    expect(error.textContent).toBe('dhis14.zip: this DHIS 1.4 XML export has no data file (RoutineData.txt is missing). Export again from DHIS 1.4 with data, or untick "Import data values" in the settings to import its metadata only.');
    expect(error.textContent).not.toContain('--');
    await act(() => i18n.changeLanguage('fr'));
    expect(error.textContent).toContain('décochez «\u00a0Importer les valeurs de données\u00a0» dans les paramètres');
    await act(() => i18n.changeLanguage('pt'));
    expect(error.textContent).toContain('desmarque "Importar os valores de dados" nas definições');
    // another failure keeps the engine's own words
    useDhis14Import.setState({ run: { phase: 'finished', jobId: 4, record: { ...record, error: { code: 'BAD_FILE', message: 'x.mdb: not an Access database', details: {} } }, error: null, cancelling: false } });
    expect((await screen.findByTestId('job-error')).textContent).toBe('x.mdb: not an Access database');
    useDhis14Import.getState().reset();
  });
});
