/**
 * Data import bench: 1,000,000 generated values (1,000 facilities, 200 data elements with category combos, 12 monthly
 * periods) as DXF2 XML, DXF2 JSON and CSV, plain and zipped (files under bench-data/, gitignored, generated once).
 * For each file, in fresh child processes: import into an empty database, re-import of the same file (every value
 * unchanged → ignored), a dry run, and the floor — the bare parser over the same file plus the same rows inserted with
 * one prepared statement in one transaction. Ferry's import time is reported as a ratio of that floor, and (issue 14:
 * the parse thread works while the job's thread writes) as a ratio of the floor's insert alone, measured in the same
 * run. The imports use the built parse worker (out/main/data-parse-worker.js, as the app and the built CLI run it).
 * Goals: CSV < 8 s, XML/JSON < 12 s, peak RSS < 300 MB, ≤ 1.5 × the floor, ≤ 1.15 × the floor's insert.
 */
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, runChild, type BenchResult } from './measure.ts';
import { generate } from './data-generate.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'data-child.ts');

function rmDb(p: string): void {
  for (const s of ['', '-wal', '-shm']) fs.rmSync(p + s, { force: true });
}

export async function benchData(opts: { formats?: string[]; jobMode?: 'inline' | 'worker' } = {}): Promise<BenchResult[]> {
  const dir = path.join(repoRoot, 'bench-data');
  const t0 = performance.now();
  const { metadata, files } = generate(dir);
  const genSeconds = (performance.now() - t0) / 1000;
  const template = path.join(dir, 'template.sqlite');
  rmDb(template);
  runChild(child, ['template', metadata, template]);
  // inline: the job runs on the child's main thread, like the floor. A worker job additionally pays the worker start
  // (under tsx: transpiling the engine again, ≈1 s and ≈50 MB); measured once below for CSV.
  const jobMode = opts.jobMode ?? 'inline';
  // the parse thread of the imports: the built entry (a thread started on the TypeScript sources would pay tsx first)
  const built = buildAppWorker();
  const parseWorker = built ? path.join(path.dirname(built), 'data-parse-worker.js') : null;
  const importEnv: Record<string, string> = parseWorker && fs.existsSync(parseWorker) ? { FERRY_PARSE_WORKER: parseWorker } : {};
  const parseNote = importEnv.FERRY_PARSE_WORKER ? 'built parse worker' : 'parse worker from the sources (the build failed)';
  const results: BenchResult[] = [];
  const keys = opts.formats ?? ['csv', 'csv.zip', 'xml', 'xml.zip', 'json', 'json.zip'];
  for (const key of keys) {
    const file = files[key]!;
    const format = key.split('.')[0]!;
    const label = `${format.toUpperCase()}${key.endsWith('.zip') ? ' zip' : ' plain'} (${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB)`;
    const goalSeconds = format === 'csv' ? 8 : 12;
    const db = path.join(dir, `run-${key}.sqlite`);
    const fresh = (): void => {
      rmDb(db);
      fs.copyFileSync(template, db);
    };
    fresh();
    const floor = runChild(child, ['floor', file, db, format]);
    fresh();
    const imp = runChild(child, ['import', file, db, 'real', jobMode], importEnv);
    if (imp.imported !== 1_000_000) throw new Error(`${label}: expected 1,000,000 imported, got ${JSON.stringify(imp)}`);
    const again = runChild(child, ['import', file, db, 'real', jobMode], importEnv);
    if (again.ignored !== 1_000_000) throw new Error(`${label}: re-import should ignore every value, got ${JSON.stringify(again)}`);
    fresh();
    const dry = runChild(child, ['import', file, db, 'dry', jobMode], importEnv);
    if (dry.imported !== 1_000_000 || dry.stored !== 0) throw new Error(`${label}: dry run should count 1,000,000 and store none, got ${JSON.stringify(dry)}`);
    rmDb(db);
    const cpu = (r: Record<string, unknown>): number => Number(r.cpuSeconds ?? 0);
    const ratio = (r: { seconds: number; [k: string]: unknown }): string =>
      `${(r.seconds / floor.seconds).toFixed(2)}× floor (CPU ${cpu(r).toFixed(1)} s = ${(cpu(r) / cpu(floor)).toFixed(2)}× floor CPU)`;
    const insert = floor.insertSeconds as number;
    const vsInsert = (r: { seconds: number }): string => `${(r.seconds / insert).toFixed(2)}× the floor's insert (${insert.toFixed(2)} s)`;
    const fl = `floor ${floor.seconds.toFixed(2)} s = parse ${(floor.parseSeconds as number).toFixed(2)} s + insert ${(floor.insertSeconds as number).toFixed(2)} s, CPU ${cpu(floor).toFixed(1)} s`;
    results.push(
      { section: 'data import', name: `${label}, empty database`, count: 1_000_000, unit: 'values', seconds: imp.seconds, peakRssMb: imp.peakRssMb, goalSeconds, goalRssMb: 300, notes: `${vsInsert(imp)}, goal ≤ 1.15×; ${ratio(imp)}, goal ≤ 1.5×; ${fl}; ${jobMode} job, ${parseNote}` },
      { section: 'data import', name: `${label}, re-import (all ignored)`, count: 1_000_000, unit: 'values', seconds: again.seconds, peakRssMb: again.peakRssMb, goalSeconds, goalRssMb: 300, notes: `${ratio(again)}; ${vsInsert(again)}` },
      { section: 'data import', name: `${label}, dry run`, count: 1_000_000, unit: 'values', seconds: dry.seconds, peakRssMb: dry.peakRssMb, goalSeconds, goalRssMb: 300, notes: `${ratio(dry)}; ${vsInsert(dry)}` },
      { section: 'data import', name: `${label}, floor (bare parser + one prepared INSERT)`, count: 1_000_000, unit: 'values', seconds: floor.seconds, peakRssMb: floor.peakRssMb, notes: fl },
    );
  }
  if (jobMode === 'inline' && keys.includes('csv')) {
    const db = path.join(dir, 'run-worker.sqlite');
    rmDb(db);
    fs.copyFileSync(template, db);
    // the app's worker is the built JavaScript (electron-vite build), not TypeScript compiled by tsx at start-up
    const wk = runChild(child, ['import', files.csv!, db, 'real', 'worker'], built ? { FERRY_WORKER_PATH: built } : {});
    rmDb(db);
    results.push({
      section: 'data import', name: 'CSV plain, empty database, worker job (as the app runs it)', count: 1_000_000, unit: 'values', seconds: wk.seconds, peakRssMb: wk.peakRssMb,
      goalSeconds: 8, goalRssMb: 300,
      notes: `CPU ${Number(wk.cpuSeconds).toFixed(1)} s; ${built ? 'the built worker (out/main/worker.js)' : 'worker started under tsx (the build failed)'}`,
    });
  }
  if (genSeconds > 1) results.push({ section: 'data import', name: 'generating the 6 bench files (first run only)', count: 6_000_000, unit: 'values', seconds: genSeconds, peakRssMb: 0 });
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const formats = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const jobMode = process.argv.includes('--worker') ? 'worker' : 'inline';
  for (const r of await benchData({ formats: formats.length ? formats : undefined, jobMode })) console.log(JSON.stringify(r));
}

/** Builds the app bundle once; returns the built job worker, or null when the build fails. */
function buildAppWorker(): string | null {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: repoRoot, encoding: 'utf8' });
  const worker = path.join(repoRoot, 'out/main/worker.js');
  return r.status === 0 && fs.existsSync(worker) ? worker : null;
}
