import { describe, expect, it } from 'vitest';
import { readEventsJson } from '../../../../src-main/formats/events/json-reader.ts';
import type { EventGeneration, TrackerRecord } from '../../../../src-shared/dhis2/tracker.ts';
import { AppError, toSerializedError } from '../../../../src-shared/errors.ts';
import { localizedMessage } from '../../../../src-shared/i18n/error-messages.ts';
import { createI18n } from '../../../../src-shared/i18n/create.ts';

async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
async function read(text: string, size = 1 << 20): Promise<{ records: TrackerRecord[]; generation: EventGeneration | undefined }> {
  const records: TrackerRecord[] = [];
  let generation: EventGeneration | undefined;
  for await (const r of readEventsJson(chunked(text, size), { fileName: 'f.json', onGeneration: (g) => (generation = g) })) records.push(r);
  return { records, generation };
}
async function failure(text: string): Promise<AppError> {
  try {
    await read(text);
  } catch (e) {
    return e as AppError;
  }
  throw new Error('no error');
}

const TRACKER = `{
  "events": [
    {
      "event": "ev1", "program": "P1", "programStage": "PS1", "orgUnit": "OU1", "status": "COMPLETED",
      "occurredAt": "2024-01-02T00:00:00.000", "scheduledAt": "2024-01-03", "attributeOptionCombo": "AOC",
      "geometry": {"type": "Point", "coordinates": [-11.5, 8.25]},
      "assignedUser": {"uid": "U1", "username": "anna"},
      "dataValues": [
        {"dataElement": "DE1", "value": "5", "providedElsewhere": false},
        {"dataElement": "DE2", "value": 1.10},
        {"dataElement": "DE3", "value": null, "createdBy": {"username": "x"}}
      ],
      "notes": [{"value": "hello", "storedAt": "2024-01-02"}]
    },
    {"event": "ev2", "programStage": "PS1", "orgUnit": "OU1", "occurredAt": "2024-02-01", "dataValues": []}
  ]
}`;

describe('tracker JSON reader', () => {
  it('reads flat events with values, geometry, notes and their lines', async () => {
    for (const size of [1 << 20, 7, 1]) {
      const { records, generation } = await read(TRACKER, size);
      expect(generation).toBe('tracker');
      expect(records.map((r) => [r.type, r.line, r.index])).toEqual([
        ['EVENT', 3, 0],
        ['EVENT', 15, 1],
      ]);
      const e = records[0]!.value as import('../../../../src-shared/dhis2/tracker.ts').TrackerEvent;
      expect(e).toMatchObject({ event: 'ev1', program: 'P1', programStage: 'PS1', orgUnit: 'OU1', status: 'COMPLETED', occurredAt: '2024-01-02T00:00:00.000', scheduledAt: '2024-01-03' });
      expect(e.geometry).toEqual({ type: 'Point', coordinates: [-11.5, 8.25] });
      expect(e.assignedUser).toEqual({ uid: 'U1', username: 'anna' });
      expect(e.dataValues).toEqual([
        { dataElement: 'DE1', value: '5', providedElsewhere: false },
        { dataElement: 'DE2', value: '1.10' },
        { dataElement: 'DE3', value: null, createdBy: { username: 'x' } },
      ]);
      expect(e.notes).toEqual([{ value: 'hello', storedAt: '2024-01-02' }]);
    }
  });

  it('reads tracked entities with nested enrollments and events, and MetadataIdentifier references', async () => {
    const text = `{"importMode": "COMMIT", "idSchemes": {"idScheme": {"idScheme": "UID"}},
 "trackedEntities": [{"trackedEntity": "TE1", "trackedEntityType": {"idScheme": "UID", "identifier": "TT1"}, "orgUnit": {"idScheme": "UID", "identifier": "OU1"},
   "attributes": [{"attribute": "A1", "value": 42}],
   "enrollments": [{"enrollment": "EN1", "program": "P1", "enrolledAt": "2024-01-01", "events": [{"event": "E1", "programStage": "PS", "occurredAt": "2024-01-05", "dataValues": [{"dataElement": "D", "value": "x"}]}]}]}],
 "enrollments": [], "events": [],
 "relationships": [{"relationship": "R1", "relationshipType": "RT", "from": {"trackedEntity": {"trackedEntity": "TE1"}}, "to": {"event": "E1"}}]}`;
    const { records, generation } = await read(text, 5);
    expect(generation).toBe('tracker');
    expect(records.map((r) => r.type)).toEqual(['TRACKED_ENTITY', 'RELATIONSHIP']);
    const te = records[0]!.value as import('../../../../src-shared/dhis2/tracker.ts').TrackedEntity;
    expect(te).toMatchObject({ trackedEntity: 'TE1', trackedEntityType: 'TT1', orgUnit: 'OU1', attributes: [{ attribute: 'A1', value: '42' }] });
    expect(te.enrollments[0]!.events[0]!.dataValues).toEqual([{ dataElement: 'D', value: 'x' }]);
    expect(records[1]!.value).toMatchObject({ relationship: 'R1', from: { trackedEntity: 'TE1' }, to: { event: 'E1' } });
    expect(records[1]!.line).toBe(6);
  });

  it('renames the deprecated events API names and reads a single event', async () => {
    const old = `{"events": [{"event": "e", "eventDate": "2019-03-01", "dueDate": "2019-03-04", "completedDate": "2019-03-05", "trackedEntityInstance": "T",
      "created": "c", "lastUpdated": "u", "coordinate": {"latitude": 8.5, "longitude": -11.25}, "attributeCategoryOptions": "a;b",
      "dataValues": [{"dataElement": "D", "value": "1", "created": "c2", "lastUpdated": "u2"}]}]}`;
    const { records, generation } = await read(old);
    expect(generation).toBe('events');
    expect(records[0]!.value).toMatchObject({
      occurredAt: '2019-03-01', scheduledAt: '2019-03-04', completedAt: '2019-03-05', trackedEntity: 'T', createdAt: 'c', updatedAt: 'u',
      geometry: { type: 'Point', coordinates: [-11.25, 8.5] }, attributeCategoryOptions: 'a,b',
      dataValues: [{ dataElement: 'D', value: '1', createdAt: 'c2', updatedAt: 'u2' }],
    });
    const single = await read(`{"program": "P", "programStage": "S", "orgUnit": "O", "eventDate": "2019-01-01", "geometry": {"type": "POINT", "coordinates": [1, 2]}, "dataValues": [{"dataElement": "D", "value": 3}]}`);
    expect(single.generation).toBe('events');
    expect(single.records).toHaveLength(1);
    expect(single.records[0]!.value).toMatchObject({ program: 'P', occurredAt: '2019-01-01', geometry: { type: 'Point', coordinates: [1, 2] }, dataValues: [{ dataElement: 'D', value: '3' }] });
  });

  it('reads the 2.39–2.40 export envelope "instances" by each object\'s fields', async () => {
    const { records } = await read(`{"page": 1, "instances": [{"event": "e", "programStage": "S", "occurredAt": "2024-01-01"}, {"trackedEntity": "t", "trackedEntityType": "TT"}]}`);
    expect(records.map((r) => r.type)).toEqual(['EVENT', 'TRACKED_ENTITY']);
  });

  it('refuses broken and hostile input naming file and line', async () => {
    expect((await failure('{"events": [{"event": "a"}, {"event": ')).message).toMatch(/^f\.json, line 1: .*end of file/);
    expect((await failure('{"events": [\n{"event": "a", "orgUnit": {"x": 1}}]}')).message).toBe('f.json, line 2: "orgUnit" of event 1 must be text, not an object');
    // a field deeper down names its place by DHIS2's field names, the rest in the language
    const deep = await failure('{"trackedEntities": [\n{"trackedEntity": "t", "enrollments": [{"events": [{"dataValues": [{"dataElement": "d", "value": {"a": 1}}]}]}]}]}');
    expect(deep.message).toBe('f.json, line 2: "value" of tracked entity 1 › enrollments[0] › events[0] › dataValues[0] must be text, not an object');
    expect(localizedMessage(createI18n('fr'), toSerializedError(deep))).toBe('f.json, ligne 2 : "value" de l’entité suivie 1 › enrollments[0] › events[0] › dataValues[0] doit être du texte, pas un objet');
    expect(localizedMessage(createI18n('pt'), toSerializedError(deep))).toBe('f.json, linha 2: "value" da entidade rastreada 1 › enrollments[0] › events[0] › dataValues[0] deve ser texto, não um objeto');
    const list = await failure('{"events": [\n{"event": "a", "notes": {"value": "x"}}]}');
    expect(localizedMessage(createI18n('pt'), toSerializedError(list))).toBe('f.json, linha 2: "notes" do evento 1 deve ser uma lista');
    expect((await failure('{"events": [\n1]}')).message).toMatch(/^f\.json, line 2, column 1: the elements of "events" must be objects/);
    expect((await failure('{"events": [{"dataValues": ' + '['.repeat(300) + ']'.repeat(300) + '}]}')).message).toMatch(/f\.json, line 1.*256 levels/);
    expect((await failure('{"events": [{"event": "' + 'x'.repeat(3000000) + '"}]}')).message).toMatch(/^f\.json, line 1: a JSON string is longer than 1 MB/);
    expect((await failure('[]')).message).toMatch(/must be a JSON object/);
    expect((await failure('{"dataValues": []}')).message).toMatch(/line 1: no "events"/);
    expect((await failure('{"pager": {}}')).message).toMatch(/not an event or tracker file/);
    expect((await failure('')).code).toBe('BAD_FILE');
  });
});

describe('MetadataIdentifier references', () => {
  it('reads {"idScheme": "UID"} without an identifier as no reference (DHIS2 test payloads write it for "no AOC")', async () => {
    const { records } = await read('{"events": [{"event": "e", "attributeOptionCombo": {"idScheme": "UID"}, "program": {"idScheme": "CODE", "identifier": "P_CODE"}}]}');
    expect(records[0]!.value).not.toHaveProperty('attributeOptionCombo');
    expect(records[0]!.value).toMatchObject({ program: 'P_CODE' });
  });
});

describe('attributeCategoryOptions as a list', () => {
  it('joins ids and MetadataIdentifiers with ","; an empty list is none', async () => {
    const { records } = await read('{"events": [{"event": "a", "attributeCategoryOptions": []}, {"event": "b", "attributeCategoryOptions": ["x", {"idScheme": "UID", "identifier": "y"}]}]}');
    expect(records[0]!.value).not.toHaveProperty('attributeCategoryOptions');
    expect(records[1]!.value).toMatchObject({ attributeCategoryOptions: 'x,y' });
  });
});

describe('the old tracked entity instance API', () => {
  it('reads {"trackedEntityInstances": […]} with enrollments in the old names', async () => {
    const { records, generation } = await read(`{"trackedEntityInstances": [{"trackedEntityInstance": "T1", "trackedEntityType": "TT", "orgUnit": "OU", "created": "c", "lastUpdated": "u",
      "attributes": [{"attribute": "A", "value": "v"}],
      "enrollments": [{"enrollment": "E1", "program": "P", "enrollmentDate": "2020-01-01", "incidentDate": "2019-12-31", "completedDate": "2020-02-01",
        "events": [{"event": "V1", "eventDate": "2020-01-05", "dueDate": "2020-01-04", "dataValues": []}]}]}]}`);
    expect(generation).toBe('events');
    expect(records[0]!.type).toBe('TRACKED_ENTITY');
    expect(records[0]!.value).toMatchObject({
      trackedEntity: 'T1', trackedEntityType: 'TT', createdAt: 'c', updatedAt: 'u', attributes: [{ attribute: 'A', value: 'v' }],
      enrollments: [{ enrollment: 'E1', enrolledAt: '2020-01-01', occurredAt: '2019-12-31', completedAt: '2020-02-01', events: [{ event: 'V1', occurredAt: '2020-01-05', scheduledAt: '2020-01-04' }] }],
    });
  });
});

describe('generation', () => {
  it('is told once, before the first record, even when the first object names neither generation', async () => {
    const told: string[] = [];
    const seen: number[] = [];
    for await (const r of readEventsJson(chunked('{"events": [{"event": "a"}, {"event": "b", "eventDate": "2019-01-01"}]}', 4), { fileName: 'f', onGeneration: (g) => told.push(`${g}@${seen.length}`) })) seen.push(r.index);
    expect(told).toEqual(['tracker@0']);
  });
});

describe('tracker JSON reader, large chunks', () => {
  it('reads a file given in 1 MB chunks (cut into 64 KB pieces) whole: multi-byte characters and events across the cuts', async () => {
    const events = Array.from({ length: 3000 }, (_, i) => ({
      event: `Ev${String(i).padStart(9, '0')}`, program: 'PrA', programStage: 'PsA', orgUnit: 'OuA', occurredAt: '2024-01-01T00:00:00.000',
      dataValues: [{ dataElement: 'DeA', value: `€ ${'é'.repeat(i % 7)} "${i}"` }],
    }));
    const text = JSON.stringify({ events });
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * 65536);
    const { records } = await read(text, 1 << 20);
    const got = records.map((r) => r.value as { event: string; dataValues: { value: string }[] });
    expect(got.map((e) => `${e.event} ${e.dataValues[0]!.value}`)).toEqual(events.map((e) => `${e.event} ${e.dataValues[0]!.value}`));
  });
});
