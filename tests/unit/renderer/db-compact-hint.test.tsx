/** The Database maintenance screen offers Compact when the file holds much free space (db:maintenanceStatus.space). */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { useDbMaintenance } from '../../../src-renderer/stores/db-maintenance.ts';
import type { DbFreeSpace, DbMaintenanceStatus, DbVacuumResult } from '../../../src-shared/api/contract.ts';
import { fakeApi, resetApp } from './fake-api.ts';

afterEach(() => {
  resetApp();
  useDbMaintenance.setState({ running: null, progress: null, backup: null, vacuum: null, error: null, space: null });
});

const MB = 1024 * 1024;
const VACUUM: DbVacuumResult = { task: 'vacuum', bytesBefore: 900 * MB, bytesAfter: 300 * MB, savedBytes: 600 * MB, checkpointed: true, durationMs: 20_000 };

function engine(space: DbFreeSpace | undefined) {
  const state: { status: DbMaintenanceStatus } = { status: { running: null, progress: null, last: null, space } };
  let finish: () => void = () => undefined;
  const api = fakeApi({
    'app:info': () => ({ version: '0.1.0', dbPath: '/home/nurse/ferry.sqlite', capabilities: ['import:data', 'db:maintenance', 'files:dialogs'] }),
    'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
    'db:maintenanceStatus': () => state.status,
    'db:vacuum': () =>
      new Promise<DbVacuumResult>((resolve) => {
        state.status = { running: 'vacuum', progress: { task: 'vacuum', stage: 'copying', done: 10, total: 100, elapsedMs: 1000 }, last: null, space };
        finish = () => {
          state.status = { running: null, progress: null, last: VACUUM, space: { fileBytes: 300 * MB, freeBytes: 0, worthCompacting: false } };
          resolve(VACUUM);
        };
      }),
  });
  return { api, finish: () => finish() };
}

async function openScreen(): Promise<void> {
  render(<App />);
  fireEvent.click(await screen.findByTestId('menu-db-maintenance'));
  await screen.findByTestId('db-maintenance');
}

describe('Database maintenance: the compaction hint', () => {
  it('says how much of the file is free and makes Compact the main button; after compacting the hint is gone', async () => {
    const e = engine({ fileBytes: 900 * MB, freeBytes: 600 * MB, worthCompacting: true });
    setApi(e.api);
    await openScreen();
    expect((await screen.findByTestId('db-compact-hint')).textContent).toContain('600.0 MB of its 900.0 MB (67%) is free space');
    expect(screen.getByTestId('db-vacuum-start').className).toBe('button primary');
    fireEvent.click(screen.getByTestId('db-vacuum-start'));
    await screen.findByTestId('db-maintenance-progress');
    expect(screen.queryByTestId('db-compact-hint')).toBeNull();
    e.finish();
    await screen.findByTestId('db-vacuum-done');
    await waitFor(() => expect(useDbMaintenance.getState().space?.worthCompacting).toBe(false));
    expect(screen.queryByTestId('db-compact-hint')).toBeNull();
    expect(screen.getByTestId('db-vacuum-start').className).toBe('button');
  });

  it('no hint when the free space is small, or when the engine does not say', async () => {
    setApi(engine({ fileBytes: 900 * MB, freeBytes: 40 * MB, worthCompacting: false }).api);
    await openScreen();
    await waitFor(() => expect(useDbMaintenance.getState().space).not.toBeNull());
    expect(screen.queryByTestId('db-compact-hint')).toBeNull();
    resetApp();
    useDbMaintenance.setState({ space: null });
    setApi(engine(undefined).api);
    await openScreen();
    expect(screen.queryByTestId('db-compact-hint')).toBeNull();
  });
});
