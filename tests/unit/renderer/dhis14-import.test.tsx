/** The DHIS 1.4 import wizard: its store sends the import's option names with the mode of the button pressed; the report view. */
import './setup.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { DHIS14_DEFAULTS, dhis14Request, useDhis14Import } from '../../../src-renderer/stores/dhis14-import.ts';
import { useApp, visibleMenu } from '../../../src-renderer/stores/app.ts';
import { Dhis14ImportScreen } from '../../../src-renderer/screens/dhis14-import/Dhis14ImportScreen.tsx';
import { formatInfos } from '../../../src-main/formats/registry.ts';
import type { Dhis14ImportSummary, Dhis14Mode } from '../../../src-shared/dhis14-report.ts';
import { fakeApi, jobRecord } from './fake-api.ts';

const summary = (mode: Dhis14Mode): Dhis14ImportSummary => ({
  responseType: 'ImportSummary',
  status: 'WARNING',
  description: '',
  importCount: { imported: mode === 'analyse' ? 0 : 2058, updated: 0, ignored: 2, deleted: 0 },
  conflicts: [],
  rejectedIndexes: [],
  dhis14: {
    mode,
    file: 'district.mdb',
    format: 'mdb',
    tables: [{ name: 'RoutineData', rows: 2000 }],
    lastUpdated: null,
    levels: 8,
    issues: [{ code: 'deletedRows', message: 'Data rows marked deleted in 1.4 (Deleted = 1): not imported', count: 2, examples: ['RoutineData: DE 19, OU 63, period 583'] }],
    objects: mode === 'analyse' ? [] : [{ type: 'dataElements', created: 20, updated: 0, unchanged: 0, ignored: 0 }],
    values: { read: 2060, imported: mode === 'analyse' ? 0 : 2058, updated: 0, unchanged: 0, skipped: 2, filtered: null },
    skipped: [{ what: 'custom data entry forms', count: null }],
  },
});

beforeEach(() => {
  useApp.setState({ formats: formatInfos(), capabilities: ['import:dhis14'] });
  useDhis14Import.getState().reset();
});
afterEach(() => {
  cleanup();
  setApi(null);
});

describe('DHIS 1.4 import store', () => {
  it('sends mode, levels, data values, and user, password and Last updated only when given', () => {
    expect(dhis14Request(DHIS14_DEFAULTS)).toEqual({ mode: 'analyse', levels: 8, dataValues: true });
    expect(dhis14Request({ ...DHIS14_DEFAULTS, mode: 'import', user: ' admin ', password: 'pw', levels: '5', lastUpdated: '2009-01-01', dataValues: false })).toEqual({
      mode: 'import',
      levels: 5,
      dataValues: false,
      user: 'admin',
      password: 'pw',
      lastUpdated: '2009-01-01',
    });
  });

  it('is on the menu under Import when the engine has import:dhis14', () => {
    expect(visibleMenu(['import:dhis14']).some((m) => m.screen === 'import-dhis14' && m.group === 'Import' && m.label === 'DHIS 1.4 import')).toBe(true);
    expect(visibleMenu([]).some((m) => m.screen === 'import-dhis14')).toBe(false);
  });
});

describe('DHIS 1.4 import screen', () => {
  it('Analyse then Preview: each button starts its mode (Preview as a dry run) and shows its report', async () => {
    let n = 0;
    const modes: Dhis14Mode[] = [];
    const api = fakeApi({
      'files:stat': (r) => r.paths.map((p) => ({ path: p, name: p.split('/').pop()!, size: 10 })),
      'import:start': (r) => {
        modes.push(r.options?.mode as Dhis14Mode);
        return { jobId: ++n };
      },
      'jobs:wait': (r) => jobRecord({ id: r.id, kind: 'dhis14', dryRun: modes[r.id - 1] !== 'import', resultStatus: 'WARNING', summary: summary(modes[r.id - 1]!) }),
    });
    setApi(api);
    await useDhis14Import.getState().addPaths(['/c/DHIS14/district.mdb']);
    render(<Dhis14ImportScreen />);
    fireEvent.click(screen.getByTestId('next'));
    fireEvent.change(screen.getByLabelText('Last updated'), { target: { value: '2009-01-01' } });
    fireEvent.click(screen.getByTestId('dhis14-analyse'));
    await waitFor(() => expect(document.querySelector('[data-test="dhis14-report"][data-mode="analyse"]')).not.toBeNull());
    expect(screen.getByTestId('dhis14-issue-deletedRows').textContent).toContain('Data rows marked deleted in 1.4');
    expect(document.querySelector('[data-test="dhis14-objects"]')).toBeNull();
    fireEvent.click(screen.getByTestId('dhis14-preview'));
    await waitFor(() => expect(document.querySelector('[data-test="dhis14-report"][data-mode="preview"]')).not.toBeNull());
    expect(screen.getByTestId('dhis14-type-dataElements').textContent).toContain('20');
    expect(screen.getByTestId('dhis14-values-imported').textContent).toMatch(/2.?058/);
    const starts = api.callsTo('import:start') as { kind: string; options: Record<string, unknown> }[];
    expect(starts.map((s) => [s.kind, s.options.mode, s.options.dryRun, s.options.lastUpdated])).toEqual([
      ['dhis14', 'analyse', false, '2009-01-01'],
      ['dhis14', 'preview', true, '2009-01-01'],
    ]);
  });
});

describe('job overview', () => {
  it('"Run again" on a 1.4 job opens the 1.4 wizard with the same file, user, levels and Last updated (no password: the history never has it)', async () => {
    const { App } = await import('../../../src-renderer/App.tsx');
    setApi(
      fakeApi({
        'app:info': () => ({ version: '0.1.0', dbPath: '/db', capabilities: ['import:dhis14'] }),
        'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
        'jobs:list': () => [
          jobRecord({
            id: 12,
            kind: 'dhis14',
            dryRun: false,
            options: { mode: 'import', user: 'admin', levels: 5, lastUpdated: '2009-01-01', dataValues: true },
            files: [{ index: 0, path: '/old/district.mdb', name: 'district.mdb', size: 4096, sha256: 'c'.repeat(64), format: 'mdb', compression: 'none', status: 'OK' }],
          }),
        ],
      }),
    );
    render(<App />);
    await screen.findByText('/db');
    fireEvent.click(screen.getByTestId('menu-jobs'));
    fireEvent.click(await screen.findByTestId('open-job'));
    fireEvent.click(await screen.findByTestId('run-again'));
    await screen.findByText('DHIS 1.4 import', { selector: 'h1' });
    expect(useDhis14Import.getState().files.map((f) => f.path)).toEqual(['/old/district.mdb']);
    expect(useDhis14Import.getState().options).toMatchObject({ user: 'admin', levels: '5', lastUpdated: '2009-01-01', password: '' });
  });
});
