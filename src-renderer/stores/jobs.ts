/** Job history (jobs:list), live progress per job (job:progress) and the shared "run a job and wait" helper. */
import { create } from 'zustand';
import type { JobRecord, ProgressEvent } from '../../src-shared/api/contract.ts';
import { errorText, getApi, invoke } from '../api.ts';

interface JobsState {
  list: JobRecord[];
  loading: boolean;
  error: string | null;
  progress: Record<number, ProgressEvent>;
  load(): Promise<void>;
  setProgress(p: ProgressEvent): void;
}

export const useJobs = create<JobsState>((set) => ({
  list: [],
  loading: false,
  error: null,
  progress: {},
  async load() {
    set({ loading: true });
    try {
      // the table shows no summary: a job's own is read (jobs:get) when it is opened
      set({ list: await invoke('jobs:list', { limit: 500, summaries: false }), loading: false, error: null });
    } catch (e) {
      set({ loading: false, error: errorText(e) });
    }
  },
  setProgress(p) {
    set((s) => ({ progress: { ...s.progress, [p.jobId]: p } }));
  },
}));

/** Subscribes the stores to the engine's push events; returns the unsubscribe. */
export function subscribeEvents(onDone?: (r: JobRecord) => void): () => void {
  const api = getApi();
  const off1 = api.on('job:progress', (p) => useJobs.getState().setProgress(p));
  const off2 = api.on('job:done', (r) => {
    onDone?.(r);
    const s = useJobs.getState();
    if (s.list.length) void s.load();
  });
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
