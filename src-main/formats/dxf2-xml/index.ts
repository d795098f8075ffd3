/** DXF2 XML: DHIS2's <metadata> and <dataValueSet> documents. */
import type { FormatModule } from '../types.ts';
import { readXmlDataValues } from './data-reader.ts';
import { createXmlDataWriter } from './data-writer.ts';
import { readDxf2XmlMetadata } from './metadata-reader.ts';
import { createXmlMetadataWriter } from './metadata-writer.ts';

export const dxf2XmlFormat: FormatModule = {
  id: 'dxf2-xml',
  format: 'xml',
  label: 'XML (DXF2)',
  kinds: ['metadata', 'data'],
  extensions: ['xml'],
  mimeTypes: ['application/xml', 'text/xml'],
  sniff: (h) => {
    if (h.xmlRoot === 'dataValueSet' || h.xmlRoot === 'dataValueSets') return { kind: 'data' };
    if (h.xmlRoot === 'metadata') return { kind: 'metadata' };
    return null;
  },
  readers: {
    data: (chunks, o) => readXmlDataValues(chunks, { fileName: o.fileName }),
    metadata: (chunks, fileName, info, hooks) => readDxf2XmlMetadata(chunks, fileName, info, hooks),
  },
  writers: {
    data: { shape: 'rows', create: createXmlDataWriter, withCreated: true },
    metadata: () => {
      const w = createXmlMetadataWriter();
      return { ...w, takes: 'object', object: (_text, obj) => w.object(obj ?? {}) };
    },
  },
};
