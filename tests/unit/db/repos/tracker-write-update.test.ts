/**
 * TrackerWriteRepo's update side (issue 9, re-import speed): an existing event's data values told "as stored" from
 * their fingerprint without reading them, and the columns of an update limited to those that differ.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb, type Db } from '../../../../src-main/db/open.ts';
import { TrackerWriteRepo, type DataValueWrite, type EventWrite } from '../../../../src-main/db/repos/tracker-write.ts';
import { loadMetadata } from '../../importers/data-values/helpers.ts';
import { tmpDir } from '../../../helpers/tmp.ts';

const META = {
  organisationUnits: [{ id: 'OuRoot00001', name: 'Root', path: '/OuRoot00001' }],
  programs: [{ id: 'Prog0000001', name: 'P', programType: 'WITHOUT_REGISTRATION' }],
  programStages: [{ id: 'Stage000001', name: 'S', program: { id: 'Prog0000001' } }],
  dataElements: [{ id: 'DeA00000001', name: 'A', valueType: 'TEXT' }, { id: 'DeB00000001', name: 'B', valueType: 'TEXT' }],
};

let dir: string;
let db: Db;
let repo: TrackerWriteRepo;
beforeEach(() => {
  dir = tmpDir('ferry-trackerwrite-');
  db = openDb(path.join(dir, 'x.sqlite'));
  loadMetadata(db, META);
  repo = new TrackerWriteRepo(db);
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const id = (type: string, uid: string): number => db.prepare(`SELECT id FROM metadata_object WHERE type = ? AND uid = ?`).pluck().get(type, uid) as number;
const event = (over: Partial<EventWrite> = {}): EventWrite => ({
  uid: 'EvA00000001', program: id('programs', 'Prog0000001'), program_stage: id('programStages', 'Stage000001'), enrollment: null, ou: id('organisationUnits', 'OuRoot00001'),
  status: 'ACTIVE', occurred_at: '2024-01-01', scheduled_at: null, completed_at: null, completed_by: null, aoc: null, attribute_category_options: null, follow_up: 0,
  geometry: null, stored_by: 'u', assigned_user: null, created_by: null, updated_by: null, created_at: '2024-01-02', created_at_client: null, updated_at: '2024-01-02',
  updated_at_client: null, source_file_id: null, ...over,
});
const dv = (de: string, value: string | null, over: Partial<DataValueWrite> = {}): DataValueWrite => ({
  event: 0, de: id('dataElements', de), value, provided_elsewhere: 0, stored_by: null, created_at: null, updated_at: null, created_by: null, updated_by: null, ...over,
});

describe('TrackerWriteRepo update side', () => {
  it('valuesAsStored: true only for the stored values given again as stored (any order); false asks for a one-by-one comparison', () => {
    const e = repo.insertEvent(event());
    for (const v of [dv('DeA00000001', 'a "quoted", \\ é ; 1'), dv('DeB00000001', '2', { stored_by: 'bob' })]) repo.insertDataValue({ ...v, event: e });
    const stored = repo.storedEventByUid('EvA00000001')!;
    const asStored = [dv('DeB00000001', '2', { stored_by: 'bob' }), dv('DeA00000001', 'a "quoted", \\ é ; 1')];
    expect(repo.valuesAsStored(stored, asStored)).toBe(true);
    expect(repo.valuesAsStored(stored, [dv('DeB00000001', '2', { stored_by: 'bob' }), dv('DeA00000001', 'a "quoted", \\ é ; 2')])).toBe(false);
    expect(repo.valuesAsStored(stored, [dv('DeB00000001', '2'), dv('DeA00000001', 'a "quoted", \\ é ; 1')])).toBe(false);
    expect(repo.valuesAsStored(stored, [dv('DeB00000001', '2', { stored_by: 'bob', provided_elsewhere: 1 }), dv('DeA00000001', 'a "quoted", \\ é ; 1')])).toBe(false);
    // a stored value left out, given twice, or with timestamps of its own: compared one by one
    expect(repo.valuesAsStored(stored, asStored.slice(0, 1))).toBe(false);
    expect(repo.valuesAsStored(stored, [...asStored, asStored[0]!])).toBe(false);
    expect(repo.valuesAsStored(stored, [asStored[0]!, { ...asStored[1]!, timestamped: true }])).toBe(false);
    // and what the one-by-one comparison finds for them
    expect(repo.changedValues(asStored.slice(0, 1), repo.storedValuesOf(e))).toEqual([]);
    expect(repo.changedValues([asStored[0]!, { ...asStored[1]!, timestamped: true }], repo.storedValuesOf(e))).toEqual([]);
    expect(repo.changedValues([{ ...asStored[1]!, timestamped: true, updated_at: '2024-05-01' }], repo.storedValuesOf(e)).map((v) => v.value)).toEqual([
      'a "quoted", \\ é ; 1',
    ]);
    // an event without values
    const e2 = repo.insertEvent(event({ uid: 'EvB00000001' }));
    expect(repo.valuesAsStored(repo.storedEventByUid('EvB00000001')!, [dv('DeA00000001', null)])).toBe(true);
    expect(repo.valuesAsStored(repo.storedEventByUid('EvB00000001')!, [dv('DeA00000001', 'x')])).toBe(false);
    expect(e2).toBeGreaterThan(e);
  });

  it('insertDataValues writes the values with a value, 16 rows a statement, any number', () => {
    const e = repo.insertEvent(event());
    const values = Array.from({ length: 35 }, (_, i) => dv('DeA00000001', i % 5 === 4 ? null : `v${i}`, { de: 1000 + i, stored_by: i === 0 ? 'bob' : null }));
    repo.insertDataValues(e, values);
    const rows = db.prepare(`SELECT de, value, stored_by FROM event_data_value WHERE event = ? ORDER BY de`).raw().all(e) as [number, string, string | null][];
    expect(rows.length).toBe(28);
    expect(rows.map((r) => r[0])).toEqual(values.filter((v) => v.value != null).map((v) => v.de));
    expect(rows[0]).toEqual([1000, 'v0', 'bob']);
    expect(rows[27]).toEqual([1033, 'v33', null]);
  });

  it('updateEventChanged writes only the columns that differ (with source_file_id), nothing for an identical row unless touched', () => {
    repo.insertEvent(event({ source_file_id: 1 }));
    const row = (): Record<string, unknown> => db.prepare(`SELECT * FROM event WHERE uid = 'EvA00000001'`).get() as Record<string, unknown>;
    const before = row();
    expect(repo.updateEventChanged(repo.storedEventByUid('EvA00000001')!, event({ source_file_id: 2 }), false)).toBe(false);
    expect(row()).toEqual(before);
    expect(repo.updateEventChanged(repo.storedEventByUid('EvA00000001')!, event({ source_file_id: 2 }), true)).toBe(true);
    expect(row()).toEqual({ ...before, source_file_id: 2 });
    // a created_at already stored is kept; a new status and updated_at are written
    expect(repo.updateEventChanged(repo.storedEventByUid('EvA00000001')!, event({ status: 'COMPLETED', created_at: '2030-01-01', updated_at: '2024-02-01', source_file_id: 3 }), false)).toBe(true);
    expect(row()).toEqual({ ...before, status: 'COMPLETED', updated_at: '2024-02-01', source_file_id: 3 });
  });
});
