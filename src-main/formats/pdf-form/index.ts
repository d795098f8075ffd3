/**
 * DHIS2's offline PDF data entry forms (AcroForm fields TXFD_OrgID, TXFD_PeriodID, TXFDDV_<de>_<coc>; spec §8). A
 * filled form is aggregate data: it imports through the data value import (`readers.data`). Forms are made by the
 * pdf-form export (exporters/pdf-form.ts with writer.ts), not by a data value writer.
 */
import type { FormatModule } from '../types.ts';
import { readPdfFormDataValues } from './reader.ts';

export const pdfFormFormat: FormatModule = {
  id: 'pdf-form',
  format: 'pdf',
  label: 'PDF data entry form',
  kinds: ['data'],
  extensions: ['pdf'],
  mimeTypes: ['application/pdf'],
  sniff: (h) => (h.bytes.subarray(0, 5).toString('latin1') === '%PDF-' ? { kind: 'data' } : null),
  readers: {
    data: (chunks, o) => readPdfFormDataValues(chunks, { fileName: o.fileName }),
  },
};
