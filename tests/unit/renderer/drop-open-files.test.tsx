/**
 * Files opened from the desktop (file association, "Open with", command line) arrive on Api.onOpenFiles with the
 * wizard that reads them: the app shows that wizard at its files step, the files listed after files:stat.
 */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, render, screen, waitFor } from '@testing-library/react';
import { App } from '../../../src-renderer/App.tsx';
import { setApi } from '../../../src-renderer/api.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';
import { useDataImport, useMetadataImport } from '../../../src-renderer/stores/imports.ts';
import type { OpenFilesRequest } from '../../../src-shared/api/contract.ts';
import { fakeApi, jobRecord, resetApp } from './fake-api.ts';

beforeEach(() => {
  useDataImport.getState().reset();
  useMetadataImport.getState().reset();
});
afterEach(resetApp);

function desktopApi() {
  let listener: ((r: OpenFilesRequest) => void) | null = null;
  const api = fakeApi({
    'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:metadata', 'import:data'] }),
    'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
    'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 100 })),
    'import:start': () => ({ jobId: 4 }),
    'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'data', dryRun: true }),
  });
  api.onOpenFiles = (l) => {
    listener = l;
    return () => (listener = null);
  };
  return { api, open: (r: OpenFilesRequest) => act(() => listener!(r)), listening: () => listener !== null };
}

describe('files opened from the desktop', () => {
  it('shows the wizard that reads them with the files listed', async () => {
    const d = desktopApi();
    setApi(d.api);
    render(<App />);
    await waitFor(() => expect(d.listening()).toBe(true));
    d.open({ screen: 'import-data', paths: ['/home/dm/Downloads/bo.json', '/home/dm/Downloads/kenema.csv'] });
    await screen.findByTestId('wizard-data');
    expect(useApp.getState().screen).toBe('import-data');
    await waitFor(() => expect(screen.getByTestId('file-list').querySelectorAll('tbody tr')).toHaveLength(2));
    expect(d.api.callsTo('files:stat')).toEqual([{ paths: ['/home/dm/Downloads/bo.json', '/home/dm/Downloads/kenema.csv'] }]);
  });

  it('a wizard showing a summary starts over with the new file', async () => {
    const d = desktopApi();
    setApi(d.api);
    render(<App />);
    await waitFor(() => expect(d.listening()).toBe(true));
    await useMetadataImport.getState().addPaths(['/old/meta.json']);
    useMetadataImport.getState().setStep('options');
    d.open({ screen: 'import-metadata', paths: ['/new/meta.json'] });
    await screen.findByTestId('wizard-metadata');
    await waitFor(() => expect(useMetadataImport.getState().files.map((f) => f.path)).toEqual(['/new/meta.json']));
    expect(useMetadataImport.getState().step).toBe('files');
  });

  it('the browser page (no onOpenFiles) renders as before', async () => {
    setApi(
      fakeApi({
        'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: [] }),
        'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
      }),
    );
    render(<App />);
    await screen.findByTestId('home');
  });
});
