/** The summary views: the numbers and rows a data manager reads after an import or export. */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ImportReport, ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { ImportReportView } from '../../../src-renderer/components/ImportReportView.tsx';
import { DataImportSummaryView, dataConflictRows, positions } from '../../../src-renderer/components/ImportSummaryView.tsx';
import { JobResultView } from '../../../src-renderer/components/JobResultView.tsx';
import { ExportResultView } from '../../../src-renderer/components/ExportResultView.tsx';
import { setApi } from '../../../src-renderer/api.ts';
import { fakeApi, jobRecord } from './fake-api.ts';

afterEach(() => {
  cleanup();
  setApi(null);
});

const cells = (row: HTMLElement): Record<string, string> =>
  Object.fromEntries(Array.from(row.querySelectorAll('[data-col]')).map((td) => [td.getAttribute('data-col'), td.textContent]));

const report: ImportReport = {
  responseType: 'ImportReport',
  status: 'ERROR',
  stats: { created: 1200, updated: 3, deleted: 0, ignored: 2, total: 1205 },
  typeReports: [
    {
      klass: 'org.hisp.dhis.organisationunit.OrganisationUnit',
      stats: { created: 1200, updated: 1, deleted: 0, ignored: 1, total: 1202 },
      objectReports: [
        {
          klass: 'org.hisp.dhis.organisationunit.OrganisationUnit',
          index: 4,
          uid: 'OuNduvuib01',
          displayName: 'Nduvuibu MCHP',
          errorReports: [
            {
              message: 'Invalid reference [aaaU6Kr7Gtp] (OrganisationUnit) on object Nduvuibu MCHP for association `parent`',
              mainKlass: 'org.hisp.dhis.organisationunit.OrganisationUnit',
              errorKlass: 'org.hisp.dhis.organisationunit.OrganisationUnit',
              errorProperty: 'parent',
              errorCode: 'E5002',
              value: 'aaaU6Kr7Gtp',
            },
          ],
        },
      ],
    },
    {
      klass: 'org.hisp.dhis.dataelement.DataElement',
      stats: { created: 0, updated: 2, deleted: 0, ignored: 1, total: 3 },
      objectReports: [
        {
          klass: 'org.hisp.dhis.dataelement.DataElement',
          index: 0,
          uid: 'DeBad000001',
          displayName: 'Broken element',
          errorReports: [{ message: 'Missing required property `valueType`', mainKlass: 'org.hisp.dhis.dataelement.DataElement', errorProperty: 'valueType', errorCode: 'E4000' }],
        },
      ],
    },
  ],
  unknownKeys: ['sqlViewsOld', 'package'],
  missingReferences: [{ type: 'organisationUnits', uid: 'OuNduvuib01', name: 'Nduvuibu MCHP', property: 'parent', targetType: 'organisationUnits', target: 'aaaU6Kr7Gtp' }],
};

describe('ImportReportView (metadata)', () => {
  it('shows per-type counts, the totals and a dry-run headline', () => {
    render(<ImportReportView report={report} dryRun />);
    const counts = document.querySelector('[data-test="type-counts"]') as HTMLElement;
    const rows = Array.from(counts.querySelectorAll('tbody tr')) as HTMLElement[];
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual(['Organisation unit', 'Data element']);
    expect(cells(rows[0]!)).toEqual({ created: '1,200', updated: '1', deleted: '0', ignored: '1', total: '1,202' });
    expect(cells(counts.querySelector('tfoot tr') as HTMLElement)).toEqual({ created: '1,200', updated: '3', deleted: '0', ignored: '2', total: '1,205' });
    expect(screen.getByTestId('summary-headline').textContent).toBe(
      'Dry run found problems: nothing was changed. The import would give: 1,200 created, 3 updated, 0 deleted, 2 ignored.',
    );
    expect(screen.getByTestId('dry-run-tag')).toBeTruthy();
  });

  it('lists conflicts with type, object, property, code, message and value; the filter narrows them', () => {
    render(<ImportReportView report={report} dryRun={false} />);
    const conflicts = screen.getAllByTestId('conflict-table')[0]!;
    const rows = within(conflicts).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const first = Array.from(rows[0]!.querySelectorAll('td')).map((td) => td.textContent);
    expect(first).toEqual([
      'Organisation unit',
      'Nduvuibu MCHPOuNduvuib01',
      'parent',
      'E5002',
      'Invalid reference [aaaU6Kr7Gtp] (OrganisationUnit) on object Nduvuibu MCHP for association `parent`',
      'aaaU6Kr7Gtp',
    ]);
    fireEvent.change(within(conflicts).getByTestId('conflict-filter'), { target: { value: 'E4000' } });
    const filtered = within(conflicts).getAllByRole('row').slice(1);
    expect(filtered).toHaveLength(1);
    expect(filtered[0]!.textContent).toContain('Broken element');
    expect(conflicts.textContent).toContain('1 of 2 match the filter.');
  });

  it('shows the unknown keys and the missing references', () => {
    render(<ImportReportView report={report} dryRun={false} />);
    expect(screen.getByTestId('unknown-keys').textContent).toContain('sqlViewsOld');
    expect(screen.getByTestId('unknown-keys').textContent).toContain('package');
    const missing = screen.getByTestId('missing-references');
    expect(within(missing).getAllByRole('row')).toHaveLength(2);
    expect(missing.textContent).toContain('aaaU6Kr7Gtp');
  });
});

const dataSummary: ImportSummary = {
  responseType: 'ImportSummary',
  status: 'WARNING',
  description: 'Import process completed successfully',
  importCount: { imported: 10, updated: 2, ignored: 3, deleted: 1 },
  conflicts: [],
  rejectedIndexes: [],
  fileSummaries: [
    {
      file: 'bo.json',
      sha256: 'ab41ffc7d8fb0123456789abcdef0123456789abcdef0123456789abcdef0123',
      format: 'json',
      compression: 'none',
      responseType: 'ImportSummary',
      status: 'SUCCESS',
      description: '',
      importCount: { imported: 7, updated: 2, ignored: 0, deleted: 1 },
      conflicts: [],
      rejectedIndexes: [],
    },
    {
      file: 'kenema.csv',
      sha256: '8ff962860f35aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      format: 'csv',
      compression: 'none',
      responseType: 'ImportSummary',
      status: 'WARNING',
      description: '',
      importCount: { imported: 3, updated: 0, ignored: 3, deleted: 0 },
      conflicts: [
        { object: 'DeUnknown01', objects: { dataElement: 'DeUnknown01' }, value: 'Data element not found or not accessible', errorCode: 'E7610', property: 'dataElement', indexes: [0, 4] },
        { object: 'OuX', objects: { orgUnit: 'OuX' }, value: 'Org unit not found or not accessible', errorCode: 'E7612', property: 'orgUnit', indexes: [7] },
      ],
      rejectedIndexes: [0, 4, 7],
    },
  ],
};

describe('DataImportSummaryView (data)', () => {
  it('shows combined counts and one row per file with its sha256 prefix and counts', () => {
    render(<DataImportSummaryView summary={dataSummary} dryRun={false} />);
    expect(cells(document.querySelector('[data-test="combined-counts"] tbody tr') as HTMLElement)).toEqual({
      imported: '10',
      updated: '2',
      deleted: '1',
      ignored: '3',
      total: '16',
    });
    const files = document.querySelectorAll('[data-test="file-summaries"] tbody tr');
    expect(files).toHaveLength(2);
    expect(files[0]!.textContent).toContain('bo.json');
    expect(files[0]!.textContent).toContain('ab41ffc7d8fb');
    expect(cells(files[1] as HTMLElement)).toEqual({ imported: '3', updated: '0', deleted: '0', ignored: '3', conflicts: '2' });
    expect(screen.getByTestId('summary-headline').textContent).toBe('Import finished: 10 imported, 2 updated, 1 deleted, 3 ignored.');
  });

  it('lists conflicts with file, code, message and CSV line numbers', () => {
    render(<DataImportSummaryView summary={dataSummary} dryRun />);
    const rows = within(screen.getByTestId('conflict-table')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    const tds = Array.from(rows[0]!.querySelectorAll('td')).map((td) => td.textContent);
    expect(tds[0]).toBe('kenema.csv');
    expect(tds[1]).toBe('E7610');
    expect(tds[2]).toBe('Data element not found or not accessible');
    expect(tds[5]).toBe('line 2, line 6');
  });

  it('positions: CSV lines count the header; other formats count values', () => {
    expect(positions([0, 9], 'csv', true)).toBe('line 2, line 11');
    expect(positions([0], 'csv', false)).toBe('line 1');
    expect(positions([2], 'json', true)).toBe('value 3');
    expect(positions(Array.from({ length: 25 }, (_, i) => i), 'xml', true)).toMatch(/value 20 … and 5 more$/);
    // lines from the engine win, whatever the format
    expect(positions([2, 5], 'json', true, [14, 31])).toBe('line 14, line 31');
  });

  it('CSV lines follow how the first row of each file was read (Ferry decides it when the option was not given)', () => {
    const file = (name: string, firstRowIsHeader: boolean | undefined) => ({
      responseType: 'ImportSummary' as const, status: 'WARNING' as const, description: '', importCount: { imported: 1, updated: 0, ignored: 1, deleted: 0 },
      conflicts: [{ object: 'x', objects: {}, value: 'Data element not found or not accessible', errorCode: 'E7610', indexes: [0] }],
      rejectedIndexes: [0], file: name, format: 'csv', ...(firstRowIsHeader === undefined ? {} : { firstRowIsHeader }),
    });
    const s: ImportSummary = { ...file('', undefined), fileSummaries: [file('a.csv', false), file('b.csv', true), file('c.csv', undefined)] };
    expect(dataConflictRows(s, true).map((r) => [r.file, r.indexes])).toEqual([['a.csv', 'line 1'], ['b.csv', 'line 2'], ['c.csv', 'line 2']]);
    const one: ImportSummary = { ...file('', undefined), firstRowIsHeader: false, fileSummaries: [file('a.csv', false)] };
    one.fileSummaries![0]!.conflicts = [];
    expect(dataConflictRows(one, true).map((r) => r.indexes)).toEqual(['line 1']);
  });

  it('downloads the conflicts as CSV through the save dialog and files:writeText', async () => {
    const api = fakeApi({
      'dialog:saveFile': () => ({ path: '/tmp/conflicts.csv' }),
      'files:writeText': (r) => ({ path: r.path, bytes: r.text.length }),
    });
    setApi(api);
    render(<DataImportSummaryView summary={dataSummary} dryRun />);
    fireEvent.click(screen.getByTestId('download-conflicts'));
    await waitFor(() => expect(screen.getByText('Saved 2 conflicts to /tmp/conflicts.csv')).toBeTruthy());
    const [req] = api.callsTo('files:writeText') as { path: string; text: string }[];
    const lines = req!.text.trim().split('\r\n');
    // the columns as before, then the names Ferry knows (none here: the lookup failed, so the name columns say the uids' text)
    expect(lines[0]).toBe('File,Error code,Message,Property,Where in the file,Object,Objects,Object name,Message with names,Objects with names');
    expect(lines[1]).toBe(
      'kenema.csv,E7610,Data element not found or not accessible,dataElement,"line 2, line 6",DeUnknown01,dataElement: DeUnknown01,,Data element not found or not accessible,dataElement: DeUnknown01',
    );
    expect(lines).toHaveLength(3);
  });
});

describe('JobResultView and ExportResultView', () => {
  it('explains a failed job in plain words with the file and line', () => {
    render(
      <JobResultView
        record={jobRecord({ status: 'failed', resultStatus: 'ERROR', error: { code: 'BAD_FILE', message: 'the JSON ends too early', details: { file: '/data/district.json', line: 12 } } })}
      />,
    );
    expect(screen.getByTestId('job-error').textContent).toBe('district.json, line 12: the JSON ends too early');
  });

  it('says a cancelled import changed nothing', () => {
    render(<JobResultView record={jobRecord({ status: 'cancelled', resultStatus: 'ERROR' })} />);
    expect(screen.getByRole('alert').textContent).toContain('nothing was changed');
  });

  it('shows the exported file, its size and counts', () => {
    render(
      <ExportResultView
        summary={{ responseType: 'ExportSummary', status: 'OK', file: '/home/u/ferry-data.json.zip', format: 'json', compression: 'zip', bytes: 2_621_440, sha256: 'f'.repeat(64), counts: { dataValues: 12345 } }}
      />,
    );
    expect(screen.getByTestId('summary-headline').textContent).toBe('Export saved: 12,345 data values in 2.5 MB.');
    expect(screen.getByTestId('export-file').textContent).toBe('/home/u/ferry-data.json.zip');
    expect(document.querySelector('[data-test="export-counts"] tbody tr')!.textContent).toBe('Data values12,345');
  });

  it('an export with warnings says it was saved, how many values it holds, and what was left out and why', () => {
    const warning = '3 values were left out: their data elements belong to no data set (OTHER), and ADX writes values data set by data set.';
    render(
      <ExportResultView
        summary={{
          responseType: 'ExportSummary', status: 'WARNING', file: '/home/u/all.adx.xml', format: 'adx', compression: 'none', bytes: 2048, sha256: 'a'.repeat(64),
          counts: { dataValues: 8, groups: 5, valuesNotInAnyDataSet: 3 }, warnings: [warning],
        }}
      />,
    );
    expect(screen.getByTestId('status-tag').textContent).toBe('Completed with warnings');
    expect(screen.getByTestId('summary-headline').textContent).toBe('Export saved: 8 data values in 2.0 KB.');
    const notice = screen.getByTestId('notice-warning');
    expect(notice.getAttribute('role')).toBe('alert');
    expect(within(screen.getByTestId('export-warnings')).getAllByRole('listitem').map((li) => li.textContent)).toEqual([warning]);
    expect(document.querySelector('[data-type="valuesNotInAnyDataSet"]')!.textContent).toBe('Values not in any data set3');
  });
});
