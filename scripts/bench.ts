/**
 * `npm run bench`: performance figures (never a timed unit test). Each section generates its inputs, runs Ferry in
 * child processes and reports time and peak RSS. Copy the printed table into BENCHMARKS.md with date and machine.
 *   npm run bench                 all sections
 *   npm run bench -- data export  only those sections
 *   npm run bench -- parsers      Ferry's data readers beside papaparse, saxes, @streamparser/json and JSON.parse
 *   npm run bench -- scale        20M-value database (built once, cached; `-- scale --rebuild` builds it again)
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import type { BenchResult } from './bench/measure.ts';
import { repoRoot } from './bench/measure.ts';

const SECTIONS: { name: string; file: string; fn: string }[] = [
  { name: 'metadata', file: 'bench/metadata.ts', fn: 'benchMetadata' },
  { name: 'data', file: 'bench/data.ts', fn: 'benchData' },
  { name: 'export', file: 'bench/export.ts', fn: 'benchExport' },
  { name: 'parsers', file: 'bench/parsers.ts', fn: 'benchParsers' },
  { name: 'geometry', file: 'bench/geometry.ts', fn: 'benchGeometry' },
  { name: 'pdf', file: 'bench/pdf.ts', fn: 'benchPdf' },
  { name: 'xlsx', file: 'bench/xlsx.ts', fn: 'benchXlsx' },
  { name: 'cli', file: 'bench/cli.ts', fn: 'benchCli' },
  { name: 'events', file: 'bench/events.ts', fn: 'benchEvents' },
  { name: 'dhis14', file: 'bench/dhis14.ts', fn: 'benchDhis14' },
  { name: 'transfer', file: 'bench/transfer.ts', fn: 'benchTransfer' },
  { name: 'undo', file: 'bench/undo.ts', fn: 'benchUndo' },
  { name: 'scale', file: 'bench/scale.ts', fn: 'benchScale' },
];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const rows: BenchResult[] = [];
for (const s of SECTIONS) {
  if (wanted.length && !wanted.includes(s.name)) continue;
  const file = path.join(repoRoot, 'scripts', s.file);
  if (!fs.existsSync(file)) {
    console.error(`(no ${s.name} section yet: ${s.file} is missing)`);
    continue;
  }
  console.error(`== ${s.name} ==`);
  const mod = (await import(file)) as Record<string, () => Promise<BenchResult[]>>;
  const results = await mod[s.fn]!();
  for (const r of results) console.error(`  ${r.section} · ${r.name}: ${r.seconds.toFixed(2)} s, ${r.peakRssMb} MB`);
  rows.push(...results);
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const lines = [
  `### ${new Date().toISOString().slice(0, 10)} — ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`,
  '',
  '| section | measurement | count | seconds | per second | peak RSS MB | goal | notes |',
  '|---|---|---:|---:|---:|---:|---|---|',
  ...rows.map((r) => {
    const goal = [r.goalSeconds != null ? `< ${r.goalSeconds} s` : '', r.goalRssMb != null ? `< ${r.goalRssMb} MB` : ''].filter(Boolean).join(', ');
    const met = (r.goalSeconds == null || r.seconds < r.goalSeconds) && (r.goalRssMb == null || r.peakRssMb < r.goalRssMb);
    return `| ${r.section} | ${r.name} | ${r.count.toLocaleString('en')} ${r.unit} | ${r.seconds.toFixed(2)} | ${r.count > 0 && r.seconds > 0 ? Math.round(r.count / r.seconds).toLocaleString('en') : ''} | ${r.peakRssMb || ''} | ${goal}${goal ? (met ? ' ✓' : ' ✗') : ''} | ${r.notes ?? ''} |`;
  }),
];
console.log(lines.join('\n'));
