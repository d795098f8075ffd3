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

describe('lastUpdated cut-offs with a time zone are compared as instants (issue 13 fix)', () => {
  const zoned = (ms: number, offsetMinutes: number): string => {
    const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const a = Math.abs(offsetMinutes);
    return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  };
  it('data export: 30 minutes before the import written in +02:00 includes the value; 30 minutes after in -02:00 does not', async () => {
    expect((await ferryCli(['--db', dbPath, 'import', csv('a.csv', ['DeInteger01,202401,OuClinicA01,,,10,,,,false,'])])).code).toBe(0);
    const db = openDb(dbPath);
    const stored = db.prepare(`SELECT last_updated FROM data_value_decoded`).pluck().get() as string;
    db.close();
    const t = Date.parse(stored);
    const count = async (lastUpdated: string): Promise<number> => {
      const out = path.join(dir, `out-${Math.random()}.json`);
      const r = await ferryCli(['--db', dbPath, 'export', 'data', '--out', out, '--last-updated', lastUpdated]);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(fs.readFileSync(out, 'utf8')) as { dataValues: unknown[] }).dataValues.length;
    };
    // as text, 'T+1h30+02:00' sorts after the stored 'T…Z' (the value was left out before the fix)
    expect(await count(zoned(t - 30 * 60_000, 120))).toBe(1);
    // as text, 'T-1h30-02:00' sorts before it (the value was wrongly included)
    expect(await count(zoned(t + 30 * 60_000, -120))).toBe(0);
    expect(await count(new Date(t - 1000).toISOString())).toBe(1);
  });
});

describe('events export lastUpdatedStartDate against stored times with a zone', () => {
  it('an event updated at 01:00+02:00 on 1 March (29 February in UTC) is not updated on or after 1 March', async () => {
    const { loadEventMetadata } = await import('../helpers/events-import-metadata.ts');
    const db = openDb(dbPath);
    loadEventMetadata(db);
    db.close();
    const ev = (uid: string, updatedAt: string) => ({
      event: uid, program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', occurredAt: '2024-02-20T00:00:00.000', status: 'ACTIVE',
      updatedAt, dataValues: [{ dataElement: 'DeWeight001', value: '1' }],
    });
    const f = writeFile(dir, 'ev.json', JSON.stringify({ events: [ev('EvZone00001', '2024-03-01T01:00:00.000+02:00'), ev('EvZone00002', '2024-03-01T03:00:00.000+02:00')] }));
    const imp = await ferryCli(['--db', dbPath, 'import', f, '--kind', 'events']);
    expect(imp.code, imp.stderr + imp.stdout).toBe(0);
    const out = path.join(dir, 'events.json');
    const r = await ferryCli(['--db', dbPath, 'export', 'events', '--out', out, '--last-updated-start-date', '2024-03-01']);
    expect(r.code, r.stderr).toBe(0);
    const events = (JSON.parse(fs.readFileSync(out, 'utf8')) as { events: { event: string }[] }).events.map((e) => e.event);
    expect(events).toEqual(['EvZone00002']);
  });
});
