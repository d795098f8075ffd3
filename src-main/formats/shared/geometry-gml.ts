/**
 * GML geometry → GeoJSON, as DHIS2's gml2dxf2.xsl + GmlConversionUtils do for GML 2, and for GML 3:
 * - Point: the first `coordinates` or `pos` (6 decimals). Polygon: every `coordinates` / `posList` inside it is a ring
 *   in document order (outer and inner: GML 2 outerBoundaryIs/innerBoundaryIs, GML 3 exterior/interior), and a
 *   LinearRing of `pos` elements is one ring (4 decimals). MultiPolygon (polygonMember) and MultiSurface
 *   (surfaceMember / surfaceMembers): one polygon per Polygon inside.
 * - `posList` takes `srsDimension` (on it or on an enclosing geometry; default 2) and keeps x and y of each tuple; a
 *   count that is not a multiple of it makes the list unusable (DHIS2 ignores an odd posList).
 * - Axis order: GML 2 and the plain `EPSG:4326` / CRS84 declarations are x = longitude; the URN/URI forms of EPSG 4326
 *   (`urn:ogc:def:crs:EPSG::4326`, `http://www.opengis.net/def/crs/EPSG/0/4326`, as GML 3 writers such as GDAL's use)
 *   are latitude first and are swapped. DHIS2 itself keeps the axes as given.
 */
import type { GeoGeometry, Position } from '../../../src-shared/dhis2/geometry.ts';
import { MAX_POINTS_PER_FEATURE, roundHalfUp } from './geometry.ts';

/** The part of a GML geometry element the conversion needs. */
export interface GmlNode {
  name: string;
  attrs: Record<string, string>;
  children: GmlNode[];
  text: string;
}

/** GML geometry elements a feature property may hold (the geometry's own element). */
export const GML_GEOMETRIES = new Set(['Point', 'Polygon', 'MultiPolygon', 'MultiSurface', 'Surface', 'MultiPoint', 'LineString', 'MultiLineString', 'MultiCurve', 'Curve', 'MultiGeometry']);
/** Elements whose text the conversion reads. */
export const GML_TEXT = new Set(['coordinates', 'pos', 'posList']);

const LAT_FIRST = [/^urn:ogc:def:crs:EPSG:[^:]*:4326$/i, /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/4326$/i, /^urn:x-ogc:def:crs:EPSG:[^:]*:4326$/i];

/** Whether a srsName puts latitude first (EPSG 4326 in its URN/URI form). */
export function latitudeFirst(srsName: string | undefined): boolean {
  return !!srsName && LAT_FIRST.some((r) => r.test(srsName.trim()));
}

export class GmlGeometryError extends Error {}

interface Ctx {
  swap: boolean;
  dim: number;
  /** shared by every child context */
  count: { points: number };
}

function num(s: string, decimals: number): number {
  const v = Number(s);
  if (s === '' || !Number.isFinite(v)) throw new GmlGeometryError(`'${s.slice(0, 40)}' is not a number`);
  return roundHalfUp(v, decimals);
}

function pos(x: string, y: string, decimals: number, c: Ctx): Position {
  if (++c.count.points > MAX_POINTS_PER_FEATURE) throw new GmlGeometryError(`more than ${MAX_POINTS_PER_FEATURE.toLocaleString('en')} points in one feature (Ferry's limit)`);
  const a = num(x, decimals);
  const b = num(y, decimals);
  return c.swap ? [b, a] : [a, b];
}

/** Blank-separated tokens in a text (counted before splitting it, so that a huge list is refused cheaply). */
function tokens(s: string): number {
  let n = 0;
  let blank = true;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    const b = ch === 32 || ch === 10 || ch === 13 || ch === 9;
    if (!b && blank) n++;
    blank = b;
  }
  return n;
}

function refuseTooMany(extra: number, c: Ctx): void {
  if (c.count.points + extra > MAX_POINTS_PER_FEATURE)
    throw new GmlGeometryError(`more than ${MAX_POINTS_PER_FEATURE.toLocaleString('en')} points in one feature (Ferry's limit)`);
}

/** GML 2 `coordinates`: tuples separated by `ts` (blank space), values by `cs` (","), decimal point `decimal`. */
function coordinatesText(n: GmlNode, decimals: number, c: Ctx): Position[] {
  const cs = n.attrs.cs ?? ',';
  const ts = n.attrs.ts;
  const dec = n.attrs.decimal ?? '.';
  const text = n.text.trim();
  if (!text) return [];
  if (!ts || ts.trim() === '') refuseTooMany(tokens(text), c);
  const tuples = ts && ts.trim() !== '' ? text.split(ts).map((t) => t.trim()) : text.split(/\s+/);
  const out: Position[] = [];
  for (const t of tuples) {
    if (!t) continue;
    const v = t.split(cs).map((s) => (dec === '.' ? s.trim() : s.trim().split(dec).join('.')));
    if (v.length < 2) throw new GmlGeometryError(`the coordinate tuple '${t.slice(0, 40)}' has one value`);
    out.push(pos(v[0]!, v[1]!, decimals, c));
  }
  return out;
}

function dimOf(n: GmlNode, c: Ctx): number {
  const d = n.attrs.srsDimension ?? n.attrs.dimension;
  if (d === undefined) return c.dim;
  const v = Number(d);
  if (!Number.isInteger(v) || v < 2 || v > 4) throw new GmlGeometryError(`srsDimension '${d}' is not 2, 3 or 4`);
  return v;
}

function posListText(n: GmlNode, decimals: number, c: Ctx): Position[] | null {
  const dim = dimOf(n, c);
  refuseTooMany(Math.floor(tokens(n.text) / dim), c);
  const v = n.text.trim().split(/\s+/).filter(Boolean);
  if (v.length % dim !== 0) return null; // DHIS2: a badly formed posList is left out
  const out: Position[] = [];
  for (let i = 0; i < v.length; i += dim) out.push(pos(v[i]!, v[i + 1]!, decimals, c));
  return out;
}

function posText(n: GmlNode, decimals: number, c: Ctx): Position | null {
  const v = n.text.trim().split(/\s+/).filter(Boolean);
  if (v.length < 2) return null;
  return pos(v[0]!, v[1]!, decimals, c);
}

/** A child context: srsName and srsDimension declared on an element apply inside it. */
function enter(n: GmlNode, c: Ctx): Ctx {
  const srs = n.attrs.srsName;
  const dim = n.attrs.srsDimension;
  if (srs === undefined && dim === undefined) return c;
  return { swap: srs !== undefined ? latitudeFirst(srs) : c.swap, dim: dim !== undefined ? dimOf(n, c) : c.dim, count: c.count };
}

/** Every ring inside `n` in document order (coordinates, posList, or a LinearRing of pos elements). */
function rings(n: GmlNode, c: Ctx, out: Position[][]): void {
  const cc = enter(n, c);
  if (n.name === 'coordinates') {
    const r = coordinatesText(n, 4, cc);
    if (r.length) out.push(r);
    return;
  }
  if (n.name === 'posList') {
    const r = posListText(n, 4, cc);
    if (r && r.length) out.push(r);
    return;
  }
  if (n.name === 'LinearRing' && !n.children.some((k) => k.name === 'posList' || k.name === 'coordinates')) {
    const r: Position[] = [];
    for (const k of n.children) if (k.name === 'pos') {
      const p = posText(k, 4, enter(k, cc));
      if (p) r.push(p);
    }
    if (r.length) out.push(r);
    return;
  }
  for (const k of n.children) rings(k, cc, out);
}

/** Polygons inside a multi-geometry (not descending into a polygon). */
function polygons(n: GmlNode, c: Ctx, out: Position[][][]): void {
  const cc = enter(n, c);
  if (n.name === 'Polygon' || n.name === 'Surface' || n.name === 'PolygonPatch') {
    const r: Position[][] = [];
    rings(n, cc, r);
    if (r.length) out.push(r);
    return;
  }
  for (const k of n.children) polygons(k, cc, out);
}

function firstPoint(n: GmlNode, c: Ctx): Position | null {
  const cc = enter(n, c);
  if (n.name === 'coordinates') return coordinatesText(n, 6, cc)[0] ?? null;
  if (n.name === 'pos') return posText(n, 6, cc);
  for (const k of n.children) {
    const p = firstPoint(k, cc);
    if (p) return p;
  }
  return null;
}

/**
 * The GeoJSON of a GML geometry element, or throws GmlGeometryError saying why not. `inherited` is the srsName
 * declared on the feature collection or an enclosing element, if any.
 */
export function gmlToGeoJson(n: GmlNode, inherited?: string): { geometry: GeoGeometry; points: number } {
  const c: Ctx = { swap: latitudeFirst(inherited), dim: 2, count: { points: 0 } };
  switch (n.name) {
    case 'Point': {
      const p = firstPoint(n, c);
      if (!p) throw new GmlGeometryError('the Point has no coordinates');
      return { geometry: { type: 'Point', coordinates: p }, points: c.count.points };
    }
    case 'Polygon':
    case 'Surface': {
      const r: Position[][] = [];
      if (n.name === 'Polygon') rings(n, c, r);
      else {
        const ps: Position[][][] = [];
        polygons({ ...n, name: 'Surface-of' }, c, ps);
        if (ps.length > 1) return { geometry: { type: 'MultiPolygon', coordinates: ps }, points: c.count.points };
        r.push(...(ps[0] ?? []));
      }
      if (!r.length) throw new GmlGeometryError(`the ${n.name} has no coordinates`);
      return { geometry: { type: 'Polygon', coordinates: r }, points: c.count.points };
    }
    case 'MultiPolygon':
    case 'MultiSurface': {
      const ps: Position[][][] = [];
      polygons({ ...n, name: n.name + '-of' }, c, ps);
      if (!ps.length) throw new GmlGeometryError(`the ${n.name} has no polygons`);
      return { geometry: { type: 'MultiPolygon', coordinates: ps }, points: c.count.points };
    }
    default:
      throw new GmlGeometryError(`gml:${n.name} is not a geometry an org unit can have (Point, Polygon, MultiPolygon or MultiSurface)`);
  }
}
