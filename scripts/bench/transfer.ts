/**
 * Transfer bench (issue 13). Each half is a function returning its rows; `benchTransfer` runs them all — add a half
 * by adding it to HALVES.
 *  - send: the export bench's 1,000,000 values (1,000 facilities, 200 data elements, 12 months; built once under
 *    bench-data/transfer/, gitignored), numbered as written by one import, made into one package (every change) and
 *    beside it the plain DXF2 JSON zip export of the same values, each in a fresh child (worker job), best of 2 runs
 *    (FERRY_BENCH_RUNS). Goal: the package ≤ 1.5 × the plain export. CPU seconds (every thread) are reported beside
 *    wall time: on the shared machine wall times vary 2×.
 */
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, runChild, type BenchResult } from './measure.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const exportChild = path.join(here, 'export-child.ts');
const transferChild = path.join(here, 'transfer-child.ts');

export const TRANSFER_DIR = path.join(repoRoot, 'bench-data', 'transfer');

/** The 1,000,000-value database numbered as one import's writes (built once). */
export function transferDb(): string {
  fs.mkdirSync(TRANSFER_DIR, { recursive: true });
  const db = path.join(TRANSFER_DIR, 'values.sqlite');
  const ready = path.join(TRANSFER_DIR, 'values.ready');
  if (!fs.existsSync(ready) || !fs.existsSync(db)) {
    const b = runChild(exportChild, ['build', db]);
    if (b.count !== 1_000_000) throw new Error(`transfer bench: expected 1,000,000 generated values, got ${b.count}`);
    const p = runChild(transferChild, ['prepare', db]);
    if (p.count !== 1_000_000) throw new Error(`transfer bench: expected 1,000,000 numbered values, got ${p.count}`);
    fs.writeFileSync(ready, String(b.count));
  }
  return db;
}

function best(runs: number, run: () => ReturnType<typeof runChild>): ReturnType<typeof runChild> {
  let r: ReturnType<typeof runChild> | null = null;
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    const x = run();
    peak = Math.max(peak, x.peakRssMb);
    if (!r || x.seconds < r.seconds) r = x;
  }
  return { ...r!, peakRssMb: peak };
}

export async function benchSend(opts: { runs?: number } = {}): Promise<BenchResult[]> {
  const runs = opts.runs ?? Number(process.env.FERRY_BENCH_RUNS ?? 2);
  const db = transferDb();
  const plainOut = path.join(TRANSFER_DIR, 'plain.json.zip');
  const pkgOut = path.join(TRANSFER_DIR, 'package.zip');
  const plain = best(runs, () => runChild(transferChild, ['plain', db, plainOut, 'worker']));
  if (plain.count !== 1_000_000) throw new Error(`transfer bench: the plain export holds ${plain.count} values`);
  const send = best(runs, () => runChild(transferChild, ['send', db, pkgOut, 'worker']));
  if (send.count !== 1_000_000) throw new Error(`transfer bench: the package holds ${send.count} values`);
  for (const f of [plainOut, pkgOut]) fs.rmSync(f, { force: true });
  const mb = (b: unknown): string => ((b as number) / 2 ** 20).toFixed(0);
  const ratio = send.seconds / plain.seconds;
  const cpu = (x: ReturnType<typeof runChild>): number => x.cpuSeconds as number;
  const cpuRatio = cpu(send) / cpu(plain);
  return [
    { section: 'transfer', name: `plain data export, DXF2 JSON zip (${mb(plain.bytes)} MB)`, count: plain.count, unit: 'values', seconds: plain.seconds, peakRssMb: plain.peakRssMb, notes: `the baseline: CPU ${cpu(plain).toFixed(2)} s; worker job, best of ${runs}` },
    {
      section: 'transfer',
      name: `send: package of every change (${mb(send.bytes)} MB, ${(send.controlTotals as number).toLocaleString('en')} control totals)`,
      count: send.count,
      unit: 'values',
      seconds: send.seconds,
      peakRssMb: send.peakRssMb,
      goalSeconds: Math.round(plain.seconds * 1.5 * 100) / 100,
      notes: `${ratio.toFixed(2)} × the plain export's wall time, ${cpuRatio.toFixed(2)} × its CPU ${cpu(send).toFixed(2)} s (goal ≤ 1.5 ×): written, read back and verified; worker job, best of ${runs}`,
    },
  ];
}

const receiveChild = path.join(here, 'receive-child.ts');

/**
 * Receive half: the package of every change of the 1,000,000 values (made once by the send child) received into a
 * database holding the same metadata and no values, against the plain data import of the same values' DXF2 JSON zip
 * export into another such copy; each in a fresh child (worker job) on a fresh copy, best of FERRY_BENCH_RUNS. Goal:
 * receiving ≤ 1.5 × the plain import. Then the simulation test (50 facilities → district → province, with faults)
 * timed as a whole, vitest start included.
 */
export async function benchReceive(opts: { runs?: number } = {}): Promise<BenchResult[]> {
  const runs = opts.runs ?? Number(process.env.FERRY_BENCH_RUNS ?? 2);
  const db = transferDb();
  const pkg = path.join(TRANSFER_DIR, 'receive-package.zip');
  const plainFile = path.join(TRANSFER_DIR, 'receive-plain.json.zip');
  if (!fs.existsSync(pkg)) runChild(transferChild, ['send', db, pkg, 'worker']);
  if (!fs.existsSync(plainFile)) runChild(transferChild, ['plain', db, plainFile, 'worker']);
  // the send child removes nothing it was not asked to; it does remove a stale output first: make them again if gone
  if (!fs.existsSync(pkg) || !fs.existsSync(plainFile)) throw new Error('transfer bench: the package or the plain export was not written');
  const empty = path.join(TRANSFER_DIR, 'receive-empty.sqlite');
  if (!fs.existsSync(empty)) runChild(receiveChild, ['empty', db, empty]);
  const target = path.join(TRANSFER_DIR, 'receive-target.sqlite');
  const fresh = (): string => {
    for (const s of ['', '-wal', '-shm']) fs.rmSync(target + s, { force: true });
    fs.copyFileSync(empty, target);
    return target;
  };
  const plain = best(runs, () => runChild(receiveChild, ['import', fresh(), plainFile, 'worker']));
  if (plain.count !== 1_000_000) throw new Error(`transfer bench: the plain import imported ${plain.count} values`);
  const recv = best(runs, () => runChild(receiveChild, ['receive', fresh(), pkg, 'worker']));
  if (recv.count !== 1_000_000) throw new Error(`transfer bench: the receive imported ${recv.count} values`);
  for (const s of ['', '-wal', '-shm']) fs.rmSync(target + s, { force: true });
  const cpu = (x: ReturnType<typeof runChild>): number => x.cpuSeconds as number;
  const ratio = recv.seconds / plain.seconds;
  const out: BenchResult[] = [
    { section: 'transfer', name: 'plain data import, DXF2 JSON zip', count: plain.count, unit: 'values', seconds: plain.seconds, peakRssMb: plain.peakRssMb, notes: `the baseline: CPU ${cpu(plain).toFixed(2)} s; worker job, best of ${runs}` },
    {
      section: 'transfer',
      name: 'receive: the package of every change (verified, imported, recorded, reconciled)',
      count: recv.count,
      unit: 'values',
      seconds: recv.seconds,
      peakRssMb: recv.peakRssMb,
      goalSeconds: Math.round(plain.seconds * 1.5 * 100) / 100,
      notes: `${ratio.toFixed(2)} × the plain import's wall time, ${(cpu(recv) / cpu(plain)).toFixed(2)} × its CPU ${cpu(recv).toFixed(2)} s (goal ≤ 1.5 ×); ${recv.mismatches as number} reconciliation mismatches; worker job, best of ${runs}`,
    },
  ];
  // the simulation test as a whole (its own vitest process)
  const t0 = performance.now();
  const sim = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', 'tests/integration/transfer-simulation.test.ts'], { cwd: repoRoot, encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (sim.status !== 0) throw new Error(`transfer bench: the simulation failed:\n${sim.stdout.slice(-3000)}`);
  out.push({ section: 'transfer', name: 'simulation: 50 facilities × 12 months → district → province, with faults', count: 50, unit: 'facilities', seconds, peakRssMb: 0, notes: 'the simulation test as a whole (vitest start included; peak RSS not measured)' });
  return out;
}

/** The halves of the transfer section, in order. */
export const HALVES: (() => Promise<BenchResult[]>)[] = [benchSend, benchReceive];

export async function benchTransfer(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const half of HALVES) out.push(...(await half()));
  return out;
}
