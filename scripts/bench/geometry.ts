/**
 * Geometry import bench (issue 10): 1,000 district boundary polygons of 2,000 points each plus 50,000 facility points,
 * as GeoJSON and as GML 2 (files under bench-data/, gitignored, generated once), matched against a hierarchy of
 * 51,001 org units (1 country, 1,000 districts, 50,000 facilities). Each import runs in a fresh child process on a
 * copy of the same database: GeoJSON (by feature id), GML (by uid), and a GeoJSON dry run (with the map preview).
 * Goals: ≤ 15 s each, peak RSS ≤ 400 MB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, runChild, type BenchResult } from './measure.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'geometry-child.ts');

function rmDb(p: string): void {
  for (const s of ['', '-wal', '-shm']) fs.rmSync(p + s, { force: true });
}

export async function benchGeometry(): Promise<BenchResult[]> {
  const dir = path.join(repoRoot, 'bench-data', 'geometry');
  fs.mkdirSync(dir, { recursive: true });
  const template = path.join(dir, 'template.sqlite');
  const geojson = path.join(dir, 'boundaries-facilities.geojson');
  const gml = path.join(dir, 'boundaries-facilities.gml');
  if (!fs.existsSync(template) || !fs.existsSync(geojson) || !fs.existsSync(gml)) {
    rmDb(template);
    runChild(child, ['generate', dir]);
  }
  const results: BenchResult[] = [];
  const runs: [string, string, string, boolean][] = [
    ['GeoJSON', geojson, 'geojson', false],
    ['GML 2', gml, 'gml', false],
    ['GeoJSON, dry run with map preview', geojson, 'geojson', true],
  ];
  for (const [label, file, format, dry] of runs) {
    const db = path.join(dir, 'run.sqlite');
    rmDb(db);
    fs.copyFileSync(template, db);
    const r = runChild(child, ['import', file, db, format, dry ? 'dry' : 'real']);
    rmDb(db);
    const mb = (fs.statSync(file).size / 2 ** 20).toFixed(0);
    if (r.applied !== 51_000) throw new Error(`${label}: expected 51,000 org units changed, got ${JSON.stringify(r)}`);
    if (!dry && r.stored !== 51_000) throw new Error(`${label}: expected 51,000 geometries stored, got ${JSON.stringify(r)}`);
    if (dry && r.stored !== 0) throw new Error(`${label}: a dry run must store nothing, got ${JSON.stringify(r)}`);
    results.push({
      section: 'geometry import',
      name: `${label} (${mb} MB), 1,000 polygons × 2,000 points + 50,000 points, 51,001 org units`,
      count: 51_000,
      unit: 'features',
      seconds: r.seconds,
      peakRssMb: r.peakRssMb,
      goalSeconds: 15,
      goalRssMb: 400,
      notes: `CPU ${Number(r.cpuSeconds).toFixed(1)} s${dry ? `; preview ${(Number(r.previewBytes) / 1024).toFixed(0)} KB (${r.previewChanges} changes listed)` : ''}; inline job`,
    });
  }
  return results;
}
