/**
 * "Export to DHIS 1.4": one screen for the three 1.4 exports (manual "Export data to other systems"), each its own
 * export store (kind dhis14-metadata, dhis14-detailed-metadata, dhis14-data), and which of them the screen shows.
 * A 1.4 export is always a zip (MetaData.xml + RoutineData.txt): format xml, compression none, a .zip file name.
 */
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { ExportKind } from '../../src-shared/api/contract.ts';
import { defaultExportFileName, fileNamePart } from '../../src-shared/export-file-name.ts';
import { i18n } from '../i18n.ts';
import { createExportStore, monthsAgo, today, type ExportWizardState, type OrgUnitSelection } from './exports.ts';

export type Dhis14ExportWhat = 'metadata' | 'detailed' | 'data';

type Named = { id: string; name: string };

/** The stores of the three kinds write .zip files named for what they hold. */
function zipNamed<O extends object>(kind: ExportKind, store: UseBoundStore<StoreApi<ExportWizardState<O>>>, name: (o: O) => string | undefined): void {
  store.setState({ defaultName: () => defaultExportFileName({ kind, format: 'xml', extension: 'zip', compression: 'none', name: name(store.getState().options) }) });
}

export const useDhis14MetadataExport = createExportStore<Record<string, never>>({
  kind: 'dhis14-metadata',
  defaults: () => ({}),
  format: 'xml',
  compression: 'none',
  fileName: () => ({}),
  validate: () => null,
  toRequest: () => ({}),
});
zipNamed('dhis14-metadata', useDhis14MetadataExport, () => undefined);

export interface Dhis14DetailedOptions {
  dataElements: Named[];
  indicators: Named[];
}

export const useDhis14DetailedExport = createExportStore<Dhis14DetailedOptions>({
  kind: 'dhis14-detailed-metadata',
  defaults: () => ({ dataElements: [], indicators: [] }),
  format: 'xml',
  compression: 'none',
  fileName: () => ({}),
  validate: (o) => (o.dataElements.length || o.indicators.length ? null : i18n.t('exports:validate.dhis14Detailed')),
  toRequest: (o) => ({ dataElements: o.dataElements.map((d) => d.id), indicators: o.indicators.map((i) => i.id) }),
});
zipNamed('dhis14-detailed-metadata', useDhis14DetailedExport, (o) => {
  const first = o.indicators[0] ?? o.dataElements[0];
  const n = o.indicators.length + o.dataElements.length;
  return first ? fileNamePart(first.name) + (n > 1 ? `-and-${n - 1}-more` : '') : undefined;
});

export interface Dhis14DataOptions {
  orgUnits: OrgUnitSelection[];
  dataSets: Named[];
  dataElements: Named[];
  startDate: string;
  endDate: string;
  /** changed since (lastUpdated), '' = any time */
  lastUpdated: string;
}

export const useDhis14DataExport = createExportStore<Dhis14DataOptions>({
  kind: 'dhis14-data',
  defaults: () => ({ orgUnits: [], dataSets: [], dataElements: [], startDate: monthsAgo(3), endDate: today(), lastUpdated: '' }),
  format: 'xml',
  compression: 'none',
  fileName: () => ({}),
  validate: (o) => {
    if (!o.orgUnits.length) return i18n.t('exports:validate.orgUnit');
    if (!o.startDate || !o.endDate) return i18n.t('exports:validate.dates');
    if (o.startDate > o.endDate) return i18n.t('exports:validate.startAfterEnd');
    return null;
  },
  toRequest: (o) => ({
    orgUnits: o.orgUnits.map((u) => ({ id: u.id, mode: u.mode })),
    ...(o.dataSets.length ? { dataSet: o.dataSets.map((d) => d.id) } : {}),
    ...(o.dataElements.length ? { dataElement: o.dataElements.map((d) => d.id) } : {}),
    startDate: o.startDate,
    endDate: o.endDate,
    ...(o.lastUpdated ? { lastUpdated: o.lastUpdated } : {}),
  }),
});
zipNamed('dhis14-data', useDhis14DataExport, (o) => {
  const first = o.orgUnits[0];
  return [first ? (first.name || first.id) + (o.orgUnits.length > 1 ? `-and-${o.orgUnits.length - 1}-more` : '') : '', o.startDate, o.endDate].filter(Boolean).join('-') || undefined;
});

/** Which of the three exports the screen shows. */
export const useDhis14ExportChoice = create<{ what: Dhis14ExportWhat; choose(w: Dhis14ExportWhat): void }>((set) => ({
  what: 'data',
  choose: (what) => set({ what }),
}));
