/**
 * Event and tracker data (spec §6) in both DHIS2 generations. Every reader yields the shared tracker model
 * (src-shared/dhis2/tracker.ts) and tells the file's generation; every writer writes from it — so any event file Ferry
 * reads can be written in any event format Ferry writes (issue 9). The --format names:
 *
 * - json: tracker JSON (/api/tracker, 2.36+) — reads both generations' JSON, writes the tracker's;
 * - csv: tracker event CSV — reads both generations' CSV (header-driven or positional), writes the tracker's columns;
 * - xml: the deprecated events API's XML (≤ 2.40), read and written;
 * - events-json, events-csv: the deprecated events API's JSON and CSV (≤ 2.40) for servers still on 2.40 or older:
 *   written with the old names; read by the same readers as json and csv.
 */
import type { FormatModule } from '../types.ts';
import { jsonFirstKeyIn } from '../shared/sniff-head.ts';
import { readEventsJson } from './json-reader.ts';
import { readEventsCsv } from './csv-reader.ts';
import { readEventsXml } from './xml-reader.ts';
import { createOldEventsCsvWriter, createOldEventsJsonWriter, createOldEventsXmlWriter, createTrackerCsvWriter, createTrackerJsonWriter } from './writers.ts';

/** a top-level tracker list after other payload fields (the tracker importer's own payloads start with importMode …) */
const TRACKER_LIST = /"(events|trackedEntities|enrollments|trackedEntityInstances)"\s*:\s*\[/;

export const eventsJsonFormat: FormatModule = {
  id: 'events-json',
  format: 'json',
  label: 'Tracker JSON (2.36+; reads the events JSON of 2.40 and older too)',
  kinds: ['events'],
  extensions: ['json'],
  mimeTypes: ['application/json'],
  sniff: (h) =>
    jsonFirstKeyIn(h.text, ['events', 'trackedEntities', 'enrollments', 'relationships', 'instances', 'trackedEntityInstances', 'event', 'eventDate', 'programStage']) ||
    (h.text?.startsWith('{') && TRACKER_LIST.test(h.text.slice(0, 8192)))
      ? { kind: 'events' }
      : null,
  readers: { events: readEventsJson },
  writers: { events: { generation: 'tracker', writes: ['EVENT', 'TRACKED_ENTITY'], create: createTrackerJsonWriter } },
};

export const eventsXmlFormat: FormatModule = {
  id: 'events-xml',
  format: 'xml',
  label: 'Events XML (2.40 and older)',
  kinds: ['events'],
  extensions: ['xml'],
  mimeTypes: ['application/xml'],
  sniff: (h) => (h.xmlRoot === 'events' || h.xmlRoot === 'event' ? { kind: 'events' } : null),
  readers: { events: readEventsXml },
  writers: { events: { generation: 'events', writes: ['EVENT'], create: createOldEventsXmlWriter } },
};

export const eventsCsvFormat: FormatModule = {
  id: 'events-csv',
  format: 'csv',
  label: 'Tracker event CSV (2.36+; reads the events CSV of 2.40 and older too)',
  kinds: ['events'],
  extensions: ['csv'],
  mimeTypes: ['text/csv'],
  sniff: (h) => (/^"?(event|program)"?\s*,/i.test(h.firstLine) ? { kind: 'events' } : null),
  readers: { events: readEventsCsv },
  writers: { events: { generation: 'tracker', writes: ['EVENT', 'TRACKED_ENTITY'], create: createTrackerCsvWriter } },
};

export const oldEventsJsonFormat: FormatModule = {
  id: 'events-json-240',
  format: 'events-json',
  label: 'Events JSON (2.40 and older)',
  kinds: ['events'],
  extensions: ['json'],
  mimeTypes: ['application/json'],
  readers: { events: readEventsJson },
  writers: { events: { generation: 'events', writes: ['EVENT'], create: createOldEventsJsonWriter } },
};

export const oldEventsCsvFormat: FormatModule = {
  id: 'events-csv-240',
  format: 'events-csv',
  label: 'Events CSV (2.40 and older)',
  kinds: ['events'],
  extensions: ['csv'],
  mimeTypes: ['text/csv'],
  readers: { events: readEventsCsv },
  writers: { events: { generation: 'events', writes: ['EVENT'], create: createOldEventsCsvWriter } },
};
