/**
 * DHIS 1.4 import bench (issue 8): an .mdb with 2,000,000 RoutineData rows (about 120 MB, made by
 * ../shared/tools/dhis14/make-dhis14-mdb.mjs, cached under bench-data/dhis14/) imported into an empty database, beside
 * the floor (mdb-reader reading the same rows bare, in the same chunks) in the same run; then the 1.4 XML zip of the
 * same database (mdb-to-dhis14-xml.mjs). Each in a fresh child process (peak RSS its own).
 * Goals on a 2-core machine: .mdb ≤ 40 s and ≤ 1.5 GB peak RSS; XML zip ≤ 30 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot, runChild, type BenchResult } from './measure.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'dhis14-child.ts');
const TOOLS = process.env.FERRY_DHIS14_TOOLS ?? path.resolve(repoRoot, '../shared/tools/dhis14');
const ROWS = Number(process.env.FERRY_DHIS14_ROWS ?? 2_000_000);

function rmDb(p: string): void {
  for (const s of ['', '-wal', '-shm']) fs.rmSync(p + s, { force: true });
}

function tool(script: string, args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(TOOLS, script), ...args], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
}

export async function benchDhis14(): Promise<BenchResult[]> {
  if (!fs.existsSync(path.join(TOOLS, 'make-dhis14-mdb.mjs'))) {
    console.error(`(dhis14: ${TOOLS} not found: section skipped)`);
    return [];
  }
  const dir = path.join(repoRoot, 'bench-data', 'dhis14');
  fs.mkdirSync(dir, { recursive: true });
  const mdb = path.join(dir, `d14-${ROWS}.mdb`);
  const zip = path.join(dir, `d14-${ROWS}.zip`);
  if (!fs.existsSync(mdb)) tool('make-dhis14-mdb.mjs', ['--out', mdb, '--routine', String(ROWS)]);
  if (!fs.existsSync(zip)) tool('mdb-to-dhis14-xml.mjs', ['--in', mdb, '--out', zip, '--mdb-reader', path.join(repoRoot, 'node_modules/mdb-reader/lib/node/index.js')]);
  const mb = (f: string): string => `${(fs.statSync(f).size / 2 ** 20).toFixed(0)} MB`;
  const db = path.join(dir, 'run.sqlite');
  const results: BenchResult[] = [];

  const floor = runChild(child, ['floor', mdb]);
  results.push({
    section: 'dhis14', name: `floor: mdb-reader alone, RoutineData of the .mdb (${mb(mdb)})`, count: floor.count, unit: 'rows',
    seconds: floor.seconds, peakRssMb: floor.peakRssMb, notes: `CPU ${(floor.cpuSeconds as number).toFixed(1)} s`,
  });
  rmDb(db);
  const imp = runChild(child, ['import', mdb, db]);
  if ((imp.stored as number) < ROWS * 0.99) throw new Error(`.mdb import stored ${String(imp.stored)} values`);
  results.push({
    section: 'dhis14', name: `.mdb import into an empty database (${mb(mdb)})`, count: imp.count, unit: 'rows',
    seconds: imp.seconds, peakRssMb: imp.peakRssMb, goalSeconds: 40, goalRssMb: 1536,
    notes: `${(imp.seconds / floor.seconds).toFixed(2)}× floor; ${String(imp.imported)} values stored; CPU ${(imp.cpuSeconds as number).toFixed(1)} s`,
  });
  rmDb(db);
  const x = runChild(child, ['import', zip, db]);
  results.push({
    section: 'dhis14', name: `1.4 XML zip import into an empty database (${mb(zip)})`, count: x.count, unit: 'rows',
    seconds: x.seconds, peakRssMb: x.peakRssMb, goalSeconds: 30,
    notes: `${String(x.imported)} values stored; CPU ${(x.cpuSeconds as number).toFixed(1)} s`,
  });
  rmDb(db);
  return results;
}
