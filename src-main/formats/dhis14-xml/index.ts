/** DHIS 1.4's XML export (<dataStore>/<dxf> roots). */
import type { FormatModule } from '../types.ts';

export const dhis14XmlFormat: FormatModule = {
  id: 'dhis14-xml',
  format: 'xml',
  label: 'DHIS 1.4 XML',
  kinds: ['dhis14'],
  extensions: ['xml'],
  mimeTypes: ['application/xml'],
  sniff: (h) => (h.xmlRoot === 'dataStore' || h.xmlRoot === 'dxf' ? { kind: 'dhis14' } : null),
  note: 'recognised; the DHIS 1.4 import is not built yet',
};
