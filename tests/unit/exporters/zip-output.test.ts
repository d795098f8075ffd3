import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { openOutput } from '../../../src-main/io/output.ts';
import { openInput } from '../../../src-main/io/input.ts';
import { tmpDir } from '../../helpers/tmp.ts';
import crypto from 'node:crypto';

describe('zipped export output (io/output.ts on the zip entries writer)', () => {
  it('writes one UTF-8 named entry that fflate and Ferry\'s input reader both open to the same bytes', async () => {
    const dir = tmpDir('ferry-zip-');
    const file = path.join(dir, 'out.csv.zip');
    const sink = openOutput(file, 'zip', 'données-é.csv');
    const parts: string[] = [];
    for (let i = 0; i < 20000; i++) parts.push(`row ${i},"é ✓ 日本",${Math.sin(i)}\n`);
    for (let i = 0; i < parts.length; i += 1000) await sink.write(parts.slice(i, i + 1000).join(''));
    await sink.write(new Uint8Array([0x41, 0x0a]));
    const r = await sink.close();
    const expected = parts.join('') + 'A\n';
    expect(fs.existsSync(file + '.part')).toBe(false);
    expect(r.bytes).toBe(fs.statSync(file).size);
    expect(r.sha256).toBe(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    const entries = unzipSync(fs.readFileSync(file));
    expect(Object.keys(entries)).toEqual(['données-é.csv']);
    expect(Buffer.from(entries['données-é.csv']!).toString('utf8')).toBe(expected);
    const inp = await openInput(file);
    const chunks: Buffer[] = [];
    for await (const c of inp.chunks()) chunks.push(c);
    inp.close();
    expect(inp.compression).toBe('zip');
    expect(Buffer.concat(chunks).toString('utf8')).toBe(expected);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an export that wrote nothing is a valid zip with its one empty entry', async () => {
    const dir = tmpDir('ferry-zip-');
    const file = path.join(dir, 'empty.csv.zip');
    const r = await openOutput(file, 'zip', 'empty.csv').close();
    expect(r.bytes).toBe(fs.statSync(file).size);
    const entries = unzipSync(fs.readFileSync(file));
    expect(Object.keys(entries)).toEqual(['empty.csv']);
    expect(entries['empty.csv']!.length).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('abort leaves nothing behind', async () => {
    const dir = tmpDir('ferry-zip-');
    const file = path.join(dir, 'x.zip');
    const sink = openOutput(file, 'zip', 'x.json');
    await sink.write('{"a":1}');
    await sink.abort();
    expect(fs.readdirSync(dir)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
