/** The CSV metadata wizards with a fake Api: class key, preview of named columns, membership warning, import, export. */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { useCsvMetadataExport, useCsvMetadataImport, useCsvMetadataPreview } from '../../../src-renderer/stores/csv-metadata.ts';
import type { CsvMetadataPreview } from '../../../src-shared/api/contract.ts';
import type { ImportReport } from '../../../src-shared/dhis2/import-summary.ts';
import { CSV_CLASSES, cellsOf, membershipWarning } from '../../../src-shared/dhis2/csv-metadata.ts';
import { fakeApi, jobRecord, resetApp } from './fake-api.ts';
import { ImportReportView, metadataConflictRows } from '../../../src-renderer/components/ImportReportView.tsx';

beforeEach(() => {
  useCsvMetadataImport.getState().reset();
  useCsvMetadataPreview.getState().clear();
  useCsvMetadataExport.getState().reset();
});
afterEach(resetApp);

function preview(classKey: 'DATA_ELEMENT' | 'DATA_ELEMENT_GROUP_MEMBERSHIP', header: boolean): CsvMetadataPreview {
  const spec = CSV_CLASSES[classKey];
  const rows = classKey === 'DATA_ELEMENT' ? [['ANC 1st visit', 'fbfJHSPpUQD', 'DE_1'], ['Malaria', '', '', 'Mal', '', '', '', 'NUMBER']] : [['grpAAAAAAAA', 'fbfJHSPpUQD']];
  return {
    classKey,
    columns: spec.columns.map((c) => ({ key: c.key, label: c.label })),
    header: header ? ['name', 'uid', 'code'] : null,
    rows: rows.map((values, i) => ({ line: i + 2, cells: cellsOf(classKey, values), extra: 0 })),
    more: false,
    warning: membershipWarning(classKey),
  };
}

const report: ImportReport = {
  responseType: 'ImportReport',
  status: 'OK',
  stats: { created: 2, updated: 0, deleted: 0, ignored: 0, total: 2 },
  typeReports: [{ klass: 'org.hisp.dhis.dataelement.DataElement', stats: { created: 2, updated: 0, deleted: 0, ignored: 0, total: 2 }, objectReports: [] }],
  warnings: ['de.csv: 1 row skipped, as DHIS2 skips them (line 9: no group UID)'],
};

function api() {
  let job = 20;
  return fakeApi({
    'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:metadata', 'import:csv-metadata', 'export:csv-metadata'] }),
    'db:info': () => ({ metadata: { dataElements: 7 }, dataValues: 0, events: 0 }),
    'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 120 })),
    'csvMetadata:preview': (r) => preview(r.classKey as 'DATA_ELEMENT', r.firstRowIsHeader !== false),
    'import:start': () => ({ jobId: job++ }),
    'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'csv-metadata', dryRun: r.id === 20, resultStatus: 'OK', summary: { ...report, dryRun: r.id === 20 } }),
    'dialog:saveFile': (r) => ({ path: `/out/${r.defaultName}` }),
    'export:start': () => ({ jobId: 40 }),
  });
}

describe('CSV metadata import wizard', () => {
  it('is in the menu; shows the first rows in named columns for the chosen class key, then dry-runs and imports it', async () => {
    const a = api();
    setApi(a);
    render(<App />);
    await screen.findByText('/db');
    const menu = Array.from(document.querySelectorAll('nav [data-test^="menu-"]')).map((b) => b.textContent);
    expect(menu).toEqual(['Metadata import', 'CSV metadata import', 'CSV metadata export', 'Job overview']);
    fireEvent.click(screen.getByTestId('menu-import-csv-metadata'));
    await screen.findByText('CSV metadata import', { selector: 'h1' });
    await act(() => useCsvMetadataImport.getState().addPaths(['/d/de.csv']));
    fireEvent.click(screen.getByTestId('next'));
    expect(screen.getByText(/Choose what the file holds to see its first rows/)).toBeTruthy();
    const select = document.querySelector('select[name="classKey"]') as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.textContent)).toContain('Data elements (DATA_ELEMENT)');
    expect(select.options).toHaveLength(18);
    fireEvent.change(select, { target: { value: 'DATA_ELEMENT' } });
    const table = await screen.findByTestId('csv-preview');
    const heads = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent);
    expect(heads.slice(0, 5)).toEqual(['Line', 'Data element name', 'UID (generated when empty)', 'Code', 'Short name (default: the name)']);
    const body = Array.from(table.querySelectorAll('tbody tr')).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent));
    expect(body[0]!.slice(0, 10)).toEqual(['2', 'ANC 1st visit', 'fbfJHSPpUQD', 'DE_1', 'ANC 1st visit', '—', '—', 'aggregate', 'INTEGER', 'SUM']);
    expect(body[1]![8]).toBe('NUMBER');
    expect(screen.getByTestId('csv-preview-header').textContent).toBe('First row skipped as a header: name, uid, code');
    expect(a.callsTo('csvMetadata:preview')).toEqual([{ file: '/d/de.csv', classKey: 'DATA_ELEMENT', firstRowIsHeader: true, limit: 10 }]);
    expect(screen.queryByTestId('membership-warning')).toBeNull();

    // the header option reads the preview again
    fireEvent.click(document.querySelector('input[name="firstRowIsHeader"]')!);
    await waitFor(() => expect(screen.queryByTestId('csv-preview-header')).toBeNull());
    expect(a.callsTo('csvMetadata:preview')).toHaveLength(2);
    fireEvent.click(document.querySelector('input[name="firstRowIsHeader"]')!);

    fireEvent.click(screen.getByTestId('start'));
    await screen.findByText('Dry run summary');
    expect(a.callsTo('import:start')[0]).toEqual({
      files: ['/d/de.csv'],
      kind: 'csv-metadata',
      format: undefined,
      options: { dryRun: true, classKey: 'DATA_ELEMENT', firstRowIsHeader: true, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', identifier: 'UID' },
    });
    const counts = screen.getByTestId('type-counts');
    expect(within(counts).getByText('Data element').closest('tr')!.querySelector('[data-col="created"]')!.textContent).toBe('2');
    expect(screen.getByTestId('report-warnings').textContent).toContain('line 9: no group UID');
    fireEvent.click(screen.getByTestId('import-now'));
    await screen.findByText('Import summary');
    expect((a.callsTo('import:start')[1] as { options: { dryRun: boolean } }).options.dryRun).toBe(false);
  });

  it('warns before importing a membership file that it replaces member lists', async () => {
    setApi(api());
    render(<App />);
    await screen.findByText('/db');
    fireEvent.click(screen.getByTestId('menu-import-csv-metadata'));
    await act(() => useCsvMetadataImport.getState().addPaths(['/d/members.csv']));
    fireEvent.click(screen.getByTestId('next'));
    fireEvent.change(document.querySelector('select[name="classKey"]')!, { target: { value: 'DATA_ELEMENT_GROUP_MEMBERSHIP' } });
    expect(screen.getByTestId('membership-warning').textContent).toMatch(/^Data element group memberships replace the member list: each group named in the file keeps only the data elements listed/);
    const table = await screen.findByTestId('csv-preview');
    expect(Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent)).toEqual(['Line', 'Data element group UID', 'Member UID (data element)']);
  });
});

describe('CSV metadata export', () => {
  it('exports a chosen class key to a file named after it', async () => {
    const a = api();
    setApi(a);
    render(<App />);
    await screen.findByText('/db');
    fireEvent.click(screen.getByTestId('menu-export-csv-metadata'));
    fireEvent.click(await screen.findByTestId('start'));
    expect(await screen.findByText('Choose the kind of objects to export.')).toBeTruthy();
    fireEvent.change(document.querySelector('select[name="classKey"]')!, { target: { value: 'DATA_ELEMENT' } });
    expect(screen.getByTestId('csv-export-count').textContent).toMatch(/^7 data elements in this database\. Columns: name, uid, code, shortName/);
    fireEvent.click(screen.getByTestId('start'));
    await waitFor(() => expect(a.callsTo('export:start')).toHaveLength(1));
    const req = a.callsTo('export:start')[0] as { kind: string; out: string; format: string; options: unknown };
    expect(req).toMatchObject({ kind: 'csv-metadata', format: 'csv', compression: 'none', options: { classKey: 'DATA_ELEMENT' } });
    expect(req.out).toMatch(/^\/out\/ferry-csv-metadata-DATA_ELEMENT-\d{4}-\d\d-\d\d\.csv$/);
  });
});

describe('job overview', () => {
  it('"Run again" on a CSV metadata job opens its wizard with the same file, class key and header option, dry run first', async () => {
    setApi(
      fakeApi({
        'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:csv-metadata'] }),
        'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
        'jobs:list': () => [
          jobRecord({
            id: 5,
            kind: 'csv-metadata',
            dryRun: false,
            options: { classKey: 'OPTION_SET', firstRowIsHeader: false, dryRun: false, atomicMode: 'NONE' },
            summary: report,
            files: [{ index: 0, path: '/d/options.csv', name: 'options.csv', size: 90, sha256: 'a'.repeat(64), format: 'csv', compression: 'none', status: 'OK' }],
          }),
        ],
        'csvMetadata:preview': () => ({ ...preview('DATA_ELEMENT', false), classKey: 'OPTION_SET', columns: CSV_CLASSES.OPTION_SET.columns.map((c) => ({ key: c.key, label: c.label })), rows: [] }),
      }),
    );
    render(<App />);
    await screen.findByText('/db');
    fireEvent.click(screen.getByTestId('menu-jobs'));
    fireEvent.click(await screen.findByTestId('open-job'));
    fireEvent.click(await screen.findByTestId('run-again'));
    await screen.findByText('CSV metadata import', { selector: 'h1' });
    expect((document.querySelector('select[name="classKey"]') as HTMLSelectElement).value).toBe('OPTION_SET');
    expect((document.querySelector('input[name="firstRowIsHeader"]') as HTMLInputElement).checked).toBe(false);
    expect(useCsvMetadataImport.getState().options).toMatchObject({ dryRun: true, atomicMode: 'NONE' });
    expect(screen.getByText('options.csv')).toBeTruthy();
    await screen.findByText(/The file has no rows to import/);
  });
});

describe('summary', () => {
  it('shows the line each conflicting object came from', () => {
    const r: ImportReport = {
      ...report,
      status: 'ERROR',
      typeReports: [
        {
          klass: 'org.hisp.dhis.organisationunit.OrganisationUnit',
          stats: { created: 0, updated: 0, deleted: 0, ignored: 1, total: 1 },
          objectReports: [
            {
              klass: 'org.hisp.dhis.organisationunit.OrganisationUnit',
              index: 1,
              uid: 'ouOrphanAAA',
              line: 3,
              errorReports: [{ message: 'Invalid reference [noSuchParen] (OrganisationUnit) on object Orphan [ouOrphanAAA] (OrganisationUnit) for association `parent`', mainKlass: 'org.hisp.dhis.organisationunit.OrganisationUnit', errorCode: 'E5002', errorProperty: 'parent', args: ['[noSuchParen] (OrganisationUnit)', 'Orphan [ouOrphanAAA] (OrganisationUnit)', 'parent'] }],
            },
          ],
        },
      ],
    };
    expect(metadataConflictRows(r)[0]).toMatchObject({ name: 'Orphan', uid: 'ouOrphanAAA', line: 3, errorCode: 'E5002' });
    render(<ImportReportView report={r} dryRun={false} />);
    expect(screen.getByText('line 3')).toBeTruthy();
  });
});
