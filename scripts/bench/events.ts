/**
 * Events bench (issue 9): 100,000 generated events × 10 data values (1,000,000 event values) of one event program
 * across 1,000 org units, as tracker JSON and tracker CSV (under bench-data/events/, gitignored, generated once). For
 * each file, in fresh child processes (inline jobs): import into an empty database (metadata only), re-import of the
 * same file (every event updated), a dry run, and the floor — Ferry's bare event reader over the same file, each event
 * and its values inserted as they are read with one prepared statement each, in one transaction; then the export of all events as
 * tracker JSON and CSV. Goals: import ≤ 10 s, ≤ 1.5 × the floor, peak RSS ≤ 300 MB; export ≤ 6 s.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, runChild, type BenchResult } from './measure.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'events-child.ts');
const N = 100_000;

function rmDb(p: string): void {
  for (const s of ['', '-wal', '-shm']) fs.rmSync(p + s, { force: true });
}

export async function benchEvents(opts: { formats?: string[] } = {}): Promise<BenchResult[]> {
  const dir = path.join(repoRoot, 'bench-data', 'events');
  if (!fs.existsSync(path.join(dir, 'events.csv')) || !fs.existsSync(path.join(dir, 'events.json'))) runChild(child, ['generate', dir]);
  const template = path.join(dir, 'template.sqlite');
  rmDb(template);
  runChild(child, ['template', path.join(dir, 'metadata.json'), template]);
  const results: BenchResult[] = [];
  let exportDb: string | null = null;
  for (const format of opts.formats ?? ['json', 'csv']) {
    const file = path.join(dir, `events.${format}`);
    const label = `tracker ${format.toUpperCase()} (${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB)`;
    const db = path.join(dir, `run-${format}.sqlite`);
    const fresh = (): void => {
      rmDb(db);
      fs.copyFileSync(template, db);
    };
    fresh();
    const floor = runChild(child, ['floor', file, db, format]);
    fresh();
    const imp = runChild(child, ['import', file, db]);
    if (imp.created !== N || imp.values !== N * 10) throw new Error(`${label}: expected ${N} events created with ${N * 10} values, got ${JSON.stringify(imp)}`);
    const again = runChild(child, ['import', file, db]);
    if (again.updated !== N) throw new Error(`${label}: the re-import should update every event, got ${JSON.stringify(again)}`);
    if (!exportDb) {
      exportDb = path.join(dir, 'export.sqlite');
      rmDb(exportDb);
      fs.copyFileSync(db, exportDb);
      for (const s of ['-wal', '-shm']) if (fs.existsSync(db + s)) fs.copyFileSync(db + s, exportDb + s);
    }
    fresh();
    const dry = runChild(child, ['import', file, db, 'dry']);
    if (dry.created !== N || dry.stored !== 0) throw new Error(`${label}: the dry run should count ${N} created and store none, got ${JSON.stringify(dry)}`);
    rmDb(db);
    const cpu = (r: Record<string, unknown>): number => Number(r.cpuSeconds ?? 0);
    const ratio = (r: { seconds: number; [k: string]: unknown }): string =>
      `${(r.seconds / floor.seconds).toFixed(2)}× floor (CPU ${cpu(r).toFixed(1)} s = ${(cpu(r) / cpu(floor)).toFixed(2)}× floor CPU)`;
    const fl = `floor ${floor.seconds.toFixed(2)} s = parse ${(floor.parseSeconds as number).toFixed(2)} s + insert ${(floor.insertSeconds as number).toFixed(2)} s`;
    results.push(
      { section: 'events import', name: `${label}, empty database`, count: N, unit: 'events', seconds: imp.seconds, peakRssMb: imp.peakRssMb, goalSeconds: 10, goalRssMb: 300, notes: `${ratio(imp)}, goal ≤ 1.5×; ${fl}; inline job` },
      { section: 'events import', name: `${label}, re-import (all updated)`, count: N, unit: 'events', seconds: again.seconds, peakRssMb: again.peakRssMb, goalSeconds: 10, goalRssMb: 300, notes: ratio(again) },
      { section: 'events import', name: `${label}, dry run`, count: N, unit: 'events', seconds: dry.seconds, peakRssMb: dry.peakRssMb, goalSeconds: 10, goalRssMb: 300, notes: ratio(dry) },
      { section: 'events import', name: `${label}, floor (bare reader + prepared INSERTs)`, count: N, unit: 'events', seconds: floor.seconds, peakRssMb: floor.peakRssMb, notes: fl },
    );
  }
  if (exportDb) {
    for (const format of ['json', 'csv']) {
      const out = path.join(dir, `out.${format}`);
      const x = runChild(child, ['export', exportDb, out, format]);
      if (x.count !== N || x.values !== N * 10) throw new Error(`events export ${format}: expected ${N} events and ${N * 10} values, got ${JSON.stringify(x)}`);
      results.push({ section: 'events export', name: `tracker ${format.toUpperCase()}, all events, uncompressed (${((x.bytes as number) / 2 ** 20).toFixed(0)} MB)`, count: N, unit: 'events', seconds: x.seconds, peakRssMb: x.peakRssMb, goalSeconds: 6, goalRssMb: 300, notes: `CPU ${Number(x.cpuSeconds).toFixed(1)} s; inline job` });
      fs.rmSync(out, { force: true });
    }
    rmDb(exportDb);
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const formats = process.argv.slice(2);
  for (const r of await benchEvents({ formats: formats.length ? formats : undefined })) console.log(JSON.stringify(r));
}
