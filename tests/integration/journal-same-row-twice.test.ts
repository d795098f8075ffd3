/**
 * A job that writes the same journaled row twice — here a data set's completion carried by two files of one job (a
 * district merging two copies of a facility's month) — imports, keeps the last, and its undo puts back what was there
 * before the job; the files disagree, so the job says to keep list order (`--overlap last`; the default stops). (An upsert's ON CONFLICT overrode the journal trigger's OR IGNORE and failed such a job.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src-main/db/open.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { SMALL_METADATA, loadMetadata } from '../unit/importers/data-values/helpers.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-twice-');
  dbPath = path.join(dir, 'district.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, SMALL_METADATA);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = (name: string, value: string, completeDate: string): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, JSON.stringify({ dataSet: 'DsMonthly01', completeDate, period: '202401', orgUnit: 'OuClinicA01', dataValues: [{ dataElement: 'DeInteger01', value }] }));
  return f;
};
const completion = (): unknown => {
  const db = openDb(dbPath);
  try {
    return db.prepare(`SELECT date FROM complete_registration`).pluck().all();
  } finally {
    db.close();
  }
};

describe('one job writing the same completion twice', () => {
  it('imports both files (the second completion kept) and the undo restores the completion from before the job', async () => {
    expect((await ferryCli(['--db', dbPath, 'import', file('first.json', '1', '2024-02-01'), '--json'])).code).toBe(0);
    expect(completion()).toEqual(['2024-02-01']);
    const r = await ferryCli(['--db', dbPath, 'import', file('a.json', '2', '2024-02-02'), file('b.json', '3', '2024-02-03'), '--overlap', 'last', '--json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json<{ importCount: unknown }>().importCount).toEqual({ imported: 0, updated: 2, ignored: 0, deleted: 0 });
    expect(completion()).toEqual(['2024-02-03']);
    const u = await ferryCli(['--db', dbPath, 'undo', '--last', '--json']);
    expect(u.code, u.stdout + u.stderr).toBe(0);
    expect(completion()).toEqual(['2024-02-01']);
  });
});
