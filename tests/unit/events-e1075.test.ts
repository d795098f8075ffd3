/**
 * E1075 of the tracker import (2.42.0 enrollment AttributeValidator.validateRequiredProperties): an enrollment
 * attribute without identifier is "Attribute: `{0}`, is missing uid.", {0} being the attribute itself as DHIS2's
 * MessageFormatter prints an object it has no rule for (Lombok's toString of the domain Attribute and its
 * MetadataIdentifier). Nothing more is checked of that attribute (no E1006), and it does not count as given (E1018
 * follows for a mandatory program attribute). Through the real import (import:start → job).
 */
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import { attributeText } from '../../src-main/importers/events/engine.ts';
import { eventsSite } from '../helpers/events-site.ts';

const site = eventsSite('ferry-events-e1075-');
const report = (j: JobRecord): TrackerImportReport => j.summary as TrackerImportReport;
const errors = (j: JobRecord) => report(j).validationReport.errorReports.map((e) => [e.trackerType, e.uid, e.errorCode, e.message]);
const count = (table: string): number => (site.ferry.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

const PERSON = { trackedEntity: 'TePerson001', trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value: 'Awa' }] };
const en = (uid: string, attributes: Record<string, unknown>[]) => ({
  enrollment: uid, trackedEntity: 'TePerson001', program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-02-01', occurredAt: '2024-02-01', status: 'ACTIVE', attributes,
});
const NO_UID = 'Attribute: `Attribute(attribute=MetadataIdentifier(idScheme=UID, identifier=null, attributeValue=null), storedBy=null, value=23)`, is missing uid.';

describe('E1075: an enrollment attribute without identifier', () => {
  it('is E1075 (not E1006); atomic mode ALL ignores the enrollment and writes nothing', async () => {
    expect(report(await site.importPayload({ trackedEntities: [PERSON] })).status).toBe('OK');
    const j = await site.importPayload({ enrollments: [en('EnNoUid0001', [{ attribute: 'TeaAge00001', value: '23' }, { value: '23' }])] });
    expect(errors(j)).toEqual([['ENROLLMENT', 'EnNoUid0001', 'E1075', NO_UID]]);
    expect(report(j).status).toBe('ERROR');
    expect(report(j).stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 1, total: 1 });
    expect(j.resultStatus).toBe('ERROR');
    expect(count('enrollment')).toBe(0);
  });

  it('does not count as given: with no other attribute the mandatory program attribute is E1018 after it', async () => {
    await site.importPayload({ trackedEntities: [PERSON] });
    const j = await site.importPayload({ enrollments: [en('EnNoUid0002', [{ attribute: '', value: '23', storedBy: 'nurse' }])] });
    expect(errors(j)).toEqual([
      ['ENROLLMENT', 'EnNoUid0002', 'E1075', 'Attribute: `Attribute(attribute=MetadataIdentifier(idScheme=UID, identifier=null, attributeValue=null), storedBy=nurse, value=23)`, is missing uid.'],
      ['ENROLLMENT', 'EnNoUid0002', 'E1018', 'Attribute: `TeaAge00001`, is mandatory in program `ProgTrack01` but not declared in enrollment `EnNoUid0002`.'],
    ]);
    expect(count('enrollment')).toBe(0);
  });

  it('atomic mode OBJECT: only that enrollment is ignored, its tracked entity is created', async () => {
    const j = await site.importPayload({ trackedEntities: [{ ...PERSON, enrollments: [en('EnNoUid0003', [{ attribute: 'TeaAge00001', value: '30' }, { value: '23' }])] }] }, { atomicMode: 'OBJECT' });
    expect(errors(j)).toEqual([['ENROLLMENT', 'EnNoUid0003', 'E1075', NO_UID]]);
    expect(report(j).stats).toMatchObject({ created: 1, ignored: 1 });
    expect([count('tracked_entity'), count('enrollment')]).toEqual([1, 0]);
  });

  it('prints the identifier under the job\'s id scheme, as Lombok prints MetadataIdentifier', () => {
    expect(attributeText({ attribute: '', value: null }, 'CODE')).toBe('Attribute(attribute=MetadataIdentifier(idScheme=CODE, identifier=null, attributeValue=null), storedBy=null, value=null)');
    expect(attributeText({ attribute: '  ', value: 'x' }, 'ATTRIBUTE:AttrCode001')).toBe(
      'Attribute(attribute=MetadataIdentifier(idScheme=ATTRIBUTE, identifier=AttrCode001, attributeValue=  ), storedBy=null, value=x)',
    );
  });
});
