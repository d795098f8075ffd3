/**
 * Issue 15, "Big results stay fast" and "Reports people can keep", in the screens: the Job overview's loading states
 * and 500 jobs, the running-job indicator in the app shell, the summary saved as JSON / PDF or printed, "Show in
 * folder" only where the app can, and the export store asking the save dialog to keep the compression's extension.
 */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { useJobs } from '../../../src-renderer/stores/jobs.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';
import { useDependencyExport } from '../../../src-renderer/stores/exports.ts';
import { ExportResultView } from '../../../src-renderer/components/ExportResultView.tsx';
import { reportFileName } from '../../../src-renderer/components/ReportActions.tsx';
import type { ExportSummary, JobRecord } from '../../../src-shared/api/contract.ts';
import type { ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import { fakeApi, jobRecord, resetApp, type FakeHandlers } from './fake-api.ts';

const summary: ImportSummary = {
  responseType: 'ImportSummary',
  status: 'SUCCESS',
  description: 'Import process completed successfully',
  importCount: { imported: 12, updated: 0, ignored: 0, deleted: 0 },
  conflicts: [],
  rejectedIndexes: [],
};

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const DESKTOP = ['import:data', 'files:dialogs', 'report:pdf', 'files:showInFolder'];
const BROWSER = ['import:data', 'files:upload', 'files:download'];

function app(caps: string[], h: FakeHandlers) {
  const api = fakeApi({
    'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: caps }),
    'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
    ...h,
  });
  // the bridge's page uploads what it imports
  if (caps.includes('files:upload')) Object.assign(api, { upload: async () => ({ path: '/up/x', name: 'x', size: 1 }) });
  setApi(api);
  return api;
}

beforeEach(() => {
  useJobs.setState({ list: [], loaded: false, loading: false, error: null, progress: {}, running: [] });
});
afterEach(() => {
  resetApp();
  vi.restoreAllMocks();
});

describe('Job overview: loading states and many jobs', () => {
  it('says it is loading until the list comes, then draws the newest 100 of 500 jobs from brief rows, more on request', async () => {
    const list = deferred<JobRecord[]>();
    const jobs = Array.from({ length: 500 }, (_, i) => jobRecord({ id: 500 - i, kind: 'data', files: [{ index: 0, path: `/d/f${i}.csv`, name: `f${i}.csv`, size: 10, sha256: null, format: 'csv', compression: 'none', status: 'SUCCESS' }] }));
    const api = app(DESKTOP, { 'jobs:list': (r) => (r.limit === 500 ? list.promise : []) });
    render(<App />);
    await screen.findByText('/db');
    fireEvent.click(screen.getByTestId('menu-jobs'));
    expect(screen.getByTestId('jobs-loading').textContent).toBe('Loading the jobs…');
    expect(screen.queryByText('No jobs yet.')).toBeNull();
    await act(async () => list.resolve(jobs));
    // the newest 100 drawn at once, the rest on request
    expect(document.querySelectorAll('[data-test="jobs-table"] tbody tr')).toHaveLength(100);
    expect(document.querySelector('[data-test="jobs-table"] tbody tr')!.getAttribute('data-job')).toBe('500');
    expect(screen.queryByTestId('jobs-loading')).toBeNull();
    expect(screen.getByTestId('jobs-count').textContent).toBe('Showing the newest 100 of 500 jobs.');
    fireEvent.click(screen.getByTestId('jobs-more'));
    expect(document.querySelectorAll('[data-test="jobs-table"] tbody tr')).toHaveLength(200);
    expect(screen.getByTestId('jobs-count').textContent).toBe('Showing the newest 200 of 500 jobs.');
    // the browser test shows all 500 (tests/e2e/big-results.test.ts)
    expect(api.callsTo('jobs:list')).toContainEqual({ limit: 500, summaries: false });
  }, 20_000);

  it('an opened job says its summary is loading, then shows it with the report buttons', async () => {
    const get = deferred<JobRecord>();
    const listed = jobRecord({ id: 42, kind: 'data', resultStatus: 'SUCCESS' });
    app(DESKTOP, { 'jobs:list': () => [listed], 'jobs:get': () => get.promise });
    render(<App />);
    await screen.findByText('/db');
    fireEvent.click(screen.getByTestId('menu-jobs'));
    fireEvent.click(await screen.findByTestId('open-job'));
    expect(screen.getByTestId('job-loading').textContent).toBe('Loading the summary…');
    // not the misleading "no summary yet" while it is read
    expect(screen.queryByText('This job has no summary yet.')).toBeNull();
    await act(async () => get.resolve({ ...listed, summary }));
    await screen.findByText(/Import finished: 12 imported/);
    expect(screen.getByTestId('report-actions')).toBeTruthy();
  });
});

describe('the running-job indicator', () => {
  it('appears on every screen from a job’s progress, links to the job, and goes when it ends', async () => {
    const running = jobRecord({ id: 9, kind: 'data', status: 'running', resultStatus: null, finishedAt: null, durationMs: null });
    let status: JobRecord['status'] = 'running';
    const api = app(DESKTOP, {
      'jobs:list': () => [],
      'jobs:get': (r) => (status === 'running' ? running : { ...running, id: r.id, status: 'done', resultStatus: 'SUCCESS', summary }),
    });
    render(<App />);
    await screen.findByText('/db');
    expect(screen.queryByTestId('running-job')).toBeNull();
    act(() => api.emit('job:progress', { jobId: 9, stage: 'writing', done: 40, total: 100, unit: 'records', records: 40, fileIndex: 0, fileName: 'big.csv', elapsedMs: 500 }));
    await waitFor(() => expect(screen.getByTestId('running-job').textContent).toBe('Running: Data import — 40%'));
    // another screen: still there
    fireEvent.click(screen.getByTestId('menu-import-data'));
    expect(screen.getByTestId('running-job').textContent).toContain('Data import');
    fireEvent.click(screen.getByTestId('running-job'));
    expect(useApp.getState()).toMatchObject({ screen: 'jobs', jobId: 9 });
    await waitFor(() => expect(screen.getByTestId('job-running').textContent).toContain('Running — 40% — big.csv'));
    status = 'done';
    act(() => api.emit('job:done', { ...running, status: 'done', resultStatus: 'SUCCESS', summary }));
    await waitFor(() => expect(screen.queryByTestId('running-job')).toBeNull());
    // the opened job reads its record again and shows the summary
    await screen.findByText(/Import finished: 12 imported/);
  });

  it('shows a job that was already running when the app opened (jobs:list without summaries)', async () => {
    const running = jobRecord({ id: 3, kind: 'metadata', direction: 'export', status: 'running' });
    const api = app(DESKTOP, { 'jobs:list': () => [jobRecord({ id: 4 }), running], 'jobs:get': () => running });
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('running-job').textContent).toBe('Running: Metadata export'));
    expect(api.callsTo('jobs:list')).toEqual([{ limit: 20, summaries: false }]);
  });
});

describe('reports people can keep', () => {
  const done = jobRecord({ id: 42, kind: 'data', resultStatus: 'SUCCESS', summary });

  async function openJob(caps: string[], h: FakeHandlers) {
    const api = app(caps, { 'jobs:list': () => [done], 'jobs:get': () => done, ...h });
    render(<App />);
    await screen.findByText('/db');
    fireEvent.click(screen.getByTestId('menu-jobs'));
    fireEvent.click(await screen.findByTestId('open-job'));
    await screen.findByTestId('report-actions');
    return api;
  }

  it('desktop: saves the summary as JSON and as PDF where the user chooses, then shows it in its folder', async () => {
    const answers = ['/home/u/summary.json', '/home/u/summary.pdf'];
    const api = await openJob(DESKTOP, {
      'dialog:saveFile': () => ({ path: answers.shift()! }),
      'jobs:saveSummary': (r) => ({ path: r.path, bytes: 2048 }),
      'report:pdf': (r) => ({ path: r.path, bytes: 30_000 }),
      'files:showInFolder': () => ({ shown: true }),
    });
    fireEvent.click(screen.getByTestId('save-summary-json'));
    await waitFor(() => expect(screen.getByTestId('report-message').textContent).toBe('Saved the summary (2.0 KB) to /home/u/summary.json'));
    expect(api.callsTo('dialog:saveFile')[0]).toMatchObject({ defaultName: 'ferry-job-42-data-import-summary.json' });
    expect(api.callsTo('jobs:saveSummary')).toEqual([{ id: 42, path: '/home/u/summary.json' }]);
    fireEvent.click(screen.getByTestId('show-in-folder'));
    await waitFor(() => expect(api.callsTo('files:showInFolder')).toEqual([{ path: '/home/u/summary.json' }]));

    fireEvent.click(screen.getByTestId('save-summary-pdf'));
    await waitFor(() => expect(screen.getByTestId('report-message').textContent).toContain('Saved the PDF'));
    expect(api.callsTo('report:pdf')).toEqual([{ path: '/home/u/summary.pdf' }]);
    const print = vi.fn();
    Object.defineProperty(window, 'print', { value: print, configurable: true, writable: true });
    fireEvent.click(screen.getByTestId('print-summary'));
    expect(print).toHaveBeenCalledOnce();
  });

  it('browser: no PDF channel, no Show in folder; the JSON comes as a download link; Print or save as PDF prints', async () => {
    const api = await openJob(BROWSER, {
      'dialog:saveFile': (r) => ({ path: `/tmp/bridge/${r.defaultName}` }),
      'jobs:saveSummary': (r) => ({ path: r.path, bytes: 2048 }),
      'files:downloadLink': (r) => ({ url: '/api/download/t/x.json', name: r.path.split('/').pop()!, size: 2048 }),
    });
    expect(screen.queryByTestId('save-summary-pdf')).toBeNull();
    expect(screen.getByTestId('print-summary').textContent).toBe('Print or save as PDF…');
    fireEvent.click(screen.getByTestId('save-summary-json'));
    const link = await screen.findByTestId('download-export');
    expect(link.getAttribute('download')).toBe('ferry-job-42-data-import-summary.json');
    expect(screen.queryByTestId('show-in-folder')).toBeNull();
    expect(api.callsTo('report:pdf')).toEqual([]);
    const print = vi.fn();
    Object.defineProperty(window, 'print', { value: print, configurable: true, writable: true });
    fireEvent.click(screen.getByTestId('print-summary'));
    expect(print).toHaveBeenCalledOnce();
  });

  it('a failed save says why', async () => {
    await openJob(DESKTOP, {
      'dialog:saveFile': () => ({ path: '/ro/summary.json' }),
      'jobs:saveSummary': () => {
        throw Object.assign(new Error('Ferry writes only files chosen in its save dialog (summary.json).'), { code: 'BAD_REQUEST', details: {} });
      },
    });
    fireEvent.click(screen.getByTestId('save-summary-json'));
    await waitFor(() => expect(screen.getByTestId('report-message').textContent).toContain('Ferry writes only files chosen in its save dialog'));
    expect(screen.queryByTestId('show-in-folder')).toBeNull();
  });

  it('file names: job, kind, direction', () => {
    expect(reportFileName({ id: 7, kind: 'csv-metadata', direction: 'import' }, 'pdf')).toBe('ferry-job-7-csv-metadata-import-summary.pdf');
  });
});

describe('exports: Show in folder, and the compression extension kept', () => {
  const exported: ExportSummary = { responseType: 'ExportSummary', status: 'OK', file: '/home/u/deps.json.zip', format: 'json', compression: 'zip', bytes: 2048, sha256: 'a'.repeat(64), counts: { dataSets: 1 } };

  it('offers Show in folder where the app can, and asks for that file', async () => {
    const api = app(DESKTOP, { 'files:showInFolder': () => ({ shown: true }) });
    useApp.setState({ capabilities: DESKTOP });
    render(<ExportResultView summary={exported} />);
    fireEvent.click(screen.getByTestId('show-in-folder'));
    await waitFor(() => expect(api.callsTo('files:showInFolder')).toEqual([{ path: '/home/u/deps.json.zip' }]));
  });

  it('says why a file cannot be shown (moved or deleted)', async () => {
    app(DESKTOP, {
      'files:showInFolder': () => {
        throw Object.assign(new Error('deps.json.zip is no longer there.'), { code: 'FILE_NOT_FOUND', details: {} });
      },
    });
    useApp.setState({ capabilities: DESKTOP });
    const { container } = render(<ExportResultView summary={exported} />);
    fireEvent.click(screen.getByTestId('show-in-folder'));
    await waitFor(() => expect(container.textContent).toContain('deps.json.zip is no longer there.'));
  });

  it('offers no Show in folder in a browser (the download link stays) nor without the capability', async () => {
    app(BROWSER, { 'files:downloadLink': () => ({ url: '/api/download/t/deps.json.zip', name: 'deps.json.zip', size: 2048 }) });
    useApp.setState({ capabilities: BROWSER });
    render(<ExportResultView summary={exported} />);
    await screen.findByTestId('download-export');
    expect(screen.queryByTestId('show-in-folder')).toBeNull();
    resetApp();
    app(['files:dialogs'], {});
    useApp.setState({ capabilities: ['files:dialogs'] });
    render(<ExportResultView summary={exported} />);
    expect(within(screen.getByTestId('export-summary')).queryByTestId('show-in-folder')).toBeNull();
  });

  it('the export store asks the save dialog to keep its compression (zip) and exports to the path it answers', async () => {
    const api = app(DESKTOP, {
      'dialog:saveFile': () => ({ path: '/home/u/deps.json.zip' }),
      'export:start': () => ({ jobId: 5 }),
      'jobs:wait': () => jobRecord({ id: 5, direction: 'export', kind: 'dependencies', summary: exported }),
    });
    useApp.setState({ formats: formatInfos(), capabilities: DESKTOP });
    useDependencyExport.getState().reset();
    useDependencyExport.getState().patchOptions({ uid: 'BfMAe6Itzgt', name: 'Child Health' });
    await useDependencyExport.getState().start();
    expect(api.callsTo('dialog:saveFile')[0]).toMatchObject({ compression: 'zip' });
    expect((api.callsTo('dialog:saveFile')[0] as { defaultName: string }).defaultName).toMatch(/\.json\.zip$/);
    expect(api.callsTo('export:start')[0]).toMatchObject({ out: '/home/u/deps.json.zip', compression: 'zip' });
  });
});
