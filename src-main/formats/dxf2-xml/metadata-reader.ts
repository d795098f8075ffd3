/**
 * DXF2 XML metadata reader (pure, streaming, saxes). Maps `<metadata><dataElements><dataElement id=… name=…>…` to the
 * same records as the JSON reader (spec §2.7): item attributes and text children become scalar properties, an empty
 * child with attributes is a reference (`<categoryCombo id="…"/>` → {"id": "…"}), a wrapper of repeated items is an
 * array, other children are embedded objects. DOCTYPE and entity declarations are refused, so an entity-expansion
 * ("billion laughs") document cannot expand. A text node, tag or comment longer than MAX_METADATA_TOKEN and elements
 * nested deeper than MAX_DEPTH are refused (shared/limits.ts; saxes is linear, see guardSax). Errors are AppError
 * BAD_FILE with file, line and column.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { AppError } from '../../../src-shared/errors.ts';
import type { ErrorKey, ErrorParams } from '../../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { ENVELOPE_KEYS, PLURAL_BY_SINGULAR } from '../../../src-shared/dhis2/schema/registry.ts';
import { embeddedScalars, scalarKind, TYPE_SCALARS, type ScalarShape } from '../../../src-shared/dhis2/schema/scalars.ts';
import type { MetadataReadInfo, MetadataRecord, ReadOptions, TopLevelKey } from '../shared/metadata-record.ts';
import { guardSax, localName } from '../shared/xml-sax.ts';
import { MAX_METADATA_TOKEN, tokenTooLong } from '../shared/limits.ts';

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

/**
 * Fallback for properties the type's scalar shape does not list: child text properties DHIS2 renders as JSON
 * numbers wherever they appear. Listed properties follow `TYPE_SCALARS` (src-shared/dhis2/schema/scalars.ts).
 */
const NUMERIC = new Set([
  'sortOrder', 'level', 'decimals', 'factor', 'openFuturePeriods', 'expiryDays', 'timelyDays', 'version', 'startValue', 'endValue',
  'minDaysFromStart', 'standardInterval', 'sequentialSampleCount', 'annualSampleCount',
  'x', 'y', 'width', 'height', 'index', 'span', 'column', 'row', 'opacity', 'completeEventsExpiryDays', 'minAttributesRequiredToSearch',
  'maxTeiCountToReturn', 'openDaysAfterCoEndDate', 'radiusLow', 'radiusHigh',
]);
const ID_ATTRS = new Set(['id', 'code', 'name', 'shortName', 'created', 'lastUpdated', 'displayName', 'href']);
const NUMBER_TEXT = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** Child elements whose text is JSON (GeoJSON geometry in DHIS2's XML). */
const JSON_TEXT = new Set(['geometry']);

/** The JSON value of the text of property `name` of an object of shape `owner` (or of one item of it). */
function scalar(owner: ScalarShape | undefined, name: string, text: string): unknown {
  if (JSON_TEXT.has(name) && /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  const kind = scalarKind(owner, name);
  if (kind === 'text') return text;
  if (kind === 'number') return NUMBER_TEXT.test(text.trim()) ? Number(text.trim()) : text;
  if (kind === 'boolean') return text.trim() === 'true' ? true : text.trim() === 'false' ? false : text;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (NUMERIC.has(name) && NUMBER_TEXT.test(text)) return Number(text);
  return text;
}

function attrValue(owner: ScalarShape | undefined, name: string, v: string): unknown {
  if (ID_ATTRS.has(name)) return v;
  return scalar(owner, name, v);
}

function singularOf(wrapper: string): string[] {
  const out = [wrapper];
  if (wrapper.endsWith('ies')) out.push(wrapper.slice(0, -3) + 'y');
  if (wrapper.endsWith('es')) out.push(wrapper.slice(0, -2));
  if (wrapper.endsWith('s')) out.push(wrapper.slice(0, -1));
  return out;
}

function isArrayWrapper(n: Node): boolean {
  if (Object.keys(n.attrs).length) return false;
  if (n.children.length === 0) return false;
  const first = n.children[0]!.name;
  if (!n.children.every((c) => c.name === first)) return false;
  return n.children.length > 1 || singularOf(n.name).includes(first);
}

/** An element holding an object of shape `shape`: attributes and children become its properties. */
function objectOf(n: Node, shape: ScalarShape | undefined): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n.attrs)) o[k] = attrValue(shape, k, v);
  for (const c of n.children) {
    const v = propertyValue(c, shape, c.name);
    if (c.name in o) {
      const prev = o[c.name];
      o[c.name] = Array.isArray(prev) ? [...prev, v] : [prev, v];
    } else o[c.name] = v;
  }
  return o;
}

/**
 * The JSON value of element `n`, which holds property `prop` of an object of shape `owner` — or one item of that
 * property when it is a collection (the items of <organisationUnitLevels> are typed as organisationUnitLevels).
 */
function propertyValue(n: Node, owner: ScalarShape | undefined, prop: string): unknown {
  const hasAttrs = Object.keys(n.attrs).length > 0;
  if (n.children.length === 0) {
    if (hasAttrs) {
      const shape = embeddedScalars(owner, prop);
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(n.attrs)) o[k] = attrValue(shape, k, v);
      const t = n.text.trim();
      if (t) o.value = t;
      return o;
    }
    if (n.text.trim() === '' && n.name.endsWith('s') && n.text === '') return [];
    return scalar(owner, prop, n.text);
  }
  if (isArrayWrapper(n)) return n.children.map((c) => propertyValue(c, owner, prop));
  return objectOf(n, embeddedScalars(owner, prop));
}

/**
 * Converts a top-level item element of type `type` (a DXF2 plural key) to the JSON object DHIS2 would render for
 * it, typing scalars by the type's scalar shape.
 */
export function toJson(n: Node, type?: string): unknown {
  const shape = type ? TYPE_SCALARS[type] : undefined;
  return propertyValue(n, shape ? { objects: { [n.name]: shape } } : undefined, n.name);
}

export async function* readDxf2XmlMetadata(
  chunks: AsyncIterable<Buffer>,
  fileName: string,
  info: MetadataReadInfo,
  opts: ReadOptions = {},
): AsyncGenerator<MetadataRecord> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  // before any handler is registered: it wraps them
  const guard = guardSax(parser, fileName, MAX_METADATA_TOKEN);
  const queue: MetadataRecord[] = [];
  const stack: Node[] = [];
  let depth = 0;
  let rootSeen = false;
  let current: TopLevelKey | null = null;
  let failure: AppError | null = null;
  let total = 0;
  let skipping = false;

  const fail = (key: ErrorKey, params: ErrorParams = {}): AppError =>
    ferryError('BAD_FILE', key, { file: fileName, line: parser.line, column: parser.column, ...params }, {
      file: fileName,
      line: parser.line,
      column: parser.column,
    });

  parser.on('doctype', () => {
    failure ??= fail('xml.doctype');
  });
  parser.on('error', (e) => {
    failure ??= fail('xml.invalid', { detail: e.message.replace(/^(.*?:)?\d+:\d+: /, '') });
    // stop here: saxes would go on through the chunk, making an Error for every later fault (200,000 took seconds)
    throw failure;
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (failure) return;
    const name = localName(tag.name);
    depth++;
    if (depth === 1) {
      rootSeen = true;
      if (name === 'dxf') failure = fail('xml.dxf1Root');
      else if (name !== 'metadata') failure = fail('xml.notMetadataRoot', { found: name });
      return;
    }
    if (depth === 2) {
      current = { key: name, kind: 'object', count: 0 };
      info.keys.push(current);
      skipping = ENVELOPE_KEYS.includes(name);
      return;
    }
    if (skipping) return;
    if (depth === 3 && current) current.kind = 'array';
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) {
      const ln = localName(k);
      if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
      attrs[ln] = v as string;
    }
    stack.push({ name, attrs, children: [], text: '' });
  });
  // an element's text may gather many text and CDATA pieces: bounded as one token
  const addText = (t: string): void => {
    if (failure || skipping || stack.length === 0) return;
    const node = stack[stack.length - 1]!;
    node.text += t;
    if (node.text.length > MAX_METADATA_TOKEN) failure = tokenTooLong(fileName, parser.line, { what: 'elementText', element: node.name }, MAX_METADATA_TOKEN);
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    if (failure) return;
    if (skipping && depth >= 3) {
      depth--;
      return;
    }
    if (depth >= 3) {
      const node = stack.pop()!;
      if (stack.length) stack[stack.length - 1]!.children.push(node);
      else if (current) {
        const value = toJson(node, current.key);
        const index = current.count++;
        const object = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
        queue.push({ type: current.key, index, object });
      }
    } else if (depth === 2 && current && current.kind === 'object' && !skipping) {
      // an empty wrapper (<attributes/>) is an empty array
      if (PLURAL_BY_SINGULAR[current.key] === undefined) current.kind = 'array';
    }
    depth--;
  });

  const dec = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  let written = 0; // characters given to saxes
  for await (const chunk of chunks) {
    let text: string;
    try {
      text = dec.decode(chunk, { stream: true });
    } catch {
      throw ferryError('BAD_FILE', 'file.notUtf8AtLine', { file: fileName, line: parser.line }, {
        file: fileName,
        line: parser.line,
      });
    }
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    try {
      parser.write(text);
      written += text.length;
      guard.check(written);
    } catch (e) {
      failure ??= e instanceof AppError ? e : fail('xml.invalid', { detail: (e as Error).message.replace(/^(.*?:)?\d+:\d+: /, '') });
    }
    total += chunk.length;
    if (failure) throw failure;
    while (queue.length) yield queue.shift()!;
    opts.onBytes?.(total);
  }
  try {
    parser.close();
  } catch (e) {
    failure ??= fail('xml.endsEarlyWhy', { detail: (e as Error).message.replace(/^(.*?:)?\d+:\d+: /, '') });
  }
  if (!failure && !rootSeen) failure = fail('xml.noElementAt');
  if (!failure && depth !== 0) failure = fail('xml.endsEarly');
  if (failure) throw failure;
  while (queue.length) yield queue.shift()!;
}
