/**
 * Property rules of DHIS2's schemas that DefaultSchemaValidator enforces besides required/length (dhis2-core master):
 * `@PropertyRange` min/max (a string's length: E4002, a collection's size: E4007, a number: E4008), properties typed
 * EMAIL (E4003) and COLOR (E4006) by `@Property(PropertyType…)`. Only the rules that can refuse a value are listed:
 * a `@PropertyRange(min = 1)` on a string never fires (DHIS2 skips empty strings) and a range as wide as the column's
 * type never does either. NOT_TRANSLATABLE: the types whose schema has no persisted `translations` (E1107).
 * Sources: the annotated getters of the classes (BaseIdentifiableObject, DataElement, CategoryOption, Section,
 * IndicatorGroup(Set), PredictorGroup, SqlView, OrganisationUnit(Level), Predictor, ProgramStage, Map, MapView,
 * BaseAnalyticalObject) and the Hibernate mappings (column lengths, which DHIS2 keeps as the max when the annotation gives none).
 */

/** A range as DHIS2's Property holds it (doubles); `int`: the Java property is an Integer (the given number prints so). */
export interface RangeRule {
  min: number;
  max: number;
  int?: boolean;
}

export interface PropertyRules {
  ranges?: Record<string, RangeRule>;
  /** column lengths (E4001) DHIS2 declares that Ferry's type registry does not list */
  maxLengths?: Record<string, number>;
  emails?: string[];
  colors?: string[];
  /** rules of embedded objects (DHIS2's EmbeddedObject classes, validated with the parent's class) */
  embedded?: Record<string, PropertyRules>;
}

const TEXT_MAX = 2147483647;
/** BaseAnalyticalObject.getRawPeriods: @PropertyRange(max = TEN_YEARS_OF_DAILY_PERIODS) */
const RAW_PERIODS: RangeRule = { min: 0, max: 3650 };
const DESCRIPTION_MIN_2: PropertyRules = { ranges: { description: { min: 2, max: TEXT_MAX } } };

/** Every identifiable object: the uid column is 11 long and @PropertyRange(min = 11, max = 11). */
export const IDENTIFIABLE_RULES: PropertyRules = {
  ranges: { id: { min: 11, max: 11 } },
  maxLengths: { id: 11 },
};

/** Per type (DXF2 plural key). */
export const PROPERTY_RULES: Readonly<Record<string, PropertyRules>> = {
  categoryOptions: { ranges: { formName: { min: 2, max: 230 } } },
  dataElements: { ranges: { formName: { min: 2, max: 230 } } },
  sections: DESCRIPTION_MIN_2,
  indicatorGroups: DESCRIPTION_MIN_2,
  indicatorGroupSets: DESCRIPTION_MIN_2,
  predictorGroups: DESCRIPTION_MIN_2,
  sqlViews: DESCRIPTION_MIN_2,
  organisationUnits: { emails: ['email'] },
  // ProgramStage's labels: @PropertyRange(min = 2), mapped without a length (255)
  programStages: {
    ranges: Object.fromEntries(['executionDateLabel', 'dueDateLabel', 'programStageLabel', 'eventLabel'].map((p) => [p, { min: 2, max: 255 }])),
    maxLengths: { executionDateLabel: 255, dueDateLabel: 255, programStageLabel: 255, eventLabel: 255 },
  },
  organisationUnitLevels: { ranges: { level: { min: 1, max: 999, int: true } } },
  predictors: { ranges: { annualSampleCount: { min: 0, max: 10, int: true } } },
  visualizations: { ranges: { rawPeriods: RAW_PERIODS } },
  eventVisualizations: { ranges: { rawPeriods: RAW_PERIODS } },
  eventCharts: { ranges: { rawPeriods: RAW_PERIODS } },
  eventReports: { ranges: { rawPeriods: RAW_PERIODS } },
  reports: { ranges: { rawPeriods: RAW_PERIODS } },
  maps: {
    ranges: { longitude: { min: -180, max: 180 }, latitude: { min: -90, max: 90 } },
    embedded: {
      mapViews: {
        ranges: { noDataColor: { min: 7, max: 7 }, organisationUnitColor: { min: 7, max: 7 }, rawPeriods: RAW_PERIODS },
        maxLengths: { noDataColor: 7 },
        colors: ['colorLow', 'colorHigh'],
      },
    },
  },
};

/** Types whose DHIS2 schema is not translatable (no persisted `translations`): translations on them are E1107. */
export const NOT_TRANSLATABLE: ReadonlySet<string> = new Set([
  'sqlViews', 'jobConfigurations', 'analyticsTableHooks', 'programStageDataElements', 'programTrackedEntityAttributes',
]);
