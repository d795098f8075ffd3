/**
 * Geometry import wizard against the real engine (Chromium, 1366 × 768): choose a GeoJSON file → dry run → the map
 * preview shows the parent boundary, the current and new geometries, the unmatched feature and the swapped-axis
 * warning, while the database is unchanged → Import → the geometries are stored. A screenshot of the preview is saved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_CHROMIUM, importDirect, startHarness, type Harness } from './harness.ts';

const sq = (x: number, y: number, d: number): number[][][] => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
/** a rough circle of n points (a boundary with some detail) */
function blob(cx: number, cy: number, r: number, n = 60): number[][][] {
  const ring: number[][] = [];
  for (let k = 0; k < n; k++) {
    const a = (2 * Math.PI * k) / n;
    const rr = r * (1 + 0.15 * Math.sin(5 * a));
    ring.push([+(cx + rr * Math.cos(a)).toFixed(4), +(cy + rr * Math.sin(a)).toFixed(4)]);
  }
  ring.push(ring[0]!);
  return [ring];
}

const DISTRICTS = [
  { id: 'DistrictA01', name: 'Kailahun', x: -10.9, y: 8.1 },
  { id: 'DistrictB01', name: 'Kenema', x: -11.4, y: 7.8 },
  { id: 'DistrictC01', name: 'Bo', x: -11.9, y: 7.8 },
  { id: 'DistrictD01', name: 'Port Loko', x: -12.6, y: 8.7 },
];

describe.skipIf(!HAS_CHROMIUM)('geometry import wizard (Chromium, real engine)', () => {
  let h: Harness;
  let geojson: string;
  beforeAll(async () => {
    h = await startHarness('geometry');
    const meta = {
      organisationUnits: [
        { id: 'Country0001', name: 'Sierra Leone', shortName: 'Sierra Leone', openingDate: '1970-01-01', geometry: { type: 'Polygon', coordinates: sq(-13.3, 6.9, 3) } },
        ...DISTRICTS.map((d, i) => ({
          id: d.id, name: d.name, shortName: d.name, openingDate: '1970-01-01', parent: { id: 'Country0001' },
          // two districts already have a (cruder) boundary
          ...(i < 2 ? { geometry: { type: 'Polygon', coordinates: blob(d.x + 0.05, d.y - 0.05, 0.28, 12) } } : {}),
        })),
        { id: 'Facility001', name: 'Bo Hospital', shortName: 'Bo Hospital', openingDate: '1970-01-01', parent: { id: 'DistrictC01' }, geometry: { type: 'Point', coordinates: [-11.74, 7.96] } },
      ],
    };
    const metaFile = path.join(h.dir, 'hierarchy.json');
    fs.writeFileSync(metaFile, JSON.stringify(meta));
    await importDirect(h, metaFile, 'metadata');
    const features = [
      ...DISTRICTS.map((d) => ({ type: 'Feature', id: d.id, properties: { name: d.name }, geometry: { type: 'Polygon', coordinates: blob(d.x, d.y, 0.3) } })),
      // latitude and longitude swapped: lands far from Bo and outside Sierra Leone
      { type: 'Feature', id: 'Facility001', properties: { name: 'Bo Hospital' }, geometry: { type: 'Point', coordinates: [7.96, -11.74] } },
      { type: 'Feature', id: 'Unknown0001', properties: { name: 'Moyamba' }, geometry: { type: 'Polygon', coordinates: blob(-12.4, 8.0, 0.25) } },
    ];
    geojson = path.join(h.dir, 'districts.geojson');
    fs.writeFileSync(geojson, JSON.stringify({ type: 'FeatureCollection', features }, null, 1));
  });
  afterAll(async () => {
    await h?.close();
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') console.log('failure screenshot:', await h.screenshot(`failed-${ctx.task.name.slice(0, 30).replace(/\W+/g, '-')}`));
  });

  const stored = (uid: string): unknown => {
    const g = h.ferry.db.prepare(`SELECT o.geometry FROM org_unit o JOIN metadata_object m ON m.id = o.id WHERE m.uid = ?`).pluck().get(uid) as string | null;
    return g ? JSON.parse(g) : null;
  };

  it('dry run with the map preview, then import', async () => {
    const { page } = h;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('menu-import-geometry').click();
    await h.queueOpen([geojson]);
    await page.getByTestId('choose-files').click();
    await page.getByTestId('file-list').getByText('districts.geojson', { exact: true }).waitFor();
    await page.getByTestId('next').click();
    const start = page.getByTestId('start');
    await expect(start.textContent()).resolves.toBe('Start dry run');
    await start.click();
    await page.getByTestId('map-preview').waitFor();

    // what the map draws
    expect(await page.locator('[data-test="map-parent"]').count()).toBe(1); // the country (Bo, the hospital's parent, is changed by this import: drawn as a change)
    expect(await page.locator('path[data-test="map-next"]').count()).toBe(4);
    expect(await page.locator('g[data-test="map-next"]').count()).toBe(1);
    expect(await page.locator('[data-test="map-current"]').count()).toBe(3);
    expect(await page.locator('[data-test="map-unmatched"]').count()).toBe(1);
    await expect(page.getByTestId('map-count-changes').textContent()).resolves.toBe('5');
    await expect(page.getByTestId('map-count-unmatched').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('map-suspicious').textContent()).resolves.toContain('1 org unit would move more than about 50 km');
    await expect(page.getByTestId('map-unmatched-table').textContent()).resolves.toContain('Unknown0001');
    // the map fits beside the list in 1366 × 768
    const box = await page.getByTestId('map-svg').boundingBox();
    expect(box!.width).toBeGreaterThan(400);
    expect(box!.x + box!.width).toBeLessThanOrEqual(1366);
    await page.getByTestId('map-preview').scrollIntoViewIfNeeded();
    const shot = await h.screenshot('geometry-import-preview');
    console.log('screenshot:', shot);
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    // zoomed to the org units' area (the swapped point falls outside it)
    await page.getByTestId('map-zoom-known').check();
    console.log('screenshot:', await h.screenshot('geometry-import-preview-zoomed'));

    // the dry run changed nothing
    expect(stored('DistrictC01')).toBeNull();
    expect(stored('Facility001')).toEqual({ type: 'Point', coordinates: [-11.74, 7.96] });

    await page.getByTestId('import-now').click();
    await page.getByRole('heading', { name: 'Import summary' }).waitFor();
    expect(await page.getByTestId('map-preview').count()).toBe(0);
    expect(stored('DistrictC01')).toEqual({ type: 'Polygon', coordinates: blob(-11.9, 7.8, 0.3) });
    expect(stored('Facility001')).toEqual({ type: 'Point', coordinates: [7.96, -11.74] });
    expect(h.ferry.db.prepare(`SELECT count(*) FROM metadata_object WHERE uid = 'Unknown0001'`).pluck().get()).toBe(0);
    expect(h.problems).toEqual([]);
  }, 120_000);
});
