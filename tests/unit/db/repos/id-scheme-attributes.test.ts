/**
 * The id scheme attributes (metadata:idSchemeAttributes): unique attributes only, with the classes each applies to,
 * so a screen offers an org unit attribute for the org unit id scheme and not a data element one (DHIS2's
 * import/export app's choices).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { MetadataRepo } from '../../../../src-main/db/repos/metadata.ts';
import { IdSchemeAttributesRepo, attributeClasses } from '../../../../src-main/db/repos/id-scheme-attributes.ts';
import { invoke } from '../../../../src-main/ipc/register.ts';
import { openFerry, type Ferry } from '../../../../src-main/services/context.ts';
import { tmpDir } from '../../../helpers/tmp.ts';
import type { IdSchemeAttribute } from '../../../../src-shared/api/contract.ts';

const ts = '2024-01-01T00:00:00.000';
const attributes = [
  { id: 'AttrOuUniq1', name: 'Facility register number', code: 'FRN', valueType: 'TEXT', unique: true, organisationUnitAttribute: true, created: ts, lastUpdated: ts },
  { id: 'AttrOuPlain', name: 'Old name', valueType: 'TEXT', unique: false, organisationUnitAttribute: true, created: ts, lastUpdated: ts },
  { id: 'AttrDeUniq1', name: 'DE national code', valueType: 'TEXT', unique: true, dataElementAttribute: true, created: ts, lastUpdated: ts },
  // 2.42 writes objectTypes too; an attribute given only that list still counts
  { id: 'AttrCocUniq', name: 'Combo key', valueType: 'TEXT', unique: true, objectTypes: ['CATEGORY_OPTION_COMBO', 'PROGRAM_STAGE'], created: ts, lastUpdated: ts },
];

let ferry: Ferry;
beforeAll(() => {
  ferry = openFerry({ dbPath: path.join(tmpDir(), 'ferry.sqlite'), mode: 'inline' });
  const repo = new MetadataRepo(ferry.db);
  ferry.db.transaction(() => {
    for (const a of attributes) repo.upsert('attributes', a);
    // an org unit is no attribute, even with a unique flag
    repo.upsert('organisationUnits', { id: 'OrgUnit0001', name: 'Bo', shortName: 'Bo', openingDate: ts, unique: true, created: ts, lastUpdated: ts });
  })();
});
afterAll(async () => ferry.close());

const forClass = (list: IdSchemeAttribute[], c: string): string[] => list.filter((a) => a.classes.includes(c)).map((a) => a.uid);

describe('id scheme attributes', () => {
  it('lists the unique attributes with their classes, by name', () => {
    expect(new IdSchemeAttributesRepo(ferry.db).list()).toEqual([
      { uid: 'AttrCocUniq', name: 'Combo key', classes: ['categoryOptionCombo', 'programStage'] },
      { uid: 'AttrDeUniq1', name: 'DE national code', classes: ['dataElement'] },
      { uid: 'AttrOuUniq1', name: 'Facility register number', code: 'FRN', classes: ['organisationUnit'] },
    ]);
  });

  it('answers on the channel: a unique org unit attribute for the org unit scheme, not a plain one nor a data element one', async () => {
    const r = (await invoke(ferry.handlers, 'metadata:idSchemeAttributes', {})) as { ok: true; value: IdSchemeAttribute[] };
    expect(r.ok).toBe(true);
    expect(forClass(r.value, 'organisationUnit')).toEqual(['AttrOuUniq1']);
    expect(forClass(r.value, 'dataElement')).toEqual(['AttrDeUniq1']);
    expect(forClass(r.value, 'categoryOptionCombo')).toEqual(['AttrCocUniq']);
    expect(r.value.map((a) => a.uid)).not.toContain('AttrOuPlain');
  });

  it('refuses a request with fields (the channel takes none)', async () => {
    const r = (await invoke(ferry.handlers, 'metadata:idSchemeAttributes', { type: 'x' })) as { ok: boolean };
    expect(r.ok).toBe(false);
  });

  it('reads both the class flags and objectTypes', () => {
    expect(attributeClasses({ dataSetAttribute: true, programAttribute: false, objectTypes: ['DATA_ELEMENT'], unique: true })).toEqual(['dataElement', 'dataSet']);
  });
});
