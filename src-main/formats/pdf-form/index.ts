/** DHIS2's offline PDF data entry forms (AcroForm fields TXFD_OrgID, TXFD_PeriodID, TXFDDV_<de>_<coc>). */
import type { FormatModule } from '../types.ts';

export const pdfFormFormat: FormatModule = {
  id: 'pdf-form',
  format: 'pdf',
  label: 'PDF data entry form',
  kinds: ['pdf'],
  extensions: ['pdf'],
  mimeTypes: ['application/pdf'],
  sniff: (h) => (h.bytes.subarray(0, 5).toString('latin1') === '%PDF-' ? { kind: 'pdf' } : null),
  note: 'recognised; reading and making PDF forms is not built yet',
};
