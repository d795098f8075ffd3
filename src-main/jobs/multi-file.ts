/**
 * The data value job's whole truth (issue 15), in the job layer around the data value importer (registry.ts wraps it):
 *
 * - before the import, files that carry the same value keys are found (overlap.ts) and handled by the `overlap` option:
 *   stop (the default) refuses a real import whose files disagree, before anything is written, and lets a dry run
 *   report them; first / newer import the files in an order that leaves the first / the most recently modified file's
 *   values in place; last keeps the list order (the last file's values), as DHIS2 would, when chosen. Nothing is
 *   overwritten silently by list order.
 * - after it, the summary gets Ferry extras the engine counted: `ignoredBreakdown` per file and for the job
 *   (importers/data-values/count-breakdown.ts), `filesOutcome` (files imported and refused: each file is all-or-nothing, a job keeps its good
 *   files) with a description that counts them ("1 of 5 files could not be imported; 4 were imported", "would be" in a
 *   dry run), and `overlaps`. DHIS2's status values are left as they are.
 */
import { englishError, ferryError } from '../../src-shared/keyed-errors.ts';
import { type ErrorParams } from '../../src-shared/i18n/error-messages.ts';
import type { ImportSummary, OverlapPolicy, OverlapReport } from '../../src-shared/dhis2/import-summary.ts';
import type { ImportFormat } from '../../src-shared/dhis2/options.ts';
import type { ImportFileInput, ImportResult, Importer, JobContext } from './types.ts';
import { breakdownOf, sumBreakdowns } from '../importers/data-values/count-breakdown.ts';
import { importOrder, mayOverlap, scanOverlaps } from './overlap.ts';

/** The data value importer with overlap handling and the summary's Ferry extras. */
export function withFileTruth(importer: Importer): Importer {
  return {
    ...importer,
    async run(ctx: JobContext, files: ImportFileInput[], options: Record<string, unknown>, format?: ImportFormat): Promise<ImportResult> {
      const policy: OverlapPolicy = options.overlap === 'first' || options.overlap === 'newer' || options.overlap === 'last' ? options.overlap : 'stop';
      let overlaps: OverlapReport | undefined;
      let order = files;
      if (mayOverlap(files)) {
        ctx.progress({ stage: 'checking files for overlapping values', unit: 'records', done: 0, total: null, records: 0 });
        const scan = await scanOverlaps(ctx, files, options, format);
        if (scan.report.keys > 0) {
          const stopped = policy === 'stop' && scan.report.differing > 0 && !ctx.dryRun && options.dryRun !== true;
          overlaps = { policy, ...scan.report, stopped };
          if (stopped) throw ferryError('BAD_REQUEST', 'job.overlapStop', overlapStopParams(overlaps), { overlaps });
          const reordered = importOrder(files, policy);
          if (reordered && reordered.some((f, i) => f !== files[i])) {
            order = reordered;
            overlaps.order = reordered.map((f) => f.name);
          }
        }
      }
      const result = await importer.run(ctx, order, options, format);
      if (result.summary.responseType === 'ImportSummary') finishSummary(result.summary, ctx.dryRun || options.dryRun === true, overlaps);
      return result;
    },
  };
}

/** Why a real import stopped on overlapping files, naming the files and the choices: the parameters of its key. */
export function overlapStopParams(o: Pick<OverlapReport, 'keys' | 'differing' | 'pairs' | 'morePairs'>): ErrorParams {
  const p = o.pairs[0];
  const which = p ? (o.pairs.length + (o.morePairs ?? 0) > 1 ? 'pairAndOthers' : 'pair') : 'several';
  return { which, ...(p ? { first: p.first, second: p.second } : {}), count: o.keys, differingAll: o.differing === o.keys ? 'all' : 'some', differing: o.differing };
}

/** The same in English (the error's message). */
export function overlapStopMessage(o: Pick<OverlapReport, 'keys' | 'differing' | 'pairs' | 'morePairs'>): string {
  return englishError('job.overlapStop', overlapStopParams(o));
}

/** Adds the Ferry extras to a data value job's summary (in place). */
export function finishSummary(s: ImportSummary, dryRun: boolean, overlaps?: OverlapReport): ImportSummary {
  const perFile = s.fileSummaries ?? [];
  for (const f of perFile) {
    const b = breakdownOf(f.importCount);
    if (b) f.ignoredBreakdown = b;
  }
  const total = perFile.length === 1 ? perFile[0]!.ignoredBreakdown : perFile.length ? sumBreakdowns(perFile.map((f) => f.ignoredBreakdown)) : breakdownOf(s.importCount);
  if (total) s.ignoredBreakdown = total;
  if (perFile.length > 1) {
    const failed = perFile.filter((f) => f.status === 'ERROR').length;
    const imported = perFile.length - failed;
    s.filesOutcome = { files: perFile.length, failed, imported, partial: failed > 0 && imported > 0 };
    if (failed > 0) s.description = filesHeadline(s.filesOutcome, dryRun);
  }
  if (overlaps) s.overlaps = overlaps;
  return s;
}

/** "1 of 5 files could not be imported; 4 were imported" (would be, in a dry run). */
export function filesHeadline(o: { files: number; failed: number; imported: number }, dryRun: boolean): string {
  if (o.failed === 0) return `All ${o.files} files ${dryRun ? 'would be' : 'were'} imported`;
  if (o.imported === 0) return `None of the ${o.files} files could be imported; nothing ${dryRun ? 'would be' : 'was'} imported`;
  return `${o.failed} of ${o.files} files could not be imported; ${o.imported} ${dryRun ? 'would be' : o.imported === 1 ? 'was' : 'were'} imported`;
}
