/**
 * The "Check database" screen's state: runs db:check (SQLite's integrity check, in the engine's worker) and, while it
 * runs, polls db:checkStatus for its progress (a check can also be running already, started by another window of the
 * same Ferry: the screen then follows it). The result stays until the next check.
 */
import { create } from 'zustand';
import type { DbCheckProgress, DbCheckResult, DbRepairResult } from '../../src-shared/api/contract.ts';
import { errorText, invoke } from '../api.ts';

/** How often the running check's progress is asked for. */
export const CHECK_POLL_MS = 250;

interface DbCheckState {
  running: boolean;
  progress: DbCheckProgress | null;
  result: DbCheckResult | null;
  error: string | null;
  repairing: boolean;
  /** the last recount of Ferry's kept counts (db:repair), after a check found them differing */
  repaired: DbRepairResult | null;
  /** shows a check that is running, or the last one of this session */
  load(): Promise<void>;
  start(): Promise<void>;
  /** recounts the kept counts the check found differing (db:repair); the check's result then says they agree */
  repair(): Promise<void>;
}

let timer: ReturnType<typeof setInterval> | null = null;

function stopPolling(): void {
  if (timer) clearInterval(timer);
  timer = null;
}

/** Follows the running check until it ends; `then` runs when the engine says none runs any more. */
function poll(then: (last: DbCheckResult | null) => void): void {
  stopPolling();
  let busy = false;
  timer = setInterval(() => {
    if (busy) return;
    busy = true;
    invoke('db:checkStatus', {})
      .then((s) => {
        if (s.running) useDbCheck.setState({ progress: s.progress });
        else {
          stopPolling();
          then(s.last);
        }
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, CHECK_POLL_MS);
}

export const useDbCheck = create<DbCheckState>((set, get) => ({
  running: false,
  progress: null,
  result: null,
  error: null,
  repairing: false,
  repaired: null,
  async load() {
    if (get().running) return;
    try {
      const s = await invoke('db:checkStatus', {});
      if (s.running) {
        set({ running: true, progress: s.progress, error: null });
        poll((last) => set({ running: false, progress: null, result: last }));
      } else if (s.last && !get().result) set({ result: s.last });
    } catch {
      /* the button still works */
    }
  },
  async start() {
    if (get().running) return;
    set({ running: true, progress: null, result: null, error: null, repaired: null });
    poll(() => undefined); // progress only: the result comes from db:check itself
    try {
      const result = await invoke('db:check', {});
      set({ result });
    } catch (e) {
      set({ error: errorText(e) });
    } finally {
      stopPolling();
      set({ running: false, progress: null });
    }
  },
  async repair() {
    if (get().running || get().repairing) return;
    set({ repairing: true, error: null });
    try {
      const repaired = await invoke('db:repair', {});
      const result = get().result;
      set({
        repaired,
        result: result && { ...result, repairs: [], liveCounts: repaired.liveCounts.map((c) => ({ ...c, kept: c.counted })) },
      });
    } catch (e) {
      set({ error: errorText(e) });
    } finally {
      set({ repairing: false });
    }
  },
}));
