/** The Receive wizard and the Sites page (issue 13) with a fake Api: inspection before import, results, gaps, mismatches. */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { useReceive } from '../../../src-renderer/stores/receive.ts';
import { useSites } from '../../../src-renderer/stores/sites.ts';
import { visibleMenu } from '../../../src-renderer/stores/app.ts';
import { JobResultView } from '../../../src-renderer/components/JobResultView.tsx';
import type { PackageInspection, ReceiveSummary, SiteSummary } from '../../../src-shared/transfer-receive.ts';
import { fakeApi, jobRecord, resetApp, type FakeHandlers } from './fake-api.ts';

beforeEach(() => {
  useReceive.getState().reset();
  useSites.setState({ sites: [], mismatches: null, loading: false, error: null });
});
afterEach(resetApp);

const manifest = (seq: number): NonNullable<PackageInspection['manifest']> => ({
  format: 'ferry-transfer-package',
  formatVersion: 1,
  packageId: `Pkg${seq}`,
  from: { id: 'SiteClinicA', name: 'Clinic A', orgUnit: 'OuClinicA01' },
  to: { id: 'SiteDistr01', name: 'District' },
  sequence: seq,
  changes: { from: 0, to: 10 },
  createdAt: '2026-12-01T10:00:00.000Z',
  ferryVersion: '0.1.0',
  entries: [],
  counts: { values: 1200, deletions: 4, events: 3, metadataObjects: 0 },
  controlTotalCells: 12,
});
const inspections: Record<string, PackageInspection> = {
  '/usb/a-3.zip': { file: '/usb/a-3.zip', fileName: 'a-3.zip', bytes: 100, manifest: manifest(3), verified: true, error: null, alreadyReceived: null, gaps: ['package 2 from Clinic A has not arrived; 1 and 3 have'] },
  '/usb/a-1.zip': { file: '/usb/a-1.zip', fileName: 'a-1.zip', bytes: 100, manifest: manifest(1), verified: true, error: null, alreadyReceived: { receivedAt: '2026-12-01T11:00:00.000Z', jobId: 42 }, gaps: [] },
  '/usb/bad.zip': { file: '/usb/bad.zip', fileName: 'bad.zip', bytes: 100, manifest: manifest(4), verified: false, error: 'bad.zip: dataValues.json: sha256 does not match the manifest; the package was refused and nothing was written', alreadyReceived: null, gaps: [] },
};
const summary = (seq: number, extra: Partial<ReceiveSummary> = {}): ReceiveSummary => ({
  responseType: 'TransferReceive',
  status: 'WARNING',
  description: `package ${seq} from Clinic A received: 1200 values imported, 0 updated, 4 deleted, 0 ignored`,
  file: `a-${seq}.zip`,
  packageId: `Pkg${seq}`,
  from: { id: 'SiteClinicA', name: 'Clinic A' },
  to: { id: 'SiteDistr01', name: 'District' },
  sequence: seq,
  changes: { from: 0, to: 10 },
  counts: { values: 1200, deletions: 4, events: 3, metadataObjects: 0 },
  alreadyReceived: null,
  dryRun: false,
  dataValues: { imported: 1200, updated: 0, deleted: 4, ignored: 0, keptNewer: 2, conflicts: [] },
  events: null,
  eventsKeptNewer: 0,
  metadata: null,
  gaps: [{ senderId: 'SiteClinicA', senderName: 'Clinic A', sequence: 2, message: 'package 2 from Clinic A has not arrived; 1 and 3 have' }],
  reconciliation: {
    cells: 12,
    mismatches: 1,
    rows: [{ senderId: 'SiteClinicA', senderName: 'Clinic A', orgUnit: 'OuClinicA01', dataSet: 'DsMonthly01', period: '202401', sequence: 3, sent: { values: 2, sum: 25 }, stored: { values: 1, sum: 10 }, match: false }],
  },
  ...extra,
});
const sites: SiteSummary[] = [
  { senderId: 'SiteClinicA', name: 'Clinic A', orgUnit: 'OuClinicA01', packages: 2, lastSequence: 3, lastReceivedAt: '2026-12-02T09:30:00.000Z', expectedNext: 2, gaps: summary(3).gaps, mismatches: 1 },
];
const handlers = (): FakeHandlers => ({
  'app:info': () => ({ version: '0.1.0', dbPath: '/x/site.db', capabilities: ['import:transfer', 'files:dialogs'] }),
  'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
  'dialog:openFiles': () => ({ paths: ['/usb/a-3.zip', '/usb/a-1.zip', '/usb/bad.zip'] }),
  'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 100 })),
  'transfer:inspect': (r) => inspections[r.file]!,
  'transfer:receive': () => ({ jobIds: [7, 8, 9] }),
  'jobs:wait': (r) =>
    r.id === 7
      ? jobRecord({ id: 7, kind: 'transfer', summary: summary(1, { alreadyReceived: { receivedAt: '2026-12-01T11:00:00.000Z', jobId: 42, packageId: 'Pkg1' }, description: 'package 1 from Clinic A was received on 2026-12-01 (job 42); nothing to do' }), resultStatus: 'SUCCESS' })
      : r.id === 8
        ? jobRecord({ id: 8, kind: 'transfer', summary: summary(3), resultStatus: 'WARNING' })
        : jobRecord({ id: 9, kind: 'transfer', status: 'failed', summary: null, error: { code: 'BAD_FILE', message: inspections['/usb/bad.zip']!.error!, details: {} }, files: [{ index: 0, path: '/usb/bad.zip', name: 'bad.zip', size: 100, sha256: null, format: null, compression: null, status: 'ERROR' }] }),
  'transfer:sites': () => sites,
  'transfer:reconcile': () => summary(3).reconciliation,
});

describe('Receive store', () => {
  it('inspects every chosen package before receiving, then receives them all (or as a dry run) and keeps each result', async () => {
    const api = fakeApi(handlers());
    setApi(api);
    const s = useReceive.getState();
    await s.inspect();
    expect(useReceive.getState().error).toBe('Choose at least one package.');
    await s.chooseFiles();
    expect(useReceive.getState().files.map((f) => f.name)).toEqual(['a-3.zip', 'a-1.zip', 'bad.zip']);
    await useReceive.getState().inspect();
    expect(useReceive.getState().inspections.map((p) => [p.fileName, p.verified])).toEqual([['a-3.zip', true], ['a-1.zip', true], ['bad.zip', false]]);
    expect(api.callsTo('transfer:receive')).toEqual([]);
    await useReceive.getState().receive(true);
    expect(api.callsTo('transfer:receive')).toEqual([{ files: ['/usb/a-3.zip', '/usb/a-1.zip', '/usb/bad.zip'], dryRun: true }]);
    expect(useReceive.getState().records.map((r) => r.id)).toEqual([7, 8, 9]);
    expect(useReceive.getState().running).toBe(false);
  });

  it('has menu entries when the engine can receive', () => {
    const labels = visibleMenu(['import:transfer']).map((m) => [m.label, m.group]);
    expect(labels).toContainEqual(['Receive from other sites', 'Import']);
    expect(labels).toContainEqual(['Sites', 'Utilities']);
    expect(visibleMenu(['import:data']).map((m) => m.label)).not.toContain('Sites');
  });
});

describe('Receive screen', () => {
  it('shows what is inside (verified, already received, gaps, damaged) and then each package’s result with reconciliation', async () => {
    const api = fakeApi(handlers());
    setApi(api);
    render(<App />);
    fireEvent.click(await screen.findByTestId('menu-receive'));
    await screen.findByTestId('wizard-receive');
    await useReceive.getState().addPaths(['/usb/a-3.zip', '/usb/a-1.zip', '/usb/bad.zip']);
    fireEvent.click(await screen.findByTestId('receive-inspect'));
    await waitFor(() => expect(screen.getAllByTestId('receive-inspection')).toHaveLength(3));
    expect(screen.getAllByTestId('receive-sender').map((e) => e.textContent)).toEqual(['Clinic A', 'Clinic A', 'Clinic A']);
    expect(screen.getAllByTestId('receive-sequence').map((e) => e.textContent)).toEqual(['3', '1', '4']);
    expect(screen.getByTestId('receive-gap').textContent).toBe('package 2 from Clinic A has not arrived; 1 and 3 have');
    expect(screen.getByTestId('receive-already').textContent).toBe('Already received on 2026-12-01 (job 42): receiving it again changes nothing.');
    expect(screen.getByTestId('receive-inspect-error').textContent).toContain('dataValues.json: sha256 does not match the manifest');
    expect(screen.getByTestId('receive-start').textContent).toBe('Receive (1 damaged will be refused)');
    fireEvent.click(screen.getByTestId('receive-start'));
    await waitFor(() => expect(screen.getAllByTestId('receive-result')).toHaveLength(2));
    expect(api.callsTo('transfer:receive')).toEqual([{ files: ['/usb/a-3.zip', '/usb/a-1.zip', '/usb/bad.zip'], dryRun: false }]);
    const results = screen.getAllByTestId('receive-result');
    expect(results.map((r) => r.getAttribute('data-status'))).toEqual(['already-received', 'WARNING']);
    expect(screen.getAllByTestId('receive-description')[0]!.textContent).toBe('package 1 from Clinic A was received on 2026-12-01 (job 42); nothing to do');
    expect(screen.getByTestId('receive-values').textContent).toBe('Values: imported 1,200, updated 0, deleted 4, ignored 0, kept newer 2');
    expect(screen.getAllByTestId('receive-reconciliation')[1]!.textContent).toBe('Reconciliation with Clinic A: 11 of 12 org unit × data set × period totals match, 1 differ.');
    expect(screen.getAllByTestId('receive-mismatches')[1]!.textContent).toContain('2 values, sum 25');
    expect(screen.getByTestId('receive-refused').textContent).toContain('bad.zip: dataValues.json: sha256 does not match the manifest');
  });
});

describe('Sites page', () => {
  it('lists the senders with their last package, gaps and mismatching totals', async () => {
    setApi(fakeApi(handlers()));
    render(<App />);
    fireEvent.click(await screen.findByTestId('menu-sites'));
    const row = await screen.findByTestId('sites-row');
    expect(row.getAttribute('data-site')).toBe('Clinic A');
    expect(row.textContent).toContain('2026-12-02 09:30');
    expect(screen.getByTestId('sites-gaps').textContent).toBe('2');
    expect(screen.getByTestId('sites-mismatches').textContent).toBe('1');
    expect(screen.getByTestId('sites-gap').textContent).toBe('package 2 from Clinic A has not arrived; 1 and 3 have');
    expect(screen.getByTestId('sites-mismatch-table').textContent).toContain('2 values, sum 25 (package 3)');
  });
});

describe('Job overview', () => {
  it('shows a receive job with the receive summary (not as an export)', () => {
    render(<JobResultView record={jobRecord({ id: 8, kind: 'transfer', summary: summary(3), resultStatus: 'WARNING' })} />);
    // the headline is composed in the screen's language from the summary; the counts follow on their own line
    expect(screen.getByTestId('receive-description').textContent).toBe('package 3 from Clinic A received');
    expect(screen.getByTestId('receive-values').textContent).toBe('Values: imported 1,200, updated 0, deleted 4, ignored 0, kept newer 2');
    expect(screen.getByTestId('receive-gap').textContent).toBe('package 2 from Clinic A has not arrived; 1 and 3 have');
    expect(screen.getByTestId('receive-mismatches').textContent).toContain('1 value, sum 10');
  });
});
