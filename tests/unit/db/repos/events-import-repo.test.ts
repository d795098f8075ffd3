/** Migration 7 and the tracker repos: writes through TrackerWriteRepo, reads back through EventsRepo's filters. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { migrate } from '../../../../src-main/db/migrate.ts';
import { MIGRATIONS } from '../../../../src-main/db/migrations/index.ts';
import { EventsRepo } from '../../../../src-main/db/repos/events.ts';
import { TrackerWriteRepo, type EventWrite } from '../../../../src-main/db/repos/tracker-write.ts';
import { loadMetadata } from '../../importers/data-values/helpers.ts';
import { tmpDir } from '../../../helpers/tmp.ts';

const META = {
  organisationUnits: [
    { id: 'OuRoot00001', name: 'Root', path: '/OuRoot00001' },
    { id: 'OuChild0001', name: 'Child', parent: { id: 'OuRoot00001' } },
    { id: 'OuGrand0001', name: 'Grand', parent: { id: 'OuChild0001' } },
  ],
  programs: [{ id: 'Prog0000001', name: 'P', programType: 'WITHOUT_REGISTRATION' }],
  programStages: [{ id: 'Stage000001', name: 'S', program: { id: 'Prog0000001' } }, { id: 'Stage000002', name: 'S2', program: { id: 'Prog0000001' } }],
  dataElements: [{ id: 'DeA00000001', name: 'A', valueType: 'NUMBER' }],
};

let dir: string;
let db: Db;
beforeEach(() => {
  dir = tmpDir('ferry-evrepo-');
  db = openDb(path.join(dir, 'x.sqlite'));
  loadMetadata(db, META);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const id = (type: string, uid: string): number => db.prepare(`SELECT id FROM metadata_object WHERE type = ? AND uid = ?`).pluck().get(type, uid) as number;

function ev(uid: string, ou: string, stage: string, occurredAt: string, updatedAt = '2024-01-01T00:00:00.000'): EventWrite {
  return {
    uid, program: id('programs', 'Prog0000001'), program_stage: id('programStages', stage), enrollment: null, ou: id('organisationUnits', ou), status: 'ACTIVE',
    occurred_at: occurredAt, scheduled_at: null, completed_at: null, completed_by: null, aoc: null, attribute_category_options: null, follow_up: 0,
    geometry: '{"type":"Point","coordinates":[1.5,2.5]}', stored_by: 'u', assigned_user: null, created_by: null, updated_by: null, created_at: updatedAt,
    created_at_client: null, updated_at: updatedAt, updated_at_client: null, source_file_id: null,
  };
}

describe('migration 7', () => {
  it('carries rows of the placeholder event table over and creates the tracker tables', () => {
    const p = path.join(dir, 'old.sqlite');
    const old = new Database(p);
    migrate(old, MIGRATIONS.filter((m) => m.version <= 6), p);
    old.prepare(`INSERT INTO event (uid, program, ou, occurred_at, json, deleted) VALUES ('EvOld000001', 5, 7, '2020-01-01', '{}', 0)`).run();
    migrate(old, MIGRATIONS, p);
    expect(old.prepare(`SELECT uid, program, ou, occurred_at, status FROM event`).all()).toEqual([{ uid: 'EvOld000001', program: 5, ou: 7, occurred_at: '2020-01-01', status: 'ACTIVE' }]);
    const tables = old.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['tracked_entity', 'tracked_entity_attribute_value', 'enrollment', 'event', 'event_data_value', 'tracker_note', 'relationship']));
    expect(tables).not.toContain('event_placeholder');
    old.close();
  });
});

describe('EventsRepo.events', () => {
  it('filters by program stage, org unit mode, dates, update time and deleted; streams in chunks with values and notes', () => {
    const w = new TrackerWriteRepo(db);
    const de = id('dataElements', 'DeA00000001');
    const a = w.insertEvent(ev('EvA00000001', 'OuRoot00001', 'Stage000001', '2024-01-10T00:00:00.000'));
    const b = w.insertEvent(ev('EvB00000001', 'OuChild0001', 'Stage000001', '2024-02-10T00:00:00.000', '2024-03-01T00:00:00.000'));
    const c = w.insertEvent(ev('EvC00000001', 'OuGrand0001', 'Stage000002', '2024-03-10T12:00:00.000'));
    w.insertDataValue({ event: a, de, value: '12', provided_elsewhere: 0, stored_by: null, created_at: null, updated_at: null, created_by: null, updated_by: null });
    w.insertNote({ uid: 'NoteA000001', owner_type: 'EVENT', owner_id: a, value: 'hello', stored_at: null, stored_by: 'u', created_by: null });
    w.deleteEvent(c, '2024-05-01T00:00:00.000');
    const repo = new EventsRepo(db);
    const uids = (f: Parameters<EventsRepo['events']>[0], n = 1000): string[][] => [...repo.events(f, n)].map((ch) => ch.map((e) => e.event!));
    expect(uids({})).toEqual([['EvA00000001', 'EvB00000001']]);
    expect(uids({ includeDeleted: true }, 2)).toEqual([['EvA00000001', 'EvB00000001'], ['EvC00000001']]);
    expect(uids({ orgUnit: 'OuRoot00001' })).toEqual([['EvA00000001']]);
    expect(uids({ orgUnit: 'OuRoot00001', orgUnitMode: 'CHILDREN', includeDeleted: true })).toEqual([['EvA00000001', 'EvB00000001']]);
    expect(uids({ orgUnit: 'OuRoot00001', orgUnitMode: 'DESCENDANTS', includeDeleted: true })).toEqual([['EvA00000001', 'EvB00000001', 'EvC00000001']]);
    expect(uids({ programStage: 'Stage000002', includeDeleted: true })).toEqual([['EvC00000001']]);
    expect(uids({ occurredAfter: '2024-02-01', occurredBefore: '2024-03-10', includeDeleted: true })).toEqual([['EvB00000001', 'EvC00000001']]);
    expect(uids({ updatedAfter: '2024-02-01' })).toEqual([['EvB00000001']]);
    expect(uids({ program: 'NoSuchProg1' })).toEqual([]);
    const [first] = [...repo.events({ orgUnit: 'OuRoot00001' })][0]!;
    expect(first).toMatchObject({
      event: 'EvA00000001', program: 'Prog0000001', programStage: 'Stage000001', orgUnit: 'OuRoot00001', status: 'ACTIVE', occurredAt: '2024-01-10T00:00:00.000',
      geometry: { type: 'Point', coordinates: [1.5, 2.5] }, dataValues: [{ dataElement: 'DeA00000001', value: '12', providedElsewhere: false }],
      notes: [{ note: 'NoteA000001', value: 'hello', storedBy: 'u' }], deleted: false,
    });
    expect(repo.countLive()).toBe(2);
    expect(b).toBeGreaterThan(a);
  });
});
