/**
 * Where the events import's validators were found to differ from DHIS2 2.42.0's tracker validators (issue 9): each
 * case here failed before its fix. A small tracker JSON payload through the real import (import:start → job) against
 * the program model of tests/helpers/events-import-metadata.ts; the cases check the reports, the stats and what the
 * tracker tables hold afterwards.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import { eventsSite } from '../helpers/events-site.ts';

const site = eventsSite('ferry-events-agree-');
const importPayload = site.importPayload;
const report = (j: JobRecord): TrackerImportReport => j.summary as TrackerImportReport;
const errorsOf = (j: JobRecord) => report(j).validationReport.errorReports.map((e) => [e.trackerType, e.uid, e.errorCode, e.message]);
const warningsOf = (j: JobRecord) => report(j).validationReport.warningReports.map((e) => [e.trackerType, e.uid, e.errorCode, e.message]);

type Obj = Record<string, unknown>;
const te = (uid: string, over: Obj = {}): Obj => ({
  trackedEntity: uid, trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value: 'Awa' }], enrollments: [], ...over,
});
const en = (uid: string, teUid: string, over: Obj = {}): Obj => ({
  enrollment: uid, trackedEntity: teUid, program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-02-01', occurredAt: '2024-02-01', status: 'ACTIVE',
  attributes: [{ attribute: 'TeaAge00001', value: '23' }], events: [], ...over,
});
const rel = (uid: string, over: Obj = {}): Obj => ({
  relationship: uid, relationshipType: 'RelTypeMot1', from: { trackedEntity: 'TePerson001' }, to: { trackedEntity: 'TePerson002' }, ...over,
});
const PEOPLE = {
  trackedEntities: [
    te('TePerson001', { enrollments: [en('EnAnc000001', 'TePerson001')] }),
    te('TePerson002', { attributes: [{ attribute: 'TeaName0001', value: 'Fatu' }], enrollments: [en('EnAnc000002', 'TePerson002')] }),
  ],
};
const relationshipRows = () => site.ferry.db.prepare(`SELECT uid, deleted FROM relationship ORDER BY uid`).all();

describe('relationships: every import strategy × a relationship stored or not (DHIS2 ExistenceValidator)', () => {
  const STRATEGIES = ['CREATE', 'UPDATE', 'CREATE_AND_UPDATE', 'DELETE'] as const;
  // [strategy, stored?] → errors, warnings, stats (created, deleted), the rows afterwards
  const expected: Record<string, { errors: string[]; warnings: string[]; created: number; deleted: number; rows: { uid: string; deleted: number }[] }> = {
    'CREATE:stored': { errors: ['E4015'], warnings: [], created: 0, deleted: 0, rows: [{ uid: 'RelAB000001', deleted: 0 }] },
    'UPDATE:stored': { errors: [], warnings: ['E4015'], created: 0, deleted: 0, rows: [{ uid: 'RelAB000001', deleted: 0 }] },
    'CREATE_AND_UPDATE:stored': { errors: [], warnings: ['E4015'], created: 0, deleted: 0, rows: [{ uid: 'RelAB000001', deleted: 0 }] },
    'DELETE:stored': { errors: [], warnings: [], created: 0, deleted: 1, rows: [{ uid: 'RelAB000001', deleted: 1 }] },
    'CREATE:new': { errors: [], warnings: [], created: 1, deleted: 0, rows: [{ uid: 'RelAB000001', deleted: 0 }] },
    'UPDATE:new': { errors: ['E4016'], warnings: [], created: 0, deleted: 0, rows: [] },
    'CREATE_AND_UPDATE:new': { errors: [], warnings: [], created: 1, deleted: 0, rows: [{ uid: 'RelAB000001', deleted: 0 }] },
    'DELETE:new': { errors: ['E4016'], warnings: [], created: 0, deleted: 0, rows: [] },
  };
  for (const strategy of STRATEGIES) {
    for (const stored of [true, false]) {
      const key = `${strategy}:${stored ? 'stored' : 'new'}`;
      it(`${strategy}, relationship ${stored ? 'stored' : 'not stored'}: ${JSON.stringify(expected[key])}`, async () => {
        const x = expected[key]!;
        await importPayload(PEOPLE);
        if (stored) expect(report(await importPayload({ relationships: [rel('RelAB000001')] })).stats.created).toBe(1);
        const j = await importPayload({ relationships: [rel('RelAB000001')] }, { importStrategy: strategy });
        expect(j.status).toBe('done');
        expect(errorsOf(j).map((e) => e[2])).toEqual(x.errors);
        expect(warningsOf(j).map((e) => e[2])).toEqual(x.warnings);
        expect(report(j).stats).toMatchObject({ created: x.created, updated: 0, deleted: x.deleted });
        expect(relationshipRows()).toEqual(x.rows);
      });
    }
  }
});

const attributeValues = (teUid: string) =>
  site.ferry.db
    .prepare(
      `SELECT a.uid AS attribute, v.value FROM tracked_entity_attribute_value v JOIN tracked_entity t ON t.id = v.te JOIN metadata_object a ON a.id = v.attribute
       WHERE t.uid = ? ORDER BY a.uid`,
    )
    .all(teUid);

describe('E1076 for attributes: a null value of a mandatory attribute is refused, the stored value kept', () => {
  it('tracked entity: a null value of an attribute the tracked entity type makes mandatory', async () => {
    await importPayload(PEOPLE);
    expect(attributeValues('TePerson001')).toEqual([{ attribute: 'TeaAge00001', value: '23' }, { attribute: 'TeaName0001', value: 'Awa' }]);
    const j = await importPayload({ trackedEntities: [te('TePerson001', { attributes: [{ attribute: 'TeaName0001', value: null }] })] });
    expect(errorsOf(j)).toEqual([['TRACKED_ENTITY', 'TePerson001', 'E1076', '`TrackedEntityAttribute` `TeaName0001` is mandatory and cannot be null']]);
    expect(report(j).status).toBe('ERROR');
    expect(report(j).stats).toMatchObject({ created: 0, updated: 0, ignored: 1 });
    expect(attributeValues('TePerson001')).toEqual([{ attribute: 'TeaAge00001', value: '23' }, { attribute: 'TeaName0001', value: 'Awa' }]);
  });

  it('tracked entity: an attribute left out of the file (no value key) is null too', async () => {
    await importPayload(PEOPLE);
    const j = await importPayload({ trackedEntities: [te('TePerson001', { attributes: [{ attribute: 'TeaName0001' }] })] });
    expect(errorsOf(j).map((e) => e[2])).toEqual(['E1076']);
    expect(attributeValues('TePerson001')).toContainEqual({ attribute: 'TeaName0001', value: 'Awa' });
  });

  it('enrollment: a null value of a mandatory program attribute, the person holding none: E1076 and E1018', async () => {
    await importPayload({ trackedEntities: [te('TePerson003')] });
    const j = await importPayload({ enrollments: [en('EnNullAge01', 'TePerson003', { attributes: [{ attribute: 'TeaAge00001', value: null }] })] });
    expect(errorsOf(j)).toEqual([
      ['ENROLLMENT', 'EnNullAge01', 'E1076', '`TrackedEntityAttribute` `TeaAge00001` is mandatory and cannot be null'],
      ['ENROLLMENT', 'EnNullAge01', 'E1018', 'Attribute: `TeaAge00001`, is mandatory in program `ProgTrack01` but not declared in enrollment `EnNullAge01`.'],
    ]);
    expect(site.ferry.db.prepare(`SELECT count(*) AS n FROM enrollment`).get()).toEqual({ n: 0 });
  });

  it('enrollment: a null value of a mandatory program attribute the person holds: E1076 alone, the value kept', async () => {
    await importPayload(PEOPLE);
    const j = await importPayload({ enrollments: [en('EnAnc000001', 'TePerson001', { attributes: [{ attribute: 'TeaAge00001', value: null }] })] });
    expect(errorsOf(j)).toEqual([['ENROLLMENT', 'EnAnc000001', 'E1076', '`TrackedEntityAttribute` `TeaAge00001` is mandatory and cannot be null']]);
    expect(report(j).stats).toMatchObject({ updated: 0, ignored: 1 });
    expect(attributeValues('TePerson001')).toContainEqual({ attribute: 'TeaAge00001', value: '23' });
  });

  it('a null value of an attribute that is not mandatory is removed, as DHIS2 removes it', async () => {
    await importPayload(PEOPLE);
    await importPayload({ enrollments: [en('EnAnc000001', 'TePerson001', { attributes: [{ attribute: 'TeaAge00001', value: '23' }, { attribute: 'TeaNatId001', value: 'N-1' }] })] });
    expect(attributeValues('TePerson001')).toContainEqual({ attribute: 'TeaNatId001', value: 'N-1' });
    const j = await importPayload({ enrollments: [en('EnAnc000001', 'TePerson001', { attributes: [{ attribute: 'TeaAge00001', value: '23' }, { attribute: 'TeaNatId001', value: null }] })] });
    expect(errorsOf(j)).toEqual([]);
    expect(report(j).status).toBe('OK');
    expect(attributeValues('TePerson001')).toEqual([{ attribute: 'TeaAge00001', value: '23' }, { attribute: 'TeaName0001', value: 'Awa' }]);
  });
});

describe('E1020/E1021: enrollment dates in the future are compared as local dates (DHIS2 enrollment DateValidator)', () => {
  const pad = (n: number) => String(n).padStart(2, '0');
  const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

  it('a time later today is no future date: the enrollment is written', async () => {
    await importPayload({ trackedEntities: [te('TePerson003')] });
    const later = `${localDay(new Date())}T23:59:59.000`;
    const j = await importPayload({ enrollments: [en('EnToday0001', 'TePerson003', { enrolledAt: later, occurredAt: later })] });
    expect(errorsOf(j)).toEqual([]);
    expect(report(j).stats).toMatchObject({ created: 1 });
  });

  it('tomorrow is: {0} is the local date-time, ISO 8601 without zone', async () => {
    await importPayload({ trackedEntities: [te('TePerson003')] });
    const tomorrow = localDay(new Date(Date.now() + 86_400_000));
    const j = await importPayload({ enrollments: [en('EnTomorro01', 'TePerson003', { enrolledAt: tomorrow, occurredAt: `${tomorrow}T08:30` })] });
    expect(errorsOf(j)).toEqual([
      ['ENROLLMENT', 'EnTomorro01', 'E1020', `Enrollment date: \`${tomorrow}T00:00:00.000\`, cannot be a future date.`],
      ['ENROLLMENT', 'EnTomorro01', 'E1021', `Incident date: \`${tomorrow}T08:30:00.000\`, cannot be a future date.`],
    ]);
  });
});

describe('E1007 as DHIS2 2.42 raises it: only for the value types its AttributeValidator checks, worded as it words them', () => {
  const METADATA: Record<string, Record<string, unknown>[]> = {
    trackedEntityAttributes: [
      { id: 'TeaNumber01', name: 'A number', valueType: 'NUMBER' },
      { id: 'TeaBool0001', name: 'A boolean', valueType: 'BOOLEAN' },
      { id: 'TeaDate0001', name: 'A date', valueType: 'DATE' },
      { id: 'TeaDateTim1', name: 'A date-time', valueType: 'DATETIME' },
      { id: 'TeaTrueOnl1', name: 'A yes', valueType: 'TRUE_ONLY' },
      { id: 'TeaOrgUnit1', name: 'A place', valueType: 'ORGANISATION_UNIT' },
      { id: 'TeaInt00001', name: 'An integer', valueType: 'INTEGER_ZERO_OR_POSITIVE' },
    ],
  };
  beforeEach(async () => {
    const { MetadataRepo } = await import('../../src-main/db/repos/metadata.ts');
    const repo = new MetadataRepo(site.ferry.db);
    site.ferry.db.transaction(() => {
      for (const [type, list] of Object.entries(METADATA)) for (const o of list) repo.upsert(type, o);
    })();
  });
  const CASES: [string, string, string | null][] = [
    ['TeaNumber01', 'heavy', "Value 'heavy' is not a valid numeric type for attribute TeaNumber01 "],
    ['TeaNumber01', '1.5', null],
    ['TeaBool0001', 'yes', "Value 'yes' is not a valid boolean type for attribute TeaBool0001 "],
    ['TeaDate0001', 'heavy', 'Invalid format: "heavy"'],
    ['TeaDate0001', '2024-13-01', 'Cannot parse "2024-13-01": Value 13 for monthOfYear must be in the range [1,12]'],
    ['TeaDate0001', '2024', "Value '2024' is not a valid date for attribute TeaDate0001 "],
    ['TeaDate0001', '2024-02-29', null],
    ['TeaDateTim1', '2024-02-29 10:00', "Value '2024-02-29 10:00' is not a valid datetime for attribute TeaDateTim1 "],
    ['TeaDateTim1', '2024-02-29T10:00:00.000', null],
    ['TeaTrueOnl1', 'false', "Value 'false' is not true (true-only type) for attribute TeaTrueOnl1 "],
    ['TeaOrgUnit1', 'NoSuchOu001', ' Value NoSuchOu001 is not a valid org unit value'],
    ['TeaOrgUnit1', 'OuClinic001', null],
    // not one of the types DHIS2 checks there: E1085 alone
    ['TeaInt00001', 'abc', null],
  ];
  for (const [attribute, value, text] of CASES) {
    it(`${attribute} = ${JSON.stringify(value)}: ${text == null ? 'no E1007' : text}`, async () => {
      const j = await importPayload({ trackedEntities: [te('TeValues001', { attributes: [{ attribute: 'TeaName0001', value: 'Awa' }, { attribute, value }] })] });
      const e1007 = errorsOf(j).filter((e) => e[2] === 'E1007').map((e) => e[3]);
      const valueType = METADATA.trackedEntityAttributes!.find((a) => a.id === attribute)!.valueType as string;
      expect(e1007).toEqual(text == null ? [] : [`Error validating attribute value type: \`${valueType}\`; Error: \`${text}\`.`]);
    });
  }
  it('abc in an INTEGER_ZERO_OR_POSITIVE attribute: E1085, no E1007', async () => {
    const j = await importPayload({ trackedEntities: [te('TeValues001', { attributes: [{ attribute: 'TeaName0001', value: 'Awa' }, { attribute: 'TeaInt00001', value: 'abc' }] })] });
    expect(errorsOf(j).map((e) => e[2])).toEqual(['E1085']);
  });
});

describe('E4001: the side as DHIS2 names it, also for a side left out', () => {
  it('a relationship without `to`: E4001 for `to` (not E1124)', async () => {
    await importPayload(PEOPLE);
    const j = await importPayload({ relationships: [rel('RelNoTo0001', { to: undefined })] });
    expect(errorsOf(j)).toEqual([
      ['RELATIONSHIP', 'RelNoTo0001', 'E4001', 'Relationship item `to` for relationship `RelNoTo0001` is invalid: an item must link exactly one of trackedEntity, enrollment, event.'],
    ]);
  });
});

describe('E1019 (DHIS2 enrollment AttributeValidator): values outside the program are checked, and a null one is no E1019', () => {
  it('a value outside the program is checked like any (E1077 here), then E1019', async () => {
    await importPayload({ trackedEntities: [te('TePerson003')] });
    const long = 'x'.repeat(1201);
    const j = await importPayload({ enrollments: [en('EnOutside01', 'TePerson003', { attributes: [{ attribute: 'TeaAge00001', value: '23' }, { attribute: 'TeaName0001', value: long }] })] });
    expect(errorsOf(j)).toEqual([
      ['ENROLLMENT', 'EnOutside01', 'E1077', `Attribute: \`${long}\`, text value exceed the maximum allowed length: \`${long}\`.`],
      ['ENROLLMENT', 'EnOutside01', 'E1019', `Only Program attributes is allowed for enrollment; Non valid attribute: \`TeaName0001=${long}\`.`],
    ]);
  });

  it('a null value outside the program: no error, the enrollment written', async () => {
    await importPayload({ trackedEntities: [te('TePerson003', { attributes: [{ attribute: 'TeaName0001', value: 'Awa' }, { attribute: 'TeaNatId001', value: 'N-3' }] })] });
    const j = await importPayload({ enrollments: [en('EnOutside02', 'TePerson003', { attributes: [{ attribute: 'TeaAge00001', value: '23' }, { attribute: 'TeaName0001', value: null }] })] });
    expect(errorsOf(j)).toEqual([]);
    expect(report(j).stats).toMatchObject({ created: 1 });
  });
});

describe('notes without text are dropped without a word (DHIS2 ValidationUtils.validateNotes)', () => {
  it('a stored note uid sent again with no text: no E1119, nothing written; with text: E1119', async () => {
    await importPayload({ trackedEntities: [te('TePerson001', { enrollments: [en('EnAnc000001', 'TePerson001', { notes: [{ note: 'NoteAnc0001', value: 'first visit' }] })] })] });
    const notes = () => site.ferry.db.prepare(`SELECT uid, value FROM tracker_note ORDER BY rowid`).all();
    const j = await importPayload({ enrollments: [en('EnAnc000001', 'TePerson001', { notes: [{ note: 'NoteAnc0001', value: '' }, { note: 'NoteAnc0001' }, { value: '' }] })] });
    expect(warningsOf(j)).toEqual([]);
    expect(errorsOf(j)).toEqual([]);
    expect(report(j).stats).toMatchObject({ updated: 1 });
    expect(notes()).toEqual([{ uid: 'NoteAnc0001', value: 'first visit' }]);
    const k = await importPayload({ enrollments: [en('EnAnc000001', 'TePerson001', { notes: [{ note: 'NoteAnc0001', value: 'again' }] })] });
    expect(warningsOf(k).map((w) => w[2])).toEqual(['E1119']);
    expect(notes()).toEqual([{ uid: 'NoteAnc0001', value: 'first visit' }]);
  });
});

describe('metadata in the arguments with CODE id schemes: the identifier of the file, as DHIS2 prints it', () => {
  beforeEach(async () => {
    const { MetadataRepo } = await import('../../src-main/db/repos/metadata.ts');
    const { EVENT_METADATA } = await import('../helpers/events-import-metadata.ts');
    const repo = new MetadataRepo(site.ferry.db);
    const withCode = (type: string, id: string, code: string) => repo.upsert(type, { ...EVENT_METADATA[type]!.find((o) => o.id === id)!, code });
    site.ferry.db.transaction(() => {
      withCode('programs', 'ProgTrack01', 'ANC');
      withCode('trackedEntityAttributes', 'TeaAge00001', 'AGE');
    })();
  });

  it('E1041 names the org unit and the program by code, E1018 the attribute by code (the program by uid, as DHIS2)', async () => {
    await importPayload({ trackedEntities: [te('TePerson003')] });
    const j = await importPayload(
      { enrollments: [en('EnCodes0001', 'TePerson003', { program: 'ANC', orgUnit: 'ROOT', attributes: [] })] },
      { idScheme: 'CODE' },
    );
    expect(errorsOf(j)).toEqual([['ENROLLMENT', 'EnCodes0001', 'E1041', 'Enrollment OrganisationUnit: `ROOT`, and Program: `ANC`, dont match.']]);
    const k = await importPayload({ enrollments: [en('EnCodes0002', 'TePerson003', { program: 'ANC', orgUnit: 'CLINIC_A', attributes: [] })] }, { idScheme: 'CODE' });
    expect(errorsOf(k)).toEqual([['ENROLLMENT', 'EnCodes0002', 'E1018', 'Attribute: `AGE`, is mandatory in program `ProgTrack01` but not declared in enrollment `EnCodes0002`.']]);
  });

  it('E1029 names the org unit and the program by code', async () => {
    const j = await importPayload(
      { events: [{ event: 'EvCodes0001', program: 'MALARIA', programStage: 'CASE', orgUnit: 'CLINIC_B', occurredAt: '2024-03-01', status: 'ACTIVE', dataValues: [] }] },
      { idScheme: 'CODE' },
    );
    expect(errorsOf(j)).toEqual([['EVENT', 'EvCodes0001', 'E1029', 'Event OrganisationUnit: `CLINIC_B`, and Program: `MALARIA`, dont match.']]);
  });
});

describe('a malformed uid fails the job naming the file and line, as DHIS2 2.42 refuses the request while parsing (no E1048)', () => {
  const CASES: [string, Obj][] = [
    ['a tracked entity', { trackedEntities: [te('not-a-uid')] }],
    ['an enrollment nested in a tracked entity', { trackedEntities: [te('TePerson009', { enrollments: [en('EnBad', 'TePerson009')] })] }],
    ['a note', { trackedEntities: [te('TePerson009', { enrollments: [en('EnAnc000009', 'TePerson009', { notes: [{ note: 'x-1', value: 'hello' }] })] })] }],
    ['a relationship item', { relationships: [rel('RelAB000001', { to: { trackedEntity: 'TePerson' } })] }],
    ['an event', { events: [{ event: '1EventBad01', program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', occurredAt: '2024-03-01' }] }],
  ];
  for (const [what, payload] of CASES) {
    it(what, async () => {
      const good = { trackedEntities: [te('TePerson001')] };
      const j = await importPayload({ ...good, ...payload, trackedEntities: [...good.trackedEntities, ...((payload.trackedEntities as Obj[]) ?? [])] });
      expect(j.status).toBe('failed');
      expect(j.error?.message).toMatch(/^payload-\d+\.json, line \d+: UID must be an alphanumeric string of 11 characters starting with a letter, but was: \S+$/);
      expect(site.ferry.db.prepare(`SELECT count(*) AS n FROM tracked_entity`).get()).toEqual({ n: 0 });
    });
  }
});

describe('conflicts within one file: DHIS2 refuses both objects, the first as the second', () => {
  const ONCE_METADATA: Record<string, Record<string, unknown>[]> = {
    programs: [
      {
        id: 'ProgOnce001', name: 'Once', shortName: 'Once', programType: 'WITH_REGISTRATION', trackedEntityType: { id: 'TetPerson01' },
        organisationUnits: [{ id: 'OuClinic001' }], programStages: [{ id: 'StageOnce01' }],
      },
    ],
    programStages: [{ id: 'StageOnce01', name: 'Only visit', program: { id: 'ProgOnce001' }, repeatable: false, programStageDataElements: [] }],
  };
  beforeEach(async () => {
    const { MetadataRepo } = await import('../../src-main/db/repos/metadata.ts');
    const repo = new MetadataRepo(site.ferry.db);
    site.ferry.db.transaction(() => {
      for (const [type, list] of Object.entries(ONCE_METADATA)) for (const o of list) repo.upsert(type, o);
    })();
  });
  const once = (uid: string, enrollment: string, over: Obj = {}): Obj => ({
    event: uid, enrollment, program: 'ProgOnce001', programStage: 'StageOnce01', orgUnit: 'OuClinic001', occurredAt: '2024-02-02', status: 'ACTIVE', dataValues: [], ...over,
  });
  const count = (table: string) => (site.ferry.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('E1039: two events of a stage that is not repeatable for one enrollment, in OBJECT mode: both refused, neither written', async () => {
    await importPayload({ trackedEntities: [te('TePerson001', { enrollments: [en('EnOnce00001', 'TePerson001', { program: 'ProgOnce001', attributes: [] })] })] });
    const j = await importPayload({ events: [once('EvOnce00001', 'EnOnce00001'), once('EvOnce00002', 'EnOnce00001')] }, { atomicMode: 'OBJECT' });
    const msg = 'ProgramStage: `StageOnce01`, is not repeatable and an event already exists.';
    expect(errorsOf(j)).toEqual([
      ['EVENT', 'EvOnce00001', 'E1039', msg],
      ['EVENT', 'EvOnce00002', 'E1039', msg],
    ]);
    expect(count('event')).toBe(0);
  });

  it('E1039: the event of the file refused for another reason does not make its sibling fail', async () => {
    await importPayload({ trackedEntities: [te('TePerson001', { enrollments: [en('EnOnce00001', 'TePerson001', { program: 'ProgOnce001', attributes: [] })] })] });
    const j = await importPayload({ events: [once('EvOnce00001', 'EnOnce00001', { orgUnit: 'NoSuchOu001' }), once('EvOnce00002', 'EnOnce00001')] }, { atomicMode: 'OBJECT' });
    expect(errorsOf(j).map((e) => [e[1], e[2]])).toEqual([['EvOnce00001', 'E1011']]);
    expect(count('event')).toBe(1);
  });

  it('E1039 against an event stored before the job still holds (and a second file of the same job counts as the payload)', async () => {
    await importPayload({ trackedEntities: [te('TePerson001', { enrollments: [en('EnOnce00001', 'TePerson001', { program: 'ProgOnce001', attributes: [] })] })] });
    await importPayload({ events: [once('EvOnce00001', 'EnOnce00001')] });
    const j = await importPayload({ events: [once('EvOnce00002', 'EnOnce00001')] }, { atomicMode: 'OBJECT' });
    expect(errorsOf(j).map((e) => [e[1], e[2]])).toEqual([['EvOnce00002', 'E1039']]);
    // the stored one updated alone is fine
    const k = await importPayload({ events: [once('EvOnce00001', 'EnOnce00001', { occurredAt: '2024-02-03' })] }, { atomicMode: 'OBJECT' });
    expect(errorsOf(k)).toEqual([]);
    expect(report(k).stats).toMatchObject({ updated: 1 });
  });

  it('E1015: two ACTIVE enrollments of one person in one program, in OBJECT mode: both refused, neither written', async () => {
    await importPayload({ trackedEntities: [te('TePerson001')] });
    const j = await importPayload({ enrollments: [en('EnAnc000001', 'TePerson001'), en('EnAnc000002', 'TePerson001')] }, { atomicMode: 'OBJECT' });
    const msg = 'TrackedEntity: `TePerson001`, already has an active Enrollment in Program `ProgTrack01`.';
    expect(errorsOf(j)).toEqual([
      ['ENROLLMENT', 'EnAnc000001', 'E1015', msg],
      ['ENROLLMENT', 'EnAnc000002', 'E1015', msg],
    ]);
    expect(count('enrollment')).toBe(0);
  });

  it('E1015: an ACTIVE and a COMPLETED one are fine; the stored ACTIVE one completed later in the file is no conflict', async () => {
    await importPayload({ trackedEntities: [te('TePerson001', { enrollments: [en('EnAnc000001', 'TePerson001')] })] });
    // (the second leaves the attributes out: one job writing the same attribute value twice is another matter)
    const j = await importPayload({ enrollments: [en('EnAnc000002', 'TePerson001'), en('EnAnc000001', 'TePerson001', { status: 'COMPLETED', attributes: [] })] }, { atomicMode: 'OBJECT' });
    expect(j.error).toBeNull();
    expect(errorsOf(j)).toEqual([]);
    expect(report(j).stats).toMatchObject({ created: 1, updated: 1 });
  });
});

describe('validationMode SKIP', () => {
  it("an enrollment's attributes are written (unchecked), as the tracked entity's are", async () => {
    await importPayload({ trackedEntities: [te('TePerson003')] });
    const j = await importPayload({ enrollments: [en('EnSkip00001', 'TePerson003', { attributes: [{ attribute: 'TeaAge00001', value: '41' }] })] }, { validationMode: 'SKIP' });
    expect(report(j).stats).toMatchObject({ created: 1 });
    expect(attributeValues('TePerson003')).toContainEqual({ attribute: 'TeaAge00001', value: '41' });
  });
});
