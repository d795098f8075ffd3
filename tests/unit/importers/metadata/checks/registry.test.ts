import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { METADATA_CHECKS, checksFor } from '../../../../../src-main/importers/metadata/checks/registry.ts';

const names = (l: readonly { name: string }[]): string[] => l.map((c) => c.name);
/** the object bundle hooks (DHIS2's ValidationHooksCheck, second in the chain), one check per family in import order */
const HOOKS = [
  'CategoryOptionCombosCheck', 'OptionsCheck', 'OrgUnitsCheck', 'DataElementsCheck', 'DataSetsCheck', 'TrackedEntitiesCheck', 'ProgramsCheck',
  'RenderTypesCheck', 'ProgramRulesCheck', 'ProgramStageWorkingListsCheck', 'DocumentsCheck', 'ExpressionDimensionItemsCheck', 'AggregateDataExchangesCheck',
  'JobConfigurationsCheck', 'AnalyticsTableHooksCheck', 'OAuthRuntimeStateCheck',
];

describe('metadata check registry', () => {
  it('runs DHIS2 checks in Ferry order for each strategy; fixtures (lenient) skip the strict ones', () => {
    expect(names(checksFor({ importStrategy: 'CREATE_AND_UPDATE' }))).toEqual([
      'DuplicateIdsCheck', ...HOOKS, 'SchemaCheck', 'UniquenessCheck', 'UniqueMultiPropertiesCheck', 'MandatoryAttributesCheck', 'UniqueAttributesCheck',
      'ReferencesCheck', 'TranslationsCheck', 'GeoJsonAttributesCheck', 'MetadataAttributeCheck', 'UidFormatCheck', 'DashboardCheck', 'ValidationHooksCheck',
      'UniqueConstraintsCheck',
    ]);
    const n = HOOKS.length + 1;
    expect(names(checksFor({ importStrategy: 'CREATE' })).slice(n, n + 2)).toEqual(['CreationCheck', 'SchemaCheck']);
    const update = names(checksFor({ importStrategy: 'UPDATE' }));
    expect(update.slice(n, n + 2)).toEqual(['UpdateCheck', 'SchemaCheck']);
    expect(update).not.toContain('UidFormatCheck');
    expect(names(checksFor({ importStrategy: 'DELETE' }))).toEqual(['OAuthRuntimeStateCheck', 'DeletionCheck']);
    expect(names(checksFor({ importStrategy: 'CREATE_AND_UPDATE', lenient: true }))).toEqual(['DuplicateIdsCheck', 'OAuthRuntimeStateCheck', 'ReferencesCheck']);
  });

  it('every check module of the folder is registered once, and named after its file', () => {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../src-main/importers/metadata/checks');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('-check.ts')).sort();
    const kebab = (n: string): string => n.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
    expect(METADATA_CHECKS.map((c) => `${kebab(c.name)}.ts`).sort()).toEqual(files);
  });
});
