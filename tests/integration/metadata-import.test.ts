/**
 * Metadata import end to end through the doors users take: the CLI (`--json` contract, exit codes), the job API in
 * worker mode, dry runs, strategies, identifiers, skipValidation, XML and compressed payloads, several files.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { zipSync } from 'fflate';
import { spawnSync } from 'node:child_process';
import { ferryCli } from '../helpers/cli.ts';
import { repoRoot, tmpDir } from '../helpers/tmp.ts';
import { openFerry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { openDb } from '../../src-main/db/open.ts';
import type { ImportReport } from '../../src-shared/dhis2/import-summary.ts';
import type { ProgressEvent } from '../../src-shared/api/contract.ts';
import { isValidUid } from '../../src-shared/dhis2/uid.ts';

const dir = tmpDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const newDb = (): string => path.join(dir, `site-${++n}.sqlite`);
const write = (name: string, content: string | Buffer | object): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content));
  return f;
};

const de = (id: string, name: string, extra: object = {}): object => ({
  id, name, shortName: name, valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM', ...extra,
});
const ou = (id: string | undefined, name: string, parent?: string, extra: object = {}): object => ({
  ...(id ? { id } : {}), name, shortName: name, openingDate: '2000-01-01', ...(parent ? { parent: { id: parent } } : {}), ...extra,
});
const payload = {
  system: { id: 'x', rev: 'abc' },
  organisationUnits: [ou('OuRoot00001', 'Sierra Leone'), ou('OuChild0001', 'Bo', 'OuRoot00001'), ou(undefined, 'Bo Hospital', 'OuChild0001', { code: 'BO_HOSP' })],
  dataElements: [de('DeAncVisit1', 'ANC 1st visit', { code: 'DE_ANC1' }), de('DeAncVisit2', 'ANC 2nd visit')],
  dataSets: [{ id: 'DsMonthly01', name: 'ANC', periodType: 'Monthly', dataSetElements: [{ dataElement: { id: 'DeAncVisit1' } }], organisationUnits: [{ id: 'OuChild0001' }] }],
  dataElementGroupz: [{ id: 'x' }],
};

function rows(dbPath: string, sql: string): unknown[] {
  const db = openDb(dbPath);
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('metadata import through the CLI', () => {
  it('imports DXF2 JSON: --json prints exactly one ImportReport, exit 0, hierarchy and references stored', async () => {
    const db = newDb();
    const f = write('basic.json', payload);
    const r = await ferryCli(['--db', db, 'import', f, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rep = r.json<ImportReport>();
    expect(rep).toMatchObject({ responseType: 'ImportReport', status: 'OK', stats: { created: 6, updated: 0, deleted: 0, ignored: 0, total: 6 } });
    expect(rep.typeReports.map((t) => [t.klass, t.stats.created])).toEqual([
      ['org.hisp.dhis.organisationunit.OrganisationUnit', 3],
      ['org.hisp.dhis.dataelement.DataElement', 2],
      ['org.hisp.dhis.dataset.DataSet', 1],
    ]);
    expect(rep.unknownKeys).toEqual(['dataElementGroupz']);
    const ous = rows(db, `SELECT m.uid, m.name, o.path, o.level FROM org_unit o JOIN metadata_object m ON m.id = o.id ORDER BY o.level`) as {
      uid: string; name: string; path: string; level: number;
    }[];
    expect(ous.map((o) => [o.name, o.level])).toEqual([['Sierra Leone', 1], ['Bo', 2], ['Bo Hospital', 3]]);
    const hosp = ous[2]!;
    expect(isValidUid(hosp.uid)).toBe(true);
    expect(hosp.path).toBe(`/OuRoot00001/OuChild0001/${hosp.uid}`);
    // data elements without a category combo get the default one; the reference is a metadata_ref row
    const refs = rows(db, `SELECT f.uid AS fromUid, t.uid AS toUid, r.property FROM metadata_ref r JOIN metadata_object f ON f.id = r.from_id JOIN metadata_object t ON t.id = r.to_id WHERE f.uid IN ('DeAncVisit1', 'DsMonthly01') ORDER BY 1, 3`);
    expect(refs).toEqual([
      { fromUid: 'DeAncVisit1', toUid: 'bjDvmb4bfuf', property: 'categoryCombo' },
      { fromUid: 'DsMonthly01', toUid: 'bjDvmb4bfuf', property: 'categoryCombo' },
      { fromUid: 'DsMonthly01', toUid: 'DeAncVisit1', property: 'dataSetElements.dataElement' },
      { fromUid: 'DsMonthly01', toUid: 'OuChild0001', property: 'organisationUnits' },
    ]);
    // every row records the job file that wrote it
    const src = rows(db, `SELECT DISTINCT source_file_id AS s FROM metadata_object WHERE uid = 'DeAncVisit1'`) as { s: number }[];
    const fileIds = rows(db, `SELECT id FROM job_file`) as { id: number }[];
    expect(src[0]!.s).toBe(fileIds[0]!.id);
  });

  it('reports an unknown parent as E5002 naming object, property and value; exit 1 and nothing written (atomic ALL)', async () => {
    const db = newDb();
    const f = write('orphan.json', { organisationUnits: [ou('OuOrphan001', 'Lost clinic', 'aaaU6Kr7Gtpidn'), ou('OuFine00001', 'Fine clinic')] });
    const r = await ferryCli(['--db', db, 'import', f, '--json']);
    expect(r.code).toBe(1);
    const rep = r.json<ImportReport>();
    expect(rep.status).toBe('ERROR');
    expect(rep.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 3, total: 3 });
    const err = rep.typeReports[0]!.objectReports[0]!;
    expect(err).toMatchObject({ klass: 'org.hisp.dhis.organisationunit.OrganisationUnit', index: 0, uid: 'OuOrphan001' });
    expect(err.errorReports[0]).toMatchObject({
      errorCode: 'E5002',
      errorProperty: 'parent',
      value: 'aaaU6Kr7Gtpidn',
      message: 'Invalid reference [aaaU6Kr7Gtpidn] (OrganisationUnit) on object Lost clinic [OuOrphan001] (OrganisationUnit) for association `parent`',
    });
    expect(rows(db, `SELECT count(*) AS n FROM metadata_object WHERE type = 'organisationUnits'`)).toEqual([{ n: 0 }]);
  });

  it('atomic NONE imports the valid objects (exit 0, WARNING); --skip-validation keeps the missing reference and lists it', async () => {
    const f = write('orphan2.json', { organisationUnits: [ou('OuOrphan001', 'Lost clinic', 'aaaU6Kr7Gtpidn'), ou('OuFine00001', 'Fine clinic')] });
    const db1 = newDb();
    const none = await ferryCli(['--db', db1, 'import', f, '--atomic-mode', 'NONE', '--json']);
    expect(none.code).toBe(0);
    expect(none.json<ImportReport>()).toMatchObject({ status: 'WARNING', stats: { created: 2, ignored: 0 } });
    const stored = rows(db1, `SELECT json FROM metadata_object WHERE uid = 'OuOrphan001'`) as { json: string }[];
    expect(JSON.parse(stored[0]!.json).parent).toBeUndefined(); // the invalid reference is dropped

    const db2 = newDb();
    const skip = await ferryCli(['--db', db2, 'import', f, '--skip-validation', '--json']);
    expect(skip.code).toBe(0);
    const rep = skip.json<ImportReport>();
    expect(rep).toMatchObject({ status: 'OK', stats: { created: 2 } });
    expect(rep.missingReferences).toEqual([
      { type: 'organisationUnits', uid: 'OuOrphan001', name: 'Lost clinic', property: 'parent', targetType: 'organisationUnits', target: 'aaaU6Kr7Gtpidn' },
    ]);
    const kept = rows(db2, `SELECT json FROM metadata_object WHERE uid = 'OuOrphan001'`) as { json: string }[];
    expect(JSON.parse(kept[0]!.json).parent).toEqual({ id: 'aaaU6Kr7Gtpidn' });
  });

  it('dry run reports exactly what the real import reports and changes nothing', async () => {
    const db = newDb();
    const f = write('dry.json', { dataElements: [de('DeAncVisit1', 'ANC 1st visit'), de('DeAncVisit1', 'dup'), de('DeAncVisit3', 'ANC 3rd')] });
    const dry = await ferryCli(['--db', db, 'import', f, '--dry-run', '--atomic-mode', 'NONE', '--json']);
    expect(dry.code).toBe(0);
    expect(rows(db, `SELECT count(*) AS n FROM metadata_object WHERE type = 'dataElements'`)).toEqual([{ n: 0 }]);
    const real = await ferryCli(['--db', db, 'import', f, '--atomic-mode', 'NONE', '--json']);
    const a = dry.json<ImportReport>();
    const b = real.json<ImportReport>();
    expect(a.dryRun).toBe(true);
    expect(b.dryRun).toBeUndefined();
    expect({ ...a, dryRun: undefined }).toEqual({ ...b, dryRun: undefined });
    expect(b.typeReports[0]!.objectReports[0]!.errorReports[0]!.errorCode).toBe('E5004');
    expect(rows(db, `SELECT count(*) AS n FROM metadata_object WHERE type = 'dataElements'`)).toEqual([{ n: 2 }]);
  });

  it('strategies: new only refuses existing (E5000), updates only refuses unknown (E5001), delete removes', async () => {
    const db = newDb();
    const f = write('s1.json', { dataElements: [de('DeAncVisit1', 'ANC 1st visit')] });
    expect((await ferryCli(['--db', db, 'import', f, '--json'])).code).toBe(0);
    const again = await ferryCli(['--db', db, 'import', f, '--strategy', 'NEW', '--json']);
    expect(again.code).toBe(1);
    expect(again.json<ImportReport>().typeReports[0]!.objectReports[0]!.errorReports[0]).toMatchObject({ errorCode: 'E5000', errorProperty: 'id' });
    const upd = write('s2.json', { dataElements: [de('DeAncVisit1', 'ANC first visit'), de('DeUnknown01', 'Nope')] });
    const u = await ferryCli(['--db', db, 'import', upd, '--strategy', 'UPDATES', '--atomic-mode', 'NONE', '--json']);
    expect(u.json<ImportReport>()).toMatchObject({ status: 'WARNING', stats: { updated: 1, ignored: 1 } });
    expect(rows(db, `SELECT name FROM metadata_object WHERE uid = 'DeAncVisit1'`)).toEqual([{ name: 'ANC first visit' }]);
    const del = await ferryCli(['--db', db, 'import', f, '--strategy', 'DELETE', '--json']);
    expect(del.json<ImportReport>()).toMatchObject({ status: 'OK', stats: { deleted: 1, total: 1 } });
    expect(rows(db, `SELECT count(*) AS n FROM metadata_object WHERE type = 'dataElements'`)).toEqual([{ n: 0 }]);
  });

  it('identifier CODE: matched by code, the stored UID is kept; references by code resolve', async () => {
    const db = newDb();
    const first = write('c1.json', { organisationUnits: [{ code: 'OU_BO', name: 'Bo', shortName: 'Bo', openingDate: '2000-01-01' }] });
    expect((await ferryCli(['--db', db, 'import', first, '--identifier', 'CODE', '--json'])).code).toBe(0);
    const [{ uid }] = rows(db, `SELECT uid FROM metadata_object WHERE code = 'OU_BO'`) as { uid: string }[] as [{ uid: string }];
    expect(isValidUid(uid)).toBe(true);
    const second = write('c2.json', {
      organisationUnits: [
        { id: 'OuOtherUid1', code: 'OU_BO', name: 'Bo District', shortName: 'Bo', openingDate: '2000-01-01' },
        { code: 'OU_BO_H', name: 'Bo Hospital', shortName: 'Bo H', openingDate: '2000-01-01', parent: { code: 'OU_BO' } },
      ],
    });
    const r = await ferryCli(['--db', db, 'import', second, '--identifier', 'CODE', '--json']);
    expect(r.json<ImportReport>()).toMatchObject({ status: 'OK', stats: { created: 1, updated: 1 } });
    expect(rows(db, `SELECT uid, name FROM metadata_object WHERE code = 'OU_BO'`)).toEqual([{ uid, name: 'Bo District' }]);
    const child = rows(db, `SELECT o.path FROM org_unit o JOIN metadata_object m ON m.id = o.id WHERE m.code = 'OU_BO_H'`) as { path: string }[];
    expect(child[0]!.path.startsWith(`/${uid}/`)).toBe(true);
  });

  it('imports DXF2 XML, gzip and zip payloads to the same result', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://dhis2.org/schema/dxf/2.0" date="2020-01-01">
  <system><id>abc</id></system>
  <organisationUnits>
    <organisationUnit id="OuRoot00001" name="Sierra Leone" shortName="Sierra Leone"><openingDate>2000-01-01</openingDate></organisationUnit>
    <organisationUnit id="OuChild0001" name="Bo" shortName="Bo"><openingDate>2000-01-01</openingDate><parent id="OuRoot00001"/></organisationUnit>
  </organisationUnits>
  <dataElements>
    <dataElement id="DeAncVisit1" name="ANC 1st visit" shortName="ANC 1st visit"><valueType>NUMBER</valueType><domainType>AGGREGATE</domainType>
      <aggregationType>SUM</aggregationType><zeroIsSignificant>false</zeroIsSignificant><categoryCombo id="bjDvmb4bfuf"/></dataElement>
  </dataElements>
  <dataSets>
    <dataSet id="DsMonthly01" name="ANC"><periodType>Monthly</periodType><openFuturePeriods>2</openFuturePeriods>
      <dataSetElements><dataSetElement><dataElement id="DeAncVisit1"/></dataSetElement></dataSetElements>
      <organisationUnits><organisationUnit id="OuChild0001"/></organisationUnits></dataSet>
  </dataSets>
</metadata>`;
    const files = {
      xml: write('md.xml', xml),
      gz: write('md.xml.gz', zlib.gzipSync(Buffer.from(xml))),
      zip: write('md.zip', Buffer.from(zipSync({ 'metadata.xml': Buffer.from(xml) }))),
      jsongz: write('md.json.gz', zlib.gzipSync(Buffer.from(JSON.stringify(payload)))),
    };
    for (const f of [files.xml, files.gz, files.zip]) {
      const db = newDb();
      const r = await ferryCli(['--db', db, 'import', f, '--json']);
      expect(r.code, r.stdout).toBe(0);
      expect(r.json<ImportReport>().stats).toEqual({ created: 4, updated: 0, deleted: 0, ignored: 0, total: 4 });
      const ds = rows(db, `SELECT json FROM metadata_object WHERE uid = 'DsMonthly01'`) as { json: string }[];
      expect(JSON.parse(ds[0]!.json)).toMatchObject({
        periodType: 'Monthly', openFuturePeriods: 2, dataSetElements: [{ dataElement: { id: 'DeAncVisit1' } }], organisationUnits: [{ id: 'OuChild0001' }],
      });
      const deJson = JSON.parse((rows(db, `SELECT json FROM metadata_object WHERE uid = 'DeAncVisit1'`) as { json: string }[])[0]!.json);
      expect(deJson).toMatchObject({ valueType: 'NUMBER', zeroIsSignificant: false, categoryCombo: { id: 'bjDvmb4bfuf' } });
    }
    const r = await ferryCli(['--db', newDb(), 'import', files.jsongz, '--json']);
    expect(r.json<ImportReport>().stats.created).toBe(6);
  });

  it('several files in one job give one report, in order (the second may reference the first)', async () => {
    const db = newDb();
    const a = write('multi-a.json', { dataElements: [de('DeAncVisit1', 'ANC 1st visit')] });
    const b = write('multi-b.json', { dataSets: [{ id: 'DsMonthly01', name: 'ANC', periodType: 'Monthly', dataSetElements: [{ dataElement: { id: 'DeAncVisit1' } }] }] });
    const r = await ferryCli(['--db', db, 'import', a, b, '--json']);
    expect(r.code, r.stdout).toBe(0);
    const rep = r.json<ImportReport>();
    expect(rep.stats).toMatchObject({ created: 2, total: 2 });
    expect(rep.typeReports.map((t) => t.klass)).toEqual(['org.hisp.dhis.dataelement.DataElement', 'org.hisp.dhis.dataset.DataSet']);
  });

  it('runs as a real command in a worker (bin/ferry.mjs): one JSON document on stdout', () => {
    const db = newDb();
    const f = write('real.json', payload);
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/ferry.mjs'), '--db', db, 'import', f, '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as ImportReport;
    expect(rep).toMatchObject({ responseType: 'ImportReport', status: 'OK', stats: { created: 6 } });
  });
});

describe('metadata import job in worker mode', () => {
  it('reports progress (bytes read, records written) and stores the report in the job history', async () => {
    const ferry = openFerry({ dbPath: newDb(), mode: 'worker' });
    try {
      const events: ProgressEvent[] = [];
      ferry.jobs.on('job:progress', (e) => events.push(e));
      const f = write('worker.json', payload);
      const r = await invoke(ferry.handlers, 'import:start', { files: [f], options: { atomicMode: 'NONE' } });
      expect(r.ok).toBe(true);
      const job = await ferry.jobs.wait((r as { value: { jobId: number } }).value.jobId);
      expect(job).toMatchObject({ status: 'done', kind: 'metadata', resultStatus: 'OK' });
      expect(job.files[0]).toMatchObject({ name: 'worker.json', format: 'json', compression: 'none', status: 'OK', size: fs.statSync(f).size });
      expect(job.files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect((job.summary as ImportReport).stats.created).toBe(6);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.jobId === job.id && e.fileName === 'worker.json')).toBe(true);
      expect(events.some((e) => e.unit === 'bytes' || e.unit === 'records')).toBe(true);
    } finally {
      await ferry.close();
    }
  });
});

describe('cancelling a metadata import', () => {
  it('a cancelled worker job rolls back: status cancelled, no object written', async () => {
    const dbPath = newDb();
    const ferry = openFerry({ dbPath, mode: 'worker' });
    try {
      const big = { dataElements: Array.from({ length: 40_000 }, (_, i) => de(`De${String(i).padStart(8, '0')}`, `Data element ${i}`)) };
      const f = write('big.json', big);
      let cancelled = false;
      ferry.jobs.on('job:progress', (e) => {
        if (!cancelled) {
          cancelled = true;
          void invoke(ferry.handlers, 'jobs:cancel', { id: e.jobId });
        }
      });
      const r = await invoke(ferry.handlers, 'import:start', { files: [f], options: {} });
      const job = await ferry.jobs.wait((r as { value: { jobId: number } }).value.jobId);
      expect(cancelled).toBe(true);
      expect(job.status).toBe('cancelled');
      expect(ferry.db.prepare(`SELECT count(*) FROM metadata_object WHERE type = 'dataElements'`).pluck().get()).toBe(0);
    } finally {
      await ferry.close();
    }
  });
});
