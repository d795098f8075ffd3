/** The event import wizard: its store sends DHIS2's option names; the two summaries draw counts, codes, messages and lines. */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { useEventsImport } from '../../../src-renderer/stores/events-import.ts';
import { useApp, visibleMenu } from '../../../src-renderer/stores/app.ts';
import { EventSummariesView, TrackerReportView } from '../../../src-renderer/components/TrackerReportView.tsx';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import type { TrackerImportReport } from '../../../src-shared/dhis2/tracker.ts';
import type { EventImportSummaries } from '../../../src-shared/dhis2/event-import-summaries.ts';
import { fakeApi, jobRecord } from './fake-api.ts';

const REPORT: TrackerImportReport = {
  responseType: 'TrackerImportReport',
  status: 'OK',
  validationReport: {
    errorReports: [{ message: 'Could not find OrganisationUnit: `NoSuchOu001`, linked to Event.', errorCode: 'E1011', trackerType: 'EVENT', uid: 'EvBad000001', line: 14 }],
    warningReports: [],
  },
  stats: { created: 2, updated: 1, deleted: 0, ignored: 1, total: 4 },
  bundleReport: {
    status: 'OK',
    stats: { created: 2, updated: 1, deleted: 0, ignored: 1, total: 4 },
    typeReportMap: {
      EVENT: { trackerType: 'EVENT', stats: { created: 2, updated: 1, deleted: 0, ignored: 1, total: 4 }, objectReports: [] },
      ENROLLMENT: { trackerType: 'ENROLLMENT', stats: { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 }, objectReports: [] },
    },
  },
};

beforeEach(() => {
  useApp.setState({ formats: formatInfos(), capabilities: ['import:events'] });
  useEventsImport.getState().reset();
});
afterEach(() => {
  cleanup();
  setApi(null);
});

describe('event import store', () => {
  it('sends kind events with DHIS2 option names; blank schemes and the default atomic mode are left out', async () => {
    const api = fakeApi({
      'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
      'import:start': () => ({ jobId: 3 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'events', dryRun: true, resultStatus: 'OK', summary: REPORT }),
    });
    setApi(api);
    const s = useEventsImport.getState();
    await s.addPaths(['/usb/events.csv']);
    s.setOption('orgUnitIdScheme', 'CODE');
    s.setOption('skipFirst', false);
    await useEventsImport.getState().start(true);
    expect(api.callsTo('import:start')[0]).toEqual({
      files: ['/usb/events.csv'],
      kind: 'events',
      format: undefined,
      options: { dryRun: true, importStrategy: 'CREATE_AND_UPDATE', validationMode: 'FULL', idScheme: 'UID', orgUnitIdScheme: 'CODE', skipFirst: false },
    });
    useEventsImport.getState().setOption('atomicMode', 'OBJECT');
    useEventsImport.getState().setFormat('json');
    await useEventsImport.getState().start(false);
    expect((api.callsTo('import:start')[1] as { options: Record<string, unknown> }).options).toEqual({
      dryRun: false, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'OBJECT', validationMode: 'FULL', idScheme: 'UID', orgUnitIdScheme: 'CODE',
    });
  });

  it('is on the menu under Import when the engine has import:events', () => {
    expect(visibleMenu(['import:events']).some((m) => m.screen === 'import-events' && m.label === 'Event import' && m.group === 'Import')).toBe(true);
    expect(visibleMenu([]).some((m) => m.screen === 'import-events')).toBe(false);
  });
});

describe('summaries', () => {
  it('tracker report: counts per tracker type (types with objects only), the Reports table with line, uid, code, message, type', () => {
    render(<TrackerReportView report={REPORT} dryRun={false} />);
    expect(screen.getByTestId('summary-headline').textContent).toBe('Import finished: 2 created, 1 updated, 0 deleted, 1 ignored. 1 error: that object was left out.');
    expect(screen.getByTestId('error-count-tag').textContent).toBe('1 error');
    const counts = screen.getByTestId('type-counts');
    expect([...counts.querySelectorAll('tbody tr')].map((r) => r.getAttribute('data-type'))).toEqual(['EVENT']);
    expect(counts.querySelector('tbody tr [data-col="ignored"]')!.textContent).toBe('1');
    const table = screen.getByTestId('tracker-errors');
    const row = within(table).getByText('E1011').closest('tr')!;
    expect([...row.querySelectorAll('td')].map((c) => c.textContent)).toEqual(['14', 'EvBad000001', 'E1011', 'Could not find OrganisationUnit: `NoSuchOu001`, linked to Event.', 'EVENT']);
  });

  it("a dry run shows what the import would give (wouldBe), not DHIS2's zero counts", () => {
    const zero = { created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 };
    const dry: TrackerImportReport = {
      ...REPORT, stats: { ...zero, ignored: 1, total: 1 }, bundleReport: { status: 'OK', typeReportMap: {}, stats: zero },
      wouldBe: { stats: REPORT.stats, typeReportMap: REPORT.bundleReport!.typeReportMap },
    };
    render(<TrackerReportView report={dry} dryRun={true} />);
    expect(screen.getByTestId('summary-headline').textContent).toBe(
      'Dry run finished: nothing was changed. The import would give: 2 created, 1 updated, 0 deleted, 1 ignored. 1 error: that object was left out.',
    );
    expect(screen.getByTestId('type-counts').querySelector('tbody tr[data-type="EVENT"] [data-col="created"]')!.textContent).toBe('2');
  });

  it('an atomic ALL refusal says nothing was changed', () => {
    const refused: TrackerImportReport = { ...REPORT, status: 'ERROR', stats: { created: 0, updated: 0, deleted: 0, ignored: 4, total: 4 } };
    delete refused.bundleReport;
    render(<TrackerReportView report={refused} dryRun={true} />);
    expect(screen.getByTestId('summary-headline').textContent).toBe('Dry run found 1 error: with atomic mode ALL the import would change nothing (0 created, 0 updated, 0 deleted, 4 ignored).');
  });

  it('ImportSummaries: counts and the events not imported with their lines', () => {
    const s: EventImportSummaries = {
      responseType: 'ImportSummaries', status: 'ERROR', imported: 1, updated: 0, deleted: 0, ignored: 1, total: 2,
      importSummaries: [
        { responseType: 'ImportSummary', status: 'SUCCESS', importCount: { imported: 1, updated: 0, ignored: 0, deleted: 0 }, conflicts: [], reference: 'EvOk0000001', line: 2 },
        {
          responseType: 'ImportSummary', status: 'ERROR', importCount: { imported: 0, updated: 0, ignored: 1, deleted: 0 }, reference: 'EvBad000001', line: 3,
          conflicts: [{ object: 'EvBad000001', value: 'Event occurredAt date is missing.', errorCode: 'E1031' }],
        },
      ],
    };
    render(<EventSummariesView summaries={s} dryRun={false} />);
    expect(screen.getByTestId('summary-headline').textContent).toBe('Import finished: 1 imported, 0 updated, 0 deleted, 1 ignored.');
    const row = within(screen.getByTestId('event-conflicts')).getByText('E1031').closest('tr')!;
    expect([...row.querySelectorAll('td')].map((c) => c.textContent)).toEqual(['3', 'EvBad000001', 'E1031', 'Event occurredAt date is missing.']);
  });
});
