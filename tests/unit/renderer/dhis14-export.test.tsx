/** The "Export to DHIS 1.4" screen and its three stores with a fake Api: what each sends, names and checks. */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { useDhis14DataExport, useDhis14DetailedExport, useDhis14ExportChoice, useDhis14MetadataExport } from '../../../src-renderer/stores/dhis14-export.ts';
import { visibleMenu } from '../../../src-renderer/stores/app.ts';
import type { ExportSummary } from '../../../src-shared/api/contract.ts';
import { fakeApi, jobRecord, resetApp } from './fake-api.ts';

beforeEach(() => {
  useDhis14DataExport.getState().reset();
  useDhis14DetailedExport.getState().reset();
  useDhis14MetadataExport.getState().reset();
  useDhis14ExportChoice.getState().choose('data');
});
afterEach(resetApp);

const exported: ExportSummary = {
  responseType: 'ExportSummary',
  status: 'WARNING',
  file: '/out/d14.zip',
  format: 'xml',
  compression: 'none',
  bytes: 4321,
  sha256: 'ab'.repeat(32),
  counts: { dataElements: 3, organisationUnits: 4, periods: 6, dataValues: 5, valuesWithDisaggregation: 5 },
  warnings: ['5 values were left out: DHIS 1.4 has no disaggregation, and their category option combo or attribute option combo is not the default one.'],
};

describe('DHIS 1.4 export stores', () => {
  it('data: needs org units and a period range, sends only what the 1.4 data export takes, suggests a .zip', async () => {
    const api = fakeApi({
      'dialog:saveFile': () => ({ path: '/out/d14.zip' }),
      'export:start': () => ({ jobId: 7 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, direction: 'export', kind: 'dhis14-data', summary: exported, resultStatus: 'WARNING' }),
    });
    setApi(api);
    expect(await useDhis14DataExport.getState().start()).toBe(false);
    expect(useDhis14DataExport.getState().formError).toBe('Choose at least one organisation unit.');
    useDhis14DataExport.getState().patchOptions({ orgUnits: [{ id: 'OuRoot00001', name: 'Sierra Leone', mode: 'DESCENDANTS' }], startDate: '2024-02-01', endDate: '2024-01-01' });
    expect(await useDhis14DataExport.getState().start()).toBe(false);
    expect(useDhis14DataExport.getState().formError).toBe('The start date is after the end date.');
    expect(api.callsTo('dialog:saveFile')).toEqual([]);
    useDhis14DataExport.getState().patchOptions({ startDate: '2024-01-01', endDate: '2024-03-31', dataElements: [{ id: 'DeNum000001', name: 'Malaria' }] });
    expect(useDhis14DataExport.getState().defaultName()).toMatch(/^ferry-dhis14-data-Sierra-Leone-2024-01-01-2024-03-31-\d{4}-\d\d-\d\d\.zip$/);
    expect(await useDhis14DataExport.getState().start()).toBe(true);
    expect(api.callsTo('export:start')).toEqual([
      {
        kind: 'dhis14-data',
        out: '/out/d14.zip',
        format: 'xml',
        compression: 'none',
        options: { orgUnits: [{ id: 'OuRoot00001', mode: 'DESCENDANTS' }], dataElement: ['DeNum000001'], startDate: '2024-01-01', endDate: '2024-03-31' },
      },
    ]);
  });

  it('detailed metadata: needs a data element or an indicator; metadata: nothing to choose', async () => {
    const api = fakeApi({
      'dialog:saveFile': () => ({ path: '/out/m.zip' }),
      'export:start': () => ({ jobId: 8 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, direction: 'export', kind: 'dhis14-metadata', summary: { ...exported, status: 'OK', warnings: undefined }, resultStatus: 'OK' }),
    });
    setApi(api);
    expect(await useDhis14DetailedExport.getState().start()).toBe(false);
    expect(useDhis14DetailedExport.getState().formError).toBe('Choose at least one data element or indicator.');
    useDhis14DetailedExport.getState().patchOptions({ indicators: [{ id: 'Indic000001', name: 'ANC coverage' }] });
    expect(useDhis14DetailedExport.getState().defaultName()).toMatch(/^ferry-dhis14-detailed-metadata-ANC-coverage-\d{4}-\d\d-\d\d\.zip$/);
    expect(await useDhis14DetailedExport.getState().start()).toBe(true);
    expect(await useDhis14MetadataExport.getState().start()).toBe(true);
    expect((api.callsTo('export:start') as { kind: string; format: string; compression: string; options: unknown }[]).map((r) => [r.kind, r.format, r.compression, r.options])).toEqual([
      ['dhis14-detailed-metadata', 'xml', 'none', { dataElements: [], indicators: ['Indic000001'] }],
      ['dhis14-metadata', 'xml', 'none', {}],
    ]);
    expect(useDhis14MetadataExport.getState().defaultName()).toMatch(/^ferry-dhis14-metadata-\d{4}-\d\d-\d\d\.zip$/);
  });

  it('has a menu entry under Export when the engine exports to 1.4', () => {
    expect(visibleMenu(['export:dhis14-data']).map((m) => [m.label, m.group])).toContainEqual(['Export to DHIS 1.4', 'Export']);
    expect(visibleMenu(['export:data']).map((m) => m.label)).not.toContain('Export to DHIS 1.4');
  });
});

describe('DHIS 1.4 export screen', () => {
  it('picks an org unit, exports data and shows the counts and what 1.4 could not hold', async () => {
    const api = fakeApi({
      'app:info': () => ({ version: '0.1.0', dbPath: '/x/site.db', capabilities: ['export:data', 'export:dhis14-data', 'export:dhis14-metadata'] }),
      'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
      'metadata:list': () => [],
      'orgUnits:children': (r) => (r.parent ? [] : [{ uid: 'OuRoot00001', code: null, name: 'Sierra Leone', level: 1, path: null, childCount: 0 }]),
      'dialog:saveFile': () => ({ path: '/out/d14.zip' }),
      'export:start': () => ({ jobId: 7 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, direction: 'export', kind: 'dhis14-data', summary: exported, resultStatus: 'WARNING' }),
    });
    setApi(api);
    render(<App />);
    fireEvent.click(await screen.findByTestId('menu-export-dhis14'));
    await screen.findByTestId('wizard-export-dhis14');
    fireEvent.click(screen.getByTestId('start'));
    expect(await screen.findByText('Choose at least one organisation unit.')).toBeTruthy();
    fireEvent.click(await screen.findByRole('checkbox', { name: /Sierra Leone/ }));
    fireEvent.click(screen.getByTestId('start'));
    await screen.findByTestId('summary-card');
    await waitFor(() => expect(document.body.textContent).toContain('DHIS 1.4 has no disaggregation'));
    expect(api.callsTo('export:start')[0]).toMatchObject({ kind: 'dhis14-data', options: { orgUnits: [{ id: 'OuRoot00001', mode: 'DESCENDANTS' }] } });
    // the metadata choice has nothing to pick
    fireEvent.click(screen.getByTestId('new-export'));
    fireEvent.click(await screen.findByRole('radio', { name: 'Metadata' }));
    expect(screen.getByTestId('dhis14-metadata-help').textContent).toContain('organisation units');
  });
});
