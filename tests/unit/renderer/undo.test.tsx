/**
 * The job overview's Undo (issue 13): a dry run of the undo first, a confirmation that says what will be removed and
 * restored, then the undo job; a refusal names the later jobs and offers to undo them too (cascade); an undone job
 * says which job undid it and offers no Undo.
 */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiError, setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import type { UndoSummary } from '../../../src-shared/undo.ts';
import { fakeApi, jobRecord, resetApp } from './fake-api.ts';

afterEach(resetApp);

const undoSummary = (dryRun: boolean, undone = [{ id: 7, kind: 'data', createdAt: '2026-11-25T10:00:00.000Z' }]): UndoSummary => ({
  responseType: 'UndoSummary', status: 'SUCCESS', undone, dataValues: { removed: 3, restored: 2 }, events: { removed: 0, restored: 0 },
  otherProgramData: { removed: 0, restored: 0 }, metadataObjects: { removed: 0, restored: 0 }, otherRows: { removed: 0, restored: 0 }, dryRun,
});
const base = {
  'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:data'] }),
  'db:info': () => ({ metadata: {}, dataValues: 2, events: 0 }),
};
async function openJob(): Promise<void> {
  render(<App />);
  await screen.findByText('/db');
  fireEvent.click(screen.getByTestId('menu-jobs'));
  await waitFor(() => expect(document.querySelectorAll('[data-test="jobs-table"] tbody tr').length).toBeGreaterThan(0));
  fireEvent.click(screen.getAllByTestId('open-job').at(-1)!);
}

describe('Undo in the job overview', () => {
  it('previews the undo (dry run), says what will be restored, then runs it', async () => {
    const listed = jobRecord({ id: 7, kind: 'data', resultStatus: 'SUCCESS' });
    const api = fakeApi({
      ...base,
      'jobs:list': () => [listed],
      'jobs:get': () => listed,
      'jobs:undo': (r) => ({ jobId: r.dryRun ? 8 : 9, undoes: [{ id: 7, kind: 'data', createdAt: listed.createdAt }] }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'undo', dryRun: r.id === 8, summary: undoSummary(r.id === 8), resultStatus: 'SUCCESS' }),
    });
    setApi(api);
    await openJob();
    fireEvent.click(await screen.findByTestId('undo'));
    const preview = await screen.findByTestId('undo-preview');
    expect(preview.textContent).toContain('Data values: 3 removed, 2 restored');
    expect(screen.getByTestId('undo-confirm').textContent).toContain('Restore the database exactly as it was before job 7 (data)?');
    expect(api.callsTo('jobs:undo')).toEqual([{ job: 7, cascade: false, dryRun: true }]);
    fireEvent.click(screen.getByTestId('undo-confirm-yes'));
    await screen.findByText('Undone: job 7 (data)');
    expect(api.callsTo('jobs:undo')).toEqual([{ job: 7, cascade: false, dryRun: true }, { job: 7, cascade: false, dryRun: false }]);
  });

  it('shows the refusal naming the later jobs and offers to undo them too', async () => {
    const listed = jobRecord({ id: 7, kind: 'data', resultStatus: 'SUCCESS' });
    const later = [{ id: 12, kind: 'data', createdAt: '2026-11-26T09:00:00.000Z', finishedAt: '2026-11-26T09:01:00.000Z' }];
    const api = fakeApi({
      ...base,
      'jobs:list': () => [listed],
      'jobs:get': () => listed,
      'jobs:undo': (r) => {
        if (!r.cascade)
          throw new ApiError({ code: 'BAD_REQUEST', message: 'Job 7 cannot be undone alone: later jobs changed the same values or objects: job 12 (data, 2026-11-26 09:01).', details: { refused: true, laterJobs: later } });
        return { jobId: 20, undoes: [] };
      },
      'jobs:wait': () =>
        jobRecord({ id: 20, kind: 'undo', dryRun: true, resultStatus: 'SUCCESS', summary: undoSummary(true, [{ id: 12, kind: 'data', createdAt: later[0]!.createdAt }, { id: 7, kind: 'data', createdAt: listed.createdAt }]) }),
    });
    setApi(api);
    await openJob();
    fireEvent.click(await screen.findByTestId('undo'));
    const refused = (await screen.findByTestId('undo-refused')).textContent!;
    expect(refused).toMatch(/^Later jobs changed the same values or objects: job 12 \(data, 2026-11-26 \d\d:\d\d\)\. Undo those first, or undo them too with the button below\.$/);
    expect(refused).not.toContain('--cascade'); // no screen tells the user to type a CLI flag
    fireEvent.click(screen.getByTestId('undo-cascade'));
    expect((await screen.findByTestId('undo-confirm')).textContent).toContain('before job 12 (data), job 7 (data)');
    expect(api.callsTo('jobs:undo')).toEqual([{ job: 7, cascade: false, dryRun: true }, { job: 7, cascade: true, dryRun: true }]);
  });

  it('an undone job names the undo and offers no Undo; exports and dry runs offer none', async () => {
    const undone = jobRecord({ id: 7, kind: 'data', resultStatus: 'SUCCESS', undoneBy: 9 });
    setApi(fakeApi({ ...base, 'jobs:list': () => [undone], 'jobs:get': () => undone }));
    await openJob();
    expect((await screen.findByTestId('undone-by')).textContent).toBe('This job was undone by job 9.');
    expect(screen.queryByTestId('undo')).toBeNull();
    resetApp();
    const exp = jobRecord({ id: 3, kind: 'data', direction: 'export', resultStatus: 'OK', summary: { responseType: 'ExportSummary', status: 'OK', file: 'a.json', format: 'json', compression: 'none', bytes: 1, sha256: 'a', counts: {} } });
    setApi(fakeApi({ ...base, 'jobs:list': () => [exp], 'jobs:get': () => exp }));
    await openJob();
    await screen.findByTestId('job-detail');
    expect(screen.queryByTestId('undo')).toBeNull();
  });
});

describe('what an undo did, in French and Portuguese (counts as nouns: no participle to agree with each kind)', () => {
  it('each kind of row says its removals and restorations with the language’s plural forms', async () => {
    const { undoLines } = await import('../../../src-renderer/components/UndoSummaryView.tsx');
    const { i18n } = await import('../../../src-renderer/i18n.ts');
    const s = { ...undoSummary(true), dataValues: { removed: 1, restored: 0 }, events: { removed: 1_000_000, restored: 2 } };
    const nbsp = (x: string[]): string[] => x.map((l) => l.replace(/[\u202f\u00a0]/g, ' '));
    expect(undoLines(s)).toEqual(['Data values: 1 removed, 0 restored', 'Events: 1,000,000 removed, 2 restored']);
    await i18n.changeLanguage('fr');
    expect(nbsp(undoLines(s))).toEqual(['Valeurs de données : 1 suppression, 0 restauration', 'Événements : 1 000 000 de suppressions, 2 restaurations']);
    await i18n.changeLanguage('pt');
    expect(nbsp(undoLines(s))).toEqual(['Valores de dados: 1 remoção, 0 reposições', 'Eventos: 1 000 000 de remoções, 2 reposições']);
  });
});
