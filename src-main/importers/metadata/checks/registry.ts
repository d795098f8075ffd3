/**
 * The metadata validation chain: DHIS2's checks in the order Ferry runs them (dhis2-core's
 * validatorsByImportStrategy; spec §2.4). Adding a check is one file in this folder plus one entry here; each check
 * says which import strategies it runs for and whether fixtures (lenient) skip it.
 */
import type { Bundle } from '../bundle.ts';
import type { MetadataCheck } from './check.ts';
import { aggregateDataExchangesCheck } from './aggregate-data-exchanges-check.ts';
import { jobConfigurationsCheck } from './job-configurations-check.ts';
import { analyticsTableHooksCheck } from './analytics-table-hooks-check.ts';
import { categoryOptionCombosCheck } from './category-option-combos-check.ts';
import { dataElementsCheck } from './data-elements-check.ts';
import { dataSetsCheck } from './data-sets-check.ts';
import { documentsCheck } from './documents-check.ts';
import { optionsCheck } from './options-check.ts';
import { orgUnitsCheck } from './org-units-check.ts';
import { programRulesCheck } from './program-rules-check.ts';
import { programsCheck } from './programs-check.ts';
import { renderTypesCheck } from './render-types-check.ts';
import { trackedEntitiesCheck } from './tracked-entities-check.ts';
import { creationCheck } from './creation-check.ts';
import { dashboardCheck } from './dashboard-check.ts';
import { deletionCheck } from './deletion-check.ts';
import { duplicateIdsCheck } from './duplicate-ids-check.ts';
import { validationHooksCheck } from './validation-hooks-check.ts';
import { mandatoryAttributesCheck } from './mandatory-attributes-check.ts';
import { referencesCheck } from './references-check.ts';
import { schemaCheck } from './schema-check.ts';
import { uidFormatCheck } from './uid-format-check.ts';
import { uniqueAttributesCheck } from './unique-attributes-check.ts';
import { uniquenessCheck } from './uniqueness-check.ts';
import { updateCheck } from './update-check.ts';
import { uniqueMultiPropertiesCheck } from './unique-multi-properties-check.ts';
import { geoJsonAttributesCheck } from './geo-json-attributes-check.ts';
import { metadataAttributeCheck } from './metadata-attribute-check.ts';
import { uniqueConstraintsCheck } from './unique-constraints-check.ts';
import { translationsCheck } from './translations-check.ts';
import { programStageWorkingListsCheck } from './program-stage-working-lists-check.ts';
import { expressionDimensionItemsCheck } from './expression-dimension-items-check.ts';
import { oauthRuntimeStateCheck } from './oauth-runtime-state-check.ts';

export const METADATA_CHECKS: readonly MetadataCheck[] = [
  duplicateIdsCheck,
  // ValidationHooksCheck: the object bundle hooks' validate, one check per family in import order (they mark objects;
  // validationHooksCheck, last, removes them)
  categoryOptionCombosCheck,
  optionsCheck,
  orgUnitsCheck,
  dataElementsCheck,
  dataSetsCheck,
  trackedEntitiesCheck,
  programsCheck,
  renderTypesCheck,
  programRulesCheck,
  programStageWorkingListsCheck,
  documentsCheck,
  expressionDimensionItemsCheck,
  aggregateDataExchangesCheck,
  jobConfigurationsCheck,
  analyticsTableHooksCheck,
  oauthRuntimeStateCheck, // also first in DHIS2's DELETE chain (OAuth2RuntimeStateCheck)
  creationCheck,
  updateCheck,
  deletionCheck,
  schemaCheck,
  uniquenessCheck,
  uniqueMultiPropertiesCheck,
  mandatoryAttributesCheck,
  uniqueAttributesCheck, // removes the objects with errors of either attribute check: keep it right after the mandatory one
  referencesCheck,
  translationsCheck,
  geoJsonAttributesCheck,
  metadataAttributeCheck,
  uidFormatCheck,
  dashboardCheck,
  validationHooksCheck, // DHIS2 removes the objects the hooks marked once the whole chain has run
  uniqueConstraintsCheck, // last: the database's constraints on the objects every check kept
];

/** The checks that run for this import: its strategy's, less those fixtures skip. */
export function checksFor(opts: { importStrategy: string; lenient?: boolean }): MetadataCheck[] {
  return METADATA_CHECKS.filter((c) => (c.strategies as readonly string[]).includes(opts.importStrategy) && (!opts.lenient || c.lenient));
}

/** Runs the chain over the bundle. */
export function runChecks(b: Bundle): void {
  for (const c of checksFor(b.opts)) c.run(b);
}
