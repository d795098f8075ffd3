/**
 * Export bench: the data bench's 1,000,000 generated values (1,000 facilities, 200 data elements, 12 months) stored in
 * a database (built once under bench-data/export/, gitignored), exported with no filter to CSV, DXF2 JSON and DXF2
 * XML, plain and zipped, each in a fresh child process (peak RSS is that export's alone), best of 2 runs
 * (FERRY_BENCH_RUNS). Every export must hold all 1,000,000 values. Goals: CSV < 6 s, JSON/XML < 10 s, peak RSS < 250 MB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, runChild, type BenchResult } from './measure.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'export-child.ts');

export async function benchExport(opts: { cases?: string[]; jobMode?: 'inline' | 'worker'; runs?: number } = {}): Promise<BenchResult[]> {
  const runs = opts.runs ?? Number(process.env.FERRY_BENCH_RUNS ?? 2);
  const dir = path.join(repoRoot, 'bench-data', 'export');
  fs.mkdirSync(dir, { recursive: true });
  const db = path.join(dir, 'values.sqlite');
  const ready = path.join(dir, 'values.ready');
  if (!fs.existsSync(ready) || !fs.existsSync(db)) {
    const b = runChild(child, ['build', db]);
    if (b.count !== 1_000_000) throw new Error(`export bench: expected 1,000,000 generated values, got ${b.count}`);
    fs.writeFileSync(ready, String(b.count));
  }
  const jobMode = opts.jobMode ?? 'worker';
  const results: BenchResult[] = [];
  for (const key of opts.cases ?? ['csv', 'csv.zip', 'json', 'json.zip', 'xml', 'xml.zip']) {
    const [format, zip] = key.split('.') as [string, string | undefined];
    const out = path.join(dir, `out.${key}`);
    fs.rmSync(out, { force: true });
    // best of `runs` fresh children (the machine is shared: the fastest run is the least disturbed one);
    // the peak RSS reported is the largest of the runs
    let r: ReturnType<typeof runChild> | null = null;
    let peak = 0;
    for (let i = 0; i < runs; i++) {
      const x = runChild(child, ['export', db, out, format, zip ? 'zip' : 'none', jobMode]);
      if (x.count !== 1_000_000) throw new Error(`export bench ${key}: expected 1,000,000 exported values, got ${x.count}`);
      peak = Math.max(peak, x.peakRssMb);
      if (!r || x.seconds < r.seconds) r = x;
    }
    r = { ...r!, peakRssMb: peak };
    const mb = ((r.bytes as number) / 2 ** 20).toFixed(0);
    results.push({
      section: 'export',
      name: `data → ${format.toUpperCase()} ${zip ? 'zip' : 'plain'} (${mb} MB)`,
      count: r.count,
      unit: 'values',
      seconds: r.seconds,
      peakRssMb: r.peakRssMb,
      goalSeconds: format === 'csv' ? 6 : 10,
      goalRssMb: 250,
      notes: `no filter, ${jobMode} job, best of ${runs}`,
    });
    fs.rmSync(out, { force: true });
  }
  return results;
}
