/**
 * Undo (issue 13): `ferry undo` restores exactly the state before an import, from the change journal. Table contents
 * are compared byte for byte (every column through SQLite's quote(), which keeps types: 1 and '1' and 1.0 differ).
 * The bookkeeping tables data_value_text, data_value_change, data_value_written and period keep the rows the job added
 * (README "Undo"), so they are not compared.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openDb, type Db } from '../../src-main/db/open.ts';
import { JournalUndoRepo } from '../../src-main/db/repos/journal-undo.ts';
import { ChangesRepo } from '../../src-main/db/repos/changes.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { UndoSummary } from '../../src-shared/undo.ts';
import { ferryCli } from '../helpers/cli.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { loadEventMetadata } from '../helpers/events-import-metadata.ts';
import { CSV_HEADER, SMALL_METADATA, loadMetadata, writeFile } from '../unit/importers/data-values/helpers.ts';
import { withDbAt } from '../helpers/db.ts';

const TABLES = [
  'data_value', 'complete_registration', 'metadata_object', 'metadata_ref', 'org_unit', 'tracked_entity', 'tracked_entity_attribute_value', 'enrollment',
  'event', 'event_data_value', 'tracker_note', 'relationship',
];

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = tmpDir('ferry-undo-');
  dbPath = path.join(dir, 'site.sqlite');
  const db = openDb(dbPath);
  loadMetadata(db, SMALL_METADATA);
  loadEventMetadata(db);
  db.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const withDb = <T>(fn: (db: Db) => T): T => withDbAt(dbPath, fn);
/** every row of every table as typed SQL literals, sorted */
const dump = (): Record<string, string[]> =>
  withDb((db) => {
    const out: Record<string, string[]> = {};
    for (const t of TABLES) {
      const cols = db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[];
      out[t] = db.prepare(`SELECT ${cols.map((c) => `quote(${c})`).join(` || '|' || `)} FROM ${t}`).pluck().all().sort() as string[];
    }
    return out;
  });
const csv = (name: string, rows: string[]): string => writeFile(dir, name, [CSV_HEADER, ...rows].join('\n') + '\n');
const cli = (args: string[]) => ferryCli(['--db', dbPath, ...args]);
async function importOk(file: string, extra: string[] = []): Promise<number> {
  const r = await cli(['import', file, '--json', ...extra]);
  expect(r.code, r.stderr + r.stdout).toBe(0);
  const jobs = await cli(['jobs', '--json']);
  return jobs.json<JobRecord[]>()[0]!.id;
}
const values = (): string[] =>
  withDb((db) =>
    db
      .prepare(
        `SELECT d.uid || ' ' || p.iso || ' ' || o.uid || ' ' || coalesce(dv.value, 'null') || ' ' || coalesce(dv.comment, '-') || CASE dv.deleted WHEN 1 THEN ' deleted' ELSE '' END
           FROM data_value dv JOIN metadata_object d ON d.id = dv.de JOIN metadata_object o ON o.id = dv.ou JOIN period p ON p.id = dv.pe ORDER BY 1`,
      )
      .pluck()
      .all() as string[],
  );

const A1 = 'DeInteger01,202401,OuClinicA01,,,10,alice,,first,false,';
const A2 = 'DeInteger01,202402,OuClinicA01,,,11,alice,,,false,';
const B1 = 'DeInteger01,202401,OuClinicB01,,,12,bob,,,false,';

describe('undo of data value imports', () => {
  it('import → undo gives byte-identical tables; the undo is a job in the history and the undone job says so', async () => {
    await importOk(csv('base.csv', [B1]));
    const before = dump();
    const id = await importOk(csv('a.csv', [A1, A2, 'DeText00001,202401,OuClinicA01,,,hello,,,,false,']));
    expect(values()).toHaveLength(4);
    const r = await cli(['undo', String(id), '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const s = r.json<UndoSummary>();
    expect(s.responseType).toBe('UndoSummary');
    expect(s.undone.map((j) => j.id)).toEqual([id]);
    expect(s.dataValues).toEqual({ removed: 3, restored: 0 });
    expect(dump()).toEqual(before);
    const jobs = (await cli(['jobs', '--json'])).json<JobRecord[]>();
    expect(jobs[0]!.kind).toBe('undo');
    expect(jobs[0]!.options).toEqual({ job: id });
    expect(jobs.find((j) => j.id === id)!.undoneBy).toBe(jobs[0]!.id);
    // twice: refused, naming the undo
    const again = await cli(['undo', String(id)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Job ${id} was already undone by job ${jobs[0]!.id}`);
    // an undo cannot be undone
    const undoUndo = await cli(['undo', String(jobs[0]!.id)]);
    expect(undoUndo.code).toBe(1);
    expect(undoUndo.stderr).toContain('is itself an undo');
  });

  it('an update import → undo restores old values, comments, users and timestamps exactly; a delete import → undo revives', async () => {
    await importOk(csv('base.csv', [A1, A2, B1]));
    const before = dump();
    const upd = await importOk(csv('upd.csv', ['DeInteger01,202401,OuClinicA01,,,99,carol,,changed,true,', 'DeInteger01,202402,OuClinicA01,,,11,carol,,,false,true']));
    expect(values()).toEqual(['DeInteger01 202401 OuClinicA01 99 changed', 'DeInteger01 202401 OuClinicB01 12 -', 'DeInteger01 202402 OuClinicA01 11 - deleted']);
    const r = await cli(['undo', String(upd), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<UndoSummary>().dataValues).toEqual({ removed: 0, restored: 2 });
    expect(dump()).toEqual(before);
    expect(values()).toEqual(['DeInteger01 202401 OuClinicA01 10 first', 'DeInteger01 202401 OuClinicB01 12 -', 'DeInteger01 202402 OuClinicA01 11 -']);
  });

  it('is refused when a later job changed the same values (naming it); --cascade undoes both, newest first; --last and --dry-run', async () => {
    const base = dump();
    const first = await importOk(csv('a.csv', [A1, A2]));
    const afterFirst = dump();
    const second = await importOk(csv('b.csv', ['DeInteger01,202401,OuClinicA01,,,50,dave,,,false,', B1]));
    const r = await cli(['undo', String(first), '--json']);
    expect(r.code).toBe(1);
    const err = r.json<{ status: string; error: { message: string; details: { laterJobs: { id: number }[] } } }>();
    expect(err.error.message).toContain(`later jobs changed the same values or objects: job ${second} (data,`);
    expect(err.error.details.laterJobs.map((j) => j.id)).toEqual([second]);
    // nothing was recorded or changed by the refusal
    expect((await cli(['jobs', '--json'])).json<JobRecord[]>()[0]!.id).toBe(second);
    // a dry run says what would happen and changes nothing
    const dry = await cli(['undo', String(first), '--cascade', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json<UndoSummary>().undone.map((j) => j.id)).toEqual([second, first]);
    expect(values()).toContain('DeInteger01 202401 OuClinicA01 50 -');
    // undoing the later job alone is fine (nothing after it) — with --last
    const last = await cli(['undo', '--last', '--json']);
    expect(last.code, last.stderr).toBe(0);
    expect(last.json<UndoSummary>().undone.map((j) => j.id)).toEqual([second]);
    expect(dump()).toEqual(afterFirst);
    // now the first one can go alone too
    expect((await cli(['undo', String(first)])).code).toBe(0);
    expect(dump()).toEqual(base);
  });

  it('--cascade undoes the later jobs too, newest first, in one job', async () => {
    const base = dump();
    const first = await importOk(csv('a.csv', [A1, A2]));
    const second = await importOk(csv('b.csv', ['DeInteger01,202401,OuClinicA01,,,50,dave,,,false,']));
    const third = await importOk(csv('c.csv', ['DeInteger01,202401,OuClinicA01,,,60,erin,,,false,', B1]));
    const r = await cli(['undo', String(first), '--cascade', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json<UndoSummary>().undone.map((j) => j.id)).toEqual([third, second, first]);
    expect(dump()).toEqual(base);
    const jobs = (await cli(['jobs', '--json'])).json<JobRecord[]>();
    for (const id of [first, second, third]) expect(jobs.find((j) => j.id === id)!.undoneBy).toBe(jobs[0]!.id);
  });

  it('refuses exports, dry runs and unknown jobs with a clear message', async () => {
    const dry = await importOk(csv('a.csv', [A1]), ['--dry-run']);
    expect((await cli(['undo', String(dry)])).stderr).toContain('was a dry run');
    const out = path.join(dir, 'out.json');
    expect((await cli(['export', 'data', '--out', out])).code).toBe(0);
    const exp = (await cli(['jobs', '--json'])).json<JobRecord[]>()[0]!.id;
    const r = await cli(['undo', String(exp)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is an export');
    expect((await cli(['undo', '999'])).stderr).toContain('There is no job 999');
    expect((await cli(['undo', 'abc'])).code).toBe(2);
  });

  it('is one transaction: a failure half-way leaves every value and the history as they were', async () => {
    await importOk(csv('base.csv', [A1]));
    const id = await importOk(csv('a.csv', ['DeInteger01,202401,OuClinicA01,,,77,zed,,,false,', A2]));
    const before = dump();
    const spy = vi.spyOn(JournalUndoRepo.prototype, 'undoRows').mockImplementation(() => {
      throw new Error('power cut');
    });
    try {
      const r = await cli(['undo', String(id)]);
      expect(r.code).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(dump()).toEqual(before);
    const jobs = (await cli(['jobs', '--json'])).json<JobRecord[]>();
    expect(jobs[0]!.kind).toBe('undo');
    expect(jobs[0]!.status).toBe('failed');
    expect(jobs.find((j) => j.id === id)!.undoneBy).toBeUndefined();
    // and it can be undone afterwards
    expect((await cli(['undo', String(id)])).code).toBe(0);
  });
});

describe('the change sequence after an undo', () => {
  it('a send after the undo carries the values it removed (as deletions) and restored (as they are now)', async () => {
    await importOk(csv('base.csv', [A1]));
    const id = await importOk(csv('a.csv', ['DeInteger01,202401,OuClinicA01,,,77,zed,,,false,', A2]));
    const sent = withDb((db) => new ChangesRepo(db).currentSequence());
    expect((await cli(['undo', String(id)])).code).toBe(0);
    const rows = withDb((db) => {
      const c = new ChangesRepo(db);
      expect(c.currentSequence()).toBeGreaterThan(sent);
      const pes = new Map(db.prepare(`SELECT id, iso FROM period`).raw().all() as [number, string][]);
      return [...c.dataValuesChangedSince(sent)].map((r) => `${pes.get(r[1])} ${r[5]} ${r[9] ?? '-'} ${r[11] ? 'deleted' : 'live'}`).sort();
    });
    expect(rows).toEqual(['202401 10 first live', '202402 null - deleted']);
    // and nothing more after the undo's own number
    expect(withDb((db) => [...new ChangesRepo(db).dataValuesChangedSince(new ChangesRepo(db).currentSequence())])).toEqual([]);
  });
});

describe('undo of metadata and event imports', () => {
  it('metadata import (creates and updates) → undo gives byte-identical metadata tables', async () => {
    const before = dump();
    const file = writeFile(
      dir,
      'meta.json',
      JSON.stringify({
        dataElements: [
          { id: 'DeNew000001', name: 'New element', shortName: 'New', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE', categoryCombo: { id: 'bjDvmb4bfuf' } },
          { id: 'DeInteger01', name: 'Integer renamed', shortName: 'Int', code: 'DE_INT', valueType: 'INTEGER', aggregationType: 'SUM', domainType: 'AGGREGATE', categoryCombo: { id: 'bjDvmb4bfuf' } },
        ],
        organisationUnits: [{ id: 'OuClinicC01', name: 'Clinic C', shortName: 'C', openingDate: '2020-01-01', parent: { id: 'OuDistrict1' } }],
      }),
    );
    const id = await importOk(file, ['--kind', 'metadata']);
    expect(dump().metadata_object!.length).toBe(before.metadata_object!.length + 2);
    const r = await cli(['undo', String(id), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = r.json<UndoSummary>();
    expect(s.metadataObjects).toEqual({ removed: 2, restored: 1 });
    expect(dump()).toEqual(before);
  });

  it("a metadata import whose new objects other jobs' data values use is refused (the undo would delete them)", async () => {
    const file = writeFile(
      dir,
      'meta.json',
      JSON.stringify({ dataElements: [{ id: 'DeNew000001', name: 'New element', shortName: 'New', valueType: 'NUMBER', aggregationType: 'SUM', domainType: 'AGGREGATE', categoryCombo: { id: 'bjDvmb4bfuf' } }] }),
    );
    const meta = await importOk(file, ['--kind', 'metadata']);
    await importOk(csv('new.csv', ['DeNew000001,202401,OuClinicA01,,,5,,,,false,']));
    const r = await cli(['undo', String(meta)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Job ${meta} cannot be undone: data values stored by other jobs use metadata objects it created`);
    // once the data import is undone, the metadata import can be
    expect((await cli(['undo', '--last'])).code).toBe(0);
    expect((await cli(['undo', String(meta)])).code).toBe(0);
  });

  it('events import, then an update of them → undo of both (cascade) gives byte-identical program data tables', async () => {
    const before = dump();
    const ev = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
      event: 'EvGood00001', program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', occurredAt: '2024-03-01T00:00:00.000', status: 'ACTIVE',
      dataValues: [{ dataElement: 'DeWeight001', value: '12.5' }, { dataElement: 'DeSex000001', value: 'MALE' }], notes: [{ value: 'a note' }], ...over,
    });
    const first = await importOk(writeFile(dir, 'ev.json', JSON.stringify({ events: [ev(), ev({ event: 'EvGood00002' })] })), ['--kind', 'events']);
    const afterFirst = dump();
    expect(afterFirst.event!.length).toBe(before.event!.length + 2);
    const second = await importOk(
      writeFile(dir, 'ev2.json', JSON.stringify({ events: [ev({ dataValues: [{ dataElement: 'DeWeight001', value: '13' }, { dataElement: 'DeSex000001', value: null }] })] })),
      ['--kind', 'events'],
    );
    const del = await importOk(writeFile(dir, 'del.json', JSON.stringify({ events: [{ event: 'EvGood00002' }] })), ['--kind', 'events', '--import-strategy', 'DELETE']);
    const refused = await cli(['undo', String(first)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`job ${second} (events`);
    expect(refused.stderr).toContain(`job ${del} (events`);
    const r = await cli(['undo', String(first), '--cascade', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = r.json<UndoSummary>();
    expect(s.undone.map((j) => j.id)).toEqual([del, second, first]);
    expect(s.events.removed).toBe(2);
    expect(dump()).toEqual(before);
  });
});
