/**
 * How the Job overview names a job and its options: as the screens label them (issue 15: "Strategy: New and updates",
 * not "importStrategy: CREATE_AND_UPDATE"), in the language shown now (app namespace: job.* and option.*). The option
 * names stay DHIS2's in the record (the engine, the CLI and Run again read them); only their display is translated.
 */
import { typeLabel } from '../../components/format.ts';
import { i18n } from '../../i18n.ts';
import { formatCount } from '../../../src-shared/i18n/languages.ts';

const IMPORT_TITLE = {
  metadata: 'job.import.metadata',
  data: 'job.import.data',
  events: 'job.import.events',
  geometry: 'job.import.geometry',
  'csv-metadata': 'job.import.csv-metadata',
  pdf: 'job.import.pdf',
  dhis14: 'job.import.dhis14',
  transfer: 'job.import.transfer',
  undo: 'job.import.undo',
} as const;

const EXPORT_TITLE = {
  metadata: 'job.export.metadata',
  dependencies: 'job.export.dependencies',
  data: 'job.export.data',
  'csv-metadata': 'job.export.csv-metadata',
  'pdf-form': 'job.export.pdf-form',
  events: 'job.export.events',
  'tracked-entities': 'job.export.tracked-entities',
  'dhis14-metadata': 'job.export.dhis14-metadata',
  'dhis14-detailed-metadata': 'job.export.dhis14-detailed-metadata',
  'dhis14-data': 'job.export.dhis14-data',
  send: 'job.export.send',
} as const;

/** "Data import", "Import de données", "Exportação de metadados"… (a kind Ferry does not know: its name, humanised). */
export function jobTitle(kind: string, direction: string): string {
  const table: Record<string, (typeof IMPORT_TITLE)[keyof typeof IMPORT_TITLE] | (typeof EXPORT_TITLE)[keyof typeof EXPORT_TITLE]> =
    direction === 'export' ? EXPORT_TITLE : IMPORT_TITLE;
  const key = table[kind];
  if (key) return i18n.t(`app:${key}`);
  return i18n.t(direction === 'export' ? 'app:job.otherExport' : 'app:job.otherImport', { kind: typeLabel(kind) });
}

/** The option names the wizards show, by DHIS2 option name (every import option, the usual export ones). */
const OPTION_LABEL = {
  dryRun: 'option.dryRun',
  importStrategy: 'option.importStrategy',
  atomicMode: 'option.atomicMode',
  identifier: 'option.identifier',
  skipValidation: 'option.skipValidation',
  skipSharing: 'option.skipSharing',
  skipTranslation: 'option.skipTranslation',
  importReportMode: 'option.importReportMode',
  classKey: 'option.classKey',
  firstRowIsHeader: 'option.firstRowIsHeader',
  idScheme: 'option.idScheme',
  dataElementIdScheme: 'option.dataElementIdScheme',
  orgUnitIdScheme: 'option.orgUnitIdScheme',
  categoryOptionComboIdScheme: 'option.categoryOptionComboIdScheme',
  dataSetIdScheme: 'option.dataSetIdScheme',
  categoryIdScheme: 'option.categoryIdScheme',
  categoryOptionIdScheme: 'option.categoryOptionIdScheme',
  programIdScheme: 'option.programIdScheme',
  programStageIdScheme: 'option.programStageIdScheme',
  eventIdScheme: 'option.eventIdScheme',
  skipExistingCheck: 'option.skipExistingCheck',
  strictPeriods: 'option.strictPeriods',
  strictDataElements: 'option.strictDataElements',
  strictCategoryOptionCombos: 'option.strictCategoryOptionCombos',
  strictAttributeOptionCombos: 'option.strictAttributeOptionCombos',
  strictOrganisationUnits: 'option.strictOrganisationUnits',
  requireCategoryOptionCombo: 'option.requireCategoryOptionCombo',
  requireAttributeOptionCombo: 'option.requireAttributeOptionCombo',
  dataSet: 'option.dataSet',
  storedBy: 'option.storedBy',
  force: 'option.force',
  overlap: 'option.overlap',
  importMode: 'option.importMode',
  validationMode: 'option.validationMode',
  skipFirst: 'option.skipFirst',
  skipExpiryCheck: 'option.skipExpiryCheck',
  skipRuleEngine: 'option.skipRuleEngine',
  geoJsonId: 'option.geoJsonId',
  geoJsonProperty: 'option.geoJsonProperty',
  orgUnitProperty: 'option.orgUnitProperty',
  attributeId: 'option.attributeId',
  password: 'option.password',
  types: 'option.types',
  dataSets: 'option.dataSets',
  orgUnit: 'option.orgUnit',
  orgUnits: 'option.orgUnits',
  orgUnitMode: 'option.orgUnitMode',
  period: 'option.period',
  startDate: 'option.startDate',
  endDate: 'option.endDate',
  lastUpdated: 'option.lastUpdated',
  includeDeleted: 'option.includeDeleted',
  program: 'option.program',
  programStage: 'option.programStage',
  trackedEntityType: 'option.trackedEntityType',
  dataElements: 'option.dataElements',
  indicators: 'option.indicators',
} as const;

/** Option values the wizards offer by name (DHIS2's value → its label), by option. */
export const VALUE_LABEL: Record<string, Record<string, `value.${string}`>> = {
  importStrategy: {
    CREATE_AND_UPDATE: 'value.strategy.CREATE_AND_UPDATE',
    CREATE: 'value.strategy.CREATE',
    UPDATE: 'value.strategy.UPDATE',
    DELETE: 'value.strategy.DELETE',
  },
  atomicMode: { ALL: 'value.atomicMode.ALL', NONE: 'value.atomicMode.NONE', OBJECT: 'value.atomicMode.OBJECT' },
  overlap: { stop: 'value.overlap.stop', first: 'value.overlap.first', newer: 'value.overlap.newer', last: 'value.overlap.last' },
  validationMode: { FULL: 'value.validationMode.FULL', FAIL_FAST: 'value.validationMode.FAIL_FAST', SKIP: 'value.validationMode.SKIP' },
  importMode: { COMMIT: 'value.importMode.COMMIT', VALIDATE: 'value.importMode.VALIDATE' },
};
export const SCHEME_LABEL: Record<string, `value.${string}`> = { UID: 'value.scheme.UID', ID: 'value.scheme.UID', CODE: 'value.scheme.CODE', NAME: 'value.scheme.NAME' };

/** any value.* key of the app catalogue (the tables above hold only such keys: tests/unit/renderer/languages.test.tsx) */
type ValueKey = 'value.strategy.CREATE_AND_UPDATE';

function valueText(option: string, v: unknown): string {
  if (option === 'password') return '••••••';
  if (typeof v === 'boolean') return i18n.t(v ? 'common:yes' : 'common:no');
  if (typeof v === 'number') return formatCount(v, i18n.language);
  if (Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' ? Object.values(x as object).join(' ') : valueText(option, x))).join(', ');
  if (v && typeof v === 'object') return JSON.stringify(v);
  const s = String(v);
  const known = VALUE_LABEL[option]?.[s] ?? (/idScheme$|^identifier$|^orgUnitProperty$/i.test(option) ? SCHEME_LABEL[s.toUpperCase()] : undefined);
  if (known) return i18n.t(`app:${known as ValueKey}`);
  if (/idScheme$/i.test(option) && /^ATTRIBUTE:/i.test(s)) return i18n.t('app:value.scheme.ATTRIBUTE', { uid: s.slice(10) });
  return s;
}

/** Switches that are off unless the user turns them on (the wizards' checkboxes): listed only when on. */
const OFF_BY_DEFAULT = /^(strict[A-Z]|require[A-Z]|skip(ExistingCheck|Validation|Sharing|Translation|ExpiryCheck|RuleEngine)$|force$|includeDeleted$)/;

/**
 * A job's options as the screens say them: [label, value] pairs, in the record's order. A switch left off (its
 * default) is not listed: the line says what was chosen, not the dozen checks nobody turned on. Dry run always is.
 */
export function optionLines(options: Record<string, unknown>): { option: string; label: string; value: string }[] {
  return Object.entries(options)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .filter(([option, v]) => !(v === false && OFF_BY_DEFAULT.test(option)))
    .map(([option, v]) => {
      const key = (OPTION_LABEL as Record<string, (typeof OPTION_LABEL)[keyof typeof OPTION_LABEL]>)[option];
      return { option, label: key ? i18n.t(`app:${key}`) : typeLabel(option), value: valueText(option, v) };
    });
}
