/**
 * The tracker rules of the events import end to end (openFerry → import:start → job): program rules stored by the
 * metadata import (import:start kind metadata) and run on events and enrollments (E1300 errors and warnings, E1301, E1306, E1307, E1308 with the
 * assigned value written, a rule that does not parse as a warning, ON_COMPLETE stages, skipRuleEngine, previous-event
 * variables from the stored events), atomic ALL writing nothing; expiry (E1043 and skipExpiryCheck, E1047), E1051,
 * E1316, E1120, E1313, E1077/E1085/E1076 on attributes, E4018 and payload duplicates; objectReports of the written objects.
 */
import { describe, expect, it } from 'vitest';
import { EventsRepo } from '../../src-main/db/repos/events.ts';
import { MetadataRepo } from '../../src-main/db/repos/metadata.ts';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { TrackerImportReport } from '../../src-shared/dhis2/tracker.ts';
import { compactSummary } from '../../src-main/db/repos/jobs.ts';
import { EVENT_METADATA } from '../helpers/events-import-metadata.ts';
import { eventsSite } from '../helpers/events-site.ts';

const site = eventsSite('ferry-events-rules-');
const { write, importFile } = site;

const report = (j: JobRecord): TrackerImportReport => j.summary as TrackerImportReport;
const errors = (j: JobRecord): string[] => report(j).validationReport.errorReports.map((e) => `${e.uid} ${e.errorCode} ${e.message}`);
const warnings = (j: JobRecord): string[] => report(j).validationReport.warningReports.map((e) => `${e.uid} ${e.errorCode} ${e.message}`);
const events = () => [...new EventsRepo(site.ferry.db).events({ includeDeleted: true })].flat();
const valuesOf = (uid: string): string[] => events().find((e) => e.event === uid)?.dataValues.map((d) => `${d.dataElement}=${d.value}`) ?? [];

const RULES = {
  programRuleVariables: [
    { id: 'PrvWeight01', name: 'weight', program: { id: 'ProgEvent01' }, programRuleVariableSourceType: 'DATAELEMENT_CURRENT_EVENT', dataElement: { id: 'DeWeight001' } },
    { id: 'PrvSex00001', name: 'sex', program: { id: 'ProgEvent01' }, programRuleVariableSourceType: 'DATAELEMENT_CURRENT_EVENT', dataElement: { id: 'DeSex000001' } },
    { id: 'PrvVisitW01', name: 'visit weight', program: { id: 'ProgTrack01' }, programRuleVariableSourceType: 'DATAELEMENT_CURRENT_EVENT', dataElement: { id: 'DeWeight001' } },
    { id: 'PrvPrevW001', name: 'previous weight', program: { id: 'ProgTrack01' }, programRuleVariableSourceType: 'DATAELEMENT_PREVIOUS_EVENT', dataElement: { id: 'DeWeight001' } },
    { id: 'PrvAge00001', name: 'age', program: { id: 'ProgTrack01' }, programRuleVariableSourceType: 'TEI_ATTRIBUTE', trackedEntityAttribute: { id: 'TeaAge00001' } },
  ],
  programRules: [
    { id: 'RuleHeavy01', name: 'Too heavy', program: { id: 'ProgEvent01' }, condition: '#{weight} > 200', priority: 1, programRuleActions: [{ id: 'ActHeavy001' }] },
    { id: 'RuleLight01', name: 'Light', program: { id: 'ProgEvent01' }, condition: '#{weight} < 2', programRuleActions: [{ id: 'ActLight001' }] },
    { id: 'RuleSexReq1', name: 'Sex required', program: { id: 'ProgEvent01' }, condition: '#{weight} > 100', programRuleActions: [{ id: 'ActSexReq01' }] },
    { id: 'RuleAssign1', name: 'Assign sex', program: { id: 'ProgEvent01' }, condition: '#{weight} == 111', programRuleActions: [{ id: 'ActAssign01' }] },
    { id: 'RuleFemale1', name: 'Female', program: { id: 'ProgEvent01' }, condition: "#{sex} == 'Female' && #{weight} == 77", programRuleActions: [{ id: 'ActFemale01' }] },
    { id: 'RuleLoss001', name: 'Weight loss', program: { id: 'ProgTrack01' }, programStage: { id: 'StageVisit1' }, condition: "d2:hasValue(#{previous weight}) && #{visit weight} < #{previous weight} - 5", programRuleActions: [{ id: 'ActLoss0001' }] },
    { id: 'RuleAdult01', name: 'Adults have an id', program: { id: 'ProgTrack01' }, condition: 'A{age} >= 18', programRuleActions: [{ id: 'ActAdult001' }] },
  ],
  programRuleActions: [
    { id: 'ActHeavy001', programRule: { id: 'RuleHeavy01' }, programRuleActionType: 'SHOWERROR', content: 'Weight too high:', data: '#{weight}', dataElement: { id: 'DeWeight001' } },
    { id: 'ActLight001', programRule: { id: 'RuleLight01' }, programRuleActionType: 'SHOWWARNING', content: 'Weight low' },
    { id: 'ActSexReq01', programRule: { id: 'RuleSexReq1' }, programRuleActionType: 'SETMANDATORYFIELD', dataElement: { id: 'DeSex000001' } },
    { id: 'ActAssign01', programRule: { id: 'RuleAssign1' }, programRuleActionType: 'ASSIGN', data: "'FEMALE'", dataElement: { id: 'DeSex000001' } },
    { id: 'ActFemale01', programRule: { id: 'RuleFemale1' }, programRuleActionType: 'WARNINGONCOMPLETE', content: 'Option names in rules' },
    { id: 'ActLoss0001', programRule: { id: 'RuleLoss001' }, programRuleActionType: 'SHOWWARNING', content: 'Lost weight since', data: '#{previous weight}' },
    { id: 'ActAdult001', programRule: { id: 'RuleAdult01' }, programRuleActionType: 'SETMANDATORYFIELD', trackedEntityAttribute: { id: 'TeaNatId001' } },
  ],
};

/** Stores the rules through the metadata import (import:start kind metadata), as a site would. */
async function loadRules(extra: Partial<typeof RULES> = {}): Promise<void> {
  const j = await importFile(write('rules.json', { ...RULES, ...extra }), {}, 'metadata');
  expect(j.error, j.error?.message).toBeNull();
  expect(j.resultStatus, JSON.stringify(j.summary).slice(0, 3000)).not.toBe('ERROR');
  expect(site.ferry.db.prepare(`SELECT count(*) FROM metadata_object WHERE type = 'programRules'`).pluck().get()).toBe((extra.programRules ?? RULES.programRules).length);
}

const ev = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  event: 'EvRule00001', program: 'ProgEvent01', programStage: 'StageCase01', orgUnit: 'OuClinic001', occurredAt: '2024-03-01T00:00:00.000', status: 'COMPLETED',
  dataValues: [{ dataElement: 'DeWeight001', value: '12.5' }, { dataElement: 'DeSex000001', value: 'MALE' }], ...over,
});
const weights = (w: string, sex?: string) => [{ dataElement: 'DeWeight001', value: w }, ...(sex ? [{ dataElement: 'DeSex000001', value: sex }] : [])];

describe('program rules on events', () => {
  it("SHOWERROR / SHOWWARNING / SETMANDATORYFIELD / ASSIGN give DHIS2's codes and messages; atomic ALL writes nothing", async () => {
    await loadRules();
    const file = write('events.json', {
      events: [
        ev(),
        ev({ event: 'EvHeavy0001', dataValues: weights('250', 'MALE') }),
        ev({ event: 'EvLight0001', dataValues: weights('1.5', 'FEMALE') }),
        ev({ event: 'EvNoSex0001', dataValues: weights('150') }),
        ev({ event: 'EvAssign001', dataValues: weights('111') }),
        ev({ event: 'EvAssignX01', dataValues: weights('111', 'MALE') }),
        ev({ event: 'EvFemale001', dataValues: weights('77', 'FEMALE') }),
      ],
    });
    const all = await importFile(file);
    expect(all.resultStatus).toBe('ERROR');
    expect(errors(all)).toEqual([
      'EvHeavy0001 E1300 Generated by program rule (`RuleHeavy01`) - `Weight too high: 250 (DeWeight001)`',
      'EvNoSex0001 E1301 Generated by program rule (`RuleSexReq1`) - Mandatory DataElement `DeSex000001` is not present',
      'EvAssign001 E1301 Generated by program rule (`RuleSexReq1`) - Mandatory DataElement `DeSex000001` is not present',
      'EvAssignX01 E1307 Generated by program rule (`RuleAssign1`) - Unable to assign value to data element `DeSex000001`. The provided value must be empty or match the calculated value `FEMALE`',
    ]);
    expect(warnings(all)).toEqual([
      'EvLight0001 E1300 Generated by program rule (`RuleLight01`) - `Weight low`',
      'EvAssign001 E1308 Generated by program rule (`RuleAssign1`) - DataElement `DeSex000001` is being replaced in event `EvAssign001`',
      'EvFemale001 E1300 Generated by program rule (`RuleFemale1`) - `Option names in rules`',
    ]);
    expect(report(all).stats).toEqual({ created: 0, updated: 0, deleted: 0, ignored: 7, total: 7 });
    expect(events()).toEqual([]);

    const obj = await importFile(file, { atomicMode: 'OBJECT' });
    expect(report(obj).bundleReport?.typeReportMap.EVENT?.stats).toEqual({ created: 3, updated: 0, deleted: 0, ignored: 4, total: 7 });
    expect(events().map((e) => e.event).sort()).toEqual(['EvFemale001', 'EvLight0001', 'EvRule00001']);
    expect(report(obj).bundleReport?.typeReportMap.EVENT?.objectReports).toEqual([
      { trackerType: 'EVENT', uid: 'EvRule00001', errorReports: [] },
      { trackerType: 'EVENT', uid: 'EvLight0001', errorReports: [] },
      { trackerType: 'EVENT', uid: 'EvFemale001', errorReports: [] },
    ]);
  });

  it('ASSIGN writes the value; a value stored before satisfies SETMANDATORYFIELD on update; an ON_COMPLETE stage runs no rule while ACTIVE', async () => {
    await loadRules({ programRules: RULES.programRules.filter((r) => r.id !== 'RuleSexReq1'), programRuleActions: RULES.programRuleActions.filter((a) => a.id !== 'ActSexReq01') });
    const j = await importFile(write('assign.json', { events: [ev({ event: 'EvAssign001', dataValues: weights('111') })] }));
    expect(j.resultStatus).toBe('OK');
    expect(warnings(j)).toEqual(['EvAssign001 E1308 Generated by program rule (`RuleAssign1`) - DataElement `DeSex000001` is being replaced in event `EvAssign001`']);
    expect(valuesOf('EvAssign001')).toEqual(['DeSex000001=FEMALE', 'DeWeight001=111']);
    // ACTIVE on an ON_COMPLETE stage: DHIS2 runs no rule action (needsToValidateDataValues)
    const active = await importFile(write('active.json', { events: [ev({ event: 'EvActive001', status: 'ACTIVE', dataValues: weights('250', 'MALE') })] }));
    expect(active.resultStatus).toBe('OK');
    expect(warnings(active)).toEqual([]);
  });

  it('skipRuleEngine runs no rule; a rule whose condition does not parse is skipped with a warning naming it', async () => {
    await loadRules();
    const heavy = write('heavy.json', { events: [ev({ event: 'EvHeavy0001', dataValues: weights('250', 'MALE') })] });
    const skipped = await importFile(heavy, { skipRuleEngine: true });
    expect(skipped.resultStatus).toBe('OK');
    expect(valuesOf('EvHeavy0001')).toEqual(['DeSex000001=MALE', 'DeWeight001=250']);
    // a rule as an older server may have stored it: its condition does not parse
    const repo = new MetadataRepo(site.ferry.db);
    site.ferry.db.transaction(() => {
      repo.upsert('programRules', { id: 'RuleBroken1', name: 'Broken', program: { id: 'ProgEvent01' }, condition: '#{weight} >> 3', programRuleActions: [{ id: 'ActBroken01' }] });
      repo.upsert('programRuleActions', { id: 'ActBroken01', programRule: { id: 'RuleBroken1' }, programRuleActionType: 'SHOWERROR', content: 'never' });
    })();
    const j = await importFile(write('ok.json', { events: [ev({ event: 'EvOk0000001' })] }));
    expect(j.resultStatus).toBe('OK');
    expect(errors(j)).toEqual([]);
    expect(warnings(j)).toEqual([
      "EvOk0000001 E1300 Generated by program rule (`RuleBroken1`) - `Rule Broken with id RuleBroken1 executed for EVENT(EvOk0000001) with condition (#{weight} >> 3) raised an error: unexpected '>' at 11`",
    ]);
    expect(valuesOf('EvOk0000001')).toEqual(['DeSex000001=MALE', 'DeWeight001=12.5']);
  });

  it('tracker program: DATAELEMENT_PREVIOUS_EVENT from the stored events of the enrollment; enrollment rules (E1306)', async () => {
    await loadRules();
    const person = (over: Record<string, unknown> = {}) => ({
      trackedEntity: 'TePerson001', trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value: 'Awa' }],
      enrollments: [
        {
          enrollment: 'EnAnc000001', program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-02-01', status: 'ACTIVE', attributes: [{ attribute: 'TeaAge00001', value: '23' }],
          events: [{ event: 'EvVisit0001', programStage: 'StageVisit1', orgUnit: 'OuClinic001', occurredAt: '2024-02-02', status: 'COMPLETED', dataValues: [{ dataElement: 'DeWeight001', value: '70' }] }],
        },
      ],
      ...over,
    });
    const adult = await importFile(write('adult.json', { trackedEntities: [person()] }));
    expect(errors(adult)).toEqual([
      'EnAnc000001 E1306 Generated by program rule (`RuleAdult01`) - Mandatory Attribute `TeaNatId001` is not present',
      'EvVisit0001 E5000 "event" `EvVisit0001` cannot be persisted because "enrollment" `EnAnc000001` referenced by it cannot be persisted.',
    ]);
    expect(report(adult).stats.created).toBe(0);
    const withId = person({ attributes: [{ attribute: 'TeaName0001', value: 'Awa' }, { attribute: 'TeaNatId001', value: 'N-1' }] });
    const ok = await importFile(write('ok.json', { trackedEntities: [withId] }));
    expect(ok.resultStatus).toBe('OK');
    expect(warnings(ok)).toEqual([]);
    const visit = (uid: string, date: string, w: string) => ({
      event: uid, program: 'ProgTrack01', programStage: 'StageVisit1', enrollment: 'EnAnc000001', orgUnit: 'OuClinic001', occurredAt: date, status: 'COMPLETED',
      dataValues: [{ dataElement: 'DeWeight001', value: w }],
    });
    const later = await importFile(write('later.json', { events: [visit('EvVisit0002', '2024-03-02', '62'), visit('EvVisit0003', '2024-04-02', '60')] }));
    expect(later.resultStatus).toBe('OK');
    // the second event's previous one is the first of the same file, written before it
    expect(warnings(later)).toEqual(['EvVisit0002 E1300 Generated by program rule (`RuleLoss001`) - `Lost weight since 70`']);
  });
});

describe('expiry, dates and status', () => {
  const setProgram = (over: Record<string, unknown>): void => {
    const p = EVENT_METADATA.programs!.find((x) => x.id === 'ProgEvent01')!;
    new MetadataRepo(site.ferry.db).upsert('programs', { ...p, ...over });
  };

  it('E1043: a completed event past completeEventsExpiryDays, unless skipExpiryCheck (a user with F_EDIT_EXPIRED); E1051', async () => {
    setProgram({ completeEventsExpiryDays: 5 });
    const file = write('completed.json', {
      events: [ev({ completedAt: '2024-03-02T00:00:00.000' }), ev({ event: 'EvActive001', status: 'ACTIVE', completedAt: '2024-03-02T00:00:00.000' })],
    });
    const j = await importFile(file);
    expect(errors(j)).toEqual([
      'EvRule00001 E1043 Event: `EvRule00001`, completeness date has expired. Not possible to make changes to this event.',
      'EvActive001 E1051 Event: `EvActive001`, completedAt must be null when status is `ACTIVE`',
    ]);
    const skipped = await importFile(file, { skipExpiryCheck: true, atomicMode: 'OBJECT' });
    expect(errors(skipped)).toEqual(['EvActive001 E1051 Event: `EvActive001`, completedAt must be null when status is `ACTIVE`']);
    expect(events().map((e) => e.event)).toEqual(['EvRule00001']);
  });

  it('E1047: an event in a period that expired expiryDays after its end, for every user; a recent one passes', async () => {
    setProgram({ expiryPeriodType: 'Monthly', expiryDays: 10 });
    const today = new Date().toISOString().slice(0, 10);
    const file = write('expiry.json', { events: [ev({ status: 'ACTIVE' }), ev({ event: 'EvToday0001', status: 'ACTIVE', occurredAt: today })] });
    const j = await importFile(file, { skipExpiryCheck: true, atomicMode: 'OBJECT' });
    expect(errors(j)).toEqual(['EvRule00001 E1047 Event: `EvRule00001`, date belongs to an expired period. It is not possible to create such event.']);
    expect(events().map((e) => e.event)).toEqual(['EvToday0001']);
  });

  it('E1316: an event with values cannot go back to a status without (update)', async () => {
    await importFile(write('a.json', { events: [ev({ status: 'ACTIVE' })] }));
    const j = await importFile(write('b.json', { events: [ev({ status: 'SKIPPED', dataValues: [] })] }));
    expect(errors(j)).toEqual(['EvRule00001 E1316 No event can transition from status `ACTIVE` to status `SKIPPED`.']);
  });
});

describe('attribute values', () => {
  const te = (uid: string, value: string | null) => ({
    trackedEntity: uid, trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value }], enrollments: [],
  });
  it('E1077 a value over 1,200 characters, E1085 before E1007 for a value not of the type, E1076 a mandatory one removed', async () => {
    const long = 'x'.repeat(1201);
    const j = await importFile(write('te.json', {
      trackedEntities: [
        te('TeLong00001', long),
        te('TeNull00001', null),
        { ...te('TeAge000001', 'Awa'), enrollments: [{ enrollment: 'EnAge000001', program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-01-01', attributes: [{ attribute: 'TeaAge00001', value: 'old' }] }] },
      ],
    }), { atomicMode: 'OBJECT' });
    expect(errors(j)).toEqual([
      `TeLong00001 E1077 Attribute: \`${long}\`, text value exceed the maximum allowed length: \`${long}\`.`,
      'TeNull00001 E1076 `TrackedEntityAttribute` `TeaName0001` is mandatory and cannot be null',
      'EnAge000001 E1085 Attribute: `TeaAge00001`, value does not match value type: `value_not_zero_or_positive_integer`.',
    ]);
  });
});

describe('data relations', () => {
  it('E1313: an event of an enrollment that points to no tracked entity (a damaged database)', async () => {
    const person = {
      trackedEntity: 'TePerson001', trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value: 'Awa' }],
      enrollments: [{ enrollment: 'EnAnc000001', program: 'ProgTrack01', orgUnit: 'OuClinic001', enrolledAt: '2024-02-01', attributes: [{ attribute: 'TeaAge00001', value: '15' }] }],
    };
    expect((await importFile(write('te.json', { trackedEntities: [person] }))).resultStatus).toBe('OK');
    site.ferry.db.prepare(`UPDATE enrollment SET te = NULL WHERE uid = 'EnAnc000001'`).run();
    const j = await importFile(write('ev.json', {
      events: [{ event: 'EvVisit0001', program: 'ProgTrack01', programStage: 'StageVisit1', enrollment: 'EnAnc000001', orgUnit: 'OuClinic001', occurredAt: '2024-02-02', dataValues: [] }],
    }));
    expect(errors(j)).toEqual(['EvVisit0001 E1313 Event EvVisit0001 of an enrollment does not point to an existing tracked entity. The data in your system might be corrupted']);
  });
});

describe('assigned user', () => {
  it('E1120: a warning for a user assigned on a stage that does not allow it; the event is still written', async () => {
    const j = await importFile(write('au.json', { events: [ev({ status: 'ACTIVE', assignedUser: { username: 'nurse.a' } })] }));
    expect(j.resultStatus).toBe('OK');
    expect(warnings(j)).toEqual(['EvRule00001 E1120 ProgramStage `StageCase01` does not allow user assignment']);
    expect(events().map((e) => e.event)).toEqual(['EvRule00001']);
  });
});

describe('relationships and object reports', () => {
  const people = {
    trackedEntities: ['TeMum000001', 'TeKid000001'].map((uid) => ({
      trackedEntity: uid, trackedEntityType: 'TetPerson01', orgUnit: 'OuClinic001', attributes: [{ attribute: 'TeaName0001', value: uid }], enrollments: [],
    })),
  };
  const rel = (uid: string, from = 'TeMum000001', to = 'TeKid000001') => ({ relationship: uid, relationshipType: 'RelTypeMot1', from: { trackedEntity: from }, to: { trackedEntity: to } });

  it('E4018 for a relationship that links what a stored one links; a duplicate in the same file is left out as DHIS2 drops it', async () => {
    const first = await importFile(write('a.json', { ...people, relationships: [rel('RelMumKid01'), rel('RelMumKid02')] }));
    expect(first.resultStatus).toBe('OK');
    expect(report(first).bundleReport?.typeReportMap.RELATIONSHIP?.stats).toEqual({ created: 1, updated: 0, deleted: 0, ignored: 0, total: 1 });
    expect(report(first).bundleReport?.typeReportMap.TRACKED_ENTITY?.objectReports.map((o) => o.uid)).toEqual(['TeMum000001', 'TeKid000001']);
    expect(report(first).bundleReport?.typeReportMap.RELATIONSHIP?.objectReports).toEqual([{ trackerType: 'RELATIONSHIP', uid: 'RelMumKid01', errorReports: [] }]);
    const again = await importFile(write('b.json', { relationships: [rel('RelMumKid03'), rel('RelKidMum01', 'TeKid000001', 'TeMum000001')] }));
    expect(errors(again)).toEqual([
      'RelMumKid03 E4018 Relationship: `RelMumKid03`, linking TRACKED_ENTITY: `TeMum000001` to TRACKED_ENTITY: `TeKid000001` already exists.',
    ]);
    // the other way round is another relationship when the type is not bidirectional
    expect(site.ferry.db.prepare('SELECT count(*) FROM relationship').pluck().get()).toBe(1);
    const obj = await importFile(write('b.json', { relationships: [rel('RelMumKid03'), rel('RelKidMum01', 'TeKid000001', 'TeMum000001')] }), { atomicMode: 'OBJECT' });
    expect(report(obj).bundleReport?.typeReportMap.RELATIONSHIP?.stats).toMatchObject({ created: 1, ignored: 1 });
  });

  it('objectReports: the first 1,000 written objects of a job listed, the rest counted; emptied when the job history compacts the report', async () => {
    const list = Array.from({ length: 1005 }, (_, i) => ({ ...ev({ event: `EvMany${String(i).padStart(5, '0')}`, status: 'ACTIVE' }) }));
    const j = await importFile(write('many.json', { events: list }));
    const t = report(j).bundleReport!.typeReportMap.EVENT!;
    expect(t.objectReports).toHaveLength(1000);
    expect(t.objectReports[999]).toEqual({ trackerType: 'EVENT', uid: 'EvMany00999', errorReports: [] });
    expect(t.moreObjectReports).toBe(5);
    const compacted = compactSummary(report(j)) as TrackerImportReport;
    expect(compacted.bundleReport!.typeReportMap.EVENT).toEqual({ trackerType: 'EVENT', stats: t.stats, objectReports: [], moreObjectReports: 1005 });
    expect(compacted.stats).toEqual(report(j).stats);
  });
});
