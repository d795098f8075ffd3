import { describe, expect, it } from 'vitest';
import { readEventsCsv } from '../../../../src-main/formats/events/csv-reader.ts';
import { readEventsXml } from '../../../../src-main/formats/events/xml-reader.ts';
import { geometryToWkt, wktToGeometry } from '../../../../src-main/formats/events/wkt.ts';
import type { EventsReaderFactory } from '../../../../src-main/formats/types.ts';
import type { EventGeneration, TrackerEvent, TrackerRecord } from '../../../../src-shared/dhis2/tracker.ts';
import type { AppError } from '../../../../src-shared/errors.ts';

async function* chunked(text: string, size: number): AsyncGenerator<Uint8Array> {
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
async function read(reader: EventsReaderFactory, text: string, opts: { skipFirst?: boolean; size?: number } = {}) {
  const records: TrackerRecord[] = [];
  let generation: EventGeneration | undefined;
  for await (const r of reader(chunked(text, opts.size ?? 1 << 20), { fileName: 'f', skipFirst: opts.skipFirst, onGeneration: (g) => (generation = g) })) records.push(r);
  return { records, events: records.map((r) => r.value as TrackerEvent), generation };
}
async function failure(reader: EventsReaderFactory, text: string, skipFirst?: boolean): Promise<AppError> {
  try {
    await read(reader, text, { skipFirst });
  } catch (e) {
    return e as AppError;
  }
  throw new Error('no error');
}

describe('WKT', () => {
  it('reads and writes points, polygons and multi polygons', () => {
    expect(wktToGeometry("'POINT (-11.4283223849698 8.06311527044516)'")).toEqual({ type: 'Point', coordinates: [-11.4283223849698, 8.06311527044516] });
    const poly = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    expect(geometryToWkt(poly)).toBe('POLYGON ((0 0, 1 0, 1 1, 0 0))');
    expect(wktToGeometry('POLYGON ((0 0, 1 0, 1 1, 0 0))')).toEqual(poly);
    const multi = { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [0, 0]]], [[[2, 2], [3, 2], [2, 2]]]] };
    expect(wktToGeometry(geometryToWkt(multi))).toEqual(multi);
    expect(wktToGeometry('POINT (1)')).toMatch(/is not a WKT geometry/);
    expect(wktToGeometry('CIRCLE (1 2)')).toMatch(/is not a WKT geometry/);
  });
});

describe('events CSV reader', () => {
  it('groups rows by event, header-driven, old names (2.40), WKT geometry', async () => {
    const csv = [
      'event,status,program,programStage,enrollment,orgUnit,eventDate,dueDate,latitude,longitude,dataElement,value,storedBy,providedElsewhere,completedDate,completedBy,geometry',
      "e1,ACTIVE,P,S,,OU,2020-08-24T00:00:00.000,2020-08-24,8.06,-11.42,D1,text,bjorn,false,,,'POINT (-11.42 8.06)'",
      'e1,ACTIVE,P,S,,OU,2020-08-24T00:00:00.000,2020-08-24,8.06,-11.42,D2,"a, ""b""",bjorn,true,,,',
      'e2,,P,S,,OU,2020-08-25,,1.5,2.5,,,,,,,',
    ].join('\n');
    for (const size of [1 << 20, 3]) {
      const { records, events, generation } = await read(readEventsCsv, csv, { size });
      expect(generation).toBe('events');
      expect(records.map((r) => [r.line, r.index])).toEqual([[2, 0], [4, 1]]);
      expect(events[0]).toMatchObject({ event: 'e1', status: 'ACTIVE', program: 'P', programStage: 'S', orgUnit: 'OU', occurredAt: '2020-08-24T00:00:00.000', scheduledAt: '2020-08-24', storedBy: 'bjorn' });
      expect(events[0]!.geometry).toEqual({ type: 'Point', coordinates: [-11.42, 8.06] });
      expect(events[0]!.dataValues).toEqual([
        { dataElement: 'D1', value: 'text', providedElsewhere: false, storedBy: 'bjorn' },
        { dataElement: 'D2', value: 'a, "b"', providedElsewhere: true, storedBy: 'bjorn' },
      ]);
      expect(events[1]).toMatchObject({ event: 'e2', status: 'ACTIVE', geometry: { type: 'Point', coordinates: [2.5, 1.5] }, dataValues: [] });
    }
  });

  it('reads positional rows: 17 columns are the old order, 28 the tracker order', async () => {
    const old = await read(readEventsCsv, 'e,COMPLETED,P,S,,OU,2019-01-01,,,,D,5,,false,2019-01-02,admin,', { skipFirst: false });
    expect(old.generation).toBe('events');
    expect(old.events[0]).toMatchObject({ event: 'e', status: 'COMPLETED', occurredAt: '2019-01-01', completedAt: '2019-01-02', completedBy: 'admin', dataValues: [{ dataElement: 'D', value: '5' }] });
    const trk = await read(readEventsCsv, 'e,ACTIVE,P,S,EN,OU,2020-01-01,,,,,false,true,,,,,,,,AOC,o1;o2,anna,D,7,true,u,c', { skipFirst: false });
    expect(trk.generation).toBe('tracker');
    expect(trk.events[0]).toMatchObject({ enrollment: 'EN', deleted: true, followUp: false, attributeOptionCombo: 'AOC', attributeCategoryOptions: 'o1,o2', assignedUser: { username: 'anna' } });
    expect(trk.events[0]!.dataValues).toEqual([{ dataElement: 'D', value: '7', providedElsewhere: true, updatedAt: 'u', createdAt: 'c' }]);
  });

  it('names file and line for a bad geometry or coordinates', async () => {
    expect((await failure(readEventsCsv, 'event,orgUnit,geometry\ne,OU,POINT (x y)')).message).toMatch(/^f, line 2: "POINT \(x y\)" is not a WKT geometry/);
    expect((await failure(readEventsCsv, 'event,latitude,longitude\n\ne,north,1')).message).toBe('f, line 3: latitude "north" and longitude "1" must be numbers');
    expect((await failure(readEventsCsv, 'a,b,c\n1,2,3', true)).message).toMatch(/^f, line 1: the header names none/);
    expect((await failure(readEventsCsv, '')).message).toBe('f: the file is empty');
    expect((await failure(readEventsCsv, 'event,value\ne,"abc\nf,2')).message).toBe('f, line 2: a quoted field is not closed before the end of the file');
    expect((await failure(readEventsCsv, 'event,value\ne,"' + 'x'.repeat(3_000_000) + '"')).message).toMatch(/^f, line 2: a CSV record .* longer than 1 MB/);
  });
});

describe('events CSV reader, large chunks', () => {
  it('reads a file given in 1 MB chunks (cut into 64 KB pieces) whole: multi-byte characters and rows across the cuts', async () => {
    const head = 'event,status,program,programStage,orgUnit,occurredAt,dataElement,value\n';
    const rows: string[] = [];
    // 3-byte characters make the 64 KB cuts fall inside a character and inside rows
    for (let i = 0; i < 6000; i++) rows.push(`Ev${String(i).padStart(9, '0')},ACTIVE,PrA,PsA,OuA,2024-01-01T00:00:00.000,DeA,€ ${'é'.repeat(i % 7)} ${i}\n`);
    const text = head + rows.join('');
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * 65536);
    const { events } = await read(readEventsCsv, text, { size: 1 << 20 });
    expect(events.length).toBe(6000);
    expect(events.map((e) => `${e.event} ${e.dataValues[0]!.value}`)).toEqual(rows.map((r) => `${r.split(',')[0]} ${r.split(',')[7]!.trimEnd()}`));
    expect(events[5999]!.occurredAt).toBe('2024-01-01T00:00:00.000');
  });
});

describe('events XML reader', () => {
  it('reads attributes and child elements, coordinate, data values and notes', async () => {
    const xml = `<?xml version="1.0"?>
<events>
  <event program="P" orgUnit="OU" eventDate="2013-05-17" status="COMPLETED" storedBy="admin" attributeCategoryOptions="a;b">
    <coordinate latitude="59.8" longitude="10.9"/>
    <dataValues>
      <dataValue dataElement="qrur9Dvnyt5" value="22"/>
      <dataValue dataElement="oZg33kd9taw"><value>Male</value></dataValue>
    </dataValues>
    <notes><note value="n1" storedDate="2013-05-18"/></notes>
  </event>
  <event><program>P</program><eventDate>2013-05-18</eventDate><geometry>{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}</geometry></event>
</events>`;
    const { records, events, generation } = await read(readEventsXml, xml, { size: 11 });
    expect(generation).toBe('events');
    expect(records.map((r) => r.line)).toEqual([3, 11]);
    expect(events[0]).toMatchObject({ program: 'P', orgUnit: 'OU', occurredAt: '2013-05-17', status: 'COMPLETED', storedBy: 'admin', attributeCategoryOptions: 'a,b', geometry: { type: 'Point', coordinates: [10.9, 59.8] } });
    expect(events[0]!.dataValues).toEqual([{ dataElement: 'qrur9Dvnyt5', value: '22' }, { dataElement: 'oZg33kd9taw', value: 'Male' }]);
    expect(events[0]!.notes).toEqual([{ value: 'n1', storedAt: '2013-05-18' }]);
    expect(events[1]).toMatchObject({ program: 'P', occurredAt: '2013-05-18', geometry: { type: 'Polygon' } });
  });

  it('refuses other roots, malformed, deep and unclosed XML naming file and line', async () => {
    expect((await failure(readEventsXml, '<dataValueSet/>')).message).toMatch(/^f, line 1: the root element is <dataValueSet>/);
    expect((await failure(readEventsXml, '<events>\n<event program="P">\n')).message).toMatch(/^f, line \d: malformed XML/);
    expect((await failure(readEventsXml, '<events><event>' + '<a>'.repeat(300) + '</a>'.repeat(300) + '</event></events>')).message).toMatch(/^f, line 1: XML elements are nested more than 256/);
    expect((await failure(readEventsXml, '<!DOCTYPE x [<!ENTITY a "b">]><events><event program="&a;"/></events>')).message).toMatch(/^f, line 1: malformed XML \(.*undefined entity/);
    expect((await failure(readEventsXml, '<events>\n<event><geometry>{oops</geometry></event></events>')).message).toMatch(/^f, line 2: the geometry "\{oops" is not GeoJSON/);
  });
});
