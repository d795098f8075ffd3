/**
 * Receive half of the transfer bench (issue 13). Modes:
 *   empty <src> <dst>                  a copy of <src> with its metadata and no data values, jobs or packages (not measured)
 *   receive <db> <pkg> [inline|worker] receives one package (transfer:receive + jobs.wait)
 *   import <db> <file> [inline|worker] the plain data import of a DXF2 JSON file (import:start kind data)
 * Both report wall seconds and the process's CPU seconds (every thread), as the send half does.
 */
import fs from 'node:fs';
import { openDb } from '../../src-main/db/open.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { ReceiveSummary } from '../../src-shared/transfer-receive.ts';
import type { ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import { report } from './measure.ts';

const [mode, ...args] = process.argv.slice(2);

if (mode === 'empty') {
  const [src, dst] = args as [string, string];
  for (const s of ['', '-wal', '-shm']) fs.rmSync(dst + s, { force: true });
  const from = openDb(src);
  from.prepare(`VACUUM INTO ?`).run(dst);
  from.close();
  const db = openDb(dst);
  const t0 = performance.now();
  const tables = new Set(db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]);
  db.transaction(() => {
    for (const t of ['data_value', 'data_value_change', 'data_value_written', 'complete_registration', 'job_file', 'job', 'transfer_received', 'transfer_control_total', 'transfer_sender', 'change_journal']) {
      if (tables.has(t)) db.prepare(`DELETE FROM ${t}`).run();
    }
  })();
  db.exec('VACUUM');
  db.close();
  report({ seconds: (performance.now() - t0) / 1000, count: 0 });
} else if (mode === 'receive' || mode === 'import') {
  const [dbPath, file, jobMode] = args as [string, string, string | undefined];
  const ferry = openFerry({ dbPath, mode: jobMode === 'worker' ? 'worker' : 'inline' });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let jobId: number;
  if (mode === 'receive') {
    const r = await invoke(ferry.handlers, 'transfer:receive', { files: [file] });
    if (!r.ok) throw new Error(r.error.message);
    jobId = (r.value as { jobIds: number[] }).jobIds[0]!;
  } else {
    const r = await invoke(ferry.handlers, 'import:start', { files: [file], kind: 'data', options: {} });
    if (!r.ok) throw new Error(r.error.message);
    jobId = (r.value as { jobId: number }).jobId;
  }
  const job = await ferry.jobs.wait(jobId);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  await ferry.close();
  if (job.error) throw new Error(`${job.error.code}: ${job.error.message}`);
  const count =
    mode === 'receive' ? (job.summary as ReceiveSummary).dataValues.imported : (job.summary as ImportSummary).importCount.imported;
  const mismatches = mode === 'receive' ? (job.summary as ReceiveSummary).reconciliation.mismatches : 0;
  report({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, count, mismatches });
} else {
  console.error('usage: receive-child.ts empty <src> <dst> | receive|import <db> <file> [inline|worker]');
  process.exit(2);
}
