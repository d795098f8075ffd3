/** The PDF data entry form wizard (store and screen) with a fake Api; the data import offers .pdf files. */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { usePdfFormExport } from '../../../src-renderer/stores/pdf-form.ts';
import { importExtensions, visibleMenu } from '../../../src-renderer/stores/app.ts';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import type { ExportSummary } from '../../../src-shared/api/contract.ts';
import { fakeApi, jobRecord, resetApp } from './fake-api.ts';

beforeEach(() => usePdfFormExport.getState().reset());
afterEach(resetApp);

const exported: ExportSummary = {
  responseType: 'ExportSummary',
  status: 'OK',
  file: '/out/form.pdf',
  format: 'pdf',
  compression: 'none',
  bytes: 12259,
  sha256: 'ab'.repeat(32),
  counts: { dataSets: 1, fields: 14, pages: 1 },
};

describe('PDF form store', () => {
  it('needs a data set, checks the period, sends DHIS2 names and suggests ferry-pdf-form-<name>-<date>.pdf', async () => {
    const api = fakeApi({
      'dialog:saveFile': () => ({ path: '/out/form.pdf' }),
      'export:start': () => ({ jobId: 5 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, direction: 'export', kind: 'pdf-form', summary: exported, resultStatus: 'OK' }),
    });
    setApi(api);
    const s = usePdfFormExport.getState();
    expect(await s.start()).toBe(false);
    expect(usePdfFormExport.getState().formError).toBe('Choose the data set the form is for.');
    s.patchOptions({ dataSet: { id: 'DsSante0001', name: 'Santé maternelle' }, period: 'November' });
    expect(await usePdfFormExport.getState().start()).toBe(false);
    expect(usePdfFormExport.getState().formError).toMatch(/"November" is not a DHIS2 period/);
    expect(api.callsTo('dialog:saveFile')).toEqual([]);
    usePdfFormExport.getState().patchOptions({ period: ' 202611 ', orgUnit: { id: 'OuSaoJoao01', name: 'São João' } });
    expect(usePdfFormExport.getState().defaultName()).toMatch(/^ferry-pdf-form-Santé-maternelle-São-João-202611-\d{4}-\d\d-\d\d\.pdf$/);
    expect(await usePdfFormExport.getState().start()).toBe(true);
    expect(api.callsTo('export:start')).toEqual([
      { kind: 'pdf-form', out: '/out/form.pdf', format: 'pdf', compression: 'none', options: { dataSet: 'DsSante0001', orgUnit: 'OuSaoJoao01', period: '202611' } },
    ]);
    // without org unit and period: only the data set
    usePdfFormExport.getState().patchOptions({ orgUnit: null, period: '' });
    await usePdfFormExport.getState().start();
    expect(api.callsTo('export:start')[1]).toMatchObject({ options: { dataSet: 'DsSante0001' } });
  });

  it('has a menu entry under Export when the engine can make forms; the data import offers .pdf files', () => {
    expect(visibleMenu(['export:pdf-form']).map((m) => [m.label, m.group])).toContainEqual(['PDF data entry form', 'Export']);
    expect(visibleMenu(['export:data']).map((m) => m.label)).not.toContain('PDF data entry form');
    expect(importExtensions(formatInfos(), 'data')).toContain('pdf');
  });
});

describe('PDF form screen', () => {
  it('picks a data set by name and an org unit, saves the form and shows what it holds', async () => {
    const api = fakeApi({
      'app:info': () => ({ version: '0.1.0', dbPath: '/x/site.db', capabilities: ['import:data', 'export:pdf-form'] }),
      'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
      'metadata:list': () => [
        { uid: 'DsSante0001', code: 'DS_SANTE', name: 'Santé maternelle' },
        { uid: 'DsMonthly01', code: null, name: 'Monthly' },
      ],
      'orgUnits:children': (r) => (r.parent ? [] : [{ uid: 'OuSaoJoao01', code: null, name: 'São João', level: 1, path: null, childCount: 0 }]),
      'dialog:saveFile': () => ({ path: '/out/form.pdf' }),
      'export:start': () => ({ jobId: 5 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, direction: 'export', kind: 'pdf-form', summary: exported, resultStatus: 'OK' }),
    });
    setApi(api);
    render(<App />);
    fireEvent.click(await screen.findByTestId('menu-export-pdf-form'));
    await screen.findByTestId('wizard-export-pdf-form');
    fireEvent.click(await screen.findByRole('radio', { name: /Santé maternelle/ }));
    fireEvent.click(await screen.findByRole('checkbox', { name: /São João/ }));
    expect(screen.getByTestId('pdf-form-org-unit').textContent).toContain('São João');
    fireEvent.change(screen.getByTestId('pdf-form-period'), { target: { value: '202611' } });
    fireEvent.click(screen.getByTestId('start'));
    await screen.findByTestId('export-summary');
    expect(screen.getByTestId('summary-headline').textContent).toBe('Export saved: a form of 14 fields on 1 page in 12.0 KB.');
    expect(api.callsTo('export:start')).toEqual([
      { kind: 'pdf-form', out: '/out/form.pdf', format: 'pdf', compression: 'none', options: { dataSet: 'DsSante0001', orgUnit: 'OuSaoJoao01', period: '202611' } },
    ]);
    expect(api.callsTo('metadata:list')[0]).toMatchObject({ type: 'dataSets' });
    await waitFor(() => expect(screen.getByTestId('export-file').textContent).toBe('/out/form.pdf'));
  });
});
