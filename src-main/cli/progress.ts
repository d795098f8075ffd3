import type { JobRecord, ProgressEvent } from '../../src-shared/api/contract.ts';
import type { CliIo } from './main.ts';
import { n, t } from './i18n.ts';

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The engine's stage (an English word the engine reports) in the run's language; a stage the catalogue lacks as it is. */
function stageWord(stage: string): string {
  const key = `progress.stage.${stage}`;
  const w = (t as unknown as (k: string, o: { defaultValue: string }) => string)(key, { defaultValue: stage });
  return w;
}

/** A one-line progress bar on stderr (only when stderr is a terminal). */
export function progressLine(e: ProgressEvent, width = 30): string {
  const frac = e.total ? Math.min(1, e.done / e.total) : 0;
  const bar = e.total ? '#'.repeat(Math.round(frac * width)).padEnd(width, '.') : ''.padEnd(width, ' ');
  const amount = e.unit === 'bytes' ? `${fmtBytes(e.done)}${e.total ? ' / ' + fmtBytes(e.total) : ''}` : `${n(e.done)}${e.total ? '/' + n(e.total) : ''}`;
  const left = e.total && frac > 0.02 ? ` ${t('progress.left', { s: Math.max(0, Math.round((e.elapsedMs / frac - e.elapsedMs) / 1000)) })}` : '';
  return `${e.fileName ? e.fileName + ' ' : ''}${stageWord(e.stage)} [${bar}] ${amount}${e.records ? ` · ${t('progress.records', { count: e.records })}` : ''}${left}`;
}

/**
 * What a command waits on: the job manager of an open Ferry (services/context.ts), or the command's job worker seen from
 * the command's thread (cli/job-client.ts), which loads no engine.
 */
export interface JobWatch {
  on(event: 'job:progress', l: (e: ProgressEvent) => void): () => void;
  cancel(id: number): boolean;
  wait(id: number): Promise<JobRecord>;
}

/**
 * Waits for a job to end: its progress line on stderr when that is a terminal (and the output is not --json), Ctrl+C
 * cancelling the job (which rolls it back), the line cleared at the end.
 */
export async function waitWithProgress(ferry: { jobs: JobWatch }, jobId: number, json: boolean, io: Pick<CliIo, 'stderr' | 'isTTY'>): Promise<JobRecord> {
  let lastLen = 0;
  const off = io.isTTY && !json
    ? ferry.jobs.on('job:progress', (e) => {
        if (e.jobId !== jobId) return;
        const line = progressLine(e);
        io.stderr('\r' + line.padEnd(lastLen, ' '));
        lastLen = line.length;
      })
    : () => undefined;
  const cancel = (): void => void ferry.jobs.cancel(jobId);
  process.once('SIGINT', cancel);
  try {
    return await ferry.jobs.wait(jobId);
  } finally {
    off();
    process.off('SIGINT', cancel);
    if (lastLen) io.stderr('\r' + ' '.repeat(lastLen) + '\r');
  }
}
