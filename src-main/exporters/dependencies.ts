/** Metadata export with dependencies: one object and everything that belongs with it (see dependency-walk.ts). */
import path from 'node:path';
import type { Exporter, JobContext } from '../jobs/types.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import { asString, orderTypes, writeFile } from './common.ts';
import { checkMetadataFormat, parseTransform, writeMetadata } from './metadata.ts';
import { DependencyWalk } from './dependency-walk.ts';

export async function exportDependencies(ctx: JobContext, out: string, format: string, compression: string, options: Record<string, unknown>): Promise<ExportSummary> {
  checkMetadataFormat(format);
  const objectType = asString(options.objectType);
  const objectId = asString(options.objectId) ?? asString(options.object) ?? asString(options.id);
  if (!objectType || !objectId) throw ferryError('BAD_REQUEST', 'export.dependencyNeedsObject');
  ctx.progress({ stage: 'collecting', done: 0, total: null, unit: 'records', records: 0, fileIndex: 0, fileName: path.basename(out) });
  const walk = new DependencyWalk(ctx.db).run(objectType, objectId);
  const types = orderTypes(walk.result.keys());
  const total = [...walk.result.values()].reduce((a, m) => a + m.size, 0);
  const t = parseTransform(ctx.db, options);
  return writeFile(ctx, out, format, compression, (o) =>
    writeMetadata(ctx, o, format, types, (type) => walk.result.get(type)?.values() ?? [], t, total, path.basename(out)),
  );
}

export const dependenciesExporter: Exporter = {
  kind: 'dependencies',
  namedBy: 'metadata',
  async run(ctx, out, format, compression, options) {
    return { summary: await exportDependencies(ctx, out, format, compression, options) };
  },
};
