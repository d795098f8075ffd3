/**
 * The geometry import's attribute codes through import:start: a GEOJSON attribute that is not an organisation unit
 * attribute is E7704 (DHIS2's GeoJsonImportConflict.ATTRIBUTE_NOT_USABLE, answered before the file is read: "Import
 * failed.", the conflict without indexes), and nothing is written — not the attribute value, not the geometry.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { GeometryImportSummary } from '../../src-shared/dhis2/geometry.ts';
import { tmpDir } from '../helpers/tmp.ts';

let dir: string;
let ferry: Ferry;

beforeEach(() => {
  dir = tmpDir('ferry-geometry-codes-');
  ferry = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  const repo = new MetadataRepo(ferry.db);
  ferry.db.transaction(() => {
    // a GEOJSON attribute of category options only, and one of org units
    repo.upsert('attributes', { id: 'GeoCatOpt01', name: 'Catchment (category options)', valueType: 'GEOJSON', categoryOptionAttribute: true });
    repo.upsert('attributes', { id: 'GeoOrgUnit1', name: 'Catchment', valueType: 'GEOJSON', organisationUnitAttribute: true });
    repo.upsert('organisationUnits', { id: 'Country0001', name: 'Sierra Leone', shortName: 'SL', openingDate: '1970-01-01' });
    repo.upsert('organisationUnits', { id: 'BoDistrict1', name: 'Bo', shortName: 'Bo', openingDate: '1970-01-01', parent: { id: 'Country0001' } });
    repo.rebuildOrgUnitPaths();
  })();
});
afterEach(async () => {
  await ferry.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const FEATURES = {
  type: 'FeatureCollection',
  features: [{ type: 'Feature', id: 'BoDistrict1', geometry: { type: 'Polygon', coordinates: [[[-12, 7.5], [-11.5, 7.5], [-11.5, 8], [-12, 8], [-12, 7.5]]] } }],
};

async function importGeometry(options: Record<string, unknown>): Promise<JobRecord> {
  const file = path.join(dir, 'districts.geojson');
  fs.writeFileSync(file, JSON.stringify(FEATURES));
  const r = await invoke(ferry.handlers, 'import:start', { files: [file], kind: 'geometry', options });
  if (!r.ok) throw new Error(r.error.message);
  return ferry.jobs.wait((r.value as { jobId: number }).jobId);
}

/** what the import may write: org unit geometries and the metadata objects (attribute values live in their JSON) */
const digest = (): string =>
  JSON.stringify([ferry.db.prepare(`SELECT id, geometry FROM org_unit ORDER BY id`).all(), ferry.db.prepare(`SELECT * FROM metadata_object ORDER BY id`).all()]);

describe('geometry import codes', () => {
  it('E7704: GeoJSON attribute is not applicable to organisation units — import failed, nothing written', async () => {
    const before = digest();
    const j = await importGeometry({ attributeId: 'GeoCatOpt01' });
    const s = j.summary as GeometryImportSummary;
    expect(s.status).toBe('ERROR');
    expect(s.description).toBe('Import failed.');
    expect(s.conflicts.map((c) => [c.errorCode, c.value, c.indexes ?? []])).toEqual([['E7704', 'GeoJSON attribute is not applicable to organisation units', []]]);
    expect(s.importCount).toEqual({ imported: 0, updated: 0, ignored: 0, deleted: 0 });
    expect(digest()).toBe(before);

    // the same file with an org unit attribute is stored as its value: the refusal above came from the attribute
    const ok = await importGeometry({ attributeId: 'GeoOrgUnit1' });
    const o = ok.summary as GeometryImportSummary;
    expect([o.status, o.conflicts]).toEqual(['SUCCESS', []]);
    expect(o.importCount).toEqual({ imported: 1, updated: 0, ignored: 0, deleted: 0 });
    expect(digest()).not.toBe(before);
  });
});
