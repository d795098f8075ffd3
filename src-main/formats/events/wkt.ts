/**
 * Well-known text ⇄ GeoJSON geometry, for the events CSV `geometry` column (spec §6.1: `POINT (-11.46 7.51)`; DHIS2
 * strips single quotes around it on import). Points, line strings, polygons and their multi forms; coordinates are
 * "x y" = longitude latitude, as in GeoJSON.
 */
import type { TrackerGeometry } from '../../../src-shared/dhis2/tracker.ts';

const TYPES: Record<string, string> = {
  POINT: 'Point',
  MULTIPOINT: 'MultiPoint',
  LINESTRING: 'LineString',
  MULTILINESTRING: 'MultiLineString',
  POLYGON: 'Polygon',
  MULTIPOLYGON: 'MultiPolygon',
};

/** The GeoJSON geometry of a WKT text, or an Error message string when it cannot be read. */
export function wktToGeometry(text: string): TrackerGeometry | string {
  let s = text.trim();
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) s = s.slice(1, -1).trim();
  const m = /^([A-Za-z]+)\s*(\(.*\))$/s.exec(s);
  const type = m ? TYPES[m[1]!.toUpperCase()] : undefined;
  if (!m || !type) return `"${text}" is not a WKT geometry (e.g. POINT (-11.46 7.51))`;
  let i = 0;
  const body = m[2]!;
  const fail = (): string => `"${text}" is not a WKT geometry: unexpected text at character ${i + 1} of "${body}"`;
  const ws = (): void => {
    while (i < body.length && /\s/.test(body[i]!)) i++;
  };
  // a nested list of "(…)" groups, or a coordinate pair at the innermost level
  const parse = (): unknown => {
    ws();
    if (body[i] === '(') {
      i++;
      const items: unknown[] = [];
      for (;;) {
        ws();
        items.push(body[i] === '(' ? parse() : pair());
        ws();
        if (body[i] === ',') {
          i++;
          continue;
        }
        if (body[i] === ')') {
          i++;
          return items;
        }
        throw new Error(fail());
      }
    }
    throw new Error(fail());
  };
  const pair = (): number[] => {
    const mm = /^([-+]?[\d.]+(?:[eE][-+]?\d+)?)\s+([-+]?[\d.]+(?:[eE][-+]?\d+)?)(?:\s+[-+]?[\d.]+(?:[eE][-+]?\d+)?)?/.exec(body.slice(i));
    if (!mm) throw new Error(fail());
    i += mm[0].length;
    const x = Number(mm[1]);
    const y = Number(mm[2]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(fail());
    return [x, y];
  };
  try {
    const tree = parse();
    ws();
    if (i !== body.length) return fail();
    // POINT (x y) is one group holding one pair; MULTIPOINT may write its points with or without parentheses
    let coordinates: unknown = tree;
    if (type === 'Point') {
      const t = tree as unknown[];
      if (t.length !== 1 || !Array.isArray(t[0]) || typeof (t[0] as unknown[])[0] !== 'number') return fail();
      coordinates = t[0];
    } else if (type === 'MultiPoint') coordinates = (tree as unknown[]).map((p) => (Array.isArray(p) && Array.isArray(p[0]) ? p[0] : p));
    return { type, coordinates };
  } catch (e) {
    return (e as Error).message;
  }
}

const num = (n: unknown): string => String(n);

function ring(points: unknown): string {
  return '(' + (points as unknown[][]).map((p) => `${num(p[0])} ${num(p[1])}`).join(', ') + ')';
}

/** The WKT text of a GeoJSON geometry ('' for none or an unknown type). */
export function geometryToWkt(g: TrackerGeometry | null | undefined): string {
  if (!g) return '';
  const c = g.coordinates as unknown[];
  try {
    switch (g.type) {
      case 'Point':
        return `POINT (${num(c[0])} ${num(c[1])})`;
      case 'MultiPoint':
        return `MULTIPOINT ${ring(c)}`;
      case 'LineString':
        return `LINESTRING ${ring(c)}`;
      case 'MultiLineString':
        return `MULTILINESTRING (${c.map(ring).join(', ')})`;
      case 'Polygon':
        return `POLYGON (${c.map(ring).join(', ')})`;
      case 'MultiPolygon':
        return `MULTIPOLYGON (${(c as unknown[][]).map((poly) => '(' + poly.map(ring).join(', ') + ')').join(', ')})`;
      default:
        return '';
    }
  } catch {
    return '';
  }
}
