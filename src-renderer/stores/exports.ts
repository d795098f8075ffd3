/** The three export wizards' state: options (DHIS2 names), the save dialog and the running job. */
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { ExportKind, FormatInfo } from '../../src-shared/api/contract.ts';
import { errorText, getApi, invoke } from '../api.ts';
import { cancelJob, idleRun, runJob, type RunState } from './jobs.ts';
import { defaultExportFileName } from '../../src-shared/export-file-name.ts';
import { useApp } from './app.ts';
import { dateProblem, fmtDate } from '../components/format.ts';
import type { IdSchemeValue } from '../components/Fields.tsx';
import { i18n } from '../i18n.ts';

/** a --format name the registry writes for the kind (formats:list) */
export type ExportFormat = string;
export type ExportCompression = 'zip' | 'gzip' | 'none';

export interface ExportWizardState<O extends object> {
  kind: ExportKind;
  format: ExportFormat;
  compression: ExportCompression;
  options: O;
  step: 'edit' | 'run';
  run: RunState;
  /** why the export cannot start (nothing chosen …) or the save dialog failed */
  formError: string | null;
  setFormat(f: ExportFormat): void;
  setCompression(c: ExportCompression): void;
  setOption<K extends keyof O>(key: K, value: O[K]): void;
  patchOptions(p: Partial<O>): void;
  /** the suggested file name for the save dialog */
  defaultName(): string;
  /** validates, asks where to save, runs; false when the user closed the save dialog */
  start(): Promise<boolean>;
  cancel(): Promise<void>;
  back(): void;
  reset(): void;
}

/** Whether a format's files are already compressed (xlsx): they are exported with compression none. */
export function isCompressedFormat(formats: FormatInfo[], format: string): boolean {
  return formats.some((f) => f.format === format && f.writes.length > 0 && f.compressed === true);
}

/** The compression an export really uses: none for an already compressed format, else the one chosen. */
export function effectiveCompression(formats: FormatInfo[], format: string, chosen: ExportCompression): ExportCompression {
  return isCompressedFormat(formats, format) ? 'none' : chosen;
}

/** Today on this computer's clock, yyyy-MM-dd (not the UTC day: in Nairobi at 01:00 it is already tomorrow's). */
export function today(d = new Date()): string {
  return fmtDate(d);
}

/** The same day n months before today (local), yyyy-MM-dd; a day the month lacks rolls over as Date does (31 → 1). */
export function monthsAgo(n: number, d = new Date()): string {
  return fmtDate(new Date(d.getFullYear(), d.getMonth() - n, d.getDate()));
}

/** The date options the screens type as yyyy-MM-dd (DateField): one that is no day stops the export before the save dialog. */
const DATE_OPTIONS = ['startDate', 'endDate', 'lastUpdated'];
function typedDateProblem(o: object): string | null {
  for (const [k, v] of Object.entries(o)) if (DATE_OPTIONS.includes(k) && typeof v === 'string' && dateProblem(v)) return dateProblem(v);
  return null;
}

export function createExportStore<O extends object>(cfg: {
  kind: ExportKind;
  defaults: () => O;
  format: ExportFormat;
  compression: ExportCompression;
  /** what the shared default file name needs besides kind, format and compression */
  fileName: (o: O) => { orgUnit?: string; startDate?: string; endDate?: string; types?: string[]; objectType?: string; objectName?: string; name?: string };
  validate: (o: O) => string | null;
  toRequest: (o: O) => Record<string, unknown>;
}): UseBoundStore<StoreApi<ExportWizardState<O>>> {
  const problemOf = (o: O): string | null => typedDateProblem(o) ?? cfg.validate(o);
  const store = create<ExportWizardState<O>>((set, get) => ({
    kind: cfg.kind,
    format: cfg.format,
    compression: cfg.compression,
    options: cfg.defaults(),
    step: 'edit',
    run: idleRun,
    formError: null,
    setFormat(format) {
      set({ format });
    },
    setCompression(compression) {
      set({ compression });
    },
    setOption(key, value) {
      set((s) => ({ options: { ...s.options, [key]: value }, formError: null }));
    },
    patchOptions(p) {
      set((s) => ({ options: { ...s.options, ...p }, formError: null }));
    },
    defaultName() {
      const s = get();
      const extension = useApp.getState().formats.find((f) => f.format === s.format && f.writes.length)?.extensions[0];
      const compression = effectiveCompression(useApp.getState().formats, s.format, s.compression);
      return defaultExportFileName({ kind: cfg.kind, format: s.format, extension, compression, ...cfg.fileName(s.options) });
    },
    async start() {
      const s = get();
      const problem = problemOf(s.options);
      if (problem) {
        set({ formError: problem });
        return false;
      }
      let out: string | null;
      try {
        // the main process keeps a compressed file's extension (.zip, .gz) whatever the name is edited to
        out = (await invoke('dialog:saveFile', { title: i18n.t('exports:wizard.saveDialogTitle'), defaultName: s.defaultName(), compression: effectiveCompression(useApp.getState().formats, s.format, s.compression) })).path;
      } catch (e) {
        set({ formError: errorText(e) });
        return false;
      }
      if (!out) return false;
      set({ step: 'run', formError: null });
      await runJob(
        () =>
          getApi().invoke('export:start', {
            kind: cfg.kind,
            out,
            format: s.format,
            compression: effectiveCompression(useApp.getState().formats, s.format, s.compression),
            options: cfg.toRequest(s.options),
          }),
        (run) => set({ run }),
      );
      return true;
    },
    async cancel() {
      set((s) => ({ run: { ...s.run, cancelling: true } }));
      await cancelJob(get().run.jobId);
    },
    back() {
      set({ step: 'edit', run: idleRun });
    },
    reset() {
      set({ format: cfg.format, compression: cfg.compression, options: cfg.defaults(), step: 'edit', run: idleRun, formError: null });
    },
  }));
  // a form's problem is said again in the language chosen while it shows (it is recomputed, not translated as text)
  i18n.on('languageChanged', () => {
    const s = store.getState();
    if (s.formError && s.step === 'edit') {
      const problem = problemOf(s.options);
      if (problem) store.setState({ formError: problem });
    }
  });
  return store;
}

// ---------- metadata export ----------
export interface MetadataExportOptions {
  /** plural DHIS2 type keys (organisationUnits, dataElements …) */
  types: string[];
  skipSharing: boolean;
}

export const useMetadataExport = createExportStore<MetadataExportOptions>({
  kind: 'metadata',
  defaults: () => ({ types: [], skipSharing: false }),
  format: 'json',
  compression: 'zip',
  fileName: (o) => ({ types: o.types }),
  validate: (o) => (o.types.length ? null : i18n.t('exports:validate.types')),
  toRequest: (o) => ({ types: o.types, skipSharing: o.skipSharing }),
});

// ---------- metadata dependency export ----------
/** the types a dependency export starts from; each label is read in the language of the moment */
export const DEPENDENCY_TYPES: { type: string; label: string }[] = (['dataSets', 'programs', 'categoryCombos', 'dashboards', 'dataElementGroups', 'optionSets'] as const).map((type) => ({
  type,
  get label() {
    return i18n.t(`exports:dependencyExport.type.${type}`);
  },
}));

export interface DependencyExportOptions {
  objectType: string;
  uid: string;
  /** display name of the chosen object (for the file name) */
  name: string;
  skipSharing: boolean;
}

export const useDependencyExport = createExportStore<DependencyExportOptions>({
  kind: 'dependencies',
  defaults: () => ({ objectType: 'dataSets', uid: '', name: '', skipSharing: false }),
  format: 'json',
  compression: 'zip',
  fileName: (o) => ({ objectType: o.objectType, objectName: o.name || o.uid }),
  validate: (o) => (o.uid ? null : i18n.t('exports:validate.dependency')),
  toRequest: (o) => ({ objectType: o.objectType, objectId: o.uid, skipSharing: o.skipSharing }),
});

// ---------- data export ----------
export type OrgUnitMode = 'SELECTED' | 'CHILDREN' | 'DESCENDANTS';

export interface OrgUnitSelection {
  id: string;
  name: string;
  mode: OrgUnitMode;
}

export interface DataExportOptions {
  orgUnits: OrgUnitSelection[];
  dataSets: { id: string; name: string }[];
  startDate: string;
  endDate: string;
  includeDeleted: boolean;
  /** changed since (lastUpdated), '' = any time */
  lastUpdated: string;
  /** UID, CODE, NAME or ATTRIBUTE:<uid> (a unique attribute's values) */
  idScheme: IdSchemeValue;
  dataElementIdScheme: IdSchemeValue;
  orgUnitIdScheme: IdSchemeValue;
  categoryOptionComboIdScheme: IdSchemeValue;
}

export const useDataExport = createExportStore<DataExportOptions>({
  kind: 'data',
  defaults: () => ({
    orgUnits: [],
    dataSets: [],
    startDate: monthsAgo(3),
    endDate: today(),
    includeDeleted: false,
    lastUpdated: '',
    idScheme: 'UID',
    dataElementIdScheme: 'UID',
    orgUnitIdScheme: 'UID',
    categoryOptionComboIdScheme: 'UID',
  }),
  format: 'json',
  compression: 'zip',
  fileName: (o) => {
    const first = o.orgUnits[0];
    const orgUnit = first ? (first.name || first.id) + (o.orgUnits.length > 1 ? `-and-${o.orgUnits.length - 1}-more` : '') : undefined;
    return { orgUnit, startDate: o.startDate || undefined, endDate: o.endDate || undefined };
  },
  validate: (o) => {
    if (!o.orgUnits.length) return i18n.t('exports:validate.orgUnit');
    if (!o.dataSets.length) return i18n.t('exports:validate.dataSet');
    if (!o.startDate || !o.endDate) return i18n.t('exports:validate.dates');
    if (o.startDate > o.endDate) return i18n.t('exports:validate.startAfterEnd');
    return null;
  },
  toRequest: (o) => ({
    orgUnit: o.orgUnits.map((u) => u.id),
    orgUnits: o.orgUnits.map((u) => ({ id: u.id, mode: u.mode })),
    dataSet: o.dataSets.map((d) => d.id),
    startDate: o.startDate,
    endDate: o.endDate,
    includeDeleted: o.includeDeleted,
    ...(o.lastUpdated ? { lastUpdated: o.lastUpdated } : {}),
    idScheme: o.idScheme,
    dataElementIdScheme: o.dataElementIdScheme,
    orgUnitIdScheme: o.orgUnitIdScheme,
    categoryOptionComboIdScheme: o.categoryOptionComboIdScheme,
  }),
});
