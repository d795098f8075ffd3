/** Job history (jobs:list), live progress per job (job:progress) and the shared "run a job and wait" helper. */
import { create } from 'zustand';
import type { JobRecord, ProgressEvent } from '../../src-shared/api/contract.ts';
import { errorText, getApi, invoke } from '../api.ts';

/** A job that runs now, as the app shell's indicator shows it (its brief record once read, its last progress). */
export interface RunningJob {
  id: number;
  record: JobRecord | null;
}

interface JobsState {
  list: JobRecord[];
  loading: boolean;
  /** the list was read at least once (the overview says "Loading…" until then, not "No jobs yet") */
  loaded: boolean;
  error: string | null;
  progress: Record<number, ProgressEvent>;
  /** jobs running now, oldest first (from job:progress, and the jobs already running when the app opened) */
  running: RunningJob[];
  load(): Promise<void>;
  setProgress(p: ProgressEvent): void;
  /** a job started or reported progress: it is running (its brief record is read once) */
  markRunning(id: number, record?: JobRecord | null): void;
  /** a job ended: off the running list */
  markDone(id: number): void;
  /** reads which jobs run now (jobs:list without summaries): those started before the app opened */
  scanRunning(): Promise<void>;
}

export const useJobs = create<JobsState>((set, get) => ({
  list: [],
  loading: false,
  loaded: false,
  error: null,
  progress: {},
  running: [],
  markRunning(id, record = null) {
    const known = get().running.find((r) => r.id === id);
    if (known) {
      if (record && !known.record) set((s) => ({ running: s.running.map((r) => (r.id === id ? { id, record } : r)) }));
      return;
    }
    set((s) => ({ running: [...s.running, { id, record }] }));
    if (!record) {
      invoke('jobs:get', { id })
        .then((rec) => {
          // it may have ended while this was read (job:done took it off): keep it off
          if (!get().running.some((r) => r.id === id)) return;
          if (rec.status === 'running' || rec.status === 'queued') get().markRunning(id, { ...rec, summary: null });
          else get().markDone(id);
        })
        .catch(() => undefined);
    }
  },
  markDone(id) {
    if (!get().running.some((r) => r.id === id)) return;
    set((s) => ({ running: s.running.filter((r) => r.id !== id) }));
  },
  async scanRunning() {
    try {
      const recent = await invoke('jobs:list', { limit: 20, summaries: false });
      for (const j of recent.reverse()) if (j.status === 'running' || j.status === 'queued') get().markRunning(j.id, j);
    } catch {
      /* the indicator then learns of jobs from their progress */
    }
  },
  async load() {
    set({ loading: true });
    try {
      // the table shows no summary: a job's own is read (jobs:get) when it is opened
      set({ list: await invoke('jobs:list', { limit: 500, summaries: false }), loading: false, loaded: true, error: null });
    } catch (e) {
      set({ loading: false, loaded: true, error: errorText(e) });
    }
  },
  setProgress(p) {
    set((s) => ({ progress: { ...s.progress, [p.jobId]: p } }));
    get().markRunning(p.jobId);
  },
}));

/** Subscribes the stores to the engine's push events; returns the unsubscribe. */
export function subscribeEvents(onDone?: (r: JobRecord) => void): () => void {
  const api = getApi();
  const off1 = api.on('job:progress', (p) => useJobs.getState().setProgress(p));
  const off2 = api.on('job:done', (r) => {
    onDone?.(r);
    const s = useJobs.getState();
    s.markDone(r.id);
    if (s.list.length) void s.load();
  });
  void useJobs.getState().scanRunning();
  return () => {
    off1();
    off2();
  };
}

export type RunPhase = 'idle' | 'running' | 'finished';

export interface RunState {
  phase: RunPhase;
  jobId: number | null;
  record: JobRecord | null;
  /** an error before the job could start (bad options, missing file …), in plain words */
  error: string | null;
  /** the user pressed Cancel */
  cancelling: boolean;
}

export const idleRun: RunState = { phase: 'idle', jobId: null, record: null, error: null, cancelling: false };

/**
 * Starts a job and waits for its outcome (jobs:wait, so a fast job's job:done event cannot be missed).
 * `update` receives every state change.
 */
export async function runJob(start: () => Promise<{ jobId: number }>, update: (r: RunState) => void): Promise<RunState> {
  let state: RunState = { ...idleRun, phase: 'running' };
  update(state);
  try {
    const { jobId } = await start();
    state = { ...state, jobId };
    update(state);
    const record = await invoke('jobs:wait', { id: jobId });
    state = { ...state, phase: 'finished', record };
  } catch (e) {
    state = { ...state, phase: 'finished', error: errorText(e) };
  }
  update(state);
  return state;
}

export async function cancelJob(jobId: number | null): Promise<void> {
  if (jobId == null) return;
  try {
    await invoke('jobs:cancel', { id: jobId });
  } catch {
    /* the job may have finished meanwhile */
  }
}

/** Time left in ms from a progress event, or null when unknown. */
export function timeLeftMs(p: ProgressEvent | undefined): number | null {
  if (!p || !p.total || p.done <= 0 || p.elapsedMs <= 0 || p.done >= p.total) return null;
  return (p.elapsedMs * (p.total - p.done)) / p.done;
}
