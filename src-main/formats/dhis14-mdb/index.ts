/** A DHIS 1.4 Microsoft Access database (.mdb, Jet 3/4). */
import type { FormatModule } from '../types.ts';
import { isAccessHeader, openDhis14Mdb } from './reader.ts';

const JET_MAGIC = Buffer.from([0x00, 0x01, 0x00, 0x00, 0x53, 0x74, 0x61, 0x6e, 0x64, 0x61, 0x72, 0x64, 0x20, 0x4a, 0x65, 0x74]);

export const dhis14MdbFormat: FormatModule = {
  id: 'dhis14-mdb',
  format: 'mdb',
  label: 'DHIS 1.4 Access database',
  kinds: ['dhis14'],
  extensions: ['mdb'],
  mimeTypes: ['application/x-msaccess', 'application/vnd.ms-access'],
  sniff: (h) => (h.bytes.length >= 16 && h.bytes.subarray(0, 16).equals(JET_MAGIC) ? { kind: 'dhis14' } : null),
  readers: { dhis14: { shape: 'access', isHeader: isAccessHeader, open: openDhis14Mdb } },
  note: 'imported with --kind dhis14 (Analyse, Preview, Import; incremental with --last-updated)',
};
