/**
 * GeoJSON feature collections (DHIS2's geometry import, spec §7), streamed: a scanner walks the text keeping only
 * string/escape state and nesting depth, cuts each element of the root object's `features` array out of the text and
 * parses that one feature with JSON.parse (fast, exact); memory holds one feature. A root that is a single Feature is
 * one feature (as DHIS2). Each feature yields its index in the array (DHIS2's conflict index), its line, the
 * identifier (its `id`, or with geoJsonId=false the property `geoJsonProperty`) and its raw `geometry` value, which
 * the importer validates (E7706, E7707, E7712).
 */
import { type AppError } from '../../../src-shared/errors.ts';
import type { ErrorKey, ErrorParams } from '../../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
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

const bad = (fileName: string, line: number, key: ErrorKey, params: ErrorParams = {}): AppError => ferryError('BAD_FILE', key, { file: fileName, line, ...params }, { file: fileName, line });
/**
 * A JSON document that is no GeoJSON feature collection (no `features` array, not a Feature): marked `notGeoJson`, the
 * importer answers it as DHIS2 does (a conflict E7701 of the import), where malformed JSON stays a refusal.
 */
const notGeoJson = (fileName: string, key: 'geojson.array' | 'geojson.noFeatures', line?: number): AppError =>
  line !== undefined
    ? ferryError('BAD_FILE', `${key}AtLine`, { file: fileName, line }, { file: fileName, line, notGeoJson: true })
    : ferryError('BAD_FILE', key, { file: fileName }, { file: fileName, notGeoJson: true });

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

/**
 * The scanner's state between chunks. The hot loop runs in `feed`, a plain method working on locals (a loop inside an
 * async generator, over closure variables, ran 20 × slower: measured 23 s against about 1 s for 200 MB).
 */
class Scanner {
  line = 1;
  depth = 0;
  inString = false;
  escape = false;
  started = false;
  ended = false;
  /** root object: expecting a key (after "{" or ","), and the key being read */
  rootKeyNext = false;
  keyStart = -1;
  keyPieces = '';
  currentKey: string | null = null;
  typeValueNext = false;
  rootType: string | null = null;
  /** inside the root's "features" array (its depth is 2 inside it) */
  inFeatures = false;
  sawFeatures = false;
  /** a feature being cut out: its pieces, start position in the current text, start line, length so far */
  capturing = false;
  capStart = 0;
  capLine = 0;
  capPieces: string[] = [];
  capLength = 0;
  /** a non-object element of features (counted as a feature without identifier) */
  scalarElem = false;
  index = 0;
  out: GeometryFeature[] = [];

  constructor(private readonly opts: GeoJsonReadOptions) {}

  private endFeature(text: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw bad(this.opts.fileName, this.capLine, 'geojson.malformedFeature', { index: this.index, detail: (e as Error).message });
    }
    this.out.push(featureOf(value, this.index++, this.capLine, this.opts));
  }

  private element(value: unknown, line: number): void {
    this.scalarElem = true;
    this.out.push(featureOf(value, this.index++, line, this.opts));
  }

  feed(s: string): void {
    const fileName = this.opts.fileName;
    const n = s.length;
    let line = this.line;
    let depth = this.depth;
    let inString = this.inString;
    let escape = this.escape;
    let capturing = this.capturing;
    let i = 0;
    try {
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (inString) {
          if (escape) escape = false;
          else if (c === BS) escape = true;
          else if (c === Q) {
            inString = false;
            if (this.keyStart >= 0) {
              const key = this.keyPieces + s.slice(this.keyStart, i);
              this.keyStart = -1;
              this.keyPieces = '';
              if (this.typeValueNext) {
                this.rootType = key;
                this.typeValueNext = false;
              } else this.currentKey = key;
            }
          } else if (c === NL) line++;
          continue;
        }
        if (c === Q) {
          inString = true;
          if (depth === 1 && (this.rootKeyNext || (this.currentKey === 'type' && this.typeValueNext))) {
            this.keyStart = i + 1;
            this.rootKeyNext = false;
          } else if (this.inFeatures && depth === 2 && !capturing && !this.scalarElem) this.element('', line);
          continue;
        }
        if (c === NL) {
          line++;
          continue;
        }
        if (c === 32 || c === 13 || c === 9) continue;
        if (depth > 2 && c !== LB && c !== LS && c !== RB && c !== RS) continue;
        if (!this.started) {
          this.started = true;
          if (c === LS) throw notGeoJson(fileName, 'geojson.array', line);
          if (c !== LB) throw bad(fileName, line, 'geojson.notJson');
        }
        if (this.ended) throw bad(fileName, line, 'json.textAfterEnd');
        if (c === LB || c === LS) {
          if (depth === 2 && this.inFeatures && !capturing && !this.scalarElem) {
            if (c === LB) {
              capturing = true;
              this.capStart = i;
              this.capLine = line;
              this.capPieces = [];
              this.capLength = 0;
            } else this.element([], line);
          }
          depth++;
          if (depth > MAX_DEPTH) throw tooDeep(fileName, line, 'jsonContainers');
          if (depth === 1) this.rootKeyNext = true;
          else if (depth === 2 && c === LS && this.currentKey === 'features' && !this.sawFeatures) {
            this.inFeatures = true;
            this.sawFeatures = true;
          }
          continue;
        }
        if (c === RB || c === RS) {
          depth--;
          if (depth < 0) throw bad(fileName, line, 'json.closesNothing', { found: String.fromCharCode(c) });
          if (capturing && depth === 2) {
            capturing = false;
            const piece = s.slice(this.capStart, i + 1);
            this.capLength += piece.length;
            if (this.capLength > MAX_METADATA_TOKEN) throw tokenTooLong(fileName, this.capLine, { what: 'feature', index: this.index }, MAX_METADATA_TOKEN);
            this.line = line;
            this.endFeature(this.capPieces.length ? this.capPieces.join('') + piece : piece);
            this.capPieces = [];
          } else if (this.inFeatures && depth === 1) {
            this.inFeatures = false;
            this.scalarElem = false;
          }
          if (depth === 0) this.ended = true;
          continue;
        }
        if (depth === 1) {
          if (c === COMMA) {
            this.rootKeyNext = true;
            this.currentKey = null;
            this.typeValueNext = false;
          } else if (c === COLON) this.typeValueNext = this.currentKey === 'type';
          continue;
        }
        if (this.inFeatures && depth === 2) {
          if (c === COMMA) this.scalarElem = false;
          else if (!capturing && !this.scalarElem) this.element(null, line);
        }
      }
    } finally {
      this.line = line;
      this.depth = depth;
      this.inString = inString;
      this.escape = escape;
      this.capturing = capturing;
    }
    if (capturing) {
      const piece = s.slice(this.capStart);
      this.capPieces.push(piece);
      this.capLength += piece.length;
      this.capStart = 0;
      if (this.capLength > MAX_METADATA_TOKEN) throw tokenTooLong(fileName, this.capLine, { what: 'feature', index: this.index }, MAX_METADATA_TOKEN);
    }
    if (this.keyStart >= 0) {
      this.keyPieces += s.slice(this.keyStart);
      this.keyStart = 0;
      if (this.keyPieces.length > 4096) throw tokenTooLong(fileName, line, 'jsonRootKey', 4096);
    }
  }
}

export async function* readGeoJsonFeatures(chunks: AsyncIterable<Uint8Array>, opts: GeoJsonReadOptions): AsyncGenerator<GeometryFeature[]> {
  const { fileName } = opts;
  const utf8 = new StrictUtf8(fileName);
  const sc = new Scanner(opts);
  /** the root kept (small files only) in case it is a single Feature */
  let rootPieces: string[] | null = [];
  let rootLength = 0;
  let quiet = 0;
  for await (const chunk of chunks) {
    const s = utf8.decode(chunk);
    if (rootPieces) {
      rootPieces.push(s);
      rootLength += s.length;
      if (rootLength > 16 << 20 || sc.sawFeatures) rootPieces = null;
    }
    sc.feed(s);
    quiet += s.length;
    if (sc.out.length || quiet >= IDLE_BYTES) {
      quiet = 0;
      yield sc.out;
      sc.out = [];
    }
  }
  utf8.decode(new Uint8Array(0), true);
  if (!sc.started) throw ferryError('BAD_FILE', 'file.empty', { file: fileName }, { file: fileName });
  if (sc.depth !== 0 || sc.inString) throw bad(fileName, sc.line, 'json.truncated');
  if (!sc.sawFeatures) {
    if (sc.rootType !== null && sc.rootType.toLowerCase() === 'feature' && rootPieces) {
      let value: unknown;
      try {
        value = JSON.parse(rootPieces.join(''));
      } catch (e) {
        throw bad(fileName, 1, 'json.malformed', { detail: (e as Error).message });
      }
      sc.out.push(featureOf(value, sc.index++, 1, opts));
    } else if (sc.rootType !== null && sc.rootType.toLowerCase() === 'feature') {
      throw ferryError('BAD_FILE', 'geojson.featureTooLarge', { file: fileName }, { file: fileName });
    } else {
      throw notGeoJson(fileName, 'geojson.noFeatures');
    }
  }
  if (sc.out.length) yield sc.out;
}
