/**
 * One job that writes the same tracked entity attribute twice (the tracked entity's own value, then its nested
 * enrollment's) must import and journal it once: the undo puts back the value from before the job.
 */
import { describe, expect, it } from 'vitest';
import { invoke } from '../../src-main/ipc/register.ts';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import { eventsSite } from '../helpers/events-site.ts';

const site = eventsSite('ferry-events-twice-');
const importPayload = site.importPayload;
const age = () =>
  site.ferry.db
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
    const u = await invoke(site.ferry.handlers, 'jobs:undo', { job: second.id });
    expect(u.ok, JSON.stringify(u)).toBe(true);
    const undone = await site.ferry.jobs.wait((u as { value: { jobId: number } }).value.jobId);
    expect(undone.status, JSON.stringify(undone.error)).toBe('done');
    expect(age()).toBe('20');
  });
});
