/**
 * Conversion at the format level: tracker JSON read → written in each of the five event formats → read back gives the
 * same events and values (the fields each format carries), and the generation the writer declares.
 */
import { describe, expect, it } from 'vitest';
import { eventsReaderFor, eventsWriterFor, formatNames } from '../../../../src-main/formats/registry.ts';
import type { EventGeneration, TrackerEvent, TrackerRecord } from '../../../../src-shared/dhis2/tracker.ts';

async function* once(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text, 'utf8');
}
async function read(format: string, text: string): Promise<{ records: TrackerRecord[]; generation?: EventGeneration }> {
  const records: TrackerRecord[] = [];
  let generation: EventGeneration | undefined;
  for await (const r of eventsReaderFor(format)(once(text), { fileName: 'x', onGeneration: (g) => (generation = g) })) records.push(r);
  return { records, generation };
}
function write(format: string, records: TrackerRecord[]): string {
  const w = eventsWriterFor(format).create({ what: 'EVENT' });
  return w.start() + records.map((r) => w.write(r)).join('') + w.end();
}

const SOURCE = JSON.stringify({
  events: [
    {
      event: 'EVa00000001', status: 'COMPLETED', program: 'PRG00000001', programStage: 'STG00000001', enrollment: 'ENR00000001', orgUnit: 'OU000000001',
      occurredAt: '2024-03-01T00:00:00.000', scheduledAt: '2024-03-02T00:00:00.000', completedAt: '2024-03-03T00:00:00.000', completedBy: 'anna',
      attributeOptionCombo: 'AOC00000001', attributeCategoryOptions: 'CO000000001,CO000000002', geometry: { type: 'Point', coordinates: [-11.25, 8.5] },
      dataValues: [
        { dataElement: 'DE000000001', value: '12' },
        { dataElement: 'DE000000002', value: 'comma, "quote"\nline' },
        { dataElement: 'DE000000003', value: 'true', providedElsewhere: true },
      ],
    },
    { event: 'EVa00000002', status: 'ACTIVE', program: 'PRG00000001', programStage: 'STG00000001', orgUnit: 'OU000000002', occurredAt: '2024-03-05T00:00:00.000', dataValues: [] },
    {
      event: 'EVa00000003', status: 'ACTIVE', program: 'PRG00000001', programStage: 'STG00000001', orgUnit: 'OU000000002', occurredAt: '2024-03-06T00:00:00.000',
      geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, dataValues: [{ dataElement: 'DE000000001', value: '1.10' }],
    },
  ],
});

/** What every format carries of an event. */
function core(e: TrackerEvent): Record<string, unknown> {
  return {
    event: e.event, status: e.status, program: e.program, programStage: e.programStage, orgUnit: e.orgUnit, occurredAt: e.occurredAt,
    scheduledAt: e.scheduledAt, completedAt: e.completedAt, geometry: e.geometry,
    values: e.dataValues.map((d) => [d.dataElement, d.value, !!d.providedElsewhere]),
  };
}

describe('event conversion between formats', () => {
  it('offers the five formats for writing', () => {
    expect(formatNames('events', 'write')).toEqual(['json', 'xml', 'csv', 'events-json', 'events-csv']);
  });
  for (const format of ['json', 'csv', 'xml', 'events-json', 'events-csv']) {
    it(`tracker JSON → ${format} → read back: the same events and values`, async () => {
      const src = await read('json', SOURCE);
      const text = write(format, src.records);
      const back = await read(format, text);
      expect(back.generation).toBe(eventsWriterFor(format).generation);
      expect(back.records.map((r) => core(r.value as TrackerEvent))).toEqual(src.records.map((r) => core(r.value as TrackerEvent)));
      // enrollment and attribute option combo travel in every format but the 17 old CSV columns (which have no AOC)
      const first = back.records[0]!.value as TrackerEvent;
      expect(first.enrollment).toBe('ENR00000001');
      if (format !== 'events-csv') expect(first.attributeOptionCombo).toBe('AOC00000001');
      if (format !== 'events-csv') expect(first.attributeCategoryOptions).toBe('CO000000001,CO000000002');
    });
  }
  it('writes the old names and separators in the 2.40 formats', async () => {
    const src = await read('json', SOURCE);
    const oldJson = JSON.parse(write('events-json', src.records)) as { events: Record<string, unknown>[] };
    expect(oldJson.events[0]).toMatchObject({ eventDate: '2024-03-01T00:00:00.000', dueDate: '2024-03-02T00:00:00.000', completedDate: '2024-03-03T00:00:00.000', attributeCategoryOptions: 'CO000000001;CO000000002', coordinate: { latitude: 8.5, longitude: -11.25 } });
    expect(oldJson.events[0]).not.toHaveProperty('occurredAt');
    const csv = write('events-csv', src.records).split('\n');
    expect(csv[0]).toBe('event,status,program,programStage,enrollment,orgUnit,eventDate,dueDate,latitude,longitude,dataElement,value,storedBy,providedElsewhere,completedDate,completedBy,geometry');
    expect(csv[1]).toBe('EVa00000001,COMPLETED,PRG00000001,STG00000001,ENR00000001,OU000000001,2024-03-01T00:00:00.000,2024-03-02T00:00:00.000,8.5,-11.25,DE000000001,12,,false,2024-03-03T00:00:00.000,anna,"POINT (-11.25 8.5)"');
    const xml = write('xml', src.records);
    expect(xml).toContain('<event event="EVa00000001" status="COMPLETED" program="PRG00000001" programStage="STG00000001" enrollment="ENR00000001" orgUnit="OU000000001" eventDate="2024-03-01T00:00:00.000"');
    expect(xml).toContain('<coordinate latitude="8.5" longitude="-11.25"/>');
    const tcsv = write('csv', src.records).split('\n');
    expect(tcsv[0]).toBe('event,status,program,programStage,enrollment,orgUnit,occurredAt,scheduledAt,geometry,latitude,longitude,followUp,deleted,createdAt,createdAtClient,updatedAt,updatedAtClient,completedBy,completedAt,updatedBy,attributeOptionCombo,attributeCategoryOptions,assignedUser,dataElement,value,providedElsewhere,updatedAtDataValue,createdAtDataValue');
    expect(tcsv[5]).toBe('EVa00000002,ACTIVE,PRG00000001,STG00000001,,OU000000002,2024-03-05T00:00:00.000,,,,,false,false,,,,,,,,,,,,,false,,');
  });
});

describe('tracked entity CSV', () => {
  it('writes DHIS2\'s columns, quotes fields with blanks as DHIS2 does, latitude/longitude as Java doubles', () => {
    const w = eventsWriterFor('csv').create({ what: 'TRACKED_ENTITY' });
    const te = (attrs: import('../../../../src-shared/dhis2/tracker.ts').TrackerAttribute[], geometry?: { type: string; coordinates: unknown }): TrackerRecord => ({
      type: 'TRACKED_ENTITY', line: 0, index: 0,
      value: { trackedEntity: 'My person', createdAt: '2022-09-29T15:15:30Z', orgUnit: 'My unit', attributes: attrs, enrollments: [], ...(geometry ? { geometry } : {}) },
    });
    expect(w.start()).toBe('trackedEntity,trackedEntityType,createdAt,createdAtClient,updatedAt,updatedAtClient,orgUnit,inactive,deleted,potentialDuplicate,geometry,latitude,longitude,storedBy,createdBy,updatedBy,attrCreatedAt,attrUpdatedAt,attribute,displayName,value,valueType\n');
    expect(w.write(te([], { type: 'Point', coordinates: [40, 5] }))).toBe('"My person",,2022-09-29T15:15:30Z,,,,"My unit",false,false,false,"POINT (40 5)",5.0,40.0,,,,,,,,,\n');
    expect(w.write(te([], { type: 'LineString', coordinates: [[40, 5], [41, 6]] }))).toBe('"My person",,2022-09-29T15:15:30Z,,,,"My unit",false,false,false,"LINESTRING (40 5, 41 6)",,,,,,,,,,,\n');
    expect(w.write(te([{ attribute: 'attr one', value: 'Some age', valueType: 'AGE' }]))).toBe('"My person",,2022-09-29T15:15:30Z,,,,"My unit",false,false,false,,,,,,,,,"attr one",,"Some age",AGE\n');
  });
});
