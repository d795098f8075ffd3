/**
 * CLI bench: the `ferry` command as a user runs it (node bin/ferry.mjs, the built CLI; the bundle is built first when
 * it is missing or stale), each run a fresh process timed from spawn to exit, peak RSS from /usr/bin/time when present.
 *   ferry --help                       best of 5 (FERRY_BENCH_RUNS), goal ≤ 0.3 s
 *   ferry info on the 1M-value database of the export bench (bench-data/export/values.sqlite), best of 5, goal ≤ 0.3 s
 *   ferry import of the data bench's 1M-value CSV into a fresh copy of its template, beside the bench's in-process
 *   import of the same file (data-child.ts, inline job): best of 3 each (FERRY_BENCH_IMPORT_RUNS), run alternately
 *   (command, in-process, command, …) so that a change of the machine's load hits both; the ratio of the bests, goal
 *   ≤ 1.15×, and the ratio of each pair
 * What the command pays that the in-process figure does not: node's start and the CLI's modules (~0.2 s), its job
 * worker's start with the engine's modules (~0.25 s: the command's thread loads none since 2026-12-08, cli/job-client.ts),
 * opening the database, the checkpoint after a large import and closing. The statistics after a large import are
 * gathered inside the job's transaction (in both figures).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoRoot, runChild, type BenchResult } from './measure.ts';
import { generate } from './data-generate.ts';
import { builtCliState } from '../../bin/sources-stamp.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ferryBin = path.join(repoRoot, 'bin/ferry.mjs');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function rmDb(p: string): void {
  for (const s of ['', '-wal', '-shm']) fs.rmSync(p + s, { force: true });
}

/** One `ferry …` process: wall seconds (spawn to exit), peak RSS in MB (0 without /usr/bin/time), stdout. */
export function ferry(args: string[]): { seconds: number; peakRssMb: number; stdout: string } {
  const rss = TIME ? path.join(repoRoot, 'bench-data', `.ferry-time-${process.pid}`) : null;
  const [cmd, argv] = TIME ? [TIME, ['-f', '%M', '-o', rss!, process.execPath, ferryBin, ...args]] : [process.execPath, [ferryBin, ...args]];
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FERRY_FROM_SOURCES: '' } });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`ferry ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  if (/running the sources through tsx/.test(r.stderr)) throw new Error('ferry ran the sources, not the build');
  let peakRssMb = 0;
  if (rss && fs.existsSync(rss)) {
    peakRssMb = Math.round(Number(fs.readFileSync(rss, 'utf8').trim().split('\n').pop()) / 1024);
    fs.rmSync(rss, { force: true });
  }
  return { seconds, peakRssMb, stdout: r.stdout };
}

export function best(runs: number, args: string[]): { seconds: number; peakRssMb: number; stdout: string; all: number[] } {
  const all: number[] = [];
  let b: ReturnType<typeof ferry> | null = null;
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    const x = ferry(args);
    all.push(x.seconds);
    peak = Math.max(peak, x.peakRssMb);
    if (!b || x.seconds < b.seconds) b = x;
  }
  return { ...b!, peakRssMb: peak, all };
}

/** Builds the app (CLI, worker, parse worker) when missing or older than the sources; the built job worker's path, if any. */
export function buildCli(): string | null {
  if (!builtCliState(repoRoot).fresh) {
    const b = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: repoRoot, encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`electron-vite build failed:\n${b.stderr}`);
  }
  const worker = path.join(repoRoot, 'out/main/worker.js');
  return fs.existsSync(worker) ? worker : null;
}

export async function benchCli(opts: { runs?: number } = {}): Promise<BenchResult[]> {
  const runs = opts.runs ?? Number(process.env.FERRY_BENCH_RUNS ?? 5);
  buildCli();
  const results: BenchResult[] = [];
  const spread = (all: number[]): string => {
    const sorted = [...all].sort((a, b) => a - b);
    const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    return `median ${median.toFixed(2)} s; runs ${all.map((s) => s.toFixed(2)).join(', ')} s`;
  };

  const help = best(runs, ['--help']);
  results.push({ section: 'cli', name: 'ferry --help (the built CLI)', count: 1, unit: 'start', seconds: help.seconds, peakRssMb: help.peakRssMb, goalSeconds: 0.3, notes: `best of ${runs}; ${spread(help.all)}` });

  // the export bench's database of 1,000,000 values (built once; an older schema is upgraded by the first, untimed, start)
  const dir = path.join(repoRoot, 'bench-data');
  const exportDb = path.join(dir, 'export', 'values.sqlite');
  if (!fs.existsSync(path.join(dir, 'export', 'values.ready')) || !fs.existsSync(exportDb)) {
    fs.mkdirSync(path.dirname(exportDb), { recursive: true });
    const b = runChild(path.join(here, 'export-child.ts'), ['build', exportDb]);
    fs.writeFileSync(path.join(dir, 'export', 'values.ready'), String(b.count));
  }
  // a copy of it: the first start may upgrade its schema, which is not this section's to do to the export bench's file
  const infoDb = path.join(dir, 'run-cli-info.sqlite');
  rmDb(infoDb);
  fs.copyFileSync(exportDb, infoDb);
  if (fs.existsSync(`${exportDb}-wal`)) fs.copyFileSync(`${exportDb}-wal`, `${infoDb}-wal`);
  ferry(['--db', infoDb, 'info']);
  const info = best(runs, ['--db', infoDb, 'info', '--json']);
  const values = (JSON.parse(info.stdout) as { dataValues: number }).dataValues;
  if (values !== 1_000_000) throw new Error(`cli bench: the export bench database holds ${values} values, not 1,000,000`);
  rmDb(infoDb);
  results.push({ section: 'cli', name: 'ferry info, 1,000,000-value database', count: 1, unit: 'start', seconds: info.seconds, peakRssMb: info.peakRssMb, goalSeconds: 0.3, notes: `best of ${runs}; ${spread(info.all)}` });

  // the data bench's CSV: through the command and in-process (the bench's figure), into fresh copies of the template
  const { metadata, files } = generate(dir);
  const template = path.join(dir, 'template.sqlite');
  if (!fs.existsSync(template)) runChild(path.join(here, 'data-child.ts'), ['template', metadata, template]);
  const db = path.join(dir, 'run-cli.sqlite');
  const pairs = cliBesideInProcess(files.csv!, template, db, Number(process.env.FERRY_BENCH_IMPORT_RUNS ?? 3));
  rmDb(db);
  const mb = (fs.statSync(files.csv!).size / 2 ** 20).toFixed(0);
  results.push(...pairRows('cli', `ferry import, 1M-value CSV (${mb} MB), empty database (built CLI and its job worker, start to exit)`, `in-process import of the same file (the data bench's figure: inline job)`, pairs));
  return results;
}

/** One command run and one in-process run of the same import. */
export interface ImportPair {
  cli: ReturnType<typeof ferry>;
  inProcess: ReturnType<typeof runChild>;
}

/**
 * `ferry import FILE --json` and the in-process import of the same file (data-child.ts, inline job, the built parse
 * thread as the command's), each into a fresh copy of `template` at `db`, alternately, `runs` times: a drift of the
 * machine's load (other work on a shared machine) hits both sides instead of one. `db` is left holding the last
 * (in-process) import.
 */
export function cliBesideInProcess(file: string, template: string, db: string, runs: number, expect = 1_000_000): ImportPair[] {
  const copy = (): void => {
    rmDb(db);
    fs.copyFileSync(template, db);
  };
  const pairs: ImportPair[] = [];
  for (let i = 0; i < runs; i++) {
    copy();
    const cli = ferry(['--db', db, 'import', file, '--json']);
    const summary = JSON.parse(cli.stdout) as { importCount: { imported: number } };
    if (summary.importCount.imported !== expect) throw new Error(`bench: ferry import stored ${summary.importCount.imported}`);
    copy();
    const inProcess = runChild(path.join(here, 'data-child.ts'), ['import', file, db, 'real', 'inline'], { FERRY_PARSE_WORKER: path.join(repoRoot, 'out/main/data-parse-worker.js') });
    if (inProcess.imported !== expect) throw new Error(`bench: the in-process import stored ${String(inProcess.imported)}`);
    pairs.push({ cli, inProcess });
  }
  return pairs;
}

/** The two result rows of cliBesideInProcess: the bests, their ratio (the goal) and every pair's. */
export function pairRows(section: string, cliName: string, inName: string, pairs: ImportPair[]): BenchResult[] {
  const cli = pairs.map((p) => p.cli).reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const inProcess = pairs.map((p) => p.inProcess).reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const each = pairs.map((p) => `${p.cli.seconds.toFixed(2)}/${p.inProcess.seconds.toFixed(2)} s = ${(p.cli.seconds / p.inProcess.seconds).toFixed(2)}×`).join('; ');
  return [
    {
      section, name: cliName, count: 1_000_000, unit: 'values',
      seconds: cli.seconds, peakRssMb: Math.max(...pairs.map((p) => p.cli.peakRssMb)), goalSeconds: +(inProcess.seconds * 1.15).toFixed(2),
      notes: `${(cli.seconds / inProcess.seconds).toFixed(2)}× the in-process import (best of ${pairs.length} each, run alternately), goal ≤ 1.15×; pairs (command/in-process): ${each}`,
    },
    {
      section, name: inName, count: 1_000_000, unit: 'values',
      seconds: inProcess.seconds, peakRssMb: Math.max(...pairs.map((p) => p.inProcess.peakRssMb)),
      notes: `best of ${pairs.length}: ${pairs.map((p) => p.inProcess.seconds.toFixed(2)).join(', ')} s (data-child.ts import … inline)`,
    },
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await benchCli()) console.log(JSON.stringify(r));
}
