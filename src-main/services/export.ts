import path from 'node:path';
import fs from 'node:fs';
import { AppError } from '../../src-shared/errors.ts';
import type { ParsedReq } from '../../src-shared/api/contract.ts';
import type { JobManager } from '../jobs/manager.ts';
import { exporters } from '../jobs/registry.ts';
import { requireClassKey } from '../importers/csv-metadata/index.ts';
import type { PathPolicy } from '../ipc/ports.ts';
import { dataWriterFor, metadataWriterFor } from '../formats/registry.ts';
import { checkExportCompression } from '../exporters/common.ts';

/** Starts an export job writing `req.out`, when the door's path policy lets it write there (see PathPolicy). */
export async function startExport(jobs: JobManager, req: ParsedReq<'export:start'>, paths: PathPolicy): Promise<{ jobId: number }> {
  if (!exporters[req.kind]) throw new AppError('UNSUPPORTED', `Ferry cannot export '${req.kind}' yet.`);
  // the format registry says which formats carry this kind (refused before a job exists)
  if (req.kind === 'data') dataWriterFor(req.format);
  else if (req.kind === 'pdf-form') {
    // (the request's default format, json, means "the kind's format" here)
    if (req.format === 'json') req = { ...req, format: 'pdf' };
    if (req.format !== 'pdf') throw new AppError('UNSUPPORTED', `A data entry form is exported as pdf, not '${req.format}'.`);
  } else if (req.kind === 'csv-metadata') {
    if (req.format === 'json') req = { ...req, format: 'csv' };
    if (req.format !== 'csv') throw new AppError('UNSUPPORTED', `CSV metadata is exported as csv, not '${req.format}'.`);
    req = { ...req, options: { ...req.options, classKey: requireClassKey(req.options.classKey) } };
  } else metadataWriterFor(req.format);
  // an xlsx file is already a zip: zip or gzip on top is refused before a job exists
  checkExportCompression(req.format, req.compression);
  const out = path.resolve(req.out);
  if (!paths.mayWrite(out)) throw new AppError('BAD_REQUEST', `Ferry exports only to a file chosen in its save dialog (${path.basename(out)}).`);
  if (!fs.existsSync(path.dirname(out))) throw new AppError('BAD_REQUEST', `The folder ${path.dirname(out)} does not exist.`);
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
