/**
 * Transfer bench child. Modes:
 *   prepare <db>                        numbers the export bench's 1,000,000 values as written by one finished import
 *                                       job (a job file, source_file_id, data_value_written): "changed since 0" (not measured)
 *   send <db> <out> [inline|worker]     one package with every change (--from-sequence 0) through openFerry +
 *                                       transfer:send + jobs.wait
 *   plain <db> <out> [inline|worker]    the plain DXF2 JSON zip data export of the same values (export:start)
 * Both report wall seconds and the process's CPU seconds (user + system, every thread: the worker's too), since the
 * shared bench machine's load makes wall times vary 2×.
 */
import fs from 'node:fs';
import { openDb } from '../../src-main/db/open.ts';
import { JobsRepo } from '../../src-main/db/repos/jobs.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { SendSummary } from '../../src-shared/transfer-send.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import { report } from './measure.ts';

const [mode, ...args] = process.argv.slice(2);

if (mode === 'prepare') {
  const [dbPath] = args as [string];
  const db = openDb(dbPath);
  const t0 = performance.now();
  const jobs = new JobsRepo(db);
  const job = jobs.create({ kind: 'data', direction: 'import', dryRun: false, options: {}, files: [{ path: '/bench/values.csv', name: 'values.csv', size: null }] });
  const fileId = job.fileIds[0]!;
  db.transaction(() => {
    db.prepare(`UPDATE data_value SET source_file_id = ?`).run(fileId);
    db.prepare(`INSERT OR IGNORE INTO data_value_written (file_id, ou, pe) SELECT DISTINCT ?, ou, pe FROM data_value`).run(fileId);
  })();
  jobs.finish(job.jobId, { status: 'done', resultStatus: 'SUCCESS', summary: null, error: null });
  const n = db.prepare(`SELECT count(*) FROM data_value`).pluck().get() as number;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  report({ seconds: (performance.now() - t0) / 1000, count: n });
} else if (mode === 'send' || mode === 'plain') {
  const [dbPath, out, jobMode] = args as [string, string, string | undefined];
  fs.rmSync(out, { force: true });
  const ferry = openFerry({ dbPath, mode: jobMode === 'worker' ? 'worker' : 'inline' });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r =
    mode === 'send'
      ? await invoke(ferry.handlers, 'transfer:send', { to: 'Bench District', out, fromSequence: 0 })
      : await invoke(ferry.handlers, 'export:start', { kind: 'data', out, format: 'json', compression: 'zip', options: {} });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  await ferry.close();
  if (job.error) throw new Error(`${job.error.code}: ${job.error.message}`);
  const s = job.summary as SendSummary | ExportSummary;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  report({ seconds, cpuSeconds, count: (s.counts.dataValues ?? 0) + (s.counts.deletions ?? 0), bytes: s.bytes, controlTotals: s.counts.controlTotals ?? 0 });
} else {
  console.error('usage: transfer-child.ts prepare <db> | send|plain <db> <out> [inline|worker]');
  process.exit(2);
}
