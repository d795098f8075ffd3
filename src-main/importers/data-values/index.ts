/**
 * Aggregate data value import (DHIS2 2.42 classic semantics, spec §1): DXF2 XML, DXF2 JSON, CSV and ADX, each plain,
 * gzip or zip; many files per job (a district taking in all its facilities' exports), one ImportSummary per file
 * (`fileSummaries`) and a combined one. Every file entry of a zip archive is imported as a file of its own, named
 * "archive.zip › entry.csv" (issue 16: none is dropped). Each file runs inside its own SAVEPOINT: a file that turns
 * out broken mid-way (malformed XML, truncated zip, invalid UTF-8) is rolled back entirely and reported as ERROR while
 * the other files still import; a single-file job (one file, or a zip holding one) fails with the AppError instead.
 */
import type { FileOutcome, ImportFileInput, ImportResult, Importer, JobContext } from '../../jobs/types.ts';
import { openInput, type OpenedInput } from '../../io/input.ts';
import { detectFormat } from '../../io/detect.ts';
import { AppError, fromSerializedError, toSerializedError } from '../../../src-shared/errors.ts';
import { dataImportOptionsSchema, type DataImportOptions, type ImportFormat } from '../../../src-shared/dhis2/options.ts';
import {
  addMoreConflicts,
  emptyImportCount,
  type FileImportSummary,
  type ImportSummary,
  type SummaryStatus,
} from '../../../src-shared/dhis2/import-summary.ts';
import type { DataValueReader } from '../../formats/data-value-row.ts';
import { dataReaderFor, defaultIdSchemeOf } from '../../formats/registry.ts';
import { MetadataLookups } from './lookups.ts';
import { DataValueWriter } from './writer.ts';
import { FileImport } from './file-import.ts';
import { ConflictBudget } from './conflicts.ts';
import { cacheSize, inTransaction, release, rollbackTo, savepoint } from '../../db/tx.ts';

const CACHE_KB = 16384;
/** each file of a job runs inside this savepoint */
const FILE_SAVEPOINT = 'data_file';

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

const DESCRIPTION_OK = 'Import process completed successfully';
const DESCRIPTION_ABORTED = 'Import process was aborted';

function worst(a: SummaryStatus, b: SummaryStatus): SummaryStatus {
  const rank = { SUCCESS: 0, WARNING: 1, ERROR: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

function importOptionsOf(o: DataImportOptions, dryRun: boolean): Record<string, unknown> {
  const idSchemes: Record<string, string> = {};
  for (const k of ['idScheme', 'dataElementIdScheme', 'orgUnitIdScheme', 'categoryOptionComboIdScheme', 'dataSetIdScheme'] as const) {
    const v = o[k];
    if (v) idSchemes[k] = v;
  }
  return {
    idSchemes,
    dryRun,
    importStrategy: o.importStrategy,
    skipExistingCheck: o.skipExistingCheck,
    strictPeriods: o.strictPeriods,
    strictDataElements: o.strictDataElements,
    strictCategoryOptionCombos: o.strictCategoryOptionCombos,
    strictAttributeOptionCombos: o.strictAttributeOptionCombos,
    strictOrganisationUnits: o.strictOrganisationUnits,
    requireCategoryOptionCombo: o.requireCategoryOptionCombo,
    requireAttributeOptionCombo: o.requireAttributeOptionCombo,
    force: o.force,
    firstRowIsHeader: o.firstRowIsHeader,
  };
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
    const lookups = new MetadataLookups(db);
    const writer = new DataValueWriter(db, ctx.now);
    const summaries: FileImportSummary[] = [];
    const outcomes: FileOutcome[] = [];
    let records = 0;
    // what the job's summaries list (SUMMARY_LIMITS), shared by its files: counts stay exact, lists stay small
    const budget = new ConflictBudget();

    for (const file of files) {
      // the file, or each file entry of a zip archive in turn: each in its own savepoint, with its own summary
      let units = 0;
      let unitError: AppError | null = null;
      let opened: OpenedInput | null = null;
      const first = summaries.length;
      for await (const unit of inputsOf(file.path)) {
        units++;
        ctx.throwIfCancelled();
        let input: OpenedInput | null = null;
        let fmt: string | null = format ?? null;
        let fi: FileImport | null = null;
        let label = file.name;
        savepoint(db, FILE_SAVEPOINT);
        try {
          input = opened = await unit.open();
          label = input.label;
          if (!fmt) {
            const d = detectFormat(input.head, label);
            if (d.kind !== 'data') {
              throw new AppError('BAD_FILE', `${label}: this is a ${d.kind} file, not aggregate data values`, { file: label });
            }
            fmt = d.format;
          }
          fi = new FileImport({
            budget,
            lookups,
            writer,
            options,
            defaultScheme: defaultIdSchemeOf(fmt),
            fileId: file.fileId,
            user: ctx.user,
            now: ctx.now,
          });
          const entry = input;
          let firstRow: { firstRowIsHeader: boolean; firstRowIsHeaderDetected: boolean } | undefined;
          const reader = dataValueReader(fmt, entry.chunks(), label, options, {
            onFirstRow: (isHeader, detected) => void (firstRow = { firstRowIsHeader: isHeader, firstRowIsHeaderDetected: detected }),
          });
          for await (const batch of reader) {
            if (batch.header) fi.applyHeader(batch.header);
            fi.rowsBatch(batch.rows);
            records += batch.rows.length;
            ctx.throwIfCancelled();
            ctx.progress({
              stage: 'importing',
              unit: 'bytes',
              done: entry.rawBytesRead(),
              total: entry.size,
              records,
              fileIndex: file.index,
              fileName: label,
            });
          }
          fi.finish();
          const status = fi.status();
          const dryRun = ctx.dryRun || fi.payloadDryRun;
          if (fi.payloadDryRun && !ctx.dryRun) {
            rollbackTo(db, FILE_SAVEPOINT);
            writer.afterRollback();
          }
          release(db, FILE_SAVEPOINT);
          const summary: FileImportSummary = {
            responseType: 'ImportSummary',
            status,
            description: fi.failure !== null && fi.wasAborted ? `The import process failed: ${fi.failure}` : fi.wasAborted ? DESCRIPTION_ABORTED : DESCRIPTION_OK,
            importCount: fi.wasAborted ? emptyImportCount() : fi.count,
            ...(fi.failure !== null && fi.wasAborted && fi.failureCode ? { errorCode: fi.failureCode } : {}),
            conflicts: fi.conflicts.list(),
            rejectedIndexes: fi.rejected,
            ...moreFields(fi),
            dataSetComplete: fi.dataSetComplete ?? 'false',
            importOptions: importOptionsOf(options, dryRun),
            dryRun,
            file: label,
            sha256: entry.sha256(),
            format: fmt,
            compression: entry.compression,
            ...firstRow,
          };
          summaries.push(summary);
          addOutcome(outcomes, { index: file.index, size: entry.size, sha256: entry.sha256(), format: fmt, compression: entry.compression, status });
        } catch (e) {
          if (inTransaction(db)) {
            rollbackTo(db, FILE_SAVEPOINT);
            release(db, FILE_SAVEPOINT);
          }
          writer.afterRollback();
          fi?.release();
          unit.failed(e); // (the file is closed by inputsOf)
          // (SQLite's damaged-page and read-only errors keep their codes: DB_CORRUPT names `ferry check` and the backup)
          const err = e instanceof AppError ? e : fromSerializedError({ ...toSerializedError(e), details: { file: label } });
          if (err.code === 'CANCELLED' || err.code === 'INTERNAL' || err.code === 'DB_CORRUPT' || err.code === 'DB_READONLY') throw err;
          // a single file (or a zip holding one) fails the job with its error, once it is known that nothing follows
          unitError = err;
          summaries.push({
            responseType: 'ImportSummary',
            status: 'ERROR',
            description: `The import process failed: ${err.message}`,
            importCount: emptyImportCount(),
            conflicts: [],
            rejectedIndexes: [],
            dataSetComplete: 'false',
            importOptions: importOptionsOf(options, ctx.dryRun),
            dryRun: ctx.dryRun,
            file: label,
            sha256: input ? safeSha(input) : undefined,
            format: fmt ?? undefined,
            compression: input?.compression,
          });
          addOutcome(outcomes, { index: file.index, size: input?.size ?? null, sha256: null, format: fmt, compression: input?.compression ?? null, status: 'ERROR' });
        }
      }
      if (files.length === 1 && units === 1 && unitError) throw unitError;
      // the sha256 of an archive is known once its last entry has been read
      if (units > 1 && opened) {
        const sha = safeSha(opened);
        for (const s of summaries.slice(first)) s.sha256 = sha;
        const o = outcomes.find((x) => x.index === file.index);
        if (o) o.sha256 = sha ?? null;
      }
    }

    const summary = combine(summaries, options, ctx.dryRun);
    return { summary, status: summary.status, commit: true, files: outcomes };
  },
};

/**
 * The inputs of one file (issue 16, defect 3): the file itself, or every file entry of a zip archive in turn, so none is
 * dropped. Each unit's `open()` opens it; tell `failed(e)` when it failed. The next entry is opened once the unit is
 * done (what is left of a failed entry is read through); an archive damaged further on becomes one more unit that
 * fails with that error — unless it is the error the last entry already failed with. Closes the file at the end.
 */
async function* inputsOf(file: string): AsyncGenerator<{ open: () => Promise<OpenedInput>; failed: (e: unknown) => void }> {
  let current: OpenedInput | null = null;
  let last: OpenedInput | null = null;
  let failure: unknown = null;
  const unit = (open: () => Promise<OpenedInput>) => ({ open, failed: (e: unknown) => void (failure = e) });
  try {
    yield unit(async () => (current = last = await openInput(file)));
    while (current) {
      const prev: OpenedInput = current;
      current = null;
      let next: OpenedInput | null;
      try {
        next = await prev.next();
      } catch (e) {
        if (e !== failure) yield unit(() => Promise.reject(e));
        return;
      }
      if (!next) return;
      const n: OpenedInput = next;
      failure = null;
      yield unit(async () => (current = last = n));
    }
  } finally {
    (last as OpenedInput | null)?.close();
  }
}

/** One outcome per file of the job: the entries of a zip archive make one (the worst status, their formats). */
function addOutcome(outcomes: FileOutcome[], o: FileOutcome): void {
  const had = outcomes.find((x) => x.index === o.index);
  if (!had) {
    outcomes.push(o);
    return;
  }
  const rank = (s: string | null): number => (s === 'ERROR' ? 2 : s === 'WARNING' ? 1 : 0);
  if (rank(o.status) > rank(had.status)) had.status = o.status;
  if (o.format && !(had.format ?? '').split(',').includes(o.format)) had.format = had.format ? `${had.format},${o.format}` : o.format;
  had.sha256 = o.sha256 ?? had.sha256;
  had.size ??= o.size;
  had.compression ??= o.compression;
}

/** The counts of what a file's summary does not list (absent when it lists everything). */
function moreFields(fi: FileImport): Pick<FileImportSummary, 'moreConflicts' | 'moreRejectedIndexes'> {
  const out: Pick<FileImportSummary, 'moreConflicts' | 'moreRejectedIndexes'> = {};
  const more = fi.conflicts.moreConflicts();
  if (more) out.moreConflicts = more;
  if (fi.moreRejected) out.moreRejectedIndexes = fi.moreRejected;
  return out;
}

function safeSha(input: OpenedInput): string | undefined {
  try {
    return input.rawBytesRead() >= input.size ? input.sha256() : undefined;
  } catch {
    return undefined;
  }
}

/** The combined summary of a job: counts summed; single-file jobs are exactly that file's summary. */
export function combine(files: FileImportSummary[], options: DataImportOptions, dryRun: boolean): ImportSummary {
  if (files.length === 1) {
    const { file: _f, sha256: _s, format: _fo, compression: _c, ...one } = files[0]!;
    return { ...one, fileSummaries: files };
  }
  const count = emptyImportCount();
  let status: SummaryStatus = 'SUCCESS';
  const failed = files.filter((f) => f.status === 'ERROR').length;
  let more: ImportSummary['moreConflicts'];
  for (const f of files) {
    count.imported += f.importCount.imported;
    count.updated += f.importCount.updated;
    count.ignored += f.importCount.ignored;
    count.deleted += f.importCount.deleted;
    status = worst(status, f.status);
    more = addMoreConflicts(more, f.moreConflicts);
  }
  // the files' listed conflicts share one budget (ConflictBudget), so their concatenation respects the cap
  return {
    responseType: 'ImportSummary',
    status,
    description: failed ? `${failed} of ${files.length} files could not be imported; the others were imported` : DESCRIPTION_OK,
    importCount: count,
    conflicts: files.flatMap((f) => f.conflicts),
    ...(more ? { moreConflicts: more } : {}),
    rejectedIndexes: files.length === 1 ? files[0]!.rejectedIndexes : [],
    importOptions: importOptionsOf(options, dryRun),
    dryRun,
    fileSummaries: files,
  };
}
