/**
 * The Receive wizard (issue 13): pick transfer packages → what is inside each (transfer:inspect: sender, sequence,
 * counts, verified?, already received?, gaps) → Receive (transfer:receive: one job a package, in sequence order) →
 * each package's result with its reconciliation.
 */
import { create } from 'zustand';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { PackageInspection } from '../../src-shared/transfer-receive.ts';
import { errorText, invoke } from '../api.ts';
import { i18n } from '../i18n.ts';
import { unreadableText, type FileEntry } from './imports.ts';
import { cancelJob } from './jobs.ts';

export type ReceiveStep = 'files' | 'inspect' | 'run';

/** A problem the wizard itself found (said in the chosen language, again when it changes); the engine's own messages are kept as they come. */
export type ReceiveProblem = { key: 'chooseAtLeastOne' } | { key: 'unreadable'; names: string[] };

function problemText(p: ReceiveProblem): string | null {
  return p.key === 'unreadable' ? unreadableText(p.names) : i18n.t('imports:receive.chooseAtLeastOne');
}

export interface ReceiveState {
  files: FileEntry[];
  inspections: PackageInspection[];
  inspecting: boolean;
  step: ReceiveStep;
  /** the receive jobs, in the order they run */
  jobIds: number[];
  records: JobRecord[];
  running: boolean;
  dryRun: boolean;
  /** what went wrong, in words (the screen shows it) */
  error: string | null;
  /** the wizard's own problem behind `error` (null when the message came from the engine, or when there is none) */
  problem: ReceiveProblem | null;
  chooseFiles(): Promise<void>;
  addPaths(paths: string[]): Promise<void>;
  removeFile(index: number): void;
  inspect(): Promise<void>;
  receive(dryRun: boolean): Promise<void>;
  cancel(): Promise<void>;
  back(): void;
  reset(): void;
}

const initial = { files: [], inspections: [], inspecting: false, step: 'files' as ReceiveStep, jobIds: [], records: [], running: false, dryRun: false, error: null, problem: null };

const problem = (p: ReceiveProblem | null): { error: string | null; problem: ReceiveProblem | null } => ({ error: p && problemText(p), problem: p });
const engineError = (e: unknown): { error: string; problem: null } => ({ error: errorText(e), problem: null });

export const useReceive = create<ReceiveState>((set, get) => ({
  ...initial,
  async chooseFiles() {
    try {
      const { paths } = await invoke('dialog:openFiles', { title: i18n.t('imports:receive.chooseDialog'), multiple: true, extensions: ['zip'] });
      if (paths.length) await get().addPaths(paths);
    } catch (e) {
      set(engineError(e));
    }
  },
  async addPaths(paths) {
    try {
      const stats = await invoke('files:stat', { paths });
      const missing = stats.filter((s) => s.size == null).map((s) => s.name);
      set((s) => {
        const known = new Set(s.files.map((f) => f.path));
        return {
          files: [...s.files, ...stats.filter((f) => f.size != null && !known.has(f.path))],
          ...problem(missing.length ? { key: 'unreadable', names: missing } : null),
        };
      });
    } catch (e) {
      set(engineError(e));
    }
  },
  removeFile(index) {
    set((s) => ({ files: s.files.filter((_, i) => i !== index) }));
  },
  async inspect() {
    const files = get().files;
    if (!files.length) {
      set(problem({ key: 'chooseAtLeastOne' }));
      return;
    }
    set({ step: 'inspect', inspecting: true, inspections: [], error: null, problem: null });
    const out: PackageInspection[] = [];
    try {
      for (const f of files) out.push(await invoke('transfer:inspect', { file: f.path }));
      set({ inspections: out, inspecting: false });
    } catch (e) {
      set({ inspections: out, inspecting: false, ...engineError(e) });
    }
  },
  async receive(dryRun) {
    set({ step: 'run', running: true, records: [], jobIds: [], dryRun, error: null, problem: null });
    try {
      const { jobIds } = await invoke('transfer:receive', { files: get().files.map((f) => f.path), dryRun });
      set({ jobIds });
      const records: JobRecord[] = [];
      for (const id of jobIds) {
        records.push(await invoke('jobs:wait', { id }));
        set({ records: [...records] });
      }
      set({ running: false });
    } catch (e) {
      set({ running: false, ...engineError(e) });
    }
  },
  async cancel() {
    const s = get();
    for (const id of s.jobIds.slice(s.records.length)) await cancelJob(id);
  },
  back() {
    set({ step: 'files', inspections: [], error: null, problem: null });
  },
  reset() {
    set({ ...initial });
  },
}));

// the wizard's own problem is said again in the language the user switches to
i18n.on('languageChanged', () => {
  const p = useReceive.getState().problem;
  if (p) useReceive.setState({ error: problemText(p) });
});
