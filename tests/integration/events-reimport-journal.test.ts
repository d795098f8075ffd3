/**
 * Re-importing events writes and journals only what changes (issue 9, speed of a re-import; migration 13): an event
 * whose row, values and notes are as stored is not rewritten (nothing journaled) yet counted as updated, as DHIS2
 * counts it; a changed event is rewritten with only its changed columns, and only its changed values are written,
 * each with its before-image in journal_event_value (existed = 0 for a value it did not have); the undo of such a job
 * puts the program data tables back byte for byte.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import type { UndoSummary } from '../../src-shared/undo.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { loadEventMetadata } from '../helpers/events-import-metadata.ts';

const TABLES = ['tracked_entity', 'tracked_entity_attribute_value', 'enrollment', 'event', 'event_data_value', 'tracker_note'];

let dir: string;
let ferry: Ferry;

beforeEach(() => {
  dir = tmpDir('ferry-events-reimport-');
  ferry = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  loadEventMetadata(ferry.db);
});
afterEach(async () => {
  await ferry.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function importEvents(events: unknown[], options: Record<string, unknown> = {}, key = 'events'): Promise<JobRecord> {
  const file = path.join(dir, `events-${++n}.json`);
  fs.writeFileSync(file, JSON.stringify({ [key]: events }));
  const r = await invoke(ferry.handlers, 'import:start', { files: [file], kind: 'events', options });
  if (!r.ok) throw new Error(r.error.message);
  const job = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
  expect(job.resultStatus, JSON.stringify(job.summary)).toBe('OK');
  return job;
}
const stats = (j: JobRecord) => (j.summary as TrackerImportReport).stats;

/** every row of the program data tables as typed SQL literals, sorted */
function dump(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of TABLES) {
    const cols = ferry.db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[];
    out[t] = (ferry.db.prepare(`SELECT ${cols.map((c) => `quote(${c})`).join(` || '|' || `)} FROM ${t}`).pluck().all() as string[]).sort();
  }
  return out;
}
const journalRows = (job: number): number => ferry.db.prepare(`SELECT count(*) FROM journal_row WHERE job_id = ?`).pluck().get(job) as number;
/** the value before-images of a job: "event uid, data element uid, old value, existed" */
const valueImages = (job: number): string[] =>
  ferry.db
    .prepare(
      `SELECT e.uid || ' ' || d.uid || ' ' || coalesce(j.value, 'null') || ' ' || j.existed FROM journal_event_value j
         JOIN event e ON e.id = j.event JOIN metadata_object d ON d.id = j.de WHERE j.job_id = ? ORDER BY 1`,
    )
    .pluck()
    .all(job) as string[];

const ev = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  event: 'EvGood00001', program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', occurredAt: '2024-03-01T00:00:00.000', status: 'ACTIVE',
  updatedAt: '2024-03-02T10:00:00.000', createdAt: '2024-03-02T09:00:00.000', storedBy: 'alice',
  dataValues: [{ dataElement: 'DeWeight001', value: '12.5' }, { dataElement: 'DeSex000001', value: 'MALE' }], notes: [{ note: 'NoteUid0001', value: 'a note' }],
  ...over,
});

describe('events re-import', () => {
  it('re-importing identical events writes no row and no journal row, yet reports every event updated', async () => {
    const events = [ev(), ev({ event: 'EvGood00002', notes: [] })];
    await importEvents(events);
    const before = dump();
    const again = await importEvents(events);
    expect(stats(again)).toEqual({ created: 0, updated: 2, deleted: 0, ignored: 0, total: 2 });
    expect(journalRows(again.id)).toBe(0);
    expect(valueImages(again.id)).toEqual([]);
    expect(ferry.db.prepare(`SELECT count(*) FROM journal_note WHERE job_id = ?`).pluck().get(again.id)).toBe(0);
    // source_file_id included: the rows are not rewritten (a sender does not carry them again)
    expect(dump()).toEqual(before);
  });

  it('an event whose row changes (a later updatedAt) is rewritten and journaled, its identical values are not', async () => {
    await importEvents([ev(), ev({ event: 'EvGood00002', notes: [] })]);
    const valuesBefore = dump().event_data_value;
    const again = await importEvents([ev({ updatedAt: '2024-04-01T00:00:00.000' }), ev({ event: 'EvGood00002', notes: [] })]);
    expect(stats(again)).toMatchObject({ created: 0, updated: 2 });
    expect(journalRows(again.id)).toBe(1);
    expect(valueImages(again.id)).toEqual([]);
    expect(dump().event_data_value).toEqual(valuesBefore);
    const row = ferry.db.prepare(`SELECT updated_at, source_file_id FROM event WHERE uid = 'EvGood00001'`).get() as { updated_at: string; source_file_id: number };
    expect(row.updated_at).toBe('2024-04-01T00:00:00.000');
    expect(row.source_file_id).toBe(ferry.db.prepare(`SELECT max(id) FROM job_file WHERE job_id = ?`).pluck().get(again.id));
  });

  it('an update that changes, adds and removes values journals exactly those values; undo restores the tables byte for byte', async () => {
    await importEvents([ev({ dataValues: [{ dataElement: 'DeWeight001', value: '12.5' }] }), ev({ event: 'EvGood00002', notes: [] }), ev({ event: 'EvGood00003', notes: [] })]);
    const before = dump();
    const update = await importEvents([
      // a value changed and one added (same updatedAt: the row itself is as stored, rewritten because its values change)
      ev({ dataValues: [{ dataElement: 'DeWeight001', value: '13' }, { dataElement: 'DeSex000001', value: 'FEMALE' }], notes: [] }),
      // a value removed, one unchanged, and a new note
      ev({ event: 'EvGood00002', dataValues: [{ dataElement: 'DeWeight001', value: '12.5' }, { dataElement: 'DeSex000001', value: null }], notes: [{ value: 'new' }] }),
      // as stored
      ev({ event: 'EvGood00003', notes: [] }),
    ]);
    expect(stats(update)).toEqual({ created: 0, updated: 3, deleted: 0, ignored: 0, total: 3 });
    expect(valueImages(update.id)).toEqual(['EvGood00001 DeSex000001 null 0', 'EvGood00001 DeWeight001 12.5 1', 'EvGood00002 DeSex000001 MALE 1']);
    // the two events rewritten and the note added
    expect(ferry.db.prepare(`SELECT tbl FROM journal_row WHERE job_id = ? ORDER BY tbl`).pluck().all(update.id)).toEqual(['event', 'event', 'tracker_note']);
    expect(ferry.db.prepare(`SELECT count(*) FROM journal_note WHERE job_id = ?`).pluck().get(update.id)).toBe(0);
    const values = ferry.db
      .prepare(`SELECT e.uid || ' ' || d.uid || '=' || v.value FROM event_data_value v JOIN event e ON e.id = v.event JOIN metadata_object d ON d.id = v.de ORDER BY 1`)
      .pluck()
      .all();
    expect(values).toEqual([
      'EvGood00001 DeSex000001=FEMALE', 'EvGood00001 DeWeight001=13', 'EvGood00002 DeWeight001=12.5', 'EvGood00003 DeSex000001=MALE', 'EvGood00003 DeWeight001=12.5',
    ]);
    expect(ferry.db.prepare(`SELECT count(*) FROM tracker_note`).pluck().get()).toBe(2);
    const r = await invoke(ferry.handlers, 'jobs:undo', { job: update.id });
    if (!r.ok) throw new Error(r.error.message);
    const undo = await ferry.jobs.wait((r.value as { jobId: number }).jobId);
    expect(undo.error, JSON.stringify(undo.error)).toBeFalsy();
    expect((undo.summary as UndoSummary).events.restored).toBe(2);
    expect(dump()).toEqual(before);
  });

  it('values holding separators and multi-byte characters: as stored is told apart from any change, storedBy included', async () => {
    const SKIP = { validationMode: 'SKIP' }; // texts in a NUMBER and an option set data element
    const tricky = (v1: string, v2: string, sb?: string): Record<string, unknown> =>
      ev({ dataValues: [{ dataElement: 'DeWeight001', value: v1 }, { dataElement: 'DeSex000001', value: v2, ...(sb ? { storedBy: sb } : {}) }], notes: [] });
    await importEvents([tricky('1,2:3;4-', 'é;1,-')], SKIP);
    const same = await importEvents([tricky('1,2:3;4-', 'é;1,-')], SKIP);
    expect(journalRows(same.id)).toBe(0);
    // the same characters, cut elsewhere between the two values
    const moved = await importEvents([tricky('1,2:3;4-é', ';1,-')], SKIP);
    expect(valueImages(moved.id)).toEqual(['EvGood00001 DeSex000001 é;1,- 1', 'EvGood00001 DeWeight001 1,2:3;4- 1']);
    const storedBy = await importEvents([tricky('1,2:3;4-é', ';1,-', 'bob')], SKIP);
    expect(valueImages(storedBy.id)).toEqual(['EvGood00001 DeSex000001 ;1,- 1']);
    // a null for a value the event has not, and a value left out of the file: nothing changes
    const partial = await importEvents([ev({ dataValues: [{ dataElement: 'DeWeight001', value: '1,2:3;4-é' }, { dataElement: 'DeOther0001', value: null }], notes: [] })], SKIP);
    expect(journalRows(partial.id)).toBe(0);
    expect(ferry.db.prepare(`SELECT count(*) FROM event_data_value`).pluck().get()).toBe(2);
  });

  it("an event's before-image is a JSON array of its columns; one journaled as an object (before migration 13) is undone as well", async () => {
    await importEvents([ev({ notes: [] })]);
    const before = dump();
    const job = await importEvents([ev({ status: 'COMPLETED', updatedAt: '2024-05-01T00:00:00.000', notes: [] })]);
    const image = ferry.db.prepare(`SELECT before FROM journal_row WHERE job_id = ? AND tbl = 'event'`).pluck().get(job.id) as string;
    const cols = ferry.db.prepare(`SELECT name FROM pragma_table_info('event')`).pluck().all() as string[];
    const arr = JSON.parse(image) as unknown[];
    expect(arr.length).toBe(cols.length);
    expect(arr[cols.indexOf('status')]).toBe('ACTIVE');
    expect(arr[cols.indexOf('updated_at')]).toBe('2024-03-02T10:00:00.000');
    // as migration 9 wrote it: an object naming the columns
    const asObject = `json_object(${cols.map((c, i) => `'${c}', json_extract(before, '$[${i}]')`).join(', ')})`;
    ferry.db.prepare(`UPDATE journal_row SET before = ${asObject} WHERE job_id = ? AND tbl = 'event'`).run(job.id);
    expect(JSON.parse(ferry.db.prepare(`SELECT before FROM journal_row WHERE job_id = ? AND tbl = 'event'`).pluck().get(job.id) as string)).toMatchObject({ status: 'ACTIVE' });
    const r = await invoke(ferry.handlers, 'jobs:undo', { job: job.id });
    if (!r.ok) throw new Error(r.error.message);
    await ferry.jobs.wait((r.value as { jobId: number }).jobId);
    expect(dump()).toEqual(before);
  });

  it('tracked entity, enrollment and event re-imported with a note added to each of the enrollment and the event: undo removes exactly those notes', async () => {
    const te = (notes: boolean): Record<string, unknown> => ({
      trackedEntity: 'TePerson001', trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001',
      attributes: [{ attribute: 'TeaName0001', value: 'Awa' }, { attribute: 'TeaNatId001', value: 'N-1' }],
      enrollments: [
        {
          enrollment: 'EnAnc000001', program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-02-01', occurredAt: '2024-02-01', status: 'ACTIVE',
          attributes: [{ attribute: 'TeaAge00001', value: '23' }],
          events: [
            {
              event: 'EvVisit0001', programStage: 'StageVisit1', orgUnit: 'OuClinic001', occurredAt: '2024-02-02', dataValues: [{ dataElement: 'DeWeight001', value: '61' }],
              notes: [{ note: 'NoteEv00001', value: 'event note' }, ...(notes ? [{ note: 'NoteEv00002', value: 'second event note' }] : [])],
            },
          ],
          notes: [{ note: 'NoteEn00001', value: 'first visit' }, ...(notes ? [{ note: 'NoteEn00002', value: 'second visit' }] : [])],
        },
      ],
    });
    await importEvents([te(false)], {}, 'trackedEntities');
    const before = dump();
    const job = await importEvents([te(true)], {}, 'trackedEntities');
    expect(stats(job)).toMatchObject({ created: 0, updated: 3 });
    expect(dump().tracker_note!.length).toBe(4);
    const r = await invoke(ferry.handlers, 'jobs:undo', { job: job.id });
    if (!r.ok) throw new Error(r.error.message);
    await ferry.jobs.wait((r.value as { jobId: number }).jobId);
    expect(dump()).toEqual(before);
  });

  it('an event written twice in one job: undo restores the values from before the job', async () => {
    await importEvents([ev()]);
    const before = dump();
    const job = await importEvents([
      ev({ dataValues: [{ dataElement: 'DeWeight001', value: '20' }], notes: [] }),
      ev({ dataValues: [{ dataElement: 'DeWeight001', value: '21' }, { dataElement: 'DeSex000001', value: null }], notes: [] }),
    ]);
    expect(stats(job)).toMatchObject({ updated: 2 });
    expect(valueImages(job.id)).toEqual(['EvGood00001 DeSex000001 MALE 1', 'EvGood00001 DeWeight001 12.5 1']);
    const r = await invoke(ferry.handlers, 'jobs:undo', { job: job.id });
    if (!r.ok) throw new Error(r.error.message);
    await ferry.jobs.wait((r.value as { jobId: number }).jobId);
    expect(dump()).toEqual(before);
  });

  it('an event created and updated in one job: undo removes it with its values', async () => {
    const before = dump();
    const job = await importEvents([ev({ notes: [] }), ev({ dataValues: [{ dataElement: 'DeWeight001', value: '30' }], notes: [] })]);
    expect(stats(job)).toMatchObject({ created: 1, updated: 1 });
    const r = await invoke(ferry.handlers, 'jobs:undo', { job: job.id });
    if (!r.ok) throw new Error(r.error.message);
    await ferry.jobs.wait((r.value as { jobId: number }).jobId);
    expect(dump()).toEqual(before);
  });
});
