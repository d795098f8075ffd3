import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { METADATA_CHECKS, checksFor } from '../../../../../src-main/importers/metadata/checks/registry.ts';

const names = (l: readonly { name: string }[]): string[] => l.map((c) => c.name);

describe('metadata check registry', () => {
  it('runs DHIS2 checks in Ferry order for each strategy; fixtures (lenient) skip the strict ones', () => {
    expect(names(checksFor({ importStrategy: 'CREATE_AND_UPDATE' }))).toEqual([
      'DuplicateIdsCheck', 'SchemaCheck', 'UniquenessCheck', 'UniqueMultiPropertiesCheck', 'MandatoryAttributesCheck', 'UniqueAttributesCheck',
      'ReferencesCheck', 'GeoJsonAttributesCheck', 'MetadataAttributeCheck', 'UidFormatCheck', 'CategoryOptionCombosCheck', 'DashboardCheck',
      'UniqueConstraintsCheck',
    ]);
    expect(names(checksFor({ importStrategy: 'CREATE' })).slice(0, 3)).toEqual(['DuplicateIdsCheck', 'CreationCheck', 'SchemaCheck']);
    const update = names(checksFor({ importStrategy: 'UPDATE' }));
    expect(update.slice(0, 3)).toEqual(['DuplicateIdsCheck', 'UpdateCheck', 'SchemaCheck']);
    expect(update).not.toContain('UidFormatCheck');
    expect(names(checksFor({ importStrategy: 'DELETE' }))).toEqual(['DeletionCheck']);
    expect(names(checksFor({ importStrategy: 'CREATE_AND_UPDATE', lenient: true }))).toEqual(['DuplicateIdsCheck', 'ReferencesCheck']);
  });

  it('every check module of the folder is registered once, and named after its file', () => {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../src-main/importers/metadata/checks');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('-check.ts')).sort();
    const kebab = (n: string): string => n.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
    expect(METADATA_CHECKS.map((c) => `${kebab(c.name)}.ts`).sort()).toEqual(files);
  });
});
