/**
 * Custom attribute values on metadata objects, through the real metadata import service: the attribute exists
 * (E5002), is assigned to the object's class (E6012), the value fits the attribute's value type (E6004–E6021), unique
 * attributes (E4009) and mandatory ones (E4011), each with DHIS2's message, the object's index and uid, and the
 * type's counts; atomic mode ALL writes nothing, NONE keeps every valid object.
 */
import { describe, expect, it } from 'vitest';
import { useMetadataService } from '../helpers/metadata-service.ts';

type Obj = Record<string, unknown>;
const svc = useMetadataService();
const NONE = { atomicMode: 'NONE' };

const de = (id: string, name: string, extra: Obj = {}): Obj => ({
  id, name, shortName: name, valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM', ...extra,
});
const av = (attribute: string, value: unknown): Obj => ({ attribute: { id: attribute }, value });
const attr = (id: string, valueType: string, extra: Obj = {}): Obj => ({ id, name: `Attr ${id}`, shortName: id, valueType, dataElementAttribute: true, ...extra });

describe('attribute exists and is assigned to the class', () => {
  it('E5002 + E6012: an unknown attribute is an invalid reference for association attributeValues, then not assigned; the object is ignored', async () => {
    const r = await svc.run({ dataElements: [de('DeGood00001', 'Good'), de('DeBad000001', 'Bad', { attributeValues: [av('AttrNone001', 'x')] })] }, NONE);
    expect(r.report.status).toBe('WARNING');
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid])).toEqual([['E5002', 1, 'DeBad000001'], ['E6012', 1, 'DeBad000001']]);
    expect(r.errors[0]).toMatchObject({
      message: 'Invalid reference AttrNone001 on object Bad [DeBad000001] (DataElement) for association `attributeValues`',
      mainKlass: 'org.hisp.dhis.dataelement.DataElement', args: ['AttrNone001', 'Bad [DeBad000001] (DataElement)', 'attributeValues'],
    });
    expect(r.errors[0]!.mainId).toBeUndefined();
    expect(r.errors[1]!.message).toBe('Attribute `AttrNone001` is not assigned to `DataElement`');
    expect(r.stats('DataElement')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
    expect(svc.stored('DeGood00001')).toBeDefined();
    expect(svc.stored('DeBad000001')).toBeUndefined();
  });

  it('E6012: an attribute assigned to org units only, on a data element (stored attribute) and on an aggregate data exchange (a type with attribute values and no flag)', async () => {
    await svc.run({ attributes: [{ id: 'AttrOuOnly1', name: 'OU only', valueType: 'TEXT', organisationUnitAttribute: true }] });
    const r = await svc.run({
      dataElements: [de('DeBad000001', 'Bad', { attributeValues: [av('AttrOuOnly1', 'x')] })],
      organisationUnits: [{ id: 'OrgUnit0001', name: 'Clinic', shortName: 'Clinic', openingDate: '2000-01-01', attributeValues: [av('AttrOuOnly1', 'y')] }],
      aggregateDataExchanges: [{ id: 'Exchange001', name: 'X', source: { requests: [] }, target: { type: 'INTERNAL' }, attributeValues: [av('AttrOuOnly1', 'z')] }],
    }, NONE);
    const e6012 = r.errors.filter((e) => e.errorCode === 'E6012');
    expect(e6012.map((e) => [e.message, e.uid, e.mainKlass])).toEqual([
      ['Attribute `AttrOuOnly1` is not assigned to `DataElement`', 'DeBad000001', 'org.hisp.dhis.attribute.Attribute'],
      ['Attribute `AttrOuOnly1` is not assigned to `AggregateDataExchange`', 'Exchange001', 'org.hisp.dhis.attribute.Attribute'],
    ]);
    expect(r.stats('DataElement')).toMatchObject({ created: 0, ignored: 1 });
    expect(r.stats('OrganisationUnit')).toMatchObject({ created: 1, ignored: 0 });
    expect(svc.stored('OrgUnit0001')).toBeDefined();
  });
});

describe('values valid for the attribute value type (DefaultAttributeValidator)', () => {
  const cases: [code: string, valueType: string, bad: string, good: string, message: string][] = [
    ['E6006', 'INTEGER', '1.5', '-12', 'AttributeValue `1.5` is an invalid integer value'],
    ['E6007', 'INTEGER_POSITIVE', '0', '7', 'AttributeValue `0` is an invalid positive integer value'],
    ['E6008', 'NUMBER', '1e5', '-0.25', 'AttributeValue `1e5` is an invalid number value'],
    ['E6009', 'INTEGER_ZERO_OR_POSITIVE', '-1', '0', 'AttributeValue `-1` is an invalid zero or positive integer value'],
    ['E6010', 'PERCENTAGE', '100.5', '100', 'AttributeValue `100.5` is an invalid percentage value'],
    ['E6011', 'UNIT_INTERVAL', '1.01', '0.5', 'AttributeValue `1.01` is an invalid Unit Interval value'],
    ['E6013', 'INTEGER_NEGATIVE', '0', '-3', 'AttributeValue `0` is an invalid negative integer value'],
    ['E6014', 'DATE', '2024-02-30', '2024-02-29', 'AttributeValue `2024-02-30` is an invalid date value'],
    ['E6015', 'DATETIME', '2024-01-01 10:00', '2024-01-01T10:00:00.000', 'AttributeValue `2024-01-01 10:00` is an invalid datetime value'],
    ['E6016', 'BOOLEAN', 'TRUE', 'false', 'AttributeValue `TRUE` is an invalid boolean value'],
    ['E6017', 'TRUE_ONLY', 'false', 'true', 'AttributeValue `false` is an invalid true value'],
    ['E6018', 'EMAIL', 'someone@', 'someone@example.org', 'AttributeValue `someone@` is an invalid email value'],
    ['E6021', 'PHONE_NUMBER', '12345', '+47 22 33 44 55', 'AttributeValue `12345` is an invalid phone number'],
  ];
  it.each(cases)('%s: %s value %j refused, %j kept', async (code, valueType, bad, good, message) => {
    const r = await svc.run({
      attributes: [attr('AttrValue01', valueType)],
      dataElements: [de('DeGood00001', 'Good', { attributeValues: [av('AttrValue01', good)] }), de('DeBad000001', 'Bad', { attributeValues: [av('AttrValue01', bad)] })],
    }, NONE);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ errorCode: code, message, index: 1, uid: 'DeBad000001', mainKlass: 'org.hisp.dhis.attribute.AttributeValues', args: [bad] });
    expect(r.errors[0]!.mainId).toBeUndefined();
    expect(r.stats('DataElement')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
    expect(r.stats('Attribute')).toMatchObject({ created: 1 });
    expect(svc.stored('DeBad000001')).toBeUndefined();
  });

  it('E6019: an ORGANISATION_UNIT value must be a stored org unit uid (not one of the same payload)', async () => {
    await svc.run({ organisationUnits: [{ id: 'OrgUnit0001', name: 'Clinic', shortName: 'Clinic', openingDate: '2000-01-01' }] });
    const r = await svc.run({
      attributes: [attr('AttrOrgUnit', 'ORGANISATION_UNIT')],
      organisationUnits: [{ id: 'OrgUnit0002', name: 'New', shortName: 'New', openingDate: '2000-01-01' }],
      dataElements: [
        de('DeGood00001', 'Good', { attributeValues: [av('AttrOrgUnit', 'OrgUnit0001')] }),
        de('DeBad000001', 'Bad', { attributeValues: [av('AttrOrgUnit', 'OrgUnit0002')] }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.message, e.uid, e.args])).toEqual([
      ['E6019', 'AttributeValue `OrgUnit0002` is an invalid `OrganisationUnit` ID', 'DeBad000001', ['OrgUnit0002', 'OrganisationUnit']],
    ]);
    expect(r.stats('DataElement')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });

  it('empty values, value types DHIS2 does not test (TEXT, URL, option sets) and those Ferry cannot offline (file resources, usernames) pass; a JSON number counts as its text', async () => {
    const r = await svc.run({
      attributes: [attr('AttrInt0001', 'INTEGER'), attr('AttrUrl0001', 'URL'), attr('AttrText001', 'TEXT'), attr('AttrFile001', 'FILE_RESOURCE'), attr('AttrUser001', 'USERNAME')],
      dataElements: [de('DeGood00001', 'Good', { attributeValues: [av('AttrInt0001', ''), av('AttrUrl0001', 'not a url'), av('AttrText001', 'x'), av('AttrFile001', 'FileRes0001'), av('AttrUser001', 'someone')] }),
        de('DeGood00002', 'Good 2', { attributeValues: [av('AttrInt0001', 12)] })],
    });
    expect(r.report.status).toBe('OK');
    expect(r.stats('DataElement')).toMatchObject({ created: 2, ignored: 0 });
  });
});

describe('GeoJSON attribute values (GeoJsonAttributesCheck)', () => {
  const run = (value: string): Promise<Awaited<ReturnType<typeof svc.run>>> =>
    svc.run({ attributes: [attr('AttrGeo0001', 'GEOJSON')], dataElements: [de('DeGood00001', 'Good', { attributeValues: [av('AttrGeo0001', '{"type":"Point","coordinates":[10.7,59.9]}')] }), de('DeBad000001', 'Bad', { attributeValues: [av('AttrGeo0001', value)] })] }, NONE);

  it('E6004: not GeoJSON (names the value), a polygon without coordinates (names the attribute)', async () => {
    const a = await run('{"type":"Point"');
    expect(a.errors).toHaveLength(1);
    expect(a.errors[0]).toMatchObject({ errorCode: 'E6004', message: 'Attribute `{"type":"Point"` has invalid GeoJSON value', mainId: '{"type":"Point"', errorProperty: 'value', uid: 'DeBad000001', index: 1 });
    expect(a.stats('DataElement')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
    const b = await run('{"type":"Polygon","coordinates":[]}');
    expect(b.errors.map((e) => [e.errorCode, e.message, e.mainId])).toEqual([['E6004', 'Attribute `AttrGeo0001` has invalid GeoJSON value', 'AttrGeo0001']]);
  });

  it('E6005: a Feature (names the attribute), an unknown type (names the value)', async () => {
    const a = await run('{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{}}');
    expect(a.errors.map((e) => [e.errorCode, e.message, e.uid])).toEqual([['E6005', 'Attribute `AttrGeo0001` has unsupported GeoJSON value', 'DeBad000001']]);
    expect(a.stats('DataElement')).toMatchObject({ created: 1, ignored: 1 });
    const b = await run('{"type":"Circle","coordinates":[1,2]}');
    expect(b.errors.map((e) => [e.errorCode, e.message])).toEqual([['E6005', 'Attribute `{"type":"Circle","coordinates":[1,2]}` has unsupported GeoJSON value']]);
  });
});

describe('unique and mandatory attributes', () => {
  it('E4009: a unique attribute value held by a stored object, or by an earlier object of the payload', async () => {
    await svc.run({ attributes: [attr('AttrUniq001', 'TEXT', { name: 'Source code', unique: true })], dataElements: [de('DeStored001', 'Stored', { attributeValues: [av('AttrUniq001', 'S1')] })] });
    const r = await svc.run({
      dataElements: [
        de('DeStored001', 'Stored', { attributeValues: [av('AttrUniq001', 'S1')] }), // its own value: no clash
        de('DeNew000001', 'New 1', { attributeValues: [av('AttrUniq001', 'S1')] }),
        de('DeNew000002', 'New 2', { attributeValues: [av('AttrUniq001', 'P1')] }),
        de('DeNew000003', 'New 3', { attributeValues: [av('AttrUniq001', 'P1')] }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.message, e.index, e.uid, e.mainId, e.mainKlass, e.errorProperty])).toEqual([
      ['E4009', 'Attribute `Source code` is unique, and value `S1` already exist', 1, 'DeNew000001', 'AttrUniq001', 'org.hisp.dhis.attribute.Attribute', 'value'],
      ['E4009', 'Attribute `Source code` is unique, and value `P1` already exist', 3, 'DeNew000003', 'AttrUniq001', 'org.hisp.dhis.attribute.Attribute', 'value'],
    ]);
    expect(r.stats('DataElement')).toEqual({ created: 1, updated: 1, ignored: 2, total: 4 });
    expect(svc.stored('DeNew000002')).toBeDefined();
  });

  it('E4009: an attribute the payload makes unique is checked within the payload only (DHIS2 loads stored values of attributes unique as stored)', async () => {
    await svc.run({ attributes: [attr('AttrLate001', 'TEXT')], dataElements: [de('DeStored001', 'Stored', { attributeValues: [av('AttrLate001', 'S1')] })] });
    const r = await svc.run({
      attributes: [attr('AttrLate001', 'TEXT', { unique: true })],
      dataElements: [de('DeNew000001', 'New 1', { attributeValues: [av('AttrLate001', 'S1')] }), de('DeNew000002', 'New 2', { attributeValues: [av('AttrLate001', 'S1')] })],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message])).toEqual([['E4009', 'DeNew000002', 'Attribute `Attr AttrLate001` is unique, and value `S1` already exist']]);
    expect(r.stats('DataElement')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });

  it('E4011: a mandatory attribute without a value (absent or empty), one report per missing attribute', async () => {
    const r = await svc.run({
      attributes: [attr('AttrMand001', 'TEXT', { mandatory: true }), attr('AttrMand002', 'TEXT', { mandatory: true }), attr('AttrOther01', 'TEXT', { mandatory: true, dataElementAttribute: false, indicatorAttribute: true })],
      dataElements: [
        de('DeGood00001', 'Good', { attributeValues: [av('AttrMand001', 'a'), av('AttrMand002', 'b')] }),
        de('DeBad000001', 'Bad', { attributeValues: [av('AttrMand001', '')] }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.message, e.index, e.uid, e.mainId, e.errorProperty])).toEqual([
      ['E4011', 'Attribute `AttrMand001` is required, but no value was found', 1, 'DeBad000001', 'AttrMand001', 'value'],
      ['E4011', 'Attribute `AttrMand002` is required, but no value was found', 1, 'DeBad000001', 'AttrMand002', 'value'],
    ]);
    expect(r.stats('DataElement')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });
});

describe('atomic mode', () => {
  const payload = (): Obj => ({
    attributes: [attr('AttrInt0001', 'INTEGER', { unique: true })],
    dataElements: [
      de('DeGood00001', 'Good', { attributeValues: [av('AttrInt0001', '1')] }),
      de('DeBad000001', 'Bad type', { attributeValues: [av('AttrInt0001', 'x')] }),
      de('DeBad000002', 'Bad unique', { attributeValues: [av('AttrInt0001', '1')] }),
    ],
  });

  it('ALL: any attribute error fails the whole import, nothing written', async () => {
    const r = await svc.run(payload(), { atomicMode: 'ALL' });
    expect(r.report.status).toBe('ERROR');
    expect(r.errors.map((e) => e.errorCode).sort()).toEqual(['E4009', 'E6006']);
    expect(r.stats('DataElement')).toEqual({ created: 0, updated: 0, ignored: 3, total: 3 });
    expect(svc.count('dataElements')).toBe(0);
    expect(svc.count('attributes')).toBe(0);
  });

  it('NONE: the valid objects are written, every invalid one reported', async () => {
    const r = await svc.run(payload(), NONE);
    expect(r.report.status).toBe('WARNING');
    expect(r.errors.map((e) => [e.errorCode, e.uid])).toEqual([['E4009', 'DeBad000002'], ['E6006', 'DeBad000001']].sort((x, y) => (x[1]! < y[1]! ? -1 : 1)));
    expect(r.stats('DataElement')).toEqual({ created: 1, updated: 0, ignored: 2, total: 3 });
    expect(svc.count('dataElements')).toBe(1);
    expect(svc.stored('DeGood00001')).toBeDefined();
  });
});
