/**
 * The Receive wizard (issue 13): pick transfer packages → what is inside each (transfer:inspect: sender, sequence,
 * counts, verified?, already received?, gaps) → Receive (transfer:receive: one job a package, in sequence order) →
 * each package's result with its reconciliation.
 */
import { create } from 'zustand';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { PackageInspection } from '../../src-shared/transfer-receive.ts';
import { errorText, invoke } from '../api.ts';
import type { FileEntry } from './imports.ts';
import { cancelJob } from './jobs.ts';

export type ReceiveStep = 'files' | 'inspect' | 'run';

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
  error: string | null;
  chooseFiles(): Promise<void>;
  addPaths(paths: string[]): Promise<void>;
  removeFile(index: number): void;
  inspect(): Promise<void>;
  receive(dryRun: boolean): Promise<void>;
  cancel(): Promise<void>;
  back(): void;
  reset(): void;
}

const initial = { files: [], inspections: [], inspecting: false, step: 'files' as ReceiveStep, jobIds: [], records: [], running: false, dryRun: false, error: null };

export const useReceive = create<ReceiveState>((set, get) => ({
  ...initial,
  async chooseFiles() {
    try {
      const { paths } = await invoke('dialog:openFiles', { title: 'Choose the packages to receive', multiple: true, extensions: ['zip'] });
      if (paths.length) await get().addPaths(paths);
    } catch (e) {
      set({ error: errorText(e) });
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
          error: missing.length ? `This file cannot be read: ${missing.join(', ')}` : null,
        };
      });
    } catch (e) {
      set({ error: errorText(e) });
    }
  },
  removeFile(index) {
    set((s) => ({ files: s.files.filter((_, i) => i !== index) }));
  },
  async inspect() {
    const files = get().files;
    if (!files.length) {
      set({ error: 'Choose at least one package.' });
      return;
    }
    set({ step: 'inspect', inspecting: true, inspections: [], error: null });
    const out: PackageInspection[] = [];
    try {
      for (const f of files) out.push(await invoke('transfer:inspect', { file: f.path }));
      set({ inspections: out, inspecting: false });
    } catch (e) {
      set({ inspections: out, inspecting: false, error: errorText(e) });
    }
  },
  async receive(dryRun) {
    set({ step: 'run', running: true, records: [], jobIds: [], dryRun, error: null });
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
      set({ running: false, error: errorText(e) });
    }
  },
  async cancel() {
    const s = get();
    for (const id of s.jobIds.slice(s.records.length)) await cancelJob(id);
  },
  back() {
    set({ step: 'files', inspections: [], error: null });
  },
  reset() {
    set({ ...initial });
  },
}));
