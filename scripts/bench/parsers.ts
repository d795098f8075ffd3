/**
 * Parser bench: Ferry's hand-written data readers beside the libraries they replace, over the same 1,000,000-value
 * plain files as the data bench (bench-data/, generated once): CSV — readCsvRecords vs papaparse (streaming); DXF2
 * XML — readXmlDataValues vs saxes; DXF2 JSON — readJsonDataValues vs @streamparser/json (streaming) and JSON.parse
 * (whole text). Each parser runs alone in a fresh child (parse only, values counted, nothing stored), `runs` times
 * (FERRY_BENCH_RUNS, default 2); the best run is reported, as the machine is shared.
 *   npm run bench -- parsers
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { repoRoot, runChild, type BenchResult } from './measure.ts';
import { generate } from './data-generate.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const child = path.join(here, 'data-child.ts');

const PARSERS: { format: string; parser: string; label: string }[] = [
  { format: 'csv', parser: 'ferry', label: 'Ferry readCsvRecords' },
  { format: 'csv', parser: 'papaparse', label: 'papaparse 5 (streaming, records counted)' },
  { format: 'xml', parser: 'ferry', label: 'Ferry readXmlDataValues (rows built)' },
  { format: 'xml', parser: 'saxes', label: 'saxes 6 (start tags counted)' },
  { format: 'json', parser: 'ferry', label: 'Ferry readJsonDataValues (rows built)' },
  { format: 'json', parser: 'streamparser', label: '@streamparser/json (streaming, values built)' },
  { format: 'json', parser: 'json-parse', label: 'JSON.parse of the whole text (not streaming)' },
];

export async function benchParsers(opts: { runs?: number; formats?: string[] } = {}): Promise<BenchResult[]> {
  const runs = opts.runs ?? Number(process.env.FERRY_BENCH_RUNS ?? 2);
  const { files } = generate(path.join(repoRoot, 'bench-data'));
  const results: BenchResult[] = [];
  const ferry = new Map<string, number>();
  for (const p of PARSERS) {
    if (opts.formats && !opts.formats.includes(p.format)) continue;
    const file = files[p.format]!;
    let best: ReturnType<typeof runChild> | null = null;
    for (let k = 0; k < runs; k++) {
      const r = runChild(child, ['parse', file, p.format, p.parser]);
      if (r.count !== 1_000_000) throw new Error(`${p.format} ${p.parser}: expected 1,000,000 values, counted ${r.count}`);
      if (!best || r.seconds < best.seconds) best = r;
    }
    if (p.parser === 'ferry') ferry.set(p.format, best!.seconds);
    const base = ferry.get(p.format);
    const vs = p.parser !== 'ferry' && base ? `; ${(best!.seconds / base).toFixed(2)}× Ferry's time` : '';
    results.push({
      section: 'parsers',
      name: `${p.format.toUpperCase()} plain (${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MB): ${p.label}`,
      count: 1_000_000,
      unit: 'values',
      seconds: best!.seconds,
      peakRssMb: best!.peakRssMb,
      notes: `CPU ${Number(best!.cpuSeconds).toFixed(2)} s, best of ${runs}${vs}`,
    });
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const formats = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  for (const r of await benchParsers({ formats: formats.length ? formats : undefined })) console.log(JSON.stringify(r));
}
