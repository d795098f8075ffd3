/** The event / tracker import wizard's state: files, options by their DHIS2 names, the running job (createImportStore). */
import { createImportStore, type IdSchemeChoice } from './imports.ts';

export interface EventsImportWizardOptions {
  dryRun: boolean;
  importStrategy: 'CREATE_AND_UPDATE' | 'CREATE' | 'UPDATE' | 'DELETE';
  /** '' = the file's generation decides: ALL for tracker files, OBJECT for old events files */
  atomicMode: 'ALL' | 'OBJECT' | '';
  validationMode: 'FULL' | 'FAIL_FAST' | 'SKIP';
  idScheme: IdSchemeChoice;
  /** '' = same as idScheme */
  dataElementIdScheme: IdSchemeChoice | '';
  orgUnitIdScheme: IdSchemeChoice | '';
  programIdScheme: IdSchemeChoice | '';
  programStageIdScheme: IdSchemeChoice | '';
  categoryOptionComboIdScheme: IdSchemeChoice | '';
  categoryOptionIdScheme: IdSchemeChoice | '';
  /** CSV: the first row is a header (DHIS2's skipFirst, default true) */
  skipFirst: boolean;
  /** import as a user with DHIS2's F_EDIT_EXPIRED authority: completed events past the program's expiry days accepted */
  skipExpiryCheck: boolean;
  /** DHIS2's skipRuleEngine: the programs' rules are not run */
  skipRuleEngine: boolean;
}

export const EVENT_SPECIFIC_SCHEMES = [
  'dataElementIdScheme', 'orgUnitIdScheme', 'programIdScheme', 'programStageIdScheme', 'categoryOptionComboIdScheme', 'categoryOptionIdScheme',
] as const;

export const useEventsImport = createImportStore<EventsImportWizardOptions>({
  kind: 'events',
  multiple: true,
  defaults: {
    dryRun: true,
    importStrategy: 'CREATE_AND_UPDATE',
    atomicMode: '',
    validationMode: 'FULL',
    idScheme: 'UID',
    dataElementIdScheme: '',
    orgUnitIdScheme: '',
    programIdScheme: '',
    programStageIdScheme: '',
    categoryOptionComboIdScheme: '',
    categoryOptionIdScheme: '',
    skipFirst: true,
    skipExpiryCheck: false,
    skipRuleEngine: false,
  },
  toRequest(o, format) {
    const r: Record<string, unknown> = { ...o };
    // a blank specific scheme follows idScheme (DHIS2's rule), so it is not sent; nor a default atomic mode
    for (const k of EVENT_SPECIFIC_SCHEMES) if (!o[k]) delete r[k];
    if (!o.atomicMode) delete r.atomicMode;
    // off is DHIS2's default for both: only sent when ticked
    if (!o.skipExpiryCheck) delete r.skipExpiryCheck;
    if (!o.skipRuleEngine) delete r.skipRuleEngine;
    if (format !== 'auto' && !format.endsWith('csv')) delete r.skipFirst;
    return r;
  },
  fromRequest(o) {
    const r: Record<string, unknown> = { ...o };
    if (o.importMode === 'VALIDATE') r.dryRun = true;
    return r;
  },
});
