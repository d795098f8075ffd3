/**
 * The geometry readers (GML 2/3, GeoJSON) and the shared geometry code: what each construct becomes, DHIS2's rounding
 * and identifier priority, GML 3 axis order, posList srsDimension, interior rings, MultiSurface, GeoJSON id/property,
 * and hostile inputs (malformed XML, XXE, entity bombs, a million points, chunk boundaries anywhere).
 */
import { describe, expect, it } from 'vitest';
import { readGmlFeatures } from '../../../src-main/formats/gml/reader.ts';
import { readGeoJsonFeatures } from '../../../src-main/formats/geojson/reader.ts';
import { geometryProblem, roundHalfUp, simplifyForDrawing, withCoordinatePairs, type GeometryFeature } from '../../../src-main/formats/shared/geometry.ts';
import { latitudeFirst } from '../../../src-main/formats/shared/geometry-gml.ts';
import { AppError } from '../../../src-shared/errors.ts';
import type { GeoGeometry } from '../../../src-shared/dhis2/geometry.ts';

async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function gml(text: string, size = 1 << 16): Promise<GeometryFeature[]> {
  const out: GeometryFeature[] = [];
  for await (const batch of readGmlFeatures(chunked(text, size), { fileName: 'f.gml' })) out.push(...batch);
  return out;
}
async function geojson(text: string, opts: { geoJsonId?: boolean; geoJsonProperty?: string } = {}, size = 1 << 16): Promise<GeometryFeature[]> {
  const out: GeometryFeature[] = [];
  for await (const batch of readGeoJsonFeatures(chunked(text, size), { fileName: 'f.geojson', ...opts })) out.push(...batch);
  return out;
}
async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

const GML2 = (members: string): string =>
  `<?xml version="1.0" encoding="utf-8" ?>\n<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">\n${members}\n</ogr:FeatureCollection>`;
const member = (props: string, geom: string): string => `<gml:featureMember><ogr:f><ogr:geometryProperty>${geom}</ogr:geometryProperty>${props}</ogr:f></gml:featureMember>`;
const RING = '-11.1,8.1 -11.2,8.1 -11.2,8.2 -11.1,8.1';

describe('GML 2', () => {
  it('reads Point (coordinates and pos), Polygon and MultiPolygon with DHIS2 rounding (6 decimals for points, 4 for polygons)', async () => {
    const f = await gml(
      GML2(
        [
          member('<ogr:code>OU_123</ogr:code>', '<gml:Point><gml:coordinates>-11.2345678,8.7654321</gml:coordinates></gml:Point>'),
          member('<ogr:Name>Blindern</ogr:Name>', '<gml:Point><gml:pos>10.7 59.9</gml:pos></gml:Point>'),
          member(
            '<ogr:Uid>ImspTQPwCqd</ogr:Uid><ogr:Name>Bo</ogr:Name>',
            '<gml:Polygon><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>-11.123456,8.12345 -11.2,8.1 -11.2,8.2 -11.123456,8.12345</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>',
          ),
          member(
            '<ogr:Name>Forskningsparken</ogr:Name>',
            `<gml:MultiPolygon><gml:polygonMember><gml:Polygon><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>${RING}</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon></gml:polygonMember><gml:polygonMember><gml:Polygon><gml:outerBoundaryIs><gml:LinearRing><gml:posList>1 2 3 2 3 3 1 2</gml:posList></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon></gml:polygonMember></gml:MultiPolygon>`,
          ),
        ].join('\n'),
      ),
    );
    expect(f.map((x) => [x.index, x.identifier, x.idProperty])).toEqual([
      [0, 'OU_123', 'code'],
      [1, 'Blindern', 'name'],
      [2, 'ImspTQPwCqd', 'uid'],
      [3, 'Forskningsparken', 'name'],
    ]);
    expect(f[0]!.geometry).toEqual({ type: 'Point', coordinates: [-11.234568, 8.765432] });
    expect(f[1]!.geometry).toEqual({ type: 'Point', coordinates: [10.7, 59.9] });
    expect(f[2]!.geometry).toEqual({ type: 'Polygon', coordinates: [[[-11.1235, 8.1235], [-11.2, 8.1], [-11.2, 8.2], [-11.1235, 8.1235]]] });
    expect(f[3]!.geometry).toEqual({
      type: 'MultiPolygon',
      coordinates: [
        [[[-11.1, 8.1], [-11.2, 8.1], [-11.2, 8.2], [-11.1, 8.1]]],
        [[[1, 2], [3, 2], [3, 3], [1, 2]]],
      ],
    });
    expect(f[3]!.points).toBe(8);
    expect(f.map((x) => x.line)).toEqual([3, 4, 5, 6]);
  });

  it('keeps one identifier: uid, else code, else name; a feature without geometry or identifier is still yielded', async () => {
    const f = await gml(GML2([member('<x:NAME>n</x:NAME><x:CODE>c</x:CODE>', ''), member('', '<gml:Point><gml:coordinates>1,2</gml:coordinates></gml:Point>')].join('')));
    expect(f[0]).toMatchObject({ identifier: 'c', idProperty: 'code', geometry: null, problem: expect.stringContaining('no Point') });
    expect(f[1]).toMatchObject({ identifier: null, geometry: { type: 'Point', coordinates: [1, 2] } });
  });

  it('reads the same features whatever the chunk boundaries', async () => {
    const doc = GML2(Array.from({ length: 20 }, (_, i) => member(`<ogr:code>C${i}</ogr:code>`, `<gml:Polygon><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>${RING}</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>`)).join('\n'));
    const whole = await gml(doc);
    for (const size of [1, 7, 64]) expect(await gml(doc, size)).toEqual(whole);
    expect(whole).toHaveLength(20);
  });
});

describe('GML 3', () => {
  const GML3 = (members: string, ns = 'http://www.opengis.net/gml/3.2'): string =>
    `<?xml version="1.0"?><ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="${ns}"><gml:featureMembers>${members}</gml:featureMembers></ogr:FeatureCollection>`;
  it('reads featureMembers, exterior + interior rings, posList with srsDimension 3, and swaps urn EPSG:4326 (lat, lon) to lon, lat', async () => {
    const poly = `<gml:Polygon srsName="urn:ogc:def:crs:EPSG::4326"><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">8 -12 0 8 -11 0 9 -11 0 8 -12 0</gml:posList></gml:LinearRing></gml:exterior><gml:interior><gml:LinearRing><gml:posList srsDimension="3">8.2 -11.8 0 8.2 -11.7 0 8.3 -11.7 0 8.2 -11.8 0</gml:posList></gml:LinearRing></gml:interior></gml:Polygon>`;
    const f = await gml(GML3(`<ogr:d gml:id="d.0"><ogr:geometryProperty>${poly}</ogr:geometryProperty><ogr:code>A</ogr:code></ogr:d><ogr:d gml:id="d.1"><ogr:geometryProperty><gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>8.5 -11.5</gml:pos></gml:Point></ogr:geometryProperty><ogr:code>B</ogr:code></ogr:d>`));
    expect(f).toHaveLength(2);
    expect(f[0]!.geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        [[-12, 8], [-11, 8], [-11, 9], [-12, 8]],
        [[-11.8, 8.2], [-11.7, 8.2], [-11.7, 8.3], [-11.8, 8.2]],
      ],
    });
    expect(f[1]!.geometry).toEqual({ type: 'Point', coordinates: [-11.5, 8.5] });
  });

  it('reads MultiSurface (surfaceMember) and keeps lon, lat for EPSG:4326 and CRS84', async () => {
    const ring = '<gml:LinearRing><gml:posList>-12 8 -11 8 -11 9 -12 8</gml:posList></gml:LinearRing>';
    for (const srs of ['EPSG:4326', 'urn:ogc:def:crs:OGC:1.3:CRS84', 'http://www.opengis.net/def/crs/OGC/1.3/CRS84']) {
      const f = await gml(GML3(`<ogr:d><ogr:g><gml:MultiSurface srsName="${srs}"><gml:surfaceMember><gml:Polygon><gml:exterior>${ring}</gml:exterior></gml:Polygon></gml:surfaceMember><gml:surfaceMember><gml:Polygon><gml:exterior>${ring}</gml:exterior></gml:Polygon></gml:surfaceMember></gml:MultiSurface></ogr:g><ogr:name>X</ogr:name></ogr:d>`));
      expect(f[0]!.geometry, srs).toEqual({ type: 'MultiPolygon', coordinates: [[[[-12, 8], [-11, 8], [-11, 9], [-12, 8]]], [[[-12, 8], [-11, 8], [-11, 9], [-12, 8]]]] });
    }
    expect(latitudeFirst('http://www.opengis.net/def/crs/EPSG/0/4326')).toBe(true);
    expect(latitudeFirst('EPSG:4326')).toBe(false);
  });

  it('a posList whose count is not a multiple of its dimension is left out (as DHIS2 leaves an odd posList out)', async () => {
    const f = await gml(GML3(`<ogr:d><ogr:g><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList>1 2 3</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></ogr:g><ogr:name>X</ogr:name></ogr:d>`));
    expect(f[0]).toMatchObject({ geometry: null, problem: 'the Polygon has no coordinates' });
  });
});

describe('GML hostile inputs', () => {
  it('refuses malformed XML naming the line', async () => {
    const e = await refusal(gml(GML2(member('<ogr:code>A</ogr:code>', '<gml:Point><gml:coordinates>1,2</gml:coordinates></gml:Pont>'))));
    expect(e.code).toBe('BAD_FILE');
    expect(e.message).toMatch(/^f\.gml, line 3: malformed XML/);
  });

  it('refuses a DOCTYPE: an XXE (external entity) and an entity bomb are never expanded', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><ogr:FeatureCollection xmlns:gml="g" xmlns:ogr="o"><gml:featureMember><ogr:f><ogr:name>&xxe;</ogr:name></ogr:f></gml:featureMember></ogr:FeatureCollection>`;
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><FeatureCollection><featureMember><f><name>&lol3;</name></f></featureMember></FeatureCollection>`;
    for (const doc of [xxe, bomb]) {
      const e = await refusal(gml(doc));
      expect(e.code).toBe('BAD_FILE');
      expect(e.message).toContain('DOCTYPE and entity declarations are not allowed');
    }
    // an entity reference without a DOCTYPE is malformed XML, not expanded
    const e = await refusal(gml(GML2(member('<ogr:name>&xxe;</ogr:name>', ''))));
    expect(e.message).toMatch(/malformed XML/);
  });

  it('a feature with a million points is a problem of that feature (the others are read), not a crash', async () => {
    const pts: string[] = [];
    for (let i = 0; i < 1_000_000; i++) pts.push(`${(i % 1000) / 1000},${Math.floor(i / 1000) / 1000}`);
    pts.push('0,0');
    const big = member('<ogr:code>BIG</ogr:code>', `<gml:Polygon><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>0,0 ${pts.join(' ')}</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon>`);
    const f = await gml(GML2(big + member('<ogr:code>SMALL</ogr:code>', '<gml:Point><gml:coordinates>1,2</gml:coordinates></gml:Point>')));
    expect(f).toHaveLength(2);
    expect(f[0]).toMatchObject({ identifier: 'BIG', geometry: null, problem: "more than 500,000 points in one feature (Ferry's limit)" });
    expect(f[1]).toMatchObject({ identifier: 'SMALL', geometry: { type: 'Point', coordinates: [1, 2] } });
  }, 30_000);

  it('a document without features is not a GML feature collection', async () => {
    const e = await refusal(gml('<FeatureCollection><boundedBy/></FeatureCollection>'));
    expect(e.message).toBe('f.gml: no GML features found (no gml:featureMember or gml:featureMembers element); this is not a GML feature collection');
    // Ferry's own refusal of a readable document (the importer keeps it a refusal, not DHIS2's E7010)
    expect(e.details.ferryRefusal).toBe(true);
    const bad = await refusal(gml('<FeatureCollection><featureMember></FeatureCollection>'));
    expect(bad.details.ferryRefusal).toBeUndefined();
  });
});

describe('GeoJSON', () => {
  const FC = (features: unknown[], extra = ''): string => `{"type":"FeatureCollection",${extra}\n"features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}`;
  const poly = { type: 'Polygon', coordinates: [[[-11.1, 8.1], [-11.2, 8.1], [-11.2, 8.2], [-11.1, 8.1]]] };

  it('yields each feature with its index, line, id and raw geometry; by property with geoJsonId=false', async () => {
    const doc = FC([
      { type: 'Feature', id: 'OU000000001', properties: { code: 'A', name: 'Alpha' }, geometry: poly },
      { type: 'Feature', id: 42, properties: { code: 7 }, geometry: null },
      { type: 'Feature', properties: { name: 'Gamma' } },
    ], '"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},');
    const byId = await geojson(doc);
    expect(byId.map((f) => [f.index, f.line, f.identifier, f.geometry === undefined ? 'absent' : f.geometry === null ? 'null' : 'object'])).toEqual([
      [0, 3, 'OU000000001', 'object'],
      [1, 4, '42', 'null'],
      [2, 5, null, 'absent'],
    ]);
    const byCode = await geojson(doc, { geoJsonId: false, geoJsonProperty: 'code' });
    expect(byCode.map((f) => f.identifier)).toEqual(['A', '7', null]);
    for (const size of [1, 5, 33]) expect(await geojson(doc, { geoJsonId: false, geoJsonProperty: 'code' }, size)).toEqual(byCode);
  });

  it('strings holding braces, brackets and escaped quotes do not confuse the scanner; a single Feature root is one feature', async () => {
    const doc = FC([{ type: 'Feature', id: 'a"}]{[', properties: { note: 'x\\"}' }, geometry: poly }, { type: 'Feature', id: 'b', geometry: poly }]);
    expect((await geojson(doc, {}, 3)).map((f) => f.identifier)).toEqual(['a"}]{[', 'b']);
    const one = await geojson(JSON.stringify({ type: 'Feature', id: 'solo', geometry: poly }));
    expect(one).toMatchObject([{ index: 0, identifier: 'solo', geometry: poly }]);
  });

  it('refuses what is not a feature collection, and truncated JSON, naming the line', async () => {
    const list = await refusal(geojson('[1,2]'));
    expect(list.message).toContain('a JSON array is not a GeoJSON feature collection');
    const none = await refusal(geojson('{"type":"FeatureCollection","name":"x"}'));
    expect(none.message).toBe('f.geojson: no list of features found (a GeoJSON FeatureCollection has a "features" array)');
    // JSON that is no feature collection is marked (the importer answers DHIS2's conflict E7701); malformed JSON is not
    expect([list.details.notGeoJson, list.details.line, none.details.notGeoJson]).toEqual([true, 1, true]);
    expect((await refusal(geojson('nope'))).details.notGeoJson).toBeUndefined();
    expect((await refusal(geojson('{"type":"FeatureCollection",\n"features":[{"type":"Feature","id":"a"'))).message).toMatch(/line 2: the JSON document ends before it is complete/);
    expect((await refusal(geojson('{"type":"FeatureCollection",\n"features":[{"type":"Feature","id":a}]}'))).message).toMatch(/^f\.geojson, line 2: malformed JSON in feature 0/);
  });

  it('a feature with a million points is a problem of that feature, and the next one is read', async () => {
    const ring: number[][] = [];
    for (let i = 0; i < 1_000_000; i++) ring.push([(i % 1000) / 1000, Math.floor(i / 1000) / 1000]);
    ring.push([0, 0]);
    const doc = FC([{ type: 'Feature', id: 'big', geometry: { type: 'Polygon', coordinates: [ring] } }, { type: 'Feature', id: 'small', geometry: poly }]);
    const f = await geojson(doc);
    expect(f[0]).toMatchObject({ identifier: 'big', geometry: undefined, problem: "more than 500,000 points in one feature (Ferry's limit)" });
    expect(f[1]).toMatchObject({ identifier: 'small', geometry: poly });
  }, 30_000);
});

describe('shared geometry', () => {
  it('rounds half-up on the decimal text as commons-math Precision.round', () => {
    expect(roundHalfUp(1.00005, 4)).toBe(1.0001);
    expect(roundHalfUp(-1.00005, 4)).toBe(-1.0001);
    expect(roundHalfUp(-11.2345678, 6)).toBe(-11.234568);
    expect(roundHalfUp(8.12344, 4)).toBe(8.1234);
    expect(roundHalfUp(3, 4)).toBe(3);
  });

  it('validates types, closed rings and coordinate ranges', () => {
    expect(geometryProblem({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] })).toBeNull();
    expect(geometryProblem({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] })).toBe('ring 1 of the polygon is not closed (its first position is not its last)');
    expect(geometryProblem({ type: 'Point', coordinates: [8.5, -181] })).toContain('outside longitude');
    expect(geometryProblem({ type: 'Point', coordinates: [500000, 900000] })).toContain('projected coordinates');
    expect(geometryProblem({ type: 'Point', coordinates: ['1', 2] })).toBe('a position is not two numbers');
    expect(geometryProblem({ type: 'GeometryCollection', geometries: [] })).toBe("geometry type 'GeometryCollection' is not one an org unit can have");
    expect(withCoordinatePairs({ type: 'Point', coordinates: [1, 2, 3] })).toEqual({ type: 'Point', coordinates: [1, 2] });
  });

  it('simplifies for drawing to about the budget, rings kept closed', () => {
    const ring: number[][] = Array.from({ length: 5000 }, (_, i) => [Math.cos(i / 800), Math.sin(i / 800)]);
    ring.push(ring[0]!);
    const s = simplifyForDrawing({ type: 'Polygon', coordinates: [ring] }, 100) as Extract<GeoGeometry, { type: 'Polygon' }>;
    expect(s.coordinates[0]!.length).toBe(100);
    expect(s.coordinates[0]![0]).toEqual(s.coordinates[0]![99]);
  });
});
