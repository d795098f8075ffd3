/**
 * Geometry bench child. Modes:
 *   generate <dir>                          the template database (51,001 org units) and the GeoJSON and GML files
 *   import <file> <db> <format> <real|dry>  one import through openFerry + import:start (inline job)
 */
import fs from 'node:fs';
import path from 'node:path';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { openDb } from '../../src-main/db/open.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import type { GeometryImportReport, GeometryImportSummary } from '../../src-shared/dhis2/geometry.ts';
import { report } from './measure.ts';

const [mode, ...args] = process.argv.slice(2);

const DISTRICTS = 1000;
const FACILITIES = 50_000;
const POINTS = 2000;
const uid = (prefix: string, i: number): string => prefix + String(i).padStart(10, '0');
/** district i's centre: a 40 × 25 grid over West Africa */
const centre = (i: number): [number, number] => [-17 + (i % 40) * 0.5, 4 + Math.floor(i / 40) * 0.5];
const f4 = (x: number): string => x.toFixed(4);

function ring(i: number): string[] {
  const [cx, cy] = centre(i);
  const pts: string[] = [];
  for (let k = 0; k < POINTS - 1; k++) {
    const a = (2 * Math.PI * k) / (POINTS - 1);
    const r = 0.2 + 0.03 * Math.sin(7 * a + i);
    pts.push(`${f4(cx + r * Math.cos(a))} ${f4(cy + r * Math.sin(a))}`);
  }
  pts.push(pts[0]!);
  return pts;
}
function facility(j: number): [string, string] {
  const [cx, cy] = centre(j % DISTRICTS);
  return [(cx + ((j * 7919) % 1000) / 5000 - 0.1).toFixed(6), (cy + ((j * 104729) % 1000) / 5000 - 0.1).toFixed(6)];
}

if (mode === 'generate') {
  const dir = args[0]!;
  const db = openDb(path.join(dir, 'template.sqlite'));
  const repo = new MetadataRepo(db);
  db.transaction(() => {
    repo.upsert('organisationUnits', { id: 'Country0001', name: 'Country', shortName: 'Country', openingDate: '1970-01-01' });
    for (let i = 0; i < DISTRICTS; i++) repo.upsert('organisationUnits', { id: uid('D', i), name: `District ${i}`, shortName: `District ${i}`, code: `D${i}`, openingDate: '1970-01-01', parent: { id: 'Country0001' } });
    for (let j = 0; j < FACILITIES; j++) repo.upsert('organisationUnits', { id: uid('F', j), name: `Facility ${j}`, shortName: `Facility ${j}`, code: `F${j}`, openingDate: '1970-01-01', parent: { id: uid('D', j % DISTRICTS) } });
    repo.rebuildOrgUnitPaths();
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const gj = fs.openSync(path.join(dir, 'boundaries-facilities.geojson'), 'w');
  fs.writeSync(gj, '{"type":"FeatureCollection","name":"bench","features":[\n');
  for (let i = 0; i < DISTRICTS; i++) {
    const coords = ring(i).map((p) => `[${p.replace(' ', ',')}]`).join(',');
    fs.writeSync(gj, `{"type":"Feature","id":"${uid('D', i)}","properties":{"name":"District ${i}"},"geometry":{"type":"Polygon","coordinates":[[${coords}]]}},\n`);
  }
  for (let j = 0; j < FACILITIES; j++) {
    const [x, y] = facility(j);
    fs.writeSync(gj, `{"type":"Feature","id":"${uid('F', j)}","properties":{"name":"Facility ${j}"},"geometry":{"type":"Point","coordinates":[${x},${y}]}}${j < FACILITIES - 1 ? ',' : ''}\n`);
  }
  fs.writeSync(gj, ']}\n');
  fs.closeSync(gj);
  const gm = fs.openSync(path.join(dir, 'boundaries-facilities.gml'), 'w');
  fs.writeSync(gm, '<?xml version="1.0" encoding="utf-8" ?>\n<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">\n');
  for (let i = 0; i < DISTRICTS; i++) {
    const coords = ring(i).map((p) => p.replace(' ', ',')).join(' ');
    fs.writeSync(gm, `<gml:featureMember><ogr:d fid="d.${i}"><ogr:geometryProperty><gml:Polygon srsName="EPSG:4326"><gml:outerBoundaryIs><gml:LinearRing><gml:coordinates>${coords}</gml:coordinates></gml:LinearRing></gml:outerBoundaryIs></gml:Polygon></ogr:geometryProperty><ogr:uid>${uid('D', i)}</ogr:uid><ogr:name>District ${i}</ogr:name></ogr:d></gml:featureMember>\n`);
  }
  for (let j = 0; j < FACILITIES; j++) {
    const [x, y] = facility(j);
    fs.writeSync(gm, `<gml:featureMember><ogr:f fid="f.${j}"><ogr:geometryProperty><gml:Point srsName="EPSG:4326"><gml:coordinates>${x},${y}</gml:coordinates></gml:Point></ogr:geometryProperty><ogr:uid>${uid('F', j)}</ogr:uid></ogr:f></gml:featureMember>\n`);
  }
  fs.writeSync(gm, '</ogr:FeatureCollection>\n');
  fs.closeSync(gm);
  report({ seconds: 0, count: 0 });
} else if (mode === 'import') {
  const [file, dbPath, format, dry] = args as [string, string, string, string];
  const ferry = openFerry({ dbPath, mode: 'inline' });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await invoke(ferry.handlers, 'import:start', { files: [file], kind: 'geometry', format, options: { dryRun: dry === 'dry' } });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (job.error) throw new Error(job.error.message);
  const s = job.summary as GeometryImportSummary | GeometryImportReport;
  const applied = s.responseType === 'ImportReport' ? s.stats.updated : s.importCount.imported + s.importCount.updated;
  const stored = ferry.db.prepare(`SELECT count(*) FROM org_unit WHERE geometry IS NOT NULL`).pluck().get() as number;
  const preview = (s as { preview?: { changes: unknown[] } }).preview;
  await ferry.close();
  report({
    seconds,
    count: applied,
    applied,
    stored,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    previewBytes: preview ? JSON.stringify(preview).length : 0,
    previewChanges: preview?.changes.length ?? 0,
  });
}
