/**
 * Insert first in partitions that already hold values (writer.ts insertFirst / tryInsert): once a key of such a
 * partition has turned out new, the next new value is inserted before any lookup, and a key that is there after all is
 * looked up and decided as before. The outcomes, the partitions a file is recorded as writing (data_value_written, which
 * undo reads) and the live count are those of the lookup-first path.
 */
import { describe, expect, it } from 'vitest';
import { storedValues, useDataSite } from './helpers.ts';

describe('a file of new and stored keys in partitions that hold values', () => {
  const site = useDataSite();

  it('counts, stores and records exactly what the lookup-first path would', async () => {
    const first = await site.imp(site.csv('a.csv', 'DeText00001,202401,OuClinicA01,,,a1,,,,,', 'DeText00001,202402,OuClinicA01,,,a2,,,,,', 'DeText00001,202403,OuClinicA01,,,a3,,,,,'));
    expect(first.importCount).toMatchObject({ imported: 3, updated: 0, ignored: 0 });
    const s = await site.imp(
      site.csv(
        'b.csv',
        'DeBool00001,202401,OuClinicA01,,,true,,,,,', // new key, stored partition: looked up first (nothing known yet) → new
        'DeBool00001,202402,OuClinicA01,,,false,,,,,', // new key: inserted first
        'DeText00001,202403,OuClinicA01,,,a3,,,,,', // stored, same value: the insert finds it → looked up → unchanged
        'DeText00001,202401,OuClinicA01,,,a1 changed,,,,,', // stored: looked up first again → updated
        'DeBool00001,202403,OuClinicA01,,,true,,,,,', // new: looked up first (the last keys were stored) → new
        'DeText00001,202402,OuClinicA01,,,a2 changed,,,,,', // stored: inserted first (the last key was new) → updated
      ),
    );
    expect(s.importCount).toMatchObject({ imported: 3, updated: 2, ignored: 1, deleted: 0 });
    expect(s.conflicts).toEqual([]);
    const byKey = Object.fromEntries(storedValues(site.ferry.db).map((v) => [`${v.dataElement} ${v.period}`, v.value]));
    expect(byKey).toEqual({
      'DeText00001 202401': 'a1 changed',
      'DeText00001 202402': 'a2 changed',
      'DeText00001 202403': 'a3',
      'DeBool00001 202401': 'true',
      'DeBool00001 202402': 'false',
      'DeBool00001 202403': 'true',
    });
    const db = site.ferry.db;
    // the second file wrote in all three partitions (202403: a new DeBool value), the unchanged row recorded nothing more
    const written = db
      .prepare(`SELECT p.iso FROM data_value_written w JOIN period p ON p.id = w.pe WHERE w.file_id = (SELECT max(file_id) FROM data_value_written) ORDER BY p.iso`)
      .pluck()
      .all();
    expect(written).toEqual(['202401', '202402', '202403']);
    expect(db.prepare(`SELECT n FROM live_count WHERE tbl = 'data_value'`).pluck().get()).toBe(6);
    // the before-images of the two updated values, none for the unchanged one or the new ones
    expect(db.prepare(`SELECT count(*) FROM journal_data_value`).pluck().get()).toBe(2);
  });

  it('writes nothing for a stored key whose insert is refused, when the file only repeats what is stored', async () => {
    await site.imp(site.csv('a.csv', 'DeText00001,202401,OuClinicA01,,,a1,,,,,', 'DeText00001,202402,OuClinicA01,,,a2,,,,,'));
    const s = await site.imp(
      site.csv(
        'b.csv',
        'DeBool00001,202401,OuClinicA01,,,true,,,,,', // new → the next value is inserted first
        'DeText00001,202402,OuClinicA01,,,a2,,,,,', // stored, unchanged: the refused insert leaves no trace
      ),
    );
    expect(s.importCount).toMatchObject({ imported: 1, updated: 0, ignored: 1 });
    const written = site.ferry.db
      .prepare(`SELECT p.iso FROM data_value_written w JOIN period p ON p.id = w.pe WHERE w.file_id = (SELECT max(file_id) FROM data_value_written) ORDER BY p.iso`)
      .pluck()
      .all();
    expect(written).toEqual(['202401']);
  });
});
