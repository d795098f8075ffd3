/**
 * Geometry shared by the GML and GeoJSON readers and the geometry importer: the feature a reader yields, validation
 * (types, closed rings, coordinate ranges), DHIS2's rounding (GmlConversionUtils: half-up on the decimal text, 6
 * decimals for points, 4 for polygons), coordinate pairs (DHIS2 keeps x and y only) and simplification for drawing.
 */
import type { GeoGeometry, Position } from '../../../src-shared/dhis2/geometry.ts';

/**
 * Points one feature may hold. A detailed district boundary has 10⁴–10⁵ points; 500,000 is far above that, and keeps
 * one feature's parse (about 100 bytes of memory per point) bounded. A feature beyond it is a conflict, not read.
 */
export const MAX_POINTS_PER_FEATURE = 500_000;

/** What a geometry reader yields per feature. */
export interface GeometryFeature {
  /** 0-based position in the file's features (DHIS2's conflict index) */
  index: number;
  /** 1-based line where the feature starts */
  line: number;
  /** the identifier read (GeoJSON: id or the chosen property; GML: uid, else code, else name) */
  identifier: string | null;
  /** GML: which property the identifier came from */
  idProperty?: 'uid' | 'code' | 'name';
  /** GeoJSON: the raw `geometry` value (undefined when the member is absent); GML: the converted geometry or null */
  geometry: unknown;
  /** GML: why the geometry could not be converted (unsupported type, bad coordinates, too many points) */
  problem?: string;
  /** the number of positions (counted by the reader) */
  points: number;
  /** GeoJSON: the feature's `name` property (for the preview of unmatched features) */
  label?: string;
}

export type GeometryReaderFactory = (
  chunks: AsyncIterable<Uint8Array>,
  opts: { fileName: string; geoJsonId?: boolean; geoJsonProperty?: string },
) => AsyncIterable<GeometryFeature[]>;

// ---------------------------------------------------------------- rounding

/**
 * Rounds half-up (away from zero) at `decimals` on the number's shortest decimal text, as commons-math
 * Precision.round(double, scale) does (BigDecimal of Double.toString, ROUND_HALF_UP).
 */
export function roundHalfUp(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return x;
  const neg = x < 0;
  const s = (neg ? -x : x).toString();
  if (s.includes('e')) {
    const f = 10 ** decimals;
    const r = Math.round((neg ? -x : x) * f) / f;
    return neg ? -r : r;
  }
  const dot = s.indexOf('.');
  if (dot < 0 || s.length - dot - 1 <= decimals) return x;
  const keep = s.slice(0, dot + 1 + decimals);
  const next = s.charCodeAt(dot + 1 + decimals) - 48;
  let r = Number(keep);
  if (next >= 5) r = Number((r + 10 ** -decimals).toFixed(decimals));
  return neg ? -r : r;
}

// ---------------------------------------------------------------- validation

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Why a position is not valid (two or more numbers, longitude −180…180, latitude −90…90), or null. */
function positionProblem(p: unknown): string | null {
  if (!Array.isArray(p) || p.length < 2 || !isNum(p[0]) || !isNum(p[1])) return 'a position is not two numbers';
  if (p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90)
    return `the position [${p[0]}, ${p[1]}] is outside longitude −180…180 / latitude −90…90 (swapped axes or projected coordinates?)`;
  return null;
}

function positionsProblem(ps: unknown, min: number, what: string): string | null {
  if (!Array.isArray(ps)) return `${what} is not a list of positions`;
  if (ps.length < min) return `${what} has ${ps.length} position${ps.length === 1 ? '' : 's'} (at least ${min} needed)`;
  for (const p of ps) {
    const e = positionProblem(p);
    if (e) return e;
  }
  return null;
}

function ringsProblem(rings: unknown, what: string): string | null {
  if (!Array.isArray(rings) || rings.length === 0) return `${what} has no rings`;
  for (let i = 0; i < rings.length; i++) {
    const ring = rings[i] as unknown;
    const e = positionsProblem(ring, 3, `ring ${i + 1} of ${what}`); // JTS LinearRing.MINIMUM_VALID_SIZE (closed: 3)
    if (e) return e;
    const r = ring as number[][];
    const a = r[0]!;
    const b = r[r.length - 1]!;
    if (a[0] !== b[0] || a[1] !== b[1]) return `ring ${i + 1} of ${what} is not closed (its first position is not its last)`;
  }
  return null;
}

/** True when `coordinates` is an empty array at its top level (DHIS2's E7712). */
export function coordinatesEmpty(g: unknown): boolean {
  const c = (g as { coordinates?: unknown } | null)?.coordinates;
  return c === undefined || c === null || (Array.isArray(c) && c.length === 0);
}

/**
 * Why a GeoJSON geometry is not valid (what GeoTools' GeometryJSON refuses, plus coordinate ranges: Ferry stores
 * longitude/latitude, EPSG:4326), or null when it is.
 */
export function geometryProblem(g: unknown): string | null {
  if (typeof g !== 'object' || g === null || Array.isArray(g)) return 'the geometry is not an object';
  const { type, coordinates: c } = g as { type?: unknown; coordinates?: unknown };
  switch (type) {
    case 'Point':
      return positionProblem(c);
    case 'MultiPoint':
      return positionsProblem(c, 1, 'the MultiPoint');
    case 'LineString':
      return positionsProblem(c, 2, 'the LineString');
    case 'MultiLineString':
      if (!Array.isArray(c) || !c.length) return 'the MultiLineString has no lines';
      for (const l of c) {
        const e = positionsProblem(l, 2, 'a line');
        if (e) return e;
      }
      return null;
    case 'Polygon':
      return ringsProblem(c, 'the polygon');
    case 'MultiPolygon':
      if (!Array.isArray(c) || !c.length) return 'the MultiPolygon has no polygons';
      for (let i = 0; i < c.length; i++) {
        const e = ringsProblem(c[i], `polygon ${i + 1}`);
        if (e) return e;
      }
      return null;
    default:
      return typeof type === 'string' ? `geometry type '${type}' is not one an org unit can have` : 'the geometry has no type';
  }
}

/**
 * Positions in a (raw) geometry: the nesting is read down the first elements, then lists of positions are counted by
 * their length (a malformed mix is caught by geometryProblem, not here).
 */
export function countPositions(c: unknown): number {
  let depth = 0;
  for (let x: unknown = c; Array.isArray(x); x = x[0]) depth++;
  if (depth === 0) return 0;
  const walk = (a: unknown, d: number): number => {
    if (!Array.isArray(a)) return 0;
    if (d <= 1) return 1;
    if (d === 2) return a.length;
    let n = 0;
    for (const x of a) n += walk(x, d - 1);
    return n;
  };
  return walk(c, depth);
}

/** The geometry with x and y only in every position (DHIS2: geometryWithCoordinatePairs), type and coordinates only. */
export function withCoordinatePairs(g: GeoGeometry): GeoGeometry {
  // most files have x and y only: then nothing is copied but the outer object (less garbage on large files)
  const longer = (c: unknown): boolean => (Array.isArray(c) ? (typeof c[0] === 'number' ? c.length > 2 : c.some(longer)) : false);
  if (!longer(g.coordinates)) return { type: g.type, coordinates: g.coordinates } as GeoGeometry;
  const pairs = (c: unknown): unknown => (Array.isArray(c) && typeof c[0] === 'number' ? (c.length > 2 ? [c[0], c[1]] : c) : Array.isArray(c) ? c.map(pairs) : c);
  return { type: g.type, coordinates: pairs(g.coordinates) } as GeoGeometry;
}

// ---------------------------------------------------------------- drawing

/** [minX, minY, maxX, maxY] of a geometry, or null. */
export function bboxOf(g: GeoGeometry | null | undefined, into: [number, number, number, number] | null = null): [number, number, number, number] | null {
  if (!g) return into;
  let b = into;
  const walk = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') {
      const x = c[0];
      const y = c[1] as number;
      if (!b) b = [x, y, x, y];
      else {
        if (x < b[0]) b[0] = x;
        if (y < b[1]) b[1] = y;
        if (x > b[2]) b[2] = x;
        if (y > b[3]) b[3] = y;
      }
      return;
    }
    for (const x of c) walk(x);
  };
  walk(g.coordinates);
  return b;
}

const r5 = (p: Position): Position => [Math.round(p[0]! * 1e5) / 1e5, Math.round(p[1]! * 1e5) / 1e5];

/** A line of positions thinned to about `max` (first and last kept: rings stay closed). */
function thin(ps: Position[], max: number): Position[] {
  if (ps.length <= max) return ps.map(r5);
  const step = ps.length / (max - 1);
  const out: Position[] = [];
  for (let i = 0; i < max - 1; i++) out.push(r5(ps[Math.floor(i * step)]!));
  out.push(r5(ps[ps.length - 1]!));
  return out;
}

/**
 * The geometry thinned for drawing to about `maxPoints` positions in all (each ring or line keeps its share, at least
 * 4 positions for a ring), coordinates rounded to 5 decimals (1 m).
 */
export function simplifyForDrawing(g: GeoGeometry, maxPoints: number): GeoGeometry {
  const total = Math.max(1, countPositions(g.coordinates));
  const share = (n: number, min: number): number => Math.max(min, Math.floor((n / total) * maxPoints));
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: r5(g.coordinates) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: thin(g.coordinates, Math.max(1, maxPoints)) };
    case 'LineString':
      return { type: 'LineString', coordinates: thin(g.coordinates, share(g.coordinates.length, 2)) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: g.coordinates.map((l) => thin(l, share(l.length, 2))) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: g.coordinates.map((r) => thin(r, share(r.length, 4))).filter((r, i) => i === 0 || r.length >= 4) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => thin(r, share(r.length, 4)))) };
  }
}
