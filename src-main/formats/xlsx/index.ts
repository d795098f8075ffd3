/**
 * Excel workbooks (.xlsx), written only: metadata (a Contents sheet, then one sheet per object type) and data values
 * (one row per value, names beside the identifiers). Written with exceljs's streaming WorkbookWriter, so large
 * exports stay flat in memory. An xlsx file is already a zip: it is exported without further compression.
 */
import type { FormatModule } from '../types.ts';
import { createXlsxDataWriter } from './data-writer.ts';
import { createXlsxMetadataWriter } from './metadata-writer.ts';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const xlsxFormat: FormatModule = {
  id: 'xlsx',
  format: 'xlsx',
  label: 'Excel (xlsx)',
  kinds: ['metadata', 'data'],
  extensions: ['xlsx'],
  mimeTypes: [XLSX_MIME],
  compressed: true,
  writers: {
    data: { shape: 'sheet', create: createXlsxDataWriter },
    metadata: { shape: 'sheet', create: (out, nameOf, opts) => createXlsxMetadataWriter(out, nameOf, opts) },
  },
};
