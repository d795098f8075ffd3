/** GML 2/3 feature collections (org unit coordinates and boundaries). */
import type { FormatModule } from '../types.ts';
import { readGmlFeatures } from './reader.ts';

export const gmlFormat: FormatModule = {
  id: 'gml',
  format: 'gml',
  label: 'GML',
  kinds: ['geometry'],
  extensions: ['gml', 'xml'],
  mimeTypes: ['application/gml+xml'],
  sniff: (h) => {
    if (h.xmlRoot === 'FeatureCollection') return { kind: 'geometry' };
    // another root that declares or uses the GML namespace near the start
    if (h.xmlRoot !== null && /gml/i.test(h.xmlBody.slice(0, 2000))) return { kind: 'geometry', weak: true };
    return null;
  },
  readers: { geometry: (chunks, opts) => readGmlFeatures(chunks, { fileName: opts.fileName }) },
};
