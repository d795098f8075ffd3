/**
 * PDF form bench (issue 11): a form for a data set of 300 data element × option combo fields made (goal < 2 s), and
 * 100 such forms, every field filled, imported in one data import job (goal < 20 s; 30,000 values). Inputs are built
 * under bench-data/pdf/ (gitignored); each measurement runs in a fresh child (peak RSS its own), best of
 * FERRY_BENCH_RUNS (2) runs. The import runs in a worker job, as the app and the CLI run it; the form is made both in
 * an inline job (the engine alone) and a worker job (with the worker's start, which under tsx includes compiling the
 * sources). When out/main/worker.js exists (npm run build), both are measured again with that bundled worker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, runChild, type BenchResult } from './measure.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'pdf-child.ts');
const FORMS = 100;

export async function benchPdf(opts: { runs?: number } = {}): Promise<BenchResult[]> {
  const runs = opts.runs ?? Number(process.env.FERRY_BENCH_RUNS ?? 2);
  const dir = path.join(repoRoot, 'bench-data', 'pdf');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const db = path.join(dir, 'site.sqlite');
  runChild(child, ['build', db]);
  const results: BenchResult[] = [];
  const form = path.join(dir, 'form.pdf');

  const best = (make: () => ReturnType<typeof runChild>): ReturnType<typeof runChild> => {
    let r: ReturnType<typeof runChild> | null = null;
    let peak = 0;
    for (let i = 0; i < runs; i++) {
      const x = make();
      peak = Math.max(peak, x.peakRssMb);
      if (!r || x.seconds < r.seconds) r = x;
    }
    return { ...r!, peakRssMb: peak };
  };

  // the production bundle's worker (electron-vite build), when there is one: what the app runs
  const bundled = path.join(repoRoot, 'out', 'main', 'worker.js');
  const modes: { mode: 'inline' | 'worker'; env: Record<string, string>; label: string }[] = [
    { mode: 'inline', env: {}, label: 'inline job' },
    { mode: 'worker', env: {}, label: 'worker job (sources through tsx)' },
    ...(fs.existsSync(bundled) ? [{ mode: 'worker' as const, env: { FERRY_BENCH_WORKER: bundled }, label: 'worker job (built bundle)' }] : []),
  ];
  for (const { mode: jobMode, env, label } of modes) {
    const r = best(() => runChild(child, ['make', db, form, jobMode], env));
    if (r.count !== 300) throw new Error(`pdf bench: expected a form of 300 fields, got ${r.count}`);
    results.push({
      section: 'pdf form',
      name: `make a form of 300 fields (${r.pages as number} pages, ${Math.round((r.bytes as number) / 1024)} KB)`,
      count: r.count,
      unit: 'fields',
      seconds: r.seconds,
      peakRssMb: r.peakRssMb,
      goalSeconds: 2,
      notes: `${label} (job ${r.jobMs as number} ms), best of ${runs}`,
    });
  }

  const filled = path.join(dir, 'filled');
  runChild(child, ['fill', form, filled, String(FORMS)]);
  let fresh = 0;
  for (const { env, label } of modes.filter((m) => m.mode === 'worker')) {
    const r = best(() => {
      // each run imports into a fresh copy of the database (the same values every time)
      const copy = path.join(dir, `import-${fresh++}.sqlite`);
      fs.copyFileSync(db, copy);
      const x = runChild(child, ['import', copy, filled, 'worker'], env);
      for (const s of ['', '-wal', '-shm']) fs.rmSync(copy + s, { force: true });
      return x;
    });
    if (r.imported !== FORMS * 300) throw new Error(`pdf bench: expected ${FORMS * 300} values imported, got ${String(r.imported)} (${String(r.status)}, ${String(r.conflicts)} conflicts)`);
    results.push({
      section: 'pdf form',
      name: `import ${FORMS} filled forms in one job`,
      count: r.count,
      unit: 'values',
      seconds: r.seconds,
      peakRssMb: r.peakRssMb,
      goalSeconds: 20,
      notes: `${FORMS} files × 300 fields, ${label} (job ${r.jobMs as number} ms), best of ${runs}`,
    });
  }
  return results;
}
