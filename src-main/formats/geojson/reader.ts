/**
 * GeoJSON feature collections (DHIS2's geometry import, spec §7), streamed: a scanner walks the text keeping only
 * string/escape state and nesting depth, cuts each element of the root object's `features` array out of the text and
 * parses that one feature with JSON.parse (fast, exact); memory holds one feature. A root that is a single Feature is
 * one feature (as DHIS2). Each feature yields its index in the array (DHIS2's conflict index), its line, the
 * identifier (its `id`, or with geoJsonId=false the property `geoJsonProperty`) and its raw `geometry` value, which
 * the importer validates (E7706, E7707, E7712).
 */
import { AppError } from '../../../src-shared/errors.ts';
import { StrictUtf8 } from '../data-value-row.ts';
import { IDLE_BYTES, MAX_DEPTH, MAX_METADATA_TOKEN, tokenTooLong, tooDeep } from '../shared/limits.ts';
import { countPositions, MAX_POINTS_PER_FEATURE, type GeometryFeature } from '../shared/geometry.ts';

export interface GeoJsonReadOptions {
  fileName: string;
  /** true (DHIS2's default): the feature's `id` is the org unit identifier; false: `properties[geoJsonProperty]` */
  geoJsonId?: boolean;
  geoJsonProperty?: string;
}

const Q = 34; // "
const BS = 92; // \
const LB = 123; // {
const RB = 125; // }
const LS = 91; // [
const RS = 93; // ]
const COMMA = 44;
const COLON = 58;
const NL = 10;

const bad = (fileName: string, line: number, what: string): AppError => new AppError('BAD_FILE', `${fileName}, line ${line}: ${what}`, { file: fileName, line });

/** The identifier of a parsed feature (strings as they are, numbers as their text; anything else: none). */
function identifierOf(f: Record<string, unknown>, o: GeoJsonReadOptions): string | null {
  let v: unknown;
  if (o.geoJsonId === false) {
    const props = f.properties;
    v = props && typeof props === 'object' && o.geoJsonProperty ? (props as Record<string, unknown>)[o.geoJsonProperty] : undefined;
  } else v = f.id;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function featureOf(value: unknown, index: number, line: number, o: GeoJsonReadOptions): GeometryFeature {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { index, line, identifier: null, geometry: undefined, points: 0 };
  const f = value as Record<string, unknown>;
  const g = f.geometry;
  const points = g && typeof g === 'object' ? countPositions((g as { coordinates?: unknown }).coordinates) : 0;
  const out: GeometryFeature = { index, line, identifier: identifierOf(f, o), geometry: 'geometry' in f ? g : undefined, points };
  const props = f.properties as Record<string, unknown> | undefined;
  if (props && typeof props === 'object' && typeof props.name === 'string') out.label = props.name;
  if (points > MAX_POINTS_PER_FEATURE) {
    out.geometry = undefined;
    out.problem = `more than ${MAX_POINTS_PER_FEATURE.toLocaleString('en')} points in one feature (Ferry's limit)`;
  }
  return out;
}

export async function* readGeoJsonFeatures(chunks: AsyncIterable<Uint8Array>, opts: GeoJsonReadOptions): AsyncGenerator<GeometryFeature[]> {
  const { fileName } = opts;
  const utf8 = new StrictUtf8(fileName);
  let line = 1;
  let depth = 0;
  let inString = false;
  let escape = false;
  let started = false;
  let ended = false;
  /** root object: expecting a key (after "{" or ","), and the key being read */
  let rootKeyNext = false;
  let keyStart = -1;
  let keyPieces = '';
  let currentKey: string | null = null;
  /** inside the root's "features" array (its depth is 2 inside it) */
  let inFeatures = false;
  let sawFeatures = false;
  /** a feature being cut out: its pieces, start position in the current text, start line, length so far */
  let capturing = false;
  let capStart = 0;
  let capLine = 0;
  let capPieces: string[] = [];
  let capLength = 0;
  /** a non-object element of features (counted as a feature without identifier) */
  let scalarElem = false;
  /** the root kept (small files only) in case it is a single Feature */
  let rootPieces: string[] | null = [];
  let rootLength = 0;
  let rootType: string | null = null;
  let typeValueNext = false;
  let index = 0;
  let out: GeometryFeature[] = [];
  let quiet = 0;

  const endFeature = (text: string): void => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw bad(fileName, capLine, `malformed JSON in feature ${index} (${(e as Error).message})`);
    }
    out.push(featureOf(value, index++, capLine, opts));
  };

  for await (const chunk of chunks) {
    const s = utf8.decode(chunk);
    const n = s.length;
    if (rootPieces) {
      rootPieces.push(s);
      rootLength += n;
      if (rootLength > 16 << 20 || sawFeatures) rootPieces = null;
    }
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (inString) {
        if (escape) escape = false;
        else if (c === BS) escape = true;
        else if (c === Q) {
          inString = false;
          if (keyStart >= 0) {
            const key = keyPieces + s.slice(keyStart, i);
            keyStart = -1;
            keyPieces = '';
            if (typeValueNext) {
              rootType = key;
              typeValueNext = false;
            } else currentKey = key;
          }
        } else if (c === NL) line++;
        continue;
      }
      if (c === Q) {
        inString = true;
        if (depth === 1 && (rootKeyNext || (currentKey === 'type' && typeValueNext))) {
          keyStart = i + 1;
          rootKeyNext = false;
        } else if (inFeatures && depth === 2 && !capturing && !scalarElem) {
          scalarElem = true;
          out.push(featureOf('', index++, line, opts));
        }
        continue;
      }
      if (c === NL) {
        line++;
        continue;
      }
      if (c === 32 || c === 13 || c === 9) continue;
      if (!started) {
        started = true;
        if (c !== LB) throw bad(fileName, line, c === LS ? 'a JSON array is not a GeoJSON feature collection (expected an object)' : 'not JSON: a GeoJSON file starts with "{"');
      }
      if (ended) throw bad(fileName, line, 'text after the end of the JSON document');
      if (c === LB || c === LS) {
        if (inFeatures && depth === 2 && !capturing && !scalarElem) {
          if (c === LB) {
            capturing = true;
            capStart = i;
            capLine = line;
            capPieces = [];
            capLength = 0;
          } else {
            scalarElem = true;
            out.push(featureOf([], index++, line, opts));
          }
        }
        depth++;
        if (depth > MAX_DEPTH) throw tooDeep(fileName, line, 'JSON arrays and objects are');
        if (depth === 1) rootKeyNext = true;
        else if (depth === 2 && c === LS && currentKey === 'features' && !sawFeatures) {
          inFeatures = true;
          sawFeatures = true;
        }
        continue;
      }
      if (c === RB || c === RS) {
        depth--;
        if (depth < 0) throw bad(fileName, line, `malformed JSON: "${String.fromCharCode(c)}" closes nothing`);
        if (capturing && depth === 2) {
          capturing = false;
          const piece = s.slice(capStart, i + 1);
          capLength += piece.length;
          if (capLength > MAX_METADATA_TOKEN) throw tokenTooLong(fileName, capLine, `feature ${index} is`, MAX_METADATA_TOKEN);
          endFeature(capPieces.length ? capPieces.join('') + piece : piece);
          capPieces = [];
        } else if (inFeatures && depth === 1) {
          inFeatures = false;
          scalarElem = false;
        }
        if (depth === 0) ended = true;
        continue;
      }
      if (depth === 1) {
        if (c === COMMA) {
          rootKeyNext = true;
          currentKey = null;
          typeValueNext = false;
        } else if (c === COLON) typeValueNext = currentKey === 'type';
        continue;
      }
      if (inFeatures && depth === 2) {
        if (c === COMMA) scalarElem = false;
        else if (!capturing && !scalarElem) {
          scalarElem = true;
          out.push(featureOf(null, index++, line, opts));
        }
      }
    }
    if (capturing) {
      const piece = s.slice(capStart);
      capPieces.push(piece);
      capLength += piece.length;
      capStart = 0;
      if (capLength > MAX_METADATA_TOKEN) throw tokenTooLong(fileName, capLine, `feature ${index} is`, MAX_METADATA_TOKEN);
    }
    if (keyStart >= 0) {
      keyPieces += s.slice(keyStart);
      keyStart = 0;
      if (keyPieces.length > 4096) throw tokenTooLong(fileName, line, 'a key of the root object is', 4096);
    }
    quiet += n;
    if (out.length || quiet >= IDLE_BYTES) {
      quiet = 0;
      yield out;
      out = [];
    }
  }
  utf8.decode(new Uint8Array(0), true);
  if (!started) throw new AppError('BAD_FILE', `${fileName}: the file is empty`, { file: fileName });
  if (depth !== 0 || inString) throw bad(fileName, line, 'the JSON document ends before it is complete (the file is truncated)');
  if (!sawFeatures) {
    if (rootType !== null && rootType.toLowerCase() === 'feature' && rootPieces) {
      let value: unknown;
      try {
        value = JSON.parse(rootPieces.join(''));
      } catch (e) {
        throw bad(fileName, 1, `malformed JSON (${(e as Error).message})`);
      }
      out.push(featureOf(value, index++, 1, opts));
    } else {
      throw new AppError('BAD_FILE', `${fileName}: no list of features found (a GeoJSON FeatureCollection has a "features" array)`, { file: fileName });
    }
  }
  if (out.length) yield out;
}
