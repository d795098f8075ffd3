/**
 * One job that writes the same tracked entity attribute twice (the tracked entity's own value, then its nested
 * enrollment's) must import and journal it once: the undo puts back the value from before the job.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { loadEventMetadata } from '../helpers/events-import-metadata.ts';

let dir: string;
let ferry: Ferry;
beforeEach(() => {
  dir = tmpDir('ferry-events-twice-');
  ferry = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  loadEventMetadata(ferry.db);
});
afterEach(async () => {
  await ferry.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function importPayload(payload: unknown): Promise<JobRecord> {
  const file = path.join(dir, `p${++n}.json`);
  fs.writeFileSync(file, JSON.stringify(payload));
  const r = await invoke(ferry.handlers, 'import:start', { files: [file], kind: 'events', options: {} });
  if (!r.ok) throw new Error(r.error.message);
  return ferry.jobs.wait((r.value as { jobId: number }).jobId);
}
const age = () =>
  ferry.db
    .prepare(`SELECT v.value FROM tracked_entity_attribute_value v JOIN tracked_entity t ON t.id = v.te JOIN metadata_object a ON a.id = v.attribute WHERE t.uid = 'TePerson001' AND a.uid = 'TeaAge00001'`)
    .pluck()
    .get();
const person = (teAge: string, enAge: string) => ({
  trackedEntities: [
    {
      trackedEntity: 'TePerson001', trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001',
      attributes: [{ attribute: 'TeaName0001', value: 'Awa' }, { attribute: 'TeaAge00001', value: teAge }],
      enrollments: [
        { enrollment: 'EnAnc000001', program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-02-01', occurredAt: '2024-02-01', status: 'ACTIVE', attributes: [{ attribute: 'TeaAge00001', value: enAge }], events: [] },
      ],
    },
  ],
});

describe('the same attribute written twice in one job', () => {
  it('imports (the enrollment\'s value last), and the undo puts back the value from before the job', async () => {
    const first = await importPayload(person('20', '20'));
    expect(first.status, JSON.stringify(first.error)).toBe('done');
    expect((first.summary as TrackerImportReport).status).toBe('OK');
    expect(age()).toBe('20');
    const second = await importPayload(person('21', '22'));
    expect(second.status, JSON.stringify(second.error)).toBe('done');
    expect((second.summary as TrackerImportReport).status).toBe('OK');
    expect(age()).toBe('22');
    const u = await invoke(ferry.handlers, 'jobs:undo', { job: second.id });
    expect(u.ok, JSON.stringify(u)).toBe(true);
    const undone = await ferry.jobs.wait((u as { value: { jobId: number } }).value.jobId);
    expect(undone.status, JSON.stringify(undone.error)).toBe('done');
    expect(age()).toBe('20');
  });
});
