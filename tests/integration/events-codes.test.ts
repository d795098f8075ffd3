/**
 * One test per tracker validation code of the events importer (src-main/importers/events/engine.ts): a small tracker
 * JSON payload through the real import (import:start → job, as the CLI and the screens run it) that triggers the code,
 * against the small program model of tests/helpers/events-import-metadata.ts plus a few objects of its own (a second
 * tracked entity type, a NUMBER attribute, a program allowing one enrollment with a stage that is not repeatable, a
 * program of the other type, a stage no program owns). Each case checks the error reports exactly (tracker type, uid,
 * code, message as DHIS2 2.42's ValidationCode words it, filled in by MessageFormat), the stats of atomic mode ALL
 * (every object ignored, nothing created) and that the tracker tables are byte for byte what they were.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { openFerry, type Ferry } from '../../src-main/services/context.ts';
import { invoke } from '../../src-main/ipc/register.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import { DEFAULTS } from '../../src-main/db/migrations/0002-system-defaults.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import { tmpDir } from '../helpers/tmp.ts';
import { loadEventMetadata } from '../helpers/events-import-metadata.ts';

/** the objects these cases need beside the shared program model */
const EXTRA_METADATA: Record<string, Record<string, unknown>[]> = {
  trackedEntityTypes: [{ id: 'TetOther001', name: 'Other type' }],
  trackedEntityAttributes: [{ id: 'TeaWeigh001', name: 'Weight at birth', valueType: 'NUMBER' }],
  programs: [
    {
      id: 'ProgOnce001', name: 'Once', shortName: 'Once', programType: 'WITH_REGISTRATION', trackedEntityType: { id: 'TetPerson01' },
      onlyEnrollOnce: true, displayIncidentDate: true, organisationUnits: [{ id: 'OuClinic001' }], programStages: [{ id: 'StageOnce01' }],
    },
    {
      id: 'ProgOther01', name: 'Others', shortName: 'Others', programType: 'WITH_REGISTRATION', trackedEntityType: { id: 'TetOther001' },
      organisationUnits: [{ id: 'OuClinic001' }], programStages: [],
    },
  ],
  programStages: [
    { id: 'StageOnce01', name: 'Only visit', program: { id: 'ProgOnce001' }, repeatable: false, programStageDataElements: [] },
    // a stage no program owns (DHIS2-12123: the metadata import let such stages through)
    { id: 'StageLoose1', name: 'Loose', programStageDataElements: [] },
  ],
};

let dir: string;
let ferry: Ferry;

beforeEach(() => {
  dir = tmpDir('ferry-events-codes-');
  ferry = openFerry({ dbPath: path.join(dir, 'site.sqlite'), mode: 'inline' });
  loadEventMetadata(ferry.db);
  const repo = new MetadataRepo(ferry.db);
  ferry.db.transaction(() => {
    for (const [type, list] of Object.entries(EXTRA_METADATA)) for (const o of list) repo.upsert(type, o);
  })();
});
afterEach(async () => {
  await ferry.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let fileNo = 0;
async function importPayload(payload: unknown, options: Record<string, unknown> = {}): Promise<JobRecord> {
  const file = path.join(dir, `payload-${++fileNo}.json`);
  fs.writeFileSync(file, JSON.stringify(payload, null, 2));
  const r = await invoke(ferry.handlers, 'import:start', { files: [file], kind: 'events', options });
  if (!r.ok) throw new Error(r.error.message);
  return ferry.jobs.wait((r.value as { jobId: number }).jobId);
}

const report = (j: JobRecord): TrackerImportReport => j.summary as TrackerImportReport;

const TRACKER_TABLES = ['tracked_entity', 'tracked_entity_attribute_value', 'enrollment', 'event', 'event_data_value', 'tracker_note', 'relationship'];
/** every row of the tracker tables (some are WITHOUT ROWID: rows as JSON, sorted) */
const trackerRows = (): string =>
  JSON.stringify(TRACKER_TABLES.map((t) => ferry.db.prepare(`SELECT * FROM ${t}`).all().map((row) => JSON.stringify(row)).sort()));

// ---------------------------------------------------------------- payload builders

type Obj = Record<string, unknown>;

const te = (uid: string, over: Obj = {}): Obj => ({
  trackedEntity: uid, trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value: 'Awa' }], enrollments: [], ...over,
});
const en = (uid: string, teUid: string, over: Obj = {}): Obj => ({
  enrollment: uid, trackedEntity: teUid, program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-02-01', occurredAt: '2024-02-01', status: 'ACTIVE',
  attributes: [{ attribute: 'TeaAge00001', value: '23' }], events: [], ...over,
});
/** an event of the tracker program ANC */
const visit = (uid: string, enrollment: string, over: Obj = {}): Obj => ({
  event: uid, enrollment, program: 'ProgTrack01', programStage: 'StageVisit1', orgUnit: 'OuClinic001', occurredAt: '2024-02-02', status: 'ACTIVE',
  dataValues: [{ dataElement: 'DeWeight001', value: '61' }], ...over,
});
/** an event of the event program Malaria cases */
const ev = (uid: string, over: Obj = {}): Obj => ({
  event: uid, program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', occurredAt: '2024-03-01', status: 'ACTIVE',
  dataValues: [{ dataElement: 'DeWeight001', value: '12.5' }], ...over,
});
/** an event of the event program Project visits (non-default category combo) */
const projectEvent = (uid: string, over: Obj = {}): Obj => ({
  event: uid, program: 'ProgProj001', programStage: 'StageProj01', orgUnit: 'OuClinic001', occurredAt: '2024-06-01', status: 'ACTIVE',
  attributeOptionCombo: 'CocProjB001', dataValues: [], ...over,
});
const rel = (uid: string, over: Obj = {}): Obj => ({
  relationship: uid, relationshipType: 'RelTypeMot1', from: { trackedEntity: 'TePerson001' }, to: { trackedEntity: 'TePerson002' }, ...over,
});

/** two people, each enrolled in ANC (EnAnc000001, EnAnc000002) */
const PEOPLE = {
  trackedEntities: [
    te('TePerson001', { enrollments: [en('EnAnc000001', 'TePerson001', { notes: [{ note: 'NoteAnc0001', value: 'first visit' }] })] }),
    te('TePerson002', { attributes: [{ attribute: 'TeaName0001', value: 'Fatu' }], enrollments: [en('EnAnc000002', 'TePerson002')] }),
  ],
};
const ONE_PERSON = { trackedEntities: [te('TePerson001')] };

interface Step {
  payload: unknown;
  options?: Record<string, unknown>;
}

interface Case {
  code: string;
  /** imports run first, in order; each must succeed */
  setup?: Step[];
  payload: unknown;
  options?: Record<string, unknown>;
  /** the error reports, exactly: [trackerType, uid, errorCode, message] */
  errors: [string, string, string, string][];
  /** objects of the payload (all ignored under atomic mode ALL) */
  objects?: number;
}

const TE = 'TRACKED_ENTITY';
const EN = 'ENROLLMENT';
const EV = 'EVENT';
const REL = 'RELATIONSHIP';

const CASES: Case[] = [
  // ------------------------------------------------ tracked entities
  {
    code: 'E1002',
    setup: [{ payload: ONE_PERSON }],
    payload: { trackedEntities: [te('TePerson001')] },
    options: { importStrategy: 'CREATE' },
    errors: [[TE, 'TePerson001', 'E1002', 'TrackedEntity: `TePerson001`, already exists.']],
  },
  {
    code: 'E1005',
    payload: { trackedEntities: [te('TeNoType001', { trackedEntityType: 'NoSuchTet01' })] },
    errors: [[TE, 'TeNoType001', 'E1005', 'Could not find TrackedEntityType: `NoSuchTet01`.']],
  },
  {
    code: 'E1006',
    payload: { trackedEntities: [te('TeBadAttr01', { attributes: [{ attribute: 'TeaName0001', value: 'Awa' }, { attribute: 'NoSuchAtt01', value: 'x' }] })] },
    errors: [[TE, 'TeBadAttr01', 'E1006', 'Attribute: `NoSuchAtt01`, does not exist.']],
  },
  {
    code: 'E1007',
    // {1} as DHIS2 2.42's TrackedAttributeValidationService words it (the trailing space is DHIS2's)
    payload: { trackedEntities: [te('TeBadNum001', { attributes: [{ attribute: 'TeaName0001', value: 'Awa' }, { attribute: 'TeaWeigh001', value: 'heavy' }] })] },
    // DHIS2's AttributeValidator reports the value type twice: E1085 (ValidationUtils.valueIsValid's key), then E1007
    errors: [
      [TE, 'TeBadNum001', 'E1085', 'Attribute: `TeaWeigh001`, value does not match value type: `value_not_numeric`.'],
      [TE, 'TeBadNum001', 'E1007', "Error validating attribute value type: `NUMBER`; Error: `Value 'heavy' is not a valid numeric type for attribute TeaWeigh001 `."],
    ],
  },
  {
    code: 'E1049',
    payload: { trackedEntities: [te('TeNoOu00001', { orgUnit: 'NoSuchOu001' })] },
    errors: [[TE, 'TeNoOu00001', 'E1049', 'Could not find OrganisationUnit: `NoSuchOu001`, linked to Tracked Entity.']],
  },
  {
    code: 'E1063',
    payload: { trackedEntities: [te('TeUnknown01')] },
    options: { importStrategy: 'UPDATE' },
    errors: [[TE, 'TeUnknown01', 'E1063', 'TrackedEntity: `TeUnknown01`, does not exist.']],
  },
  {
    code: 'E1114',
    setup: [{ payload: ONE_PERSON }, { payload: { trackedEntities: [{ trackedEntity: 'TePerson001' }] }, options: { importStrategy: 'DELETE' } }],
    payload: { trackedEntities: [te('TePerson001')] },
    errors: [[TE, 'TePerson001', 'E1114', 'TrackedEntity: `TePerson001`, is already deleted and cannot be modified.']],
  },
  {
    code: 'E1126',
    setup: [{ payload: ONE_PERSON }],
    payload: { trackedEntities: [te('TePerson001', { trackedEntityType: 'TetOther001' })] },
    errors: [[TE, 'TePerson001', 'E1126', 'Not allowed to update Tracked Entity property: trackedEntityType.']],
  },

  // ------------------------------------------------ enrollments
  {
    code: 'E1014',
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnEvProg001', 'TePerson001', { program: 'ProgEvent01', attributes: [] })] },
    errors: [[EN, 'EnEvProg001', 'E1014', 'Provided Program: `ProgEvent01`, is a Program without registration. An Enrollment cannot be created into Program without registration.']],
  },
  {
    code: 'E1015',
    setup: [{ payload: PEOPLE }],
    payload: { enrollments: [en('EnAnc000009', 'TePerson001')] },
    errors: [[EN, 'EnAnc000009', 'E1015', 'TrackedEntity: `TePerson001`, already has an active Enrollment in Program `ProgTrack01`.']],
  },
  {
    code: 'E1016',
    setup: [{ payload: ONE_PERSON }, { payload: { enrollments: [en('EnOnce00001', 'TePerson001', { program: 'ProgOnce001', status: 'COMPLETED', attributes: [] })] } }],
    payload: { enrollments: [en('EnOnce00002', 'TePerson001', { program: 'ProgOnce001', attributes: [] })] },
    errors: [[EN, 'EnOnce00002', 'E1016', 'TrackedEntity: `TePerson001`, already has an enrollment in Program: `ProgOnce001`, and this program only allows enrolling one time.']],
  },
  {
    code: 'E1018',
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnNoAge0001', 'TePerson001', { attributes: [] })] },
    errors: [[EN, 'EnNoAge0001', 'E1018', 'Attribute: `TeaAge00001`, is mandatory in program `ProgTrack01` but not declared in enrollment `EnNoAge0001`.']],
  },
  {
    code: 'E1019',
    // DHIS2 2.42 fills {0} with attribute=value
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnTetAttr01', 'TePerson001', { attributes: [{ attribute: 'TeaAge00001', value: '23' }, { attribute: 'TeaName0001', value: 'Awa' }] })] },
    errors: [[EN, 'EnTetAttr01', 'E1019', 'Only Program attributes is allowed for enrollment; Non valid attribute: `TeaName0001=Awa`.']],
  },
  {
    code: 'E1020',
    // DHIS2 2.42 fills {0} with the instant as ISO date-time without zone and compares local dates (events-dhis2-agreement.test.ts)
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnFuture001', 'TePerson001', { enrolledAt: '2999-01-01' })] },
    errors: [[EN, 'EnFuture001', 'E1020', 'Enrollment date: `2999-01-01T00:00:00.000`, cannot be a future date.']],
  },
  {
    code: 'E1021',
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnFuture002', 'TePerson001', { occurredAt: '2999-01-01' })] },
    errors: [[EN, 'EnFuture002', 'E1021', 'Incident date: `2999-01-01T00:00:00.000`, cannot be a future date.']],
  },
  {
    code: 'E1022',
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnOtherTe01', 'TePerson001', { program: 'ProgOther01', attributes: [] })] },
    errors: [[EN, 'EnOtherTe01', 'E1022', 'TrackedEntity: `TePerson001`, must have same TrackedEntityType as Program `ProgOther01`.']],
  },
  {
    code: 'E1023',
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnNoIncid01', 'TePerson001', { program: 'ProgOnce001', occurredAt: undefined, attributes: [] })] },
    errors: [[EN, 'EnNoIncid01', 'E1023', 'DisplayIncidentDate is true but property occurredAt is null.']],
  },
  {
    code: 'E1025',
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnNoDate001', 'TePerson001', { enrolledAt: undefined })] },
    errors: [[EN, 'EnNoDate001', 'E1025', 'Property enrolledAt is null.']],
  },
  {
    code: 'E1041',
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnRootOu001', 'TePerson001', { orgUnit: 'OuRoot00001' })] },
    // MessageFormat: the pattern's single quote ("don't") starts a quoted stretch, so DHIS2 answers "dont"
    errors: [[EN, 'EnRootOu001', 'E1041', 'Enrollment OrganisationUnit: `OuRoot00001`, and Program: `ProgTrack01`, dont match.']],
  },
  {
    code: 'E1068',
    payload: { enrollments: [en('EnNoTe00001', 'TeUnknown01')] },
    errors: [[EN, 'EnNoTe00001', 'E1068', 'Could not find TrackedEntity: `TeUnknown01`, linked to Enrollment.']],
  },
  {
    code: 'E1069',
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnNoProg001', 'TePerson001', { program: 'NoSuchProg1' })] },
    errors: [[EN, 'EnNoProg001', 'E1069', 'Could not find Program: `NoSuchProg1`, linked to Enrollment.']],
  },
  {
    code: 'E1070',
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnNoOu00001', 'TePerson001', { orgUnit: 'NoSuchOu001' })] },
    errors: [[EN, 'EnNoOu00001', 'E1070', 'Could not find OrganisationUnit: `NoSuchOu001`, linked to Enrollment.']],
  },
  {
    code: 'E1080',
    setup: [{ payload: PEOPLE }],
    payload: { enrollments: [en('EnAnc000001', 'TePerson001')] },
    options: { importStrategy: 'CREATE' },
    errors: [[EN, 'EnAnc000001', 'E1080', 'Enrollment: `EnAnc000001`, already exists.']],
  },
  {
    code: 'E1081',
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnUnknown01', 'TePerson001')] },
    options: { importStrategy: 'UPDATE' },
    errors: [[EN, 'EnUnknown01', 'E1081', 'Enrollment: `EnUnknown01`, do not exist.']],
  },
  {
    code: 'E1113',
    setup: [{ payload: PEOPLE }, { payload: { enrollments: [{ enrollment: 'EnAnc000001' }] }, options: { importStrategy: 'DELETE' } }],
    payload: { enrollments: [en('EnAnc000001', 'TePerson001')] },
    errors: [[EN, 'EnAnc000001', 'E1113', 'Enrollment: `EnAnc000001`, is already deleted and cannot be modified.']],
  },
  {
    code: 'E1122',
    setup: [{ payload: ONE_PERSON }],
    payload: { enrollments: [en('EnNoProg002', 'TePerson001', { program: undefined })] },
    errors: [[EN, 'EnNoProg002', 'E1122', 'Missing required enrollment property: `program`.']],
  },
  {
    code: 'E1127',
    setup: [{ payload: PEOPLE }],
    payload: { enrollments: [en('EnAnc000001', 'TePerson001', { program: 'ProgOnce001', attributes: [] })] },
    errors: [[EN, 'EnAnc000001', 'E1127', 'Not allowed to update Enrollment property: program.']],
  },

  // ------------------------------------------------ events
  {
    code: 'E1008',
    payload: { events: [ev('EvLoose0001', { programStage: 'StageLoose1', dataValues: [] })] },
    errors: [[EV, 'EvLoose0001', 'E1008', 'Program stage `StageLoose1` has no reference to a program. Check the program stage configuration']],
  },
  {
    code: 'E1039',
    setup: [
      { payload: ONE_PERSON },
      { payload: { enrollments: [en('EnOnce00001', 'TePerson001', { program: 'ProgOnce001', attributes: [] })] } },
      { payload: { events: [visit('EvOnce00001', 'EnOnce00001', { program: 'ProgOnce001', programStage: 'StageOnce01', dataValues: [] })] } },
    ],
    payload: { events: [visit('EvOnce00002', 'EnOnce00001', { program: 'ProgOnce001', programStage: 'StageOnce01', dataValues: [] })] },
    errors: [[EV, 'EvOnce00002', 'E1039', 'ProgramStage: `StageOnce01`, is not repeatable and an event already exists.']],
  },
  {
    code: 'E1050',
    setup: [{ payload: PEOPLE }],
    payload: { events: [visit('EvSched0001', 'EnAnc000001', { status: 'SCHEDULE', occurredAt: undefined, dataValues: [] })] },
    errors: [[EV, 'EvSched0001', 'E1050', 'Event ScheduledAt date is missing.']],
  },
  {
    code: 'E1054',
    payload: { events: [ev('EvAocCc0001', { attributeOptionCombo: 'CocProjA001' })] },
    errors: [[EV, 'EvAocCc0001', 'E1054', `AttributeOptionCombo \`CocProjA001\` is not in the event programs category combo \`${DEFAULTS.categoryCombo}\`.`]],
  },
  {
    code: 'E1074',
    // a stage without featureType: DHIS2 refuses any geometry (ValidationUtils.validateGeometry)
    payload: { events: [projectEvent('EvNoFeat001', { geometry: { type: 'Point', coordinates: [-11.5, 8.1] } })] },
    errors: [[EV, 'EvNoFeat001', 'E1074', 'FeatureType is missing.']],
  },
  {
    code: 'E1076',
    payload: { events: [ev('EvNullWt001', { status: 'COMPLETED', dataValues: [{ dataElement: 'DeWeight001', value: null }] })] },
    errors: [[EV, 'EvNullWt001', 'E1076', '`DataElement` `DeWeight001` is mandatory and cannot be null']],
  },
  {
    code: 'E1079',
    setup: [{ payload: PEOPLE }],
    payload: { events: [visit('EvWrongPr01', 'EnAnc000001', { program: 'ProgOnce001', programStage: 'StageOnce01', dataValues: [] })] },
    errors: [[EV, 'EvWrongPr01', 'E1079', 'Event: `EvWrongPr01`, program: `ProgOnce001` is different from program defined in enrollment `EnAnc000001`.']],
  },
  {
    code: 'E1089',
    payload: { events: [ev('EvStageX001', { programStage: 'StageProj01', dataValues: [] })] },
    errors: [[EV, 'EvStageX001', 'E1089', 'Event: `EvStageX001`, references a Program Stage `StageProj01` that does not belong to Program `ProgEvent01`.']],
  },
  {
    code: 'E1116',
    payload: { events: [projectEvent('EvNoCo00001', { attributeOptionCombo: undefined, attributeCategoryOptions: 'NoSuchCo001' })] },
    errors: [[EV, 'EvNoCo00001', 'E1116', 'Could not find CategoryOption: `NoSuchCo001`.']],
  },
  {
    code: 'E1117',
    payload: { events: [projectEvent('EvTwoCo0001', { attributeOptionCombo: undefined, attributeCategoryOptions: 'CoProjectA1;CoProjectB1' })] },
    errors: [[EV, 'EvTwoCo0001', 'E1117', 'CategoryOptionCombo does not exist for category combo `CcProject01` and category options `[CoProjectA1, CoProjectB1]`.']],
  },
  {
    code: 'E1123',
    payload: { events: [ev('EvNoOu00001', { orgUnit: '' })] },
    errors: [[EV, 'EvNoOu00001', 'E1123', 'Missing required event property: `orgUnit`.']],
  },
  {
    code: 'E1128',
    setup: [{ payload: PEOPLE }, { payload: { events: [visit('EvVisit0001', 'EnAnc000001')] } }],
    payload: { events: [visit('EvVisit0001', 'EnAnc000002')] },
    errors: [[EV, 'EvVisit0001', 'E1128', 'Not allowed to update Event property: enrollment.']],
  },
  {
    code: 'E1304',
    payload: { events: [ev('EvNoDe00001', { dataValues: [{ dataElement: 'DeWeight001', value: '3' }, { dataElement: 'NoSuchDe001', value: '1' }] })] },
    errors: [[EV, 'EvNoDe00001', 'E1304', 'DataElement `NoSuchDe001` is not a valid data element']],
  },
  {
    code: 'E1315',
    setup: [{ payload: PEOPLE }],
    payload: { events: [visit('EvSchedDv01', 'EnAnc000001', { status: 'SCHEDULE', occurredAt: undefined, scheduledAt: '2024-03-01' })] },
    errors: [[EV, 'EvSchedDv01', 'E1315', 'Status `SCHEDULE` does not allow defining data values. Statuses that do allow defining data values are: [ACTIVE, COMPLETED, VISITED]']],
  },

  // ------------------------------------------------ relationships
  {
    code: 'E1124',
    setup: [{ payload: PEOPLE }],
    payload: { relationships: [rel('RelNoType01', { relationshipType: undefined })] },
    errors: [[REL, 'RelNoType01', 'E1124', 'Missing required relationship property: `relationshipType`.']],
  },
  {
    code: 'E4000',
    setup: [{ payload: PEOPLE }],
    payload: { relationships: [rel('RelSelf0001', { to: { trackedEntity: 'TePerson001' } })] },
    errors: [[REL, 'RelSelf0001', 'E4000', 'Relationship: `RelSelf0001` cannot link to itself']],
  },
  {
    code: 'E4001',
    // DHIS2 2.42 (relationship MandatoryFieldsValidator) fills {0} with the side, `from` or `to`, and says it for a side left out too
    setup: [{ payload: PEOPLE }],
    payload: { relationships: [rel('RelTwoSid01', { from: { trackedEntity: 'TePerson001', enrollment: 'EnAnc000001' } })] },
    errors: [[REL, 'RelTwoSid01', 'E4001', 'Relationship item `from` for relationship `RelTwoSid01` is invalid: an item must link exactly one of trackedEntity, enrollment, event.']],
  },
  {
    code: 'E4006',
    setup: [{ payload: PEOPLE }],
    payload: { relationships: [rel('RelNoType02', { relationshipType: 'NoSuchRel01' })] },
    errors: [[REL, 'RelNoType02', 'E4006', 'Could not find relationship type: `NoSuchRel01`.']],
  },
  {
    code: 'E4010',
    setup: [{ payload: PEOPLE }],
    payload: { relationships: [rel('RelEnroll01', { from: { enrollment: 'EnAnc000001' } })] },
    errors: [[REL, 'RelEnroll01', 'E4010', 'Relationship type `from` constraint requires a trackedEntity but a enrollment was found.']],
  },
  {
    code: 'E4012',
    setup: [{ payload: PEOPLE }],
    payload: { relationships: [rel('RelNoTe0001', { to: { trackedEntity: 'TeUnknown01' } })] },
    errors: [[REL, 'RelNoTe0001', 'E4012', 'Could not find `trackedEntity`: `TeUnknown01`, linked to relationship.']],
  },
  {
    code: 'E4015',
    setup: [{ payload: PEOPLE }, { payload: { relationships: [rel('RelAB000001')] } }],
    payload: { relationships: [rel('RelAB000001')] },
    options: { importStrategy: 'CREATE' },
    errors: [[REL, 'RelAB000001', 'E4015', 'Relationship: `RelAB000001`, already exists.']],
  },
  {
    code: 'E4016',
    setup: [{ payload: PEOPLE }],
    payload: { relationships: [{ relationship: 'RelNone0001' }] },
    options: { importStrategy: 'DELETE' },
    errors: [[REL, 'RelNone0001', 'E4016', 'Relationship: `RelNone0001`, do not exist.']],
  },
  {
    code: 'E4017',
    setup: [
      { payload: PEOPLE },
      { payload: { relationships: [rel('RelAB000001')] } },
      { payload: { relationships: [{ relationship: 'RelAB000001' }] }, options: { importStrategy: 'DELETE' } },
    ],
    payload: { relationships: [rel('RelAB000001')] },
    errors: [[REL, 'RelAB000001', 'E4017', 'Relationship: `RelAB000001`, is already deleted and cannot be modified.']],
  },
];

describe('tracker validation codes of the events import (atomic mode ALL)', () => {
  for (const c of CASES) {
    it(`${c.code}: ${c.errors[0]![3]}`, async () => {
      for (const s of c.setup ?? []) {
        const j = await importPayload(s.payload, s.options);
        expect(report(j).validationReport.errorReports, `setup of ${c.code}`).toEqual([]);
        expect(report(j).status).toBe('OK');
      }
      const before = trackerRows();
      const j = await importPayload(c.payload, c.options);
      const r = report(j);
      expect(r.validationReport.errorReports.map((e) => [e.trackerType, e.uid, e.errorCode, e.message])).toEqual(c.errors);
      expect(r.validationReport.errorReports.every((e) => typeof e.line === 'number' && e.line > 1)).toBe(true);
      expect(r.status).toBe('ERROR');
      expect(j.resultStatus).toBe('ERROR');
      const n = c.objects ?? 1;
      expect(r.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: n, total: n });
      expect(r.bundleReport).toBeUndefined();
      expect(trackerRows()).toBe(before);
    });
  }

  it('every code of the table has its case, once', () => {
    const codes = CASES.map((c) => c.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.length).toBe(50);
  });
});

describe('warnings', () => {
  it('E1119: a note whose uid is stored is a warning; the enrollment is updated, the note left as it is', async () => {
    await importPayload(PEOPLE);
    const notes = () => ferry.db.prepare(`SELECT uid, value FROM tracker_note ORDER BY rowid`).all();
    expect(notes()).toEqual([{ uid: 'NoteAnc0001', value: 'first visit' }]);
    const j = await importPayload({ enrollments: [en('EnAnc000001', 'TePerson001', { notes: [{ note: 'NoteAnc0001', value: 'changed' }] })] });
    const r = report(j);
    expect(r.validationReport.errorReports).toEqual([]);
    expect(r.validationReport.warningReports.map((e) => [e.trackerType, e.uid, e.errorCode, e.message])).toEqual([
      [EN, 'EnAnc000001', 'E1119', 'A Tracker Note with uid `NoteAnc0001` already exists.'],
    ]);
    expect(r.status).toBe('OK');
    expect(r.stats).toEqual({ created: 0, updated: 1, deleted: 0, ignored: 0, total: 1 });
    expect(notes()).toEqual([{ uid: 'NoteAnc0001', value: 'first visit' }]);
  });

  it('E4015 with CREATE_AND_UPDATE: a known relationship is a warning and is left as it is', async () => {
    await importPayload(PEOPLE);
    await importPayload({ relationships: [rel('RelAB000001')] });
    const before = trackerRows();
    const j = await importPayload({ relationships: [rel('RelAB000001')] });
    const r = report(j);
    expect(r.validationReport.errorReports).toEqual([]);
    expect(r.validationReport.warningReports.map((e) => [e.trackerType, e.uid, e.errorCode, e.message])).toEqual([
      [REL, 'RelAB000001', 'E4015', 'Relationship: `RelAB000001`, already exists.'],
    ]);
    expect(r.stats).toMatchObject({ created: 0, updated: 0, ignored: 0 });
    expect(trackerRows()).toBe(before);
  });
});
