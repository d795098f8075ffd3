/** App shell state: engine info, database counts, the screen shown. */
import { create } from 'zustand';
import type { DbInfo, FormatInfo } from '../../src-shared/api/contract.ts';
import { errorText, invoke } from '../api.ts';
import { i18n } from '../i18n.ts';

export type ScreenId =
  | 'home'
  | 'import-metadata'
  | 'import-data'
  | 'import-csv-metadata'
  | 'import-geometry'
  | 'import-events'
  | 'import-dhis14'
  | 'export-csv-metadata'
  | 'export-metadata'
  | 'export-dependencies'
  | 'export-data'
  | 'export-pdf-form'
  | 'export-dhis14'
  | 'export-events'
  | 'export-tracked-entities'
  | 'send'
  | 'receive'
  | 'sites'
  | 'jobs'
  | 'db-check'
  | 'db-maintenance';

export interface MenuItem {
  screen: ScreenId;
  /** the entry's English name; the screens show it in the chosen language from the catalogue (app:menu.<screen>) */
  label: string;
  group: 'Import' | 'Export' | 'Utilities';
  /** capability needed (from app:info); none = always shown */
  capability?: string;
}

export const MENU: MenuItem[] = [
  { screen: 'import-metadata', label: 'Metadata import', group: 'Import', capability: 'import:metadata' },
  { screen: 'import-data', label: 'Data import', group: 'Import', capability: 'import:data' },
  { screen: 'import-csv-metadata', label: 'CSV metadata import', group: 'Import', capability: 'import:csv-metadata' },
  { screen: 'import-geometry', label: 'Geometry import', group: 'Import', capability: 'import:geometry' },
  { screen: 'import-events', label: 'Event import', group: 'Import', capability: 'import:events' },
  { screen: 'import-dhis14', label: 'DHIS 1.4 import', group: 'Import', capability: 'import:dhis14' },
  { screen: 'export-metadata', label: 'Metadata export', group: 'Export', capability: 'export:metadata' },
  { screen: 'export-dependencies', label: 'Metadata dependency export', group: 'Export', capability: 'export:dependencies' },
  { screen: 'export-data', label: 'Data export', group: 'Export', capability: 'export:data' },
  { screen: 'export-pdf-form', label: 'PDF data entry form', group: 'Export', capability: 'export:pdf-form' },
  { screen: 'export-csv-metadata', label: 'CSV metadata export', group: 'Export', capability: 'export:csv-metadata' },
  { screen: 'export-events', label: 'Event export', group: 'Export', capability: 'export:events' },
  { screen: 'export-tracked-entities', label: 'Tracked entity export', group: 'Export', capability: 'export:tracked-entities' },
  { screen: 'export-dhis14', label: 'Export to DHIS 1.4', group: 'Export', capability: 'export:dhis14-data' },
  { screen: 'send', label: 'Send to another site', group: 'Export', capability: 'export:send' },
  { screen: 'receive', label: 'Receive from other sites', group: 'Import', capability: 'import:transfer' },
  { screen: 'sites', label: 'Sites', group: 'Utilities', capability: 'import:transfer' },
  { screen: 'jobs', label: 'Job overview', group: 'Utilities' },
  { screen: 'db-check', label: 'Check database', group: 'Utilities', capability: 'db:check' },
  { screen: 'db-maintenance', label: 'Database maintenance', group: 'Utilities', capability: 'db:maintenance' },
];

interface AppState {
  version: string;
  dbPath: string;
  /** why the database cannot be written (a read-only place), else null */
  readOnly: string | null;
  capabilities: string[];
  /** the format registry (formats:list): what each format reads and writes */
  formats: FormatInfo[];
  dbInfo: DbInfo | null;
  screen: ScreenId;
  /** job shown in the job overview's detail pane */
  jobId: number | null;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  refreshDb(): Promise<void>;
  navigate(screen: ScreenId, jobId?: number | null): void;
}

export const useApp = create<AppState>((set) => ({
  version: '',
  dbPath: '',
  readOnly: null,
  capabilities: [],
  formats: [],
  dbInfo: null,
  screen: 'home',
  jobId: null,
  loaded: false,
  error: null,
  async load() {
    try {
      const [info, dbInfo, formats] = await Promise.all([invoke('app:info', {}), invoke('db:info', {}), invoke('formats:list', {})]);
      set({ version: info.version, dbPath: info.dbPath, readOnly: info.readOnly ?? null, capabilities: info.capabilities, formats, dbInfo, loaded: true, error: null });
    } catch (e) {
      set({ loaded: true, error: errorText(e) });
    }
  },
  async refreshDb() {
    try {
      set({ dbInfo: await invoke('db:info', {}) });
    } catch {
      /* keep the last counts */
    }
  },
  navigate(screen, jobId = null) {
    set({ screen, jobId });
  },
}));

/** The menu entries whose capability exists. */
export function visibleMenu(capabilities: string[]): MenuItem[] {
  return MENU.filter((m) => !m.capability || capabilities.includes(m.capability));
}

/** The formats that read (import) or write (export) a kind, as picker choices, in registry order. */
/**
 * A format's name in the chosen language (app:format.<registry id>); the engine's English label for a format the
 * catalogue does not know yet (tests/unit/i18n-catalogues.test.ts keeps every registered format in it).
 */
export function formatLabel(f: Pick<FormatInfo, 'id' | 'label'>): string {
  return i18n.t(`app:format.${f.id}` as never, { defaultValue: f.label }) as string;
}

export function formatChoices(formats: FormatInfo[], kind: 'data' | 'metadata' | 'events', direction: 'reads' | 'writes'): { value: string; label: string }[] {
  const out: { value: string; label: string }[] = [];
  for (const f of formats) if (f[direction].includes(kind) && !out.some((c) => c.value === f.format)) out.push({ value: f.format, label: formatLabel(f) });
  return out;
}

/** File extensions the open dialog offers for a kind's importable formats (plus compressed files). */
export function importExtensions(formats: FormatInfo[], kind: string): string[] {
  const ext = new Set<string>();
  for (const f of formats) if ((f.reads as string[]).includes(kind)) for (const e of f.extensions) ext.add(e.split('.').pop()!);
  return [...ext, 'gz', 'zip'];
}
