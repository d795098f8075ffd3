/**
 * Issue 15, "overlapping files are caught": value keys carried by two files of one data job are found before the
 * import (which files, how many keys, whether the values differ); by default a real import whose files disagree stops
 * before anything is written, a dry run reports them; `overlap: first|newer` keeps the first / the newer file's values.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { zipSync, strToU8 } from 'fflate';
import { KeyTable, mayOverlap, scanOverlaps } from '../../src-main/jobs/overlap.ts';
import { overlapStopMessage } from '../../src-main/jobs/multi-file.ts';
import { CSV_HEADER, runImport, storedValues, useDataSite, writeFile } from './importers/data-values/helpers.ts';

const site = useDataSite();

const input = (path: string, index: number) => ({ index, fileId: index + 1, path, name: path.split('/').pop()! });

function twoClinics(): [string, string] {
  const a = site.csv('january.csv', 'DeInteger01,202401,OuClinicA01,,,10,,,,,', 'DeInteger01,202402,OuClinicA01,,,11,,,,,', 'DeInteger01,202403,OuClinicA01,,,12,,,,,');
  // the same clinic again: 202401 with another value, 202402 the same, 202404 new (an empty combo is the default one)
  const b = writeFile(
    site.dir,
    'january-corrected.xml',
    `<?xml version="1.0"?>
<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" orgUnit="OuClinicA01">
  <dataValue dataElement="DeInteger01" period="202401" value="99"/>
  <dataValue dataElement="DeInteger01" period="202402" value="11"/>
  <dataValue dataElement="DeInteger01" period="202404" value="13"/>
</dataValueSet>`,
  );
  return [a, b];
}

describe('finding overlapping files', () => {
  it('names the files, counts the shared keys and those whose values differ (header fields count)', async () => {
    const [a, b] = twoClinics();
    const scan = await scanOverlaps(null, [input(a, 0), input(b, 1)], {});
    expect(scan.report).toEqual({ keys: 2, differing: 1, pairs: [{ first: 'january.csv', second: 'january-corrected.xml', keys: 2, differing: 1 }] });
    expect(scan.rows).toBe(6);
  });

  it('splits the keys over several passes when there are more than a pass may keep: the same report', async () => {
    const [a, b] = twoClinics();
    const c = site.csv('february.csv', 'DeInteger01,202401,OuClinicA01,,,10,,,,,', 'DeInteger01,202403,OuClinicA01,,,12,,,,,', 'DeInteger01,202405,OuClinicA01,,,1,,,,,');
    const files = [input(a, 0), input(b, 1), input(c, 2)];
    const one = await scanOverlaps(null, files, {});
    expect(one.passes).toBe(1);
    const split = await scanOverlaps(null, files, {}, undefined, 2);
    expect(split.passes).toBeGreaterThan(1);
    expect(split.report).toEqual(one.report);
    expect(split.rows).toBe(9);
    expect(one.report.keys).toBe(3); // 202401 (three files), 202402, 202403
    expect(one.report.differing).toBe(1);
  });

  it('sees the entries of one zip archive as files, and ignores a key repeated within one file', async () => {
    const zip = zipSync({
      'a.csv': strToU8([CSV_HEADER, 'DeInteger01,202401,OuClinicA01,,,1,,,,,', 'DeInteger01,202401,OuClinicA01,,,2,,,,,'].join('\n')),
      'b.csv': strToU8([CSV_HEADER, 'DeInteger01,202401,OuClinicA01,,,2,,,,,'].join('\n')),
    });
    const z = writeFile(site.dir, 'two.zip', Buffer.from(zip));
    const scan = await scanOverlaps(null, [input(z, 0)], {});
    // a.csv's last row (2) is what it leaves: b.csv carries the same value
    expect(scan.report).toEqual({ keys: 1, differing: 0, pairs: [{ first: 'two.zip › a.csv', second: 'two.zip › b.csv', keys: 1, differing: 0 }] });
  });

  it('reads a single file only when it is an archive of several entries', () => {
    const plain = site.csv('one.csv', 'DeInteger01,202401,OuClinicA01,,,1,,,,,');
    const oneEntry = writeFile(site.dir, 'one.csv.zip', Buffer.from(zipSync({ 'one.csv': strToU8(CSV_HEADER) })));
    const two = writeFile(site.dir, 'two.zip', Buffer.from(zipSync({ 'a.csv': strToU8(CSV_HEADER), 'b.csv': strToU8(CSV_HEADER) })));
    expect(mayOverlap([input(plain, 0)])).toBe(false);
    expect(mayOverlap([input(oneEntry, 0)])).toBe(false);
    expect(mayOverlap([input(two, 0)])).toBe(true);
    expect(mayOverlap([input(plain, 0), input(oneEntry, 1)])).toBe(true);
  });

  it('keeps keys as 64-bit hashes in typed arrays, growing as needed', () => {
    const t = new KeyTable();
    const out = { differs: false, first: false, firstDiffer: false };
    let fresh = 0;
    for (let i = 0; i < 200_000; i++) if (t.put(i, i * 7 + 1, i, 0, out) === -1) fresh++;
    expect(fresh).toBe(200_000);
    expect(t.size).toBe(200_000);
    expect(t.put(5, 36, 5, 1, out)).toBe(0);
    expect(out).toEqual({ differs: false, first: true, firstDiffer: false });
    expect(t.put(5, 36, 6, 2, out)).toBe(1);
    expect(out).toEqual({ differs: true, first: false, firstDiffer: true });
    expect(t.put(5, 36, 7, 3, out)).toBe(2);
    expect(out).toEqual({ differs: true, first: false, firstDiffer: false });
    expect(t.bytes).toBeLessThan(200_000 * 14 * 4);
  });
});

describe('the overlap option', () => {
  it('stop (the default): a dry run reports the overlap; the real import is refused and writes nothing', async () => {
    const [a, b] = twoClinics();
    const dry = await runImport(site.ferry, [a, b], { dryRun: true });
    expect(dry.summary!.overlaps).toMatchObject({ policy: 'stop', keys: 2, differing: 1, stopped: false });
    const real = await runImport(site.ferry, [a, b]);
    expect(real.job!.status).toBe('failed');
    expect(real.error!.code).toBe('BAD_REQUEST');
    expect(real.error!.message).toBe(
      'january.csv and january-corrected.xml carry the same 2 value keys (data element, period, org unit, combos), 1 with different values: nothing was imported. ' +
        "Choose which file's values to keep (the first file's, or the newer file's) and import again.",
    );
    expect(storedValues(site.ferry.db)).toEqual([]);
  });

  it('overlapping files that agree on every value import without asking', async () => {
    const a = site.csv('a.csv', 'DeInteger01,202401,OuClinicA01,,,10,,,,,');
    const b = site.csv('b.csv', 'DeInteger01,202401,OuClinicA01,,,10,,,,,', 'DeInteger01,202402,OuClinicA01,,,1,,,,,');
    const r = await runImport(site.ferry, [a, b]);
    expect(r.error).toBeNull();
    expect(r.summary!.overlaps).toMatchObject({ keys: 1, differing: 0, stopped: false });
    expect(storedValues(site.ferry.db).map((v) => v.value)).toEqual(['10', '1']);
  });

  it('first: the first file in the list keeps its values', async () => {
    const [a, b] = twoClinics();
    const r = await runImport(site.ferry, [a, b], { overlap: 'first' });
    expect(r.error).toBeNull();
    expect(r.summary!.overlaps).toMatchObject({ policy: 'first', keys: 2, differing: 1, order: ['january-corrected.xml', 'january.csv'] });
    expect(storedValues(site.ferry.db).map((v) => [v.period, v.value])).toEqual([['202401', '10'], ['202402', '11'], ['202403', '12'], ['202404', '13']]);
  });

  it('newer: the most recently modified file keeps its values, whatever the list order', async () => {
    const [a, b] = twoClinics();
    fs.utimesSync(b, new Date('2024-02-01'), new Date('2024-02-01'));
    fs.utimesSync(a, new Date('2024-03-01'), new Date('2024-03-01')); // the CSV is the newer file
    const r = await runImport(site.ferry, [a, b], { overlap: 'newer' });
    expect(r.summary!.overlaps).toMatchObject({ policy: 'newer', order: ['january-corrected.xml', 'january.csv'] });
    expect(storedValues(site.ferry.db).find((v) => v.period === '202401')!.value).toBe('10');
    fs.utimesSync(a, new Date('2024-01-01'), new Date('2024-01-01')); // now the XML is newer: list order already right
    const again = await runImport(site.ferry, [a, b], { overlap: 'newer' });
    expect(again.summary!.overlaps!.order).toBeUndefined();
    expect(storedValues(site.ferry.db).find((v) => v.period === '202401')!.value).toBe('99');
  });

  it('last: the list order, chosen explicitly (the last file keeps its values)', async () => {
    const [a, b] = twoClinics();
    const r = await runImport(site.ferry, [a, b], { overlap: 'last' });
    expect(r.error).toBeNull();
    expect(r.summary!.overlaps).toMatchObject({ policy: 'last', keys: 2, differing: 1, stopped: false });
    expect(r.summary!.overlaps!.order).toBeUndefined();
    expect(storedValues(site.ferry.db).find((v) => v.period === '202401')!.value).toBe('99');
  });

  it('an unknown choice is refused', async () => {
    const [a, b] = twoClinics();
    const r = await runImport(site.ferry, [a, b], { overlap: 'both' });
    expect(r.error!.code).toBe('BAD_REQUEST');
    expect(r.error!.message).toMatch(/overlap/);
  });

  it('the message names several pairs', () => {
    expect(overlapStopMessage({ keys: 3, differing: 3, pairs: [{ first: 'a', second: 'b', keys: 2, differing: 2 }, { first: 'a', second: 'c', keys: 1, differing: 1 }] })).toMatch(
      /^a and b \(and other files\) carry the same 3 value keys .*, all with different values/,
    );
  });
});
