/** `ferry receive FILE… [--dry-run] [--json]` and `ferry reconcile [--json]` (issue 13). */
import type { Ferry } from '../services/context.ts';
import { invoke } from '../ipc/register.ts';
import { AppError } from '../../src-shared/errors.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { ReceiveSummary } from '../../src-shared/transfer-receive.ts';
import { exitCodeOf, formatJob } from './format.ts';
import { formatReconcile } from './format-receive.ts';

interface Io {
  stdout: (s: string) => void | boolean;
  stderr: (s: string) => void;
}

/** One line per package in --json: what happened to each file, in the order they were received. */
export interface ReceivedFile {
  file: string;
  jobId: number;
  status: 'received' | 'already-received' | 'refused' | 'failed' | 'dry-run';
  summary: ReceiveSummary | null;
  error: JobRecord['error'];
}

function statusOf(job: JobRecord): ReceivedFile['status'] {
  const s = job.summary as ReceiveSummary | null;
  if (job.error) return exitCodeOf(job) === 2 ? 'refused' : 'failed';
  if (s?.alreadyReceived) return 'already-received';
  if (s?.status === 'ERROR') return 'failed';
  return job.dryRun ? 'dry-run' : 'received';
}

/** Exit 0 when every package was received or had been; 2 when one was refused (damaged: nothing of it written); else 1. */
export async function receiveCommand(ferry: Ferry, files: string[], dryRun: boolean, json: boolean, io: Io): Promise<number> {
  const r = await invoke(ferry.handlers, 'transfer:receive', { files, dryRun });
  if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
  const { jobIds } = r.value as { jobIds: number[] };
  const out: ReceivedFile[] = [];
  let code = 0;
  for (const id of jobIds) {
    const job = await ferry.jobs.wait(id);
    const status = statusOf(job);
    out.push({ file: job.files[0]?.name ?? '', jobId: id, status, summary: (job.summary as ReceiveSummary | null) ?? null, error: job.error });
    if (status === 'refused') code = 2;
    else if (status === 'failed' && code === 0) code = 1;
    if (!json) (job.error ? io.stderr : io.stdout)(formatJob(job) + '\n');
  }
  if (json) io.stdout(JSON.stringify({ status: code === 0 ? 'OK' : 'ERROR', packages: out }, null, 2) + '\n');
  return code;
}

export async function reconcileCommand(ferry: Ferry, json: boolean, io: Io): Promise<number> {
  const r = await invoke(ferry.handlers, 'transfer:reconcile', {});
  if (!r.ok) throw new AppError(r.error.code, r.error.message, r.error.details);
  const report = r.value as import('../../src-shared/transfer-receive.ts').ReconcileReport;
  if (json) io.stdout(JSON.stringify(report, null, 2) + '\n');
  else io.stdout(formatReconcile(report) + '\n');
  return 0;
}
