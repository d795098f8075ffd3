/**
 * Event and tracker payloads in their three syntaxes: tracker/events JSON, events XML and events CSV. Recognised by
 * their roots and headers so that such a file is named for what it is; their readers come with the events import.
 */
import type { FormatModule } from '../types.ts';
import { jsonFirstKeyIn } from '../shared/sniff-head.ts';
import { readEventsJson } from './json-reader.ts';

/** a top-level tracker list after other payload fields (the tracker importer's own payloads start with importMode …) */
const TRACKER_LIST = /"(events|trackedEntities|enrollments|trackedEntityInstances)"\s*:\s*\[/;

const NOTE = 'recognised; the event and tracker import is not built yet';

export const eventsJsonFormat: FormatModule = {
  id: 'events-json',
  format: 'json',
  label: 'Events / tracker JSON',
  kinds: ['events'],
  extensions: ['json'],
  mimeTypes: ['application/json'],
  sniff: (h) =>
    jsonFirstKeyIn(h.text, ['events', 'trackedEntities', 'enrollments', 'relationships', 'instances', 'trackedEntityInstances', 'event', 'eventDate', 'programStage']) ||
    (h.text?.startsWith('{') && TRACKER_LIST.test(h.text.slice(0, 8192)))
      ? { kind: 'events' }
      : null,
  readers: { events: readEventsJson },
};

export const eventsXmlFormat: FormatModule = {
  id: 'events-xml',
  format: 'xml',
  label: 'Events XML',
  kinds: ['events'],
  extensions: ['xml'],
  mimeTypes: ['application/xml'],
  sniff: (h) => (h.xmlRoot === 'events' || h.xmlRoot === 'event' ? { kind: 'events' } : null),
  note: NOTE,
};

export const eventsCsvFormat: FormatModule = {
  id: 'events-csv',
  format: 'csv',
  label: 'Events CSV',
  kinds: ['events'],
  extensions: ['csv'],
  mimeTypes: ['text/csv'],
  sniff: (h) => (/^"?(event|program)"?\s*,/i.test(h.firstLine) ? { kind: 'events' } : null),
  note: NOTE,
};
