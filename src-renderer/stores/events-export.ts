/**
 * The event export and tracked entity export wizards' state (kinds 'events' and 'tracked-entities'): options by their
 * DHIS2 names, as the export service takes them (exporters/events.ts).
 */
import { i18n } from '../i18n.ts';
import { createExportStore, monthsAgo, today, type OrgUnitMode } from './exports.ts';

/** DHIS2's event export offers UID and Code, and the unique attributes (ATTRIBUTE:<uid>) */
export type EventIdScheme = 'UID' | 'CODE' | `ATTRIBUTE:${string}`;

export interface Picked {
  id: string;
  name: string;
}

export interface EventsExportOptions {
  orgUnit: Picked | null;
  orgUnitMode: OrgUnitMode;
  program: Picked | null;
  /** null: every stage of the program */
  programStage: Picked | null;
  /** '' = no bound */
  startDate: string;
  endDate: string;
  includeDeleted: boolean;
  /** changed since (lastUpdatedStartDate), '' = any time */
  lastUpdated: string;
  /** UID, CODE or ATTRIBUTE:<uid> (a unique attribute's values) */
  idScheme: EventIdScheme;
  dataElementIdScheme: EventIdScheme;
  orgUnitIdScheme: EventIdScheme;
}

export function validateEventsExport(o: EventsExportOptions): string | null {
  if (o.startDate && o.endDate && o.startDate > o.endDate) return i18n.t('exports:validate.startAfterEnd');
  if (o.programStage && !o.program) return i18n.t('exports:validate.programStage');
  return null;
}

export function eventsExportRequest(o: EventsExportOptions): Record<string, unknown> {
  return {
    ...(o.orgUnit ? { orgUnit: o.orgUnit.id, orgUnitMode: o.orgUnitMode } : {}),
    ...(o.program ? { program: o.program.id } : {}),
    ...(o.programStage ? { programStage: o.programStage.id } : {}),
    ...(o.startDate ? { startDate: o.startDate } : {}),
    ...(o.endDate ? { endDate: o.endDate } : {}),
    includeDeleted: o.includeDeleted,
    ...(o.lastUpdated ? { lastUpdatedStartDate: o.lastUpdated } : {}),
    idScheme: o.idScheme,
    dataElementIdScheme: o.dataElementIdScheme,
    orgUnitIdScheme: o.orgUnitIdScheme,
  };
}

export const useEventsExport = createExportStore<EventsExportOptions>({
  kind: 'events',
  defaults: () => ({
    orgUnit: null,
    orgUnitMode: 'SELECTED',
    program: null,
    programStage: null,
    startDate: monthsAgo(3),
    endDate: today(),
    includeDeleted: false,
    lastUpdated: '',
    idScheme: 'UID',
    dataElementIdScheme: 'UID',
    orgUnitIdScheme: 'UID',
  }),
  format: 'json',
  compression: 'zip',
  fileName: (o) => ({ name: o.program?.name, orgUnit: o.orgUnit?.name, startDate: o.startDate || undefined, endDate: o.endDate || undefined }),
  validate: validateEventsExport,
  toRequest: eventsExportRequest,
});

export interface TrackedEntitiesExportOptions {
  orgUnit: Picked | null;
  orgUnitMode: OrgUnitMode;
  /** filter by program (enrolled in it) or by tracked entity type */
  filterBy: 'program' | 'trackedEntityType';
  program: Picked | null;
  trackedEntityType: Picked | null;
  includeDeleted: boolean;
  lastUpdated: string;
  idScheme: EventIdScheme;
}

export const useTrackedEntitiesExport = createExportStore<TrackedEntitiesExportOptions>({
  kind: 'tracked-entities',
  defaults: () => ({ orgUnit: null, orgUnitMode: 'SELECTED', filterBy: 'program', program: null, trackedEntityType: null, includeDeleted: false, lastUpdated: '', idScheme: 'UID' }),
  format: 'json',
  // DHIS2's tracked entity export offers no compression; Ferry offers it as for every export, uncompressed by default
  compression: 'none',
  fileName: (o) => ({ name: (o.filterBy === 'program' ? o.program?.name : o.trackedEntityType?.name) ?? undefined, orgUnit: o.orgUnit?.name }),
  validate: () => null,
  toRequest: (o) => ({
    ...(o.orgUnit ? { orgUnit: o.orgUnit.id, orgUnitMode: o.orgUnitMode } : {}),
    ...(o.filterBy === 'program' && o.program ? { program: o.program.id } : {}),
    ...(o.filterBy === 'trackedEntityType' && o.trackedEntityType ? { trackedEntityType: o.trackedEntityType.id } : {}),
    includeDeleted: o.includeDeleted,
    ...(o.lastUpdated ? { lastUpdatedStartDate: o.lastUpdated } : {}),
    idScheme: o.idScheme,
  }),
});
