/** The shell and the job overview with a fake Api. */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import type { ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { fakeApi, jobRecord, resetApp } from './fake-api.ts';

afterEach(resetApp);

const summary: ImportSummary = {
  responseType: 'ImportSummary',
  status: 'SUCCESS',
  description: '',
  importCount: { imported: 8, updated: 0, ignored: 0, deleted: 0 },
  conflicts: [],
  rejectedIndexes: [],
};

function api(dataValues = 8) {
  return fakeApi({
    'app:info': () => ({ version: '0.1.0', dbPath: '/home/dm/ferry/site.db', capabilities: ['import:metadata', 'import:data'] }),
    'db:info': () => ({ metadata: { organisationUnits: 6, dataElements: 3 }, dataValues, events: 0 }),
    'jobs:list': () => [
      jobRecord({
        id: 2,
        kind: 'data',
        dryRun: false,
        resultStatus: 'SUCCESS',
        summary,
        files: [{ index: 0, path: '/d/bo.json', name: 'bo.json', size: 518, sha256: 'ab41ffc7d8fb'.padEnd(64, '0'), format: 'json', compression: 'none', status: 'SUCCESS' }],
      }),
      jobRecord({ id: 1, kind: 'metadata', dryRun: true, resultStatus: 'OK' }),
    ],
  });
}

describe('App shell', () => {
  it('shows the menu for existing capabilities, the database path and counts', async () => {
    setApi(api());
    render(<App />);
    await screen.findByText('/home/dm/ferry/site.db');
    const menu = Array.from(document.querySelectorAll('nav [data-test^="menu-"]')).map((b) => b.textContent);
    expect(menu).toEqual(['Metadata import', 'Data import', 'Job overview']);
    expect(screen.getByTestId('db-metadata-count').textContent).toBe('9 metadata objects');
    expect(screen.getByTestId('db-datavalue-count').textContent).toBe('8 data values');
  });

  it('refreshes the counts when a job finishes', async () => {
    let n = 0;
    const a = fakeApi({
      'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: [] }),
      'db:info': () => ({ metadata: {}, dataValues: n, events: 0 }),
    });
    setApi(a);
    render(<App />);
    await screen.findByText('0 data values');
    n = 42;
    act(() => a.emit('job:done', jobRecord({ id: 9 })));
    await screen.findByText('42 data values');
  });

  it('job overview lists jobs with files and sha256, and opens a job summary', async () => {
    setApi(api());
    render(<App />);
    await screen.findByText('/home/dm/ferry/site.db');
    fireEvent.click(screen.getByTestId('menu-jobs'));
    await waitFor(() => expect(document.querySelectorAll('[data-test="jobs-table"] tbody tr')).toHaveLength(2));
    const rows = document.querySelectorAll('[data-test="jobs-table"] tbody tr');
    expect(rows[0]!.textContent).toContain('Data import');
    expect(rows[0]!.textContent).toContain('bo.json');
    expect(rows[0]!.textContent).toContain('ab41ffc7d8fb');
    expect(rows[1]!.textContent).toContain('Dry run');
    fireEvent.click(screen.getAllByTestId('open-job')[0]!);
    await screen.findByTestId('job-detail');
    expect(screen.getByTestId('summary-headline').textContent).toBe('Import finished: 8 imported, 0 updated, 0 deleted, 0 ignored.');
  });
});
