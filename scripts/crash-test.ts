/**
 * `npm run crash-test` (not in CI): kill -9 at random points of real `ferry` commands — data imports, metadata imports,
 * dry runs, exports — and check after each kill that
 *   1. SQLite's integrity check says ok (after the recovery a new connection does),
 *   2. the database equals either its state before the command or the state the same command reaches when it is not
 *      killed (a reference run on a copy): a digest of data_value, period and metadata_object (by uid, ignoring the
 *      timestamps a job writes),
 *   3. the job history agrees: the command's job is 'done' with the reference's result when the data are the after
 *      state, and absent or marked 'interrupted' (once Ferry reopens the database) when they are the before state;
 *      earlier jobs are unchanged,
 *   4. an export's output file is absent or byte-identical to the reference export.
 * The database left by a round is the next round's starting point. Kills fall at a random moment of the command's run,
 * or — for 40 % of the imports — 0-400 ms after its COMMIT starts writing the -wal (sync, checkpoint), the moments a
 * power cut is most dangerous in.
 *
 *   npm run crash-test -- [--rounds 20] [--values 100000] [--seed 1] [--keep]
 *
 * Adding an operation (the future "receive") is one entry in OPS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { COC_UIDS, PERIODS, deUid, forEachValue, metadataPayload, ouUid } from './bench/data-generate.ts';
import { repoRoot } from './bench/measure.ts';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const ROUNDS = flag('rounds', 20);
const VALUES = flag('values', 100_000);
const SEED = flag('seed', 1);
const KEEP = args.includes('--keep');

// seeded PRNG (mulberry32): a failing run can be repeated with its --seed
let state = SEED >>> 0;
const rand = (): number => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-crash-'));
const db = path.join(dir, 'site.sqlite');
const FERRY = path.join(repoRoot, 'bin/ferry.mjs');

interface Op {
  name: string;
  weight: number;
  /** the ferry arguments after --db; `out` is where an export writes */
  args(round: number, out: string): string[];
  /** a data import that changes the data: it says which file it imports */
  file?: () => 'a' | 'b';
  /** true when the command writes an output file that must be all-or-nothing */
  exports?: boolean;
}

/** The files the operations use (written once). */
const files = { a: path.join(dir, 'values-a.csv'), b: path.join(dir, 'values-b.csv'), meta: (r: number) => path.join(dir, `metadata-${r}.json`) };

/** the data file whose values the database holds (after an import of it committed); the next import brings the other */
let held: 'a' | 'b' | null = null;
const next = (): 'a' | 'b' => (held === 'a' ? 'b' : 'a');

const OPS: Op[] = [
  { name: 'import data', weight: 5, args: () => ['import', files[next()], '--json'], file: next },
  { name: 'import again', weight: 1, args: () => ['import', files[held ?? 'a'], '--json'] },
  { name: 'import metadata', weight: 2, args: (r) => ['import', writeMetadata(r), '--json'] },
  { name: 'dry run', weight: 1, args: () => ['import', files.a, '--dry-run', '--json'] },
  { name: 'export data', weight: 2, args: (_r, out) => ['export', 'data', '--out', out, '--format', 'csv', '--json'], exports: true },
  // { name: 'receive', weight: 2, args: (r) => ['receive', …] }: the hook for the "receive" of a later issue
];

function writeCsv(file: string, shift: number): void {
  const fd = fs.openSync(file, 'w');
  let buf = 'dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup\n';
  let n = 0;
  forEachValue((ou, pe, de, coc, value) => {
    if (n++ >= VALUES) return;
    buf += `${deUid(de)},${PERIODS[pe]},${ouUid(ou)},${COC_UIDS[coc]},HllvX50cXC0,${Number(value) + shift},crash,2024-02-01T10:00:00.000+0000,,false\n`;
    if (buf.length > 1 << 20) (fs.writeSync(fd, buf), (buf = ''));
  });
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
}

/** The data elements renamed for round r: every metadata import changes something. */
function writeMetadata(round: number): string {
  const p = metadataPayload();
  const file = files.meta(round);
  const des = (p.dataElements as { name: string }[]).map((d) => ({ ...d, name: `${d.name} (round ${round})` }));
  fs.writeFileSync(file, JSON.stringify({ dataElements: des }));
  return file;
}

interface Snapshot {
  ok: boolean;
  integrity: string;
  /** data_value + period + metadata_object */
  data: string;
  /** (id, kind, direction, dry_run, status, result_status) per job */
  jobs: { id: number; key: string; status: string; result: string | null }[];
}

/** Opens the database as SQLite does after a crash (recovering the -wal) and reads what the checks compare. */
function snapshot(file: string): Snapshot {
  const conn = new Database(file);
  try {
    const integrity = (conn.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
    const h = crypto.createHash('sha256');
    const feed = (sql: string): void => {
      for (const row of conn.prepare(sql).raw().iterate() as IterableIterator<unknown[]>) h.update(JSON.stringify(row) + '\n');
    };
    feed(`SELECT de.uid, p.iso, ou.uid, coc.uid, aoc.uid, v.value, v.comment, v.followup, v.deleted, v.stored_by
          FROM data_value_decoded v JOIN metadata_object de ON de.id = v.de JOIN metadata_object ou ON ou.id = v.ou
          JOIN metadata_object coc ON coc.id = v.coc JOIN metadata_object aoc ON aoc.id = v.aoc JOIN period p ON p.id = v.pe
          ORDER BY 1, 2, 3, 4, 5`);
    feed(`SELECT iso, type, start_date, end_date FROM period ORDER BY iso`);
    feed(`SELECT type, uid, code, name, json_remove(json, '$.lastUpdated', '$.created', '$.lastUpdatedBy', '$.createdBy') FROM metadata_object ORDER BY type, uid`);
    const jobs = (conn.prepare(`SELECT id, kind, direction, dry_run, status, result_status FROM job ORDER BY id`).all() as Record<string, unknown>[]).map((j) => ({
      id: j.id as number,
      key: `${j.direction} ${j.kind}${j.dry_run ? ' (dry run)' : ''}`,
      status: j.status as string,
      result: j.result_status as string | null,
    }));
    return { ok: integrity === 'ok', integrity, data: h.digest('hex').slice(0, 16), jobs };
  } finally {
    conn.close();
  }
}

function ferrySync(dbFile: string, a: string[]): { status: number | null; stdout: string; stderr: string; ms: number } {
  const t = performance.now();
  const r = spawnSync(process.execPath, [FERRY, '--db', dbFile, ...a], { encoding: 'utf8', maxBuffer: 256 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t };
}

const walSize = (dbFile: string): number => {
  try {
    return fs.statSync(`${dbFile}-wal`).size;
  } catch {
    return 0;
  }
};

/**
 * Runs ferry and kills it (SIGKILL: the process and its job worker) after `ms`, unless it ends first — or, with
 * `atCommit`, `ms` after its -wal starts to grow by more than 256 KB: a job keeps its pages in its 64 MB cache until
 * COMMIT writes them to the -wal, syncs it and checkpoints, so this lands in the commit.
 */
function ferryKilled(dbFile: string, a: string[], ms: number, atCommit: boolean): Promise<{ killed: boolean; status: number | null }> {
  return new Promise((resolve) => {
    const start = walSize(dbFile);
    const child = spawn(process.execPath, [FERRY, '--db', dbFile, ...a], { stdio: 'ignore' });
    let killed = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const kill = (): void => void (killed = child.kill('SIGKILL'));
    const watch = atCommit
      ? setInterval(() => {
          if (timer || walSize(dbFile) < start + 256 * 1024) return;
          timer = setTimeout(kill, ms);
        }, 2)
      : null;
    if (!atCommit) timer = setTimeout(kill, ms);
    child.on('exit', (status) => {
      if (timer) clearTimeout(timer);
      if (watch) clearInterval(watch);
      resolve({ killed: killed && status === null, status });
    });
  });
}

const copyDb = (from: string, to: string): void => {
  for (const s of ['', '-wal', '-shm']) {
    fs.rmSync(to + s, { force: true });
    if (fs.existsSync(from + s)) fs.copyFileSync(from + s, to + s);
  }
};

function pick(): Op {
  const total = OPS.reduce((n, o) => n + o.weight, 0);
  let r = rand() * total;
  for (const o of OPS) if ((r -= o.weight) < 0) return o;
  return OPS[0]!;
}

async function main(): Promise<number> {
  console.error(`crash test in ${dir}: ${ROUNDS} rounds, ${VALUES.toLocaleString('en')} values per data file, seed ${SEED}`);
  fs.writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify(metadataPayload()));
  writeCsv(files.a, 0);
  writeCsv(files.b, 1);
  const setup = ferrySync(db, ['import', path.join(dir, 'metadata.json'), '--json']);
  if (setup.status !== 0) throw new Error(`setup failed: ${setup.stderr}`);
  const startup = ferrySync(db, ['info']).ms;
  console.error(`setup done; a ferry command takes ${Math.round(startup)} ms to start`);

  const rows: string[] = [];
  const tally = { before: 0, after: 0, same: 0, finished: 0, failed: 0 };
  for (let round = 1; round <= ROUNDS; round++) {
    const op = pick();
    const before = snapshot(db);
    // the reference: the same command, not killed, on a copy
    const ref = path.join(dir, 'reference.sqlite');
    copyDb(db, ref);
    const refOut = path.join(dir, `reference-${round}.csv`);
    const refRun = ferrySync(ref, op.args(round, refOut));
    if (refRun.status !== 0) throw new Error(`round ${round} ${op.name}: the reference run failed (${refRun.status}): ${refRun.stderr || refRun.stdout.slice(0, 500)}`);
    const after = snapshot(ref);
    const refJob = after.jobs.at(-1)!;
    // the victim: killed at a random moment between the start of the command and the reference's end
    const out = path.join(dir, `export-${round}.csv`);
    // a third of the imports are killed in their commit (see ferryKilled), the rest at a random moment of their run
    const atCommit = !op.exports && op.name !== 'dry run' && rand() < 0.4;
    const killAt = atCommit ? Math.round(rand() * 400) : Math.round(startup * 0.5 + rand() * (refRun.ms * 1.05 - startup * 0.5));
    const file = op.file?.();
    const victim = await ferryKilled(db, op.args(round, out), killAt, atCommit);
    const got = snapshot(db);
    const problems: string[] = [];
    if (!got.ok) problems.push(`integrity: ${got.integrity}`);
    let state: 'before' | 'after' | 'same';
    if (before.data === after.data) state = 'same';
    else if (got.data === after.data) state = 'after';
    else state = 'before';
    if (got.data !== before.data && got.data !== after.data) problems.push(`data ${got.data} is neither the before (${before.data}) nor the after state (${after.data})`);
    // job history: earlier jobs unchanged; this command's job agrees with the data
    const earlier = got.jobs.filter((j) => j.id <= (before.jobs.at(-1)?.id ?? 0));
    if (JSON.stringify(earlier) !== JSON.stringify(before.jobs)) problems.push('earlier jobs changed');
    const mine = got.jobs.filter((j) => j.id > (before.jobs.at(-1)?.id ?? 0));
    if (mine.length > 1) problems.push(`${mine.length} jobs recorded`);
    const job = mine[0];
    if (state === 'after' && (!job || job.status !== 'done' || job.result !== refJob.result)) problems.push(`data committed but job is ${job ? `${job.status} ${job.result}` : 'absent'}`);
    if (state === 'before' && job && !['queued', 'running'].includes(job.status)) problems.push(`data not committed but job is ${job.status} ${job.result}`);
    if (state === 'same' && job && !['queued', 'running', 'done'].includes(job.status)) problems.push(`job is ${job.status}`);
    // once Ferry reopens the database, a job of the killed process is 'interrupted'
    if (job && job.status !== 'done') {
      const listed = ferrySync(db, ['jobs', '--json']);
      const status = (JSON.parse(listed.stdout) as { id: number; status: string }[]).find((j) => j.id === job.id)?.status;
      if (status !== 'interrupted') problems.push(`after reopening, the killed job is ${status}`);
    }
    if (op.exports && fs.existsSync(out) && !fs.readFileSync(out).equals(fs.readFileSync(refOut))) problems.push('the export file is incomplete');
    for (const f of [out, `${out}.part`, refOut]) fs.rmSync(f, { force: true });
    const when = atCommit ? `${killAt} ms into its commit` : `at ${killAt} ms`;
    const outcome = victim.killed ? `killed ${when}` : `finished (exit ${victim.status}) before its kill`;
    if (file && state === 'after') held = file;
    tally[state]++;
    if (!victim.killed) tally.finished++;
    if (problems.length) tally.failed++;
    const line = `round ${String(round).padStart(2)}: ${(op.name + (file ? ` ${file.toUpperCase()}` : '')).padEnd(16)} ${outcome.padEnd(44)} → ${state === 'same' ? 'nothing to change' : `${state} state`}, integrity ${got.ok ? 'ok' : 'FAILED'}, job ${job ? job.status : 'not recorded'}${problems.length ? `  PROBLEMS: ${problems.join('; ')}` : ''}`;
    console.error(line);
    rows.push(line);
  }
  const summary = `${ROUNDS} rounds (seed ${SEED}, ${VALUES.toLocaleString('en')} values per file): ${tally.before} left the before state, ${tally.after} the after state, ${tally.same} had nothing to change; ${tally.finished} finished before their kill; ${tally.failed} with problems`;
  console.log(summary);
  if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
  else console.error(`kept ${dir}`);
  return tally.failed ? 1 : 0;
}

process.exitCode = await main();
