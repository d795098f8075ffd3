import { afterEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { ferryCli } from '../helpers/cli.ts';
import { runCli } from '../../src-main/cli/main.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { JOB_WORKER_LIMITS, jobHeapMb } from '../../src-main/jobs/worker-limits.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata } from '../unit/importers/data-values/helpers.ts';

/**
 * `ferry import` runs everything of the engine in its job worker (cli/job-host.ts), the command's thread being a job
 * client (cli/job-client.ts): same outputs, same exit status, the job cancelled by Ctrl+C; every job worker (the
 * app's and the command's) is started with the heap limits of jobs/worker-limits.ts.
 */

// every worker a job starts, with the limits it was given and the ones it runs with (read while it runs)
const started: { entry: string; data: unknown; given: unknown; running: Worker['resourceLimits'] }[] = [];
/** set by a test: called with each worker started */
let onStart: ((w: Worker) => void) | null = null;
vi.mock('../../src-main/jobs/start-worker.ts', async (original) => {
  const m = await original<typeof import('../../src-main/jobs/start-worker.ts')>();
  return {
    ...m,
    startWorker: (entry: string, data: unknown, limits?: Parameters<typeof m.startWorker>[2]) => {
      const w = m.startWorker(entry, data, limits);
      started.push({ entry, data, given: limits, running: w.resourceLimits });
      onStart?.(w);
      return w;
    },
  };
});

const open: Ferry[] = [];
afterEach(async () => {
  for (const f of open.splice(0)) await f.close();
  started.length = 0;
  onStart = null;
});

/** a database with SMALL_METADATA and a CSV of `rows` values of it (2 org units × 3 combos a day) */
async function site(rows: number): Promise<{ dir: string; dbPath: string; csv: string }> {
  const dir = tmpDir('ferry-cli-worker-');
  const dbPath = path.join(dir, 'site.sqlite');
  const f = openFerry({ dbPath, mode: 'inline', user: 'tester' });
  loadMetadata(f.db, SMALL_METADATA);
  await f.close();
  const combos = [
    ['DeInteger01', 'HllvX50cXC0'],
    ['DeNumber001', 'CocMale0001'],
    ['DeNumber001', 'CocFemale01'],
  ];
  const lines = [CSV_HEADER];
  const day = new Date(Date.UTC(1950, 0, 1));
  for (let i = 0; i < rows; ) {
    const iso = day.toISOString().slice(0, 10).replace(/-/g, '');
    for (const ou of ['OuClinicA01', 'OuClinicB01'])
      for (const [de, coc] of combos) {
        if (i >= rows) break;
        lines.push(`${de},${iso},${ou},${coc},HllvX50cXC0,${(i % 1000) + 1},tester,2024-01-01T00:00:00.000,,false,false`);
        i++;
      }
    day.setUTCDate(day.getUTCDate() + 1);
  }
  const csv = path.join(dir, 'values.csv');
  fs.writeFileSync(csv, lines.join('\n') + '\n');
  return { dir, dbPath, csv };
}

function copyOf(dbPath: string, name: string): string {
  const to = path.join(path.dirname(dbPath), name);
  fs.copyFileSync(dbPath, to);
  return to;
}

function storedValues(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM data_value`).pluck().get() as number;
  } finally {
    db.close();
  }
}

function jobsOf(dbPath: string): { id: number; status: string; result_status: string | null }[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(`SELECT id, status, result_status FROM job ORDER BY id`).all() as { id: number; status: string; result_status: string | null }[];
  } finally {
    db.close();
  }
}

describe('the job worker heap limits', () => {
  it('half the memory, between 1 GB and 4 GB', () => {
    expect(jobHeapMb(2 * 2 ** 30)).toBe(1024);
    expect(jobHeapMb(4 * 2 ** 30)).toBe(2048);
    expect(jobHeapMb(6 * 2 ** 30)).toBe(3072);
    expect(jobHeapMb(24 * 2 ** 30)).toBe(4096);
    expect(JOB_WORKER_LIMITS.maxOldGenerationSizeMb).toBeGreaterThanOrEqual(1024);
  });

  it("the app's job worker (a worker-mode job manager) runs with them", async () => {
    const { dbPath, csv } = await site(30);
    const ferry = openFerry({ dbPath, mode: 'worker', user: 'tester' });
    open.push(ferry);
    const r = await invoke(ferry.handlers, 'import:start', { files: [csv], options: {} });
    if (!r.ok) throw new Error(r.error.message);
    const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
    expect(job.summary).toMatchObject({ importCount: { imported: 30 } });
    const jobWorkers = started.filter((s) => (s.data as { spec?: unknown }).spec);
    expect(jobWorkers).toHaveLength(1);
    expect(jobWorkers[0]!.given).toEqual(JOB_WORKER_LIMITS);
    expect(jobWorkers[0]!.running?.maxOldGenerationSizeMb).toBe(JOB_WORKER_LIMITS.maxOldGenerationSizeMb);
  }, 60_000);
});

describe('ferry import through its job worker', () => {
  it('one worker runs the whole import, with the heap limits; --json and the exit status are those of the in-process command', async () => {
    const { dbPath, csv, dir } = await site(60);
    const inWorker = copyOf(dbPath, 'w.sqlite');
    const w = await ferryCli(['--db', inWorker, 'import', csv, '--json'], { inline: false });
    const i = await ferryCli(['--db', dbPath, 'import', csv, '--json']);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toBe(i.stdout);
    expect(w.json()).toMatchObject({ status: 'SUCCESS', importCount: { imported: 60 } });
    expect(started).toHaveLength(1);
    expect(started[0]!.data).toMatchObject({ cli: { channel: 'import:start', dbPath: inWorker } });
    expect(started[0]!.given).toEqual(JOB_WORKER_LIMITS);
    expect(started[0]!.running?.maxOldGenerationSizeMb).toBe(JOB_WORKER_LIMITS.maxOldGenerationSizeMb);
    expect(jobsOf(inWorker)).toEqual([{ id: 1, status: 'done', result_status: 'SUCCESS' }]);

    // refusals before any job: the same bytes and status as on the command's thread (JSON and text)
    for (const args of [
      ['import', path.join(dir, 'nope.csv'), '--json'],
      ['import', path.join(dir, 'nope.csv')],
      ['import', csv, '--format', 'frobnicate', '--json'],
      ['import', csv, '--strategy', 'SIDEWAYS'],
    ]) {
      const a = await ferryCli(['--db', inWorker, ...args], { inline: false });
      const b = await ferryCli(['--db', dbPath, ...args]);
      expect(a.code, args.join(' ')).toBe(b.code);
      expect(a.code, args.join(' ')).toBe(2);
      expect(a.stdout, args.join(' ')).toBe(b.stdout);
      expect(a.stderr, args.join(' ')).toBe(b.stderr);
    }
    // a database that cannot be opened is said as before too
    const notDb = path.join(dir, 'letter.sqlite');
    fs.writeFileSync(notDb, 'Dear district office, '.repeat(400));
    const a = await ferryCli(['--db', notDb, 'import', csv, '--json'], { inline: false });
    const b = await ferryCli(['--db', notDb, 'import', csv, '--json']);
    expect([a.code, a.stdout]).toEqual([b.code, b.stdout]);
    expect(a.code).not.toBe(0);
  }, 120_000);

  it("on a terminal, the job's progress comes from the worker to the command's progress line, cleared at the end", async () => {
    const { dbPath, csv } = await site(200_000);
    let stdout = '';
    let stderr = '';
    const code = await runCli(['--db', dbPath, 'import', csv], {
      stdout: (x) => void (stdout += x),
      stderr: (x) => void (stderr += x),
      isTTY: true,
      env: { ...process.env, FERRY_LANG: 'en', FERRY_INLINE_JOBS: '' },
    });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('200,000');
    // '\r' + a bar per progress event, then the line blanked
    expect(stderr).toMatch(/\rvalues\.csv \S+.*\[[#.]+\]/);
    expect(stderr.endsWith('\r')).toBe(true);
  }, 120_000);

  it('a job worker that dies mid-job (killed, out of memory): the job is recorded as failed by the command, nothing stored, exit status 1', async () => {
    const { dbPath, csv } = await site(300_000);
    onStart = (w) => w.on('message', (m: { type: string }) => void (m.type === 'started' && setTimeout(() => void w.terminate(), 300)));
    const r = await ferryCli(['--db', dbPath, 'import', csv, '--json'], { inline: false });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.json()).toMatchObject({ status: 'ERROR', error: { code: 'INTERNAL', message: expect.stringContaining('The job worker stopped unexpectedly') } });
    expect(jobsOf(dbPath)).toEqual([{ id: 1, status: 'failed', result_status: 'ERROR' }]);
    expect(storedValues(dbPath)).toBe(0);
  }, 120_000);

  it('Ctrl+C cancels the job in the worker: rolled back, recorded as cancelled, exit status 1', async () => {
    const { dbPath, csv } = await site(300_000);
    const run = ferryCli(['--db', dbPath, 'import', csv, '--json'], { inline: false });
    // wait until the worker's job runs, then interrupt the command
    const t0 = Date.now();
    while (!jobsOf(dbPath).some((j) => j.status === 'running')) {
      if (Date.now() - t0 > 60_000) throw new Error('the job never started');
      await new Promise((r) => setTimeout(r, 20));
    }
    process.emit('SIGINT');
    const r = await run;
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.json()).toMatchObject({ status: 'ERROR', error: { code: 'CANCELLED' } });
    expect(jobsOf(dbPath)).toEqual([{ id: 1, status: 'cancelled', result_status: 'ERROR' }]);
    expect(storedValues(dbPath)).toBe(0);
  }, 120_000);
});
