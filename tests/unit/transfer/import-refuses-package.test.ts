import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { ferryCli } from '../../helpers/cli.ts';
import { tmpDir } from '../../helpers/tmp.ts';
import { writePackage } from '../../helpers/receive-package.ts';
import { isTransferPackage } from '../../../src-main/transfer/package-reader.ts';

const from = { id: 'SiteClinA01', name: 'Clinic A', orgUnit: null };
const value = { dataElement: 'fbfJHSPpUQD', period: '202401', orgUnit: 'DiszpKrYNg8', value: '5' };

describe('a transfer package given to ferry import', () => {
  it('is recognised by its central directory, and a plain zip or a zip naming the manifest only in its data is not', () => {
    const dir = tmpDir();
    const pkg = writePackage(dir, 'clinic-a-1.zip', { from, sequence: 1, values: [value] });
    expect(isTransferPackage(pkg)).toBe(true);
    const plain = path.join(dir, 'plain.zip');
    fs.writeFileSync(plain, Buffer.from(zipSync({ 'dataValues.json': strToU8('{"dataValues":[],"note":"ferry-manifest.json"}') }, { level: 0 })));
    expect(isTransferPackage(plain)).toBe(false);
    const json = path.join(dir, 'ferry-manifest.json');
    fs.writeFileSync(json, '{}');
    expect(isTransferPackage(json)).toBe(false);
    expect(isTransferPackage(path.join(dir, 'missing.zip'))).toBe(false);
  });

  it('is refused with a message that says to receive it, and nothing is imported', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'ferry.db');
    const pkg = writePackage(dir, 'clinic-a-1.zip', { from, sequence: 1, values: [value] });
    for (const kind of [[], ['--kind', 'data']]) {
      const r = await ferryCli(['--db', db, 'import', pkg, ...kind]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('clinic-a-1.zip: this is a Ferry transfer package from another site; receive it');
      expect(r.stderr).toContain('ferry receive clinic-a-1.zip');
    }
    const jobs = await ferryCli(['--db', db, 'jobs', '--json']);
    expect(jobs.code).toBe(0);
    expect(JSON.stringify(jobs.json())).not.toContain('clinic-a-1.zip');
  });
});
