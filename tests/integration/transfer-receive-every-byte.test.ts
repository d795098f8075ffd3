/**
 * A flipped byte ANYWHERE in a transfer package is refused before anything is written (issue 13): every byte of a
 * package made by `ferry send` and of one made by another zip writer (fflate) is flipped in turn, and the package
 * reader refuses each copy with BAD_FILE; the unflipped packages verify.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { verifyPackage } from '../../src-main/transfer/package-reader.ts';
import { writePackage } from '../helpers/receive-package.ts';
import { ferryCli } from '../helpers/cli.ts';
import { openDb } from '../../src-main/db/open.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata } from '../unit/importers/data-values/helpers.ts';
import { AppError } from '../../src-shared/errors.ts';

let dir: string;
beforeAll(() => void (dir = tmpDir('ferry-receive-bytes-')));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function everyFlipRefused(file: string): Promise<void> {
  await expect(verifyPackage(file)).resolves.toMatchObject({ manifest: { sequence: 1 } });
  const bytes = fs.readFileSync(file);
  const t = path.join(dir, 'flipped.zip');
  const accepted: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const c = Buffer.from(bytes);
    c[i] = c[i]! ^ 0xff;
    fs.writeFileSync(t, c);
    try {
      await verifyPackage(t);
      accepted.push(i);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'BAD_FILE') throw e;
    }
  }
  expect(accepted, 'offsets whose flipped byte went unnoticed').toEqual([]);
}

describe('package reader: every flipped byte is refused', () => {
  it('in a package made by ferry send', { timeout: 120_000 }, async () => {
    const db = path.join(dir, 'clinic.sqlite');
    const d = openDb(db);
    loadMetadata(d, SMALL_METADATA);
    d.close();
    const csv = path.join(dir, 'a.csv');
    fs.writeFileSync(csv, `${CSV_HEADER}\nDeInteger01,202401,OuClinicA01,,,10,,,,false,\nDeNumber001,202401,OuClinicA01,CocMale0001,,2.5,,,,false,\n`);
    expect((await ferryCli(['--db', db, 'import', csv])).code).toBe(0);
    const out = path.join(dir, 'sent.zip');
    const r = await ferryCli(['--db', db, 'send', '--to', 'District', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    await everyFlipRefused(out);
  });

  it('in a package made by another zip writer', { timeout: 120_000 }, async () => {
    const f = writePackage(dir, 'hand.zip', { from: { id: 'SiteClinicA', name: 'Clinic A' }, sequence: 1, values: [{ dataElement: 'DeInteger01', period: '202401', orgUnit: 'OuClinicA01', value: '10' }] });
    await everyFlipRefused(f);
  });
});
