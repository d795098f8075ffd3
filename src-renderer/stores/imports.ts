/** The two import wizards' state: files, options (DHIS2 names), step and the running job. */
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { ImportKind } from '../../src-shared/dhis2/options.ts';
import { errorText, getApi, invoke } from '../api.ts';
import { cancelJob, idleRun, runJob, type RunState } from './jobs.ts';
import { importExtensions, useApp } from './app.ts';
import { i18n } from '../i18n.ts';

export interface FileEntry {
  path: string;
  name: string;
  size: number | null;
}

export type ImportStep = 'files' | 'options' | 'run';

export interface MetadataImportOptions {
  dryRun: boolean;
  importStrategy: 'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE' | 'DELETE';
  atomicMode: 'ALL' | 'NONE';
  identifier: 'UID' | 'CODE';
  skipValidation: boolean;
}

export type IdSchemeChoice = 'UID' | 'CODE' | 'NAME' | `ATTRIBUTE:${string}`;

export interface DataImportOptions {
  dryRun: boolean;
  importStrategy: 'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE' | 'DELETE';
  idScheme: IdSchemeChoice;
  /** '' = same as idScheme */
  dataElementIdScheme: IdSchemeChoice | '';
  orgUnitIdScheme: IdSchemeChoice | '';
  categoryOptionComboIdScheme: IdSchemeChoice | '';
  skipExistingCheck: boolean;
  strictPeriods: boolean;
  strictDataElements: boolean;
  strictCategoryOptionCombos: boolean;
  strictAttributeOptionCombos: boolean;
  strictOrganisationUnits: boolean;
  requireCategoryOptionCombo: boolean;
  requireAttributeOptionCombo: boolean;
  /** DHIS2's force: skip the data sets' expiry days, open future periods and data input periods */
  force: boolean;
  /** CSV: detect (Ferry decides per file from the first row), header (skip it) or data (import it) */
  firstRowIsHeader: 'detect' | 'header' | 'data';
  /** files carrying the same value keys: stop (a dry run shows them, the import waits for a choice), keep the first file's, the newer file's */
  overlap: 'stop' | 'first' | 'newer' | 'last';
}

export interface ImportWizardState<O extends object> {
  kind: ImportKind;
  multiple: boolean;
  files: FileEntry[];
  format: string;
  options: O;
  step: ImportStep;
  run: RunState;
  /** was the last job a dry run */
  lastDryRun: boolean;
  /** a problem with choosing files, in plain words (in the chosen language: it follows a change of language) */
  fileError: string | null;
  /** the files that could not be read (what fileError says, kept so it can be said again in another language) */
  unreadable: string[];
  chooseFiles(): Promise<void>;
  addPaths(paths: string[]): Promise<void>;
  removeFile(index: number): void;
  setFormat(f: string): void;
  setOption<K extends keyof O>(key: K, value: O[K]): void;
  setStep(s: ImportStep): void;
  start(dryRun: boolean): Promise<RunState>;
  cancel(): Promise<void>;
  reset(): void;
  /** "Run again" from the job overview: the same files and options, at the options step, dry run first */
  prefill(files: FileEntry[], options: Record<string, unknown>): void;
}

/** "This file cannot be read: a.json" in the chosen language (null when every file could be read). */
export function unreadableText(names: string[]): string | null {
  return names.length ? i18n.t('imports:shared.unreadable', { count: names.length, names: names.join(', ') }) : null;
}

export function createImportStore<O extends object>(cfg: {
  kind: ImportKind;
  multiple: boolean;
  defaults: O;
  /** options to send (e.g. drop options that do not apply to the format) */
  toRequest?: (o: O, format: string) => Record<string, unknown>;
  /** the inverse, for "Run again": a job's DHIS2 options → the wizard's options */
  fromRequest?: (o: Record<string, unknown>) => Record<string, unknown>;
}): UseBoundStore<StoreApi<ImportWizardState<O>>> {
  const store = create<ImportWizardState<O>>((set, get) => ({
    kind: cfg.kind,
    multiple: cfg.multiple,
    files: [],
    format: 'auto',
    options: { ...cfg.defaults },
    step: 'files',
    run: idleRun,
    lastDryRun: true,
    fileError: null,
    unreadable: [],
    async chooseFiles() {
      try {
        const { paths } = await invoke('dialog:openFiles', {
          title: i18n.t(cfg.multiple ? 'imports:shared.chooseFiles' : 'imports:shared.chooseFile'),
          multiple: cfg.multiple,
          extensions: importExtensions(useApp.getState().formats, cfg.kind),
        });
        if (paths.length) await get().addPaths(paths);
      } catch (e) {
        set({ fileError: errorText(e), unreadable: [] });
      }
    },
    async addPaths(paths) {
      try {
        const stats = await invoke('files:stat', { paths });
        const missing = stats.filter((s) => s.size == null).map((s) => s.name);
        const ok = stats.filter((s) => s.size != null);
        set((s) => {
          const known = new Set(s.files.map((f) => f.path));
          const added = ok.filter((f) => !known.has(f.path));
          const files = cfg.multiple ? [...s.files, ...added] : added.slice(0, 1).length ? added.slice(0, 1) : s.files;
          return { files, fileError: unreadableText(missing), unreadable: missing };
        });
      } catch (e) {
        set({ fileError: errorText(e), unreadable: [] });
      }
    },
    removeFile(index) {
      set((s) => ({ files: s.files.filter((_, i) => i !== index) }));
    },
    setFormat(format) {
      set({ format });
    },
    setOption(key, value) {
      set((s) => ({ options: { ...s.options, [key]: value } }));
    },
    setStep(step) {
      set({ step });
    },
    async start(dryRun) {
      const s = get();
      const options = { ...(cfg.toRequest ? cfg.toRequest(s.options, s.format) : (s.options as Record<string, unknown>)), dryRun };
      set({ step: 'run', lastDryRun: dryRun });
      return runJob(
        () =>
          getApi().invoke('import:start', {
            files: s.files.map((f) => f.path),
            kind: cfg.kind,
            format: s.format === 'auto' ? undefined : (s.format as 'json'),
            options,
          }),
        (run) => set({ run }),
      );
    },
    async cancel() {
      set((s) => ({ run: { ...s.run, cancelling: true } }));
      await cancelJob(get().run.jobId);
    },
    reset() {
      set({ files: [], format: 'auto', options: { ...cfg.defaults }, step: 'files', run: idleRun, lastDryRun: true, fileError: null, unreadable: [] });
    },
    prefill(files, jobOptions) {
      const options = cfg.fromRequest ? cfg.fromRequest(jobOptions) : jobOptions;
      const merged: Record<string, unknown> = { ...(cfg.defaults as Record<string, unknown>) };
      for (const k of Object.keys(cfg.defaults)) {
        if (!(k in options)) continue;
        const v = options[k];
        // only values of the same kind as the wizard's own (a string option stays a string …)
        if (typeof v === typeof merged[k]) merged[k] = v;
      }
      merged.dryRun = true;
      set({ files, format: 'auto', options: merged as unknown as O, step: 'options', run: idleRun, lastDryRun: true, fileError: null, unreadable: [] });
    },
  }));
  // the unreadable files are named again in the language the user switches to
  i18n.on('languageChanged', () => {
    const names = store.getState().unreadable;
    if (names.length) store.setState({ fileError: unreadableText(names) });
  });
  return store;
}

export const useMetadataImport = createImportStore<MetadataImportOptions>({
  kind: 'metadata',
  multiple: false,
  defaults: { dryRun: true, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', identifier: 'UID', skipValidation: false },
});

export const useDataImport = createImportStore<DataImportOptions>({
  kind: 'data',
  multiple: true,
  defaults: {
    dryRun: true,
    importStrategy: 'CREATE_AND_UPDATE',
    idScheme: 'UID',
    dataElementIdScheme: '',
    orgUnitIdScheme: '',
    categoryOptionComboIdScheme: '',
    skipExistingCheck: false,
    strictPeriods: false,
    strictDataElements: false,
    strictCategoryOptionCombos: false,
    strictAttributeOptionCombos: false,
    strictOrganisationUnits: false,
    requireCategoryOptionCombo: false,
    requireAttributeOptionCombo: false,
    force: false,
    firstRowIsHeader: 'detect',
    overlap: 'stop',
  },
  toRequest(o, format) {
    const r: Record<string, unknown> = { ...o };
    // a blank specific scheme follows idScheme (DHIS2's rule), so it is not sent
    for (const k of ['dataElementIdScheme', 'orgUnitIdScheme', 'categoryOptionComboIdScheme'] as const) {
      if (!o[k]) delete r[k];
    }
    // DHIS2's firstRowIsHeader is sent only when the user chose; otherwise the engine decides from each file's first row
    delete r.firstRowIsHeader;
    if ((format === 'csv' || format === 'auto') && o.firstRowIsHeader !== 'detect') r.firstRowIsHeader = o.firstRowIsHeader === 'header';
    return r;
  },
  fromRequest(o) {
    const r = { ...o };
    r.firstRowIsHeader = o.firstRowIsHeader === true ? 'header' : o.firstRowIsHeader === false ? 'data' : 'detect';
    return r;
  },
});
