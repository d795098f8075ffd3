/**
 * Issue 15 in the data import screen: a job of five files with one refused (partial badge in words, the headline
 * counting files, the refused file's reason in its row, "would be" in a dry run), the counts in words from the engine's
 * breakdown, overlapping files (the district chooses after the dry run; Import waits for the choice and sends it), and
 * "Import anyway" only when something can be imported.
 */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { useDataImport } from '../../../src-renderer/stores/imports.ts';
import { useApp } from '../../../src-renderer/stores/app.ts';
import { DataImportScreen } from '../../../src-renderer/screens/data-import/DataImportScreen.tsx';
import { DataImportSummaryView, countsInWords } from '../../../src-renderer/components/ImportSummaryView.tsx';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import type { FileImportSummary, ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { fakeApi, jobRecord } from './fake-api.ts';

beforeEach(() => {
  useApp.setState({ formats: formatInfos(), capabilities: ['import:data'] });
  useDataImport.getState().reset();
});
afterEach(() => {
  cleanup();
  setApi(null);
});

const WHY = 'clinic-3.xml, line 3: malformed XML (unclosed tag)';

function file(name: string, imported: number, status: FileImportSummary['status'] = 'SUCCESS'): FileImportSummary {
  return {
    responseType: 'ImportSummary',
    status,
    description: status === 'ERROR' ? `The import process failed: ${WHY}` : 'Import process completed successfully',
    importCount: { imported, updated: 0, ignored: 0, deleted: 0 },
    conflicts: [],
    rejectedIndexes: [],
    file: name,
    format: name.endsWith('.xml') ? 'xml' : 'csv',
    ignoredBreakdown: { unchanged: 0, refused: 0, zeroNotStored: 0, rows: imported },
  };
}

function fiveFiles(dryRun: boolean): ImportSummary {
  return {
    responseType: 'ImportSummary',
    status: 'ERROR',
    description: `1 of 5 files could not be imported; 4 ${dryRun ? 'would be' : 'were'} imported`,
    importCount: { imported: 40, updated: 3, ignored: 5, deleted: 0 },
    conflicts: [],
    rejectedIndexes: [],
    dryRun,
    fileSummaries: [file('clinic-1.csv', 10), file('clinic-2.csv', 10), file('clinic-3.xml', 0, 'ERROR'), file('clinic-4.csv', 10), file('clinic-5.csv', 10)],
    filesOutcome: { files: 5, failed: 1, imported: 4, partial: true },
    ignoredBreakdown: { unchanged: 2, refused: 3, zeroNotStored: 4, rows: 52 },
  };
}

describe('the summary of a job of five files, one refused', () => {
  it('is badged in words, counts the files, and says why the refused file failed', () => {
    render(<DataImportSummaryView summary={fiveFiles(false)} dryRun={false} />);
    const tag = screen.getByTestId('status-tag');
    expect(tag.textContent).toBe('Partly imported');
    expect(tag.getAttribute('data-status')).toBe('PARTIAL');
    expect(screen.getByTestId('summary-headline').textContent).toBe(
      'Import finished: 4 of 5 files were saved (40 imported, 3 updated, 0 deleted, 5 ignored); 1 file was refused and nothing of it was saved.',
    );
    expect(screen.getByTestId('files-outcome').textContent).toContain('1 of 5 files could not be imported; 4 were imported.');
    const rows = screen.getByTestId('file-summaries');
    const bad = rows.querySelector('tr[data-file="clinic-3.xml"]') as HTMLElement;
    expect(within(bad).getByTestId('file-error').textContent).toBe(WHY);
    expect(within(bad).getByTestId('file-status').textContent).toBe('Error');
    expect(rows.querySelectorAll('[data-test="file-error"]')).toHaveLength(1);
  });

  it('says "would be" in a dry run', () => {
    render(<DataImportSummaryView summary={fiveFiles(true)} dryRun />);
    expect(screen.getByTestId('status-tag').textContent).toBe('Some files would be refused');
    expect(screen.getByTestId('files-outcome').textContent).toContain('4 would be imported');
    expect(screen.getByTestId('counts-words').textContent).toContain('40 would be imported (new), 3 would be updated');
  });

  it('explains every row in words beside the table, from the engine breakdown', () => {
    render(<DataImportSummaryView summary={fiveFiles(false)} dryRun={false} />);
    expect(screen.getByTestId('counts-words').textContent).toBe(
      '52 rows read: 40 imported (new), 3 updated, 0 deleted, 5 ignored. Of the ignored, 2 were unchanged (already stored as in the file) and 3 were refused ' +
        '(see the conflicts, or the strategy did not apply). 4 zero values were not stored: zero is not significant for their data elements (DHIS2 does not count these).',
    );
    // an old summary without the engine's breakdown says nothing it cannot know
    const { ignoredBreakdown: _b, ...old } = fiveFiles(false);
    expect(countsInWords(old, false)).toBeNull();
  });
});

function overlapSummary(): ImportSummary {
  return {
    responseType: 'ImportSummary',
    status: 'SUCCESS',
    description: 'Import process completed successfully',
    importCount: { imported: 4, updated: 2, ignored: 1, deleted: 0 },
    conflicts: [],
    rejectedIndexes: [],
    dryRun: true,
    fileSummaries: [file('january.csv', 3), file('january-corrected.xml', 1)],
    filesOutcome: { files: 2, failed: 0, imported: 2, partial: false },
    overlaps: { policy: 'stop', keys: 2, differing: 1, stopped: false, pairs: [{ first: 'january.csv', second: 'january-corrected.xml', keys: 2, differing: 1 }] },
  };
}

describe('overlapping files in the wizard', () => {
  it('shows the files after the dry run and waits for the district to choose; Import sends the choice', async () => {
    let n = 0;
    const api = fakeApi({
      'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
      'import:start': () => ({ jobId: ++n }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'data', dryRun: r.id === 1, resultStatus: 'SUCCESS', summary: overlapSummary() }),
    });
    setApi(api);
    await useDataImport.getState().addPaths(['/d/january.csv', '/d/january-corrected.xml']);
    render(<DataImportScreen />);
    fireEvent.click(screen.getByTestId('next'));
    // the choice is offered with the options too, "stop" by default
    expect((screen.getByLabelText('Stop and show me the files (nothing is imported until I choose)') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByTestId('start'));
    await waitFor(() => expect(screen.getByTestId('overlap-choice')).toBeTruthy());
    expect((api.callsTo('import:start')[0] as { options: Record<string, unknown> }).options.overlap).toBe('stop');
    expect(screen.getByTestId('overlaps').textContent).toContain('2 value keys are (data element, period, org unit and combos) in more than one file; 1 has different values.');
    const pair = screen.getByTestId('overlap-pairs').querySelector('tbody tr')!;
    expect([...pair.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['january-corrected.xml', 'january.csv', '2', '1']);
    // no Import until a choice is made
    expect(screen.queryByTestId('import-now')).toBeNull();
    expect(screen.getByTestId('action-bar').textContent).toContain('Choose above which file’s values to keep, then import.');
    fireEvent.click(within(screen.getByTestId('overlap-choice')).getByLabelText('Keep the values of the first file in the list'));
    fireEvent.click(await screen.findByTestId('import-now'));
    await waitFor(() => expect(api.callsTo('import:start')).toHaveLength(2));
    expect((api.callsTo('import:start')[1] as { options: Record<string, unknown> }).options).toMatchObject({ overlap: 'first', dryRun: false });
  });

  it('offers no overlap choice for one plain file', async () => {
    setApi(fakeApi({ 'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })) }));
    await useDataImport.getState().addPaths(['/d/one.csv']);
    render(<DataImportScreen />);
    fireEvent.click(screen.getByTestId('next'));
    expect(screen.queryByText('When files carry the same values')).toBeNull();
  });
});

describe('"Import anyway" only when something can be imported', () => {
  async function dryRunWith(summary: ImportSummary): Promise<void> {
    setApi(
      fakeApi({
        'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
        'import:start': () => ({ jobId: 1 }),
        'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'data', dryRun: true, resultStatus: summary.status, summary }),
      }),
    );
    await useDataImport.getState().addPaths(['/d/a.csv', '/d/b.xml']);
    render(<DataImportScreen />);
    fireEvent.click(screen.getByTestId('next'));
    fireEvent.click(screen.getByTestId('start'));
    await waitFor(() => expect(screen.getByTestId('summary-card')).toBeTruthy());
  }

  it('is offered when good files would be imported beside a refused one', async () => {
    await dryRunWith(fiveFiles(true));
    expect(screen.getByTestId('import-now').textContent).toBe('Import anyway');
  });

  it('is not offered when every file is refused', async () => {
    const s: ImportSummary = {
      ...fiveFiles(true),
      description: 'None of the 2 files could be imported; nothing would be imported',
      importCount: { imported: 0, updated: 0, ignored: 0, deleted: 0 },
      fileSummaries: [file('a.csv', 0, 'ERROR'), file('b.xml', 0, 'ERROR')],
      filesOutcome: { files: 2, failed: 2, imported: 0, partial: false },
    };
    await dryRunWith(s);
    expect(screen.queryByTestId('import-now')).toBeNull();
    expect(screen.getByTestId('action-bar').textContent).toContain('Nothing in the files can be imported');
    expect(screen.getByTestId('status-tag').textContent).toBe('Error');
  });
});

describe('the summary step of the wizard keeps the report', () => {
  it('offers Download summary (JSON) for the finished job, which saves the stored summary of that job', async () => {
    const api = fakeApi({
      'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
      'import:start': () => ({ jobId: 42 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'data', dryRun: true, resultStatus: 'ERROR', summary: fiveFiles(true) }),
      'dialog:saveFile': () => ({ path: '/d/report.json' }),
      'jobs:saveSummary': (r) => ({ path: r.path, bytes: 1234 }),
    });
    setApi(api);
    await useDataImport.getState().addPaths(['/d/january.csv']);
    render(<DataImportScreen />);
    fireEvent.click(screen.getByTestId('next'));
    fireEvent.click(screen.getByTestId('start'));
    const actions = await screen.findByTestId('report-actions');
    fireEvent.click(within(actions).getByTestId('save-summary-json'));
    await waitFor(() => expect(api.callsTo('jobs:saveSummary')).toEqual([{ id: 42, path: '/d/report.json' }]));
    expect((await screen.findByTestId('report-message')).textContent).toContain('/d/report.json');
  });
});
