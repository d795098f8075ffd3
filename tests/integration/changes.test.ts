/**
 * The local change sequence (migration 0009, db/repos/changes.ts): values inserted, updated and deleted after a
 * sequence number are found through data_value_written (deletions included); earlier ones are not; the sequence
 * never passes a queued job's file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../src-main/db/open.ts';
import { ChangesRepo } from '../../src-main/db/repos/changes.ts';
import { JobsRepo } from '../../src-main/db/repos/jobs.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata, writeFile } from '../unit/importers/data-values/helpers.ts';

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-changes-');
  dbPath = path.join(dir, 'site.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, SMALL_METADATA);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const csv = (name: string, rows: string[]): string => writeFile(dir, name, [CSV_HEADER, ...rows].join('\n') + '\n');
const changed = (from: number): string[] => {
  const db = openDb(dbPath);
  try {
    const names = new Map(db.prepare(`SELECT id, uid FROM metadata_object`).raw().all() as [number, string][]);
    const pes = new Map(db.prepare(`SELECT id, iso FROM period`).raw().all() as [number, string][]);
    return [...new ChangesRepo(db).dataValuesChangedSince(from)].map((r) => `${names.get(r[0])} ${pes.get(r[1])} ${names.get(r[2])} ${r[5]}${r[11] ? ' deleted' : ''}`).sort();
  } finally {
    db.close();
  }
};
const seq = (): number => {
  const db = openDb(dbPath);
  try {
    return new ChangesRepo(db).currentSequence();
  } finally {
    db.close();
  }
};

describe('change sequence', () => {
  it('lists values inserted, updated and deleted after a sequence number, and nothing written before it', async () => {
    const start = seq();
    expect((await ferryCli(['--db', dbPath, 'import', csv('a.csv', ['DeInteger01,202401,OuClinicA01,,,10,,,,false,', 'DeInteger01,202402,OuClinicA01,,,11,,,,false,', 'DeInteger01,202401,OuClinicB01,,,12,,,,false,'])])).code).toBe(0);
    const afterFirst = seq();
    expect(afterFirst).toBeGreaterThan(start);
    expect(changed(start)).toEqual(['DeInteger01 202401 OuClinicA01 10', 'DeInteger01 202401 OuClinicB01 12', 'DeInteger01 202402 OuClinicA01 11']);
    expect(changed(afterFirst)).toEqual([]);
    // an update of one value and a deletion of another
    const r = await ferryCli(['--db', dbPath, 'import', csv('b.csv', ['DeInteger01,202401,OuClinicA01,,,99,,,,false,', 'DeInteger01,202402,OuClinicA01,,,11,,,,false,true'])]);
    expect(r.code, r.stderr).toBe(0);
    const afterSecond = seq();
    expect(afterSecond).toBeGreaterThan(afterFirst);
    expect(changed(afterFirst)).toEqual(['DeInteger01 202401 OuClinicA01 99', 'DeInteger01 202402 OuClinicA01 11 deleted']);
    expect(changed(afterSecond)).toEqual([]);
  });

  it('never passes the file of a job still queued (it may commit after a newer job)', async () => {
    expect((await ferryCli(['--db', dbPath, 'import', csv('a.csv', ['DeInteger01,202401,OuClinicA01,,,10,,,,false,'])])).code).toBe(0);
    const db = openDb(dbPath);
    try {
      const before = new ChangesRepo(db).currentSequence();
      const queued = new JobsRepo(db).create({ kind: 'data', direction: 'import', dryRun: false, options: {}, files: [{ path: '/x.csv', name: 'x.csv', size: 1 }] });
      const done = new JobsRepo(db).create({ kind: 'data', direction: 'import', dryRun: false, options: {}, files: [{ path: '/y.csv', name: 'y.csv', size: 1 }] });
      new JobsRepo(db).finish(done.jobId, { status: 'done', resultStatus: 'SUCCESS', summary: null, error: null });
      expect(new ChangesRepo(db).currentSequence()).toBe(before);
      new JobsRepo(db).finish(queued.jobId, { status: 'failed', resultStatus: 'ERROR', summary: null, error: null });
      expect(new ChangesRepo(db).currentSequence()).toBe(done.fileIds[0]);
    } finally {
      db.close();
    }
  });
});
