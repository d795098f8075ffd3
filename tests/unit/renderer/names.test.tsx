/** Names, not ids (issue 15): conflict rows show "name (uid)" for the uids Ferry knows (metadata:names, one call per page). */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ImportReport, ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import type { TrackerImportReport } from '../../../src-shared/dhis2/tracker.ts';
import { ImportReportView } from '../../../src-renderer/components/ImportReportView.tsx';
import { DataImportSummaryView } from '../../../src-renderer/components/ImportSummaryView.tsx';
import { TrackerReportView } from '../../../src-renderer/components/TrackerReportView.tsx';
import { setApi } from '../../../src-renderer/api.ts';
import { fakeApi, type FakeApi } from './fake-api.ts';

afterEach(() => {
  cleanup();
  setApi(null);
});

const KNOWN: Record<string, { name: string; type: string }> = {
  fbfJHSPpUQD: { name: 'Penta 1 doses given', type: 'dataElements' },
  DiszpKrYNg8: { name: 'Ngelehun CHC', type: 'organisationUnits' },
  OuParent001: { name: 'Badjia', type: 'organisationUnits' },
};
function namesApi(): FakeApi {
  const api = fakeApi({ 'metadata:names': (r) => Object.fromEntries(r.uids.filter((u) => KNOWN[u]).map((u) => [u, KNOWN[u]!])) });
  setApi(api);
  return api;
}

function dataSummary(n: number): ImportSummary {
  return {
    responseType: 'ImportSummary',
    status: 'WARNING',
    importCount: { imported: 0, updated: 0, deleted: 0, ignored: n },
    conflicts: Array.from({ length: n }, (_, i) => ({
      object: i === 0 ? 'fbfJHSPpUQD' : `Unknown${String(i).padStart(4, '0')}`,
      value: i === 0 ? 'Value must be a valid integer: data element fbfJHSPpUQD, org unit DiszpKrYNg8' : 'Data element not found',
      errorCode: i === 0 ? 'E7619' : 'E7610',
      indexes: [i],
    })),
  } as ImportSummary;
}

describe('conflict rows show the names Ferry knows', () => {
  it('data value conflicts: the object column and the message say "name (uid)"; an unknown uid stays as it is', async () => {
    const api = namesApi();
    render(<DataImportSummaryView summary={dataSummary(3)} dryRun={false} />);
    const table = screen.getByTestId('conflict-table');
    await waitFor(() => expect(within(table).getAllByTestId('named-uid')[0]!.textContent).toBe('Penta 1 doses given (fbfJHSPpUQD)'));
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]!.textContent).toContain('Value must be a valid integer: data element Penta 1 doses given (fbfJHSPpUQD), org unit Ngelehun CHC (DiszpKrYNg8)');
    expect(rows[1]!.textContent).toContain('Unknown0001');
    expect(rows[1]!.textContent).not.toContain('(Unknown0001)');
    // one lookup for the page, with the page's uids
    const calls = api.callsTo('metadata:names') as { uids: string[] }[];
    expect(calls).toHaveLength(1);
    expect(calls[0]!.uids).toEqual(expect.arrayContaining(['fbfJHSPpUQD', 'DiszpKrYNg8', 'Unknown0001', 'Unknown0002']));
  });

  it('asks only for the page shown, and again for the next page', async () => {
    const api = namesApi();
    render(<DataImportSummaryView summary={dataSummary(120)} dryRun={false} />);
    fireEvent.click(screen.getByTestId('conflict-view-rows'));
    await waitFor(() => expect(screen.getAllByTestId('named-uid')).toHaveLength(1));
    const first = (api.callsTo('metadata:names') as { uids: string[] }[]).at(-1)!.uids;
    expect(first).not.toContain('Unknown0060');
    expect(first.length).toBeLessThanOrEqual(52);
    fireEvent.click(screen.getByTestId('conflict-next'));
    await waitFor(() => expect((api.callsTo('metadata:names') as { uids: string[] }[]).at(-1)!.uids).toContain('Unknown0060'));
  });

  it('a failed lookup leaves the uids as they are', async () => {
    setApi(fakeApi({}));
    render(<DataImportSummaryView summary={dataSummary(1)} dryRun={false} />);
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.getByTestId('conflict-table').textContent).toContain('fbfJHSPpUQD');
    expect(screen.queryByTestId('named-uid')).toBeNull();
  });

  it('metadata conflicts: a missing reference shows the name of a stored object it points to', async () => {
    namesApi();
    const report: ImportReport = {
      responseType: 'ImportReport',
      status: 'WARNING',
      stats: { created: 1, updated: 0, deleted: 0, ignored: 1, total: 2 },
      typeReports: [
        {
          klass: 'org.hisp.dhis.organisationunit.OrganisationUnit',
          stats: { created: 1, updated: 0, deleted: 0, ignored: 1, total: 2 },
          objectReports: [
            {
              klass: 'org.hisp.dhis.organisationunit.OrganisationUnit',
              index: 0,
              uid: 'DiszpKrYNg8',
              errorReports: [{ message: 'Invalid reference [OuParent001] (OrganisationUnit) for association `parent`', mainKlass: 'org.hisp.dhis.organisationunit.OrganisationUnit', errorProperty: 'parent', errorCode: 'E5002' }],
            },
          ],
        },
      ],
      missingReferences: [{ type: 'organisationUnits', uid: 'NewOu000001', property: 'parent', targetType: 'organisationUnits', target: 'OuParent001' }],
    } as ImportReport;
    render(<ImportReportView report={report} dryRun={false} />);
    const conflicts = screen.getAllByTestId('conflict-table')[0]!;
    await waitFor(() => expect(conflicts.textContent).toContain('Ngelehun CHC'));
    expect(conflicts.textContent).toContain('Invalid reference [Badjia (OuParent001)]');
    await waitFor(() => expect(within(screen.getByTestId('missing-references')).getByTestId('named-uid').textContent).toBe('Badjia (OuParent001)'));
  });

  it('tracker reports: uids in messages are named', async () => {
    namesApi();
    const report = {
      responseType: 'TrackerImportReport',
      status: 'ERROR',
      stats: { created: 0, updated: 0, deleted: 0, ignored: 1, total: 1 },
      validationReport: {
        errorReports: [{ message: 'Organisation unit: `DiszpKrYNg8` not found or not in the program', errorCode: 'E1029', trackerType: 'EVENT', uid: 'EvNotKnown1', line: 3 }],
        warningReports: [],
      },
    } as unknown as TrackerImportReport;
    render(<TrackerReportView report={report} dryRun />);
    await waitFor(() => expect(screen.getByTestId('tracker-errors').textContent).toContain('Organisation unit: `Ngelehun CHC (DiszpKrYNg8)` not found'));
    expect(screen.getByTestId('tracker-errors').textContent).toContain('EvNotKnown1');
  });
});
