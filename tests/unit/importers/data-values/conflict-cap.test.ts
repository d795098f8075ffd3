/**
 * What a data import summary lists (issue 16, defect 1): the first conflict groups of each error code and the first
 * rows of each group, within one budget per job; exact counts of the rest (`moreConflicts`, `moreIndexes`,
 * `moreRejectedIndexes`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictBudget, ConflictCollector } from '../../../../src-main/importers/data-values/conflicts.ts';
import type { Ferry } from '../../../../src-main/services/context.ts';
import { SUMMARY_LIMITS } from '../../../../src-shared/dhis2/import-summary.ts';
import { CSV_HEADER, SMALL_METADATA, freshFerry, loadMetadata, runImport, writeFile } from './helpers.ts';

const limits = { perCode: 2, total: 3, indexesPerConflict: 2, rejectedIndexes: 1 };

describe('ConflictCollector with a budget', () => {
  it('lists the first groups per code and in all, the first rows per group, and counts the rest', () => {
    const c = new ConflictCollector(new ConflictBudget(limits));
    for (let i = 0; i < 5; i++) c.add('E7610', i, { dataElement: 'A' }, ['A'], i + 2);
    c.add('E7610', 5, { dataElement: 'B' }, ['B']);
    c.add('E7610', 6, { dataElement: 'C' }, ['C']);
    c.add('E7610', 7, { dataElement: 'C' }, ['C']);
    c.add('E7612', 8, { organisationUnit: 'X' }, ['X']);
    c.add('E7612', 9, { organisationUnit: 'Y' }, ['Y']);
    c.addPlain({ object: 'Period', objects: {}, value: 'Must be provided to complete data set' });
    const list = c.list();
    expect(list.map((x) => [x.errorCode, x.object, x.indexes, x.lines, x.moreIndexes])).toEqual([
      ['E7610', 'A', [0, 1], [2, 3], 3],
      ['E7610', 'B', [5], undefined, undefined],
      ['E7612', 'X', [8], undefined, undefined],
    ]);
    expect(c.moreConflicts()).toEqual({ E7610: { conflicts: 1, rows: 2 }, E7612: { conflicts: 1, rows: 1 }, other: { conflicts: 1, rows: 0 } });
    // every group, listed or not; every occurrence
    expect(c.size).toBe(6);
    expect(c.occurrences).toBe(11);
  });

  it('gives back what a rolled-back file listed', () => {
    const budget = new ConflictBudget(limits);
    const a = new ConflictCollector(budget);
    a.add('E7610', 0, { dataElement: 'A' }, ['A']);
    a.add('E7610', 1, { dataElement: 'B' }, ['B']);
    a.release();
    const b = new ConflictCollector(budget);
    b.add('E7610', 0, { dataElement: 'C' }, ['C']);
    b.add('E7610', 1, { dataElement: 'D' }, ['D']);
    expect(b.list()).toHaveLength(2);
    expect(b.moreConflicts()).toBeUndefined();
  });
});

describe('a job of several files', () => {
  let ferry: Ferry;
  let dir: string;
  beforeEach(() => {
    ({ ferry, dir } = freshFerry('inline'));
    loadMetadata(ferry.db, SMALL_METADATA);
  });
  afterEach(async () => {
    await ferry.close();
  });
  const unknownRows = (from: number, n: number): string[] => Array.from({ length: n }, (_, i) => `DeUnknown${from + i},202401,OuClinicA01,,,1,,,,,`);

  it('lists within one budget for the whole job: the combined summary respects the cap', async () => {
    const a = writeFile(dir, 'a.csv', [CSV_HEADER, ...unknownRows(0, 80)].join('\n') + '\n');
    const b = writeFile(dir, 'b.csv', [CSV_HEADER, ...unknownRows(1000, 80)].join('\n') + '\n');
    const r = await runImport(ferry, [a, b]);
    const s = r.summary!;
    expect(s.importCount.ignored).toBe(160);
    expect(s.conflicts).toHaveLength(SUMMARY_LIMITS.perCode);
    expect(s.moreConflicts).toEqual({ E7610: { conflicts: 60, rows: 60 } });
    const [fa, fb] = s.fileSummaries!;
    expect(fa!.conflicts).toHaveLength(80);
    expect(fa!.moreConflicts).toBeUndefined();
    expect(fb!.conflicts).toHaveLength(20);
    expect(fb!.moreConflicts).toEqual({ E7610: { conflicts: 60, rows: 60 } });
    expect(fa!.rejectedIndexes).toHaveLength(80);
  });

  it('a file rolled back mid-way gives its share back to the files after it', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `<dataValue dataElement="DeUnknown${i}" period="202401" orgUnit="OuClinicA01" value="1"/>`);
    const broken = writeFile(dir, 'broken.xml', `<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">\n${rows.join('\n')}\n<dataValue oops`);
    const a = writeFile(dir, 'a.csv', [CSV_HEADER, ...unknownRows(0, 80)].join('\n') + '\n');
    const r = await runImport(ferry, [broken, a]);
    const [fb, fa] = r.summary!.fileSummaries!;
    expect(fb!.status).toBe('ERROR');
    expect(fa!.conflicts).toHaveLength(80);
    expect(r.summary!.conflicts).toHaveLength(80);
  });
});
