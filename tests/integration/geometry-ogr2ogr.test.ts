/**
 * GML and GeoJSON written by a real GIS tool: a small boundary file (a polygon with a hole, a MultiPolygon, a point)
 * converted by GDAL's ogr2ogr to GML 2, GML 3.1 (lat/lon axis order, exterior/interior, MultiSurface), GML 3.2 (GDAL's
 * default) and GeoJSON, each imported into a copy of the same database: every copy must store the same geometries.
 * Skipped with a message when ogr2ogr is absent (Debian: gdal-bin).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';

const HAS_OGR = spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' }).status === 0;
if (!HAS_OGR) console.warn('[geometry-ogr2ogr] ogr2ogr not found (Debian package gdal-bin): the GDAL interoperability test is skipped');

const SOURCE = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { uid: 'DistrictA01', code: 'DA', name: 'Alpha' },
      geometry: { type: 'Polygon', coordinates: [[[-12.1, 8.1], [-11.9, 8.1], [-11.9, 8.3], [-12.1, 8.1]], [[-12, 8.15], [-11.95, 8.15], [-11.95, 8.2], [-12, 8.15]]] },
    },
    {
      type: 'Feature',
      properties: { uid: 'DistrictB01', code: 'DB', name: 'Beta' },
      geometry: { type: 'MultiPolygon', coordinates: [[[[-11.1, 7.1], [-10.9, 7.1], [-10.9, 7.3], [-11.1, 7.1]]], [[[-10.5, 7.5], [-10.4, 7.5], [-10.4, 7.6], [-10.5, 7.5]]]] },
    },
    { type: 'Feature', properties: { uid: 'Facility001', code: 'F1', name: 'Gamma' }, geometry: { type: 'Point', coordinates: [-11.234567, 8.765432] } },
  ],
};

describe.skipIf(!HAS_OGR)('GML 2, GML 3 and GeoJSON from ogr2ogr give the same geometries', () => {
  let dir: string;
  let template: string;
  beforeAll(() => {
    dir = tmpDir('ferry-ogr-');
    template = path.join(dir, 'template.sqlite');
    const db = openDb(template);
    const repo = new MetadataRepo(db);
    db.transaction(() => {
      for (const f of SOURCE.features) repo.upsert('organisationUnits', { id: f.properties.uid, code: f.properties.code, name: f.properties.name, shortName: f.properties.name, openingDate: '1970-01-01' });
      repo.rebuildOrgUnitPaths();
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    fs.writeFileSync(path.join(dir, 'source.geojson'), JSON.stringify(SOURCE));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function convert(out: string, args: string[]): string {
    const file = path.join(dir, out);
    const r = spawnSync('ogr2ogr', [...args, file, path.join(dir, 'source.geojson')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return file;
  }

  async function importInto(file: string, extra: string[]): Promise<Record<string, unknown>> {
    const db = path.join(dir, `${path.basename(file)}.sqlite`);
    fs.copyFileSync(template, db);
    const r = await ferryCli(['--db', db, 'import', file, '--kind', 'geometry', ...extra, '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const d = openDb(db);
    try {
      const rows = d.prepare(`SELECT m.uid, o.geometry FROM org_unit o JOIN metadata_object m ON m.id = o.id ORDER BY m.uid`).all() as { uid: string; geometry: string | null }[];
      return Object.fromEntries(rows.map((x) => [x.uid, x.geometry ? JSON.parse(x.geometry) : null]));
    } finally {
      d.close();
    }
  }

  it('stores the source geometries from every conversion', async () => {
    const gml2 = convert('gml2.gml', ['-f', 'GML', '-dsco', 'FORMAT=GML2']);
    const gml3 = convert('gml3.gml', ['-f', 'GML', '-dsco', 'FORMAT=GML3']);
    const gml32 = convert('gml32.gml', ['-f', 'GML']);
    const geojson = convert('out.geojson', ['-f', 'GeoJSON']);
    // what the GML 3 files hold: EPSG:4326 as a URN (latitude first), exterior/interior rings, MultiSurface
    const g3 = fs.readFileSync(gml3, 'utf8');
    expect(g3).toContain('srsName="urn:ogc:def:crs:EPSG::4326"');
    expect(g3).toMatch(/<gml:posList>8\.1 -12\.1 /);
    expect(g3).toContain('<gml:interior>');
    expect(g3).toContain('<gml:MultiSurface');
    expect(fs.readFileSync(gml2, 'utf8')).toContain('<gml:coordinates>');

    const expected = Object.fromEntries(SOURCE.features.map((f) => [f.properties.uid, f.geometry]));
    const results = {
      'GML 2': await importInto(gml2, ['--format', 'gml']),
      'GML 3.1': await importInto(gml3, []),
      'GML 3.2': await importInto(gml32, []),
      GeoJSON: await importInto(geojson, ['--geo-json-id', 'false', '--geo-json-property', 'uid', '--org-unit-property', 'ID']),
    };
    for (const [name, stored] of Object.entries(results)) expect(stored, name).toEqual(expected);
  }, 60_000);
});
