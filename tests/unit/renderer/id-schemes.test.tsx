/**
 * The id scheme fields (Fields.tsx IdSchemeField) with a fake Api: UID, Code, Name and "Attribute: <name>" for each
 * unique attribute of the option's class (metadata:idSchemeAttributes, asked once per screen), sent as ATTRIBUTE:<uid>.
 */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { i18n } from '../../../src-renderer/i18n.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';
import { useDataExport } from '../../../src-renderer/stores/exports.ts';
import { useDataImport } from '../../../src-renderer/stores/imports.ts';
import { useEventsExport } from '../../../src-renderer/stores/events-export.ts';
import { useEventsImport } from '../../../src-renderer/stores/events-import.ts';
import { DataExportScreen } from '../../../src-renderer/screens/data-export/DataExportScreen.tsx';
import { DataImportScreen } from '../../../src-renderer/screens/data-import/DataImportScreen.tsx';
import { EventsExportScreen } from '../../../src-renderer/screens/events-export/EventsExportScreen.tsx';
import { EventsImportScreen } from '../../../src-renderer/screens/events-import/EventsImportScreen.tsx';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import type { IdSchemeAttribute } from '../../../src-shared/api/contract.ts';
import { fakeApi, jobRecord } from './fake-api.ts';

const ATTRS: IdSchemeAttribute[] = [
  { uid: 'AttrOuUniq1', name: 'Facility register number', code: 'FRN', classes: ['organisationUnit'] },
  { uid: 'AttrDeUniq1', name: 'DE national code', classes: ['dataElement'] },
  { uid: 'AttrPrgUniq', name: 'Program key', classes: ['program'] },
];

beforeEach(() => {
  useApp.setState({ formats: formatInfos(), capabilities: ['import:data', 'export:data', 'import:events', 'export:events'] });
  useDataExport.getState().reset();
  useDataImport.getState().reset();
  useEventsExport.getState().reset();
  useEventsImport.getState().reset();
});
afterEach(() => {
  cleanup();
  setApi(null);
});

const select = (name: string): HTMLSelectElement => document.querySelector(`select[name="${name}"]`)!;
const options = (name: string): string[] => [...select(name).options].map((o) => `${o.value}=${o.text}`);

describe('id scheme fields', () => {
  it('data export: each scheme offers the unique attributes of its class, asked once, and sends ATTRIBUTE:<uid>', async () => {
    const api = fakeApi({ 'metadata:idSchemeAttributes': () => ATTRS, 'metadata:list': () => [], 'orgUnits:children': () => [] });
    setApi(api);
    render(<DataExportScreen />);
    await waitFor(() => expect(options('orgUnitIdScheme')).toContain('ATTRIBUTE:AttrOuUniq1=Attribute: Facility register number'));
    expect(options('orgUnitIdScheme')).toEqual(['UID=UID', 'CODE=Code', 'NAME=Name', 'ATTRIBUTE:AttrOuUniq1=Attribute: Facility register number']);
    expect(options('dataElementIdScheme')).toEqual(['UID=UID', 'CODE=Code', 'NAME=Name', 'ATTRIBUTE:AttrDeUniq1=Attribute: DE national code']);
    expect(options('categoryOptionComboIdScheme')).toEqual(['UID=UID', 'CODE=Code', 'NAME=Name']);
    // the general scheme: attributes of any class a data value file names (not the program one)
    expect(options('idScheme')).toEqual(['UID=UID', 'CODE=Code', 'NAME=Name', 'ATTRIBUTE:AttrOuUniq1=Attribute: Facility register number', 'ATTRIBUTE:AttrDeUniq1=Attribute: DE national code']);
    expect(api.callsTo('metadata:idSchemeAttributes')).toHaveLength(1);
    fireEvent.change(select('orgUnitIdScheme'), { target: { value: 'ATTRIBUTE:AttrOuUniq1' } });
    expect(useDataExport.getState().options.orgUnitIdScheme).toBe('ATTRIBUTE:AttrOuUniq1');
    expect(select('orgUnitIdScheme').value).toBe('ATTRIBUTE:AttrOuUniq1');
  });

  it('data import: "same as ID scheme" first, then the attributes; the choice goes to the engine', async () => {
    const api = fakeApi({
      'metadata:idSchemeAttributes': () => ATTRS,
      'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
      'import:start': () => ({ jobId: 1 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'data' }),
    });
    setApi(api);
    await useDataImport.getState().addPaths(['/d/values.csv']);
    render(<DataImportScreen />);
    fireEvent.click(screen.getByTestId('next'));
    await waitFor(() => expect(options('orgUnitIdScheme')).toEqual(['=Same as ID scheme', 'UID=UID', 'CODE=Code', 'NAME=Name', 'ATTRIBUTE:AttrOuUniq1=Attribute: Facility register number']));
    fireEvent.change(select('orgUnitIdScheme'), { target: { value: 'ATTRIBUTE:AttrOuUniq1' } });
    fireEvent.click(screen.getByTestId('start'));
    await waitFor(() => expect(api.callsTo('import:start')).toHaveLength(1));
    expect((api.callsTo('import:start')[0] as { options: Record<string, unknown> }).options.orgUnitIdScheme).toBe('ATTRIBUTE:AttrOuUniq1');
  });

  it('events: export offers UID, Code and the attributes; import offers the program attribute for the program scheme', async () => {
    setApi(fakeApi({ 'metadata:idSchemeAttributes': () => ATTRS, 'metadata:list': () => [], 'orgUnits:children': () => [] }));
    const { unmount } = render(<EventsExportScreen />);
    await waitFor(() => expect(options('orgUnitIdScheme')).toEqual(['UID=UID', 'CODE=Code', 'ATTRIBUTE:AttrOuUniq1=Attribute: Facility register number']));
    expect(options('idScheme')).toEqual(['UID=UID', 'CODE=Code', 'ATTRIBUTE:AttrOuUniq1=Attribute: Facility register number', 'ATTRIBUTE:AttrDeUniq1=Attribute: DE national code', 'ATTRIBUTE:AttrPrgUniq=Attribute: Program key']);
    unmount();
    await useEventsImport.getState().addPaths(['/d/events.json']).catch(() => undefined);
    useEventsImport.getState().setStep('options');
    render(<EventsImportScreen />);
    await waitFor(() => expect(options('programIdScheme')).toEqual(['=Same as ID scheme', 'UID=UID', 'CODE=Code', 'NAME=Name', 'ATTRIBUTE:AttrPrgUniq=Attribute: Program key']));
    expect(options('programStageIdScheme')).toEqual(['=Same as ID scheme', 'UID=UID', 'CODE=Code', 'NAME=Name']);
  });

  it('keeps a chosen attribute that is no longer stored, by its uid; with no answer, UID, Code and Name remain', async () => {
    setApi(fakeApi({ 'metadata:idSchemeAttributes': () => Promise.reject(new Error('no')), 'metadata:list': () => [], 'orgUnits:children': () => [] }));
    useDataExport.getState().setOption('orgUnitIdScheme', 'ATTRIBUTE:GoneAttr001');
    render(<DataExportScreen />);
    await waitFor(() => expect(options('orgUnitIdScheme')).toEqual(['UID=UID', 'CODE=Code', 'NAME=Name', 'ATTRIBUTE:GoneAttr001=Attribute: GoneAttr001']));
    expect(select('orgUnitIdScheme').value).toBe('ATTRIBUTE:GoneAttr001');
  });

  it('in French and Portuguese', async () => {
    setApi(fakeApi({ 'metadata:idSchemeAttributes': () => ATTRS, 'metadata:list': () => [], 'orgUnits:children': () => [] }));
    await i18n.changeLanguage('fr');
    const { unmount } = render(<DataExportScreen />);
    await waitFor(() => expect(options('orgUnitIdScheme')).toEqual(['UID=UID', 'CODE=Code', 'NAME=Nom', 'ATTRIBUTE:AttrOuUniq1=Attribut : Facility register number']));
    expect(screen.getByLabelText('Schéma d’ID des unités d’organisation')).toBe(select('orgUnitIdScheme'));
    unmount();
    await i18n.changeLanguage('pt');
    render(<DataExportScreen />);
    await waitFor(() => expect(options('orgUnitIdScheme')).toEqual(['UID=UID', 'CODE=Código', 'NAME=Nome', 'ATTRIBUTE:AttrOuUniq1=Atributo: Facility register number']));
    expect(screen.getByLabelText('Esquema de ID das unidades organizacionais')).toBe(select('orgUnitIdScheme'));
  });
});
