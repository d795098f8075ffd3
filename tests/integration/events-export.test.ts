/**
 * Event and tracked entity export through the job API (openFerry + export:start + jobs.wait): events seeded straight
 * through the tracker write repo (no importer), exported in every event format and compression, read back with Ferry's
 * own event readers; filters (program, stage, org unit modes, dates, last updated, deleted), id scheme CODE (objects
 * without a code left out, with a warning), tracked entities (JSON nested, CSV), errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import { TrackerWriteRepo } from '../../src-main/db/repos/tracker-write.ts';
import { eventsReaderFor } from '../../src-main/formats/registry.ts';
import type { TrackedEntity, TrackerEvent, TrackerRecord } from '../../src-shared/dhis2/tracker.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { ferryCli } from '../helpers/cli.ts';
import { seedMetadata, U } from '../unit/exporters/seed.ts';
import { readExport, runExport, sha256, summaryOf } from '../unit/exporters/read-export.ts';

let dir: string;
let f: Ferry;
const P = { prog: 'Program0001', stage1: 'Stage000001', stage2: 'Stage000002', teType: 'TeType00001', attr: 'TeAttr00001' };

function seedEvents(): void {
  const meta = new MetadataRepo(f.db);
  const id = (uid: string): number => meta.findByUid(uid)[0]!.id;
  f.db.transaction(() => {
    meta.upsert('programs', { id: P.prog, name: 'Malaria case', shortName: 'Malaria', code: 'MAL_CASE', programType: 'WITH_REGISTRATION' });
    meta.upsert('programStages', { id: P.stage1, name: 'Visit', code: 'VISIT', program: { id: P.prog } });
    meta.upsert('programStages', { id: P.stage2, name: 'Follow-up', program: { id: P.prog } }); // no code
    meta.upsert('trackedEntityTypes', { id: P.teType, name: 'Person', code: 'PERSON' });
    meta.upsert('trackedEntityAttributes', { id: P.attr, name: 'First name', code: 'FIRST_NAME', valueType: 'TEXT' });
  })();
  const w = new TrackerWriteRepo(f.db);
  f.db.transaction(() => {
    const te = w.insertTrackedEntity({ uid: 'TrackEnt001', te_type: id(P.teType), ou: id(U.ouA), inactive: 0, potential_duplicate: 0, geometry: null, stored_by: null, created_at: '2024-01-01T00:00:00.000', created_at_client: null, updated_at: '2024-01-01T00:00:00.000', updated_at_client: null, source_file_id: null });
    w.upsertAttributeValue({ te, attribute: id(P.attr), value: 'Amina', stored_by: null, created_at: null, updated_at: null });
    const en = w.insertEnrollment({ uid: 'Enrollmt001', te, program: id(P.prog), ou: id(U.ouA), status: 'ACTIVE', enrolled_at: '2024-01-01T00:00:00.000', occurred_at: '2024-01-01T00:00:00.000', completed_at: null, completed_by: null, follow_up: 0, geometry: null, stored_by: null, created_at: null, created_at_client: null, updated_at: null, updated_at_client: null, source_file_id: null });
    const ev = (uid: string, stage: string, ou: string, occurred: string, updated: string, values: [string, string][], extra: { geometry?: string } = {}): number => {
      const e = w.insertEvent({
        uid, program: id(P.prog), program_stage: id(stage), enrollment: en, ou: id(ou), status: 'ACTIVE', occurred_at: occurred, scheduled_at: null, completed_at: null, completed_by: null,
        aoc: id(U.def.coc), attribute_category_options: null, follow_up: 0, geometry: extra.geometry ?? null, stored_by: 'anna', assigned_user: null, created_by: null, updated_by: null,
        created_at: updated, created_at_client: null, updated_at: updated, updated_at_client: null, source_file_id: null,
      });
      for (const [de, value] of values) w.insertDataValue({ event: e, de: id(de), value, provided_elsewhere: 0, stored_by: 'anna', created_at: null, updated_at: null, created_by: null, updated_by: null });
      return e;
    };
    ev('Event000001', P.stage1, U.ouA, '2024-02-01T00:00:00.000', '2024-02-02T00:00:00.000', [[U.deNum, '12'], [U.deText, 'with, comma "quoted"']], { geometry: JSON.stringify({ type: 'Point', coordinates: [-11.5, 8.25] }) });
    ev('Event000002', P.stage1, U.ouA1, '2024-03-15T00:00:00.000', '2024-03-16T00:00:00.000', [[U.deNum, '3']]);
    ev('Event000003', P.stage2, U.ouB, '2024-04-01T00:00:00.000', '2024-04-02T00:00:00.000', []);
    const gone = ev('Event000004', P.stage1, U.ouA, '2024-02-10T00:00:00.000', '2024-02-11T00:00:00.000', [[U.deNum, '9']]);
    w.deleteEvent(gone, '2024-05-01T00:00:00.000');
  })();
}

beforeEach(() => {
  dir = tmpDir('ferry-events-export-');
  f = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  seedMetadata(f.db);
  seedEvents();
});
afterEach(async () => {
  await f.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function readBack(file: string, format: string): Promise<TrackerRecord[]> {
  const { text } = await readExport(file);
  const out: TrackerRecord[] = [];
  async function* once(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(text, 'utf8');
  }
  for await (const r of eventsReaderFor(format)(once(), { fileName: path.basename(file) })) out.push(r);
  return out;
}
async function exportEvents(options: Record<string, unknown>, format = 'json', compression: 'none' | 'zip' | 'gzip' = 'none') {
  const out = path.join(dir, `ev-${Math.random().toString(36).slice(2)}.${format === 'events-json' ? 'json' : format === 'events-csv' ? 'csv' : format}${compression === 'zip' ? '.zip' : compression === 'gzip' ? '.gz' : ''}`);
  const s = summaryOf(await runExport(f, { kind: 'events', out, format, compression, options }));
  const events = (await readBack(out, format)).map((r) => r.value as TrackerEvent);
  return { s, events, out };
}
const uids = (es: TrackerEvent[]): string[] => es.map((e) => e.event!).sort();

describe('events export', () => {
  for (const format of ['json', 'csv', 'xml', 'events-json', 'events-csv'])
    for (const compression of ['none', 'zip', 'gzip'] as const)
      it(`${format} / ${compression}: the live events with their values`, async () => {
        const { s, events, out } = await exportEvents({}, format, compression);
        expect(s).toMatchObject({ status: 'OK', format, compression, counts: { events: 3, eventValues: 3 } });
        expect(s.sha256).toBe(sha256(out));
        expect(uids(events)).toEqual(['Event000001', 'Event000002', 'Event000003']);
        const e1 = events.find((e) => e.event === 'Event000001')!;
        expect(e1).toMatchObject({ program: P.prog, programStage: P.stage1, orgUnit: U.ouA, occurredAt: '2024-02-01T00:00:00.000', geometry: { type: 'Point', coordinates: [-11.5, 8.25] } });
        expect(e1.dataValues.map((d) => [d.dataElement, d.value]).sort()).toEqual([[U.deNum, '12'], [U.deText, 'with, comma "quoted"']].sort());
      });

  it('filters by program stage, org unit and mode, dates, last updated and deleted', async () => {
    expect(uids((await exportEvents({ programStage: P.stage1 })).events)).toEqual(['Event000001', 'Event000002']);
    expect(uids((await exportEvents({ orgUnit: U.ouA })).events)).toEqual(['Event000001']);
    expect(uids((await exportEvents({ orgUnit: 'DIST_A', orgUnitMode: 'children' })).events)).toEqual(['Event000001', 'Event000002']);
    expect(uids((await exportEvents({ orgUnit: U.ouRoot, orgUnitMode: 'DESCENDANTS' })).events)).toEqual(['Event000001', 'Event000002', 'Event000003']);
    expect(uids((await exportEvents({ orgUnit: U.ouRoot, ouMode: 'CHILDREN' })).events)).toEqual(['Event000001', 'Event000003']);
    expect(uids((await exportEvents({ startDate: '2024-03-01', endDate: '2024-03-31' })).events)).toEqual(['Event000002']);
    expect(uids((await exportEvents({ endDate: '2024-02-01' })).events)).toEqual(['Event000001']);
    expect(uids((await exportEvents({ lastUpdatedStartDate: '2024-03-16' })).events)).toEqual(['Event000002', 'Event000003']);
    const withDeleted = await exportEvents({ includeDeleted: true });
    expect(uids(withDeleted.events)).toEqual(['Event000001', 'Event000002', 'Event000003', 'Event000004']);
    expect(withDeleted.events.find((e) => e.event === 'Event000004')!.deleted).toBe(true);
    expect(uids((await exportEvents({ program: 'MAL_CASE' })).events)).toHaveLength(3);
  });

  it('id scheme CODE writes codes and leaves out objects without one, with a warning', async () => {
    const { s, events } = await exportEvents({ idScheme: 'CODE' });
    expect(s.status).toBe('WARNING');
    expect(s.warnings?.[0]).toMatch(/^1 reference was left out/);
    const e1 = events.find((e) => e.event === 'Event000001')!;
    expect(e1).toMatchObject({ program: 'MAL_CASE', programStage: 'VISIT', orgUnit: 'DIST_A' });
    expect(e1.dataValues.map((d) => d.dataElement).sort()).toEqual(['MAL_CASES', 'REMARKS']);
    const e3 = events.find((e) => e.event === 'Event000003')!;
    expect(e3.programStage).toBeUndefined();
    expect(e3.orgUnit).toBe('DIST_B');
    // only the data element scheme
    const de = await exportEvents({ dataElementIdScheme: 'CODE' });
    expect(de.s.status).toBe('OK');
    expect(de.events.find((e) => e.event === 'Event000002')).toMatchObject({ orgUnit: U.ouA1, dataValues: [{ dataElement: 'MAL_CASES', value: '3' }] });
  });

  it('refuses unknown filters, modes, dates and formats before a job exists', async () => {
    const start = (req: Record<string, unknown>) => invoke(f.handlers, 'export:start', { kind: 'events', out: path.join(dir, 'x.json'), ...req } as never);
    const msg = async (req: Record<string, unknown>): Promise<string> => {
      const r = await start(req);
      if (r.ok) {
        const job = await f.jobs.wait((r.value as { jobId: number }).jobId);
        return job.error?.message ?? 'no error';
      }
      return r.error.message;
    };
    expect(await msg({ options: { orgUnitMode: 'everything' } })).toBe("Unknown org unit mode 'everything' (use selected, children or descendants).");
    expect(await msg({ options: { startDate: 'March' } })).toBe("Start date 'March' is not a date (use yyyy-MM-dd).");
    expect(await msg({ format: 'adx' })).toBe("Event data is exported as json, xml, csv, events-json or events-csv, not 'adx'.");
    expect(await msg({ options: { program: 'NOPE' } })).toBe("No program 'NOPE' is stored in this database.");
  });
});

describe('tracked entities export', () => {
  it('JSON: tracked entities with attributes, enrollments and their events nested', async () => {
    const out = path.join(dir, 'te.json');
    const s = summaryOf(await runExport(f, { kind: 'tracked-entities', out, format: 'json', compression: 'none', options: { program: P.prog } }));
    expect(s.counts).toEqual({ trackedEntities: 1 });
    const [r] = await readBack(out, 'json');
    const te = r!.value as TrackedEntity;
    expect(te).toMatchObject({ trackedEntity: 'TrackEnt001', trackedEntityType: P.teType, orgUnit: U.ouA, attributes: [{ attribute: P.attr, value: 'Amina' }] });
    expect(te.enrollments[0]!.enrollment).toBe('Enrollmt001');
    expect(te.enrollments[0]!.events.map((e) => e.event).sort()).toEqual(['Event000001', 'Event000002', 'Event000003']);
  });
  it('CSV: one row per attribute; CODE scheme; a type filter that matches nothing', async () => {
    const out = path.join(dir, 'te.csv');
    summaryOf(await runExport(f, { kind: 'tracked-entities', out, format: 'csv', compression: 'none', options: { trackedEntityType: 'PERSON', idScheme: 'CODE' } }));
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^trackedEntity,trackedEntityType,/);
    expect(lines[1]).toBe('TrackEnt001,PERSON,2024-01-01T00:00:00.000,,2024-01-01T00:00:00.000,,DIST_A,false,false,false,,,,,,,,,FIRST_NAME,"First name",Amina,TEXT');
    const none = path.join(dir, 'none.json');
    const s = summaryOf(await runExport(f, { kind: 'tracked-entities', out: none, format: 'json', compression: 'none', options: { orgUnit: U.ouB } }));
    expect(s.counts).toEqual({ trackedEntities: 0 });
    expect(fs.readFileSync(none, 'utf8')).toBe('{"trackedEntities":[]}\n');
  });
  it('refuses the 2.40 formats, which hold no tracked entities', async () => {
    const r = await invoke(f.handlers, 'export:start', { kind: 'tracked-entities', out: path.join(dir, 'te.xml'), format: 'xml' } as never);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe("Tracked entity data is exported as json or csv, not 'xml'.");
  });
});

describe('ferry export events (CLI)', () => {
  it('takes the format and compression from the file name and the filters as kebab-case flags', async () => {
    const db = path.join(dir, 'site.sqlite');
    await f.close();
    const out = path.join(dir, 'visits.csv.zip');
    const run = await ferryCli(['--db', db, 'export', 'events', '--out', out, '--program', 'MAL_CASE', '--program-stage', P.stage1, '--org-unit', 'ROOT', '--org-unit-mode', 'descendants', '--start-date', '2024-02-01', '--end-date', '2024-12-31', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json()).toMatchObject({ status: 'OK', format: 'csv', compression: 'zip', counts: { events: 2, eventValues: 3 } });
    const back = await readBack(out, 'csv');
    expect(uids(back.map((r) => r.value as TrackerEvent))).toEqual(['Event000001', 'Event000002']);
    const old = path.join(dir, 'old.xml');
    const x = await ferryCli(['--db', db, 'export', 'events', '--out', old, '--id-scheme', 'CODE', '--include-deleted']);
    expect(x.code, x.stderr).toBe(0);
    expect(x.stdout).toMatch(/WARNING|left out/);
    const xml = fs.readFileSync(old, 'utf8');
    expect(xml).toContain('<event event="Event000004" status="ACTIVE" program="MAL_CASE" programStage="VISIT"');
    expect(xml).toContain('deleted="true"');
    const bad = await ferryCli(['--db', db, 'export', 'events', '--out', path.join(dir, 'x.json'), '--org-unit-mode', 'all']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Unknown org unit mode 'all'");
    f = openFerry({ dbPath: db, mode: 'inline' });
  });
});
