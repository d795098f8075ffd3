/**
 * Aggregate data value import (DHIS2 2.42 classic semantics, spec §1): DXF2 XML, DXF2 JSON, CSV and ADX, each plain,
 * gzip or zip; many files per job (a district taking in all its facilities' exports), one ImportSummary per file
 * (`fileSummaries`) and a combined one. Every file entry of a zip archive is imported as a file of its own, named
 * "archive.zip › entry.csv" (issue 16: none is dropped). Each file runs inside its own SAVEPOINT: a file that turns
 * out broken mid-way (malformed XML, truncated zip, invalid UTF-8) is rolled back entirely and reported as ERROR while
 * the other files still import; a single-file job (one file, or a zip holding one) fails with the AppError instead.
 */
import type { ImportFileInput, ImportResult, Importer, JobContext } from '../../jobs/types.ts';
import { AppError } from '../../../src-shared/errors.ts';
import { dataImportOptionsSchema, type DataImportOptions, type ImportFormat } from '../../../src-shared/dhis2/options.ts';
import type { FileImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import type { DataValueReader } from '../../formats/data-value-row.ts';
import { dataReaderFor } from '../../formats/registry.ts';
import { cacheSize } from '../../db/tx.ts';
import { runDataPipeline, type ParseThread } from './pipeline.ts';
import type { Db } from '../../db/open.ts';
import fs from 'node:fs';

export { combine } from './pipeline.ts';

const CACHE_KB = 16384;
/**
 * Inputs of at least this many bytes (on disk, all files of the job) are parsed on a thread of their own: below it,
 * parsing costs less than starting a thread (a small file parses in a few milliseconds; a thread loads its code first).
 */
export const PARSE_THREAD_MIN_BYTES = 2 * 1024 * 1024;

/**
 * Where a job's parse side runs (pipeline.ts): its own thread for large inputs, the job's thread for small ones and
 * for in-memory databases (no other thread can open them). FERRY_PARSE_THREAD=worker|same forces one (tests, bench).
 */
export function parseThreadFor(db: Db, files: ImportFileInput[], env: NodeJS.ProcessEnv = process.env): ParseThread {
  if (db.memory) return 'same';
  const forced = env.FERRY_PARSE_THREAD;
  if (forced === 'worker' || forced === 'same') return forced;
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += fs.statSync(f.path).size;
    } catch {
      // (a missing file fails when it is opened)
    }
  }
  return bytes >= PARSE_THREAD_MIN_BYTES ? 'worker' : 'same';
}

/** The reader for a data value format, from the format registry. */
export function dataValueReader(
  format: string,
  chunks: AsyncIterable<Uint8Array>,
  fileName: string,
  options: Partial<DataImportOptions> = {},
  hooks: { onFirstRow?: (isHeader: boolean, detected: boolean) => void } = {},
): DataValueReader {
  return dataReaderFor(format, fileName)(chunks, { fileName, firstRowIsHeader: options.firstRowIsHeader, onFirstRow: hooks.onFirstRow });
}

export interface DataImportRunOptions {
  /** bytes between progress updates are throttled by the runner; batches also check cancellation */
  onFile?: (index: number, summary: FileImportSummary) => void;
}

export const dataValuesImporter: Importer = {
  kind: 'data',
  async run(ctx: JobContext, files: ImportFileInput[], rawOptions: Record<string, unknown>, format?: ImportFormat): Promise<ImportResult> {
    const parsed = dataImportOptionsSchema.safeParse(rawOptions);
    if (!parsed.success) throw new AppError('BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const options = parsed.data;
    const db = ctx.db;
    // the job's own connection: keys are (ou, pe, …) so writes are local and a 16 MB page cache is enough;
    // this keeps peak RSS flat whatever the file size
    cacheSize(db, CACHE_KB);
    ctx.progress({ stage: 'preparing', unit: 'records', done: 0, total: null, records: 0 });
    // the job's thread writes; a parse thread reads and resolves the files meanwhile (pipeline.ts)
    return runDataPipeline(ctx, files, options, format, parseThreadFor(db, files));
  },
};
