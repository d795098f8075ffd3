/**
 * xlsx bench: the export bench's database of 1,000,000 generated values (1,000 facilities, 200 data elements, 12
 * months; built once under bench-data/export/, gitignored) exported with no filter to an Excel workbook — one row per
 * value with the names of the data element, org unit and option combos beside the ids — in a fresh child process
 * (peak RSS is that export's alone), through a worker job as the app runs it, best of FERRY_BENCH_RUNS (default 2).
 * The export must hold all 1,000,000 values (one sheet: Excel's limit is 1,048,575 rows under the header).
 * Goals (issue 11): ≤ 30 s and ≤ 300 MB peak RSS.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, runChild, type BenchResult } from './measure.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'export-child.ts');

export async function benchXlsx(opts: { jobMode?: 'inline' | 'worker'; runs?: number } = {}): Promise<BenchResult[]> {
  const runs = opts.runs ?? Number(process.env.FERRY_BENCH_RUNS ?? 2);
  const dir = path.join(repoRoot, 'bench-data', 'export');
  fs.mkdirSync(dir, { recursive: true });
  const db = path.join(dir, 'values.sqlite');
  const ready = path.join(dir, 'values.ready');
  if (!fs.existsSync(ready) || !fs.existsSync(db)) {
    const b = runChild(child, ['build', db]);
    if (b.count !== 1_000_000) throw new Error(`xlsx bench: expected 1,000,000 generated values, got ${b.count}`);
    fs.writeFileSync(ready, String(b.count));
  }
  const jobMode = opts.jobMode ?? 'worker';
  const out = path.join(dir, 'out.xlsx');
  let best: ReturnType<typeof runChild> | null = null;
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    fs.rmSync(out, { force: true });
    const x = runChild(child, ['export', db, out, 'xlsx', 'none', jobMode]);
    if (x.count !== 1_000_000) throw new Error(`xlsx bench: expected 1,000,000 exported values, got ${x.count}`);
    if (!fs.readFileSync(out).subarray(0, 2).equals(Buffer.from('PK'))) throw new Error('xlsx bench: the output is not a zip');
    peak = Math.max(peak, x.peakRssMb);
    if (!best || x.seconds < best.seconds) best = x;
  }
  fs.rmSync(out, { force: true });
  const mb = ((best!.bytes as number) / 2 ** 20).toFixed(0);
  // the same export as CSV in the same kind of child: what the process costs without the spreadsheet
  const csvOut = path.join(dir, 'out-reference.csv');
  const ref = runChild(child, ['export', db, csvOut, 'csv', 'none', jobMode]);
  fs.rmSync(csvOut, { force: true });
  return [
    {
      section: 'xlsx',
      name: `data → xlsx, names beside ids (${mb} MB)`,
      count: best!.count,
      unit: 'values',
      seconds: best!.seconds,
      peakRssMb: peak,
      goalSeconds: 30,
      goalRssMb: 300,
      notes: `no filter, ${jobMode} job, exceljs streaming writer, best of ${runs} (peak RSS: the largest)`,
    },
    {
      section: 'xlsx',
      name: 'reference: the same export as CSV',
      count: ref.count,
      unit: 'values',
      seconds: ref.seconds,
      peakRssMb: ref.peakRssMb,
      notes: `one run, ${jobMode} job: the process without the spreadsheet (the xlsx row minus this is what xlsx adds)`,
    },
  ];
}
