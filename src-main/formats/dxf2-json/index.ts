/** DXF2 JSON: DHIS2's /api/metadata and /api/dataValueSets JSON. */
import type { FormatModule } from '../types.ts';
import { jsonFirstKeyIn } from '../shared/sniff-head.ts';
import { readJsonDataValues } from './data-reader.ts';
import { createJsonDataWriter } from './data-writer.ts';
import { readDxf2JsonMetadata } from './metadata-reader.ts';
import { createJsonMetadataWriter } from './metadata-writer.ts';

/** Root keys that only a data value set starts with. */
export const DATA_VALUE_SET_KEYS = [
  'dataValues', 'dataSet', 'completeDate', 'period', 'orgUnit', 'attributeOptionCombo', 'idScheme', 'dataElementIdScheme', 'orgUnitIdScheme',
] as const;

export const dxf2JsonFormat: FormatModule = {
  id: 'dxf2-json',
  format: 'json',
  label: 'JSON (DXF2)',
  kinds: ['metadata', 'data'],
  extensions: ['json'],
  mimeTypes: ['application/json'],
  sniff: (h) => {
    if (jsonFirstKeyIn(h.text, DATA_VALUE_SET_KEYS)) return { kind: 'data' };
    // any other JSON object: metadata (its reader names unknown top-level keys)
    if (h.text?.startsWith('{')) return { kind: 'metadata', weak: true };
    return null;
  },
  readers: {
    data: (chunks, o) => readJsonDataValues(chunks, { fileName: o.fileName }),
    metadata: (chunks, fileName, info, hooks) => readDxf2JsonMetadata(chunks, fileName, info, hooks),
  },
  writers: {
    data: { shape: 'rows', create: createJsonDataWriter, withCreated: true },
    metadata: () => {
      const w = createJsonMetadataWriter();
      return { ...w, takes: 'text', object: (text) => w.object(text) };
    },
  },
};
