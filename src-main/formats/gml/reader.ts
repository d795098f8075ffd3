/**
 * GML 2 and GML 3 feature collections (spec §7), streamed through saxes: each `featureMember` (GML 2), each child of
 * `featureMembers` (GML 3) or of a WFS `member` is one feature. Its identifier is the text of the first non-empty
 * descendant element named uid/UID/Uid, else code/CODE/Code, else name/NAME/Name (only one is kept, as DHIS2's
 * stylesheet does); its geometry is a Point, Polygon, MultiPolygon or MultiSurface that is a child of one of the
 * feature's properties (feature/property/geometry). Features are yielded as they close: memory holds one feature.
 * DOCTYPE declarations are refused (no entity can be declared, so none can be expanded or fetched).
 * Errors are AppError BAD_FILE naming the file (and line); the two that are Ferry's own refusals of a readable
 * document (a DOCTYPE, no feature at all) carry `ferryRefusal`: the importer answers the others (malformed XML, text
 * that is not UTF-8, a damaged archive) as DHIS2 answers a GML document it cannot read (E7010 in the import report).
 */
import type { SaxesTagPlain } from 'saxes';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { localName, saxStream } from '../shared/xml-sax.ts';
import { MAX_DATA_TOKEN, MAX_METADATA_TOKEN, tokenTooLong } from '../shared/limits.ts';
import type { GeometryFeature } from '../shared/geometry.ts';
import { GML_GEOMETRIES, GML_TEXT, GmlGeometryError, gmlToGeoJson, type GmlNode } from '../shared/geometry-gml.ts';

const ID_KIND: Record<string, 'uid' | 'code' | 'name'> = {
  uid: 'uid', UID: 'uid', Uid: 'uid',
  code: 'code', CODE: 'code', Code: 'code',
  name: 'name', NAME: 'name', Name: 'name',
};
const MEMBERS = new Set(['featureMember', 'featureMembers', 'member']);
const KEPT_ATTRS = ['srsName', 'srsDimension', 'dimension', 'cs', 'ts', 'decimal'];

interface OpenFeature {
  index: number;
  line: number;
  depth: number;
  ids: { uid?: string; code?: string; name?: string };
  geom: GmlNode | null;
  /** a second geometry property: only the first is read */
  srs?: string;
}

export async function* readGmlFeatures(chunks: AsyncIterable<Uint8Array>, opts: { fileName: string }): AsyncGenerator<GeometryFeature[]> {
  const { fileName } = opts;
  let depth = 0;
  let sawRoot = false;
  let memberDepth = -1;
  let index = 0;
  let feature: OpenFeature | null = null;
  let idCapture: { kind: 'uid' | 'code' | 'name'; depth: number; text: string } | null = null;
  let geomStack: GmlNode[] = [];
  /** srsName declared on the root or an element enclosing the features (boundedBy envelopes are not enclosing) */
  const srsStack: (string | undefined)[] = [];

  const finish = (f: OpenFeature): GeometryFeature => {
    const kind = f.ids.uid ? 'uid' : f.ids.code ? 'code' : f.ids.name ? 'name' : undefined;
    const out: GeometryFeature = { index: f.index, line: f.line, identifier: kind ? f.ids[kind]! : null, geometry: null, points: 0 };
    if (kind) out.idProperty = kind;
    if (!f.geom) out.problem = 'the feature has no Point, Polygon, MultiPolygon or MultiSurface geometry';
    else {
      try {
        const g = gmlToGeoJson(f.geom, f.srs);
        out.geometry = g.geometry;
        out.points = g.points;
      } catch (e) {
        if (!(e instanceof GmlGeometryError)) throw e;
        out.problem = e.message;
      }
    }
    return out;
  };

  for await (const items of saxStream<GeometryFeature>(
    chunks,
    fileName,
    (p, out) => {
      p.on('doctype', () => {
        throw ferryError('BAD_FILE', 'gml.doctype', { file: fileName, line: p.line }, {
          file: fileName,
          line: p.line,
          ferryRefusal: true,
        });
      });
      p.on('opentag', (tag: SaxesTagPlain) => {
        const name = localName(tag.name);
        depth++;
        if (!sawRoot) sawRoot = true;
        if (geomStack.length) {
          const n: GmlNode = { name, attrs: pick(tag.attributes), children: [], text: '' };
          geomStack[geomStack.length - 1]!.children.push(n);
          geomStack.push(n);
          return;
        }
        if (feature) {
          if (depth === feature.depth + 2 && GML_GEOMETRIES.has(name) && !feature.geom) {
            const n: GmlNode = { name, attrs: pick(tag.attributes), children: [], text: '' };
            geomStack = [n];
            return;
          }
          const kind = ID_KIND[name];
          if (kind && !idCapture && !feature.ids[kind]) idCapture = { kind, depth, text: '' };
          return;
        }
        if (memberDepth >= 0 && depth === memberDepth + 1) {
          feature = { index: index++, line: p.line, depth, ids: {}, geom: null };
          feature.srs = srsStack.findLast((s) => s !== undefined);
          return;
        }
        if (MEMBERS.has(name) && memberDepth < 0) {
          memberDepth = depth;
          return;
        }
        srsStack[depth] = tag.attributes.srsName;
      });
      const text = (t: string): void => {
        const top = geomStack[geomStack.length - 1];
        if (top) {
          if (GML_TEXT.has(top.name)) {
            top.text += t;
            if (top.text.length > MAX_METADATA_TOKEN) throw tokenTooLong(fileName, p.line, { what: 'gmlElementText', element: top.name }, MAX_METADATA_TOKEN);
          }
          return;
        }
        if (idCapture) {
          idCapture.text += t;
          if (idCapture.text.length > MAX_DATA_TOKEN) throw tokenTooLong(fileName, p.line, 'gmlIdentifier', MAX_DATA_TOKEN);
        }
      };
      p.on('text', text);
      p.on('cdata', text);
      p.on('closetag', () => {
        if (geomStack.length) {
          const n = geomStack.pop()!;
          if (!geomStack.length && feature) feature.geom = n;
        } else if (idCapture && depth === idCapture.depth) {
          if (feature && idCapture.text !== '') feature.ids[idCapture.kind] ??= idCapture.text;
          idCapture = null;
        } else if (feature && depth === feature.depth) {
          out.push(finish(feature));
          feature = null;
        } else if (depth === memberDepth) memberDepth = -1;
        srsStack.length = Math.min(srsStack.length, depth);
        depth--;
      });
    },
    MAX_METADATA_TOKEN,
  )) {
    yield items;
  }
  if (!sawRoot) throw ferryError('BAD_FILE', 'xml.noElement', { file: fileName }, { file: fileName });
  if (index === 0)
    throw ferryError('BAD_FILE', 'gml.noFeatures', { file: fileName }, {
      file: fileName,
      ferryRefusal: true,
    });
}

function pick(a: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) {
    const l = localName(k);
    if (KEPT_ATTRS.includes(l)) out[l] = v;
  }
  return out;
}
