/**
 * Undo bench (issue 13): the data bench's 1,000,000-value CSV imported into a fresh database, then undone (every value
 * removed); then imported again and updated by a second file changing every value (1,000,000 before-images in the
 * journal), and that update undone (every value restored; the data_value table's rows compared by sha256 with the
 * state before the update). Goal: an undo of a 1,000,000-value import ≤ 10 s. The import and update import times are
 * printed beside them (the journal's cost on the hot path: compare with `npm run bench -- data` on a Ferry without it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, runChild, type BenchResult } from './measure.ts';
import { generate } from './data-generate.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataChild = path.join(here, 'data-child.ts');
const child = path.join(here, 'undo-child.ts');

function rmDb(p: string): void {
  for (const s of ['', '-wal', '-shm']) fs.rmSync(p + s, { force: true });
}

export async function benchUndo(): Promise<BenchResult[]> {
  const dir = path.join(repoRoot, 'bench-data');
  const { metadata, files } = generate(dir);
  const csv = files.csv!;
  const template = path.join(dir, 'undo-template.sqlite');
  rmDb(template);
  runChild(dataChild, ['template', metadata, template]);
  const updateFile = path.join(dir, 'values-updated.csv');
  if (!fs.existsSync(updateFile)) runChild(child, ['update-file', csv, updateFile]);
  const db = path.join(dir, 'run-undo.sqlite');
  const results: BenchResult[] = [];
  const cpu = (r: Record<string, unknown>): string => `CPU ${Number(r.cpuSeconds ?? 0).toFixed(1)} s`;

  // 1. import → undo (every value removed)
  rmDb(db);
  fs.copyFileSync(template, db);
  const empty = runChild(child, ['digest', db]);
  const imp = runChild(dataChild, ['import', csv, db, 'real', 'inline']);
  if (imp.imported !== 1_000_000) throw new Error(`expected 1,000,000 imported, got ${JSON.stringify(imp)}`);
  results.push({ section: 'undo', name: 'CSV import into an empty database (journal on)', count: 1_000_000, unit: 'values', seconds: imp.seconds, peakRssMb: imp.peakRssMb, notes: cpu(imp) });
  const undo1 = runChild(child, ['undo', db, 'last']);
  if (undo1.removed !== 1_000_000) throw new Error(`undo should remove 1,000,000 values, got ${JSON.stringify(undo1)}`);
  const after1 = runChild(child, ['digest', db]);
  if (after1.sha256 !== empty.sha256) throw new Error('the undo did not restore the empty table');
  results.push({ section: 'undo', name: 'undo of that import (1,000,000 values removed)', count: 1_000_000, unit: 'values', seconds: undo1.seconds, peakRssMb: undo1.peakRssMb, goalSeconds: 10, notes: `${cpu(undo1)}; data_value identical to before (sha256)` });

  // 2. import, update every value, undo the update (every value restored)
  rmDb(db);
  fs.copyFileSync(template, db);
  runChild(dataChild, ['import', csv, db, 'real', 'inline']);
  const before = runChild(child, ['digest', db]);
  const upd = runChild(dataChild, ['import', updateFile, db, 'real', 'inline']);
  if (upd.updated !== 1_000_000) throw new Error(`expected 1,000,000 updated, got ${JSON.stringify(upd)}`);
  const size = fs.statSync(db).size;
  results.push({ section: 'undo', name: 'update import of every value (1,000,000 before-images journaled)', count: 1_000_000, unit: 'values', seconds: upd.seconds, peakRssMb: upd.peakRssMb, notes: `${cpu(upd)}; database ${(size / 2 ** 20).toFixed(0)} MB after` });
  const undo2 = runChild(child, ['undo', db, 'last']);
  if (undo2.restored !== 1_000_000) throw new Error(`undo should restore 1,000,000 values, got ${JSON.stringify(undo2)}`);
  const after2 = runChild(child, ['digest', db]);
  if (after2.sha256 !== before.sha256) throw new Error('the undo did not restore the values exactly');
  results.push({ section: 'undo', name: 'undo of that update (1,000,000 values restored)', count: 1_000_000, unit: 'values', seconds: undo2.seconds, peakRssMb: undo2.peakRssMb, goalSeconds: 10, notes: `${cpu(undo2)}; data_value identical to before the update (sha256)` });
  rmDb(db);
  rmDb(template);
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await benchUndo()) console.log(JSON.stringify(r));
}
