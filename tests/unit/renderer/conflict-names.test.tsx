/**
 * Names in the conflicts CSV and in the conflict table's filter (issue 15), in English, French and Portuguese: the CSV
 * keeps its columns and adds the names Ferry knows for every row (not only the page shown), asked 1,000 uids a call;
 * the filter finds a row by the name of a uid it holds.
 */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { i18n } from '../../../src-renderer/i18n.ts';
import { setApi } from '../../../src-renderer/api.ts';
import type { MetadataName } from '../../../src-shared/api/contract.ts';
import type { ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { DataImportSummaryView } from '../../../src-renderer/components/ImportSummaryView.tsx';
import { TrackerReportView } from '../../../src-renderer/components/TrackerReportView.tsx';
import type { TrackerImportReport } from '../../../src-shared/dhis2/tracker.ts';
import { fetchNames, MAX_NAME_LOOKUP } from '../../../src-renderer/components/Names.tsx';
import { fakeApi, type FakeApi } from './fake-api.ts';

afterEach(() => {
  cleanup();
  setApi(null);
});

/** an org unit whose name holds a comma and quotes (CSV escaping) */
const KNOWN: Record<string, MetadataName> = {
  DeAnc400001: { name: 'ANC 4th visit', type: 'dataElements' },
  OuBoHosp001: { name: 'Bo "Central", Hospital', type: 'organisationUnits' },
};

function namesApi(known: Record<string, MetadataName> = KNOWN): FakeApi {
  const api = fakeApi({
    'metadata:names': (r) => Object.fromEntries(r.uids.filter((u) => known[u]).map((u) => [u, known[u]!])),
    'dialog:saveFile': () => ({ path: '/tmp/conflicts.csv' }),
    'files:writeText': (r) => ({ path: r.path, bytes: r.text.length }),
  });
  setApi(api);
  return api;
}

function summary(conflicts: ImportSummary['conflicts']): ImportSummary {
  return {
    responseType: 'ImportSummary',
    status: 'WARNING',
    description: '',
    importCount: { imported: 0, updated: 0, deleted: 0, ignored: conflicts.length },
    conflicts,
    rejectedIndexes: [],
  } as ImportSummary;
}

const THREE = summary([
  {
    object: 'DeAnc400001',
    objects: { dataElement: 'DeAnc400001', orgUnit: 'OuBoHosp001' },
    value: 'Value must be a valid integer: data element DeAnc400001, org unit OuBoHosp001',
    errorCode: 'E7619',
    indexes: [0],
  },
  { object: 'OuBoHosp001', objects: { orgUnit: 'OuBoHosp001' }, value: 'Organisation unit not found or not accessible: OuBoHosp001', errorCode: 'E7612', indexes: [1] },
  { object: 'DeUnknown01', objects: { dataElement: 'DeUnknown01' }, value: 'Data element not found or not accessible', errorCode: 'E7610', indexes: [2] },
] as ImportSummary['conflicts']);

async function download(api: FakeApi): Promise<string> {
  fireEvent.click(screen.getByTestId('download-conflicts'));
  await waitFor(() => expect(api.callsTo('files:writeText')).toHaveLength(1));
  return (api.callsTo('files:writeText')[0] as { text: string }).text;
}

// the rows after the header are the same bytes in every language but for "value N" (the place in the file)
const rows = (value: string): string[] => [
  `E7619,"Value must be a valid integer: data element DeAnc400001, org unit OuBoHosp001",,${value} 1,DeAnc400001,dataElement: DeAnc400001; orgUnit: OuBoHosp001,ANC 4th visit,` +
    `"Value must be a valid integer: data element ANC 4th visit (DeAnc400001), org unit Bo ""Central"", Hospital (OuBoHosp001)",` +
    `"dataElement: ANC 4th visit (DeAnc400001); orgUnit: Bo ""Central"", Hospital (OuBoHosp001)"`,
  `E7612,Organisation unit not found or not accessible: OuBoHosp001,,${value} 2,OuBoHosp001,orgUnit: OuBoHosp001,"Bo ""Central"", Hospital",` +
    `"Organisation unit not found or not accessible: Bo ""Central"", Hospital (OuBoHosp001)","orgUnit: Bo ""Central"", Hospital (OuBoHosp001)"`,
  // an unknown uid: no name, the texts as they are
  `E7610,Data element not found or not accessible,,${value} 3,DeUnknown01,dataElement: DeUnknown01,,Data element not found or not accessible,dataElement: DeUnknown01`,
];

const CASES = [
  {
    lang: 'en',
    header: 'Error code,Message,Property,Where in the file,Object,Objects,Object name,Message with names,Objects with names',
    value: 'value',
    saved: 'Saved 3 conflicts to /tmp/conflicts.csv',
    matching: 'Rows 1–1 of 1. 1 of 3 match the filter.',
  },
  {
    lang: 'fr',
    header: 'Code d’erreur,Message,Propriété,Emplacement dans le fichier,Objet,Objets,Nom de l’objet,Message avec les noms,Objets avec leurs noms',
    value: 'valeur',
    saved: '3 conflits enregistrés dans /tmp/conflicts.csv',
    matching: 'Lignes 1 à 1 sur 1. 1 sur 3 correspondent au filtre.',
  },
  {
    lang: 'pt',
    header: 'Código de erro,Mensagem,Propriedade,Local no ficheiro,Objeto,Objetos,Nome do objeto,Mensagem com os nomes,Objetos com os nomes',
    value: 'valor',
    saved: '3 conflitos guardados em /tmp/conflicts.csv',
    matching: 'Linhas 1–1 de 1. 1 de 3 correspondem ao filtro.',
  },
] as const;

for (const c of CASES) {
  describe(`conflict names, in ${c.lang}`, () => {
    it('the CSV keeps its columns and adds the object’s name and the message and objects with names (commas and quotes escaped)', async () => {
      await i18n.changeLanguage(c.lang);
      const api = namesApi();
      render(<DataImportSummaryView summary={THREE} dryRun />);
      const text = await download(api);
      expect(text).toBe([c.header, ...rows(c.value)].join('\r\n') + '\r\n');
      await screen.findByText(c.saved);
      // the download asked the names of every row's uids in one call (3 uids < 1,000; "dataElement" looks like a uid too)
      const calls = api.callsTo('metadata:names') as { uids: string[] }[];
      expect(calls.at(-1)!.uids).toEqual(['DeAnc400001', 'DeUnknown01', 'OuBoHosp001', 'dataElement']);
    });

    it('the filter finds the rows whose object or message names the text ("ANC 4th"), not only those holding it', async () => {
      await i18n.changeLanguage(c.lang);
      const api = namesApi();
      render(<DataImportSummaryView summary={THREE} dryRun />);
      const table = screen.getByTestId('conflict-table');
      await waitFor(() => expect(within(table).getAllByTestId('named-uid')).toHaveLength(2));
      const before = api.callsTo('metadata:names').length;
      fireEvent.change(within(table).getByTestId('conflict-filter'), { target: { value: 'anc 4TH' } });
      await waitFor(() => expect(within(table).getByTestId('conflict-page').textContent).toBe(c.matching));
      const body = within(table).getAllByRole('row').slice(1);
      expect(body).toHaveLength(1);
      expect(body[0]!.textContent).toContain('E7619');
      // a name with a quote and a comma, typed as it is: the two rows naming that org unit
      fireEvent.change(within(table).getByTestId('conflict-filter'), { target: { value: 'Bo "Central", Hos' } });
      await waitFor(() => expect(within(table).getAllByRole('row').slice(1)).toHaveLength(2));
      // the raw text still matches (a uid, a code) and nothing else
      fireEvent.change(within(table).getByTestId('conflict-filter'), { target: { value: 'DeUnknown01' } });
      expect(within(table).getAllByRole('row').slice(1).map((r) => r.querySelector('code')?.textContent)).toEqual(['E7610']);
      // the names of the whole list were asked once, whatever the keystrokes (the other calls: each page shown)
      const whole = (api.callsTo('metadata:names') as { uids: string[] }[]).slice(before).filter((x) => x.uids.includes('DeUnknown01') && x.uids.includes('DeAnc400001'));
      expect(whole).toHaveLength(1);
    });
  });
}

describe('names of every row, 1,000 uids a call', () => {
  it('a CSV of 2,500 conflicts on different uids: 3 calls of at most 1,000 uids, every row named (not only the page shown)', async () => {
    const known: Record<string, MetadataName> = {};
    const conflicts = Array.from({ length: 2500 }, (_, i) => {
      const uid = `Ou${String(i).padStart(9, '0')}`;
      known[uid] = { name: `Clinic ${i}`, type: 'organisationUnits' };
      return { object: uid, objects: { orgUnit: uid }, value: `Organisation unit not found or not accessible: ${uid}`, errorCode: 'E7612', indexes: [i] };
    });
    const api = namesApi(known);
    render(<DataImportSummaryView summary={summary(conflicts as ImportSummary['conflicts'])} dryRun />);
    const pageCalls = api.callsTo('metadata:names').length;
    const text = await download(api);
    const calls = (api.callsTo('metadata:names') as { uids: string[] }[]).slice(pageCalls);
    expect(calls.map((x) => x.uids.length)).toEqual([1000, 1000, 500]);
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(2501);
    expect(lines[2500]).toBe(
      'E7612,Organisation unit not found or not accessible: Ou000002499,,value 2500,Ou000002499,orgUnit: Ou000002499,Clinic 2499,' +
        'Organisation unit not found or not accessible: Clinic 2499 (Ou000002499),orgUnit: Clinic 2499 (Ou000002499)',
    );
    expect(lines.slice(1).every((l, i) => l.includes(`,Clinic ${i},`))).toBe(true);
  });

  it('the filter finds a row by name beyond the first page (the names of the whole list, not the page)', async () => {
    const known: Record<string, MetadataName> = { DeAnc400001: KNOWN.DeAnc400001! };
    const conflicts = Array.from({ length: 180 }, (_, i) => ({
      object: i === 150 ? 'DeAnc400001' : `De${String(i).padStart(9, '0')}`,
      objects: {},
      value: 'Data element not found or not accessible',
      errorCode: 'E7610',
      indexes: [i],
    }));
    const api = namesApi(known);
    render(<DataImportSummaryView summary={summary(conflicts as ImportSummary['conflicts'])} dryRun />);
    const table = screen.getByTestId('conflict-table');
    // the first page does not hold it: the page lookup did not ask for it
    expect((api.callsTo('metadata:names') as { uids: string[] }[]).flatMap((x) => x.uids)).not.toContain('DeAnc400001');
    fireEvent.change(within(table).getByTestId('conflict-filter'), { target: { value: 'ANC 4th' } });
    await waitFor(() => expect(within(table).getByTestId('conflict-page').textContent).toBe('Groups 1–1 of 1. 1 of 180 match the filter.'));
    await waitFor(() => expect(within(table).getByTestId('named-uid').textContent).toBe('ANC 4th visit (DeAnc400001)'));
  });

  it('the filter ignores case and accents: "unite de sante d\'ogooué" finds "Unité de santé d’Ogooué"', async () => {
    await i18n.changeLanguage('fr');
    namesApi({ OuBoHosp001: { name: 'Unité de santé d’Ogooué', type: 'organisationUnits' } });
    render(<DataImportSummaryView summary={THREE} dryRun />);
    const table = screen.getByTestId('conflict-table');
    fireEvent.change(within(table).getByTestId('conflict-filter'), { target: { value: "UNITE DE SANTE D'OGOOUE" } });
    await waitFor(() => expect(within(table).getAllByRole('row').slice(1)).toHaveLength(2));
    expect(within(table).getAllByRole('row').slice(1).map((r) => r.querySelector('code')?.textContent)).toEqual(['E7619', 'E7612']);
    // and the cells' own text, case aside
    fireEvent.change(within(table).getByTestId('conflict-filter'), { target: { value: 'organisation unit NOT found' } });
    expect(within(table).getAllByRole('row').slice(1)).toHaveLength(1);
  });

  it('the tracker report’s filter finds an error by the name of the org unit its message holds', async () => {
    namesApi({ DiszpKrYNg8: { name: 'Ngelehun CHC', type: 'organisationUnits' } });
    const report = {
      responseType: 'TrackerImportReport',
      status: 'ERROR',
      stats: { created: 0, updated: 0, deleted: 0, ignored: 2, total: 2 },
      validationReport: {
        errorReports: [
          { message: 'Organisation unit: `DiszpKrYNg8` not found or not in the program', errorCode: 'E1029', trackerType: 'EVENT', uid: 'EvNotKnown1', line: 3 },
          { message: 'Event: `EvNotKnown2`, Program: `PrNotKnown1` not found', errorCode: 'E1069', trackerType: 'EVENT', uid: 'EvNotKnown2', line: 4 },
        ],
        warningReports: [],
      },
    } as unknown as TrackerImportReport;
    render(<TrackerReportView report={report} dryRun />);
    const errors = screen.getByTestId('tracker-errors');
    fireEvent.change(within(errors).getByTestId('conflict-filter'), { target: { value: 'ngelehun' } });
    await waitFor(() => expect(within(errors).getAllByRole('row').slice(1)).toHaveLength(1));
    expect(within(errors).getAllByRole('row')[1]!.textContent).toContain('EvNotKnown1');
  });

  it('fetchNames: no call for no uid-like word; a failed call rejects (the callers go on without names)', async () => {
    const api = fakeApi({});
    setApi(api);
    await expect(fetchNames(['', 'not a uid', 'short'])).resolves.toEqual(new Map());
    expect(api.calls).toHaveLength(0);
    await expect(fetchNames(['DeAnc400001'])).rejects.toThrow(/no handler/);
    expect(MAX_NAME_LOOKUP).toBe(1000);
  });
});
