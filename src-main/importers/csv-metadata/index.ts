/**
 * The CSV metadata importer (spec §3, DHIS2's `POST /api/metadata?classKey=K`): each file is read with the format
 * registry's CSV metadata reader, its rows become DXF2 objects (formats/csv-metadata/objects.ts, with the database
 * lookups DHIS2 makes while converting), and the objects go through the metadata import engine — the same dry run,
 * strategies, atomic mode, identifier and ImportReport as a DXF2 JSON import. The report carries Ferry's warnings:
 * membership files replace member lists, and rows DHIS2 would drop without a word are listed with their lines.
 */
import type { ImportFileInput, Importer, JobContext } from '../../jobs/types.ts';
import type { Db } from '../../db/open.ts';
import { ferryError, withEnglish } from '../../../src-shared/keyed-errors.ts';
import { keyed, type KeyedMessage } from '../../../src-shared/i18n/error-messages.ts';
import type { ImportReport } from '../../../src-shared/dhis2/import-summary.ts';
import { CSV_CLASSES, CSV_CLASS_KEYS, cellsOf, membershipWarning, parseClassKey, type CsvClassKey } from '../../../src-shared/dhis2/csv-metadata.ts';
import type { CsvMetadataPreview } from '../../../src-shared/api/contract.ts';
import { openInput } from '../../io/input.ts';
import { assertUtf8Head } from '../../io/detect.ts';
import { findFormat } from '../../formats/registry.ts';
import { CsvMetadataBuilder, type CsvMetadataLookups, type SkippedRow } from '../../formats/csv-metadata/objects.ts';
import type { CsvMetadataRow } from '../../formats/csv-metadata/reader.ts';
import type { MetadataRecord } from '../../formats/shared/metadata-record.ts';
import { MetadataRepo } from '../../db/repos/metadata.ts';
import { METADATA_TYPES } from '../../../src-shared/dhis2/schema/registry.ts';
import { importMetadataFiles, parseMetadataOptions } from '../metadata/index.ts';

/** Skipped rows listed one by one in the warnings; the rest are counted. */
const LISTED_SKIPS = 20;

/** The class key of the options, or BAD_REQUEST listing the valid ones. */
export function requireClassKey(v: unknown): CsvClassKey {
  const k = parseClassKey(v);
  if (!k) throw v === undefined || v === null || v === '' || v === true ? ferryError('BAD_REQUEST', 'import.noClassKey', { keys: CSV_CLASS_KEYS.join(', ') }) : ferryError('BAD_REQUEST', 'import.unknownClassKey', { key: String(v), keys: CSV_CLASS_KEYS.join(', ') });
  return k;
}

/** What DHIS2 looks up in its database while converting, from ours (each answer cached for the file). */
export function dbLookups(db: Db): CsvMetadataLookups {
  const repo = new MetadataRepo(db);
  const sets = new Map<string, ReturnType<CsvMetadataLookups['optionSet']>>();
  return {
    group(type, uid) {
      const o = repo.getByUid(type, uid);
      return o ? { name: o.name, shortName: typeof o.json.shortName === 'string' ? o.json.shortName : null } : null;
    },
    optionSet(by) {
      const key = by.uid !== undefined ? `u:${by.uid}` : `c:${by.code}`;
      if (!sets.has(key)) {
        const s = by.uid !== undefined ? repo.getByUid('optionSets', by.uid) : repo.getByCode('optionSets', by.code ?? '');
        const options = s && Array.isArray(s.json.options) ? (s.json.options as { id?: string }[]) : [];
        sets.set(
          key,
          s
            ? {
                uid: s.uid,
                options: options.filter((o) => typeof o.id === 'string').map((o) => ({ uid: o.id!, code: repo.getByUid('options', o.id!)?.code ?? null })),
              }
            : null,
        );
      }
      return sets.get(key)!;
    },
    indicatorType: (uid) => repo.idOf('indicatorTypes', uid) !== null,
  };
}

export interface CsvFileRead {
  size: number;
  sha256: string;
  compression: string;
  rows: number;
  blankRows: number[];
  skipped: SkippedRow[];
  /** per DXF2 type, the line each object (by its index) was read from */
  lines: Map<string, number[]>;
}

/**
 * Reads one CSV metadata file into `add` (records as the metadata readers give them). Refuses what is not CSV text
 * (binary, UTF-16, JSON, XML) before any row is read.
 */
export async function readCsvMetadataFile(
  db: Db,
  file: { path: string; name: string },
  classKey: CsvClassKey,
  firstRowIsHeader: boolean,
  add: (rec: MetadataRecord) => void,
  onBatch?: (raw: number, size: number, rows: number) => void,
): Promise<CsvFileRead> {
  const input = await openInput(file.path);
  try {
    const label = input.label;
    assertUtf8Head(input.head, label);
    const start = input.head.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (/^[{[<]/.test(start))
      throw ferryError('BAD_FILE', 'csv.notCsv', { file: label, found: start[0]! }, { file: label });
    const read = findFormat('csv-metadata', 'csv')?.readers?.['csv-metadata'];
    if (!read) throw ferryError('UNSUPPORTED', 'csv.noReader');
    const builder = new CsvMetadataBuilder(classKey, label, dbLookups(db));
    const blankRows: number[] = [];
    let rows = 0;
    const batches: AsyncIterable<CsvMetadataRow[]> = read(input.chunks(), { fileName: label, firstRowIsHeader, onBlankRow: (l) => blankRows.push(l) });
    for await (const batch of batches) {
      for (const row of batch) {
        rows++;
        for (const rec of builder.add(row)) add(rec);
      }
      onBatch?.(input.rawBytesRead(), input.size, rows);
    }
    for (const rec of builder.finish()) add(rec);
    if (await input.next()) throw ferryError('BAD_FILE', 'csv.zipMany', { file: input.name }, { file: input.name });
    return { size: input.size, sha256: input.sha256(), compression: input.compression, rows, blankRows, skipped: builder.skipped, lines: builder.lines };
  } finally {
    input.close();
  }
}

/** Ferry's warnings for one file, by key: the membership caveat, rows DHIS2 drops silently (the first listed), rows of blank cells. */
export function fileWarnings(name: string, classKey: CsvClassKey, r: Pick<CsvFileRead, 'skipped' | 'blankRows' | 'rows'>, firstRowIsHeader = true): KeyedMessage[] {
  const out: KeyedMessage[] = [];
  if (r.rows === 0) out.push(keyed(firstRowIsHeader ? 'csv.warn.noRowsAfterHeader' : 'csv.warn.noRows', { file: name }));
  const m = CSV_CLASSES[classKey].membership;
  // DHIS2 keeps the short name of org unit groups and data element groups too
  if (m) out.push(keyed(m.groupType === 'organisationUnitGroups' || m.groupType === 'dataElementGroups' ? 'csv.warn.membershipShort' : 'csv.warn.membership', { classKey, members: m.memberType }));
  if (r.skipped.length) {
    out.push(keyed('csv.warn.skipped', { file: name, count: r.skipped.length }));
    for (const s of r.skipped.slice(0, LISTED_SKIPS)) out.push(keyed('csv.warn.skippedRow', { ...s.reason.messageParams, file: name, line: s.line, reason: s.reason.messageKey }));
    if (r.skipped.length > LISTED_SKIPS) out.push(keyed('csv.warn.skippedMore', { file: name, count: r.skipped.length - LISTED_SKIPS }));
  }
  if (r.blankRows.length) out.push(keyed('csv.warn.blankRows', { file: name, count: r.blankRows.length, lines: `${r.blankRows.slice(0, 10).join(', ')}${r.blankRows.length > 10 ? ' …' : ''}` }));
  return out;
}

/** Gives each object report the line of the file its object came from (Ferry extra `line`). */
export function addLines(report: ImportReport, lines: Map<string, number[]>): void {
  const byKlass = new Map<string, number[]>();
  for (const [type, l] of lines) {
    const klass = METADATA_TYPES[type]?.klass;
    if (klass) byKlass.set(klass, l);
  }
  for (const t of report.typeReports) {
    const l = byKlass.get(t.klass);
    if (l) for (const o of t.objectReports) if (l[o.index] !== undefined) o.line = l[o.index];
  }
}

export const csvMetadataImporter: Importer = {
  kind: 'csv-metadata',
  checkOptions: (options) => ({ ...options, classKey: requireClassKey(options.classKey) }),
  async run(ctx: JobContext, files: ImportFileInput[], options: Record<string, unknown>) {
    const opts = parseMetadataOptions(options);
    const classKey = requireClassKey(opts.classKey);
    const warnings: KeyedMessage[] = [];
    const seen = new Set<string>();
    let lines = new Map<string, number[]>();
    const result = await importMetadataFiles(
      ctx,
      files,
      opts,
      async (f, engine, onBytes) => {
        const read = await readCsvMetadataFile(ctx.db, f, classKey, opts.firstRowIsHeader, (rec) => engine.add(rec), onBytes);
        engine.noteKey(CSV_CLASSES[classKey].type, read.rows);
        lines = read.lines;
        for (const w of fileWarnings(f.name, classKey, read, opts.firstRowIsHeader)) {
          const k = JSON.stringify(w);
          if (!seen.has(k)) warnings.push(w), seen.add(k);
        }
        return { size: read.size, sha256: read.sha256, format: 'csv', compression: read.compression };
      },
      (report) => addLines(report, lines),
    );
    if (warnings.length) Object.assign(result.summary, withEnglish(warnings));
    return result;
  },
};

/**
 * The first rows of a CSV metadata file as the import reads them (the wizard's preview, csvMetadata:preview): the
 * class key's named columns, each cell with DHIS2's default for a blank and cut to its maximum length. Reads only as
 * far as needed; no database.
 */
export async function previewCsvMetadata(file: string, classKeyText: string, firstRowIsHeader = true, limit = 10): Promise<CsvMetadataPreview> {
  const classKey = requireClassKey(classKeyText);
  const spec = CSV_CLASSES[classKey];
  const input = await openInput(file);
  try {
    const label = input.label;
    assertUtf8Head(input.head, label);
    const read = findFormat('csv-metadata', 'csv')?.readers?.['csv-metadata'];
    if (!read) throw ferryError('UNSUPPORTED', 'csv.noReader');
    let header: string[] | null = null;
    const rows: CsvMetadataPreview['rows'] = [];
    let more = false;
    outer: for await (const batch of read(input.chunks(), { fileName: label, firstRowIsHeader, onHeader: (v) => (header = v) })) {
      for (const row of batch) {
        if (rows.length >= limit) {
          more = true;
          break outer;
        }
        rows.push({ line: row.line, cells: cellsOf(classKey, row.values), extra: Math.max(0, row.values.length - spec.columns.length) });
      }
    }
    return {
      classKey,
      columns: spec.columns.map((c) => ({ key: c.key, label: c.label, ...(c.ignored ? { ignored: true } : {}) })),
      header,
      rows,
      more,
      warning: membershipWarning(classKey),
    };
  } finally {
    input.close();
  }
}
