import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { importers } from '../../src-main/jobs/registry.ts';
import type { Importer } from '../../src-main/jobs/types.ts';
import { AppError } from '../../src-shared/errors.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import { openDb } from '../../src-main/db/open.ts';
import type { ProgressEvent } from '../../src-shared/api/contract.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';
import { spawn } from 'node:child_process';

// A test importer under a kind no real importer uses yet; it writes `n` org units then behaves as told.
type Mode = 'ok' | 'fail' | 'slow';
let mode: Mode = 'ok';
const testImporter: Importer = {
  kind: 'pdf',
  async run(ctx, files) {
    const repo = new MetadataRepo(ctx.db);
    const n = mode === 'slow' ? 1_000_000 : 50;
    for (let i = 0; i < n; i++) {
      repo.upsert('organisationUnits', { id: `ou${String(i).padStart(9, '0')}`, name: `OU ${i}` }, files[0]!.fileId);
      ctx.progress({ stage: 'writing', done: i + 1, total: n, unit: 'records', records: i + 1, fileIndex: 0, fileName: files[0]!.name });
      if (i % 10 === 0) {
        ctx.throwIfCancelled();
        await new Promise((r) => setImmediate(r));
      }
      if (mode === 'fail' && i === 25) throw new AppError('BAD_FILE', `${files[0]!.name}: broken at line 26`, { file: files[0]!.name, line: 26 });
    }
    return {
      summary: { responseType: 'ImportSummary', status: 'SUCCESS', description: 'ok', importCount: { imported: n, updated: 0, ignored: 0, deleted: 0 }, conflicts: [], rejectedIndexes: [] },
      status: 'SUCCESS',
      commit: true,
      files: [{ index: 0, size: 3, sha256: 'abc', format: 'test', compression: 'none', status: 'SUCCESS' }],
    };
  },
};

const ouCount = (f: Ferry): number => (f.db.prepare(`SELECT count(*) FROM metadata_object WHERE type = 'organisationUnits'`).pluck().get() as number);

describe('job engine', () => {
  let ferry: Ferry;
  let dir: string;
  let file: string;
  const setup = (m: 'inline' | 'worker' = 'inline'): void => {
    dir = tmpDir();
    file = path.join(dir, 'input.txt');
    fs.writeFileSync(file, 'abc');
    ferry = openFerry({ dbPath: path.join(dir, 'ferry.sqlite'), mode: m });
    importers.pdf = testImporter;
  };
  afterEach(async () => {
    delete importers.pdf;
    mode = 'ok';
    await ferry?.close();
  });
  const start = (dryRun = false): number =>
    ferry.jobs.start({ direction: 'import', kind: 'pdf', dryRun, options: { dryRun }, files: [{ path: file, name: 'input.txt', size: 3 }] });

  it('commits a successful job and records it with its summary and file', async () => {
    setup();
    const job = await ferry.jobs.wait(start());
    expect(job.status).toBe('done');
    expect(job.resultStatus).toBe('SUCCESS');
    expect(job.files).toEqual([expect.objectContaining({ name: 'input.txt', sha256: 'abc', status: 'SUCCESS' })]);
    expect(ouCount(ferry)).toBe(50);
    const fileId = ferry.db.prepare(`SELECT id FROM job_file WHERE job_id = ?`).pluck().get(job.id);
    expect(ferry.db.prepare(`SELECT count(*) FROM metadata_object WHERE source_file_id = ?`).pluck().get(fileId)).toBe(50);
  });

  it('rolls a dry run back but keeps its summary in the history', async () => {
    setup();
    const job = await ferry.jobs.wait(start(true));
    expect(job.dryRun).toBe(true);
    expect(job.summary).toMatchObject({ importCount: { imported: 50 } });
    expect(ouCount(ferry)).toBe(0);
  });

  it('rolls back everything when the importer fails half-way, and keeps the error with file and line', async () => {
    setup();
    mode = 'fail';
    const job = await ferry.jobs.wait(start());
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'BAD_FILE', message: 'input.txt: broken at line 26', details: { line: 26 } });
    expect(ouCount(ferry)).toBe(0);
  });

  it('cancels a running job and leaves the database as it was', async () => {
    setup();
    mode = 'slow';
    const id = start();
    const off = ferry.jobs.on('job:progress', (e) => {
      if (e.jobId === id && e.done > 100) ferry.jobs.cancel(id);
    });
    const job = await ferry.jobs.wait(id);
    off();
    expect(job.status).toBe('cancelled');
    expect(job.error?.code).toBe('CANCELLED');
    expect(ouCount(ferry)).toBe(0);
  });

  it('throttles progress events and delivers the last one', async () => {
    setup();
    const events: ProgressEvent[] = [];
    ferry.jobs.on('job:progress', (e) => events.push(e));
    await ferry.jobs.wait(start());
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(20);
    expect(events.at(-1)).toMatchObject({ done: 50, total: 50, unit: 'records', fileName: 'input.txt' });
  });

  it('runs one job at a time, in order', async () => {
    setup();
    const a = start();
    const b = start();
    const [ja, jb] = await Promise.all([ferry.jobs.wait(a), ferry.jobs.wait(b)]);
    expect(Date.parse(jb.startedAt!)).toBeGreaterThanOrEqual(Date.parse(ja.finishedAt!));
    expect(ferry.jobs.jobs.list().map((j) => j.id)).toEqual([b, a]);
  });

  it('marks jobs a crash left running as interrupted when the database is opened again', async () => {
    setup();
    const dbPath = path.join(dir, 'ferry.sqlite');
    const db = openDb(dbPath);
    db.prepare(`INSERT INTO job (kind, direction, status, created_at, started_at) VALUES ('data', 'import', 'running', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z')`).run();
    db.close();
    await ferry.close();
    ferry = openFerry({ dbPath, mode: 'inline' });
    expect(ferry.jobs.jobs.list()[0]).toMatchObject({ status: 'interrupted', kind: 'data' });
  });

  it('runs jobs in a worker thread and reports its errors', async () => {
    setup('worker');
    // the worker has its own module registry: the test importer does not exist there
    const job = await ferry.jobs.wait(start());
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'UNSUPPORTED', message: "Ferry cannot import 'pdf' files yet." });
  });

  it('leaves the running job of another live process alone when the database is opened', async () => {
    setup();
    const dbPath = path.join(dir, 'ferry.sqlite');
    const db = openDb(dbPath);
    // process.ppid is alive (the test runner's parent); pid 2^22+7 is not
    db.prepare(`INSERT INTO job (kind, direction, status, created_at, pid, host) VALUES ('data', 'import', 'running', '2026-01-01T00:00:00Z', ?, ?)`).run(process.ppid, (await import('node:os')).hostname());
    db.prepare(`INSERT INTO job (kind, direction, status, created_at, pid, host) VALUES ('data', 'import', 'running', '2026-01-01T00:00:00Z', ?, ?)`).run(4194311, (await import('node:os')).hostname());
    db.close();
    await ferry.close();
    ferry = openFerry({ dbPath, mode: 'inline' });
    expect(ferry.jobs.jobs.list().slice(0, 2).map((j) => j.status)).toEqual(['interrupted', 'running']);
  });

  it('waits for another process that is writing, then imports and records the job as done', async () => {
    setup();
    const dbPath = path.join(dir, 'ferry.sqlite');
    const meta = path.join(dir, 'ou.json');
    fs.writeFileSync(meta, JSON.stringify({ organisationUnits: [{ id: 'ImspTQPwCqd', name: 'Sierra Leone', shortName: 'SL', openingDate: '1994-01-01' }] }));
    // another writer holds the lock for a while
    const other = openDb(dbPath);
    other.exec('BEGIN IMMEDIATE');
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/ferry.mjs'), '--db', dbPath, 'import', meta, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exit = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    // the child is now blocked behind the lock (creating its job row, or taking the write lock for its import)
    await new Promise((r) => setTimeout(r, 1500));
    expect(ferry.db.prepare(`SELECT count(*) FROM metadata_object WHERE uid = 'ImspTQPwCqd'`).pluck().get()).toBe(0);
    other.exec('COMMIT');
    other.close();
    expect(await exit).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'OK', stats: { created: 1 } });
    const job = ferry.jobs.jobs.list()[0]!;
    expect(job).toMatchObject({ status: 'done', resultStatus: 'OK' });
    expect(ferry.db.prepare(`SELECT count(*) FROM metadata_object WHERE uid = 'ImspTQPwCqd'`).pluck().get()).toBe(1);
  });

  it('keeps the sha256 of a file whose import failed', async () => {
    setup();
    mode = 'fail';
    const job = await ferry.jobs.wait(start());
    expect(job.status).toBe('failed');
    expect(job.files[0]).toMatchObject({ name: 'input.txt', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', status: 'ERROR' });
  });
});
