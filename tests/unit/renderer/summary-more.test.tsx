/** Summaries that list less than they count (issue 16, defect 1): the screens say how many more there are. */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { ImportReport, ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { DataImportSummaryView, positions } from '../../../src-renderer/components/ImportSummaryView.tsx';
import { ImportReportView } from '../../../src-renderer/components/ImportReportView.tsx';

afterEach(cleanup);

const summary: ImportSummary = {
  responseType: 'ImportSummary',
  status: 'WARNING',
  description: 'Import process completed successfully',
  importCount: { imported: 2, updated: 0, ignored: 200_000, deleted: 0 },
  conflicts: [
    {
      object: 'DeInteger01',
      objects: { dataElement: 'DeInteger01', value: 'value_not_integer' },
      value: 'Value must match value type of data element `DeInteger01`: `value_not_integer`',
      errorCode: 'E7619',
      property: 'value',
      indexes: [5, 10],
      lines: [7, 12],
      moreIndexes: 39_998,
    },
    { object: 'DeUnknown0', objects: { dataElement: 'DeUnknown0' }, value: 'Data element not found or not accessible: `DeUnknown0`', errorCode: 'E7610', property: 'dataElement', indexes: [2], lines: [4] },
  ],
  rejectedIndexes: [2, 5, 10],
  moreRejectedIndexes: 199_997,
  moreConflicts: { E7610: { conflicts: 39_900, rows: 39_900 }, E7613: { conflicts: 1, rows: 40 } },
  fileSummaries: [],
};
summary.fileSummaries = [{ ...summary, fileSummaries: undefined, file: 'all-conflicts.csv', format: 'csv' } as never];

describe('capped summaries on screen', () => {
  it('data: the count includes what is not listed, and says how many more of each kind', () => {
    render(<DataImportSummaryView summary={summary} dryRun={false} />);
    const table = screen.getByTestId('conflict-table');
    expect(within(table).getByRole('heading').textContent).toBe('Conflicts (39,903)');
    const more = within(table).getByTestId('more-conflicts');
    expect(more.textContent).toContain('… and 39,900 more conflicts of this kind (E7610) in 39,900 rows, not listed');
    expect(more.textContent).toContain('… and 1 more conflict of this kind (E7613) in 40 rows, not listed');
    // the group's rows: the listed lines and how many more
    expect(table.textContent).toContain('line 7, line 12 … and 39,998 more');
    const file = screen.getByTestId('file-summaries').querySelector('[data-col="conflicts"]')!;
    expect(file.textContent).toBe('39,903');
  });

  it('an old job whose history keeps counts only says so', () => {
    render(<DataImportSummaryView summary={{ ...summary, conflicts: [], compacted: true, fileSummaries: summary.fileSummaries!.map((f) => ({ ...f, conflicts: [], compacted: true })) }} dryRun={false} />);
    expect(screen.getByTestId('compacted-note').textContent).toMatch(/keeps its counts/);
    expect(within(screen.getByTestId('conflict-table')).getByRole('heading').textContent).toBe('Conflicts (39,901)');
  });

  it('positions adds the rows a conflict does not list', () => {
    expect(positions([0, 1], 'json', true, undefined, 3)).toBe('value 1, value 2 … and 3 more');
    expect(positions(Array.from({ length: 25 }, (_, i) => i), 'xml', true, undefined, 1000)).toMatch(/value 20 … and 1,005 more$/);
  });

  it('metadata: error reports, unknown keys and missing references not listed are counted', () => {
    const report: ImportReport = {
      responseType: 'ImportReport',
      status: 'WARNING',
      stats: { created: 0, updated: 0, deleted: 0, ignored: 401, total: 401 },
      typeReports: [
        {
          klass: 'org.hisp.dhis.dataelement.DataElement',
          stats: { created: 0, updated: 0, deleted: 0, ignored: 401, total: 401 },
          objectReports: [
            { klass: 'org.hisp.dhis.dataelement.DataElement', index: 0, uid: 'DeBad000001', errorReports: [{ message: 'Missing required property `name`.', mainKlass: 'org.hisp.dhis.dataelement.DataElement', errorCode: 'E4000' }] },
          ],
          moreObjectReports: 400,
        },
      ],
      moreErrorReports: { E4000: 400 },
      unknownKeys: ['a'],
      moreUnknownKeys: 12,
      missingReferences: [{ type: 'dataElements', uid: 'DeBad000001', property: 'categoryCombo', targetType: 'categoryCombos', target: 'CcNope00001' }],
      moreMissingReferences: 999,
    };
    render(<ImportReportView report={report} dryRun={false} />);
    const tables = screen.getAllByTestId('conflict-table');
    expect(within(tables[0]!).getByRole('heading').textContent).toBe('Conflicts (401)');
    expect(within(tables[0]!).getByTestId('more-conflicts').textContent).toBe('… and 400 more conflicts of this kind (E4000), not listed');
    expect(screen.getByTestId('unknown-keys').textContent).toContain('Parts of the file that were skipped (13)');
    expect(screen.getByTestId('unknown-keys').textContent).toContain('… and 12 more');
    const missing = screen.getByTestId('missing-references');
    expect(within(missing).getByRole('heading').textContent).toBe('Missing references (1,000)');
  });
});
