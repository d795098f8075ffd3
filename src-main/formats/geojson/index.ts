/** GeoJSON feature collections (DHIS2's recommended geometry import). */
import type { FormatModule } from '../types.ts';
import { readGeoJsonFeatures } from './reader.ts';

export const geojsonFormat: FormatModule = {
  id: 'geojson',
  format: 'geojson',
  label: 'GeoJSON',
  kinds: ['geometry'],
  extensions: ['geojson', 'json'],
  mimeTypes: ['application/geo+json'],
  sniff: (h) =>
    (h.text?.startsWith('{') || h.text?.startsWith('[')) && /"type"\s*:\s*"(FeatureCollection|Feature)"/.test(h.text.slice(0, 8192)) ? { kind: 'geometry' } : null,
  readers: { geometry: (chunks, opts) => readGeoJsonFeatures(chunks, opts) },
};
