/**
 * Receiving transfer packages through the CLI (issue 13): verification before any write (a flipped byte anywhere is
 * refused naming the entry, exit 2, nothing written, the refusal in the job history), a package received twice is a
 * no-op saying when, gaps reported until filled, out of order arrival never letting an older value overwrite a newer
 * one (kept newer), deletions, several files received in sequence order, reconciliation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb, type Db } from '../../src-main/db/open.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { SMALL_METADATA, loadMetadata, storedValues } from '../unit/importers/data-values/helpers.ts';
import { entryDataOffset, flipByte, writePackage, type HandValue } from '../helpers/receive-package.ts';
import type { ReceiveSummary, ReconcileReport } from '../../src-shared/transfer-receive.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import { withDbAt } from '../helpers/db.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-receive-');
  dbPath = path.join(dir, 'district.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, SMALL_METADATA);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const withDb = <T>(fn: (db: Db) => T): T => withDbAt(dbPath, fn);
const snapshot = (): unknown[] => withDb((db) => db.prepare(`SELECT * FROM data_value ORDER BY ou, pe, de, coc, aoc`).all());
const live = (): Record<string, string | null> =>
  Object.fromEntries(withDb((db) => storedValues(db)).map((v) => [`${v.dataElement}/${v.period}/${v.categoryOptionCombo}`, v.value]));

const clinicA = { id: 'SiteClinicA', name: 'Clinic A', orgUnit: 'OuClinicA01' };
const v = (pe: string, value: string, extra: Partial<HandValue> = {}): HandValue => ({ dataElement: 'DeInteger01', period: pe, orgUnit: 'OuClinicA01', value, ...extra });
const total = (pe: string, values: number, sum: number) => ({ orgUnit: 'OuClinicA01', dataSet: 'DsMonthly01', period: pe, values, sum });

interface ReceiveJson {
  status: string;
  packages: { file: string; jobId: number; status: string; summary: ReceiveSummary | null; error: { code: string; message: string } | null }[];
}
const receive = async (...args: string[]) => ferryCli(['--db', dbPath, 'receive', ...args, '--json']);

describe('ferry receive', () => {
  it('receives a package: values imported, the package recorded, reconciliation matching; the same package again is a no-op saying when', async () => {
    const p1 = writePackage(dir, 'a-1.zip', { from: clinicA, sequence: 1, values: [v('202401', '10'), v('202402', '11')], controlTotals: [total('202401', 1, 10), total('202402', 1, 11)] });
    const r = await receive(p1);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = r.json<ReceiveJson>();
    expect(out.packages[0]!.status).toBe('received');
    const s = out.packages[0]!.summary!;
    expect(s.dataValues).toMatchObject({ imported: 2, updated: 0, deleted: 0, ignored: 0, keptNewer: 0 });
    expect(s.reconciliation).toEqual({ cells: 2, mismatches: 0, rows: [] });
    expect(live()).toEqual({ 'DeInteger01/202401/HllvX50cXC0': '10', 'DeInteger01/202402/HllvX50cXC0': '11' });

    const before = snapshot();
    // the same package, re-made (a new package id): nothing to do, and it says when it was received
    const again = writePackage(dir, 'a-1-remade.zip', { from: clinicA, sequence: 1, packageId: 'PkgRemade01', values: [v('202401', '99')] });
    const r2 = await receive(again);
    expect(r2.code).toBe(0);
    const p = r2.json<ReceiveJson>().packages[0]!;
    expect(p.status).toBe('already-received');
    expect(p.summary!.description).toMatch(new RegExp(`^package 1 from Clinic A was received on \\d{4}-\\d\\d-\\d\\d \\(job ${out.packages[0]!.jobId}\\); nothing to do$`));
    expect(snapshot()).toEqual(before);
    // the text output says so too
    const r3 = await ferryCli(['--db', dbPath, 'receive', p1]);
    expect(r3.code).toBe(0);
    expect(r3.stdout).toContain('ALREADY RECEIVED');
  });

  it("never refuses a value the sender accepted because its period has expired since: the data set's expiry days are the sender's to apply", async () => {
    withDb((db) => loadMetadata(db, { dataSets: [{ ...SMALL_METADATA.dataSets[0]!, expiryDays: 10 }] }));
    const p1 = writePackage(dir, 'a-1.zip', { from: clinicA, sequence: 1, values: [v('202401', '10')] });
    const r = await receive(p1);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.json<ReceiveJson>().packages[0]!.summary!.dataValues).toMatchObject({ imported: 1, ignored: 0, conflicts: [] });
    expect(live()).toEqual({ 'DeInteger01/202401/HllvX50cXC0': '10' });
    // the same value imported as a plain file is refused (E7640), as DHIS2 refuses it to a user without F_EDIT_EXPIRED
    const f = path.join(dir, 'late.json');
    fs.writeFileSync(f, JSON.stringify({ dataValues: [{ ...v('202401', '12') }] }));
    const plain = await ferryCli(['--db', dbPath, 'import', f, '--json']);
    expect(JSON.stringify(plain.json<{ conflicts: unknown[] }>().conflicts)).toContain('E7640');
    expect(live()).toEqual({ 'DeInteger01/202401/HllvX50cXC0': '10' });
  });

  it('refuses a package with a flipped byte anywhere, naming the entry: exit 2, nothing written, the refusal in the job history', async () => {
    const good = writePackage(dir, 'a-1.zip', { from: clinicA, sequence: 1, values: [v('202401', '10'), v('202402', '11')] });
    const size = fs.statSync(good).size;
    const dvAt = entryDataOffset(good, 'dataValues.json');
    const manifestAt = entryDataOffset(good, 'ferry-manifest.json');
    const before = snapshot();
    // inside the data values, inside the manifest, in the central directory, in the end record
    const cases: [number, RegExp][] = [
      [dvAt + 5, /dataValues\.json/],
      [manifestAt + 3, /ferry-manifest\.json/],
      [size - 40, /zip is damaged|dataValues\.json|ferry-manifest\.json/],
      [size - 12, /zip is damaged|not a transfer package/],
    ];
    for (const [i, [offset, names]] of cases.entries()) {
      const bad = flipByte(good, offset, path.join(dir, `bad-${i}.zip`));
      const r = await receive(bad);
      expect(r.code, `offset ${offset}: ${r.stdout}`).toBe(2);
      const p = r.json<ReceiveJson>().packages[0]!;
      expect(p.status).toBe('refused');
      expect(p.error!.code).toBe('BAD_FILE');
      expect(p.error!.message).toMatch(names);
      expect(p.error!.message).toContain('nothing was written');
      expect(snapshot()).toEqual(before);
    }
    const jobs = (await ferryCli(['--db', dbPath, 'jobs', '--json'])).json<JobRecord[]>();
    expect(jobs.filter((j) => j.kind === 'transfer' && j.status === 'failed' && j.error?.code === 'BAD_FILE')).toHaveLength(cases.length);
    expect(withDb((db) => db.prepare(`SELECT count(*) FROM transfer_received`).pluck().get())).toBe(0);
  });

  it('names the entry whose bytes do not match the manifest (sha256), and an entry missing or extra', async () => {
    // a package whose dataValues.json is intact as a zip entry but not what the manifest says
    const { zipSync, strToU8 } = await import('fflate');
    const good = writePackage(dir, 'a-1.zip', { from: clinicA, sequence: 1, values: [v('202401', '10')] });
    const { unzipSync } = await import('fflate');
    const entries = unzipSync(fs.readFileSync(good));
    const swapped = path.join(dir, 'swapped.zip');
    fs.writeFileSync(swapped, zipSync({ 'dataValues.json': strToU8(JSON.stringify({ dataValues: [v('202401', '12')] })), 'ferry-manifest.json': entries['ferry-manifest.json']! }));
    let r = await receive(swapped);
    expect(r.code).toBe(2);
    expect(r.json<ReceiveJson>().packages[0]!.error!.message).toMatch(/dataValues\.json: (sha256 does not match the manifest|size \d+ does not match)/);
    const extra = path.join(dir, 'extra.zip');
    fs.writeFileSync(extra, zipSync({ 'dataValues.json': entries['dataValues.json']!, 'other.json': strToU8('{}'), 'ferry-manifest.json': entries['ferry-manifest.json']! }));
    r = await receive(extra);
    expect(r.code).toBe(2);
    expect(r.json<ReceiveJson>().packages[0]!.error!.message).toContain('other.json is in the zip but not in the manifest');
    const missing = path.join(dir, 'missing.zip');
    fs.writeFileSync(missing, zipSync({ 'ferry-manifest.json': entries['ferry-manifest.json']! }));
    r = await receive(missing);
    expect(r.code).toBe(2);
    expect(r.json<ReceiveJson>().packages[0]!.error!.message).toContain('dataValues.json is missing');
    expect(live()).toEqual({});
  });

  it('reports a gap until it is filled; an older package arriving late never overwrites a newer value (kept newer); deletions', async () => {
    const p1 = writePackage(dir, 'a-1.zip', { from: clinicA, sequence: 1, values: [v('202401', '10'), v('202402', '20')] });
    // package 2 changed January, is lost for now; package 3 changes January again and deletes February
    const p2 = writePackage(dir, 'a-2.zip', { from: clinicA, sequence: 2, values: [v('202401', '11'), v('202403', '30')] });
    const p3 = writePackage(dir, 'a-3.zip', { from: clinicA, sequence: 3, values: [v('202401', '12'), v('202402', '20', { deleted: true })], controlTotals: [total('202401', 1, 12), total('202402', 0, 0)] });
    expect((await receive(p1)).code).toBe(0);
    const r3 = await receive(p3);
    expect(r3.code).toBe(0);
    const s3 = r3.json<ReceiveJson>().packages[0]!.summary!;
    expect(s3.gaps.map((g) => g.message)).toEqual(['package 2 from Clinic A has not arrived; 1 and 3 have']);
    expect(s3.description).toContain('package 2 from Clinic A has not arrived; 1 and 3 have');
    expect(s3.dataValues).toMatchObject({ updated: 1, deleted: 1 });
    expect(live()).toEqual({ 'DeInteger01/202401/HllvX50cXC0': '12' });
    // the text output and the reconcile command say it too
    const sites = await ferryCli(['--db', dbPath, 'reconcile', '--json']);
    expect(sites.json<ReconcileReport>()).toMatchObject({ cells: 2, mismatches: 0 });

    // package 2 arrives late: March is new, January stays 12 (package 3 is newer)
    const r2 = await receive(p2);
    expect(r2.code).toBe(0);
    const s2 = r2.json<ReceiveJson>().packages[0]!.summary!;
    expect(s2.dataValues).toMatchObject({ imported: 1, keptNewer: 1 });
    expect(s2.gaps).toEqual([]);
    expect(live()).toEqual({ 'DeInteger01/202401/HllvX50cXC0': '12', 'DeInteger01/202403/HllvX50cXC0': '30' });
  });

  it('receives several files in sequence order per sender whatever order they are given in', async () => {
    const p1 = writePackage(dir, 'a-1.zip', { from: clinicA, sequence: 1, values: [v('202401', '10')] });
    const p2 = writePackage(dir, 'a-2.zip', { from: clinicA, sequence: 2, values: [v('202401', '11')] });
    const p3 = writePackage(dir, 'a-3.zip', { from: clinicA, sequence: 3, values: [v('202401', '12')] });
    const r = await receive(p3, p1, p2);
    expect(r.code, r.stdout).toBe(0);
    const out = r.json<ReceiveJson>();
    expect(out.packages.map((p) => [p.file, p.status])).toEqual([
      ['a-1.zip', 'received'],
      ['a-2.zip', 'received'],
      ['a-3.zip', 'received'],
    ]);
    expect(out.packages.map((p) => p.summary!.dataValues.keptNewer)).toEqual([0, 0, 0]);
    expect(live()).toEqual({ 'DeInteger01/202401/HllvX50cXC0': '12' });
  });

  it('--dry-run writes nothing and records no package; a mismatch of the control totals is listed by reconcile', async () => {
    const p1 = writePackage(dir, 'a-1.zip', { from: clinicA, sequence: 1, values: [v('202401', '10')], controlTotals: [total('202401', 2, 25)] });
    const dry = await receive(p1, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.json<ReceiveJson>().packages[0]!.status).toBe('dry-run');
    expect(live()).toEqual({});
    expect(withDb((db) => db.prepare(`SELECT count(*) FROM transfer_received`).pluck().get())).toBe(0);

    const r = await receive(p1);
    expect(r.code).toBe(0);
    expect(r.json<ReceiveJson>().packages[0]!.summary!.status).toBe('WARNING');
    const rec = await ferryCli(['--db', dbPath, 'reconcile', '--json']);
    expect(rec.code).toBe(0);
    expect(rec.json<ReconcileReport>()).toEqual({
      cells: 1,
      mismatches: 1,
      rows: [
        {
          senderId: 'SiteClinicA', senderName: 'Clinic A', orgUnit: 'OuClinicA01', dataSet: 'DsMonthly01', period: '202401', sequence: 1,
          sent: { values: 2, sum: 25 }, stored: { values: 1, sum: 10 }, match: false,
        },
      ],
    });
    const text = await ferryCli(['--db', dbPath, 'reconcile']);
    expect(text.stdout).toContain('Reconciliation: 0 of 1 cells match, 1 differs');
    expect(text.stdout).toContain('Clinic A OuClinicA01 DsMonthly01 202401: sent 2 values (sum 25, package 1), stored 1 (sum 10)');
  });

  it('a receive that was undone (ferry undo) no longer counts: the package is received again', async () => {
    const p1 = writePackage(dir, 'a-1.zip', { from: clinicA, sequence: 1, values: [v('202401', '10')], controlTotals: [total('202401', 1, 10)] });
    const first = await receive(p1);
    const jobId = first.json<ReceiveJson>().packages[0]!.jobId;
    const undo = await ferryCli(['--db', dbPath, 'undo', String(jobId), '--json']);
    expect(undo.code, undo.stdout + undo.stderr).toBe(0);
    expect(live()).toEqual({});
    const again = await receive(p1);
    expect(again.code).toBe(0);
    const p = again.json<ReceiveJson>().packages[0]!;
    expect(p.status).toBe('received');
    expect(p.summary!.reconciliation).toEqual({ cells: 1, mismatches: 0, rows: [] });
    expect(live()).toEqual({ 'DeInteger01/202401/HllvX50cXC0': '10' });
    expect(withDb((db) => db.prepare(`SELECT count(*) FROM transfer_received`).pluck().get())).toBe(1);
  });

  it('imports the metadata a package carries before its values (downwards: a new data element and its values)', async () => {
    const metadata = { dataElements: [{ id: 'DeNew000001', name: 'New element', shortName: 'New', code: 'DE_NEW', valueType: 'INTEGER', aggregationType: 'SUM', domainType: 'AGGREGATE', categoryCombo: { id: 'bjDvmb4bfuf' } }] };
    const p1 = writePackage(dir, 'prov-1.zip', {
      from: { id: 'SiteProvinc', name: 'Province' },
      sequence: 1,
      metadata,
      values: [{ dataElement: 'DeNew000001', period: '202401', orgUnit: 'OuClinicA01', value: '5' }],
    });
    const r = await receive(p1);
    expect(r.code, r.stdout).toBe(0);
    const s = r.json<ReceiveJson>().packages[0]!.summary!;
    expect(s.metadata).toMatchObject({ created: 1 });
    expect(s.dataValues).toMatchObject({ imported: 1, ignored: 0 });
    expect(live()).toEqual({ 'DeNew000001/202401/HllvX50cXC0': '5' });
  });
});
