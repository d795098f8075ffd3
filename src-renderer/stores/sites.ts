/** The Sites page (issue 13): the senders packages were received from, their gaps, and the totals that do not reconcile. */
import { create } from 'zustand';
import type { ReconcileReport, SiteSummary } from '../../src-shared/transfer-receive.ts';
import { errorText, invoke } from '../api.ts';

export interface SitesState {
  sites: SiteSummary[];
  mismatches: ReconcileReport | null;
  loading: boolean;
  error: string | null;
  load(): Promise<void>;
}

export const useSites = create<SitesState>((set) => ({
  sites: [],
  mismatches: null,
  loading: false,
  error: null,
  async load() {
    set({ loading: true, error: null });
    try {
      const [sites, mismatches] = await Promise.all([invoke('transfer:sites', {}), invoke('transfer:reconcile', { onlyMismatches: true })]);
      set({ sites, mismatches, loading: false });
    } catch (e) {
      set({ loading: false, error: errorText(e) });
    }
  },
}));
