/**
 * The file name the export wizards (and anyone else) propose: pure, no Node or Electron imports, so the screens can
 * use it as is.
 *   data:         ferry-data-<org unit>-<from>-<to>.<ext>[.zip|.gz]     e.g. ferry-data-Bo-2024-01-01-2024-12-31.json.zip
 *   metadata:     ferry-metadata[-<type>]-<date>.<ext>[.zip|.gz]        e.g. ferry-metadata-2024-05-01.xml.gz
 *   dependencies: ferry-<objectType>-<object>-<date>.<ext>[.zip|.gz]    e.g. ferry-dataSets-Child-Health-2024-05-01.json
 *   any other kind (csv-metadata, pdf-form, events, dhis14-…): ferry-<kind>[-<name>]-<date>.<ext>
 *                                                                       e.g. ferry-pdf-form-Child-Health-2024-05-01.pdf
 * The extension is the format's as the format registry declares it (ADX: .adx.xml); zip adds .zip (the entry inside is the name without it), gzip .gz.
 * Characters that are unsafe in file names on Windows, macOS or Linux become '-'.
 */
import type { ExportKind } from './api/contract.ts';

export interface DefaultFileNameInput {
  kind: ExportKind;
  /** the --format name; used as the extension unless `extension` is given */
  format: string;
  /** the format's file extension from the format registry (ADX: adx.xml) */
  extension?: string;
  compression: 'none' | 'zip' | 'gzip';
  /** data: the (first) org unit's name, code or uid; with several, e.g. "Bo-and-2-more" */
  orgUnit?: string | null;
  /** data: yyyy-MM-dd */
  startDate?: string | null;
  endDate?: string | null;
  /** data: explicit periods (used when no dates are given) */
  periods?: string[] | null;
  /** metadata: the chosen types (a single type is named in the file) */
  types?: string[] | null;
  /** dependencies */
  objectType?: string | null;
  objectName?: string | null;
  /** other kinds: what the file holds (class key, data set name, program name) */
  name?: string | null;
  /** today, yyyy-MM-dd (defaults to the current UTC date) */
  today?: string;
}

/** A file-name-safe fragment: letters and digits of any script, '.', '_' and '-'; at most 60 characters. */
export function fileNamePart(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60)
    .replace(/[-.]+$/g, '');
}

export function defaultExportFileName(i: DefaultFileNameInput): string {
  const today = i.today ?? new Date().toISOString().slice(0, 10);
  const parts: string[] = ['ferry'];
  if (i.kind === 'data') {
    parts.push('data', fileNamePart(i.orgUnit ?? '') || 'all');
    const periods = (i.periods ?? []).filter(Boolean);
    const from = i.startDate ?? (periods.length ? periods[0]! : null);
    const to = i.endDate ?? (periods.length ? periods[periods.length - 1]! : null);
    if (from) parts.push(fileNamePart(from));
    if (to && to !== from) parts.push(fileNamePart(to));
  } else if (i.kind === 'metadata') {
    parts.push('metadata');
    if (i.types && i.types.length === 1) parts.push(fileNamePart(i.types[0]!));
    parts.push(today);
  } else if (i.kind === 'dependencies') {
    parts.push(fileNamePart(i.objectType ?? '') || 'dependencies');
    const name = fileNamePart(i.objectName ?? '');
    if (name) parts.push(name);
    parts.push(today);
  } else {
    parts.push(i.kind, fileNamePart(i.name ?? ''), today);
  }
  const base = parts.filter(Boolean).join('-') + '.' + (i.extension ?? i.format);
  return i.compression === 'zip' ? base + '.zip' : i.compression === 'gzip' ? base + '.gz' : base;
}
