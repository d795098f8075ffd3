/**
 * The event / tracker import end to end (openFerry → import:start → job, as the CLI and the screens run it): tracker
 * JSON and old events JSON/CSV files against a small program model. Checks what is stored, the reports' codes and
 * DHIS2's exact messages with file lines, atomic modes ALL and OBJECT, strategies, dry run and broken files.
 */
import { describe, expect, it } from 'vitest';
import { EventsRepo } from '../../src-main/db/repos/events.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import type { EventImportSummaries } from '../../src-shared/dhis2/event-import-summaries.ts';
import { eventsSite } from '../helpers/events-site.ts';

const site = eventsSite('ferry-events-');
const { write, importFile } = site;

const report = (j: JobRecord): TrackerImportReport => j.summary as TrackerImportReport;
const codes = (j: JobRecord): string[] => report(j).validationReport.errorReports.map((e) => e.errorCode);
const events = () => [...new EventsRepo(site.ferry.db).events({ includeDeleted: true })].flat();

const ev = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  event: 'EvGood00001', program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', occurredAt: '2024-03-01T00:00:00.000', status: 'ACTIVE',
  dataValues: [{ dataElement: 'DeWeight001', value: '12.5' }, { dataElement: 'DeSex000001', value: 'MALE' }], ...over,
});

describe('tracker JSON events', () => {
  it('creates events with their values, then updates them (CREATE_AND_UPDATE), keeping values not in the file', async () => {
    const f = write('events.json', { events: [ev(), ev({ event: 'EvGood00002', dataValues: [{ dataElement: 'DeWeight001', value: '3' }], geometry: { type: 'Point', coordinates: [-11.5, 8.1] } })] });
    const j1 = await importFile(f);
    expect(j1.resultStatus).toBe('OK');
    expect(report(j1).stats).toEqual({ created: 2, updated: 0, deleted: 0, ignored: 0, total: 2 });
    expect(report(j1).bundleReport?.typeReportMap.EVENT?.stats).toEqual({ created: 2, updated: 0, deleted: 0, ignored: 0, total: 2 });
    const stored = events();
    expect(stored.map((e) => [e.event, e.orgUnit, e.occurredAt, e.dataValues.map((d) => `${d.dataElement}=${d.value}`)])).toEqual([
      ['EvGood00001', 'OuClinic001', '2024-03-01T00:00:00.000', ['DeSex000001=MALE', 'DeWeight001=12.5']],
      ['EvGood00002', 'OuClinic001', '2024-03-01T00:00:00.000', ['DeWeight001=3']],
    ]);
    expect(stored[1]!.geometry).toEqual({ type: 'Point', coordinates: [-11.5, 8.1] });
    const f2 = write('update.json', { events: [ev({ dataValues: [{ dataElement: 'DeWeight001', value: '13' }] })] });
    const j2 = await importFile(f2);
    expect(report(j2).stats).toMatchObject({ created: 0, updated: 1, ignored: 0 });
    expect(events()[0]!.dataValues.map((d) => `${d.dataElement}=${d.value}`)).toEqual(['DeSex000001=MALE', 'DeWeight001=13']);
    // a null value removes it
    await importFile(write('remove.json', { events: [ev({ dataValues: [{ dataElement: 'DeSex000001', value: null }] })] }));
    expect(events()[0]!.dataValues.map((d) => d.dataElement)).toEqual(['DeWeight001']);
  });

  it("reports DHIS2's codes and messages with file lines; atomic mode ALL writes nothing, OBJECT keeps the valid events", async () => {
    const file = {
      events: [
        ev(),
        ev({ event: 'EvBadOu0001', orgUnit: 'NoSuchOu001' }),
        ev({ event: 'EvBadProg01', program: 'NoSuchProg1', programStage: 'NoSuchStag1' }),
        ev({ event: 'EvNotInPrg1', orgUnit: 'OuClinic002' }),
        ev({ event: 'EvNoDate001', occurredAt: undefined }),
        ev({ event: 'EvBadVal001', dataValues: [{ dataElement: 'DeWeight001', value: 'heavy' }, { dataElement: 'DeSex000001', value: 'X' }, { dataElement: 'DeOther0001', value: 'a' }] }),
        ev({ event: 'EvMandat001', status: 'COMPLETED', dataValues: [{ dataElement: 'DeSex000001', value: 'FEMALE' }] }),
        ev({ event: 'EvGeom00001', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } }),
      ],
    };
    const f = write('bad.json', file);
    const all = await importFile(f);
    expect(all.resultStatus).toBe('ERROR');
    const r = report(all);
    expect(r.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 8, total: 8 });
    expect(r.bundleReport).toBeUndefined();
    const byUid = (uid: string) => r.validationReport.errorReports.filter((e) => e.uid === uid).map((e) => [e.errorCode, e.message]);
    expect(byUid('EvBadOu0001')).toEqual([['E1011', 'Could not find OrganisationUnit: `NoSuchOu001`, linked to Event.']]);
    expect(byUid('EvBadProg01')).toEqual([
      ['E1010', 'Could not find Program: `NoSuchProg1`, linked to Event.'],
      ['E1013', 'Could not find ProgramStage: `NoSuchStag1`, linked to Event.'],
    ]);
    expect(byUid('EvNotInPrg1')).toEqual([['E1029', 'Event OrganisationUnit: `OuClinic002`, and Program: `ProgEvent01`, dont match.']]);
    expect(byUid('EvNoDate001')).toEqual([['E1031', 'Event occurredAt date is missing.']]);
    expect(byUid('EvBadVal001')).toEqual([
      ['E1302', 'DataElement `NUMBER` is not valid: `Value type is NUMBER but the value `heavy` is not.`'],
      ['E1125', 'Value `X` is not a valid option code in option set `OptSetSex01`'],
      ['E1305', 'DataElement `DeOther0001` is not part of `StageCase01` program stage'],
    ]);
    expect(byUid('EvMandat001')).toEqual([['E1303', 'Mandatory DataElement `DeWeight001` is not present']]);
    expect(byUid('EvGeom00001')).toEqual([['E1012', 'Geometry does not conform to FeatureType: `POINT`.']]);
    // lines: where each event starts in the file (JSON.stringify with 2 spaces: the first event's "{" is on line 3)
    const lines = r.validationReport.errorReports.map((e) => e.line);
    expect(lines.every((l) => typeof l === 'number' && l > 3)).toBe(true);
    expect(new Set(r.validationReport.errorReports.map((e) => e.trackerType))).toEqual(new Set(['EVENT']));
    expect(events()).toEqual([]);

    const obj = await importFile(f, { atomicMode: 'OBJECT' });
    // DHIS2 counts ignored as the number of error reports (10 here, for 7 events)
    expect(report(obj).stats).toEqual({ created: 1, updated: 0, deleted: 0, ignored: 10, total: 11 });
    expect(report(obj).bundleReport?.typeReportMap.EVENT?.stats).toEqual({ created: 1, updated: 0, deleted: 0, ignored: 7, total: 8 });
    expect(events().map((e) => e.event)).toEqual(['EvGood00001']);
  });

  it('CREATE refuses existing events (E1030), UPDATE and DELETE unknown ones (E1032); DELETE soft-deletes; a deleted event is E1082', async () => {
    await importFile(write('a.json', { events: [ev()] }));
    const again = await importFile(write('b.json', { events: [ev()] }), { importStrategy: 'CREATE' });
    expect(report(again).validationReport.errorReports.map((e) => e.message)).toEqual(['Event: `EvGood00001`, already exists.']);
    const upd = await importFile(write('c.json', { events: [ev({ event: 'EvUnknown01' })] }), { importStrategy: 'UPDATE' });
    expect(report(upd).validationReport.errorReports.map((e) => e.message)).toEqual(['Event: `EvUnknown01`, do not exist.']);
    const del = await importFile(write('d.json', { events: [{ event: 'EvGood00001', dataValues: [] }] }), { importStrategy: 'DELETE' });
    expect(report(del).stats).toMatchObject({ deleted: 1, ignored: 0 });
    expect(new EventsRepo(site.ferry.db).countLive()).toBe(0);
    expect(events()[0]!.deleted).toBe(true);
    const after = await importFile(write('e.json', { events: [ev()] }));
    expect(codes(after)).toEqual(['E1082']);
  });

  it('a dry run (importMode VALIDATE) reports what the import would do and writes nothing', async () => {
    const f = write('events.json', { events: [ev(), ev({ event: 'EvGood00002' })] });
    // DHIS2's other tracker parameters are accepted (without effect offline)
    const dry = await importFile(f, { importMode: 'VALIDATE', reportMode: 'FULL', flushMode: 'AUTO', skipRuleEngine: true, skipSideEffects: 'true', async: false });
    expect(dry.dryRun).toBe(true);
    // DHIS2's answer to importMode VALIDATE (e2e TrackerImporterImportModeTests): OK, zero counts; Ferry adds wouldBe
    expect(report(dry).status).toBe('OK');
    expect(report(dry).stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 0, total: 0 });
    expect(report(dry).bundleReport?.typeReportMap).toEqual({});
    expect(report(dry).wouldBe?.stats).toEqual({ created: 2, updated: 0, deleted: 0, ignored: 0, total: 2 });
    expect(events()).toEqual([]);
    const real = await importFile(f);
    expect(report(real).stats).toMatchObject({ created: 2 });
    expect(events()).toHaveLength(2);
  });

  it('attribute option combos: resolved from category options, checked against the program combo and the options dates', async () => {
    const base = { program: 'ProgProj001', programStage: 'StageProj01', orgUnit: 'OuClinic001', occurredAt: '2024-06-01', dataValues: [] };
    const f = write('aoc.json', {
      events: [
        { ...base, event: 'EvAocOk0001', attributeOptionCombo: 'CocProjA001' },
        { ...base, event: 'EvAocCo0001', attributeCategoryOptions: 'CoProjectB1' },
        { ...base, event: 'EvAocDef001' },
        { ...base, event: 'EvAocWrong1', attributeOptionCombo: 'HllvX50cXC0' },
        { ...base, event: 'EvAocNone01', attributeOptionCombo: 'NoSuchCoc01' },
        { ...base, event: 'EvAocLate01', attributeOptionCombo: 'CocProjA001', occurredAt: '2025-02-01' },
        { ...base, event: 'EvAocEarly1', attributeOptionCombo: 'CocProjA001', occurredAt: '2023-12-31' },
      ],
    });
    const j = await importFile(f, { atomicMode: 'OBJECT' });
    const msgs = report(j).validationReport.errorReports.map((e) => `${e.uid} ${e.errorCode} ${e.message}`);
    expect(msgs).toEqual([
      'EvAocDef001 E1055 Default AttributeOptionCombo is not allowed since program has non-default CategoryCombo.',
      'EvAocWrong1 E1055 Default AttributeOptionCombo is not allowed since program has non-default CategoryCombo.',
      'EvAocNone01 E1115 Could not find CategoryOptionCombo: `NoSuchCoc01`.',
      'EvAocLate01 E1057 Event date: `2025-02-01`, is after end date: `2024-12-31`, for AttributeOption: `Project A` in program: `Project visits`.',
      'EvAocEarly1 E1056 Event date: `2023-12-31`, is before start date: `2024-01-01`, for AttributeOption: `Project A`.',
    ]);
    expect(events().map((e) => [e.event, e.attributeOptionCombo])).toEqual([['EvAocOk0001', 'CocProjA001'], ['EvAocCo0001', 'CocProjB001']]);
  });

  it('id schemes: CODE for programs, stages, org units and data elements', async () => {
    const f = write('code.json', {
      events: [{ event: 'EvByCode001', program: 'MALARIA', programStage: 'CASE', orgUnit: 'CLINIC_A', occurredAt: '2024-03-01', dataValues: [{ dataElement: 'WEIGHT', value: '4' }] }],
    });
    const byUid = await importFile(f);
    expect(codes(byUid)).toEqual(['E1011', 'E1010', 'E1013']);
    const byCode = await importFile(f, { idScheme: 'CODE' });
    expect(byCode.resultStatus).toBe('OK');
    expect(events()[0]).toMatchObject({ program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', dataValues: [{ dataElement: 'DeWeight001', value: '4' }] });
  });

  it('lists at most 100 reports of a code and counts the rest (moreErrorReports); counts stay exact', async () => {
    const list = Array.from({ length: 700 }, (_, i) => ev({ event: `EvMany${String(i).padStart(5, '0')}`, orgUnit: 'NoSuchOu001' }));
    const j = await importFile(write('many.json', { events: list }), { atomicMode: 'OBJECT' });
    const r = report(j);
    expect(r.validationReport.errorReports).toHaveLength(100);
    expect(r.moreErrorReports).toEqual({ E1011: 600 });
    expect(r.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 700, total: 700 });
    expect(r.bundleReport?.typeReportMap.EVENT?.stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 700, total: 700 });
  });

  it('a broken file fails the job naming the file and line, and writes nothing', async () => {
    const f = write('broken.json', '{"events": [\n' + JSON.stringify(ev()) + ',\n{"event": "EvBroken001", "orgUnit": \n]}');
    const j = await importFile(f);
    expect(j.status).toBe('failed');
    expect(j.error?.message).toMatch(/^broken\.json, line 4: malformed JSON/);
    expect(events()).toEqual([]);
  });
});

describe('tracked entities, enrollments and their events', () => {
  const te = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
    trackedEntity: 'TePerson001', trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001',
    attributes: [{ attribute: 'TeaName0001', value: 'Awa' }, { attribute: 'TeaNatId001', value: 'N-1' }],
    enrollments: [
      {
        enrollment: 'EnAnc000001', program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-02-01', occurredAt: '2024-02-01', status: 'ACTIVE',
        attributes: [{ attribute: 'TeaAge00001', value: '23' }],
        events: [{ event: 'EvVisit0001', programStage: 'StageVisit1', orgUnit: 'OuClinic001', occurredAt: '2024-02-02', dataValues: [{ dataElement: 'DeWeight001', value: '61' }] }],
        notes: [{ value: 'first visit' }],
      },
    ],
    ...over,
  });

  it('stores the nested objects; an event of a tracker program without enrollment is E1033', async () => {
    const j = await importFile(write('te.json', { trackedEntities: [te()] }));
    expect(report(j).stats).toEqual({ created: 3, updated: 0, deleted: 0, ignored: 0, total: 3 });
    const tes = [...new EventsRepo(site.ferry.db).trackedEntities()].flat();
    expect(tes).toHaveLength(1);
    expect(tes[0]!.attributes.map((a) => `${a.attribute}=${a.value}`)).toEqual(['TeaAge00001=23', 'TeaName0001=Awa', 'TeaNatId001=N-1']);
    expect(tes[0]!.enrollments[0]).toMatchObject({ enrollment: 'EnAnc000001', program: 'ProgTrack01', notes: [{ value: 'first visit' }] });
    expect(tes[0]!.enrollments[0]!.events[0]).toMatchObject({ event: 'EvVisit0001', enrollment: 'EnAnc000001', trackedEntity: 'TePerson001', program: 'ProgTrack01' });
    const orphan = await importFile(write('orphan.json', { events: [{ event: 'EvOrphan001', program: 'ProgTrack01', programStage: 'StageVisit1', orgUnit: 'OuClinic001', occurredAt: '2024-02-03', dataValues: [] }] }));
    expect(report(orphan).validationReport.errorReports.map((e) => e.message)).toEqual(['Event: `EvOrphan001`, Enrollment value is null.']);
  });

  it('a tracked entity that fails takes its enrollments and events with it (E5000); mandatory and unique attributes', async () => {
    await importFile(write('first.json', { trackedEntities: [te()] }));
    const second = te({
      trackedEntity: 'TePerson002', attributes: [{ attribute: 'TeaNatId001', value: 'N-1' }],
      enrollments: [{ ...(te().enrollments as Record<string, unknown>[])[0], enrollment: 'EnAnc000002', events: [{ event: 'EvVisit0002', programStage: 'StageVisit1', orgUnit: 'OuClinic001', occurredAt: '2024-02-02', dataValues: [] }] }],
    });
    const j = await importFile(write('second.json', { trackedEntities: [second] }), { atomicMode: 'OBJECT' });
    expect(report(j).validationReport.errorReports.map((e) => `${e.trackerType} ${e.errorCode} ${e.message}`)).toEqual([
      'TRACKED_ENTITY E1064 Non-unique attribute value `N-1` for attribute `TeaNatId001`',
      'TRACKED_ENTITY E1090 Attribute: `TeaName0001`, is mandatory in tracked entity type `TetPerson01` but not declared in tracked entity `TePerson002`.',
      'ENROLLMENT E5000 "enrollment" `EnAnc000002` cannot be persisted because "trackedEntity" `TePerson002` referenced by it cannot be persisted.',
      'EVENT E5000 "event" `EvVisit0002` cannot be persisted because "enrollment" `EnAnc000002` referenced by it cannot be persisted.',
    ]);
    const again = await importFile(write('third.json', { enrollments: [{ enrollment: 'EnAnc000003', trackedEntity: 'TePerson001', program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-05-01', attributes: [] }] }));
    expect(report(again).validationReport.errorReports.map((e) => e.message)).toEqual(['TrackedEntity: `TePerson001`, already has an active Enrollment in Program `ProgTrack01`.']);
  });
});

describe('relationships', () => {
  // DHIS2's e2e AtomicModeTests: two tracked entities, one without type, and a relationship between them
  const payload = () => ({
    trackedEntities: [
      { trackedEntity: 'TeRelA00001', trackedEntityType: '', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value: 'A' }], enrollments: [] },
      { trackedEntity: 'TeRelB00001', trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value: 'B' }], enrollments: [] },
    ],
    relationships: [{ relationship: 'RelAB000001', relationshipType: 'RelTypeMot1', from: { trackedEntity: 'TeRelA00001' }, to: { trackedEntity: 'TeRelB00001' } }],
  });

  it('atomic ALL: E1121 and E4014 (the refused tracked entity is found in the file, its type checked), 3 ignored', async () => {
    const j = await importFile(write('rel.json', payload()));
    expect(report(j).status).toBe('ERROR');
    expect(report(j).stats.ignored).toBe(3);
    expect(report(j).validationReport.errorReports.map((e) => `${e.errorCode} ${e.message}`)).toEqual([
      'E1121 Missing required trackedEntity property: `trackedEntityType`.',
      'E4014 Relationship type `from` constraint requires a tracked entity having type `TetPerson01` but `` was found.',
    ]);
  });

  it('atomic OBJECT: the valid tracked entity created, 2 ignored; a valid relationship is stored and links both', async () => {
    const j = await importFile(write('rel.json', payload()), { atomicMode: 'OBJECT' });
    expect(report(j).stats).toMatchObject({ created: 1, ignored: 2 });
    expect(codes(j)).toEqual(['E1121', 'E4014']);
    const ok = payload();
    ok.trackedEntities[0]!.trackedEntityType = 'TetPerson01';
    ok.trackedEntities[1]!.trackedEntity = 'TeRelC00001';
    ok.relationships[0]!.to.trackedEntity = 'TeRelC00001';
    const j2 = await importFile(write('rel2.json', ok), { atomicMode: 'OBJECT' });
    expect(report(j2).bundleReport?.typeReportMap.RELATIONSHIP?.stats).toMatchObject({ created: 1, ignored: 0 });
    expect(site.ferry.db.prepare(`SELECT from_type || ':' || f.uid || ' ' || to_type || ':' || t.uid FROM relationship r JOIN tracked_entity f ON f.id = r.from_id JOIN tracked_entity t ON t.id = r.to_id`).pluck().all()).toEqual([
      'TRACKED_ENTITY:TeRelA00001 TRACKED_ENTITY:TeRelC00001',
    ]);
    const wrongKind = await importFile(write('rel3.json', { relationships: [{ relationship: 'RelBad00001', relationshipType: 'RelTypeMot1', from: { enrollment: 'EnNone00001' }, to: { trackedEntity: 'TeRelA00001' } }] }));
    expect(report(wrongKind).validationReport.errorReports.map((e) => e.message)).toEqual(['Relationship type `from` constraint requires a trackedEntity but a enrollment was found.']);
  });
});

describe('old events files (≤ 2.40)', () => {
  it('answers ImportSummaries, one per event, with conflicts and lines; each event on its own (atomic OBJECT by default)', async () => {
    const old = {
      events: [
        { event: 'EvOld000001', program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', eventDate: '2024-03-01', status: 'ACTIVE', coordinate: { latitude: 8.1, longitude: -11.5 }, dataValues: [{ dataElement: 'DeWeight001', value: '7' }] },
        { event: 'EvOld000002', program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'NoSuchOu001', eventDate: '2024-03-01', status: 'ACTIVE', dataValues: [] },
      ],
    };
    const j = await importFile(write('old.json', old));
    const s = j.summary as EventImportSummaries;
    expect(s.responseType).toBe('ImportSummaries');
    expect([s.status, s.imported, s.updated, s.deleted, s.ignored, s.total]).toEqual(['ERROR', 1, 0, 0, 1, 2]);
    const bad = s.importSummaries.find((x) => x.reference === 'EvOld000002')!;
    expect(bad).toMatchObject({ status: 'ERROR', importCount: { imported: 0, ignored: 1 }, conflicts: [{ object: 'EvOld000002', value: 'Could not find OrganisationUnit: `NoSuchOu001`, linked to Event.', errorCode: 'E1011' }] });
    expect(bad.line).toBeGreaterThan(2);
    expect(s.importSummaries.find((x) => x.reference === 'EvOld000001')).toMatchObject({ status: 'SUCCESS', importCount: { imported: 1 } });
    expect(events().map((e) => [e.event, e.occurredAt, e.geometry])).toEqual([['EvOld000001', '2024-03-01', { type: 'Point', coordinates: [-11.5, 8.1] }]]);
  });

  it('reads the events XML: coordinate, data values, and a tracker program event found through its trackedEntityInstance', async () => {
    await importFile(
      write('te.json', {
        trackedEntities: [{
          trackedEntity: 'TeXml000001', trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value: 'Fatu' }],
          enrollments: [{ enrollment: 'EnXml000001', program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-01-05', attributes: [{ attribute: 'TeaAge00001', value: '30' }], events: [] }],
        }],
      }),
    );
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<events>
  <event event="EvXml000001" program="ProgEvent01" programStage="StageCase01" orgUnit="OuClinic001" eventDate="2024-03-02" status="COMPLETED" storedBy="nurse">
    <coordinate latitude="8.48" longitude="-13.23"/>
    <dataValues>
      <dataValue dataElement="DeWeight001" value="3.2"/>
      <dataValue dataElement="DeSex000001" value="FEMALE"/>
    </dataValues>
  </event>
  <event event="EvXml000002" program="ProgTrack01" programStage="StageVisit1" orgUnit="OuClinic001" trackedEntityInstance="TeXml000001" eventDate="2024-03-03" status="ACTIVE">
    <dataValues><dataValue dataElement="DeWeight001" value="58"/></dataValues>
  </event>
</events>
`;
    const j = await importFile(write('old.xml', xml));
    const s = j.summary as EventImportSummaries;
    expect([s.responseType, s.status, s.imported, s.ignored], JSON.stringify(s.importSummaries)).toEqual(['ImportSummaries', 'SUCCESS', 2, 0]);
    const byUid = new Map(events().map((e) => [e.event, e]));
    expect(byUid.get('EvXml000001')).toMatchObject({ status: 'COMPLETED', storedBy: 'nurse', geometry: { type: 'Point', coordinates: [-13.23, 8.48] } });
    expect(byUid.get('EvXml000001')!.dataValues.map((d) => `${d.dataElement}=${d.value}`)).toEqual(['DeSex000001=FEMALE', 'DeWeight001=3.2']);
    expect(byUid.get('EvXml000002')).toMatchObject({ enrollment: 'EnXml000001', trackedEntity: 'TeXml000001', program: 'ProgTrack01' });
  });

  it('reads the positional events CSV and gives the same events', async () => {
    const csv = [
      'event,status,program,programStage,enrollment,orgUnit,eventDate,dueDate,latitude,longitude,dataElement,value,storedBy,providedElsewhere,completedDate,completedBy,geometry',
      'EvCsv000001,ACTIVE,ProgEvent01,StageCase01,,OuClinic001,2024-03-01,,,,DeWeight001,9,nurse,false,,,',
      'EvCsv000001,ACTIVE,ProgEvent01,StageCase01,,OuClinic001,2024-03-01,,,,DeSex000001,FEMALE,nurse,false,,,',
    ].join('\n');
    const j = await importFile(write('old.csv', csv), { skipFirst: true });
    expect(j.resultStatus, JSON.stringify(j.summary)).toBe('SUCCESS');
    expect(events().map((e) => [e.event, e.dataValues.map((d) => `${d.dataElement}=${d.value}`)])).toEqual([['EvCsv000001', ['DeSex000001=FEMALE', 'DeWeight001=9']]]);
  });
});
