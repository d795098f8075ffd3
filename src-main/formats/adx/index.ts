/** ADX (urn:ihe:qrph:adx:2015): aggregate data grouped by data set, period, org unit and attribute options. */
import type { FormatModule } from '../types.ts';
import { readAdxDataValues } from './reader.ts';
import { createAdxWriter } from './writer.ts';

export const adxFormat: FormatModule = {
  id: 'adx',
  format: 'adx',
  label: 'ADX',
  kinds: ['data'],
  extensions: ['adx.xml', 'xml'],
  mimeTypes: ['application/adx+xml'],
  defaultIdScheme: 'CODE',
  sniff: (h) => (h.xmlRoot === 'adx' ? { kind: 'data' } : null),
  readers: { data: (chunks, o) => readAdxDataValues(chunks, { fileName: o.fileName }) },
  writers: { data: { shape: 'groups', create: createAdxWriter } },
};
