/**
 * Issue 16, defect 7: a row that writes nothing leaves no new row in the period table when the job commits. Periods
 * are created only for values that are written (conflicts, strategy mismatches and skipped zeros create none).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ferry } from '../../../../src-main/services/context.ts';
import { CSV_HEADER, SMALL_METADATA, addPeriods, freshFerry, loadMetadata, runImport, writeFile } from './helpers.ts';

let ferry: Ferry;
let dir: string;
beforeEach(() => {
  ({ ferry, dir } = freshFerry('inline'));
  loadMetadata(ferry.db, SMALL_METADATA);
  addPeriods(ferry.db, ['202401']);
});
afterEach(async () => {
  await ferry.close();
});

const csv = (name: string, ...rows: string[]): string => writeFile(dir, name, [CSV_HEADER, ...rows].join('\n') + '\n');
const periods = (): unknown[] => ferry.db.prepare(`SELECT * FROM period ORDER BY id`).all();

describe('the period table after rows that write nothing', () => {
  it('stays as it was after a committed file whose rows all conflict or are skipped', async () => {
    const before = periods();
    const f = csv(
      'nothing.csv',
      'DeNope00001,202501,OuClinicA01,,,1,,,,,', // E7610
      'DeInteger01,0000,OuClinicA01,,,1,,,,,', // E7611: year 0000 is no period
      'DeInteger01,202502,OuNope00001,,,1,,,,,', // E7612
      'DeInteger01,202503,OuClinicA01,CocNope0001,,1,,,,,', // E7613
      'DeInteger01,202504,OuClinicA01,,,abc,,,,,', // E7619
      'DeNumber001,202505,OuClinicA01,CocMale0001,,0,,,,,', // an insignificant zero with no value to delete: skipped
      'DeInteger01,202506,OuClinicA01,,,,,,,,', // no value, no comment, nothing stored: ignored
    );
    const r = await runImport(ferry, [f]);
    expect(r.job!.status).toBe('done');
    expect(r.summary!.status).toBe('WARNING');
    expect(r.summary!.importCount).toEqual({ imported: 0, updated: 0, ignored: 6, deleted: 0 });
    expect(r.summary!.conflicts.map((c) => c.errorCode)).toEqual(['E7610', 'E7611', 'E7612', 'E7613', 'E7619']);
    expect(periods()).toEqual(before);
  });

  it('stays as it was after UPDATE and DELETE of values that do not exist', async () => {
    const before = periods();
    const f = csv('update.csv', 'DeInteger01,202507,OuClinicA01,,,5,,,,,', 'DeInteger01,2025Q3,OuClinicA01,,,6,,,,,');
    for (const importStrategy of ['UPDATE', 'DELETE']) {
      const r = await runImport(ferry, [f], { importStrategy });
      expect(r.summary!.importCount.ignored).toBe(2);
      expect(r.summary!.rejectedIndexes).toEqual([0, 1]);
    }
    expect(periods()).toEqual(before);
  });

  it('gets a row for the period of a value that is written, and only that one', async () => {
    const f = csv('some.csv', 'DeNope00001,202508,OuClinicA01,,,1,,,,,', 'DeInteger01,202509,OuClinicA01,,,1,,,,,', 'DeInteger01,202401,OuClinicA01,,,2,,,,,');
    const r = await runImport(ferry, [f]);
    expect(r.summary!.importCount.imported).toBe(2);
    expect((periods() as { iso: string }[]).map((p) => p.iso)).toEqual(['202401', '202509']);
    // a second import of the same rows finds the values (existing-value lookups go through the new period row)
    const again = await runImport(ferry, [f]);
    expect(again.summary!.importCount).toEqual({ imported: 0, updated: 0, ignored: 3, deleted: 0 });
  });
});
