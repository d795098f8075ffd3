/**
 * CSV metadata export (`ferry export csv-metadata --class-key K`): the stored objects of the class key's type as
 * DHIS2's positional CSV with a header row (formats/csv-metadata/writer.ts), which the CSV metadata import (Ferry's or
 * DHIS2's) turns back into the same objects. Org units go parents first; the system default category objects are left
 * out (an import drops them). Objects stream from SQLite one at a time.
 */
import path from 'node:path';
import { MetadataLookupRepo } from '../db/repos/metadata-lookups.ts';
import { MetadataRepo } from '../db/repos/metadata.ts';
import type { Exporter } from '../jobs/types.ts';
import { ferryError } from '../../src-shared/keyed-errors.ts';
import { CSV_CLASSES } from '../../src-shared/dhis2/csv-metadata.ts';
import { DEFAULT_UIDS } from '../../src-shared/dhis2/schema/registry.ts';
import { findFormat } from '../formats/registry.ts';
import { requireClassKey } from '../importers/csv-metadata/index.ts';
import { reportProgress, writeFile } from './common.ts';
import { storedSource } from './metadata.ts';

const DEFAULTS = new Set(Object.values(DEFAULT_UIDS));

export const csvMetadataExporter: Exporter = {
  kind: 'csv-metadata',
  ownFormats: { formats: ['csv'], label: 'CSV metadata' },
  checkOptions: (options) => ({ ...options, classKey: requireClassKey(options.classKey) }),
  async run(ctx, out, format, compression, options) {
    const classKey = requireClassKey(options.classKey);
    const w = findFormat('csv-metadata', format)?.writers?.['csv-metadata'];
    if (!w) throw ferryError('UNSUPPORTED', 'request.exportedAs', { kind: 'csv-metadata', formats: 'csv', format });
    const spec = CSV_CLASSES[classKey];
    const type = spec.type;
    const repo = new MetadataRepo(ctx.db);
    const lookup = (t: string, uid: string): Record<string, unknown> | null => repo.getByUid(t, uid)?.json ?? null;
    const total = new MetadataLookupRepo(ctx.db).countsByType().find((r) => r.type === type)?.n ?? 0;
    const fileName = path.basename(out);
    const summary = await writeFile(ctx, out, format, compression, async (o) => {
      let n = 0;
      o.push(w.header(classKey));
      for (const { uid, json } of storedSource(ctx.db)(type)) {
        if (DEFAULTS.has(uid)) continue;
        n++;
        let flush = false;
        for (const cells of w.rows(classKey, JSON.parse(json) as Record<string, unknown>, lookup)) {
          flush = o.push(w.line(cells)) || flush;
        }
        if (flush) {
          reportProgress(ctx, n, total, fileName);
          await o.flush();
        }
      }
      reportProgress(ctx, n, total, fileName);
      return { [type]: n };
    });
    return { summary };
  },
};
