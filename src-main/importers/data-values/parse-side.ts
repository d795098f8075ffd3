/**
 * The parse side of a data value job (issue 14: both cores at work): reads the job's files — each file, or each file
 * entry of a zip archive, in turn — detects their format, resolves and checks every row against the metadata
 * (resolver.ts) and posts the outcome in packed batches (codec.ts) with the bytes read, plus one message where a file
 * starts, ends or fails. It never touches the stored values: the writing side (pipeline.ts) applies the batches in the
 * job's transaction. It runs in its own thread (parse-worker.ts) on a read-only connection of its own — metadata does
 * not change during a data job, and WAL gives that connection a consistent snapshot — or, for an in-memory database,
 * on the job's thread (same messages).
 *
 * Back-pressure: at most MAX_IN_FLIGHT batches are on their way; the parse side waits for the writing side's
 * acknowledgements beyond that, so memory stays flat however large the file.
 */
import type { Db } from '../../db/open.ts';
import type { ImportFileInput } from '../../jobs/types.ts';
import { openInput, type OpenedInput } from '../../io/input.ts';
import { detectFormat } from '../../io/detect.ts';
import { AppError, fromSerializedError, toSerializedError, type SerializedError } from '../../../src-shared/errors.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import type { Compression, DataImportOptions, ImportFormat } from '../../../src-shared/dhis2/options.ts';
import { dataReaderFor, defaultIdSchemeOf } from '../../formats/registry.ts';
import { MetadataLookups } from './lookups.ts';
import { RowResolver } from './resolver.ts';
import { BatchEncoder, type PackedBatch } from './codec.ts';
import type { ResolverState } from './resolved.ts';

/** batches on their way to the writing side before the parse side waits */
export const MAX_IN_FLIGHT = 8;
/** rows resolved into one message at most */
const BATCH_CALLS = 4096;
/** bytes of input a reader is given at once (pieces()) */
const PIECE = 64 * 1024;
/** rows gathered before a message goes (reader batches are small: one per piece) */
const MIN_BATCH = 1024;

export interface ParseParams {
  files: ImportFileInput[];
  format: ImportFormat | undefined;
  options: DataImportOptions;
  user: string;
  now: string;
}

/** Messages of the parse side, in order. `k` is the file's position in `files`. */
export type ParseMessage =
  | { t: 'unit'; k: number; label: string; format: string; size: number; compression: Compression }
  | { t: 'batch'; batch: PackedBatch; rows: number; bytesRead: number; size: number; label: string; k: number }
  | {
      t: 'unit-end';
      k: number;
      state: ResolverState;
      firstRow: { firstRowIsHeader: boolean; firstRowIsHeaderDetected: boolean } | undefined;
      sha256: string;
    }
  | {
      t: 'unit-error';
      k: number;
      /** the unit message was sent (a savepoint is open on the writing side) */
      started: boolean;
      label: string;
      format: string | null;
      error: SerializedError;
      sha256: string | undefined;
      size: number | null;
      compression: Compression | undefined;
    }
  | { t: 'file-end'; k: number; units: number; sha256: string | undefined }
  | { t: 'done' }
  | { t: 'fatal'; error: SerializedError };

export interface ParsePort {
  post(m: ParseMessage): void;
  /** resolves once fewer than MAX_IN_FLIGHT batches are unacknowledged */
  credit(): Promise<void>;
  /** post() copies a batch's ints before it returns (BatchRing): the encoder lends its own array */
  lend?: boolean;
}

/** Reads, resolves and posts every file of the job. Failures of one file are messages; others throw. */
export async function parseFiles(p: ParseParams, db: Db, port: ParsePort): Promise<void> {
  const lookups = new MetadataLookups(db);
  const encoder = new BatchEncoder();
  for (let k = 0; k < p.files.length; k++) {
    const file = p.files[k]!;
    let units = 0;
    let opened: OpenedInput | null = null;
    for await (const unit of inputsOf(file.path)) {
      units++;
      let input: OpenedInput | null = null;
      let fmt: string | null = p.format ?? null;
      let label = file.name;
      let started = false;
      const flush = async (rows: number): Promise<void> => {
        if (encoder.isEmpty && rows === 0) return;
        await port.credit();
        const batch = encoder.take(port.lend === true);
        port.post({ t: 'batch', batch: batch ?? { ints: new Int32Array(0), n: 0, text: '', calls: 0 }, rows, bytesRead: input!.rawBytesRead(), size: input!.size, label, k });
      };
      try {
        input = opened = await unit.open();
        label = input.label;
        if (!fmt) {
          const d = detectFormat(input.head, label);
          if (d.kind !== 'data') {
            throw ferryError('BAD_FILE', 'import.notDataValues', { file: label, kind: d.kind }, { file: label });
          }
          fmt = d.format;
        }
        port.post({ t: 'unit', k, label, format: fmt, size: input.size, compression: input.compression });
        started = true;
        const resolver = new RowResolver({ lookups, options: p.options, defaultScheme: defaultIdSchemeOf(fmt), user: p.user, now: p.now }, encoder);
        let firstRow: { firstRowIsHeader: boolean; firstRowIsHeaderDetected: boolean } | undefined;
        const reader = dataReaderFor(fmt, label)(pieces(input.chunks()), {
          fileName: label,
          firstRowIsHeader: p.options.firstRowIsHeader,
          onFirstRow: (isHeader, detected) => void (firstRow = { firstRowIsHeader: isHeader, firstRowIsHeaderDetected: detected }),
        });
        // rows resolved into the encoder and not yet sent: reader batches (one per piece) are gathered to MIN_BATCH rows
        // (at most BATCH_CALLS)
        let pending = 0;
        for await (const batch of reader) {
          if (batch.header) resolver.applyHeader(batch.header);
          // a large reader batch is cut so that a message stays small
          const rows = batch.rows;
          if (rows.length === 0) {
            // (a reader says so after a long stretch without rows: what is gathered goes now)
            resolver.rowsBatch(rows);
            await flush(pending);
            pending = 0;
            continue;
          }
          for (let from = 0; from < rows.length; from += BATCH_CALLS) {
            const part = rows.length <= BATCH_CALLS ? rows : rows.slice(from, from + BATCH_CALLS);
            if (pending + part.length > BATCH_CALLS) {
              await flush(pending);
              pending = 0;
            }
            resolver.rowsBatch(part);
            pending += part.length;
          }
          if (pending >= MIN_BATCH) {
            await flush(pending);
            pending = 0;
          }
        }
        resolver.finish();
        await flush(pending);
        const state: ResolverState = {
          aborted: resolver.aborted,
          abortedGroups: resolver.abortedGroups,
          groups: resolver.groups,
          dataSetComplete: resolver.dataSetComplete,
          payloadDryRun: resolver.payloadDryRun,
          failure: resolver.failure,
          failureCode: resolver.failureCode,
        };
        port.post({ t: 'unit-end', k, state, firstRow, sha256: input.sha256() });
      } catch (e) {
        // what was resolved before the failure goes too (the writing side rolls the file back)
        if (!encoder.isEmpty && started) {
          await port.credit();
          const pending = encoder.take(port.lend === true)!;
          port.post({ t: 'batch', batch: pending, rows: 0, bytesRead: input?.rawBytesRead() ?? 0, size: input?.size ?? 0, label, k });
        } else encoder.take();
        unit.failed(e); // (the file is closed by inputsOf)
        const err = e instanceof AppError ? e : fromSerializedError({ ...toSerializedError(e), details: { file: label } });
        port.post({
          t: 'unit-error',
          k,
          started,
          label,
          format: fmt,
          error: toSerializedError(err),
          sha256: input ? safeSha(input) : undefined,
          size: input?.size ?? null,
          compression: input?.compression,
        });
      }
    }
    // the sha256 of an archive is known once its last entry has been read
    port.post({ t: 'file-end', k, units, sha256: units > 1 && opened ? safeSha(opened) : undefined });
  }
  port.post({ t: 'done' });
}

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

/**
 * The input in pieces of at most PIECE bytes (views, nothing copied): the text a reader decodes from a piece is then an
 * ordinary young object, not a large object (a 1 MB chunk decodes to a 1 MB string, which only a full collection frees:
 * they piled up on the parse thread).
 */
async function* pieces(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) {
    if (c.length <= PIECE) yield c;
    else for (let i = 0; i < c.length; i += PIECE) yield c.subarray(i, i + PIECE);
  }
}

function safeSha(input: OpenedInput): string | undefined {
  try {
    return input.rawBytesRead() >= input.size ? input.sha256() : undefined;
  } catch {
    return undefined;
  }
}
