/**
 * Issue 16, defect 7: a killed export leaves its `<file>.part`. It is removed when Ferry next opens the database and
 * marks the job interrupted (unless another live export writes that file), when the next export of the file starts,
 * and when a job's worker dies; a failed or cancelled export removes its own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { JobsRepo } from '../../src-main/db/repos/jobs.ts';
import { JobManager } from '../../src-main/jobs/manager.ts';
import { openOutput } from '../../src-main/io/output.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-part-');
  dbPath = path.join(dir, 'site.sqlite');
  openDb(dbPath).close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** An export job left 'running' (its process killed mid-way), with its `.part` on disk. */
function killedExport(out: string, pid: number | null = null): number {
  const db = openDb(dbPath);
  const repo = new JobsRepo(db);
  const { jobId } = repo.create({ kind: 'data', direction: 'export', dryRun: false, options: {}, files: [{ path: out, name: path.basename(out), size: null }] });
  repo.markRunning(jobId);
  // the process that ran it: gone (null) or, for the other case, a live one
  db.prepare(`UPDATE job SET pid = ? WHERE id = ?`).run(pid, jobId);
  db.close();
  fs.writeFileSync(out + '.part', '{"dataValues":[{"dataElement":"half-writ');
  return jobId;
}

describe('stale .part files of exports', () => {
  it('are removed when Ferry opens the database and marks the dead job interrupted', async () => {
    const out = path.join(dir, 'values.json');
    const id = killedExport(out);
    const ferry = openFerry({ dbPath, mode: 'inline' });
    try {
      expect(ferry.jobs.jobs.get(id)!.status).toBe('interrupted');
      expect(fs.existsSync(out + '.part')).toBe(false);
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      await ferry.close();
    }
  });

  it('are left alone while a live export of another process writes that file', async () => {
    const out = path.join(dir, 'values.json');
    const dead = killedExport(out);
    killedExport(out, process.ppid);
    const ferry = openFerry({ dbPath, mode: 'inline' });
    try {
      expect(ferry.jobs.jobs.get(dead)!.status).toBe('interrupted');
      expect(fs.existsSync(out + '.part')).toBe(true);
    } finally {
      await ferry.close();
    }
  });

  it('go when the next export of the same file starts; it then succeeds with no .part left', async () => {
    const out = path.join(dir, 'values.json');
    fs.writeFileSync(out + '.part', 'stale');
    const r = await ferryCli(['--db', dbPath, 'export', 'data', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual({ dataValues: [] });
    expect(fs.existsSync(out + '.part')).toBe(false);
  });

  it('an aborted output and a failed export leave none', async () => {
    const out = path.join(dir, 'x.csv');
    for (const compression of ['none', 'gzip', 'zip'] as const) {
      const sink = openOutput(out, compression, 'x.csv');
      await sink.write('a,b\n');
      await sink.abort();
      expect(fs.existsSync(out + '.part'), compression).toBe(false);
    }
    // an unknown data element group: the export fails after its job started
    const r = await ferryCli(['--db', dbPath, 'export', 'data', '--out', out, '--format', 'csv', '--data-element-group', 'DegNope0001']);
    expect(r.code).not.toBe(0);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('go with a job worker that dies mid-way', async () => {
    const out = path.join(dir, 'dies.json');
    const worker = path.join(dir, 'dying-worker.mjs');
    // writes part of its file, then its thread ends without a word (as an out-of-memory abort would)
    fs.writeFileSync(
      worker,
      `import fs from 'node:fs';\nimport { workerData } from 'node:worker_threads';\nfs.writeFileSync(workerData.spec.files[0].path + '.part', 'half');\nprocess.exit(7);\n`,
    );
    const db = openDb(dbPath);
    const jobs = new JobManager({ db, dbPath, mode: 'worker', workerPath: worker });
    try {
      const id = jobs.start({ direction: 'export', kind: 'data', dryRun: false, options: {}, files: [{ path: out, name: 'dies.json', size: null }], format: 'json', compression: 'none' });
      const rec = await jobs.wait(id);
      expect(rec.status).toBe('failed');
      expect(rec.error!.message).toMatch(/stopped unexpectedly/);
      expect(fs.existsSync(out + '.part')).toBe(false);
    } finally {
      db.close();
    }
  });
});
