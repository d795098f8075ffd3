/** The Send wizard (store and screen) with a fake Api: what is inside before writing, the save dialog, the result. */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { useSend } from '../../../src-renderer/stores/send.ts';
import { visibleMenu } from '../../../src-renderer/stores/app.ts';
import type { SendPreview, SendSummary } from '../../../src-shared/transfer-send.ts';
import { fakeApi, jobRecord, resetApp, type FakeHandlers } from './fake-api.ts';

beforeEach(() => useSend.setState({ site: null, destinations: [], destination: '', metadata: 'none', siteName: '', preview: null, previewing: false, step: 'edit', formError: null }));
afterEach(resetApp);

const site = { id: 'SiteUid0001', name: 'Clinic A', orgUnit: 'OuClinicA01', orgUnitName: 'Clinic A', nameSet: false, orgUnitSet: false };
const preview = (to: string, seq: number): SendPreview => ({
  site: { id: 'SiteUid0001', name: 'Clinic A', orgUnit: 'OuClinicA01' },
  destination: to,
  known: seq > 1,
  sequence: seq,
  changes: { from: 7, to: 12 },
  valuesAtMost: 1234,
  events: 3,
  metadataObjects: 0,
  lastSent: seq > 1 ? { sequence: seq - 1, packageId: 'PkgPrev0001', file: '/usb/prev.zip', createdAt: '2026-11-30T10:00:00.000Z' } : null,
});
const sent: SendSummary = {
  responseType: 'ExportSummary',
  status: 'OK',
  file: '/usb/pkg.zip',
  format: 'ferry-package',
  compression: 'zip',
  bytes: 4567,
  sha256: 'cd'.repeat(32),
  counts: { dataValues: 1200, deletions: 4, events: 3, metadataObjects: 0, controlTotals: 10 },
  packageId: 'PkgNew00001',
  sequence: 4,
  changes: { from: 7, to: 12 },
  from: { id: 'SiteUid0001', name: 'Clinic A (north)' },
  to: { id: 'DestUid0001', name: 'District B' },
};
const handlers = (): FakeHandlers => ({
  'app:info': () => ({ version: '0.1.0', dbPath: '/x/site.db', capabilities: ['export:send'] }),
  'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
  'transfer:site': () => site,
  'transfer:destinations': () => [{ id: 'DestUid0001', name: 'District B', last: null, packages: 3 }],
  'transfer:sendPreview': (r) => preview(r.to, r.to === 'District B' ? 4 : 1),
  'dialog:saveFile': () => ({ path: '/usb/pkg.zip' }),
  'transfer:send': () => ({ jobId: 9 }),
  'jobs:wait': (r) => jobRecord({ id: r.id, direction: 'export', kind: 'send', summary: sent, resultStatus: 'OK' }),
});

describe('Send store', () => {
  it('needs a destination, previews it, suggests a file name and sends the site name only when changed', async () => {
    const api = fakeApi(handlers());
    setApi(api);
    const s = useSend.getState();
    await s.load();
    expect(useSend.getState().siteName).toBe('Clinic A');
    expect(await useSend.getState().start()).toBe(false);
    expect(useSend.getState().formError).toBe('Choose or type the site the package is for.');
    expect(api.callsTo('dialog:saveFile')).toEqual([]);
    useSend.getState().setDestination('District B');
    await useSend.getState().refreshPreview();
    expect(useSend.getState().preview?.sequence).toBe(4);
    expect(useSend.getState().defaultName()).toBe('ferry-package-Clinic-A-to-District-B-4.zip');
    expect(await useSend.getState().start()).toBe(true);
    expect(api.callsTo('transfer:send')).toEqual([{ to: 'District B', out: '/usb/pkg.zip', metadata: 'none' }]);
    useSend.getState().back();
    useSend.getState().setSiteName('Clinic A (north)');
    useSend.getState().setMetadata('changed');
    await useSend.getState().start();
    expect(api.callsTo('transfer:send')[1]).toEqual({ to: 'District B', out: '/usb/pkg.zip', metadata: 'changed', siteName: 'Clinic A (north)' });
  });

  it('has a menu entry under Export when the engine can send', () => {
    expect(visibleMenu(['export:send']).map((m) => [m.label, m.group])).toContainEqual(['Send to another site', 'Export']);
    expect(visibleMenu(['export:data']).map((m) => m.label)).not.toContain('Send to another site');
  });
});

describe('Send screen', () => {
  it('shows what the package holds before writing, then where it went, its sequence and counts', async () => {
    const api = fakeApi(handlers());
    setApi(api);
    render(<App />);
    fireEvent.click(await screen.findByTestId('menu-send'));
    await screen.findByTestId('wizard-send');
    await waitFor(() => expect((screen.getByTestId('send-site-name') as HTMLInputElement).value).toBe('Clinic A'));
    fireEvent.change(screen.getByTestId('send-destination'), { target: { value: 'District B' } });
    const box = await screen.findByTestId('send-preview');
    expect(screen.getByTestId('send-preview-sequence').textContent).toBe('4');
    expect(screen.getByTestId('send-preview-values').textContent).toBe('up to 1,234 data values (new, changed or deleted)');
    expect(box.textContent).toMatch(/The last package to District B was number 3/);
    fireEvent.click(screen.getByTestId('start'));
    await screen.findByTestId('send-result');
    expect(screen.getByTestId('send-result-file').textContent).toBe('/usb/pkg.zip');
    expect(screen.getByTestId('send-result-sequence').textContent).toBe('4');
    expect(screen.getByTestId('send-result-values').textContent).toBe('1,200');
    expect(screen.getByTestId('send-result-deletions').textContent).toBe('4');
    expect(api.callsTo('transfer:send')).toHaveLength(1);
  });
});
