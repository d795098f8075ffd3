/**
 * Event and tracker data import (issue 9; spec §6): tracker JSON/CSV (2.36+) and the deprecated events API's JSON, XML
 * and CSV (≤ 2.40), plain, gzip or zip (every file entry of an archive), many files per job. Each file is read by its
 * format's events reader (formats/events, one top-level object at a time) into the shared tracker model, and every
 * object goes through TrackerEngine (resolve through the id schemes → DHIS2's validators → write) in the job's one
 * transaction. The answer is a tracker ImportReport for tracker files and ImportSummaries for old events files (the
 * generation of the job's first file decides). Atomic mode ALL (the tracker API's default) rolls the whole job back on
 * any error; OBJECT keeps the valid objects — the default for old events files, which /api/events imported one event
 * at a time. A broken file (malformed JSON/XML/CSV) fails the job with an error naming the file and line: nothing is
 * written.
 */
import type { FileOutcome, ImportFileInput, ImportResult, Importer, JobContext } from '../../jobs/types.ts';
import { openInput, type OpenedInput } from '../../io/input.ts';
import { detectFormat } from '../../io/detect.ts';
import { AppError } from '../../../src-shared/errors.ts';
import { messageKeyOf } from '../../../src-shared/i18n/error-messages.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';

/** An error of a file that did not name it, named by the file: "clinic.json: …" (by key when it came by key). */
function namedByFile(e: AppError, name: string): AppError {
  const k = messageKeyOf(e.details);
  const details = { ...e.details, file: name };
  return k ? ferryError(e.code, 'file.prefixedKey', { ...k.params, inner: k.key, file: name }, details) : ferryError(e.code, 'file.prefixed', { file: name, detail: e.message }, details);
}
import { eventsImportOptionsSchema, type EventsImportOptions, type ImportFormat } from '../../../src-shared/dhis2/options.ts';
import type { EventGeneration } from '../../../src-shared/dhis2/tracker.ts';
import { eventsReaderFor, findFormat } from '../../formats/registry.ts';
import { cacheSize } from '../../db/tx.ts';
import { EventLookups } from './lookups.ts';
import { TrackerEngine } from './engine.ts';
import { eventSummaries, trackerReport } from './report.ts';

const CACHE_KB = 16384;

/** The options as DHIS2 echoes them in ImportSummaries.importOptions. */
function importOptionsOf(o: EventsImportOptions, dryRun: boolean, atomicMode: string): Record<string, unknown> {
  const idSchemes: Record<string, string> = {};
  for (const k of [
    'idScheme', 'dataElementIdScheme', 'orgUnitIdScheme', 'programIdScheme', 'programStageIdScheme', 'categoryOptionComboIdScheme', 'categoryOptionIdScheme',
  ] as const) {
    const v = o[k];
    if (v) idSchemes[k] = v;
  }
  return { idSchemes, dryRun, importStrategy: o.importStrategy, atomicMode, validationMode: o.validationMode, ...(o.skipFirst !== undefined ? { skipFirst: o.skipFirst } : {}) };
}

/** Parses and normalises the options (importMode VALIDATE is a dry run). */
export function parseEventsOptions(raw: Record<string, unknown>): EventsImportOptions {
  const r = eventsImportOptionsSchema.safeParse(raw);
  if (!r.success) throw ferryError('BAD_REQUEST', 'import.badOptions', { detail: r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ') });
  const o = r.data;
  if (o.importMode === 'VALIDATE') o.dryRun = true;
  return o;
}

/** The events format of a file: the one given, else sniffed (a CSV or JSON sniffed as another kind is read as events: the kind was asked for). */
function formatOf(input: OpenedInput, given: string | undefined): string {
  if (given) return given;
  let d: { kind: string; format: string };
  try {
    d = detectFormat(input.head, input.label);
  } catch (e) {
    const ext = /\.(json|xml|csv)$/i.exec(input.label.replace(/\.(gz|zip)$/i, ''))?.[1]?.toLowerCase();
    if (ext) return ext;
    throw e;
  }
  if (d.kind === 'events') return d.format;
  if (findFormat('events', d.format)?.readers?.events) return d.format;
  throw ferryError('BAD_FILE', 'events.notEvents', { file: input.label, kind: d.kind }, { file: input.label });
}

/** What the engine's callers inside Ferry may ask beyond DHIS2's options. */
export interface EventsImportInternal {
  /**
   * A transfer package's events (transfer/receive.ts): the expiry checks (E1043, E1047) were the sender's to apply when
   * the events were captured, never again at each site a package passes through.
   */
  received?: boolean;
}

export const eventsImporter: Importer = {
  kind: 'events',
  checkOptions(options) {
    return parseEventsOptions(options);
  },
  run: (ctx, files, rawOptions, format) => importEvents(ctx, files, rawOptions, format),
};

export async function importEvents(
  ctx: JobContext,
  files: ImportFileInput[],
  rawOptions: Record<string, unknown>,
  format?: ImportFormat,
  internal: EventsImportInternal = {},
): Promise<ImportResult> {
  {
    const options = parseEventsOptions(rawOptions);
    const db = ctx.db;
    cacheSize(db, CACHE_KB);
    ctx.progress({ stage: 'preparing', unit: 'records', done: 0, total: null, records: 0 });
    const lookups = new EventLookups(db);
    const engine = new TrackerEngine(
      db,
      lookups,
      {
        importStrategy: options.importStrategy, atomicMode: options.atomicMode ?? 'ALL', validationMode: options.validationMode, idScheme: options.idScheme,
        dataElementIdScheme: options.dataElementIdScheme, orgUnitIdScheme: options.orgUnitIdScheme, programIdScheme: options.programIdScheme,
        programStageIdScheme: options.programStageIdScheme, categoryOptionComboIdScheme: options.categoryOptionComboIdScheme,
        categoryOptionIdScheme: options.categoryOptionIdScheme, skipRuleEngine: options.skipRuleEngine === true, skipExpiryCheck: options.skipExpiryCheck === true, received: internal.received === true,
      },
      ctx.now,
      ctx.user,
    );
    engine.keepEventOutcomes = true;
    // first pass: the enrollments and events that may conflict within the job (engine.scan); a file that does not read
    // is left to the second pass, which reports it. Such conflicts exist only in programs with registration
    // (enrollments, non-repeatable stages of an enrollment): a database whose programs are all event programs has
    // nothing to scan for, and its files are read once
    if (options.importStrategy !== 'DELETE' && [...lookups.programs.values()].some((p) => p.registration)) {
      ctx.progress({ stage: 'scanning', unit: 'records', done: 0, total: null, records: 0 });
      let scanned = 0;
      for (const file of files) {
        const first = await openInput(file.path);
        try {
          for (let input: OpenedInput | null = first; input; input = await input.next()) {
            const read = eventsReaderFor(formatOf(input, format), input.label);
            for await (const rec of read(input.chunks(), { fileName: input.label, skipFirst: options.skipFirst })) {
              engine.scan(rec);
              if ((++scanned & 4095) === 0) ctx.throwIfCancelled();
            }
          }
        } catch (e) {
          if (!(e instanceof AppError) || e.code === 'CANCELLED') throw e;
        } finally {
          first.close();
        }
      }
    }
    let generation: EventGeneration | null = null;
    const outcomes: FileOutcome[] = [];
    let records = 0;
    for (const file of files) {
      const first = await openInput(file.path);
      const formats: string[] = [];
      try {
        for (let input: OpenedInput | null = first; input; input = await input.next()) {
          ctx.throwIfCancelled();
          const fmt = formatOf(input, format);
          formats.push(fmt);
          engine.setFile(input.label, file.fileId);
          const read = eventsReaderFor(fmt, input.label);
          const entry = input;
          for await (const rec of read(entry.chunks(), { fileName: entry.label, skipFirst: options.skipFirst, onGeneration: (g) => void (generation ??= g) })) {
            engine.process(rec);
            records++;
            if ((records & 255) === 0) {
              ctx.throwIfCancelled();
              ctx.progress({ stage: 'importing', unit: 'bytes', done: entry.rawBytesRead(), total: entry.size, records, fileIndex: file.index, fileName: entry.label });
            }
            if (engine.stopped) break;
          }
          ctx.progress({ stage: 'importing', unit: 'bytes', done: entry.rawBytesRead(), total: entry.size, records, fileIndex: file.index, fileName: entry.label });
          if (engine.stopped) break;
        }
        outcomes.push({
          index: file.index, size: first.size, sha256: safeSha(first), format: [...new Set(formats)].join(','), compression: first.compression, status: null,
        });
      } catch (e) {
        if (e instanceof AppError) throw e.details.file ? e : e.message.startsWith(file.name) ? new AppError(e.code, e.message, { ...e.details, file: file.name }) : namedByFile(e, file.name);
        throw e;
      } finally {
        first.close();
      }
      if (engine.stopped) break;
    }
    engine.finish();
    const gen: EventGeneration = (generation as EventGeneration | null) ?? 'tracker';
    const atomicMode = options.atomicMode ?? (gen === 'events' ? 'OBJECT' : 'ALL');
    const rolledBack = atomicMode === 'ALL' && engine.errorCount > 0;
    if (gen === 'events') {
      const summary = eventSummaries(engine, rolledBack, importOptionsOf(options, ctx.dryRun, atomicMode), ctx.dryRun);
      for (const o of outcomes) o.status = summary.status;
      return { summary, status: summary.status, commit: !rolledBack, files: outcomes };
    }
    const summary = trackerReport(engine, atomicMode, ctx.dryRun);
    for (const o of outcomes) o.status = summary.status;
    return { summary, status: summary.status, commit: !rolledBack, files: outcomes };
  }
}

function safeSha(input: OpenedInput): string | null {
  try {
    return input.sha256();
  } catch {
    return null;
  }
}
