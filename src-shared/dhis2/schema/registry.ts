/**
 * The DXF2 metadata type registry: one entry per DXF2 plural key (spec §2.1 plus every type met in DHIS2 exports and
 * the conformance corpus). Pure data — the metadata importer, exporters and the renderer read it.
 * Sources: DHIS2 schema descriptors (plural/singular names), Hibernate mappings (required/unique/lengths, owner sides).
 * Unique properties (`unique`, `notUnique`, `uniqueConstraints`) and the custom attribute flags / persisted
 * `attributeValues` are those of dhis2-core master, read from every `*.hbm.xml` (`unique="true"`, `unique-key`,
 * `&identifiableProperties;`: uid and code) and JPA entity (`@Column(unique = true)`, `@UniqueConstraint`) of the types
 * here, and from `Attribute.ObjectType`. Where 2.42.0 differs: IndicatorGroup.name and ValidationRule.shortName were not
 * unique there, LegendSet.code was.
 */
import type { EmbeddedSpec, RefSpec, TypeSpec } from './types.ts';

const P = 'org.hisp.dhis.';
const one = (target: string): RefSpec => ({ target });
const many = (target: string): RefSpec => ({ target, collection: true });
const notOwner = (target: string): RefSpec => ({ target, collection: true, owner: false });

/** Properties every identifiable object has (IdentifiableObject / BaseIdentifiableObject mappings). */
export const IDENTIFIABLE: { unique: string[]; maxLengths: Record<string, number>; embedded: Record<string, EmbeddedSpec> } = {
  unique: ['code'],
  maxLengths: { code: 50, name: 230, shortName: 50, formName: 230, description: 2147483647 },
  embedded: {
    attributeValues: { collection: true, refs: { attribute: one('attributes') } },
    translations: { collection: true },
    sharing: {},
  },
};

/** Top-level keys of DHIS2 exports that are not metadata (ignored without a warning). */
export const ENVELOPE_KEYS: readonly string[] = ['system', 'date', 'package'];

/** DHIS2's default category model (well-known UIDs). */
export const DEFAULT_UIDS: Readonly<Record<string, string>> = {
  categoryOptions: 'xYerKDKCefk',
  categories: 'GLevLNI9wkl',
  categoryCombos: 'bjDvmb4bfuf',
  categoryOptionCombos: 'HllvX50cXC0',
};

const expression: EmbeddedSpec = {
  klass: P + 'expression.Expression',
  refs: {},
  required: ['expression'],
  maxLengths: { description: 255 },
};

const DIMENSIONAL = {
  refs: {
    legendSet: one('legendSets'),
    organisationUnits: many('organisationUnits'),
    dataElementGroupSetDimensions: { target: 'dataElementGroupSets', collection: true },
  },
};

const USER_SKIP = 'user accounts, roles and groups belong to the DHIS2 server; Ferry keeps no users offline';
const OAUTH2_CLIENT_SKIP = 'OAuth2 clients (client ids, secrets, redirect URIs) belong to the DHIS2 server\'s security configuration; Ferry keeps no login settings offline';

export const METADATA_TYPES: Readonly<Record<string, TypeSpec>> = {
  attributes: {
    plural: 'attributes', singular: 'attribute', klass: P + 'attribute.Attribute',
    refs: { optionSet: one('optionSets') }, required: ['name', 'valueType'], unique: ['name'],
  },
  users: { plural: 'users', singular: 'user', klass: P + 'user.User', importable: false, skipReason: USER_SKIP },
  userRoles: { plural: 'userRoles', singular: 'userRole', klass: P + 'user.UserRole', importable: false, skipReason: USER_SKIP },
  userGroups: { plural: 'userGroups', singular: 'userGroup', klass: P + 'user.UserGroup', importable: false, skipReason: USER_SKIP },
  categoryOptions: {
    plural: 'categoryOptions', singular: 'categoryOption', klass: P + 'category.CategoryOption',
    refs: { organisationUnits: many('organisationUnits') },
    inverse: {
      categories: { type: 'categories', property: 'categoryOptions' },
      categoryOptionCombos: { type: 'categoryOptionCombos', property: 'categoryOptions' },
      categoryOptionGroups: { type: 'categoryOptionGroups', property: 'categoryOptions' },
    },
    required: ['name', 'shortName'], unique: ['name', 'shortName'], attributeFlag: 'categoryOptionAttribute',
  },
  categories: {
    plural: 'categories', singular: 'category', klass: P + 'category.Category',
    refs: { categoryOptions: many('categoryOptions') },
    inverse: { categoryCombos: { type: 'categoryCombos', property: 'categories' } },
    required: ['name', 'shortName', 'dataDimensionType'], unique: ['name', 'shortName'], attributeFlag: 'categoryAttribute',
  },
  categoryCombos: {
    plural: 'categoryCombos', singular: 'categoryCombo', klass: P + 'category.CategoryCombo',
    refs: { categories: many('categories') },
    inverse: { categoryOptionCombos: { type: 'categoryOptionCombos', property: 'categoryCombo' } },
    required: ['name', 'dataDimensionType'], unique: ['name'],
  },
  categoryOptionCombos: {
    plural: 'categoryOptionCombos', singular: 'categoryOptionCombo', klass: P + 'category.CategoryOptionCombo',
    refs: { categoryCombo: one('categoryCombos'), categoryOptions: many('categoryOptions') }, attributeFlag: 'categoryOptionComboAttribute',
  },
  categoryOptionGroups: {
    plural: 'categoryOptionGroups', singular: 'categoryOptionGroup', klass: P + 'category.CategoryOptionGroup',
    refs: { categoryOptions: many('categoryOptions') },
    inverse: { groupSets: { type: 'categoryOptionGroupSets', property: 'categoryOptionGroups' } },
    required: ['name', 'shortName', 'dataDimensionType'], unique: ['name', 'shortName'], attributeFlag: 'categoryOptionGroupAttribute',
  },
  categoryOptionGroupSets: {
    plural: 'categoryOptionGroupSets', singular: 'categoryOptionGroupSet', klass: P + 'category.CategoryOptionGroupSet',
    refs: { categoryOptionGroups: many('categoryOptionGroups') },
    required: ['name', 'dataDimensionType'], unique: ['name', 'shortName'], attributeFlag: 'categoryOptionGroupSetAttribute',
  },
  optionSets: {
    plural: 'optionSets', singular: 'optionSet', klass: P + 'option.OptionSet',
    refs: { options: many('options') }, required: ['name', 'valueType'], unique: ['name'], attributeFlag: 'optionSetAttribute',
  },
  options: {
    plural: 'options', singular: 'option', klass: P + 'option.Option',
    refs: { optionSet: one('optionSets') }, required: ['name', 'code'], attributeFlag: 'optionAttribute', notUnique: ['code'],
  },
  optionGroups: {
    plural: 'optionGroups', singular: 'optionGroup', klass: P + 'option.OptionGroup',
    refs: { optionSet: one('optionSets'), options: many('options') }, required: ['name', 'shortName'], unique: ['name', 'shortName'],
  },
  optionGroupSets: {
    plural: 'optionGroupSets', singular: 'optionGroupSet', klass: P + 'option.OptionGroupSet',
    refs: { optionSet: one('optionSets'), optionGroups: many('optionGroups') }, required: ['name'], unique: ['name'],
  },
  legendSets: {
    plural: 'legendSets', singular: 'legendSet', klass: P + 'legend.LegendSet',
    embedded: { legends: { collection: true, klass: P + 'legend.Legend', required: ['startValue', 'endValue'] } },
    required: ['name'], unique: ['name'], notUnique: ['code'], attributeFlag: 'legendSetAttribute',
  },
  organisationUnits: {
    plural: 'organisationUnits', singular: 'organisationUnit', klass: P + 'organisationunit.OrganisationUnit',
    refs: { parent: one('organisationUnits') },
    inverse: {
      children: { type: 'organisationUnits', property: 'parent' },
      dataSets: { type: 'dataSets', property: 'organisationUnits' },
      organisationUnitGroups: { type: 'organisationUnitGroups', property: 'organisationUnits' },
      programs: { type: 'programs', property: 'organisationUnits' },
    },
    required: ['name', 'shortName', 'openingDate'], attributeFlag: 'organisationUnitAttribute',
  },
  organisationUnitLevels: {
    plural: 'organisationUnitLevels', singular: 'organisationUnitLevel', klass: P + 'organisationunit.OrganisationUnitLevel',
    required: ['name', 'level'], unique: ['level'],
  },
  organisationUnitGroups: {
    plural: 'organisationUnitGroups', singular: 'organisationUnitGroup', klass: P + 'organisationunit.OrganisationUnitGroup',
    refs: { organisationUnits: many('organisationUnits'), legendSets: many('legendSets') },
    inverse: { groupSets: { type: 'organisationUnitGroupSets', property: 'organisationUnitGroups' } },
    required: ['name', 'shortName'], unique: ['name', 'shortName'], attributeFlag: 'organisationUnitGroupAttribute',
  },
  organisationUnitGroupSets: {
    plural: 'organisationUnitGroupSets', singular: 'organisationUnitGroupSet', klass: P + 'organisationunit.OrganisationUnitGroupSet',
    refs: { organisationUnitGroups: many('organisationUnitGroups') },
    required: ['name', 'shortName'], unique: ['name', 'shortName'], attributeFlag: 'organisationUnitGroupSetAttribute',
  },
  dataElements: {
    plural: 'dataElements', singular: 'dataElement', klass: P + 'dataelement.DataElement',
    refs: {
      categoryCombo: one('categoryCombos'), optionSet: one('optionSets'), commentOptionSet: one('optionSets'),
      legendSets: many('legendSets'), dataElementGroups: notOwner('dataElementGroups'), dataSetElements: notOwner('dataSets'),
    },
    inverse: { dataElementGroups: { type: 'dataElementGroups', property: 'dataElements' } },
    required: ['name', 'shortName', 'valueType', 'domainType', 'aggregationType'], unique: ['name', 'shortName'],
    attributeFlag: 'dataElementAttribute',
  },
  dataElementGroups: {
    plural: 'dataElementGroups', singular: 'dataElementGroup', klass: P + 'dataelement.DataElementGroup',
    refs: { dataElements: many('dataElements') },
    inverse: { groupSets: { type: 'dataElementGroupSets', property: 'dataElementGroups' } },
    required: ['name', 'shortName'], unique: ['name', 'shortName'], attributeFlag: 'dataElementGroupAttribute',
  },
  dataElementGroupSets: {
    plural: 'dataElementGroupSets', singular: 'dataElementGroupSet', klass: P + 'dataelement.DataElementGroupSet',
    refs: { dataElementGroups: many('dataElementGroups') },
    required: ['name', 'shortName'], unique: ['name', 'shortName'], attributeFlag: 'dataElementGroupSetAttribute',
  },
  indicatorTypes: {
    plural: 'indicatorTypes', singular: 'indicatorType', klass: P + 'indicator.IndicatorType',
    required: ['name', 'factor'], unique: ['name'],
  },
  indicators: {
    plural: 'indicators', singular: 'indicator', klass: P + 'indicator.Indicator',
    refs: { indicatorType: one('indicatorTypes'), legendSets: many('legendSets'), indicatorGroups: notOwner('indicatorGroups') },
    inverse: { indicatorGroups: { type: 'indicatorGroups', property: 'indicators' } },
    required: ['name', 'shortName', 'numerator', 'denominator', 'indicatorType'],
    attributeFlag: 'indicatorAttribute',
  },
  indicatorGroups: {
    plural: 'indicatorGroups', singular: 'indicatorGroup', klass: P + 'indicator.IndicatorGroup',
    refs: { indicators: many('indicators') }, required: ['name'], unique: ['name'], attributeFlag: 'indicatorGroupAttribute',
  },
  indicatorGroupSets: {
    plural: 'indicatorGroupSets', singular: 'indicatorGroupSet', klass: P + 'indicator.IndicatorGroupSet',
    refs: { indicatorGroups: many('indicatorGroups') }, required: ['name'], unique: ['shortName'],
  },
  dataEntryForms: {
    plural: 'dataEntryForms', singular: 'dataEntryForm', klass: P + 'dataentryform.DataEntryForm', required: ['name'], unique: ['name'],
  },
  dataApprovalLevels: {
    plural: 'dataApprovalLevels', singular: 'dataApprovalLevel', klass: P + 'dataapproval.DataApprovalLevel',
    refs: { categoryOptionGroupSet: one('categoryOptionGroupSets') }, required: ['name', 'orgUnitLevel'], unique: ['name'],
    uniqueConstraints: [{ properties: ['orgUnitLevel', 'categoryOptionGroupSet'], name: 'dataapprovallevel_orgunitlevel_categoryoptiongroupset_unique_key' }],
  },
  dataApprovalWorkflows: {
    plural: 'dataApprovalWorkflows', singular: 'dataApprovalWorkflow', klass: P + 'dataapproval.DataApprovalWorkflow',
    refs: { categoryCombo: one('categoryCombos'), dataApprovalLevels: many('dataApprovalLevels') }, required: ['name', 'periodType'], unique: ['name'],
  },
  dataSets: {
    plural: 'dataSets', singular: 'dataSet', klass: P + 'dataset.DataSet',
    refs: {
      categoryCombo: one('categoryCombos'), organisationUnits: many('organisationUnits'), indicators: many('indicators'),
      legendSets: many('legendSets'), dataEntryForm: one('dataEntryForms'), workflow: one('dataApprovalWorkflows'),
      notificationRecipients: { target: 'userGroups' },
    },
    embedded: {
      dataSetElements: { collection: true, klass: P + 'dataset.DataSetElement', refs: { dataElement: one('dataElements'), categoryCombo: one('categoryCombos') } },
      compulsoryDataElementOperands: { collection: true, klass: P + 'dataelement.DataElementOperand', refs: { dataElement: one('dataElements'), categoryOptionCombo: one('categoryOptionCombos') } },
    },
    inverse: { sections: { type: 'sections', property: 'dataSet' } },
    required: ['name', 'periodType'], unique: ['shortName'], attributeFlag: 'dataSetAttribute',
  },
  sections: {
    plural: 'sections', singular: 'section', klass: P + 'dataset.Section',
    refs: { dataSet: one('dataSets'), dataElements: many('dataElements'), indicators: many('indicators') },
    embedded: {
      greyedFields: { collection: true, klass: P + 'dataelement.DataElementOperand', refs: { dataElement: one('dataElements'), categoryOptionCombo: one('categoryOptionCombos') } },
    },
    required: ['name', 'dataSet'], attributeFlag: 'sectionAttribute', uniqueConstraints: [{ properties: ['name', 'dataSet'], name: 'key_sectionnamedataset' }],
  },
  constants: { plural: 'constants', singular: 'constant', klass: P + 'constant.Constant', required: ['name', 'value'], unique: ['name', 'shortName'], attributeFlag: 'constantAttribute' },
  validationRules: {
    plural: 'validationRules', singular: 'validationRule', klass: P + 'validation.ValidationRule',
    refs: { legendSets: many('legendSets') },
    embedded: { leftSide: expression, rightSide: expression },
    inverse: { validationRuleGroups: { type: 'validationRuleGroups', property: 'validationRules' } },
    required: ['name', 'leftSide', 'rightSide', 'operator', 'periodType'], unique: ['name', 'shortName'], attributeFlag: 'validationRuleAttribute',
  },
  validationRuleGroups: {
    plural: 'validationRuleGroups', singular: 'validationRuleGroup', klass: P + 'validation.ValidationRuleGroup',
    refs: { validationRules: many('validationRules') }, required: ['name'], unique: ['name'], attributeFlag: 'validationRuleGroupAttribute',
  },
  validationNotificationTemplates: {
    plural: 'validationNotificationTemplates', singular: 'validationNotificationTemplate', klass: P + 'validation.notification.ValidationNotificationTemplate',
    refs: { validationRules: many('validationRules') }, required: ['name'],
  },
  predictors: {
    plural: 'predictors', singular: 'predictor', klass: P + 'predictor.Predictor',
    refs: { output: one('dataElements'), outputCombo: one('categoryOptionCombos'), organisationUnitLevels: many('organisationUnitLevels') },
    embedded: { generator: expression, sampleSkipTest: expression },
    inverse: { predictorGroups: { type: 'predictorGroups', property: 'predictors' } },
    required: ['name', 'output', 'generator', 'periodType'], unique: ['name', 'shortName'],
  },
  predictorGroups: {
    plural: 'predictorGroups', singular: 'predictorGroup', klass: P + 'predictor.PredictorGroup',
    refs: { predictors: many('predictors') }, required: ['name'], unique: ['name'],
  },
  trackedEntityTypes: {
    plural: 'trackedEntityTypes', singular: 'trackedEntityType', klass: P + 'trackedentity.TrackedEntityType',
    embedded: { trackedEntityTypeAttributes: { collection: true, refs: { trackedEntityAttribute: one('trackedEntityAttributes') } } },
    required: ['name'], unique: ['name', 'shortName'], attributeFlag: 'trackedEntityTypeAttribute',
  },
  trackedEntityAttributes: {
    plural: 'trackedEntityAttributes', singular: 'trackedEntityAttribute', klass: P + 'trackedentity.TrackedEntityAttribute',
    refs: { optionSet: one('optionSets'), legendSets: many('legendSets') },
    required: ['name', 'shortName', 'valueType', 'aggregationType'], unique: ['name', 'shortName'], attributeFlag: 'trackedEntityAttributeAttribute',
  },
  programs: {
    plural: 'programs', singular: 'program', klass: P + 'program.Program',
    refs: {
      categoryCombo: one('categoryCombos'), trackedEntityType: one('trackedEntityTypes'), organisationUnits: many('organisationUnits'),
      programStages: notOwner('programStages'), relatedProgram: one('programs'),
    },
    embedded: {
      programTrackedEntityAttributes: { collection: true, klass: P + 'program.ProgramTrackedEntityAttribute', refs: { trackedEntityAttribute: one('trackedEntityAttributes') } },
      programSections: { collection: true },
    },
    inverse: { programStages: { type: 'programStages', property: 'program' } },
    required: ['name', 'shortName', 'programType'], attributeFlag: 'programAttribute',
  },
  programStages: {
    plural: 'programStages', singular: 'programStage', klass: P + 'program.ProgramStage',
    refs: { program: one('programs'), programStageSections: many('programStageSections'), dataEntryForm: one('dataEntryForms') },
    embedded: {
      programStageDataElements: {
        collection: true, klass: P + 'program.ProgramStageDataElement', refs: { dataElement: one('dataElements') },
        defaults: { compulsory: false, allowProvidedElsewhere: false, displayInReports: false, allowFutureDate: false, skipSynchronization: false, skipAnalytics: false },
      },
    },
    orphanDelete: ['programStageSections'],
    required: ['name'], attributeFlag: 'programStageAttribute',
  },
  programStageSections: {
    plural: 'programStageSections', singular: 'programStageSection', klass: P + 'program.ProgramStageSection',
    refs: { programStage: one('programStages'), dataElements: many('dataElements'), programIndicators: many('programIndicators') },
    required: ['name'],
  },
  programStageDataElements: {
    plural: 'programStageDataElements', singular: 'programStageDataElement', klass: P + 'program.ProgramStageDataElement',
    refs: { programStage: one('programStages'), dataElement: one('dataElements') }, uniqueConstraints: [{ properties: ['programStage', 'dataElement'], name: 'programstagedataelement_unique_key' }],
  },
  programTrackedEntityAttributes: {
    plural: 'programTrackedEntityAttributes', singular: 'programTrackedEntityAttribute', klass: P + 'program.ProgramTrackedEntityAttribute',
    refs: { program: one('programs'), trackedEntityAttribute: one('trackedEntityAttributes') }, uniqueConstraints: [{ properties: ['program', 'trackedEntityAttribute'], name: 'programtrackedentityattribute_unique_key' }],
  },
  programSections: {
    plural: 'programSections', singular: 'programSection', klass: P + 'program.ProgramSection',
    refs: { program: one('programs'), trackedEntityAttributes: many('trackedEntityAttributes') }, required: ['name'],
  },
  programIndicators: {
    plural: 'programIndicators', singular: 'programIndicator', klass: P + 'program.ProgramIndicator',
    refs: { program: one('programs'), legendSets: many('legendSets') }, required: ['name', 'shortName', 'program'], unique: ['name', 'shortName'],
    attributeFlag: 'programIndicatorAttribute',
  },
  programIndicatorGroups: {
    plural: 'programIndicatorGroups', singular: 'programIndicatorGroup', klass: P + 'program.ProgramIndicatorGroup',
    refs: { programIndicators: many('programIndicators') }, required: ['name'], unique: ['name'],
  },
  programRuleVariables: {
    plural: 'programRuleVariables', singular: 'programRuleVariable', klass: P + 'programrule.ProgramRuleVariable',
    refs: { program: one('programs'), programStage: one('programStages'), dataElement: one('dataElements'), trackedEntityAttribute: one('trackedEntityAttributes') },
    required: ['name', 'program'], uniqueMultiProperties: [{ label: ['name', 'programuid'], properties: ['name', 'program'] }],
  },
  programRules: {
    plural: 'programRules', singular: 'programRule', klass: P + 'programrule.ProgramRule',
    refs: { program: one('programs'), programStage: one('programStages'), programRuleActions: many('programRuleActions') },
    required: ['name', 'program'],
  },
  programRuleActions: {
    plural: 'programRuleActions', singular: 'programRuleAction', klass: P + 'programrule.ProgramRuleAction',
    refs: {
      programRule: one('programRules'), dataElement: one('dataElements'), trackedEntityAttribute: one('trackedEntityAttributes'),
      programStage: one('programStages'), programStageSection: one('programStageSections'), option: one('options'), optionGroup: one('optionGroups'),
    },
  },
  programNotificationTemplates: {
    plural: 'programNotificationTemplates', singular: 'programNotificationTemplate', klass: P + 'program.notification.ProgramNotificationTemplate',
    required: ['name'],
  },
  programStageWorkingLists: {
    plural: 'programStageWorkingLists', singular: 'programStageWorkingList', klass: P + 'programstageworkinglist.ProgramStageWorkingList',
    refs: { program: one('programs'), programStage: one('programStages') }, required: ['name', 'program', 'programStage'],
  },
  relationshipTypes: {
    plural: 'relationshipTypes', singular: 'relationshipType', klass: P + 'relationship.RelationshipType', required: ['name'], unique: ['name'], attributeFlag: 'relationshipTypeAttribute',
  },
  sqlViews: { plural: 'sqlViews', singular: 'sqlView', klass: P + 'sqlview.SqlView', required: ['name', 'sqlQuery'], unique: ['name'], attributeFlag: 'sqlViewAttribute' },
  reports: { plural: 'reports', singular: 'report', klass: P + 'report.Report', required: ['name'] },
  documents: { plural: 'documents', singular: 'document', klass: P + 'document.Document', required: ['name', 'url'], attributeFlag: 'documentAttribute' },
  externalMapLayers: { plural: 'externalMapLayers', singular: 'externalMapLayer', klass: P + 'mapping.ExternalMapLayer', required: ['name'], unique: ['name'] },
  expressionDimensionItems: {
    plural: 'expressionDimensionItems', singular: 'expressionDimensionItem', klass: P + 'expressiondimensionitem.ExpressionDimensionItem',
    required: ['name', 'shortName'], attributeValues: true,
  },
  visualizations: {
    plural: 'visualizations', singular: 'visualization', klass: P + 'visualization.Visualization', refs: DIMENSIONAL.refs, required: ['name', 'type'], attributeFlag: 'visualizationAttribute',
    defaults: { fontSize: 'NORMAL', displayDensity: 'NORMAL' },
  },
  eventVisualizations: {
    plural: 'eventVisualizations', singular: 'eventVisualization', klass: P + 'eventvisualization.EventVisualization',
    refs: { program: one('programs'), programStage: one('programStages'), ...DIMENSIONAL.refs }, required: ['name'], attributeValues: true,
  },
  eventCharts: { plural: 'eventCharts', singular: 'eventChart', klass: P + 'eventchart.EventChart', refs: { program: one('programs') }, required: ['name'], attributeFlag: 'eventChartAttribute' },
  eventReports: { plural: 'eventReports', singular: 'eventReport', klass: P + 'eventreport.EventReport', refs: { program: one('programs') }, required: ['name'], attributeFlag: 'eventReportAttribute' },
  charts: { plural: 'charts', singular: 'chart', klass: P + 'chart.Chart', required: ['name'] },
  reportTables: { plural: 'reportTables', singular: 'reportTable', klass: P + 'reporttable.ReportTable', required: ['name'] },
  maps: {
    plural: 'maps', singular: 'map', klass: P + 'mapping.Map',
    embedded: { mapViews: { collection: true, klass: P + 'mapping.MapView', refs: { legendSet: one('legendSets'), program: one('programs'), programStage: one('programStages'), organisationUnitGroupSet: one('organisationUnitGroupSets') } } },
    required: ['name'], attributeFlag: 'mapAttribute',
  },
  mapViews: { plural: 'mapViews', singular: 'mapView', klass: P + 'mapping.MapView', embeddedIn: { type: 'maps', property: 'mapViews' } },
  dashboards: {
    plural: 'dashboards', singular: 'dashboard', klass: P + 'dashboard.Dashboard',
    embedded: {
      dashboardItems: {
        collection: true, klass: P + 'dashboard.DashboardItem',
        refs: { visualization: one('visualizations'), eventVisualization: one('eventVisualizations'), map: one('maps'), reports: many('reports'), resources: many('documents') },
      },
      layout: {},
    },
    required: ['name'],
  },
  aggregateDataExchanges: {
    plural: 'aggregateDataExchanges', singular: 'aggregateDataExchange', klass: P + 'dataexchange.aggregate.AggregateDataExchange',
    required: ['name', 'source', 'target'], unique: ['name'], attributeValues: true,
  },
  jobConfigurations: { plural: 'jobConfigurations', singular: 'jobConfiguration', klass: P + 'scheduling.JobConfiguration', required: ['name', 'jobType'], unique: ['name'] },
  analyticsTableHooks: { plural: 'analyticsTableHooks', singular: 'analyticsTableHook', klass: P + 'analytics.AnalyticsTableHook', required: ['name'], unique: ['name'] },
  oAuth2Authorizations: { plural: 'oAuth2Authorizations', singular: 'oAuth2Authorization', klass: P + 'security.oauth2.authorization.Dhis2OAuth2Authorization' },
  oAuth2AuthorizationConsents: {
    plural: 'oAuth2AuthorizationConsents', singular: 'oAuth2AuthorizationConsent', klass: P + 'security.oauth2.consent.Dhis2OAuth2AuthorizationConsent',
  },
  oAuth2Clients: { plural: 'oAuth2Clients', singular: 'oAuth2Client', klass: P + 'security.oauth2.client.Dhis2OAuth2Client', importable: false, skipReason: OAUTH2_CLIENT_SKIP },
  interpretations: { plural: 'interpretations', singular: 'interpretation', klass: P + 'interpretation.Interpretation', importable: false, skipReason: 'interpretations are user comments held on the DHIS2 server' },
};

/**
 * Import order (dependency sort, DHIS2's getSortedClasses for the types above): referenced types first.
 * Every key of METADATA_TYPES appears exactly once.
 */
export const IMPORT_ORDER: readonly string[] = [
  'attributes', 'users', 'userRoles', 'userGroups',
  'categoryOptions', 'categories', 'categoryCombos', 'categoryOptionCombos', 'categoryOptionGroups', 'categoryOptionGroupSets',
  'optionSets', 'options', 'optionGroups', 'optionGroupSets', 'legendSets',
  'organisationUnits', 'organisationUnitLevels', 'organisationUnitGroups', 'organisationUnitGroupSets',
  'dataElements', 'dataElementGroups', 'dataElementGroupSets',
  'indicatorTypes', 'indicators', 'indicatorGroups', 'indicatorGroupSets',
  'dataEntryForms', 'dataApprovalLevels', 'dataApprovalWorkflows', 'dataSets', 'sections', 'constants',
  'validationRules', 'validationRuleGroups', 'validationNotificationTemplates', 'predictors', 'predictorGroups',
  'trackedEntityTypes', 'trackedEntityAttributes', 'programs', 'programStages', 'programStageSections',
  'programStageDataElements', 'programTrackedEntityAttributes', 'programSections', 'programIndicators', 'programIndicatorGroups',
  'programRuleVariables', 'programRules', 'programRuleActions', 'programNotificationTemplates', 'programStageWorkingLists', 'relationshipTypes',
  'sqlViews', 'reports', 'documents', 'externalMapLayers', 'expressionDimensionItems', 'visualizations', 'eventVisualizations', 'eventCharts', 'eventReports',
  'charts', 'reportTables', 'maps', 'mapViews', 'dashboards', 'aggregateDataExchanges', 'jobConfigurations', 'analyticsTableHooks',
  'oAuth2Authorizations', 'oAuth2AuthorizationConsents', 'oAuth2Clients', 'interpretations',
];

/** singular (XML item element) → plural key */
export const PLURAL_BY_SINGULAR: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(METADATA_TYPES).map((t) => [t.singular, t.plural]),
);

/** Java simple class name (e.g. DataElement) of a type, as used in DHIS2 messages. */
export function simpleClassName(plural: string): string {
  const k = METADATA_TYPES[plural]?.klass ?? plural;
  return k.slice(k.lastIndexOf('.') + 1);
}
