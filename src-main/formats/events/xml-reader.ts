/**
 * Events XML of the deprecated events API (≤ 2.40, spec §6.2): `<events><event program="…" orgUnit="…" eventDate="…"
 * status="…"><coordinate latitude="…" longitude="…"/><dataValues><dataValue dataElement="…" value="…"/></dataValues>
 * </event></events>`, or a single `<event>` root. Fields may be attributes or child elements with text (Jackson XML
 * wrote both); `dataValues`, `notes` and `relationships` wrap lists. Each `<event>` is built alone and mapped to the
 * tracker model (model.ts), so memory holds one event at a time. The generation is always 'events'.
 */
import { AppError } from '../../../src-shared/errors.ts';
import type { ErrorKey, ErrorParams } from '../../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import type { TrackerRecord } from '../../../src-shared/dhis2/tracker.ts';
import { localName, saxStream } from '../shared/xml-sax.ts';
import type { EventsReaderOptions } from '../types.ts';
import { Shape, eventOf } from './model.ts';
import { wktToGeometry } from './wkt.ts';

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

const LISTS = new Set(['dataValues', 'notes', 'relationships', 'attributes']);

/** A node as a JSON-like value: text for a bare element, else an object of its attributes and children. */
function valueOf(n: Node): unknown {
  if (!n.children.length && !Object.keys(n.attrs).length) return n.name === 'geometry' ? geometryText(n.text) : n.text;
  const o: Record<string, unknown> = { ...n.attrs };
  for (const c of n.children) {
    if (LISTS.has(c.name)) o[c.name] = c.children.map(valueOf);
    else o[c.name] = valueOf(c);
  }
  if (n.name === 'geometry' && n.text.trim() && !n.children.length) return geometryText(n.text);
  return o;
}

/** A geometry element's text: GeoJSON, or WKT. */
function geometryText(t: string): unknown {
  const s = t.trim();
  if (!s) return undefined;
  if (s.startsWith('{')) {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      throw new Shape('events.shape.geometryNotGeoJson', { text: s.slice(0, 80) });
    }
  }
  const g = wktToGeometry(s);
  if (typeof g === 'string') throw new Shape('events.badShape', { detail: g });
  return g;
}

export async function* readEventsXml(chunks: AsyncIterable<Uint8Array>, opts: EventsReaderOptions): AsyncGenerator<TrackerRecord> {
  const { fileName } = opts;
  let depth = 0;
  let rootName = '';
  const stack: Node[] = [];
  let eventLine = 0;
  let index = 0;
  let told = false;
  let skip = 0; // the depth of an element being skipped
  const bad = (key: ErrorKey, line: number, params: ErrorParams = {}): AppError => ferryError('BAD_FILE', key, { file: fileName, line, ...params }, { file: fileName, line });

  for await (const batch of saxStream<TrackerRecord>(chunks, fileName, (p, out) => {
    p.on('opentag', (tag) => {
      const name = localName(tag.name);
      depth++;
      if (skip) return;
      if (depth === 1) {
        rootName = name;
        if (name !== 'events' && name !== 'event') throw bad('events.xmlWrongRoot', p.line, { found: name });
        if (name === 'events') return;
      }
      if (!stack.length) {
        if (name !== 'event') {
          // other children of <events> (a pager …) are skipped
          skip = depth;
          return;
        }
        eventLine = p.line;
      }
      const attrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(tag.attributes)) attrs[localName(k)] = v;
      stack.push({ name, attrs, children: [], text: '' });
    });
    p.on('text', (t) => {
      if (stack.length && !skip) stack[stack.length - 1]!.text += t;
    });
    p.on('cdata', (t) => {
      if (stack.length && !skip) stack[stack.length - 1]!.text += t;
    });
    p.on('closetag', () => {
      if (skip) {
        if (depth === skip) skip = 0;
        depth--;
        return;
      }
      depth--;
      const n = stack.pop();
      if (!n) return;
      if (stack.length) {
        stack[stack.length - 1]!.children.push(n);
        return;
      }
      if (!told) {
        told = true;
        opts.onGeneration?.('events');
      }
      try {
        out.push({ type: 'EVENT', value: eventOf(valueOf(n) as Record<string, unknown>, { root: 'event', n: index + 1, path: '' }), line: eventLine, index: index++ });
      } catch (e) {
        if (e instanceof Shape) throw bad(e.key, eventLine, e.params);
        throw e;
      }
    });
  })) {
    for (const r of batch) yield r;
  }
  if (!rootName) throw ferryError('BAD_FILE', 'events.xmlEmpty', { file: fileName }, { file: fileName, line: 1 });
  if (!told) opts.onGeneration?.('events');
}
