/**
 * xlsx in the export wizards (fake Api, real format registry): offered for metadata and data, the compression choice
 * gives way to a note (an xlsx is already a zip), the suggested name ends .xlsx whatever compression was chosen
 * before, and export:start is sent with compression none; other formats keep their compression.
 */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { effectiveCompression, isCompressedFormat, useDataExport, useDependencyExport, useMetadataExport } from '../../../src-renderer/stores/exports.ts';
import { formatChoices, useApp } from '../../../src-renderer/stores/app.ts';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import { fakeApi, jobRecord, resetApp } from './fake-api.ts';

beforeEach(() => {
  useMetadataExport.getState().reset();
  useDataExport.getState().reset();
  useDependencyExport.getState().reset();
});
afterEach(resetApp);

describe('xlsx in the export stores', () => {
  it('is offered for metadata and data; only xlsx counts as already compressed', () => {
    const formats = formatInfos();
    expect(formatChoices(formats, 'metadata', 'writes').map((c) => c.value)).toContain('xlsx');
    expect(formatChoices(formats, 'data', 'writes').map((c) => c.value)).toContain('xlsx');
    expect(isCompressedFormat(formats, 'xlsx')).toBe(true);
    expect(isCompressedFormat(formats, 'json')).toBe(false);
    expect(effectiveCompression(formats, 'xlsx', 'zip')).toBe('none');
    expect(effectiveCompression(formats, 'csv', 'gzip')).toBe('gzip');
  });

  it('suggests a .xlsx name and sends compression none, while json keeps its zip', async () => {
    useApp.setState({ formats: formatInfos() });
    const api = fakeApi({
      'dialog:saveFile': (r) => ({ path: `/out/${r.defaultName}` }),
      'export:start': () => ({ jobId: 7 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'data', direction: 'export', resultStatus: 'OK' }),
    });
    setApi(api);
    const s = useDataExport.getState();
    s.patchOptions({ orgUnits: [{ id: 'OuA00000001', name: 'District A', mode: 'SELECTED' }], dataSets: [{ id: 'DataSet0001', name: 'Monthly' }], startDate: '2024-01-01', endDate: '2024-12-31' });
    expect(useDataExport.getState().compression).toBe('zip');
    expect(useDataExport.getState().defaultName()).toBe('ferry-data-District-A-2024-01-01-2024-12-31.json.zip');
    useDataExport.getState().setFormat('xlsx');
    expect(useDataExport.getState().defaultName()).toBe('ferry-data-District-A-2024-01-01-2024-12-31.xlsx');
    await useDataExport.getState().start();
    expect(api.callsTo('dialog:saveFile')[0]).toMatchObject({ defaultName: 'ferry-data-District-A-2024-01-01-2024-12-31.xlsx' });
    expect(api.callsTo('export:start')[0]).toMatchObject({ kind: 'data', format: 'xlsx', compression: 'none', out: '/out/ferry-data-District-A-2024-01-01-2024-12-31.xlsx' });
    // back to JSON: the zip chosen before is still there
    useDataExport.getState().setFormat('json');
    expect(useDataExport.getState().defaultName()).toMatch(/\.json\.zip$/);
  });
});

describe('metadata export screen with xlsx', () => {
  it('offers Excel, shows the note instead of the compression choice, and exports the chosen types as xlsx', async () => {
    const api = fakeApi({
      'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['export:metadata'] }),
      'db:info': () => ({ metadata: { dataElements: 7, indicators: 2 }, dataValues: 0, events: 0 }),
      'dialog:saveFile': (r) => ({ path: `/out/${r.defaultName}` }),
      'export:start': () => ({ jobId: 40 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'metadata', direction: 'export', resultStatus: 'OK' }),
    });
    setApi(api);
    render(<App />);
    await screen.findByText('/db');
    fireEvent.click(screen.getByTestId('menu-export-metadata'));
    await screen.findByText('Metadata export', { selector: 'h1' });
    // the compression choice is there for JSON
    expect(document.querySelector('input[name="compression"]')).not.toBeNull();
    const excel = document.querySelector<HTMLInputElement>('input[name="format"][value="xlsx"]');
    expect(excel).not.toBeNull();
    expect(excel!.parentElement!.textContent).toBe('Excel (xlsx)');
    fireEvent.click(excel!);
    expect(document.querySelector('input[name="compression"]')).toBeNull();
    expect(screen.getByTestId('compression-built-in').textContent).toContain('Excel (xlsx) files are already compressed');
    await waitFor(() => expect(screen.getByText(/suggested name: ferry-metadata-\d{4}-\d\d-\d\d\.xlsx$/)).toBeTruthy());
    fireEvent.click(screen.getByTestId('start'));
    await waitFor(() => expect(api.callsTo('export:start')).toHaveLength(1));
    expect(api.callsTo('export:start')[0]).toMatchObject({ kind: 'metadata', format: 'xlsx', compression: 'none', options: { types: expect.arrayContaining(['dataElements', 'indicators']) } });
    expect((api.callsTo('export:start')[0] as { out: string }).out).toMatch(/^\/out\/ferry-metadata-\d{4}-\d\d-\d\d\.xlsx$/);
  });
});
