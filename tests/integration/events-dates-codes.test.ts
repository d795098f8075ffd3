/**
 * The date codes of the events import not covered elsewhere: E1046 (an event of a program with expiry days that has
 * neither an occurred nor a scheduled date) and E1052 (an enrollment with completedAt whose status is not COMPLETED
 * or CANCELLED), as DHIS2 2.42's event and enrollment DateValidators raise them.
 */
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import { EVENT_METADATA } from '../helpers/events-import-metadata.ts';
import { eventsSite } from '../helpers/events-site.ts';

const site = eventsSite('ferry-events-dates-');
const importPayload = site.importPayload;
const errors = (j: JobRecord) => (j.summary as TrackerImportReport).validationReport.errorReports.map((e) => `${e.uid} ${e.errorCode} ${e.message}`);

describe('event and enrollment date codes', () => {
  it('E1046: a skipped event of a program with registration and expiry days, with neither date', async () => {
    const p = EVENT_METADATA.programs!.find((x) => x.id === 'ProgTrack01')!;
    new MetadataRepo(site.ferry.db).upsert('programs', { ...p, expiryPeriodType: 'Monthly', expiryDays: 10 });
    const j = await importPayload({
      trackedEntities: [
        {
          trackedEntity: 'TePerson001', trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value: 'Awa' }],
          enrollments: [
            {
              enrollment: 'EnAnc000001', program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-02-01', occurredAt: '2024-02-01', status: 'ACTIVE', attributes: [{ attribute: 'TeaAge00001', value: '23' }],
              events: [{ event: 'EvNoDate001', program: 'ProgTrack01', programStage: 'StageVisit1', orgUnit: 'OuClinic001', status: 'SKIPPED', dataValues: [] }],
            },
          ],
        },
      ],
    });
    expect(errors(j)).toEqual(['EvNoDate001 E1046 Event: `EvNoDate001`, needs to have at least one (event or schedule) date.']);
  });

  it('E1052: an enrollment with completedAt whose status is ACTIVE', async () => {
    const j = await importPayload({
      trackedEntities: [
        {
          trackedEntity: 'TePerson001', trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value: 'Awa' }],
          enrollments: [{ enrollment: 'EnAnc000001', program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-02-01', occurredAt: '2024-02-01', status: 'ACTIVE', completedAt: '2024-02-03', attributes: [{ attribute: 'TeaAge00001', value: '23' }] }],
        },
      ],
    });
    expect(errors(j)).toEqual(['EnAnc000001 E1052 Enrollment: `EnAnc000001`, completedAt must be null when status is `ACTIVE`']);
  });
});
