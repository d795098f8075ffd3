/**
 * GeoJsonAttributesCheck — E6004 / E6005: the value of a GEOJSON custom attribute assigned to the object's type is
 * read as GeoJSON (as dhis2-core reads it into a geojson-jackson GeoJsonObject, master):
 *  - not JSON, not an object, or a member of the wrong JSON shape: E6004 naming the value;
 *  - no `type`, or a type GeoJSON lacks: E6005 naming the value (2.42.0 said E6004 here);
 *  - Feature, FeatureCollection, GeometryCollection: E6005 naming the attribute;
 *  - a Point without coordinates, another geometry with no coordinates: E6004 naming the attribute.
 * Empty values are read too (and are not GeoJSON). The object is removed.
 */
import type { Bundle, Item } from '../bundle.ts';
import { isObj } from '../objects.ts';
import { WRITE_STRATEGIES, type MetadataCheck } from './check.ts';
import { attributeEntries, attributeModel, hasAttributeEntries, typesWithAttributeValues } from './custom-attributes.ts';
import { ATTRIBUTE_KLASS } from './mandatory-attributes-check.ts';

const GEOMETRIES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);
const UNSUPPORTED = new Set(['Feature', 'FeatureCollection', 'GeometryCollection']);

/** A position as geojson-jackson reads one: an array of 2 or 3 numbers. */
const isPosition = (v: unknown): boolean => Array.isArray(v) && v.length >= 2 && v.length <= 3 && v.every((n) => typeof n === 'number');
/** Nested arrays of positions `depth` levels deep (0: a position). */
function isNested(v: unknown, depth: number): boolean {
  if (depth === 0) return isPosition(v);
  return Array.isArray(v) && v.every((x) => isNested(x, depth - 1));
}
const DEPTH: Record<string, number> = { Point: 0, MultiPoint: 1, LineString: 1, MultiLineString: 2, Polygon: 2, MultiPolygon: 3 };

/** What is wrong with a GeoJSON value: [code, 'value' | 'attribute'] (what the message names), or null. */
export function geoJsonError(value: string): ['E6004' | 'E6005', 'value' | 'attribute'] | null {
  let g: unknown;
  try {
    g = JSON.parse(value);
  } catch {
    return ['E6004', 'value'];
  }
  if (!isObj(g)) return ['E6004', 'value'];
  const type = g.type;
  if (typeof type !== 'string' || !(GEOMETRIES.has(type) || UNSUPPORTED.has(type))) return ['E6005', 'value'];
  if (UNSUPPORTED.has(type)) {
    // read first (a malformed member fails the read), then refused
    if (type !== 'GeometryCollection' && g.features != null && !Array.isArray(g.features)) return ['E6004', 'value'];
    return ['E6005', 'attribute'];
  }
  const c = g.coordinates;
  if (c == null) return ['E6004', 'attribute'];
  if (type === 'Point') return isPosition(c) ? null : ['E6004', 'value'];
  if (!isNested(c, DEPTH[type]!)) return ['E6004', 'value'];
  return (c as unknown[]).length === 0 ? ['E6004', 'attribute'] : null;
}

function check(b: Bundle, it: Item, geo: Set<string>): void {
  for (const [aid, v] of attributeEntries(it.obj)) {
    if (!geo.has(aid)) continue;
    const e = geoJsonError(v);
    if (!e) continue;
    const [code, names] = e;
    const arg = names === 'value' ? v : aid;
    const what = code === 'E6004' ? 'invalid' : 'unsupported';
    b.error(it, code, `Attribute \`${arg}\` has ${what} GeoJSON value`, {
      mainKlass: ATTRIBUTE_KLASS, mainId: arg, errorProperty: 'value', args: [arg], errorProperties: [arg],
    }, false);
  }
}

export const geoJsonAttributesCheck: MetadataCheck = {
  name: 'GeoJsonAttributesCheck',
  strategies: WRITE_STRATEGIES,
  lenient: false,
  run(b) {
    const model = attributeModel(b);
    for (const [type, items] of typesWithAttributeValues(b)) {
      const geo = new Set([...model.assigned(type)].filter(([, a]) => a.valueType === 'GEOJSON').map(([id]) => id));
      if (!geo.size) continue;
      for (const it of items()) {
        if (!hasAttributeEntries(it.obj)) continue;
        const before = it.errors.length;
        check(b, it, geo);
        if (it.errors.length > before) it.removed = true;
      }
    }
  },
};
