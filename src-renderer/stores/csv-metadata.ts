/**
 * The CSV metadata wizards' state: the import (file, class key, first-row-is-header, the metadata options) with the
 * preview of its first rows (csvMetadata:preview), and the export of one class key.
 */
import { create } from 'zustand';
import type { CsvMetadataPreview } from '../../src-shared/api/contract.ts';
import type { CsvClassKey } from '../../src-shared/dhis2/csv-metadata.ts';
import { errorText, invoke } from '../api.ts';
import { createImportStore } from './imports.ts';
import { createExportStore } from './exports.ts';
import { i18n } from '../i18n.ts';

export interface CsvMetadataImportOptions {
  dryRun: boolean;
  /** '' until the user chooses */
  classKey: CsvClassKey | '';
  firstRowIsHeader: boolean;
  importStrategy: 'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE' | 'DELETE';
  atomicMode: 'ALL' | 'NONE';
  identifier: 'UID' | 'CODE';
}

export const useCsvMetadataImport = createImportStore<CsvMetadataImportOptions>({
  kind: 'csv-metadata',
  multiple: false,
  defaults: { dryRun: true, classKey: '', firstRowIsHeader: true, importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', identifier: 'UID' },
  toRequest(o) {
    const r: Record<string, unknown> = { ...o };
    if (!o.classKey) delete r.classKey;
    return r;
  },
});

interface PreviewState {
  /** what the shown preview was read for (file, class key, header option) */
  key: string | null;
  preview: CsvMetadataPreview | null;
  loading: boolean;
  error: string | null;
  /** reads the first rows again when the file, class key or header option changed */
  load(file: string, classKey: string, firstRowIsHeader: boolean): Promise<void>;
  clear(): void;
}

export const useCsvMetadataPreview = create<PreviewState>((set, get) => ({
  key: null,
  preview: null,
  loading: false,
  error: null,
  async load(file, classKey, firstRowIsHeader) {
    const key = `${file}\n${classKey}\n${firstRowIsHeader}`;
    if (get().key === key) return;
    set({ key, loading: true, error: null });
    try {
      const preview = await invoke('csvMetadata:preview', { file, classKey, firstRowIsHeader, limit: 10 });
      if (get().key === key) set({ preview, loading: false });
    } catch (e) {
      if (get().key === key) set({ preview: null, loading: false, error: errorText(e) });
    }
  },
  clear() {
    set({ key: null, preview: null, loading: false, error: null });
  },
}));

export interface CsvMetadataExportOptions {
  classKey: CsvClassKey | '';
}

export const useCsvMetadataExport = createExportStore<CsvMetadataExportOptions>({
  kind: 'csv-metadata',
  defaults: () => ({ classKey: '' }),
  format: 'csv',
  compression: 'none',
  fileName: (o) => ({ name: o.classKey || undefined }),
  // said in the chosen language when the user presses Export (the message is cleared by the next change of option)
  validate: (o) => (o.classKey ? null : i18n.t('imports:csvExport.chooseKind')),
  toRequest: (o) => ({ classKey: o.classKey }),
});
