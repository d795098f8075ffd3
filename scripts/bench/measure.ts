/**
 * Bench helpers. Each measurement runs in a fresh child process (`node --import tsx <script> <args>`) so that peak RSS
 * (`process.resourceUsage().maxRSS`) belongs to that measurement alone. The child prints one JSON line on stdout:
 * `{"seconds": n, "count": n, ...extra}`; this module adds peakRssMb.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface BenchResult {
  section: string; // 'metadata import', 'data import', 'export' …
  name: string; // e.g. 'CSV plain, empty database'
  count: number;
  unit: string; // 'objects', 'values'
  seconds: number;
  peakRssMb: number;
  /** goal in seconds / MB, for the table */
  goalSeconds?: number;
  goalRssMb?: number;
  notes?: string;
}

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs `script` (a .ts file) in a child and returns its JSON line plus peak RSS in MB. */
export function runChild(script: string, args: string[], env: Record<string, string> = {}): { seconds: number; count: number; peakRssMb: number; [k: string]: unknown } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`bench child ${path.basename(script)} ${args.join(' ')} failed:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '{}';
  const out = JSON.parse(line) as { seconds: number; count: number; maxRssKb?: number };
  return { ...out, peakRssMb: Math.round((out.maxRssKb ?? 0) / 1024) };
}

/** For children: print the result line with this process's peak RSS. */
export function report(result: { seconds: number; count: number; [k: string]: unknown }): void {
  process.stdout.write(JSON.stringify({ ...result, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
}
