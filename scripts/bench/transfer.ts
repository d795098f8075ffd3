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

/** The halves of the transfer section, in order (the receive half is added here). */
export const HALVES: (() => Promise<BenchResult[]>)[] = [benchSend];

export async function benchTransfer(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const half of HALVES) out.push(...(await half()));
  return out;
}
