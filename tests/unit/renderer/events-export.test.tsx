/** The Event export and Tracked entity export screens and stores with a fake Api: what they send, names, checks. */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { useEventsExport, useTrackedEntitiesExport } from '../../../src-renderer/stores/events-export.ts';
import { visibleMenu } from '../../../src-renderer/stores/app.ts';
import type { ExportSummary, FormatInfo } from '../../../src-shared/api/contract.ts';
import { fakeApi, jobRecord, resetApp } from './fake-api.ts';

beforeEach(() => {
  useEventsExport.getState().reset();
  useTrackedEntitiesExport.getState().reset();
});
afterEach(resetApp);

const exported: ExportSummary = {
  responseType: 'ExportSummary', status: 'OK', file: '/out/ev.csv.zip', format: 'csv', compression: 'zip', bytes: 1234, sha256: 'cd'.repeat(32),
  counts: { events: 3, eventValues: 7 },
};
const fmt = (format: string, label: string, writes: FormatInfo['writes']): FormatInfo => ({ id: format, format, label, kinds: ['events'], extensions: [format.replace('events-', '')], mimeTypes: [], reads: ['events'], writes });
const FORMATS: FormatInfo[] = [
  fmt('json', 'Tracker JSON', ['events']), fmt('xml', 'Events XML (2.40 and older)', ['events']), fmt('csv', 'Tracker event CSV', ['events']),
  fmt('events-json', 'Events JSON (2.40 and older)', ['events']), fmt('events-csv', 'Events CSV (2.40 and older)', ['events']),
];

describe('event export stores', () => {
  it('sends only the chosen filters by their DHIS2 names; refuses a start after the end', async () => {
    const api = fakeApi({
      'dialog:saveFile': () => ({ path: '/out/ev.json.zip' }),
      'export:start': () => ({ jobId: 4 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, direction: 'export', kind: 'events', summary: exported, resultStatus: 'OK' }),
    });
    setApi(api);
    const s = useEventsExport.getState();
    s.patchOptions({ startDate: '2024-05-01', endDate: '2024-04-01' });
    expect(await useEventsExport.getState().start()).toBe(false);
    expect(useEventsExport.getState().formError).toBe('The start date is after the end date.');
    useEventsExport.getState().patchOptions({
      startDate: '2024-01-01', endDate: '2024-03-31', orgUnit: { id: 'OuRoot00001', name: 'Sierra Leone' }, orgUnitMode: 'DESCENDANTS',
      program: { id: 'Program0001', name: 'Malaria case' }, idScheme: 'CODE', lastUpdated: '2024-02-01',
    });
    expect(useEventsExport.getState().defaultName()).toMatch(/^ferry-events-Malaria-case-\d{4}-\d\d-\d\d\.json\.zip$/);
    expect(await useEventsExport.getState().start()).toBe(true);
    expect(api.callsTo('export:start')).toEqual([
      {
        kind: 'events', out: '/out/ev.json.zip', format: 'json', compression: 'zip',
        options: { orgUnit: 'OuRoot00001', orgUnitMode: 'DESCENDANTS', program: 'Program0001', startDate: '2024-01-01', endDate: '2024-03-31', includeDeleted: false, lastUpdatedStartDate: '2024-02-01', idScheme: 'CODE', dataElementIdScheme: 'UID', orgUnitIdScheme: 'UID' },
      },
    ]);
  });

  it('tracked entities: a program or a tracked entity type filter, uncompressed by default', async () => {
    const api = fakeApi({ 'dialog:saveFile': () => ({ path: '/out/te.json' }), 'export:start': () => ({ jobId: 5 }), 'jobs:wait': (r) => jobRecord({ id: r.id, direction: 'export', kind: 'tracked-entities', summary: { ...exported, counts: { trackedEntities: 2 } }, resultStatus: 'OK' }) });
    setApi(api);
    useTrackedEntitiesExport.getState().patchOptions({ filterBy: 'trackedEntityType', trackedEntityType: { id: 'TeType00001', name: 'Person' }, program: { id: 'Program0001', name: 'x' } });
    expect(await useTrackedEntitiesExport.getState().start()).toBe(true);
    expect(api.callsTo('export:start')[0]).toEqual({ kind: 'tracked-entities', out: '/out/te.json', format: 'json', compression: 'none', options: { trackedEntityType: 'TeType00001', includeDeleted: false, idScheme: 'UID' } });
  });

  it('has menu entries under Export when the engine exports events', () => {
    expect(visibleMenu(['export:events', 'export:tracked-entities']).map((m) => [m.label, m.group])).toEqual(
      expect.arrayContaining([['Event export', 'Export'], ['Tracked entity export', 'Export']]),
    );
    expect(visibleMenu(['export:data']).map((m) => m.label)).not.toContain('Event export');
  });
});

describe('event export screen', () => {
  it('picks an org unit and a program, chooses tracker CSV, exports and shows the counts', async () => {
    const api = fakeApi({
      'app:info': () => ({ version: '0.1.0', dbPath: '/x/site.db', capabilities: ['export:events', 'export:tracked-entities'] }),
      'formats:list': () => FORMATS,
      'db:info': () => ({ metadata: {}, dataValues: 0, events: 3 }),
      'metadata:list': (r) => (r.type === 'programs' ? [{ uid: 'Program0001', code: 'MAL', name: 'Malaria case' }] : []),
      'orgUnits:children': (r) => (r.parent ? [] : [{ uid: 'OuRoot00001', code: null, name: 'Sierra Leone', level: 1, path: null, childCount: 0 }]),
      'dialog:saveFile': () => ({ path: '/out/ev.csv.zip' }),
      'export:start': () => ({ jobId: 7 }),
      'jobs:wait': (r) => jobRecord({ id: r.id, direction: 'export', kind: 'events', summary: exported, resultStatus: 'OK' }),
    });
    setApi(api);
    render(<App />);
    fireEvent.click(await screen.findByTestId('menu-export-events'));
    await screen.findByTestId('wizard-export-events');
    fireEvent.click(await screen.findByRole('checkbox', { name: /Sierra Leone/ }));
    fireEvent.click(screen.getByRole('radio', { name: 'Include children of organisation unit' }));
    fireEvent.click(await screen.findByRole('radio', { name: /Malaria case/ }));
    // the stage picker appears once a program is chosen, and asks only for that program's stages
    await screen.findByTestId('picker-programStages');
    await waitFor(() => expect(api.callsTo('metadata:list').filter((c) => (c as { type: string }).type === 'programStages')).toEqual([{ type: 'programStages', limit: 500, linkedTo: 'Program0001' }]));
    expect(screen.getByTestId('picker-programStages').closest('fieldset')!.textContent).toContain('None chosen: all stages of Malaria case.');
    fireEvent.click(screen.getByRole('radio', { name: 'Tracker event CSV' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Events XML (2.40 and older)' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Tracker event CSV' }));
    fireEvent.click(screen.getByTestId('start'));
    await screen.findByTestId('summary-card');
    await waitFor(() => expect(document.body.textContent).toContain('7'));
    expect(api.callsTo('export:start')[0]).toMatchObject({ kind: 'events', format: 'csv', options: { orgUnit: 'OuRoot00001', orgUnitMode: 'CHILDREN', program: 'Program0001' } });
  });
});
