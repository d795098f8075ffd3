/** GeoJSON feature collections (DHIS2's recommended geometry import). */
import type { FormatModule } from '../types.ts';

export const geojsonFormat: FormatModule = {
  id: 'geojson',
  format: 'geojson',
  label: 'GeoJSON',
  kinds: ['geometry'],
  extensions: ['geojson', 'json'],
  mimeTypes: ['application/geo+json'],
  sniff: (h) =>
    (h.text?.startsWith('{') || h.text?.startsWith('[')) && /"type"\s*:\s*"FeatureCollection"/.test(h.text.slice(0, 8192)) ? { kind: 'geometry' } : null,
  note: 'recognised; the geometry import is not built yet',
};
