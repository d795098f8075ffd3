/**
 * The metadata importer (job glue): for each file, open (compression) → detect (JSON or XML) → stream records into
 * the engine → validate and write → one ImportReport for the job. Bad files are AppError BAD_FILE naming the file.
 */
import type { FileOutcome, ImportFileInput, Importer, JobContext } from '../../jobs/types.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { metadataImportOptionsSchema, type ImportFormat } from '../../../src-shared/dhis2/options.ts';
import type { ImportReport } from '../../../src-shared/dhis2/import-summary.ts';
import { openInput, type OpenedInput } from '../../io/input.ts';
import { assertUtf8Head, detectFormat } from '../../io/detect.ts';
import type { MetadataReadInfo, MetadataRecord } from '../../formats/shared/metadata-record.ts';
import { metadataReaderFor } from '../../formats/registry.ts';
import { MetadataEngine, mergeReports, type EngineOptions } from './engine.ts';

export { MetadataEngine, mergeReports } from './engine.ts';

export interface ParsedMetadataOptions extends Omit<EngineOptions, 'now' | 'sourceFileId'> {
  dryRun: boolean;
}

/** Validates options (DHIS2 names). `importMode: VALIDATE` is accepted as a dry run. */
export function parseMetadataOptions(options: Record<string, unknown>): ParsedMetadataOptions {
  const raw: Record<string, unknown> = { ...options };
  let lenient = false;
  if (raw.lenient === true) lenient = true;
  delete raw.lenient;
  if (typeof raw.importMode === 'string') {
    if (raw.importMode.toUpperCase() === 'VALIDATE') raw.dryRun = true;
    delete raw.importMode;
  }
  const r = metadataImportOptionsSchema.safeParse(raw);
  if (!r.success) throw ferryError('BAD_REQUEST', 'import.badOptions', { detail: r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ') });
  return { ...r.data, lenient };
}

/** Streams one file's metadata records into the engine; returns what was detected. */
export async function readMetadataFile(
  file: { path: string; name: string },
  engine: MetadataEngine,
  format: ImportFormat | undefined,
  onProgress?: (raw: number, size: number, records: number) => void,
): Promise<{ size: number; sha256: string; format: string; compression: string }> {
  const input = await openInput(file.path);
  try {
    let fmt: string = format ?? '';
    // a zip entry is named "archive.zip › entry.json"
    const label = input.label;
    if (!fmt && /^(\uFEFF)?\s*</.test(input.head.subarray(0, 4096).toString('utf8'))) {
      // XML: the reader checks the root element (<metadata>) and refuses DOCTYPE/entity declarations itself
      assertUtf8Head(input.head, label);
      fmt = 'xml';
    }
    if (!fmt) {
      const d = detectFormat(input.head, label);
      if (d.kind !== 'metadata') {
        throw ferryError('BAD_FILE', 'metadata.notMetadata', { file: label, kind: d.kind, format: d.format }, { file: label });
      }
      fmt = d.format;
    }
    const read = metadataReaderFor(fmt, label);
    const info: MetadataReadInfo = { keys: [] };
    let n = 0;
    const it: AsyncIterable<MetadataRecord> = read(input.chunks(), label, info, {
      onBytes: () => onProgress?.(input.rawBytesRead(), input.size, n),
    });
    for await (const rec of it) {
      engine.add(rec);
      n++;
    }
    await refuseMoreEntries(input);
    for (const k of info.keys) engine.noteKey(k.key, k.count);
    if (!engine.hasMetadata()) {
      const keys = info.keys.map((k) => k.key);
      throw ferryError('BAD_FILE', keys.length ? 'metadata.noneFoundKeys' : 'metadata.noneFound', { file: label, keys: keys.slice(0, 10).join(', ') }, { file: label });
    }
    return { size: input.size, sha256: input.sha256(), format: fmt, compression: input.compression };
  } finally {
    input.close();
  }
}

/**
 * A zip archive with more than one file is refused, naming them (issue 16): a metadata import reads one document per
 * file, and silently taking the first would drop the others. Called once the first entry has been read (nothing is
 * written before the whole job has been read); the names are collected by reading on through the archive.
 */
async function refuseMoreEntries(first: OpenedInput): Promise<void> {
  let e = await first.next();
  if (!e) return;
  const names = [first.entryName!];
  let count = 1;
  for (; e; e = await e.next()) {
    count++;
    if (names.length < 10) names.push(e.entryName!);
  }
  throw ferryError('BAD_FILE', count > names.length ? 'metadata.zipManyMore' : 'metadata.zipMany', { file: first.name, count, names: names.join(', '), more: count - names.length }, { file: first.name });
}

/** What reading one file into its engine gives back: the file's fingerprint for the job's file list. */
export interface MetadataFileRead {
  size: number;
  sha256: string;
  format: string | null;
  compression: string | null;
}

/**
 * One metadata import job over its files (DXF2 and CSV metadata alike): an engine per file fed by `read`, the reports
 * merged, and under atomic mode the first failing file ends the job with nothing committed. `after` may add to each
 * file's report (e.g. the lines objects came from) before it is merged.
 */
export async function importMetadataFiles(
  ctx: JobContext,
  files: ImportFileInput[],
  opts: ParsedMetadataOptions,
  read: (f: ImportFileInput, engine: MetadataEngine, onBytes: (raw: number, size: number, records: number) => void) => Promise<MetadataFileRead>,
  after?: (report: ImportReport) => void,
): Promise<{ summary: ImportReport; status: ImportReport['status']; commit: boolean; files: FileOutcome[] }> {
  let report: ImportReport | null = null;
  let commit = true;
  const outcomes: FileOutcome[] = [];
  for (const f of files) {
    ctx.throwIfCancelled();
    const engine = new MetadataEngine(
      ctx.db,
      { ...opts, now: ctx.now, sourceFileId: f.fileId },
      {
        progress: (stage, done, total) => ctx.progress({ stage, done, total, unit: 'records', records: done, fileIndex: f.index, fileName: f.name }),
        throwIfCancelled: () => ctx.throwIfCancelled(),
      },
    );
    const meta = await read(f, engine, (raw, size, records) => {
      ctx.progress({ stage: 'reading', done: raw, total: size, unit: 'bytes', records, fileIndex: f.index, fileName: f.name });
      ctx.throwIfCancelled();
    });
    const r = engine.run();
    after?.(r.report);
    if (!r.commit) commit = false;
    report = mergeReports(report, r.report);
    outcomes.push({ index: f.index, size: meta.size, sha256: meta.sha256, format: meta.format, compression: meta.compression, status: r.report.status });
    if (!commit) break; // atomic: the first failing file ends the job, nothing is committed
  }
  if (!report) throw ferryError('BAD_REQUEST', 'import.noFile');
  if (ctx.dryRun || opts.dryRun) report.dryRun = true;
  return { summary: report, status: report.status, commit, files: outcomes };
}

export const metadataImporter: Importer = {
  kind: 'metadata',
  run: (ctx: JobContext, files: ImportFileInput[], options: Record<string, unknown>, format?: ImportFormat) =>
    importMetadataFiles(ctx, files, parseMetadataOptions(options), (f, engine, onBytes) => readMetadataFile(f, engine, format, onBytes)),
};
