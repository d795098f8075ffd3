/**
 * DXF2 JSON metadata writer: {"system": {...}, "<plural>": [ … ], …} as DHIS2's /api/metadata export writes it.
 * Objects arrive as JSON text (the stored DXF2 form) so nothing is re-serialised on the fast path; one object per line.
 */
import type { MetadataWriter } from '../shared/metadata-record.ts';

export function createJsonMetadataWriter(): MetadataWriter {
  let firstObject = true;
  return {
    begin: (system) => `{"system":${JSON.stringify({ id: system.id, rev: system.rev, version: system.version, date: system.date })}`,
    beginType(type) {
      firstObject = true;
      return `,\n${JSON.stringify(type)}:[`;
    },
    object(json) {
      const s = (firstObject ? '\n' : ',\n') + json;
      firstObject = false;
      return s;
    },
    endType: () => (firstObject ? ']' : '\n]'),
    end: () => '}\n',
  };
}
