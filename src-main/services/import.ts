import fs from 'node:fs';
import path from 'node:path';
import { openInput, type OpenedInput } from '../io/input.ts';
import { detectFormat } from '../io/detect.ts';
import { AppError } from '../../src-shared/errors.ts';
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

const KIND_NAMES: Record<ImportKind, string> = {
  metadata: 'a metadata file',
  data: 'a data value file',
  events: 'an event or tracker file',
  geometry: 'a GML/GeoJSON geometry file',
  'csv-metadata': 'a CSV metadata file',
  pdf: 'a PDF (data entry form)',
  dhis14: 'a DHIS 1.4 file',
  transfer: 'a Ferry transfer package',
  undo: 'an undo of an earlier import (ferry undo)',
};

/** Validates options for a kind (DHIS2 names); unknown options are refused so typos do not pass silently. */
export function parseImportOptions(kind: ImportKind, options: Record<string, unknown>): Record<string, unknown> {
  const schema = OPTION_SCHEMAS[kind];
  if (!schema) return options;
  const strict = (schema as unknown as { strict?: () => z.ZodType }).strict?.() ?? schema;
  const r = strict.safeParse(options);
  if (!r.success) {
    throw new AppError('BAD_REQUEST', r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
  }
  return r.data as Record<string, unknown>;
}

/** A chosen --format must be one the format registry reads for this kind. */
function checkImportFormat(kind: ImportKind, format: string): void {
  if (kind === 'data') dataReaderFor(format);
  else if (kind === 'metadata') {
    if (!findFormat('metadata', format)?.readers?.metadata)
      throw new AppError('UNSUPPORTED', `'${format}' is not a metadata format (use ${formatNames('metadata', 'read').join(' or ')})`);
  } else if (!findFormat(kind, format)) throw new AppError('BAD_REQUEST', `'${format}' is not a format for ${KIND_NAMES[kind]} (formats: ${allFormatNames().join(', ')})`);
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
      throw new AppError('FILE_NOT_FOUND', `${name}: the file does not exist or cannot be read (${f})`, { file: name });
    }
    if (st.isDirectory()) throw new AppError('BAD_FILE', `${name}: this is a folder, not a file (choose the files inside it)`, { file: name });
    if (!st.isFile()) throw new AppError('BAD_FILE', `${name}: this is not a file (a device or a pipe)`, { file: name });
    return { path: f, name, size: st.size };
  });
  // a file that only one importer may take (a transfer package) is refused to the others, in that importer's words
  for (const [k, imp] of Object.entries(importers)) {
    if (k === req.kind || !imp?.ownsFile) continue;
    for (const st of stats) {
      const refusal = imp.ownsFile(st.path, st.name);
      if (refusal) throw new AppError('BAD_REQUEST', refusal, { file: st.name });
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
      throw new AppError('BAD_REQUEST', `The files hold different kinds of content (${list}); import them separately.`);
    }
    kind = [...kinds.keys()][0]!;
    if (!importers[kind]) {
      const name = kinds.get(kind)!;
      throw new AppError('UNSUPPORTED', `${name}: this is ${KIND_NAMES[kind]}, which Ferry cannot import yet.`, { file: name });
    }
  }
  const importer = importers[kind];
  if (!importer) throw new AppError('UNSUPPORTED', `Ferry cannot import '${kind}' files yet.`);
  if (req.format) checkImportFormat(kind, req.format);
  let options = parseImportOptions(kind, req.options);
  if (importer.checkOptions) options = importer.checkOptions(options);
  return {
    jobId: jobs.start({ direction: 'import', kind, dryRun: options.dryRun === true, options, files: stats, format: req.format }),
  };
}
