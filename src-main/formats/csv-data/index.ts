/** DHIS2's data value CSV: 11 positional columns (dataelement, period, orgunit, …), header optional. */
import type { FormatModule } from '../types.ts';
import { readCsvDataValues } from './reader.ts';
import { createCsvDataWriter } from './writer.ts';

export const csvDataFormat: FormatModule = {
  id: 'csv-data',
  format: 'csv',
  label: 'CSV',
  kinds: ['data'],
  extensions: ['csv'],
  mimeTypes: ['text/csv', 'application/csv'],
  sniff: (h) => {
    if (/^"?(dataelement|de|data_element)"?\s*,/i.test(h.firstLine)) return { kind: 'data' };
    // no header: DHIS2's positional columns (the 5 required ones up to the 11 with a spare)
    if (h.firstLine.includes(',')) {
      const cols = h.firstLine.split(',').length;
      if (cols >= 5 && cols <= 12) return { kind: 'data', weak: true };
    }
    return null;
  },
  readers: {
    data: (chunks, o) => readCsvDataValues(chunks, { fileName: o.fileName, firstRowIsHeader: o.firstRowIsHeader, onFirstRow: o.onFirstRow }),
  },
  writers: { data: { shape: 'rows', create: createCsvDataWriter, withCreated: false } },
};
