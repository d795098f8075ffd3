/**
 * What the change journal records (migration 0009): nothing per value for new data values (only the file × org unit ×
 * period partitions), the old row of each updated or deleted value once per file, and nothing for a dry run.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata, writeFile } from '../unit/importers/data-values/helpers.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-journal-');
  dbPath = path.join(dir, 'site.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, SMALL_METADATA);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const csv = (name: string, rows: string[]): string => writeFile(dir, name, [CSV_HEADER, ...rows].join('\n') + '\n');
const counts = (): { written: number; journal: number; rows: number } => {
  const db = openDb(dbPath);
  try {
    return {
      written: db.prepare(`SELECT count(*) FROM data_value_written`).pluck().get() as number,
      journal: db.prepare(`SELECT count(*) FROM journal_data_value`).pluck().get() as number,
      rows: db.prepare(`SELECT count(*) FROM journal_row WHERE tbl NOT IN ('metadata_object', 'metadata_ref', 'org_unit')`).pluck().get() as number,
    };
  } finally {
    db.close();
  }
};

describe('change journal', () => {
  it('records partitions for new values, one old row per updated or deleted value (once per file), nothing for a dry run', async () => {
    const rows = ['DeInteger01,202401,OuClinicA01,,,10,,,,false,', 'DeText00001,202401,OuClinicA01,,,a,,,,false,', 'DeInteger01,202402,OuClinicA01,,,11,,,,false,'];
    expect((await ferryCli(['--db', dbPath, 'import', csv('a.csv', rows)])).code).toBe(0);
    // two partitions (Clinic A × 2024-01, Clinic A × 2024-02), no before-image
    expect(counts()).toEqual({ written: 2, journal: 0, rows: 0 });
    // the same key twice in one file: one before-image (the row as it was before the file)
    const upd = csv('b.csv', ['DeInteger01,202401,OuClinicA01,,,20,,,,false,', 'DeInteger01,202401,OuClinicA01,,,30,,,,false,', 'DeInteger01,202402,OuClinicA01,,,11,,,,false,true']);
    expect((await ferryCli(['--db', dbPath, 'import', upd])).code).toBe(0);
    expect(counts()).toEqual({ written: 4, journal: 2, rows: 0 });
    const db = openDb(dbPath);
    expect(db.prepare(`SELECT value, deleted FROM journal_data_value ORDER BY pe`).raw().all()).toEqual([['10', 0], ['11', 0]]);
    db.close();
    expect((await ferryCli(['--db', dbPath, 'import', csv('c.csv', ['DeInteger01,202401,OuClinicA01,,,40,,,,false,']), '--dry-run'])).code).toBe(0);
    expect(counts()).toEqual({ written: 4, journal: 2, rows: 0 });
  });
});
