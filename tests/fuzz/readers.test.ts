/**
 * Issue 16, Proof: a seeded fuzz suite over every reader of the format registry, bounded to about half a minute here
 * (`npm run fuzz -- --seconds N --seed S` runs longer). Mutations of the shared corpus (read in place; without it, the
 * generated documents alone, with a message) and of generated documents, wrapped plain, in gzip and zip archives
 * (several entries, nested, cut, garbage): each must end in rows or records or an AppError with a known code naming
 * the file, within a linear bound of its size; a subset goes through the real importer, where a refusal must leave
 * every table as it was; pathological generators show per-byte time that does not grow with size.
 * FERRY_FUZZ_SEED and FERRY_FUZZ_INPUTS change the seed and the number of inputs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { SMALL_METADATA, loadMetadata } from '../unit/importers/data-values/helpers.ts';
import { corpusDir, corpusExists, corpusSeeds, finding, generatedSeeds, growth, makeInput, pathological, perByte, readFile, rng, targets, CLEAR_CODES, type Seed } from './lib.ts';

const SEED = Number(process.env.FERRY_FUZZ_SEED ?? 16);
const INPUTS = Number(process.env.FERRY_FUZZ_INPUTS ?? 1000);
if (!corpusExists) console.warn(`[fuzz] ${corpusDir} not found: fuzzing generated documents only`);

const dir = tmpDir('ferry-fuzz-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const seeds: Seed[] = [...corpusSeeds(), ...generatedSeeds(rng(SEED))];

describe(`reader fuzz (seed ${SEED})`, () => {
  it('has seeds for every reader the format registry declares', () => {
    for (const t of targets()) expect(seeds.some((s) => s.target.kind === t.kind && s.target.format === t.format), `${t.kind} ${t.format}`).toBe(true);
  });

  it(`${INPUTS} mutated inputs each end in a clear outcome within a linear bound of their size`, async () => {
    const r = rng(SEED);
    const findings: string[] = [];
    const codes = new Map<string, number>();
    let bytes = 0;
    const t0 = Date.now();
    for (let n = 0; n < INPUTS; n++) {
      const input = makeInput(r, seeds, n);
      const file = path.join(dir, input.name);
      fs.writeFileSync(file, input.bytes);
      bytes += input.bytes.length;
      // as with --format, and every other input as detection finds it
      for (const how of n % 2 ? (['forced', 'detect'] as const) : (['forced'] as const)) {
        const o = await readFile(file, input.target, how);
        const f = finding(o, input, input.bytes.length);
        if (f) findings.push(`#${n} ${input.name} (${input.what}, ${how}): ${f}`);
        const key = o.code ?? 'read';
        codes.set(key, (codes.get(key) ?? 0) + 1);
      }
      fs.rmSync(file);
    }
    console.log(`[fuzz] ${INPUTS} inputs, ${(bytes / 2 ** 20).toFixed(1)} MB, ${((Date.now() - t0) / 1000).toFixed(1)} s: ${[...codes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    expect(findings).toEqual([]);
    // both outcomes occur: the fuzzer reaches the readers' insides, not only their first check
    expect(codes.get('read') ?? 0).toBeGreaterThan(INPUTS / 10);
    expect(codes.get('BAD_FILE') ?? 0).toBeGreaterThan(INPUTS / 10);
  }, 180_000);

  it('a refusal through the real importer leaves every table as it was', async () => {
    const db = path.join(dir, 'site.sqlite');
    const d = openDb(db);
    loadMetadata(d, SMALL_METADATA);
    d.close();
    const digest = (): string => {
      const x = openDb(db);
      try {
        const names = (x.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'job%' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
        const h = crypto.createHash('sha256');
        for (const n of names) h.update(n + JSON.stringify(x.prepare(`SELECT * FROM "${n}"`).all()));
        return h.digest('hex');
      } finally {
        x.close();
      }
    };
    const r = rng(SEED + 1);
    let refused = 0;
    for (let n = 0; n < 40; n++) {
      const input = makeInput(r, seeds, n);
      const file = path.join(dir, input.name);
      fs.writeFileSync(file, input.bytes);
      const before = digest();
      const run = await ferryCli(['--db', db, 'import', file, '--json']);
      const out = JSON.parse(run.stdout || '{}') as { error?: { code: string; message: string } };
      const what = `#${n} ${input.name} (${input.what})`;
      if (out.error) {
        refused++;
        expect([...CLEAR_CODES, 'BAD_REQUEST'], `${what}: ${out.error.message}`).toContain(out.error.code);
        expect(digest(), what).toBe(before);
      } else expect([0, 1], `${what}: ${run.stderr}`).toContain(run.code);
      fs.rmSync(file);
    }
    expect(refused).toBeGreaterThan(4);
  }, 180_000);

  it('per-byte read time does not grow with size: one construct of 256 KB, 2 MB and 8 MB, 16 KB chunks, best of 3 CPU times', async () => {
    // The old readers re-scanned what they carried on every chunk: 8 MB of blank space took 16 × the per-byte time of
    // 2 MB. Past the limit a data reader refuses the construct (at 1 MB) and spends less per byte; below 256 KB a
    // construct stays in the CPU cache and reads several times faster, which a ratio would take for growth.
    const rows: string[] = [];
    const worse: string[] = [];
    for (const p of pathological()) {
      const v = await perByte(p, [256 << 10, 2 << 20, 8 << 20]);
      const g = growth(v);
      rows.push(`${p.name.padEnd(40)} ${v.map((x) => x.nsPerByte.toFixed(1).padStart(6)).join(' ')} ns/byte, growth ×${g.toFixed(2)}`);
      if (g >= 4) worse.push(rows[rows.length - 1]!);
    }
    console.log(`[fuzz] per-byte CPU time at 256 KB, 2 MB, 8 MB:\n${rows.join('\n')}`);
    expect(worse).toEqual([]);
  }, 180_000);
});
