/** Utilities › Database maintenance, with a fake Api: backup to the save dialog's file and compaction, with progress. */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { backupFileName, useDbMaintenance } from '../../../src-renderer/stores/db-maintenance.ts';
import type { DbBackupResult, DbMaintenanceStatus, DbVacuumResult } from '../../../src-shared/api/contract.ts';
import { fakeApi, type FakeHandlers, resetApp } from './fake-api.ts';

afterEach(() => {
  resetApp();
  useDbMaintenance.setState({ running: null, progress: null, backup: null, vacuum: null, error: null });
});

const BACKUP: DbBackupResult = { task: 'backup', out: '/media/key/ferry-backup-2026-12-07.sqlite', bytes: 157_286_400, pages: 38_400, check: 'ok', durationMs: 4200 };
const VACUUM: DbVacuumResult = { task: 'vacuum', bytesBefore: 209_715_200, bytesAfter: 104_857_600, savedBytes: 104_857_600, checkpointed: true, durationMs: 61_000 };

/** A fake engine whose db:backup / db:vacuum answer when the test says so; db:maintenanceStatus reports `status`. */
function engine(extra: FakeHandlers = {}, capabilities = ['import:data', 'db:maintenance', 'files:dialogs']) {
  let finish: (r: unknown) => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  const state: { status: DbMaintenanceStatus; saveAs: string | null } = { status: { running: null, progress: null, last: null }, saveAs: BACKUP.out };
  const pending = <T,>(task: 'backup' | 'vacuum', progress: DbMaintenanceStatus['progress']) =>
    new Promise<T>((resolve, reject) => {
      state.status = { running: task, progress, last: null };
      finish = (r) => ((state.status = { running: null, progress: null, last: r as DbBackupResult }), resolve(r as T));
      fail = (e) => ((state.status = { running: null, progress: null, last: null }), reject(e));
    });
  const api = fakeApi({
    'app:info': () => ({ version: '0.1.0', dbPath: '/home/nurse/.config/Ferry/ferry.sqlite', capabilities }),
    'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
    'db:maintenanceStatus': () => state.status,
    'dialog:saveFile': () => ({ path: state.saveAs }),
    'db:backup': () => pending<DbBackupResult>('backup', { task: 'backup', stage: 'copying', done: 9600, total: 38_400, elapsedMs: 1200 }),
    'db:vacuum': () => pending<DbVacuumResult>('vacuum', { task: 'vacuum', stage: 'writing', done: 75, total: 100, elapsedMs: 30_000 }),
    ...extra,
  });
  return { api, state, finish: (r: unknown) => finish(r), fail: (e: unknown) => fail(e) };
}

async function openScreen(): Promise<void> {
  render(<App />);
  fireEvent.click(await screen.findByTestId('menu-db-maintenance'));
  await screen.findByTestId('db-maintenance');
}

describe('Database maintenance screen', () => {
  it('backs up to the file chosen in the save dialog (a dated name offered), with progress, then names the checked copy', async () => {
    const e = engine();
    setApi(e.api);
    await openScreen();
    expect(screen.getByTestId('menu-db-maintenance').textContent).toBe('Database maintenance');
    fireEvent.click(screen.getByTestId('db-backup-start'));
    await waitFor(() => expect(screen.getByTestId('db-maintenance-stage').textContent).toBe('Copying the database — 25%'));
    expect(e.api.callsTo('dialog:saveFile')).toEqual([{ title: 'Save the backup of the database as', defaultName: backupFileName() }]);
    expect(backupFileName(new Date('2026-12-07T10:00:00Z'))).toBe('ferry-backup-2026-12-07.sqlite');
    expect(e.api.callsTo('db:backup')).toEqual([{ out: BACKUP.out }]);
    expect((screen.getByTestId('db-backup-start') as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId('db-vacuum-start') as HTMLButtonElement).disabled).toBe(true);
    e.finish(BACKUP);
    expect((await screen.findByTestId('db-backup-done')).textContent).toBe('/media/key/ferry-backup-2026-12-07.sqlite (150.0 MB), checked by SQLite: sound. Made in 4 s.');
    expect(screen.queryByTestId('db-maintenance-progress')).toBeNull();
    expect((screen.getByTestId('db-backup-start') as HTMLButtonElement).disabled).toBe(false);
  });

  it('a cancelled save dialog backs up nothing', async () => {
    const e = engine();
    e.state.saveAs = null;
    setApi(e.api);
    await openScreen();
    fireEvent.click(screen.getByTestId('db-backup-start'));
    await waitFor(() => expect(e.api.callsTo('dialog:saveFile')).toHaveLength(1));
    expect(e.api.callsTo('db:backup')).toHaveLength(0);
    expect(screen.queryByTestId('db-maintenance-progress')).toBeNull();
  });

  it('compacts with its two steps shown, then says how much it gave back; a refusal (a job runs) is said plainly', async () => {
    const e = engine();
    setApi(e.api);
    await openScreen();
    fireEvent.click(screen.getByTestId('db-vacuum-start'));
    await waitFor(() => expect(screen.getByTestId('db-maintenance-stage').textContent).toBe('Copying it back into the database (step 2 of 2) — 75%'));
    expect(screen.getByText('Compacting…')).toBeTruthy();
    e.finish(VACUUM);
    expect((await screen.findByTestId('db-vacuum-done')).textContent).toBe('200.0 MB → 100.0 MB (100.0 MB freed) in 1 min 1 s.');

    fireEvent.click(screen.getByTestId('db-vacuum-start'));
    await screen.findByTestId('db-maintenance-progress');
    e.fail(Object.assign(new Error('A job is running: compact the database when it has finished.'), { code: 'BUSY' }));
    expect((await screen.findByTestId('db-maintenance-error')).textContent).toBe('A job is running: compact the database when it has finished.');
    expect(screen.getByText('The database was not compacted')).toBeTruthy();
    expect(screen.queryByTestId('db-vacuum-done')).toBeNull();
  });

  it('follows a backup already running when the screen opens (another window), then shows it', async () => {
    const e = engine();
    e.state.status = { running: 'backup', progress: { task: 'backup', stage: 'verifying', done: 38_400, total: 38_400, elapsedMs: 3000 }, last: null };
    setApi(e.api);
    await openScreen();
    await waitFor(() => expect(screen.getByTestId('db-maintenance-stage').textContent).toBe('Checking the copy — 100%'));
    e.state.status = { running: null, progress: null, last: BACKUP };
    expect((await screen.findByTestId('db-backup-done')).textContent).toContain('/media/key/ferry-backup-2026-12-07.sqlite');
    expect(e.api.callsTo('db:backup')).toHaveLength(0);
  });

  it('in a browser without dialogs (ferry serve) the backup is offered for download; without the capability there is no menu item', async () => {
    const e = engine({ 'files:downloadLink': () => ({ url: '/files/abc/ferry-backup.sqlite', name: 'ferry-backup.sqlite', size: 1024 }) }, ['db:maintenance', 'files:upload', 'files:download']);
    setApi(e.api);
    await openScreen();
    fireEvent.click(screen.getByTestId('db-backup-start'));
    await screen.findByTestId('db-maintenance-progress');
    e.finish(BACKUP);
    expect((await screen.findByTestId('download-export')).textContent).toBe('Download ferry-backup.sqlite (1.0 KB)');
    resetApp();
    setApi(fakeApi({ 'app:info': () => ({ version: '0.1.0', dbPath: '/x.sqlite', capabilities: ['export:data'] }), 'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }) }));
    render(<App />);
    await screen.findAllByTestId('menu-jobs');
    expect(screen.queryByTestId('menu-db-maintenance')).toBeNull();
  });
});
