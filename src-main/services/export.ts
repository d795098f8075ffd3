import path from 'node:path';
import fs from 'node:fs';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { ParsedReq } from '../../src-shared/api/contract.ts';
import type { JobManager } from '../jobs/manager.ts';
import { exporters } from '../jobs/registry.ts';
import type { PathPolicy } from '../ipc/ports.ts';
import { dataWriterFor, metadataWriterFor } from '../formats/registry.ts';
import { checkExportCompression } from '../exporters/common.ts';

/** Starts an export job writing `req.out`, when the door's path policy lets it write there (see PathPolicy). */
export async function startExport(jobs: JobManager, req: ParsedReq<'export:start'>, paths: PathPolicy): Promise<{ jobId: number }> {
  const exporter = exporters[req.kind];
  if (!exporter) throw ferryError('UNSUPPORTED', 'request.cannotExportKind', { kind: req.kind });
  const own = exporter.ownFormats;
  if (own) {
    // the request's default format (json) means "this kind's format" for a kind that has its own
    if (req.format === 'json' && !own.formats.includes('json')) req = { ...req, format: own.formats[0]! };
    if (!own.formats.includes(req.format)) throw own.formats.length > 1
        ? ferryError('UNSUPPORTED', 'request.exportedAsList', { kind: req.kind, head: own.formats.slice(0, -1).join(', '), last: own.formats.at(-1)!, format: req.format })
        : ferryError('UNSUPPORTED', 'request.exportedAs', { kind: req.kind, formats: own.formats[0] ?? '', format: req.format });
  } else if (req.kind === 'data') dataWriterFor(req.format);
  else metadataWriterFor(req.format); // the format registry says which formats carry this kind (refused before a job exists)
  if (exporter.checkOptions) req = { ...req, options: exporter.checkOptions(req.options) };
  // an xlsx file is already a zip: zip or gzip on top is refused before a job exists
  checkExportCompression(req.format, req.compression);
  const out = path.resolve(req.out);
  if (!paths.mayWrite(out)) throw ferryError('BAD_REQUEST', 'request.exportOnlyChosen', { file: path.basename(out) });
  if (!fs.existsSync(path.dirname(out))) throw ferryError('BAD_REQUEST', 'request.noFolder', { folder: path.dirname(out) });
  return {
    jobId: jobs.start({
      direction: 'export',
      kind: req.kind,
      dryRun: false,
      options: req.options,
      files: [{ path: out, name: path.basename(out), size: null }],
      format: req.format,
      compression: req.compression,
    }),
  };
}
