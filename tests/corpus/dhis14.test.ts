/**
 * DHIS 1.4 conformance on ../shared/corpus/dhis14 (read in place): dhis14A.zip, a 1.4.0.101-style export with no
 * RoutineData.txt, imported as metadata (--data-values false; with data values asked for it is refused, naming the
 * missing data file). Its oddities: the XSD part, DataType / DataPeriodType rows in DHIS2's numbering, the
 * indicators' `ShortName` column, indicator group members as DataElementGroupMember rows with an IndicatorID, empty elements, formulas without operands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import type { Dhis14ImportSummary } from '../../src-shared/dhis14-report.ts';
import { corpusExists, corpusPath, importThrough, tempDir } from './harness.ts';

const FILE = 'dhis14/dhis14A.zip';
const present = corpusExists && fs.existsSync(corpusPath(FILE));
if (!present) console.warn(`[corpus] ${FILE} not found: DHIS 1.4 conformance tests are skipped`);

describe.skipIf(!present)('corpus dhis14A.zip', () => {
  let dir: string;
  let ferry: Ferry;
  beforeAll(() => {
    dir = tempDir();
    ferry = openFerry({ dbPath: path.join(dir, 'ferry.sqlite'), mode: 'inline' });
  });
  afterAll(async () => {
    await ferry.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a data import of an export without RoutineData.txt, writing nothing', async () => {
    const job = await importThrough(ferry, FILE, {}, 'dhis14');
    expect(job.status).toBe('failed');
    expect(job.error?.message).toMatch(/dhis14A\.zip: this DHIS 1\.4 XML export has no data file/);
    expect(ferry.db.prepare(`SELECT count(*) FROM metadata_object WHERE type = 'dataElements'`).pluck().get()).toBe(0);
  });

  it('analyses and imports its metadata, and a second import changes nothing', async () => {
    const a = await importThrough(ferry, FILE, { dataValues: false, mode: 'analyse' }, 'dhis14');
    const as = a.summary as Dhis14ImportSummary;
    expect(as.dhis14.issues.map((i) => [i.code, i.count])).toEqual([
      ['formulaWithoutDataElement', 6],
      ['duplicateId', 3],
    ]);
    expect(as.dhis14.issues[1]!.examples).toEqual(['DataElementAndIndicatorGroup 65', 'DataElementAndIndicatorGroup 66', 'DataElementAndIndicatorGroup 67']);
    const job = await importThrough(ferry, FILE, { dataValues: false }, 'dhis14');
    expect(job.status).toBe('done');
    const s = job.summary as Dhis14ImportSummary;
    expect(s.dhis14.format).toBe('xml');
    expect(Object.fromEntries(s.dhis14.tables.map((t) => [t.name, t.rows]))).toEqual({
      DataElement: 3,
      DataElementAndIndicatorGroup: 6,
      DataElementGroupMember: 18,
      Indicator: 3,
      IndicatorType: 3,
      DataPeriodType: 7,
      UserName: 1,
      DataType: 3,
    });
    expect(Object.fromEntries(s.dhis14.objects.map((o) => [o.type, o.created]))).toEqual({
      dataElements: 3,
      indicatorTypes: 3,
      indicators: 3,
      dataElementGroups: 6,
      indicatorGroups: 6,
    });
    const de = JSON.parse(ferry.db.prepare(`SELECT json FROM metadata_object WHERE type = 'dataElements' AND name = 'DataElementA'`).pluck().get() as string) as Record<string, unknown>;
    expect(de).toMatchObject({ code: 'CodeA', shortName: 'ShortNameA', description: 'DescriptionA', valueType: 'NUMBER', aggregationType: 'SUM' });
    const ind = JSON.parse(ferry.db.prepare(`SELECT json FROM metadata_object WHERE type = 'indicators' AND name = 'IndicatorA'`).pluck().get() as string) as Record<string, unknown>;
    expect(ind).toMatchObject({ shortName: 'ShortNameA', numerator: '0', denominator: '0', numeratorDescription: 'NumeratorDescription' });
    // indicator group members written as DataElementGroupMember rows with an IndicatorID (as this export has them)
    const groups = ferry.db.prepare(`SELECT name, json_array_length(json, '$.indicators') AS n FROM metadata_object WHERE type = 'indicatorGroups' ORDER BY name`).all();
    expect(groups.filter((g) => (g as { n: number }).n > 0).length).toBeGreaterThan(0);
    // 9 such rows over group ids 65–67, which this hand-made file gives twice (DataElementGroupA and IndicatorGroupA are
    // both 65): every group row becomes an indicator group too, as DHIS2's 1.4 importer made them
    expect((groups as { n: number }[]).reduce((a, g) => a + g.n, 0)).toBe(18);
    const again = (await importThrough(ferry, FILE, { dataValues: false }, 'dhis14')).summary as Dhis14ImportSummary;
    expect(again.dhis14.objects.map((o) => [o.type, o.created, o.updated, o.unchanged])).toEqual([
      ['dataElements', 0, 0, 3],
      ['indicatorTypes', 0, 0, 3],
      ['indicators', 0, 0, 3],
      ['dataElementGroups', 0, 0, 6],
      ['indicatorGroups', 0, 0, 6],
    ]);
  });
});
