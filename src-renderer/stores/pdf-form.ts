/** The PDF data entry form wizard: a data set, optionally an org unit (pre-filled, locked) and a period (pre-selected). */
import { parsePeriod } from '../../src-shared/dhis2/period.ts';
import { createExportStore } from './exports.ts';
import { i18n } from '../i18n.ts';

export interface PdfFormOptions {
  dataSet: { id: string; name: string } | null;
  orgUnit: { id: string; name: string } | null;
  /** ISO period ('' = the facility chooses it in the form) */
  period: string;
}

export const usePdfFormExport = createExportStore<PdfFormOptions>({
  kind: 'pdf-form',
  defaults: () => ({ dataSet: null, orgUnit: null, period: '' }),
  format: 'pdf',
  compression: 'none',
  fileName: (o) => ({ name: [o.dataSet?.name, o.orgUnit?.name, o.period.trim()].filter(Boolean).join(' ') }),
  validate: (o) => {
    if (!o.dataSet) return i18n.t('exports:validate.pdfDataSet');
    const p = o.period.trim();
    if (p && !parsePeriod(p)) return i18n.t('exports:validate.pdfPeriod', { period: p });
    return null;
  },
  toRequest: (o) => ({
    dataSet: o.dataSet!.id,
    ...(o.orgUnit ? { orgUnit: o.orgUnit.id } : {}),
    ...(o.period.trim() ? { period: o.period.trim() } : {}),
  }),
});
