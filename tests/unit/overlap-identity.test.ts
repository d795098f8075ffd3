/**
 * Issue 15, "overlapping files are caught", by identity: two files of one job that name the same data element, org
 * unit and combos differently (uid in one, code in the other; an ADX file with its CODE default, its period as a date
 * and duration and its category options; the default combo by uid or left empty) carry the same value keys, and the
 * scan says so with the right counts and "values differ" judgement — in the scan, the job's summary, the `overlap`
 * policies and the CLI's warning. A part that does not resolve keeps its written form.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { scanOverlaps } from '../../src-main/jobs/overlap.ts';
import { ferryCli } from '../helpers/cli.ts';
import { runImport, storedValues, useDataSite, writeFile } from './importers/data-values/helpers.ts';

const site = useDataSite();

const input = (path: string, index: number) => ({ index, fileId: index + 1, path, name: path.split('/').pop()! });
const ctx = () => ({ throwIfCancelled() {}, progress() {}, db: site.ferry.db });

/** Clinic A's integer value for 202401–202403 by uid (default combos left empty), the first two also a Sex value. */
function byUid(): string {
  return site.csv(
    'by-uid.csv',
    'DeInteger01,202401,OuClinicA01,,,10,,,,,',
    'DeInteger01,202402,OuClinicA01,HllvX50cXC0,HllvX50cXC0,11,,,,,',
    'DeInteger01,202403,OuClinicA01,,,12,,,,,',
    'DeNumber001,202401,OuClinicA01,CocMale0001,,5,,,,,',
  );
}

/** The same keys by code (the file's own id schemes): 202401 differs, 202402 agrees, 202404 is new; the Male value agrees. */
function byCode(): string {
  return writeFile(
    site.dir,
    'by-code.xml',
    `<?xml version="1.0"?>
<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" idScheme="CODE" orgUnit="OU_A">
  <dataValue dataElement="DE_INT" period="202401" value="99"/>
  <dataValue dataElement="DE_INT" period="2024-02" categoryOptionCombo="default" value="11"/>
  <dataValue dataElement="DE_INT" period="202404" value="13"/>
  <dataValue dataElement="DE_NUM" period="202401" categoryOptionCombo="COC_M" value="5"/>
</dataValueSet>`,
  );
}

describe('overlapping keys by identity', () => {
  it('a file by uid and one by code: the shared keys and the differing values are counted', async () => {
    const a = byUid();
    const b = byCode();
    const scan = await scanOverlaps(ctx(), [input(a, 0), input(b, 1)], {});
    // DeInteger01 202401 (10 vs 99), 202402 (11 = 11, default combo by uid vs by code), DeNumber001 Male 202401 (5 = 5)
    expect(scan.report).toEqual({ keys: 3, differing: 1, pairs: [{ first: 'by-uid.csv', second: 'by-code.xml', keys: 3, differing: 1 }] });
    expect(scan.rows).toBe(8);
    // without the database (the scan alone) keys are compared as written: uid and code spellings never meet
    const written = await scanOverlaps(null, [input(a, 0), input(b, 1)], {});
    expect(written.report.keys).toBe(0);
  });

  it('an ADX file (CODE by default, periods as start/duration, category options) against CSV by uid', async () => {
    const a = byUid();
    const adx = writeFile(
      site.dir,
      'x.adx.xml',
      `<adx xmlns="urn:ihe:qrph:adx:2015">
  <group dataSet="DS_M" period="2024-01-01/P1M" orgUnit="OU_A">
    <dataValue dataElement="DE_NUM" SEX="M" value="6"/>
    <dataValue dataElement="DE_NUM" SEX="F" value="7"/>
    <dataValue dataElement="DE_INT" value="10"/>
  </group>
</adx>`,
    );
    const scan = await scanOverlaps(ctx(), [input(a, 0), input(adx, 1)], {});
    // DE_NUM SEX=M 202401 is DeNumber001/CocMale0001 (5 vs 6: differs); DE_INT 202401 agrees (10); Female is new
    expect(scan.report).toMatchObject({ keys: 2, differing: 1 });
  });

  it('the job options choose the id schemes, as for the import; an unresolved part keeps its written form', async () => {
    const a = site.csv('codes-a.csv', 'DE_INT,202401,OU_A,,,1,,,,,', 'DeNope00001,202401,OU_A,,,1,,,,,');
    const b = site.csv('codes-b.csv', 'DE_INT,2024-01,OU_A,default,,2,,,,,', 'DeNope00001,202401,OU_A,,,2,,,,,', 'DeInteger01,202401,OU_A,,,1,,,,,');
    const scan = await scanOverlaps(ctx(), [input(a, 0), input(b, 1)], { idScheme: 'CODE' });
    // DE_INT (2024-01 = 202401, empty combo = default by code) differs; the unknown DeNope00001 matches itself as
    // written; DeInteger01 is not a code, so it stays as written and meets nothing
    expect(scan.report).toMatchObject({ keys: 2, differing: 2 });
    // under UID (the default) the codes do not resolve and are compared as written: DE_INT's rows differ in the
    // combo's spelling ('default' vs empty), the unknown data element's rows still meet
    const asUid = await scanOverlaps(ctx(), [input(a, 0), input(b, 1)], {});
    expect(asUid.report).toMatchObject({ keys: 1, differing: 1 });
  });

  it('the rows of a header the import refuses whole are not counted', async () => {
    const a = byUid();
    const b = writeFile(
      site.dir,
      'unknown-set.xml',
      `<?xml version="1.0"?>
<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" dataSet="DsNope00001" orgUnit="OuClinicA01">
  <dataValue dataElement="DeInteger01" period="202401" value="99"/>
</dataValueSet>`,
    );
    const scan = await scanOverlaps(ctx(), [input(a, 0), input(b, 1)], {});
    expect(scan.report.keys).toBe(0);
  });

  it('in a job: the dry run reports them, the default stops a real import, first keeps the first file', async () => {
    const a = byUid();
    const b = byCode();
    const dry = await runImport(site.ferry, [a, b], { dryRun: true });
    expect(dry.summary!.overlaps).toMatchObject({ policy: 'stop', keys: 3, differing: 1, stopped: false });
    const real = await runImport(site.ferry, [a, b]);
    expect(real.error!.code).toBe('BAD_REQUEST');
    expect(real.error!.message).toMatch(/^by-uid\.csv and by-code\.xml carry the same 3 value keys .*, 1 with different values: nothing was imported/);
    expect(storedValues(site.ferry.db)).toEqual([]);
    const first = await runImport(site.ferry, [a, b], { overlap: 'first' });
    expect(first.error).toBeNull();
    expect(first.summary!.overlaps).toMatchObject({ policy: 'first', keys: 3, differing: 1, order: ['by-code.xml', 'by-uid.csv'] });
    const int = storedValues(site.ferry.db).filter((v) => v.dataElement === 'DeInteger01').map((v) => [v.period, v.value]);
    expect(int).toEqual([['202401', '10'], ['202402', '11'], ['202403', '12'], ['202404', '13']]);
  });

  it('the CLI warns about them in a dry run', async () => {
    const a = byUid();
    const b = byCode();
    const dry = await ferryCli(['--db', path.join(site.dir, 'ferry.sqlite'), 'import', a, b, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('  warning: by-uid.csv and by-code.xml carry the same 3 value keys, 1 with different values\n');
  });
});
