import fs from 'node:fs';
import path from 'node:path';
import { openInput, type OpenedInput } from '../io/input.ts';
import { detectFormat } from '../io/detect.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import { dataImportOptionsSchema, eventsImportOptionsSchema, geometryImportOptionsSchema, metadataImportOptionsSchema, type ImportKind } from '../../src-shared/dhis2/options.ts';
import { allFormatNames, dataReaderFor, findFormat, formatNames } from '../formats/registry.ts';
import type { ParsedReq } from '../../src-shared/api/contract.ts';
import type { JobManager } from '../jobs/manager.ts';
import { importers } from '../jobs/registry.ts';
import type { z } from 'zod';
import { dhis14ImportOptionsSchema } from '../importers/dhis14/index.ts';

const OPTION_SCHEMAS: Partial<Record<ImportKind, z.ZodType>> = {
  metadata: metadataImportOptionsSchema,
  'csv-metadata': metadataImportOptionsSchema,
  data: dataImportOptionsSchema,
  geometry: geometryImportOptionsSchema,
  events: eventsImportOptionsSchema,
  dhis14: dhis14ImportOptionsSchema,
};

/** Validates options for a kind (DHIS2 names); unknown options are refused so typos do not pass silently. */
export function parseImportOptions(kind: ImportKind, options: Record<string, unknown>): Record<string, unknown> {
  const schema = OPTION_SCHEMAS[kind];
  if (!schema) return options;
  const strict = (schema as unknown as { strict?: () => z.ZodType }).strict?.() ?? schema;
  const r = strict.safeParse(options);
  if (!r.success) {
    throw ferryError('BAD_REQUEST', 'request.invalidOptions', { detail: r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ') });
  }
  return r.data as Record<string, unknown>;
}

/** A chosen --format must be one the format registry reads for this kind. */
function checkImportFormat(kind: ImportKind, format: string): void {
  if (kind === 'data') dataReaderFor(format);
  else if (kind === 'metadata') {
    if (!findFormat('metadata', format)?.readers?.metadata)
      throw ferryError('UNSUPPORTED', 'request.formatNotMetadata', { format, head: formatNames('metadata', 'read').slice(0, -1).join(', '), last: formatNames('metadata', 'read').at(-1) ?? '' });
  } else if (!findFormat(kind, format)) throw ferryError('BAD_REQUEST', 'request.formatNotForKind', { format, kind, formats: allFormatNames().join(', ') });
}

/**
 * Detects the kind (and format) of a file from its content; for a zip archive, from its first entry that is a DHIS2
 * file (a README or a spreadsheet beside the data does not decide; the job reports such entries).
 */
export async function detectFile(file: string): Promise<{ kind: ImportKind; format: string }> {
  const input = await openInput(file);
  try {
    let first: unknown = null;
    for (let e: OpenedInput | null = input, k = 0; e && k < 100; e = await e.next(), k++) {
      try {
        return detectFormat(e.head, e.label);
      } catch (err) {
        if (input.compression !== 'zip') throw err;
        first ??= err;
      }
    }
    throw first;
  } finally {
    input.close();
  }
}

export async function startImport(jobs: JobManager, req: ParsedReq<'import:start'>): Promise<{ jobId: number }> {
  const files = req.files.map((f) => path.resolve(f));
  const stats = files.map((f) => {
    const name = path.basename(f);
    let st: fs.Stats;
    try {
      st = fs.statSync(f);
    } catch {
      throw ferryError('FILE_NOT_FOUND', 'file.notFound', { file: name, path: f }, { file: name });
    }
    if (st.isDirectory()) throw ferryError('BAD_FILE', 'file.isFolder', { file: name }, { file: name });
    if (!st.isFile()) throw ferryError('BAD_FILE', 'file.notAFile', { file: name }, { file: name });
    return { path: f, name, size: st.size };
  });
  // a file that only one importer may take (a transfer package) is refused to the others, in that importer's words
  for (const [k, imp] of Object.entries(importers)) {
    if (k === req.kind || !imp?.ownsFile) continue;
    for (const st of stats) {
      const refusal = imp.ownsFile(st.path, st.name);
      if (refusal) throw refusal;
    }
  }
  // a CSV file with a class key is CSV metadata, never data values
  let kind = req.kind ?? (req.options.classKey !== undefined ? 'csv-metadata' : undefined);
  // a filled PDF data entry form is aggregate data (--kind pdf kept as another name for it)
  if (kind === 'pdf') kind = 'data';
  if (!kind) {
    const kinds = new Map<ImportKind, string>();
    for (const f of files) kinds.set((await detectFile(f)).kind, path.basename(f));
    if (kinds.size > 1) {
      const list = [...kinds].map(([k, f]) => `${f}: ${k}`).join('; ');
      throw ferryError('BAD_REQUEST', 'request.mixedKinds', { list });
    }
    kind = [...kinds.keys()][0]!;
    if (!importers[kind]) {
      const name = kinds.get(kind)!;
      throw ferryError('UNSUPPORTED', 'request.kindNotImportable', { file: name, kind }, { file: name });
    }
  }
  const importer = importers[kind];
  if (!importer) throw ferryError('UNSUPPORTED', 'request.cannotImportKind', { kind });
  if (req.format) checkImportFormat(kind, req.format);
  let options = parseImportOptions(kind, req.options);
  if (importer.checkOptions) options = importer.checkOptions(options);
  return {
    jobId: jobs.start({ direction: 'import', kind, dryRun: options.dryRun === true, options, files: stats, format: req.format }),
  };
}
