import type { ProgressEvent } from '../../src-shared/api/contract.ts';

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A one-line progress bar on stderr (only when stderr is a terminal). */
export function progressLine(e: ProgressEvent, width = 30): string {
  const frac = e.total ? Math.min(1, e.done / e.total) : 0;
  const bar = e.total ? '#'.repeat(Math.round(frac * width)).padEnd(width, '.') : ''.padEnd(width, ' ');
  const amount = e.unit === 'bytes' ? `${fmtBytes(e.done)}${e.total ? ' / ' + fmtBytes(e.total) : ''}` : `${e.done}${e.total ? '/' + e.total : ''}`;
  const left = e.total && frac > 0.02 ? ` ~${Math.max(0, Math.round((e.elapsedMs / frac - e.elapsedMs) / 1000))}s left` : '';
  return `${e.fileName ? e.fileName + ' ' : ''}${e.stage} [${bar}] ${amount}${e.records ? ` · ${e.records} records` : ''}${left}`;
}
