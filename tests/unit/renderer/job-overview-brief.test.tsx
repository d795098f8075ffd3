/**
 * The job overview lists jobs without their summaries (issue 16, defect 1: a history of large summaries must not
 * make the list slow) and reads the one summary it shows when a job is opened (jobs:get).
 */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import type { ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { fakeApi, jobRecord, resetApp } from './fake-api.ts';

afterEach(resetApp);

const summary: ImportSummary = {
  responseType: 'ImportSummary',
  status: 'WARNING',
  description: 'Import process completed successfully',
  importCount: { imported: 2, updated: 0, ignored: 1_000_000, deleted: 0 },
  conflicts: [],
  rejectedIndexes: [],
  moreConflicts: { E7610: { conflicts: 199_900, rows: 199_900 } },
};

describe('job overview', () => {
  it('asks for the list without summaries and reads the opened job with jobs:get', async () => {
    const listed = jobRecord({ id: 7, kind: 'data', resultStatus: 'WARNING', files: [{ index: 0, path: '/d/m.csv', name: 'm.csv', size: 45_111_534, sha256: 'f'.repeat(64), format: 'csv', compression: 'none', status: 'WARNING' }] });
    const api = fakeApi({
      'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:data'] }),
      'db:info': () => ({ metadata: {}, dataValues: 2, events: 0 }),
      'jobs:list': () => [listed],
      'jobs:get': (r) => ({ ...listed, id: r.id, summary }),
    });
    setApi(api);
    render(<App />);
    await screen.findByText('/db');
    fireEvent.click(screen.getByTestId('menu-jobs'));
    await waitFor(() => expect(document.querySelectorAll('[data-test="jobs-table"] tbody tr')).toHaveLength(1));
    // the table's list, and the app shell's look for running jobs: never with summaries
    expect(api.callsTo('jobs:list')).toContainEqual({ limit: 500, summaries: false });
    expect(api.callsTo('jobs:list').every((r) => (r as { summaries?: boolean }).summaries === false)).toBe(true);
    fireEvent.click(screen.getByTestId('open-job'));
    await screen.findByText('Import finished: 2 imported, 0 updated, 0 deleted, 1,000,000 ignored.');
    expect(api.callsTo('jobs:get')).toEqual([{ id: 7 }]);
    expect(screen.getByTestId('more-conflicts').textContent).toContain('199,900 more conflicts of this kind (E7610)');
  });

  it('badges a job that kept its good files and refused one as partly imported, from the small rows', async () => {
    const file = (index: number, status: string) => ({ index, path: `/d/f${index}.csv`, name: `f${index}.csv`, size: 10, sha256: null, format: 'csv', compression: 'none', status });
    const partial = jobRecord({ id: 8, kind: 'data', resultStatus: 'ERROR', files: [file(0, 'SUCCESS'), file(1, 'ERROR'), file(2, 'SUCCESS')] });
    const refused = jobRecord({ id: 9, kind: 'data', resultStatus: 'ERROR', files: [file(0, 'ERROR'), file(1, 'ERROR')] });
    const dry = jobRecord({ id: 10, kind: 'data', resultStatus: 'ERROR', dryRun: true, files: [file(0, 'SUCCESS'), file(1, 'ERROR')] });
    setApi(
      fakeApi({
        'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:data'] }),
        'db:info': () => ({ metadata: {}, dataValues: 2, events: 0 }),
        'jobs:list': () => [dry, refused, partial],
      }),
    );
    render(<App />);
    await screen.findByText('/db');
    fireEvent.click(screen.getByTestId('menu-jobs'));
    await waitFor(() => expect(document.querySelectorAll('[data-test="jobs-table"] tbody tr')).toHaveLength(3));
    const tag = (id: number) => document.querySelector(`[data-job="${id}"] [data-test="status-tag"]`)!.textContent;
    expect(tag(8)).toBe('Partly imported');
    expect(tag(9)).toBe('Error');
    expect(tag(10)).toBe('Some files would be refused');
  });
});
