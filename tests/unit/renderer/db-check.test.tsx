/** Utilities › Check database, with a fake Api: progress while db:check runs, the sound and damaged outcomes. */
import './setup.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setApi } from '../../../src-renderer/api.ts';
import { App } from '../../../src-renderer/App.tsx';
import { useDbCheck } from '../../../src-renderer/stores/db-check.ts';
import type { DbCheckProgress, DbCheckResult, DbCheckStatus, DbRepairResult } from '../../../src-shared/api/contract.ts';
import { fakeApi, type FakeHandlers, resetApp } from './fake-api.ts';

afterEach(() => {
  resetApp();
  useDbCheck.setState({ running: false, progress: null, result: null, error: null, repairing: false, repaired: null });
});

const SOUND: DbCheckResult = { ok: true, messages: [], durationMs: 2300, tables: 9, pages: 37984, advice: null };
const DAMAGED: DbCheckResult = {
  ok: false,
  messages: Array.from({ length: 23 }, (_, i) => `data_value: Tree 24 page 19070 cell ${i}: invalid page number 962212400`),
  durationMs: 2100,
  tables: 9,
  pages: 37984,
  advice: 'The database is damaged. Ferry cannot repair it: … restore your latest backup …',
};
const step: DbCheckProgress = { stage: 'checking data_value', step: 9, steps: 10, done: 300, total: 1200, elapsedMs: 1500 };

/** A fake engine whose db:check answers when the test says so; db:checkStatus reports `status`. */
function engine(extra: FakeHandlers = {}) {
  let finish: (r: DbCheckResult) => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  const state: { status: DbCheckStatus } = { status: { running: false, progress: null, last: null } };
  const api = fakeApi({
    'app:info': () => ({ version: '0.1.0', dbPath: '/media/key/site.sqlite', capabilities: ['import:data', 'db:check'] }),
    'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
    'db:checkStatus': () => state.status,
    'db:check': () =>
      new Promise<DbCheckResult>((resolve, reject) => {
        state.status = { running: true, progress: step, last: null };
        finish = (r) => ((state.status = { running: false, progress: null, last: r }), resolve(r));
        fail = reject;
      }),
    ...extra,
  });
  return { api, state, finish: (r: DbCheckResult) => finish(r), fail: (e: unknown) => fail(e) };
}

async function openScreen(): Promise<void> {
  render(<App />);
  fireEvent.click(await screen.findByTestId('menu-db-check'));
  await screen.findByTestId('db-check');
}

describe('Check database screen', () => {
  it('is in the Utilities menu when the engine can check; shows progress, then says the database is sound', async () => {
    const e = engine();
    setApi(e.api);
    await openScreen();
    expect(screen.getByTestId('menu-db-check').textContent).toBe('Check database');
    expect(screen.getByTestId('db-check-path').textContent).toBe('/media/key/site.sqlite');
    fireEvent.click(screen.getByTestId('db-check-start'));
    await waitFor(() => expect(screen.getByTestId('db-check-stage').textContent).toBe('Checking the table data_value (step 9 of 10) — 25%'));
    expect((screen.getByTestId('db-check-start') as HTMLButtonElement).disabled).toBe(true);
    e.finish(SOUND);
    expect((await screen.findByTestId('db-check-ok')).textContent).toBe('SQLite checked 9 tables (37,984 pages) in 2 s and found nothing wrong.');
    expect(screen.queryByTestId('db-check-progress')).toBeNull();
    expect(screen.getByTestId('db-check-start').textContent).toBe('Check again');
    expect(e.api.callsTo('db:check')).toHaveLength(1);
  });

  it('says the database is damaged, what to do (restore the backup) and what SQLite found', async () => {
    const e = engine();
    setApi(e.api);
    await openScreen();
    fireEvent.click(screen.getByTestId('db-check-start'));
    await screen.findByTestId('db-check-progress');
    e.finish(DAMAGED);
    await screen.findByTestId('db-check-damaged');
    expect(screen.getByText('The database is damaged')).toBeTruthy();
    const advice = screen.getByTestId('db-check-advice').textContent!;
    expect(advice).toMatch(/Copy your latest backup of the database in its place/);
    expect(advice).toMatch(/Where your data lives, and how to back it up/);
    expect(advice).toMatch(/import again the files you imported since that backup/);
    expect(screen.getByTestId('db-check-messages').querySelectorAll('li')).toHaveLength(20);
    expect(screen.getByText('… and 3 more.')).toBeTruthy();
  });

  it('says plainly when the check could not run', async () => {
    const e = engine();
    setApi(e.api);
    await openScreen();
    fireEvent.click(screen.getByTestId('db-check-start'));
    await screen.findByTestId('db-check-progress');
    e.fail(Object.assign(new Error('The check stopped unexpectedly (exit code 1).'), { code: 'INTERNAL' }));
    expect((await screen.findByText('The check could not run')).parentElement!.textContent).toContain('The check stopped unexpectedly');
  });

  it('follows a check that was already running when the screen opened, then shows its result', async () => {
    const e = engine();
    e.state.status = { running: true, progress: { ...step, stage: 'checking free pages and page accounting', step: 10, done: 1100 }, last: null };
    setApi(e.api);
    await openScreen();
    await waitFor(() => expect(screen.getByTestId('db-check-stage').textContent).toMatch(/^Checking the free pages and the page accounting of the whole file \(step 10 of 10\) — 92%/));
    e.state.status = { running: false, progress: null, last: SOUND };
    await screen.findByTestId('db-check-ok');
    expect(e.api.callsTo('db:check')).toHaveLength(0);
  });

  it('is not in the menu when the engine cannot check; a read-only database is marked in the sidebar', async () => {
    setApi(
      fakeApi({
        'app:info': () => ({ version: '0.1.0', dbPath: '/media/cd/site.sqlite', capabilities: ['export:data'], readOnly: 'it is on a read-only disk' }),
        'db:info': () => ({ metadata: {}, dataValues: 0, events: 0 }),
      }),
    );
    render(<App />);
    expect((await screen.findByTestId('db-readonly')).textContent).toBe('Read-only: imports are refused');
    expect(screen.queryByTestId('menu-db-check')).toBeNull();
  });

  it('a sound database whose kept counts differ: says both numbers, and Recount puts them right (db:repair)', async () => {
    const drift: DbCheckResult = {
      ...SOUND,
      liveCounts: [
        { table: 'data_value', kept: 1_234_566, counted: 1_234_567 },
        { table: 'event', kept: 12, counted: 12 },
      ],
      repairs: ['liveCounts'],
    };
    const repaired: DbRepairResult = { liveCounts: [{ table: 'data_value', kept: 1_234_566, counted: 1_234_567 }], durationMs: 40 };
    const e = engine({ 'db:repair': () => repaired });
    setApi(e.api);
    await openScreen();
    fireEvent.click(screen.getByTestId('db-check-start'));
    await screen.findByTestId('db-check-progress');
    e.finish(drift);
    expect((await screen.findByTestId('db-check-drift-data_value')).textContent).toBe('Data values: counted 1,234,566, stored 1,234,567');
    expect(screen.queryByTestId('db-check-drift-event')).toBeNull(); // the events agree
    fireEvent.click(screen.getByTestId('db-check-repair'));
    expect((await screen.findByTestId('db-check-repaired')).textContent).toBe('Data values: 1,234,567 (was 1,234,566)');
    expect(e.api.callsTo('db:repair')).toHaveLength(1);
    expect(screen.queryByTestId('db-check-drift')).toBeNull();
  });

  it('a sound database whose counts agree offers no recount', async () => {
    const e = engine();
    setApi(e.api);
    await openScreen();
    fireEvent.click(screen.getByTestId('db-check-start'));
    await screen.findByTestId('db-check-progress');
    e.finish({ ...SOUND, liveCounts: [{ table: 'data_value', kept: 5, counted: 5 }], repairs: [] });
    await screen.findByTestId('db-check-ok');
    expect(screen.queryByTestId('db-check-drift')).toBeNull();
    expect(screen.queryByTestId('db-check-repair')).toBeNull();
  });
});
