/**
 * The Send wizard (issue 13): a transfer package for another site with everything changed since the last package to
 * it. Steps: destination, this site's name and what goes downwards → what is inside (transfer:sendPreview, nothing
 * written) → save dialog → the send job (transfer:send) → where it was written, its sequence and counts.
 */
import { create } from 'zustand';
import type { DestinationInfo, OwnSiteInfo, SendPreview } from '../../src-shared/transfer-send.ts';
import { fileNamePart } from '../../src-shared/export-file-name.ts';
import { errorText, getApi, invoke } from '../api.ts';
import { i18n } from '../i18n.ts';
import { cancelJob, idleRun, runJob, type RunState } from './jobs.ts';

export type SendMetadata = 'none' | 'changed' | 'all';

export interface SendState {
  site: OwnSiteInfo | null;
  destinations: DestinationInfo[];
  /** the destination's name: picked from the known ones or typed */
  destination: string;
  metadata: SendMetadata;
  /** this site's name as packages give it ('' = keep the current one) */
  siteName: string;
  preview: SendPreview | null;
  previewing: boolean;
  step: 'edit' | 'run';
  run: RunState;
  formError: string | null;
  load(): Promise<void>;
  setDestination(name: string): void;
  setMetadata(m: SendMetadata): void;
  setSiteName(name: string): void;
  /** what the package would carry (asked again whenever the destination or metadata choice changes) */
  refreshPreview(): Promise<void>;
  defaultName(): string;
  /** validates, asks where to save, runs; false when the user closed the save dialog */
  start(): Promise<boolean>;
  cancel(): Promise<void>;
  back(): void;
  reset(): void;
}

const initial = {
  destination: '',
  metadata: 'none' as SendMetadata,
  siteName: '',
  preview: null,
  previewing: false,
  step: 'edit' as const,
  run: idleRun,
  formError: null,
};

export const useSend = create<SendState>((set, get) => ({
  site: null,
  destinations: [],
  ...initial,
  async load() {
    try {
      const [site, destinations] = await Promise.all([invoke('transfer:site', {}), invoke('transfer:destinations', {})]);
      set((s) => ({ site, destinations, siteName: s.siteName || site.name }));
    } catch (e) {
      set({ formError: errorText(e) });
    }
  },
  setDestination(destination) {
    set({ destination, formError: null, preview: null });
  },
  setMetadata(metadata) {
    set({ metadata, formError: null, preview: null });
  },
  setSiteName(siteName) {
    set({ siteName, formError: null });
  },
  async refreshPreview() {
    const s = get();
    const to = s.destination.trim();
    if (!to) {
      set({ preview: null });
      return;
    }
    set({ previewing: true });
    try {
      const preview = await invoke('transfer:sendPreview', { to, metadata: s.metadata });
      // a newer choice may have been made meanwhile: keep only the answer to the current one
      if (get().destination.trim() === to && get().metadata === s.metadata) set({ preview, previewing: false });
      else set({ previewing: false });
    } catch (e) {
      set({ previewing: false, formError: errorText(e) });
    }
  },
  defaultName() {
    const s = get();
    const from = fileNamePart(s.siteName.trim() || s.site?.name || 'site');
    const to = fileNamePart(s.destination.trim() || 'destination');
    const seq = s.preview?.sequence;
    return `ferry-package-${from}-to-${to}${seq ? `-${seq}` : ''}.zip`;
  },
  async start() {
    const s = get();
    const to = s.destination.trim();
    if (!to) {
      set({ formError: i18n.t('exports:send.validate.destination') });
      return false;
    }
    let out: string | null;
    try {
      out = (await invoke('dialog:saveFile', { title: i18n.t('exports:send.saveDialogTitle'), defaultName: s.defaultName() })).path;
    } catch (e) {
      set({ formError: errorText(e) });
      return false;
    }
    if (!out) return false;
    const siteName = s.siteName.trim();
    set({ step: 'run', formError: null });
    await runJob(
      () =>
        getApi().invoke('transfer:send', {
          to,
          out,
          metadata: s.metadata,
          ...(siteName && siteName !== s.site?.name ? { siteName } : {}),
        }),
      (run) => set({ run }),
    );
    void get().load();
    return true;
  },
  async cancel() {
    set((s) => ({ run: { ...s.run, cancelling: true } }));
    await cancelJob(get().run.jobId);
  },
  back() {
    set({ step: 'edit', run: idleRun, preview: null });
    void get().refreshPreview();
  },
  reset() {
    set({ ...initial });
    void get().load();
  },
}));
