/**
 * `npm run fuzz -- [--seconds N] [--seed S] [--linear]`: the reader fuzzer of tests/fuzz (issue 16) run for longer
 * than `npm test` does: seeded mutations of the shared corpus and of generated documents, in every container, through
 * every reader of the format registry (as with --format, and through detection), until N seconds (default 60) have
 * passed. Each input must end in rows/records or an AppError with a known code naming the file, within a linear bound
 * of its size. A finding is printed with the seed and input number and the input kept in a folder named at the end;
 * the exit code is 1 when there was one. --linear also runs the per-byte growth check over 256 KB .. 32 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  corpusDir,
  corpusExists,
  corpusSeeds,
  finding,
  generatedSeeds,
  growth,
  makeInput,
  pathological,
  perByte,
  readFile,
  rng,
} from '../tests/fuzz/lib.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : dflt;
};
const seconds = opt('seconds', 60);
const seed = opt('seed', Date.now() % 100000);
const linear = args.includes('--linear');
if (!Number.isFinite(seconds) || !Number.isFinite(seed)) {
  console.error('usage: npm run fuzz -- [--seconds N] [--seed S] [--linear]');
  process.exit(2);
}

if (!corpusExists) console.warn(`[fuzz] ${corpusDir} not found: fuzzing generated documents only`);
const r = rng(seed);
const seeds = [...corpusSeeds(), ...generatedSeeds(rng(seed))];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-fuzz-'));
const kept = path.join(work, 'findings');
console.log(`[fuzz] seed ${seed}, ${seconds} s, ${seeds.length} seeds (${corpusExists ? 'corpus and generated' : 'generated only'})`);

const t0 = Date.now();
const codes = new Map<string, number>();
let inputs = 0;
let bytes = 0;
let findings = 0;
let slowest = { msPerMb: 0, what: '' };
while (Date.now() - t0 < seconds * 1000) {
  const n = inputs++;
  const input = makeInput(r, seeds, n);
  const file = path.join(work, input.name);
  fs.writeFileSync(file, input.bytes);
  bytes += input.bytes.length;
  for (const how of ['forced', 'detect'] as const) {
    const o = await readFile(file, input.target, how);
    const key = o.code ?? 'read';
    codes.set(key, (codes.get(key) ?? 0) + 1);
    const read = Math.max(input.bytes.length, o.bytes);
    const msPerMb = o.cpuMs / Math.max(read / 2 ** 20, 0.1);
    if (msPerMb > slowest.msPerMb) slowest = { msPerMb, what: `#${n} ${input.what} (${read} bytes read, ${o.cpuMs.toFixed(0)} ms)` };
    const f = finding(o, input, input.bytes.length);
    if (f) {
      findings++;
      fs.mkdirSync(kept, { recursive: true });
      fs.copyFileSync(file, path.join(kept, input.name));
      console.log(`[fuzz] FINDING seed ${seed} input #${n} ${input.name} (${input.what}, ${how}): ${f}`);
    }
  }
  fs.rmSync(file);
  if (n % 100 === 99) console.log(`[fuzz] ${n + 1} inputs, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const secs = (Date.now() - t0) / 1000;
console.log(
  `[fuzz] seed ${seed}: ${inputs} inputs (${(bytes / 2 ** 20).toFixed(1)} MB) in ${secs.toFixed(1)} s, ${findings} findings; outcomes ${[...codes]
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}; slowest per MB read (at least 0.1 MB): ${slowest.what}`,
);

if (linear) {
  console.log('[fuzz] per-byte CPU time at 256 KB, 2 MB, 8 MB, 32 MB (best of 3):');
  for (const p of pathological()) {
    const v = await perByte(p, [256 << 10, 2 << 20, 8 << 20, 32 << 20]);
    const g = growth(v);
    if (g >= 4) findings++;
    console.log(`  ${p.name.padEnd(40)} ${v.map((x) => x.nsPerByte.toFixed(1).padStart(6)).join(' ')} ns/byte, growth ×${g.toFixed(2)}${g >= 4 ? '  ← FINDING' : ''}`);
  }
}
if (findings) console.log(`[fuzz] inputs of the findings kept in ${kept}`);
else fs.rmSync(work, { recursive: true, force: true });
process.exitCode = findings ? 1 : 0;
