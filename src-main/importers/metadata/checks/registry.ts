/**
 * The metadata validation chain: DHIS2's checks in the order Ferry runs them (dhis2-core's
 * validatorsByImportStrategy; spec §2.4). Adding a check is one file in this folder plus one entry here; each check
 * says which import strategies it runs for and whether fixtures (lenient) skip it.
 */
import type { Bundle } from '../bundle.ts';
import type { MetadataCheck } from './check.ts';
import { categoryOptionCombosCheck } from './category-option-combos-check.ts';
import { creationCheck } from './creation-check.ts';
import { dashboardCheck } from './dashboard-check.ts';
import { deletionCheck } from './deletion-check.ts';
import { duplicateIdsCheck } from './duplicate-ids-check.ts';
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

export const METADATA_CHECKS: readonly MetadataCheck[] = [
  duplicateIdsCheck,
  creationCheck,
  updateCheck,
  deletionCheck,
  schemaCheck,
  uniquenessCheck,
  uniqueMultiPropertiesCheck,
  mandatoryAttributesCheck,
  uniqueAttributesCheck, // removes the objects with errors of either attribute check: keep it right after the mandatory one
  referencesCheck,
  geoJsonAttributesCheck,
  metadataAttributeCheck,
  uidFormatCheck,
  categoryOptionCombosCheck,
  dashboardCheck,
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
