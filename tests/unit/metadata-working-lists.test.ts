/**
 * Program stage working lists (dhis2-core master ProgramStageWorkingListObjectBundleHook), through the real metadata
 * import service: the type is imported (created, updated, exported); E4062–E4068 and E7500 each with DHIS2's message,
 * class, arguments and the type's counts; the org unit, data elements and attributes are looked up among the stored
 * objects only, as DHIS2's services do; atomic mode ALL writes nothing, NONE keeps the valid lists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ferryCli } from '../helpers/cli.ts';
import { useMetadataService } from '../helpers/metadata-service.ts';
import { tmpDir } from '../helpers/tmp.ts';

type Obj = Record<string, unknown>;
const svc = useMetadataService();
const NONE = { atomicMode: 'NONE' };
const WL = 'org.hisp.dhis.programstageworkinglist.ProgramStageWorkingList';

const de = (id: string): Obj => ({ id, name: id, shortName: id, valueType: 'NUMBER', domainType: 'TRACKER', aggregationType: 'NONE' });
const tea = (id: string): Obj => ({ id, name: id, shortName: id, valueType: 'TEXT', aggregationType: 'NONE' });
/** a program with one stage, one data element, one attribute and one org unit */
const base = (): Record<string, Obj[]> => ({
  organisationUnits: [{ id: 'OrgUnitA001', name: 'Unit A', shortName: 'Unit A', openingDate: '2000-01-01' }],
  dataElements: [de('DataElemA01')],
  trackedEntityAttributes: [tea('TeAttrib001')],
  programs: [{ id: 'ProgramA01x', name: 'Program A', shortName: 'Program A', programType: 'WITH_REGISTRATION', programStages: [{ id: 'PrgStageA01' }] }],
  programStages: [{ id: 'PrgStageA01', name: 'Stage A', program: { id: 'ProgramA01x' }, programStageDataElements: [{ dataElement: { id: 'DataElemA01' } }] }],
});
const list = (id: string, criteria: Obj = {}, extra: Obj = {}): Obj => ({
  id, name: `List ${id}`, program: { id: 'ProgramA01x' }, programStage: { id: 'PrgStageA01' }, programStageQueryCriteria: criteria, ...extra,
});

describe('program stage working lists', () => {
  it('are imported and updated like the other metadata types', async () => {
    await svc.run(base());
    const criteria = {
      eventStatus: 'ACTIVE', orgUnit: 'OrgUnitA001', ouMode: 'SELECTED', assignedUserMode: 'PROVIDED', assignedUsers: ['UserAbc0001'],
      eventOccurredAt: { type: 'ABSOLUTE', startDate: '2024-01-01' }, dataFilters: [{ dataItem: 'DataElemA01', ge: '5' }],
      attributeValueFilters: [{ attribute: 'TeAttrib001', eq: 'x', dateFilter: { type: 'RELATIVE', period: 'TODAY' } }],
    };
    const r = await svc.run({ programStageWorkingLists: [list('WorkList001', criteria)] });
    expect(r.report.status).toBe('OK');
    expect(r.stats('ProgramStageWorkingList')).toEqual({ created: 1, updated: 0, ignored: 0, total: 1 });
    expect(svc.stored('WorkList001')).toMatchObject({ name: 'List WorkList001', program: { id: 'ProgramA01x' }, programStageQueryCriteria: criteria });
    const u = await svc.run({ programStageWorkingLists: [list('WorkList001', criteria, { name: 'Renamed' })] });
    expect(u.stats('ProgramStageWorkingList')).toEqual({ created: 0, updated: 1, ignored: 0, total: 1 });
    expect(svc.stored('WorkList001')).toMatchObject({ name: 'Renamed' });
  });

  it('E4000 / E5002: a list needs a name, a program and a program stage that exist (schema and references)', async () => {
    await svc.run(base());
    const r = await svc.run({ programStageWorkingLists: [{ id: 'WorkList001', name: 'No stage', program: { id: 'ProgramA01x' } }] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.message])).toEqual([['E4000', 'Missing required property `programStage`']]);
    expect(r.stats('ProgramStageWorkingList')).toEqual({ created: 0, updated: 0, ignored: 1, total: 1 });
  });

  it('E4062: ABSOLUTE date filters without start and end date, named as DHIS2 names them, in its order', async () => {
    await svc.run(base());
    const abs = { type: 'ABSOLUTE' };
    const r = await svc.run({
      programStageWorkingLists: [
        list('WorkList001', {
          eventScheduledAt: abs, eventOccurredAt: abs, eventCreatedAt: abs, enrollmentOccurredAt: abs, enrolledAt: abs,
          dataFilters: [{ dataItem: 'DataElemA01', dateFilter: abs }],
          attributeValueFilters: [{ attribute: 'TeAttrib001', dateFilter: { type: 'ABSOLUTE', startDate: '', endDate: null } }],
        }),
        list('WorkList002', { enrolledAt: { type: 'ABSOLUTE', endDate: '2024-12-31' }, eventCreatedAt: { type: 'RELATIVE' } }),
      ],
    }, NONE);
    const msg = (item: string): string => `Start date or end date have to be specified when date period type is set to ABSOLUTE for item \`${item}\``;
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.mainKlass, e.args])).toEqual(
      ['EnrollmentCreatedDate', 'EnrollmentIncidentDate', 'EventCreatedDate', 'EventOccurredDate', 'EventScheduledDate', 'TeAttrib001', 'DataElemA01']
        .map((item) => ['E4062', 'WorkList001', msg(item), WL, [item]]),
    );
    expect(r.stats('ProgramStageWorkingList')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
    expect(svc.stored('WorkList001')).toBeUndefined();
    expect(svc.stored('WorkList002')).toBeDefined();
  });

  it('E4063: assigned user mode PROVIDED without assigned users', async () => {
    await svc.run(base());
    const r = await svc.run({
      programStageWorkingLists: [
        list('WorkList001', { assignedUserMode: 'PROVIDED' }),
        list('WorkList002', { assignedUserMode: 'PROVIDED', assignedUsers: [] }),
        list('WorkList003', { assignedUserMode: 'CURRENT' }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.args])).toEqual([
      ['E4063', 'WorkList001', 'Assigned users cannot be empty when assigned user mode is set to PROVIDED', []],
      ['E4063', 'WorkList002', 'Assigned users cannot be empty when assigned user mode is set to PROVIDED', []],
    ]);
    expect(r.stats('ProgramStageWorkingList')).toEqual({ created: 1, updated: 0, ignored: 2, total: 3 });
  });

  it('E7500 / E4064: an org unit that is not stored (one of the same payload is not stored yet); no org unit with a mode needing one', async () => {
    await svc.run(base());
    const r = await svc.run({
      organisationUnits: [{ id: 'OrgUnitNew1', name: 'New', shortName: 'New', openingDate: '2000-01-01' }],
      programStageWorkingLists: [
        list('WorkList001', { orgUnit: 'OrgUnitZZZ1', ouMode: 'SELECTED' }),
        list('WorkList002', { orgUnit: 'OrgUnitNew1' }),
        list('WorkList003', { ouMode: 'DESCENDANTS' }),
        list('WorkList004', { orgUnit: '', ouMode: 'CHILDREN' }),
        list('WorkList005', { ouMode: 'ACCESSIBLE' }),
        list('WorkList006', { orgUnit: 'OrgUnitA001', ouMode: 'SELECTED' }),
        list('WorkList007', { orgUnit: 'DataElemA01' }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.mainKlass, e.args])).toEqual([
      ['E7500', 'WorkList001', 'Organisation unit does not exist: `OrgUnitZZZ1`', WL, ['OrgUnitZZZ1']],
      ['E7500', 'WorkList002', 'Organisation unit does not exist: `OrgUnitNew1`', WL, ['OrgUnitNew1']],
      ['E4064', 'WorkList003', 'Organisation unit cannot be empty with `DESCENDANTS` org unit mode', WL, ['DESCENDANTS']],
      ['E7500', 'WorkList004', 'Organisation unit does not exist: ``', WL, ['']],
      ['E7500', 'WorkList007', 'Organisation unit does not exist: `DataElemA01`', WL, ['DataElemA01']],
    ]);
    expect(r.stats('ProgramStageWorkingList')).toEqual({ created: 2, updated: 0, ignored: 5, total: 7 });
    expect(r.stats('OrganisationUnit')).toEqual({ created: 1, updated: 0, ignored: 0, total: 1 });
  });

  it('E4065 / E4066: a data filter without data item; a data item that is no stored data element', async () => {
    await svc.run(base());
    const r = await svc.run({
      programStageWorkingLists: [
        list('WorkList001', { dataFilters: [{ eq: '1' }, { dataItem: '', eq: '1' }] }),
        list('WorkList002', { dataFilters: [{ dataItem: 'NoSuchDe001' }, { dataItem: 'TeAttrib001' }, { dataItem: 'DataElemA01' }] }),
        list('WorkList003', { dataFilters: [{ dataItem: 'DataElemA01', le: '3' }] }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.args])).toEqual([
      ['E4065', 'WorkList001', 'Data item UID is missing in filter', []],
      ['E4065', 'WorkList001', 'Data item UID is missing in filter', []],
      ['E4066', 'WorkList002', 'No data element found for item: `NoSuchDe001`', ['NoSuchDe001']],
      ['E4066', 'WorkList002', 'No data element found for item: `TeAttrib001`', ['TeAttrib001']],
    ]);
    expect(r.stats('ProgramStageWorkingList')).toEqual({ created: 1, updated: 0, ignored: 2, total: 3 });
  });

  it('E4067 / E4068: an attribute filter without attribute; an attribute that is no stored tracked entity attribute', async () => {
    await svc.run(base());
    const r = await svc.run({
      programStageWorkingLists: [
        list('WorkList001', { attributeValueFilters: [{ eq: 'a' }] }),
        list('WorkList002', { attributeValueFilters: [{ attribute: 'NoSuchTea01', dateFilter: { type: 'ABSOLUTE' } }] }),
        list('WorkList003', { attributeValueFilters: [{ attribute: 'TeAttrib001', sw: 'a' }] }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message, e.args])).toEqual([
      ['E4067', 'WorkList001', 'Attribute UID is missing in filter', []],
      ['E4068', 'WorkList002', 'No tracked entity attribute found for attribute: `NoSuchTea01`', ['NoSuchTea01']],
      ['E4062', 'WorkList002', 'Start date or end date have to be specified when date period type is set to ABSOLUTE for item `NoSuchTea01`', ['NoSuchTea01']],
    ]);
    expect(r.stats('ProgramStageWorkingList')).toEqual({ created: 1, updated: 0, ignored: 2, total: 3 });
  });

  it('atomic mode ALL: one invalid list leaves nothing of the payload written', async () => {
    await svc.run(base());
    const r = await svc.run({
      dataElements: [de('DataElemB01')],
      programStageWorkingLists: [list('WorkList001', {}), list('WorkList002', { orgUnit: 'OrgUnitZZZ1' })],
    });
    expect(r.report.status).toBe('ERROR');
    expect(r.errors.map((e) => e.errorCode)).toEqual(['E7500']);
    expect(r.stats('ProgramStageWorkingList')).toEqual({ created: 0, updated: 0, ignored: 2, total: 2 });
    expect(svc.count('programStageWorkingLists')).toBe(0);
    expect(svc.stored('DataElemB01')).toBeUndefined();
  });

  it('through the CLI: a dry run prints each code with its message, and the export writes the stored lists', async () => {
    const dir = tmpDir('ferry-wl-');
    try {
      const db = path.join(dir, 'site.sqlite');
      const f = path.join(dir, 'lists.json');
      fs.writeFileSync(f, JSON.stringify({ ...base(), programStageWorkingLists: [list('WorkList001', { ouMode: 'SELECTED' })] }));
      const dry = await ferryCli(['--db', db, 'import', f, '--dry-run', '--atomic-mode', 'NONE']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('ProgramStageWorkingList: created 0, updated 0, deleted 0, ignored 1');
      expect(dry.stdout).toContain('E4064 Organisation unit cannot be empty with `SELECTED` org unit mode');
      fs.writeFileSync(f, JSON.stringify({ ...base(), programStageWorkingLists: [list('WorkList001', { ouMode: 'ACCESSIBLE' })] }));
      expect((await ferryCli(['--db', db, 'import', f, '--json'])).code).toBe(0);
      const out = path.join(dir, 'export.json');
      const ex = await ferryCli(['--db', db, 'export', 'metadata', '--types', 'programStageWorkingLists', '--out', out, '--json']);
      expect(ex.code, ex.stderr).toBe(0);
      const exported = JSON.parse(fs.readFileSync(out, 'utf8')) as { programStageWorkingLists?: Obj[] };
      expect(exported.programStageWorkingLists?.map((w) => [w.id, w.program, w.programStage, w.programStageQueryCriteria])).toEqual([
        ['WorkList001', { id: 'ProgramA01x' }, { id: 'PrgStageA01' }, { ouMode: 'ACCESSIBLE' }],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('DXF2 XML: the criteria keep their JSON types (texts, numbers, booleans, lists) and are checked the same way', async () => {
    const dir = tmpDir('ferry-wl-xml-');
    try {
      const db = path.join(dir, 'site.sqlite');
      const basic = path.join(dir, 'base.json');
      fs.writeFileSync(basic, JSON.stringify(base()));
      expect((await ferryCli(['--db', db, 'import', basic, '--json'])).code).toBe(0);
      const xml = (orgUnit: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://dhis2.org/schema/dxf/2.0">
  <programStageWorkingLists>
    <programStageWorkingList id="WorkList001" name="List 1">
      <program id="ProgramA01x"/>
      <programStage id="PrgStageA01"/>
      <programStageQueryCriteria>
        <orgUnit>${orgUnit}</orgUnit>
        <followUp>true</followUp>
        <assignedUserMode>PROVIDED</assignedUserMode>
        <assignedUsers><assignedUser>UserAbc0001</assignedUser></assignedUsers>
        <eventOccurredAt><type>ABSOLUTE</type><startBuffer>-5</startBuffer><startDate>2024-01-01</startDate></eventOccurredAt>
        <dataFilters><dataFilter><dataItem>DataElemA01</dataItem><eq>1</eq></dataFilter></dataFilters>
      </programStageQueryCriteria>
    </programStageWorkingList>
  </programStageWorkingLists>
</metadata>`;
      const f = path.join(dir, 'lists.xml');
      fs.writeFileSync(f, xml('OrgUnitZZZ1'));
      const bad = await ferryCli(['--db', db, 'import', f, '--json']);
      expect(bad.json<{ typeReports: { objectReports: { errorReports: { errorCode: string; message: string }[] }[] }[] }>().typeReports[0]!.objectReports[0]!.errorReports.map((e) => [e.errorCode, e.message]))
        .toEqual([['E7500', 'Organisation unit does not exist: `OrgUnitZZZ1`']]);
      fs.writeFileSync(f, xml('OrgUnitA001'));
      const ok = await ferryCli(['--db', db, 'import', f, '--json']);
      expect(ok.code, ok.stdout).toBe(0);
      const out = path.join(dir, 'export.json');
      expect((await ferryCli(['--db', db, 'export', 'metadata', '--types', 'programStageWorkingLists', '--out', out, '--json'])).code).toBe(0);
      const [w] = (JSON.parse(fs.readFileSync(out, 'utf8')) as { programStageWorkingLists: Obj[] }).programStageWorkingLists;
      expect(w!.programStageQueryCriteria).toEqual({
        orgUnit: 'OrgUnitA001', followUp: true, assignedUserMode: 'PROVIDED', assignedUsers: ['UserAbc0001'],
        eventOccurredAt: { type: 'ABSOLUTE', startBuffer: -5, startDate: '2024-01-01' }, dataFilters: [{ dataItem: 'DataElemA01', eq: '1' }],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
