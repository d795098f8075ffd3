/** The data import screen's options step: the labelled force checkbox sends DHIS2's `force` option (off by default). */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { useDataImport } from '../../../src-renderer/stores/imports.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';
import { DataImportScreen } from '../../../src-renderer/screens/data-import/DataImportScreen.tsx';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import { fakeApi, jobRecord } from './fake-api.ts';

beforeEach(() => {
  useApp.setState({ formats: formatInfos(), capabilities: ['import:data'] });
  useDataImport.getState().reset();
});
afterEach(() => {
  cleanup();
  setApi(null);
});

describe('data import options: force', () => {
  it('is off by default and sent as force: true once ticked', async () => {
    const api = fakeApi({
      'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
      'import:start': () => ({ jobId: 1 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'data' }),
    });
    setApi(api);
    await useDataImport.getState().addPaths(['/d/old.csv']);
    render(<DataImportScreen />);
    fireEvent.click(screen.getByTestId('next'));
    const box = screen.getByLabelText('Import into expired and closed periods (force)') as HTMLInputElement;
    expect(box.checked).toBe(false);
    fireEvent.click(screen.getByTestId('start'));
    await waitFor(() => expect(api.callsTo('import:start')).toHaveLength(1));
    expect((api.callsTo('import:start')[0] as { options: Record<string, unknown> }).options.force).toBe(false);
    useDataImport.getState().setStep('options');
    await waitFor(() => expect(screen.getByLabelText('Import into expired and closed periods (force)')).toBeTruthy());
    fireEvent.click(screen.getByLabelText('Import into expired and closed periods (force)'));
    fireEvent.click(screen.getByTestId('start'));
    await waitFor(() => expect(api.callsTo('import:start')).toHaveLength(2));
    expect((api.callsTo('import:start')[1] as { options: Record<string, unknown> }).options.force).toBe(true);
  });
});
