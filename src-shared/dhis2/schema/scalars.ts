/**
 * JSON types of scalar metadata properties (data only). XML text cannot say whether `0` is the number 0 or the text
 * "0", so the DXF2 XML metadata reader asks these shapes: a property listed as numeric becomes a JSON number, one
 * listed as boolean true/false, one listed as text stays text. Properties listed nowhere keep the reader's
 * fallback (true/false text → boolean, a few well-known numeric names → number).
 * Keys are DXF2 JSON property names; `objects` gives the shape of embedded objects (or of the items of an embedded
 * collection) by property name, `anyObject` the shape of every embedded object not named in `objects` (maps such
 * as visualization fontStyle). Sources: DHIS2 schema descriptors (the Java field types of each class).
 */

export interface ScalarShape {
  /** properties (or arrays of them) that are JSON numbers */
  numeric?: readonly string[];
  /** properties that are JSON booleans */
  boolean?: readonly string[];
  /** properties that are JSON text even when they read "true", "false" or "12" */
  text?: readonly string[];
  /** embedded objects / collection items by property name */
  objects?: Readonly<Record<string, ScalarShape>>;
  /** the shape of every embedded object not named in `objects` */
  anyObject?: ScalarShape;
}

const FONT_STYLE: ScalarShape = { numeric: ['fontSize'], boolean: ['bold', 'italic', 'underline'], text: ['font', 'textColor', 'textAlign'] };
const TITLE: ScalarShape = { text: ['text', 'textMode'], objects: { fontStyle: FONT_STYLE } };
const LINE: ScalarShape = { numeric: ['value'], objects: { title: TITLE } };

/** Embedded objects every identifiable type may carry. */
export const COMMON_SCALARS: Readonly<Record<string, ScalarShape>> = {
  attributeValues: { text: ['value'] },
  translations: { text: ['value', 'property', 'locale'] },
  sharing: { boolean: ['external'], text: ['owner', 'public'] },
  access: { boolean: ['manage', 'externalize', 'write', 'read', 'update', 'delete'] },
  style: { text: ['color', 'icon'] },
  legends: { numeric: ['startValue', 'endValue'], text: ['color', 'image'] },
};

/** A working list's date filter (DateFilterPeriod). */
const DATE_FILTER_PERIOD: ScalarShape = { numeric: ['startBuffer', 'endBuffer'], text: ['startDate', 'endDate', 'period', 'type'] };
const VALUE_FILTER = ['le', 'ge', 'gt', 'lt', 'eq', 'in', 'like'];
/** A program stage working list's criteria (ProgramStageQueryCriteria). */
const WORKING_LIST_CRITERIA: ScalarShape = {
  boolean: ['followUp'],
  text: ['eventStatus', 'enrollmentStatus', 'order', 'displayColumnOrder', 'orgUnit', 'ouMode', 'assignedUserMode', 'assignedUsers'],
  objects: {
    eventCreatedAt: DATE_FILTER_PERIOD, eventOccurredAt: DATE_FILTER_PERIOD, eventScheduledAt: DATE_FILTER_PERIOD,
    enrolledAt: DATE_FILTER_PERIOD, enrollmentOccurredAt: DATE_FILTER_PERIOD,
    dataFilters: { boolean: ['isNull'], text: ['dataItem', ...VALUE_FILTER], objects: { dateFilter: DATE_FILTER_PERIOD } },
    attributeValueFilters: { boolean: ['isNull'], text: ['attribute', ...VALUE_FILTER, 'sw', 'ew'], objects: { dateFilter: DATE_FILTER_PERIOD } },
  },
};

/** Analytical objects (visualizations, event visualizations, charts, report tables). */
const ANALYTICAL: ScalarShape = {
  numeric: ['topLimit', 'sortOrder', 'baseLineValue', 'targetLineValue', 'rangeAxisMaxValue', 'rangeAxisMinValue', 'rangeAxisSteps', 'rangeAxisDecimals'],
  boolean: [
    'cumulativeValues', 'hideEmptyRows', 'hideEmptyColumns', 'hideEmptyRowItems', 'hideLegend', 'hideSubtitle', 'hideTitle',
    'noSpaceBetweenColumns', 'percentStackedValues', 'regression', 'showData', 'showHierarchy', 'showDimensionLabels', 'colTotals',
    'colSubTotals', 'rowTotals', 'rowSubTotals', 'completedOnly', 'skipRounding', 'fixColumnHeaders', 'fixRowHeaders', 'externalAccess',
    'favorite', 'subscribed',
  ],
  text: ['fontSize', 'displayDensity', 'digitGroupSeparator', 'type', 'aggregationType', 'baseLineLabel', 'targetLineLabel', 'domainAxisLabel', 'rangeAxisLabel', 'title', 'subtitle'],
  objects: {
    series: { numeric: ['axis'], text: ['dimensionItem', 'type'] },
    axes: { numeric: ['index', 'decimals', 'maxValue', 'minValue', 'steps'], text: ['type'], objects: { baseLine: LINE, targetLine: LINE, label: TITLE, title: TITLE } },
    fontStyle: { anyObject: FONT_STYLE },
    legend: { boolean: ['showKey'], text: ['strategy', 'style'] },
    reportingParams: { boolean: ['parentOrganisationUnit', 'reportingPeriod', 'organisationUnit', 'grandParentOrganisationUnit'] },
    outlierAnalysis: {
      boolean: ['enabled'], numeric: ['thresholdFactor', 'maxResults'], text: ['outlierMethod', 'normalizationMethod'],
      objects: { extremeLines: { boolean: ['enabled'], numeric: ['value'] } },
    },
    seriesKey: { boolean: ['hidden'], objects: { label: TITLE } },
  },
};

const MAP_VIEW: ScalarShape = {
  numeric: ['classes', 'method', 'parentLevel', 'topLimit', 'eventPointRadius', 'radiusLow', 'radiusHigh', 'opacity', 'areaRadius', 'organisationUnitLevels'],
  boolean: ['hidden', 'labels', 'eventClustering', 'followUp'],
  text: ['colorLow', 'colorHigh', 'colorScale', 'noDataColor', 'labelFontSize', 'labelFontColor', 'labelFontStyle', 'labelFontWeight', 'eventPointColor', 'layer', 'renderingStrategy', 'thematicMapType', 'eventStatus', 'config', 'styleDataItem'],
};

/** Top-level metadata types by DXF2 plural key. */
export const TYPE_SCALARS: Readonly<Record<string, ScalarShape>> = {
  attributes: { numeric: ['sortOrder'], boolean: ['mandatory', 'unique'] },
  categoryOptions: {},
  categories: { boolean: ['dataDimension'] },
  categoryCombos: { boolean: ['skipTotal'] },
  categoryOptionCombos: { boolean: ['ignoreApproval'] },
  categoryOptionGroupSets: { boolean: ['dataDimension'] },
  optionSets: { numeric: ['version'] },
  options: { numeric: ['sortOrder'] },
  legendSets: {},
  organisationUnits: { numeric: ['level'], boolean: ['leaf'], text: ['phoneNumber', 'contactPerson', 'address', 'email', 'url', 'comment'] },
  organisationUnitLevels: { numeric: ['level', 'offlineLevels'] },
  organisationUnitGroupSets: { boolean: ['compulsory', 'dataDimension', 'includeSubhierarchyInAnalytics'] },
  dataElements: {
    numeric: ['aggregationLevels'],
    boolean: ['zeroIsSignificant', 'optionSetValue'],
    text: ['description', 'formName', 'url', 'fieldMask'],
  },
  dataElementGroupSets: { boolean: ['compulsory', 'dataDimension'] },
  indicatorTypes: { numeric: ['factor'], boolean: ['number'] },
  indicators: {
    numeric: ['decimals'],
    boolean: ['annualized'],
    text: ['numerator', 'denominator', 'numeratorDescription', 'denominatorDescription', 'description', 'formName', 'url'],
  },
  dataEntryForms: { numeric: ['format'], text: ['htmlCode', 'style'] },
  dataApprovalLevels: { numeric: ['level', 'orgUnitLevel'] },
  dataSets: {
    numeric: ['expiryDays', 'openFuturePeriods', 'timelyDays', 'version', 'openPeriodsAfterCoEndDate'],
    boolean: [
      'validCompleteOnly', 'noValueRequiresComment', 'skipOffline', 'dataElementDecoration', 'renderAsTabs', 'renderHorizontally',
      'compulsoryFieldsCompleteOnly', 'notifyCompletingUser', 'fieldCombinationRequired', 'mobile',
    ],
    text: ['description', 'formName'],
  },
  sections: { numeric: ['sortOrder'], boolean: ['showRowTotals', 'showColumnTotals', 'disableDataElementAutoGroup'] },
  constants: { numeric: ['value'] },
  validationRules: { numeric: ['organisationUnitLevels'], boolean: ['skipFormValidation'], objects: { leftSide: { text: ['expression', 'description'] }, rightSide: { text: ['expression', 'description'] } } },
  predictors: {
    numeric: ['annualSampleCount', 'sequentialSampleCount', 'sequentialSkipCount'],
    objects: { generator: { text: ['expression', 'description'] }, sampleSkipTest: { text: ['expression', 'description'] } },
  },
  trackedEntityTypes: {
    numeric: ['minAttributesRequiredToSearch', 'maxTeiCountToReturn'],
    boolean: ['allowAuditLog'],
    objects: { trackedEntityTypeAttributes: { boolean: ['displayInList', 'mandatory', 'searchable'] } },
  },
  trackedEntityAttributes: {
    numeric: ['sortOrderInListNoProgram', 'sortOrderInVisitSchedule'],
    boolean: ['unique', 'generated', 'inherit', 'confidential', 'displayInListNoProgram', 'orgunitScope', 'skipSynchronization', 'displayOnVisitSchedule'],
    text: ['pattern', 'fieldMask', 'description', 'formName'],
  },
  programs: {
    numeric: ['version', 'expiryDays', 'completeEventsExpiryDays', 'minAttributesRequiredToSearch', 'maxTeiCountToReturn', 'openDaysAfterCoEndDate'],
    boolean: [
      'displayIncidentDate', 'onlyEnrollOnce', 'selectEnrollmentDatesInFuture', 'selectIncidentDatesInFuture', 'displayFrontPageList',
      'useFirstStageDuringRegistration', 'skipOffline', 'ignoreOverdueEvents', 'registration', 'withoutRegistration',
    ],
    text: ['description', 'enrollmentDateLabel', 'incidentDateLabel', 'formName'],
    objects: {
      programTrackedEntityAttributes: { numeric: ['sortOrder'], boolean: ['mandatory', 'allowFutureDate', 'displayInList', 'searchable', 'renderOptionsAsRadio'] },
      programSections: { numeric: ['sortOrder'] },
    },
  },
  programStages: {
    numeric: ['sortOrder', 'minDaysFromStart', 'standardInterval'],
    boolean: [
      'repeatable', 'autoGenerateEvent', 'generatedByEnrollmentDate', 'blockEntryForm', 'remindCompleted', 'allowGenerateNextVisit',
      'openAfterEnrollment', 'hideDueDate', 'preGenerateUID', 'enableUserAssignment', 'displayGenerateEventBox', 'validCompleteOnly', 'referral',
    ],
    text: ['description', 'executionDateLabel', 'dueDateLabel', 'formName'],
    objects: {
      programStageDataElements: {
        numeric: ['sortOrder'],
        boolean: ['compulsory', 'allowProvidedElsewhere', 'displayInReports', 'allowFutureDate', 'skipSynchronization', 'skipAnalytics', 'renderOptionsAsRadio'],
      },
    },
  },
  programStageSections: { numeric: ['sortOrder'] },
  programStageDataElements: {
    numeric: ['sortOrder'],
    boolean: ['compulsory', 'allowProvidedElsewhere', 'displayInReports', 'allowFutureDate', 'skipSynchronization', 'skipAnalytics', 'renderOptionsAsRadio'],
  },
  programTrackedEntityAttributes: { numeric: ['sortOrder'], boolean: ['mandatory', 'allowFutureDate', 'displayInList', 'searchable', 'renderOptionsAsRadio'] },
  programSections: { numeric: ['sortOrder'] },
  programIndicators: { numeric: ['decimals'], boolean: ['displayInForm'], text: ['expression', 'filter', 'description', 'formName'] },
  programRules: { numeric: ['priority'], text: ['condition', 'description'] },
  programRuleActions: { text: ['data', 'content', 'location'] },
  programNotificationTemplates: { numeric: ['relativeScheduledDays'], boolean: ['notifyUsersInHierarchyOnly', 'notifyParentOrganisationUnitOnly', 'sendRepeatable'] },
  programStageWorkingLists: { text: ['description'], objects: { programStageQueryCriteria: WORKING_LIST_CRITERIA } },
  relationshipTypes: { boolean: ['bidirectional'] },
  expressionDimensionItems: { boolean: ['slidingWindow'], text: ['expression', 'description', 'formName', 'missingValueStrategy'] },
  visualizations: ANALYTICAL,
  eventVisualizations: ANALYTICAL,
  eventCharts: ANALYTICAL,
  eventReports: ANALYTICAL,
  charts: ANALYTICAL,
  reportTables: ANALYTICAL,
  maps: { numeric: ['latitude', 'longitude', 'zoom'], text: ['basemap', 'title', 'description'], objects: { mapViews: MAP_VIEW } },
  mapViews: MAP_VIEW,
  dashboards: {
    numeric: ['itemCount'],
    boolean: ['restrictFilters', 'favorite'],
    objects: {
      dashboardItems: {
        numeric: ['x', 'y', 'width', 'height', 'contentCount', 'interpretationCount', 'interpretationLikeCount'],
        boolean: ['messages', 'favorite'],
        text: ['text', 'shape', 'type', 'appKey'],
      },
    },
  },
};

/** The shape of embedded property `prop` of an object of shape `owner` (or of the items of that collection). */
export function embeddedScalars(owner: ScalarShape | undefined, prop: string): ScalarShape | undefined {
  return owner?.objects?.[prop] ?? COMMON_SCALARS[prop] ?? owner?.anyObject;
}

/** 'number' | 'boolean' | 'text' for a listed scalar property of an object of shape `owner`, else undefined. */
export function scalarKind(owner: ScalarShape | undefined, prop: string): 'number' | 'boolean' | 'text' | undefined {
  if (!owner) return undefined;
  if (owner.numeric?.includes(prop)) return 'number';
  if (owner.boolean?.includes(prop)) return 'boolean';
  if (owner.text?.includes(prop)) return 'text';
  return undefined;
}
