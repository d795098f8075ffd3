/**
 * Conversion between generations through the database (issue 9's proof): DHIS2's tracker JSON
 * (corpus tracker/e2e-tracker-events.json) → Ferry → tracker CSV, the old events JSON, XML and CSV, tracker JSON → each
 * file imported into a fresh database with the same metadata → exported again as tracker JSON gives the same events
 * and values (and notes, where the format carries them). Also the tracked entities of the tracker importer's own
 * payloads (one_te, one_enrollment, one_tracker_event) through the tracked entity export and back. Reads the corpus in
 * place; skipped with a message without it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusExists, importThrough, openCaseDb, tempDir, type CaseDb } from '../corpus/harness.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { TrackedEntity, TrackerEvent } from '../../src-shared/dhis2/tracker.ts';

if (!corpusExists) console.warn('[corpus] events round trips skipped: no corpus');

const SETUP = ['metadata/e2e-setup-metadata.json', 'metadata/e2e-setup-tracker_metadata.json'];

async function exportTo(db: CaseDb, kind: 'events' | 'tracked-entities', format: string, out: string): Promise<JobRecord> {
  const r = await invoke(db.ferry.handlers, 'export:start', { kind, out, format, compression: 'none', options: {} });
  if (!r.ok) throw new Error(r.error.message);
  const job = await db.ferry.jobs.wait((r.value as { jobId: number }).jobId);
  if (job.error) throw new Error(job.error.message);
  return job;
}
function ok(job: JobRecord): void {
  expect(job.error, job.error?.message).toBeNull();
  expect(job.resultStatus, JSON.stringify(job.summary).slice(0, 2000)).not.toBe('ERROR');
}

/** What must survive every conversion. */
function core(e: TrackerEvent, notes: boolean): Record<string, unknown> {
  return {
    event: e.event, program: e.program, programStage: e.programStage, orgUnit: e.orgUnit, status: e.status, occurredAt: e.occurredAt,
    scheduledAt: e.scheduledAt, completedAt: e.completedAt, attributeOptionCombo: e.attributeOptionCombo, geometry: e.geometry,
    values: e.dataValues.map((d) => `${d.dataElement}=${d.value}`).sort(),
    ...(notes ? { notes: e.notes.map((n) => n.value) } : {}),
  };
}
const eventsOf = (file: string): TrackerEvent[] => (JSON.parse(fs.readFileSync(file, 'utf8')) as { events: TrackerEvent[] }).events;

describe.skipIf(!corpusExists)('event conversion through Ferry (corpus)', () => {
  it('tracker JSON → Ferry → tracker CSV / events JSON / XML / events CSV / tracker JSON → Ferry: the same events, values and notes', async () => {
    const dir = tempDir();
    const a = await openCaseDb({ id: 'a', kind: 'tracker', file: '', expect: {}, setup: SETUP });
    try {
      ok(await importThrough(a.ferry, 'tracker/e2e-tracker-events.json', {}, 'events'));
      const first = path.join(dir, 'a.json');
      await exportTo(a, 'events', 'json', first);
      const want = eventsOf(first);
      expect(want).toHaveLength(4);
      expect(want.reduce((n, e) => n + e.dataValues.length, 0)).toBe(21);
      for (const [format, ext, notes] of [['csv', 'csv', false], ['events-json', 'json', true], ['xml', 'xml', true], ['events-csv', 'csv', false], ['json', 'json', true]] as const) {
        const file = path.join(dir, `conv-${format}.${ext}`);
        await exportTo(a, 'events', format, file);
        const b = await openCaseDb({ id: 'b', kind: 'tracker', file: '', expect: {}, setup: SETUP });
        try {
          const r = await invoke(b.ferry.handlers, 'import:start', { files: [file], kind: 'events', format, options: {} });
          if (!r.ok) throw new Error(`${format}: ${r.error.message}`);
          const imported = await b.ferry.jobs.wait((r.value as { jobId: number }).jobId);
          ok(imported);
          const again = path.join(dir, `again-${format}.json`);
          await exportTo(b, 'events', 'json', again);
          const got = eventsOf(again);
          expect(got.map((e) => core(e, notes)), format).toEqual(want.map((e) => core(e, notes)));
        } finally {
          await b.close();
        }
      }
    } finally {
      await a.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('tracked entities with enrollments and events → tracked entity JSON → Ferry: the same tracked entity, enrollment and event', async () => {
    const dir = tempDir();
    const setup = ['metadata/tracker-base_metadata.json'];
    const a = await openCaseDb({ id: 'a', kind: 'tracker', file: '', expect: {}, setup });
    try {
      for (const f of ['tracker/one_te.json', 'tracker/one_enrollment.json', 'tracker/one_tracker_event.json']) ok(await importThrough(a.ferry, f, { atomicMode: 'OBJECT' }, 'events'));
      const file = path.join(dir, 'te.json');
      const job = await exportTo(a, 'tracked-entities', 'json', file);
      expect((job.summary as { counts: Record<string, number> }).counts).toEqual({ trackedEntities: 1 });
      const want = (JSON.parse(fs.readFileSync(file, 'utf8')) as { trackedEntities: TrackedEntity[] }).trackedEntities;
      expect(want[0]!.enrollments).toHaveLength(1);
      expect(want[0]!.enrollments[0]!.events).toHaveLength(1);
      const b = await openCaseDb({ id: 'b', kind: 'tracker', file: '', expect: {}, setup });
      try {
        ok(await importThrough(b.ferry, file, {}, 'events'));
        const again = path.join(dir, 'again.json');
        await exportTo(b, 'tracked-entities', 'json', again);
        const got = (JSON.parse(fs.readFileSync(again, 'utf8')) as { trackedEntities: TrackedEntity[] }).trackedEntities;
        const shape = (t: TrackedEntity): unknown => ({
          te: t.trackedEntity, type: t.trackedEntityType, ou: t.orgUnit, attrs: t.attributes.map((x) => `${x.attribute}=${x.value}`).sort(),
          enrollments: t.enrollments.map((n) => ({ en: n.enrollment, program: n.program, status: n.status, enrolledAt: n.enrolledAt, events: n.events.map((e) => core(e, true)) })),
        });
        expect(got.map(shape)).toEqual(want.map(shape));
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
