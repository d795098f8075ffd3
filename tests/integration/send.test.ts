/**
 * `ferry send` (issue 13, send side): the package's layout (dataValues.json first, ferry-manifest.json last), its
 * sizes and sha256s (read with fflate, independently of Ferry's own reader), DHIS2's data value set shape, the first
 * entry imported into a fresh Ferry as a plain DHIS2 file, the second send carrying only what changed (deletions
 * included), a re-made package, an empty package, the site's name, the free-space refusal and a send that fails
 * mid-write leaving no package behind.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { unzipSync } from 'fflate';
import { openDb, type Db } from '../../src-main/db/open.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata, storedValues, writeFile } from '../unit/importers/data-values/helpers.ts';
import { MANIFEST_ENTRY, type TransferManifest } from '../../src-shared/transfer.ts';
import { sendPackage } from '../../src-main/transfer/send.ts';
import type { JobContext } from '../../src-main/jobs/types.ts';
import { AppError } from '../../src-shared/errors.ts';
import { TransferSitesRepo } from '../../src-main/db/repos/transfer-sites.ts';
import { JobsRepo } from '../../src-main/db/repos/jobs.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-send-');
  dbPath = path.join(dir, 'clinic.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, SMALL_METADATA);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const csv = (name: string, rows: string[]): string => writeFile(dir, name, [CSV_HEADER, ...rows].join('\n') + '\n');
const sha = (b: Uint8Array): string => crypto.createHash('sha256').update(b).digest('hex');

interface SendJson {
  status: string;
  packageId: string;
  sequence: number;
  changes: { from: number; to: number };
  path: string;
  bytes: number;
  sha256: string;
  counts: { values: number; deletions: number; events: number; metadataObjects: number };
  resendOf?: string;
}

async function send(out: string, ...more: string[]): Promise<SendJson> {
  const r = await ferryCli(['--db', dbPath, 'send', '--to', 'District B', '--out', out, '--json', ...more]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return r.json<SendJson>();
}

/** the zip's entries in order, with their bytes */
function entries(file: string): [string, Uint8Array][] {
  return Object.entries(unzipSync(fs.readFileSync(file)));
}
const manifestOf = (file: string): TransferManifest => JSON.parse(Buffer.from(entries(file).find(([n]) => n === MANIFEST_ENTRY)![1]).toString('utf8')) as TransferManifest;
const dataOf = (file: string): { dataValues: Record<string, unknown>[] } => JSON.parse(Buffer.from(entries(file)[0]![1]).toString('utf8')) as { dataValues: Record<string, unknown>[] };

describe('ferry send', () => {
  it('writes a package DHIS2 imports as it is: data value set first, manifest last, sizes and sha256s that match', async () => {
    expect(
      (await ferryCli(['--db', dbPath, 'import', csv('jan.csv', ['DeInteger01,202401,OuClinicA01,,,10,,,,false,', 'DeInteger01,202402,OuClinicA01,,,11,,,,false,', 'DeNumber001,202401,OuClinicA01,CocMale0001,,2.5,,,,false,', 'DeText00001,202401,OuClinicA01,,,hello,,,,false,'])])).code,
    ).toBe(0);
    const out = path.join(dir, 'pkg1.zip');
    const j = await send(out);
    expect(j.status).toBe('OK');
    expect(j.sequence).toBe(1);
    expect(j.changes.from).toBe(0);
    expect(j.changes.to).toBeGreaterThan(0);
    expect(j.counts).toEqual({ values: 4, deletions: 0, events: 0, metadataObjects: 0 });
    expect(j.path).toBe(out);
    expect(j.bytes).toBe(fs.statSync(out).size);
    expect(j.sha256).toBe(sha(fs.readFileSync(out)));
    expect(fs.existsSync(out + '.part')).toBe(false);

    const list = entries(out);
    expect(list.map(([n]) => n)).toEqual(['dataValues.json', MANIFEST_ENTRY]);
    const m = manifestOf(out);
    expect(m.format).toBe('ferry-transfer-package');
    expect(m.packageId).toBe(j.packageId);
    expect(m.sequence).toBe(1);
    expect(m.to.name).toBe('District B');
    // the site's default name: the one org unit holding data at the deepest level
    expect(m.from).toMatchObject({ name: 'Clinic A', orgUnit: 'OuClinicA01' });
    expect(m.entries).toEqual([{ name: 'dataValues.json', content: 'dataValues', size: list[0]![1].length, sha256: sha(list[0]![1]) }]);
    // control totals: Monthly (DeNumber001 + DeInteger01) per period, the text element in no data set
    const totals = [...m.controlTotals].sort((a, b) => `${a.period}${a.dataSet}`.localeCompare(`${b.period}${b.dataSet}`));
    expect(totals).toEqual([
      { orgUnit: 'OuClinicA01', dataSet: 'DsMonthly01', period: '202401', values: 2, sum: 12.5 },
      { orgUnit: 'OuClinicA01', dataSet: null, period: '202401', values: 1, sum: 0 },
      { orgUnit: 'OuClinicA01', dataSet: 'DsMonthly01', period: '202402', values: 1, sum: 11 },
    ]);

    // DHIS2's DXF2 JSON data value set: {"dataValues": [...]}, fields in DHIS2's order, uids
    const dvs = dataOf(out);
    expect(Object.keys(dvs)).toEqual(['dataValues']);
    expect(Object.keys(dvs.dataValues[0]!)).toEqual(['dataElement', 'period', 'orgUnit', 'categoryOptionCombo', 'attributeOptionCombo', 'value', 'storedBy', 'created', 'lastUpdated', 'comment', 'followup']);
    expect(dvs.dataValues.find((v) => v.dataElement === 'DeNumber001')).toMatchObject({ period: '202401', orgUnit: 'OuClinicA01', categoryOptionCombo: 'CocMale0001', value: '2.5' });

    // the package imports into a fresh Ferry as a plain DHIS2 data file
    const fresh = path.join(dir, 'fresh.sqlite');
    const fdb = openDb(fresh);
    loadMetadata(fdb, SMALL_METADATA);
    fdb.close();
    const dvFile = writeFile(dir, 'first-entry.json', Buffer.from(list[0]![1]));
    const imp = await ferryCli(['--db', fresh, 'import', dvFile, '--json']);
    expect(imp.code, imp.stdout).toBe(0);
    expect(imp.json<{ importCount: { imported: number } }>().importCount.imported).toBe(4);
    // and the package itself, zip as it is
    const fresh2 = path.join(dir, 'fresh2.sqlite');
    const f2 = openDb(fresh2);
    loadMetadata(f2, SMALL_METADATA);
    f2.close();
    // (Ferry's plain import refuses a package and says to receive it: `ferry receive` is the door for packages, which
    // checks the sequence and keeps newer values; it imports the same 4 values)
    const imp2 = await ferryCli(['--db', fresh2, 'import', out, '--json']);
    expect(imp2.code).not.toBe(0);
    expect(imp2.stdout + imp2.stderr).toContain('pkg1.zip: this is a Ferry transfer package from another site; receive it');
    const rec = await ferryCli(['--db', fresh2, 'receive', out, '--json']);
    expect(rec.code, rec.stdout + rec.stderr).toBe(0);
    expect(rec.json<{ packages: { summary: { dataValues: { imported: number } } }[] }>().packages[0]!.summary.dataValues.imported).toBe(4);
    const a = openDb(dbPath);
    const b = openDb(fresh);
    try {
      const strip = (v: ReturnType<typeof storedValues>[number]) => [v.dataElement, v.period, v.orgUnit, v.categoryOptionCombo, v.attributeOptionCombo, v.value, v.deleted];
      expect(storedValues(b).map(strip)).toEqual(storedValues(a).map(strip));
    } finally {
      a.close();
      b.close();
    }
  });

  it('a second send carries only what changed since the first, deletions included; a re-made package keeps its number and contents', async () => {
    expect((await ferryCli(['--db', dbPath, 'import', csv('a.csv', ['DeInteger01,202401,OuClinicA01,,,10,,,,false,', 'DeNumber001,202401,OuClinicA01,CocMale0001,,2.5,,,,false,', 'DeInteger01,202402,OuClinicA01,,,11,,,,false,', 'DeInteger01,202403,OuClinicA01,,,12,,,,false,'])])).code).toBe(0);
    const p1 = await send(path.join(dir, 'p1.zip'));
    // re-made straight away: same sequence and range, same entries, a new package id
    const r1 = await send(path.join(dir, 'p1-again.zip'), '--resend', '1');
    expect(r1.sequence).toBe(1);
    expect(r1.changes).toEqual(p1.changes);
    expect(r1.packageId).not.toBe(p1.packageId);
    expect(r1.resendOf).toBe(p1.packageId);
    expect(manifestOf(path.join(dir, 'p1-again.zip')).entries).toEqual(manifestOf(path.join(dir, 'p1.zip')).entries);

    // an edit and a deletion after sending
    expect((await ferryCli(['--db', dbPath, 'import', csv('b.csv', ['DeInteger01,202401,OuClinicA01,,,99,,,,false,', 'DeInteger01,202402,OuClinicA01,,,11,,,,false,true'])])).code).toBe(0);
    const p2 = await send(path.join(dir, 'p2.zip'));
    expect(p2.sequence).toBe(2);
    expect(p2.changes.from).toBe(p1.changes.to);
    expect(p2.counts).toEqual({ values: 1, deletions: 1, events: 0, metadataObjects: 0 });
    const rows = dataOf(path.join(dir, 'p2.zip')).dataValues.map((v) => `${v.period} ${v.value}${v.deleted ? ' deleted' : ''}`).sort();
    expect(rows).toEqual(['202401 99', '202402 11 deleted']);
    const m2 = manifestOf(path.join(dir, 'p2.zip'));
    expect(m2.controlTotals.sort((a, b) => a.period.localeCompare(b.period))).toEqual([
      // 202401 carried in part (DeNumber001 unchanged): its totals count what is stored, not only what was carried
      { orgUnit: 'OuClinicA01', dataSet: 'DsMonthly01', period: '202401', values: 2, sum: 101.5 },
      { orgUnit: 'OuClinicA01', dataSet: 'DsMonthly01', period: '202402', values: 0, sum: 0 },
    ]);

    // nothing changed: still a package (the receiver sees the sequence go on), empty
    const p3 = await send(path.join(dir, 'p3.zip'));
    expect(p3.sequence).toBe(3);
    expect(p3.changes.from).toBe(p2.changes.to);
    expect(p3.counts).toEqual({ values: 0, deletions: 0, events: 0, metadataObjects: 0 });
    expect(dataOf(path.join(dir, 'p3.zip')).dataValues).toEqual([]);

    // a chosen range: everything from the start again
    const all = await send(path.join(dir, 'all.zip'), '--from-sequence', '0');
    expect(all.sequence).toBe(4);
    expect(all.counts).toEqual({ values: 3, deletions: 1, events: 0, metadataObjects: 0 });

    // since a package: by its id, or by its number to this destination
    const since1 = await send(path.join(dir, 'since1.zip'), '--since-package', p1.packageId);
    expect([since1.sequence, since1.changes.from]).toEqual([5, p1.changes.to]);
    expect(since1.counts).toEqual({ values: 1, deletions: 1, events: 0, metadataObjects: 0 });
    const since2 = await send(path.join(dir, 'since2.zip'), '--since-package', '2');
    expect([since2.sequence, since2.changes.from, since2.counts.values + since2.counts.deletions]).toEqual([6, p2.changes.to, 0]);
    const unknown = await ferryCli(['--db', dbPath, 'send', '--to', 'District B', '--out', path.join(dir, 'x.zip'), '--since-package', 'NoSuchPkg01']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No package 'NoSuchPkg01' was sent to District B/);

    const site = await ferryCli(['--db', dbPath, 'site', '--json']);
    const s = site.json<{ name: string; destinations: { name: string; last: { sequence: number }; packages: number }[] }>();
    expect(s.destinations).toEqual([expect.objectContaining({ name: 'District B', packages: 7, last: expect.objectContaining({ sequence: 6 }) })]);
  });

  it('metadata goes downwards with --metadata all', async () => {
    const j = await send(path.join(dir, 'meta.zip'), '--metadata', 'all');
    expect(j.counts.metadataObjects).toBeGreaterThan(10);
    const list = entries(path.join(dir, 'meta.zip'));
    expect(list.map(([n]) => n)).toEqual(['dataValues.json', 'metadata.json', MANIFEST_ENTRY]);
    const meta = JSON.parse(Buffer.from(list[1]![1]).toString('utf8')) as Record<string, { id: string }[]>;
    expect(meta.dataSets?.map((d) => d.id)).toEqual(['DsMonthly01']);
    expect(manifestOf(path.join(dir, 'meta.zip')).entries[1]).toEqual({ name: 'metadata.json', content: 'metadata', size: list[1]![1].length, sha256: sha(list[1]![1]) });
  });

  it('the site name is set with ferry site and travels in the manifest; unknown org units are refused', async () => {
    const set = await ferryCli(['--db', dbPath, 'site', '--name', 'Clinic A (north)', '--org-unit', 'OU_A', '--json']);
    expect(set.code, set.stderr + set.stdout).toBe(0);
    expect(set.json()).toMatchObject({ name: 'Clinic A (north)', orgUnit: 'OuClinicA01', nameSet: true });
    const bad = await ferryCli(['--db', dbPath, 'site', '--org-unit', 'Nowhere']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/No org unit 'Nowhere'/);
    await send(path.join(dir, 'named.zip'));
    expect(manifestOf(path.join(dir, 'named.zip')).from).toMatchObject({ name: 'Clinic A (north)', orgUnit: 'OuClinicA01' });
  });

  it('asks for --to and --out', async () => {
    const r = await ferryCli(['--db', dbPath, 'send', '--out', path.join(dir, 'x.zip')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to NAME/);
  });
});

function ctxFor(db: Db, cancelAfter = Infinity): JobContext {
  let flushes = 0;
  return {
    db,
    jobId: 0,
    dryRun: false,
    now: new Date().toISOString(),
    user: 'tester',
    progress: () => undefined,
    cancelled: () => false,
    throwIfCancelled() {
      if (++flushes > cancelAfter) throw new AppError('CANCELLED', 'The job was cancelled; nothing was changed.');
    },
  };
}

describe('send refusals and failures', () => {
  beforeEach(async () => {
    const rows: string[] = [];
    for (let m = 1; m <= 12; m++) for (const ou of ['OuClinicA01', 'OuClinicB01']) rows.push(`DeInteger01,2024${String(m).padStart(2, '0')},${ou},,,${m * 7},,,,false,a comment long enough to make the file grow ${'x'.repeat(200)}`);
    for (let i = 0; i < 30; i++) rows.push(...rows.slice(0, 24).map((r) => r.replace('DeInteger01,2024', `DeInteger01,20${10 + (i % 14)}`)));
    expect((await ferryCli(['--db', dbPath, 'import', csv('year.csv', rows)])).code).toBe(0);
  });

  it('refuses when the target has not the space, naming the free and needed bytes; writes and records nothing', async () => {
    const db = openDb(dbPath);
    try {
      const out = path.join(dir, 'full.zip');
      const err = await sendPackage(ctxFor(db), out, { to: 'District B' }, () => 1000).catch((e: unknown) => e as AppError);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).message).toMatch(/Not enough free space in .*: 1000 bytes free \(1000 bytes\), the package needs up to .* \(\d+ bytes\)/);
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.existsSync(out + '.part')).toBe(false);
      expect(new TransferSitesRepo(db).sent(null, 10)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('a send killed mid-write (power cut, kill -9) leaves only its part file, removed when Ferry next opens; nothing recorded', async () => {
    const out = path.join(dir, 'killed.zip');
    const db = openDb(dbPath);
    const job = new JobsRepo(db).create({ kind: 'send', direction: 'export', dryRun: false, options: { to: 'District B' }, files: [{ path: out, name: 'killed.zip', size: null }] });
    db.close();
    fs.writeFileSync(out + '.part', 'PK\u0003\u0004 half a package');
    const r = await ferryCli(['--db', dbPath, 'site', '--json']);
    expect(r.code).toBe(0);
    expect(fs.existsSync(out + '.part')).toBe(false);
    expect(fs.existsSync(out)).toBe(false);
    const after = openDb(dbPath);
    try {
      expect(new JobsRepo(after).get(job.jobId)?.status).toBe('interrupted');
      expect(new TransferSitesRepo(after).sent(null, 10)).toEqual([]);
    } finally {
      after.close();
    }
    const s = await send(out);
    expect(s.sequence).toBe(1);
  });

  it('a send that fails mid-write leaves no package and no part file; the next send makes the same sequence', async () => {
    const db = openDb(dbPath);
    try {
      const out = path.join(dir, 'broken.zip');
      const err = await sendPackage(ctxFor(db, 1), out, { to: 'District B' }).catch((e: unknown) => e as AppError);
      expect((err as AppError).code).toBe('CANCELLED');
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.existsSync(out + '.part')).toBe(false);
      expect(new TransferSitesRepo(db).sent(null, 10)).toEqual([]);
      // a part file left by a killed send is replaced, never taken for a package
      fs.writeFileSync(out + '.part', 'half a package');
      const s = await sendPackage(ctxFor(db), out, { to: 'District B' });
      expect(s.sequence).toBe(1);
      expect(s.counts.dataValues).toBe(24 + 14 * 24);
      expect(fs.existsSync(out + '.part')).toBe(false);
      expect(manifestOf(out).sequence).toBe(1);
    } finally {
      db.close();
    }
  });
});
