/**
 * The geometry import end to end: through the CLI (kind detected from .geojson/.gml files, the GeoJSON and GML
 * options, --json) and import:start, against a small hierarchy. Only existing org units change; unmatched features are
 * listed; a dry run changes nothing and carries the map preview; the GEOJSON attribute option checks its attribute;
 * a 200 MB file streams in bounded memory.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb, type Db } from '../../src-main/db/open.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import type { GeometryImportReport, GeometryImportSummary } from '../../src-shared/dhis2/geometry.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { runChild } from '../../scripts/bench/measure.ts';
import { compactSummary } from '../../src-main/db/repos/jobs.ts';
import { withDbAt } from '../helpers/db.ts';

let dir: string;
let dbPath: string;

const OUS = [
  { id: 'Country0001', name: 'Sierra Leone', shortName: 'SL', openingDate: '1970-01-01', geometry: { type: 'Polygon', coordinates: [[[-13.5, 6.9], [-10.2, 6.9], [-10.2, 10], [-13.5, 10], [-13.5, 6.9]]] } },
  { id: 'BoDistrict1', name: 'Bo', code: 'BO', shortName: 'Bo', openingDate: '1970-01-01', parent: { id: 'Country0001' } },
  { id: 'Kenema00001', name: 'Kenema', code: 'KEN', shortName: 'Kenema', openingDate: '1970-01-01', parent: { id: 'Country0001' }, geometry: { type: 'Point', coordinates: [-11.19, 7.88] } },
  { id: 'Twin0000001', name: 'Twin', code: 'TW1', shortName: 'Twin 1', openingDate: '1970-01-01', parent: { id: 'Country0001' } },
  { id: 'Twin0000002', name: 'Twin', code: 'TW2', shortName: 'Twin 2', openingDate: '1970-01-01', parent: { id: 'Country0001' } },
];
const ATTRIBUTES = [
  { id: 'GeoAttr0001', name: 'Catchment', valueType: 'GEOJSON', organisationUnitAttribute: true },
  { id: 'TextAttr001', name: 'Note', valueType: 'TEXT', organisationUnitAttribute: true },
];

beforeEach(() => {
  dir = tmpDir('ferry-geometry-');
  dbPath = path.join(dir, 'site.sqlite');
  const db = openDb(dbPath);
  const repo = new MetadataRepo(db);
  db.transaction(() => {
    for (const a of ATTRIBUTES) repo.upsert('attributes', a);
    for (const o of OUS) repo.upsert('organisationUnits', o);
    repo.rebuildOrgUnitPaths();
  })();
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const withDb = <T>(fn: (db: Db) => T): T => withDbAt(dbPath, fn);
const geometryOf = (uid: string): unknown =>
  withDb((db) => {
    const g = db.prepare(`SELECT o.geometry FROM org_unit o JOIN metadata_object m ON m.id = o.id WHERE m.uid = ?`).pluck().get(uid) as string | null;
    return g ? JSON.parse(g) : null;
  });
const jsonOf = (uid: string): Record<string, unknown> => withDb((db) => JSON.parse(db.prepare(`SELECT json FROM metadata_object WHERE uid = ?`).pluck().get(uid) as string) as Record<string, unknown>);
/** Every table but the job history, as rows. */
const digest = (): string =>
  withDb((db) => {
    const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'job%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    return JSON.stringify(names.map((n) => db.prepare(`SELECT * FROM "${n}"`).all()));
  });
const lastJobKind = (): string => withDb((db) => db.prepare(`SELECT kind FROM job ORDER BY id DESC LIMIT 1`).pluck().get() as string);
function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const BO_POLY = { type: 'Polygon', coordinates: [[[-12, 7.5], [-11.5, 7.5], [-11.5, 8.2], [-12, 8.2], [-12, 7.5]]] };
const FEATURES = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', id: 'BoDistrict1', properties: { code: 'BO', name: 'Bo' }, geometry: BO_POLY },
    { type: 'Feature', id: 'Kenema00001', properties: { code: 'KEN', name: 'Kenema' }, geometry: { type: 'Point', coordinates: [-11.1901, 7.8765, 120] } },
    { type: 'Feature', id: 'Nowhere0001', properties: { code: 'NOW', name: 'Nowhere' }, geometry: { type: 'Point', coordinates: [-12, 8] } },
    { type: 'Feature', id: 'Twin0000001', properties: { code: 'TW1', name: 'Twin' }, geometry: { type: 'Point', coordinates: [-12.1, 8.1] } },
    { type: 'Feature', properties: { name: 'No id' }, geometry: { type: 'Point', coordinates: [-12, 8] } },
  ],
};

describe('GeoJSON through the CLI', () => {
  it('detects the kind from a .geojson file, updates only existing org units, lists the others with E77xx per feature index', async () => {
    const file = write('districts.geojson', JSON.stringify(FEATURES, null, 1));
    const r = await ferryCli(['--db', dbPath, 'import', file, '--json']);
    const s = r.json<GeometryImportSummary>();
    expect(lastJobKind()).toBe('geometry');
    expect(s.status).toBe('WARNING');
    expect(s.description).toBe('Import partially successful.');
    expect(s.importCount).toEqual({ imported: 2, updated: 1, ignored: 2, deleted: 0 });
    expect(s.totalConflictOccurrenceCount).toBe(2);
    expect(s.conflicts.map((c) => [c.errorCode, c.value, c.indexes])).toEqual([
      ['E7708', 'GeoJSON target organisation unit does not exist', [2]],
      ['E7705', 'GeoJSON feature lacks identifier property: `id`', [4]],
    ]);
    expect(r.code).toBe(0);
    expect(geometryOf('BoDistrict1')).toEqual(BO_POLY);
    // x and y only, as DHIS2 keeps them; the stored JSON (what exports read) agrees
    expect(geometryOf('Kenema00001')).toEqual({ type: 'Point', coordinates: [-11.1901, 7.8765] });
    expect(jsonOf('Kenema00001').geometry).toEqual({ type: 'Point', coordinates: [-11.1901, 7.8765] });
    expect(withDb((db) => db.prepare(`SELECT count(*) FROM metadata_object WHERE type = 'organisationUnits'`).pluck().get())).toBe(5);
    expect(s.preview).toBeUndefined();
  });

  it('matches a property by CODE or NAME (a shared name is E7711); a dry run changes nothing and carries the preview', async () => {
    const file = write('districts.geojson', JSON.stringify(FEATURES));
    const before = digest();
    const r = await ferryCli(['--db', dbPath, 'import', file, '--kind', 'geometry', '--format', 'geojson', '--geo-json-id', 'false', '--geo-json-property', 'name', '--org-unit-property', 'NAME', '--dry-run', '--json']);
    const s = r.json<GeometryImportSummary>();
    expect(s.importCount).toEqual({ imported: 1, updated: 1, ignored: 3, deleted: 0 });
    expect(s.conflicts.map((c) => [c.errorCode, c.indexes])).toEqual([
      ['E7708', [2, 4]],
      ['E7711', [3]],
    ]);
    expect(s.dryRun).toBe(true);
    expect(digest()).toBe(before);
    const p = s.preview!;
    expect(p.changes.map((c) => [c.uid, c.name, c.current?.type ?? null, c.next?.type, c.parent])).toEqual([
      ['BoDistrict1', 'Bo', null, 'Polygon', 'Country0001'],
      ['Kenema00001', 'Kenema', 'Point', 'Point', 'Country0001'],
    ]);
    expect(p.unmatched.map((u) => [u.index, u.identifier, u.errorCode, u.label ?? null])).toEqual([
      [2, 'Nowhere', 'E7708', null],
      [3, 'Twin', 'E7711', null],
      [4, 'No id', 'E7708', null],
    ]);
    expect(p.parents.map((x) => x.uid)).toEqual(['Country0001']);
    expect(p.bbox).toEqual([-13.5, 6.9, -10.2, 10]);
    // the job history keeps an old job's summary without the preview
    const old = compactSummary(s) as GeometryImportSummary;
    expect(old.preview).toBeUndefined();
    expect(old.importCount).toEqual(s.importCount);

    const byCode = await ferryCli(['--db', dbPath, 'import', file, '--geo-json-id', 'false', '--geo-json-property', 'code', '--org-unit-property', 'code', '--json']);
    expect((byCode.json<GeometryImportSummary>()).importCount).toEqual({ imported: 2, updated: 1, ignored: 2, deleted: 0 });
    expect(geometryOf('Twin0000001')).toEqual({ type: 'Point', coordinates: [-12.1, 8.1] });
  });

  it('with --attribute-id stores the GeoJSON as a GEOJSON attribute value (the geometry stays), and refuses other attributes', async () => {
    const file = write('districts.geojson', JSON.stringify(FEATURES));
    const r = await ferryCli(['--db', dbPath, 'import', file, '--attribute-id', 'GeoAttr0001', '--json']);
    const s = r.json<GeometryImportSummary>();
    expect(s.importCount).toEqual({ imported: 3, updated: 0, ignored: 2, deleted: 0 });
    expect(geometryOf('BoDistrict1')).toBeNull();
    expect(geometryOf('Kenema00001')).toEqual({ type: 'Point', coordinates: [-11.19, 7.88] });
    const av = (jsonOf('BoDistrict1').attributeValues as { attribute: { id: string }; value: string }[]).find((a) => a.attribute.id === 'GeoAttr0001');
    expect(JSON.parse(av!.value)).toEqual(BO_POLY);

    const before = digest();
    for (const [attr, code, value] of [
      ['TextAttr001', 'E7703', 'GeoJSON attribute is not of type GEOJSON but: TEXT'],
      ['Missing0001', 'E7702', 'GeoJSON attribute does not exist: Missing0001'],
    ] as const) {
      const bad = await ferryCli(['--db', dbPath, 'import', file, '--attribute-id', attr, '--json']);
      const b = bad.json<GeometryImportSummary>();
      expect(b.status).toBe('ERROR');
      expect(b.description).toBe('Import failed.');
      expect(b.conflicts.map((c) => [c.errorCode, c.value])).toEqual([[code, value]]);
      expect(bad.code).toBe(1);
    }
    expect(digest()).toBe(before);
  });

  it('a null geometry removes the org unit geometry (deleted); a missing one is E7706, empty coordinates E7712, an unclosed ring E7707 with its reason', async () => {
    const file = write('edge.geojson', JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'Kenema00001', geometry: null },
        { type: 'Feature', id: 'BoDistrict1' },
        { type: 'Feature', id: 'Twin0000001', geometry: { type: 'Polygon', coordinates: [] } },
        { type: 'Feature', id: 'Twin0000002', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] } },
        { type: 'Feature', id: 'Country0001', geometry: { type: 'Point', coordinates: [500000, 900000] } },
      ],
    }));
    const s = (await ferryCli(['--db', dbPath, 'import', file, '--json'])).json<GeometryImportSummary>();
    expect(s.importCount).toEqual({ imported: 0, updated: 0, ignored: 4, deleted: 1 });
    expect(s.status).toBe('ERROR');
    expect(s.conflicts.map((c) => [c.errorCode, c.value, c.indexes, c.reasons ?? null])).toEqual([
      ['E7706', 'GeoJSON feature lacks geometry property', [1], null],
      ['E7712', 'GeoJSON geometry coordinates must be non empty but was: `[]`', [2], null],
      ['E7707', 'GeoJSON geometry is not valid', [3, 4], ['ring 1 of the polygon is not closed (its first position is not its last)', 'the position [500000, 900000] is outside longitude −180…180 / latitude −90…90 (swapped axes or projected coordinates?)']],
    ]);
    expect(geometryOf('Kenema00001')).toBeNull();
    expect(jsonOf('Kenema00001').geometry).toBeUndefined();
    expect(geometryOf('Country0001')).toEqual(OUS[0]!.geometry);
  });

  it('a feature of more than 500,000 points is an E7707 conflict with the reason; the other features are imported', async () => {
    const ring: number[][] = [];
    for (let i = 0; i < 600_000; i++) ring.push([-12 + (i % 1000) / 10000, 8 + Math.floor(i / 1000) / 10000]);
    ring.push(ring[0]!);
    const file = write('huge.geojson', JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'BoDistrict1', properties: { name: 'Bo' }, geometry: { type: 'Polygon', coordinates: [ring] } },
        { type: 'Feature', id: 'Kenema00001', geometry: { type: 'Point', coordinates: [-11, 8] } },
      ],
    }));
    const s = (await ferryCli(['--db', dbPath, 'import', file, '--dry-run', '--json'])).json<GeometryImportSummary>();
    expect(s.importCount).toEqual({ imported: 0, updated: 1, ignored: 1, deleted: 0 });
    expect(s.conflicts.map((c) => [c.errorCode, c.indexes, c.reasons])).toEqual([['E7707', [0], ["more than 500,000 points in one feature (Ferry's limit)"]]]);
    expect(s.preview!.unmatched.map((u) => [u.identifier, u.label, u.reason])).toEqual([['BoDistrict1', 'Bo', "more than 500,000 points in one feature (Ferry's limit)"]]);
  }, 60_000);

  it('refuses --geo-json-id false without a property, and a format that is not geometry', async () => {
    const file = write('districts.geojson', JSON.stringify(FEATURES));
    const r = await ferryCli(['--db', dbPath, 'import', file, '--geo-json-id', 'false']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('geoJsonProperty: with geoJsonId false, geoJsonProperty names the feature property');
    const f = await ferryCli(['--db', dbPath, 'import', file, '--kind', 'geometry', '--format', 'csv']);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain("'csv' is not a format for a GML/GeoJSON geometry file");
  });
});

describe('GML through the CLI and import:start', () => {
  const gml = (members: string): string =>
    `<?xml version="1.0"?><ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">${members}</ogr:FeatureCollection>`;
  const m = (id: string, geom: string): string => `<gml:featureMember><ogr:f><ogr:g>${geom}</ogr:g>${id}</ogr:f></gml:featureMember>`;
  const DOC = gml(
    m('<ogr:code>BO</ogr:code>', '<gml:Polygon><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>-12.00001,7.5 -11.5,7.5 -11.5,8.2 -12.00001,7.5</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>') +
      m('<ogr:Name>Kenema</ogr:Name>', '<gml:Point><gml:coordinates>-11.12345678,7.9</gml:coordinates></gml:Point>') +
      m('<ogr:uid>Nowhere0001</ogr:uid>', '<gml:Point><gml:coordinates>1,2</gml:coordinates></gml:Point>'),
  );

  it('atomicMode ALL (DHIS2 default): one unmatched feature fails the file, nothing kept, E5001 listed', async () => {
    const file = write('districts.gml', DOC);
    const before = digest();
    const r = await ferryCli(['--db', dbPath, 'import', file, '--json']);
    const s = r.json<GeometryImportReport>();
    expect(lastJobKind()).toBe('geometry');
    expect(s.responseType).toBe('ImportReport');
    expect(s.status).toBe('ERROR');
    expect(s.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 3, total: 3 });
    expect(s.typeReports[0]!.objectReports.map((o) => [o.index, o.errorReports[0]!.errorCode, o.errorReports[0]!.message])).toEqual([
      [2, 'E5001', 'No matching object for reference. Identifier was UID, and object was [Nowhere0001] (OrganisationUnit).'],
    ]);
    expect(r.code).toBe(1);
    expect(digest()).toBe(before);
  });

  it('atomicMode NONE through import:start (worker job): matched features updated with DHIS2 rounding', async () => {
    const file = write('districts.gml', DOC);
    const ferry = openFerry({ dbPath, mode: 'worker' });
    try {
      const r = await invoke(ferry.handlers, 'import:start', { files: [file], options: { atomicMode: 'NONE' } });
      expect(r.ok).toBe(true);
      const job = await ferry.jobs.wait((r as { value: { jobId: number } }).value.jobId);
      const s = job.summary as GeometryImportReport;
      expect(s.status).toBe('WARNING');
      expect(s.stats).toEqual({ created: 0, updated: 2, deleted: 0, ignored: 1, total: 3 });
    } finally {
      await ferry.close();
    }
    expect(geometryOf('BoDistrict1')).toEqual({ type: 'Polygon', coordinates: [[[-12, 7.5], [-11.5, 7.5], [-11.5, 8.2], [-12, 7.5]]] });
    expect(geometryOf('Kenema00001')).toEqual({ type: 'Point', coordinates: [-11.123457, 7.9] });
  });

  it('malformed XML is E7010 in the import report (as DHIS2 answers a GML document it cannot parse), an XXE is refused, nothing half-written', async () => {
    const before = digest();
    const bad = write('bad.gml', DOC.replace('</ogr:FeatureCollection>', '</ogr:FeatureCollectio>'));
    const r = await ferryCli(['--db', dbPath, 'import', bad, '--kind', 'geometry', '--atomic-mode', 'NONE', '--json']);
    expect(r.code).toBe(1);
    const s = r.json<GeometryImportReport>();
    expect([s.status, s.stats.total, s.stats.updated]).toEqual(['ERROR', 0, 0]);
    const errors = s.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports));
    expect(errors.map((e) => [e.errorCode, e.mainKlass])).toEqual([['E7010', 'org.hisp.dhis.dxf2.gml.DefaultGmlImportService']]);
    expect(errors[0]!.message).toMatch(/^Failed to validate job runtime: `GML import failed: malformed XML \(.+\) On line 1 column \d+\.`$/);
    const text = await ferryCli(['--db', dbPath, 'import', bad, '--kind', 'geometry']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/E7010 Failed to validate job runtime: `GML import failed: malformed XML/);
    const xxe = write('xxe.gml', `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>` + DOC.slice(DOC.indexOf('<ogr:FeatureCollection')).replace('<ogr:code>BO</ogr:code>', '<ogr:code>&x;</ogr:code>'));
    const x = await ferryCli(['--db', dbPath, 'import', xxe, '--kind', 'geometry', '--format', 'gml']);
    expect(x.code).toBe(2);
    expect(x.stderr).toContain('DOCTYPE and entity declarations are not allowed');
    expect(digest()).toBe(before);
  });
});

describe('a 200 MB boundary file', () => {
  it('streams in bounded memory (a child process: peak RSS measured) and lists every unmatched feature', () => {
    // features of about 20 KB (a long description, as district files exported from a GIS often carry): the file is
    // 200 MB, yet the reader holds one feature at a time
    const note = 'x'.repeat(20_000);
    const coords = '[-12,8],[-11.9,8],[-11.9,8.1],[-12,8]';
    const file = path.join(dir, 'big.geojson');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, '{"type":"FeatureCollection","features":[\n');
    let n = 0;
    let size = 0;
    const parts: string[] = [];
    while (size < 200 * 2 ** 20) {
      const id = n === 0 ? 'BoDistrict1' : `Unknown${String(n).padStart(4, '0')}`.slice(0, 11);
      const f = `{"type":"Feature","id":"${n < 10_000 ? id : 'U' + n}","properties":{"n":${n},"description":"${note}"},"geometry":{"type":"Polygon","coordinates":[[${coords}]]}},\n`;
      parts.push(f);
      size += f.length;
      n++;
      if (parts.length === 500) fs.writeSync(fd, parts.splice(0).join(''));
    }
    parts.push(`{"type":"Feature","id":"Kenema00001","geometry":{"type":"Point","coordinates":[-11,8]}}\n]}\n`);
    n++;
    fs.writeSync(fd, parts.join(''));
    fs.closeSync(fd);
    expect(fs.statSync(file).size).toBeGreaterThan(200 * 2 ** 20);
    const r = runChild(path.resolve(import.meta.dirname, '../../scripts/bench/geometry-child.ts'), ['import', file, dbPath, 'geojson', 'real']);
    expect(r.applied).toBe(2);
    expect(r.peakRssMb).toBeLessThan(350);
    expect(geometryOf('Kenema00001')).toEqual({ type: 'Point', coordinates: [-11, 8] });
    const s = withDb((db) => JSON.parse(db.prepare(`SELECT summary FROM job ORDER BY id DESC LIMIT 1`).pluck().get() as string) as GeometryImportSummary);
    expect(s.importCount.ignored).toBe(n - 2);
    expect(s.totalConflictOccurrenceCount).toBe(n - 2);
    expect(s.conflicts[0]).toMatchObject({ errorCode: 'E7708', indexes: expect.arrayContaining([1, 2]) });
    expect(s.conflicts[0]!.indexes!.length + (s.conflicts[0]!.moreIndexes ?? 0)).toBe(n - 2);
  }, 60_000);

  it('GML: 200 MB streamed in bounded memory, every feature without org unit listed (E5001), nothing kept (atomic)', () => {
    const note = 'x'.repeat(20_000);
    const file = path.join(dir, 'big.gml');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, '<?xml version="1.0"?><ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">\n');
    let n = 0;
    let size = 0;
    const parts: string[] = [];
    while (size < 200 * 2 ** 20) {
      const uid = n === 0 ? 'BoDistrict1' : `U${n}`;
      const f = `<gml:featureMember><ogr:f><ogr:g><gml:Polygon><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>-12,8 -11.9,8 -11.9,8.1 -12,8</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon></ogr:g><ogr:uid>${uid}</ogr:uid><ogr:description>${note}</ogr:description></ogr:f></gml:featureMember>\n`;
      parts.push(f);
      size += f.length;
      n++;
      if (parts.length === 500) fs.writeSync(fd, parts.splice(0).join(''));
    }
    fs.writeSync(fd, parts.join('') + '</ogr:FeatureCollection>\n');
    fs.closeSync(fd);
    const before = digest();
    const r = runChild(path.resolve(import.meta.dirname, '../../scripts/bench/geometry-child.ts'), ['import', file, dbPath, 'gml', 'real']);
    expect(r.peakRssMb).toBeLessThan(350);
    expect(r.applied).toBe(0);
    expect(digest()).toBe(before);
    const s = withDb((db) => JSON.parse(db.prepare(`SELECT summary FROM job ORDER BY id DESC LIMIT 1`).pluck().get() as string) as GeometryImportReport);
    expect(s.status).toBe('ERROR');
    expect(s.stats).toMatchObject({ updated: 0, ignored: n, total: n });
    expect(s.typeReports[0]!.objectReports.length + (s.typeReports[0]!.moreObjectReports ?? 0)).toBe(n - 1);
  }, 60_000);
});
