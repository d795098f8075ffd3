/**
 * Object bundle hooks of aggregate data exchanges (AggregateDataExchangeObjectBundleHook), tracked entity attributes,
 * tracked entity types and relationship types (dhis2-core master), through the real metadata import service: one test
 * per code (message, uid, index, counts); atomic mode ALL writes nothing, NONE keeps the valid objects.
 */
import { describe, expect, it } from 'vitest';
import { useMetadataService } from '../helpers/metadata-service.ts';

type Obj = Record<string, unknown>;
const svc = useMetadataService();
const NONE = { atomicMode: 'NONE' };
const P = 'org.hisp.dhis.';

const request = (extra: Obj = {}): Obj => ({ name: 'Req', dx: ['DataElemA01'], pe: ['202001'], ou: ['OrgUnitA001'], ...extra });
const exchange = (id: string, requests: Obj[] | undefined, target: Obj): Obj => ({ id, name: `Exchange ${id}`, source: requests ? { requests } : {}, target });
const internal = { type: 'INTERNAL', request: {} };
const de = (id: string): Obj => ({ id, name: id, shortName: id, valueType: 'NUMBER', domainType: 'AGGREGATE', aggregationType: 'SUM' });
const tea = (id: string, extra: Obj = {}): Obj => ({ id, name: id, shortName: id, valueType: 'TEXT', aggregationType: 'NONE', ...extra });

describe('aggregate data exchanges', () => {
  it('E6302, E4000, E4001, E6303: source requests', async () => {
    const r = await svc.run({
      aggregateDataExchanges: [
        exchange('ExchangeA01', [], internal),
        exchange('ExchangeB01', [request({ name: '' })], internal),
        exchange('ExchangeC01', [request({ name: 'x'.repeat(51) })], internal),
        exchange('ExchangeD01', [request({ pe: [] })], internal),
        exchange('ExchangeE01', [request()], internal),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message])).toEqual([
      ['E6302', 0, 'ExchangeA01', 'Aggregate data exchange must specify at least one source request: `ExchangeA01`'],
      ['E4000', 1, 'ExchangeB01', 'Missing required property `source.name`'],
      ['E4001', 2, 'ExchangeC01', 'Maximum length of property `source.name`is 50, but given length was 51'],
      ['E6303', 3, 'ExchangeD01', 'Aggregate data exchange source request must contain at least one data item, one period and one org unit'],
    ]);
    expect(r.stats('AggregateDataExchange')).toEqual({ created: 1, updated: 0, ignored: 4, total: 5 });
    expect(r.errors.every((e) => e.mainKlass === P + 'dataexchange.aggregate.AggregateDataExchange')).toBe(true);
  });

  it('E6306: periods of more than one period type (relative periods count by their type)', async () => {
    const r = await svc.run({
      aggregateDataExchanges: [
        exchange('ExchangeA01', [request({ pe: ['LAST_12_MONTHS', '202001', '2020Q1', '2020'] })], internal),
        exchange('ExchangeB01', [request({ pe: ['THIS_QUARTER', '2020Q2'] })], internal),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message])).toEqual([
      ['E6306', 'ExchangeA01', 'Aggregate data exchange source using periods of different types: `LAST_12_MONTHS` (Monthly) vs `2020Q1`'],
    ]);
  });

  it('E6307: a data item of a type an exchange cannot read (a reporting rate, a program data element)', async () => {
    await svc.run({
      dataElements: [de('DataElemA01')],
      dataSets: [{ id: 'DataSetA001', name: 'DS', shortName: 'DS', periodType: 'Monthly' }],
      programs: [{ id: 'ProgramA001', name: 'P', shortName: 'P', programType: 'WITHOUT_REGISTRATION' }],
    });
    const r = await svc.run({
      aggregateDataExchanges: [
        exchange('ExchangeA01', [request({ dx: ['DataElemA01', 'DataSetA001.REPORTING_RATE'] })], internal),
        exchange('ExchangeB01', [request({ dx: ['ProgramA001.DataElemA01'] })], internal),
        exchange('ExchangeC01', [request({ dx: ['DataElemA01'] })], internal),
      ],
    }, NONE);
    const allowed = '[DATA_ELEMENT, DATA_ELEMENT_OPERAND, INDICATOR, PROGRAM_INDICATOR]';
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message])).toEqual([
      ['E6307', 'ExchangeA01', `Aggregate data exchange source request contains data item with unsupported type: \`REPORTING_RATE\`, allowed types are: ${allowed}`],
      ['E6307', 'ExchangeB01', `Aggregate data exchange source request contains data item with unsupported type: \`PROGRAM_DATA_ELEMENT\`, allowed types are: ${allowed}`],
    ]);
    expect(r.stats('AggregateDataExchange')).toEqual({ created: 1, updated: 0, ignored: 2, total: 3 });
  });

  it('E4000, E6304, E6305: the target (type, api, authentication of a new external target)', async () => {
    const r = await svc.run({
      aggregateDataExchanges: [
        exchange('ExchangeA01', [request()], { request: {} }),
        exchange('ExchangeB01', [request()], { type: 'EXTERNAL', request: {} }),
        exchange('ExchangeC01', [request()], { type: 'EXTERNAL', api: { username: 'admin', password: 'district' }, request: {} }),
        exchange('ExchangeD01', [request()], { type: 'EXTERNAL', api: { url: 'https://x.org', username: 'admin' }, request: {} }),
        exchange('ExchangeE01', [request()], { type: 'EXTERNAL', api: { url: 'https://x.org', accessToken: 'd2pat_x' }, request: {} }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message])).toEqual([
      ['E4000', 'ExchangeA01', 'Missing required property `target.type`'],
      ['E6304', 'ExchangeB01', 'Aggregate data exchange target API must be specified when target type is EXTERNAL'],
      ['E4000', 'ExchangeC01', 'Missing required property `target.api.url`'],
      ['E6305', 'ExchangeD01', 'Aggregate data exchange target API must specify either access token or username and password'],
    ]);
    expect(svc.stored('ExchangeE01')).toBeDefined();
  });

  it('atomic mode ALL: one bad exchange and nothing is written', async () => {
    const r = await svc.run({ dataElements: [de('DataElemA01')], aggregateDataExchanges: [exchange('ExchangeA01', [], internal)] });
    expect(r.report.status).toBe('ERROR');
    expect(svc.stored('DataElemA01')).toBeUndefined();
  });
});

describe('tracked entity attributes and types', () => {
  it('E4010, E4088, E4081, E4082: generated attributes and search operators', async () => {
    const r = await svc.run({
      trackedEntityAttributes: [
        tea('TeAttrib001', { generated: true, valueType: 'NUMBER', pattern: 'SEQUENTIAL(###)' }),
        tea('TeAttrib002', { blockedSearchOperators: ['LIKE', 'EQ', 'IN'] }),
        tea('TeAttrib003', { preferredSearchOperator: 'ILIKE' }),
        tea('TeAttrib004', { preferredSearchOperator: 'LIKE', blockedSearchOperators: ['LIKE'] }),
        tea('TeAttrib005', { preferredSearchOperator: 'LIKE', blockedSearchOperators: ['SW'] }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.index, e.uid, e.message])).toEqual([
      ['E4010', 0, 'TeAttrib001', 'Attribute `generated` is not supported for type `NUMBER`'],
      ['E4088', 1, 'TeAttrib002', 'The operator(s) `[EQ, IN]` cannot be blocked. The following operators cannot be blocked: `[EQ, GT, GE, LT, LE, IN, NULL, NNULL]`.'],
      // DHIS2 passes two arguments to a three-placeholder message: {2} stays as it is
      ['E4081', 2, 'TeAttrib003', 'The preferred search operator `ILIKE` provided for the tracked entity attribute `[EQ, GT, GE, LT, LE, LIKE, IN, SW, EW, NULL, NNULL]` is not part of the supported tracker operators `{2}`'],
      ['E4082', 3, 'TeAttrib004', 'The preferred search operator `LIKE` is blocked for the selected tracked entity attribute `TeAttrib004`'],
    ]);
    expect(r.stats('TrackedEntityAttribute')).toEqual({ created: 1, updated: 0, ignored: 4, total: 5 });
  });

  it('E4019, E4021, E4022: the pattern of a generated attribute and a field mask (DHIS2\'s TextPattern parser)', async () => {
    const r = await svc.run({
      trackedEntityAttributes: [
        tea('TeAttrib001', { generated: true, pattern: '"A" + RANDOM(###' }),
        tea('TeAttrib002', { generated: true, pattern: '"A" + ORG_UNIT_CODE()' }),
        tea('TeAttrib003', { generated: true, valueType: 'NUMBER', pattern: '"A" + SEQUENTIAL(###)' }),
        tea('TeAttrib004', { fieldMask: '"+' }),
        tea('TeAttrib005', { generated: true, pattern: '"ID-" + SEQUENTIAL(######)', fieldMask: '###-###' }),
      ],
    }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message])).toEqual([
      ['E4019', 'TeAttrib001', 'Failed to parse pattern `"A" + RANDOM(###` Could not parse expression: Unexpected \'+\' at the end of the expression'],
      ['E4021', 'TeAttrib002', 'ID-pattern is required to have 1 generated segment (RANDOM or SEQUENTIAL)'],
      ['E4010', 'TeAttrib003', 'Attribute `generated` is not supported for type `NUMBER`'],
      ['E4022', 'TeAttrib003', 'Pattern `"A" + SEQUENTIAL(###)` does not conform to the value type `NUMBER`'],
      ['E4019', 'TeAttrib004', 'Failed to parse pattern `"+` Not a valid TextPattern \'TEXT\' segment.'],
    ]);
    expect(r.stats('TrackedEntityAttribute')).toEqual({ created: 1, updated: 0, ignored: 4, total: 5 });
  });

  it('E5001: a tracked entity type attribute that is not found', async () => {
    const r = await svc.run({
      trackedEntityAttributes: [tea('TeAttrib001')],
      trackedEntityTypes: [
        { id: 'TeType00001', name: 'Person', trackedEntityTypeAttributes: [{ trackedEntityAttribute: { id: 'TeAttrib001' } }, { trackedEntityAttribute: { id: 'TeAttrib999' } }] },
        { id: 'TeType00002', name: 'Other', trackedEntityTypeAttributes: [{ trackedEntityAttribute: { id: 'TeAttrib001' } }] },
      ],
    }, NONE);
    const e = r.errors.find((x) => x.errorCode === 'E5001');
    expect(e).toMatchObject({
      uid: 'TeType00001', mainId: 'TeAttrib999', errorProperty: 'id', mainKlass: P + 'trackedentity.TrackedEntityAttribute',
      message: 'No matching object for reference. Identifier was UID, and object was [TeAttrib999] (TrackedEntityAttribute).',
    });
    expect(r.stats('TrackedEntityType')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });
});

describe('relationship types', () => {
  const rt = (id: string, from: Obj | undefined, to: Obj | undefined): Obj => ({ id, name: `Rel ${id}`, ...(from ? { fromConstraint: from } : {}), ...(to ? { toConstraint: to } : {}) });
  const tei = { relationshipEntity: 'TRACKED_ENTITY_INSTANCE', trackedEntityType: { id: 'TeType00001' } };

  it('E4000: no from / to constraint', async () => {
    const r = await svc.run({ trackedEntityTypes: [{ id: 'TeType00001', name: 'Person' }], relationshipTypes: [rt('RelType0001', undefined, undefined), rt('RelType0002', tei, tei)] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message])).toEqual([
      ['E4000', 'RelType0001', 'Missing required property `leftConstraint`'],
      ['E4000', 'RelType0001', 'Missing required property `rightConstraint`'],
    ]);
    expect(r.stats('RelationshipType')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });

  it('E4023, E4024: properties an entity does not use or needs', async () => {
    const r = await svc.run({
      relationshipTypes: [
        rt('RelType0001', { relationshipEntity: 'TRACKED_ENTITY_INSTANCE', programStage: { id: 'PrgStageA01' } }, { relationshipEntity: 'PROGRAM_INSTANCE' }),
      ],
    }, NONE);
    expect(r.errors.filter((e) => e.errorCode !== 'E5002').map((e) => [e.errorCode, e.mainKlass, e.message])).toEqual([
      ['E4023', P + 'relationship.RelationshipConstraint', 'Property `programStage` can not be set when property `relationshipEntity` is `TRACKED_ENTITY_INSTANCE`'],
      ['E4024', P + 'relationship.RelationshipConstraint', 'Property `trackedEntityType` must be set when property `relationshipEntity` is `TRACKED_ENTITY_INSTANCE`'],
      ['E4024', P + 'relationship.RelationshipConstraint', 'Property `program` must be set when property `relationshipEntity` is `PROGRAM_INSTANCE`'],
    ]);
  });

  it('E4314: tracker data view attributes not part of the stored tracked entity type', async () => {
    await svc.run({ trackedEntityAttributes: [tea('TeAttrib001'), tea('TeAttrib002')], trackedEntityTypes: [{ id: 'TeType00001', name: 'Person', trackedEntityTypeAttributes: [{ trackedEntityAttribute: { id: 'TeAttrib001' } }] }] });
    const view = (attributes: string[]): Obj => ({ ...tei, trackerDataView: { attributes, dataElements: [] } });
    const r = await svc.run({ relationshipTypes: [rt('RelType0001', view(['TeAttrib001', 'TeAttrib002']), tei), rt('RelType0002', view(['TeAttrib001']), tei)] }, NONE);
    expect(r.errors.map((e) => [e.errorCode, e.uid, e.message])).toEqual([
      ['E4314', 'RelType0001', 'Provided `TrackedEntityAttributes`: (`TeAttrib002`) are not part of the selected `TrackedEntityType/Program`'],
    ]);
    expect(r.stats('RelationshipType')).toEqual({ created: 1, updated: 0, ignored: 1, total: 2 });
  });
});
