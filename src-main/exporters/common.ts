/** Pieces every exporter shares: option coercion, output with batching/abort, entry names, timestamps, summaries. */
import path from 'node:path';
import { openOutput, type OutputSink } from '../io/output.ts';
import { ferryError, withEnglish } from '../../src-shared/keyed-errors.ts';
import { keyed, type KeyedMessage } from '../../src-shared/i18n/error-messages.ts';
import type { Compression } from '../../src-shared/dhis2/options.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import type { JobContext } from '../jobs/types.ts';
import type { SystemInfo } from '../formats/shared/metadata-record.ts';
import { VERSION } from '../version.ts';
import { extensionOf, extensionsOf, isCompressedFormat } from '../formats/registry.ts';
import { IMPORT_ORDER } from '../../src-shared/dhis2/schema/registry.ts';

/** Options arrive from the CLI (strings, booleans, string arrays) or the API (typed values). */
export function asStringList(v: unknown): string[] {
  if (v == null || v === false || v === true) return [];
  const raw = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const x of raw) {
    if (typeof x === 'string') for (const p of x.split(',')) {
      const t = p.trim();
      if (t) out.push(t);
    }
    else if (typeof x === 'number') out.push(String(x));
  }
  return out;
}

export function asBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.trim().toLowerCase() === 'true' || v.trim() === '';
  return false;
}

export function asString(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
}

export { extensionOf };


/**
 * The name of the single entry inside a zip: the output name without `.zip` (ferry-data.json.zip → ferry-data.json),
 * given the format's extension when it has none that fits (out.zip → out.json).
 */
export function zipEntryName(out: string, format: string): string {
  let base = path.basename(out);
  if (/\.zip$/i.test(base)) base = base.slice(0, -4);
  else if (/\.gz$/i.test(base)) base = base.slice(0, -3);
  // a name that already ends in one of the format's extensions keeps it (x.adx.xml, or x.xml for ADX)
  if (!extensionsOf(format).some((e) => base.toLowerCase().endsWith('.' + e))) base += '.' + extensionOf(format);
  return base;
}

export function checkCompression(c: string): Compression {
  if (c === 'none' || c === 'zip' || c === 'gzip') return c;
  throw ferryError('BAD_REQUEST', 'export.unknownCompression', { compression: c });
}

/**
 * The compression of an export in `format`. A format whose files are already compressed (xlsx is a zip of XML) is
 * written as it is: asking to zip or gzip it again is refused rather than silently ignored.
 */
export function checkExportCompression(format: string, compression: string): Compression {
  const c = checkCompression(compression);
  if (c !== 'none' && isCompressedFormat(format))
    throw ferryError('BAD_REQUEST', 'export.alreadyCompressed', { format, compression: c });
  return c;
}

/** The warning of an export whose cells were cut to Excel's 32,767 characters. */
export function truncationWarning(cells: number): ExportWarning {
  return warn('export.warn.truncated', { count: cells });
}

/** A warning of an export's summary: a key of the errors catalogue and its parameters (the doors say it in their language). */
export type ExportWarning = KeyedMessage;

export const warn = keyed;

/** The summary's warnings: their English (as `--json` reads them) and, beside, their keys and parameters. */
export const summaryWarnings: (ws: ExportWarning[]) => Required<Pick<ExportSummary, 'warnings' | 'warningDetails'>> = withEnglish;

/**
 * Batches small strings into large writes (one await per ~64 KB instead of per record), checks for cancellation and
 * reports progress between batches. On any failure the partial file is deleted.
 */
export class BatchedOutput {
  private parts: string[] = [];
  private size = 0;
  readonly sink: OutputSink;
  constructor(
    file: string,
    compression: Compression,
    entryName: string,
    private readonly ctx: JobContext,
    private readonly onFlush?: () => void,
  ) {
    this.sink = openOutput(file, compression, entryName);
  }
  /** appends; returns true when the caller should `await flush()` */
  push(s: string): boolean {
    this.parts.push(s);
    this.size += s.length;
    return this.size >= 65536;
  }
  async flush(): Promise<void> {
    if (this.parts.length) {
      const s = this.parts.join('');
      this.parts = [];
      this.size = 0;
      await this.sink.write(s);
    }
    this.ctx.throwIfCancelled();
    this.onFlush?.();
  }
  async close(): Promise<{ bytes: number; sha256: string }> {
    await this.flush();
    return this.sink.close();
  }
  async abort(): Promise<void> {
    await this.sink.abort();
  }
}

/** What an export body wrote: counts, and warnings about selected records it could not write. */
export interface WrittenCounts {
  counts: Record<string, number>;
  warnings: ExportWarning[];
}

/**
 * Runs `body` against a BatchedOutput; deletes the partial file when it throws. A body that returns warnings makes the
 * summary status WARNING (the file is written, but the user must be told what is not in it).
 */
export async function writeFile(
  ctx: JobContext,
  out: string,
  format: string,
  compression: string,
  body: (o: BatchedOutput) => Promise<Record<string, number> | WrittenCounts>,
  onFlush?: () => void,
): Promise<ExportSummary> {
  const comp = checkExportCompression(format, compression);
  const o = new BatchedOutput(out, comp, zipEntryName(out, format), ctx, onFlush);
  let written: Record<string, number> | WrittenCounts;
  let result: { bytes: number; sha256: string };
  try {
    written = await body(o);
    result = await o.close();
  } catch (e) {
    await o.abort().catch(() => undefined);
    throw e;
  }
  const withWarnings = typeof written.counts === 'object' ? (written as WrittenCounts) : null;
  const counts = withWarnings ? withWarnings.counts : (written as Record<string, number>);
  const summary: ExportSummary = { responseType: 'ExportSummary', status: 'OK', file: out, format, compression: comp, bytes: result.bytes, sha256: result.sha256, counts };
  if (withWarnings?.warnings.length) {
    summary.status = 'WARNING';
    Object.assign(summary, summaryWarnings(withWarnings.warnings));
  }
  return summary;
}

/** The `system` block of a metadata export. */
export function systemInfo(now: string): SystemInfo {
  return { id: 'ferry', rev: `ferry-${VERSION}`, version: `ferry-${VERSION}`, date: now };
}

const ISO_MS_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DHIS2_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/;
const LOCAL_TS = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?$/;
const ZONED_TS = /([zZ]|[+-]\d\d(?::?\d\d)?)$/;

/**
 * A stored timestamp in DHIS2's export form `yyyy-MM-dd'T'HH:mm:ss.SSS+0000` (UTC). Timestamps with a zone are
 * converted to UTC; timestamps without one are taken as UTC (Ferry stores UTC). Anything unparseable is kept as is.
 */
export function dhis2Timestamp(s: string | null): string | null {
  if (s == null || s === '') return null;
  if (ISO_MS_Z.test(s)) return s.slice(0, 23) + '+0000';
  if (DHIS2_TS.test(s)) return s;
  const m = LOCAL_TS.exec(s);
  if (m) {
    const ms = ((m[4] ?? '') + '000').slice(0, 3);
    return `${m[1]}T${m[2] ?? '00:00'}:${m[3] ?? '00'}.${ms}+0000`;
  }
  if (ZONED_TS.test(s)) {
    const norm = s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
    const d = new Date(norm);
    if (!Number.isNaN(d.getTime())) return d.toISOString().slice(0, 23) + '+0000';
  }
  return s;
}

/** Stage/progress helper: reports records done (throttled by the job context). */
export function reportProgress(ctx: JobContext, done: number, total: number | null, fileName: string): void {
  ctx.progress({ stage: 'exporting', done, total, unit: 'records', records: done, fileIndex: 0, fileName });
}

/** DHIS2 plural keys in an order that lets a naive importer meet references after their targets. */
export const TYPE_ORDER = [
  'attributes', 'userRoles', 'userGroups', 'users', 'categoryOptions', 'categories', 'categoryCombos', 'categoryOptionCombos',
  'categoryOptionGroups', 'categoryOptionGroupSets', 'optionSets', 'options', 'optionGroups', 'optionGroupSets', 'legendSets',
  'legends', 'organisationUnitLevels', 'organisationUnits', 'organisationUnitGroups', 'organisationUnitGroupSets',
  'indicatorTypes', 'dataElements', 'dataElementGroups', 'dataElementGroupSets', 'indicators', 'indicatorGroups',
  'indicatorGroupSets', 'dataEntryForms', 'dataSets', 'sections', 'dataApprovalLevels', 'dataApprovalWorkflows',
  'validationRules', 'validationRuleGroups', 'predictors', 'predictorGroups', 'trackedEntityAttributes',
  'trackedEntityTypes', 'programs', 'programStages', 'programStageSections', 'programSections', 'programIndicators',
  'programRuleVariables', 'programRules', 'programRuleActions', 'programNotificationTemplates', 'relationshipTypes',
  'documents', 'reports', 'visualizations', 'eventVisualizations', 'eventCharts', 'eventReports', 'mapViews', 'maps',
  'dashboardItems', 'dashboards',
];

/** Types in the registry's import order (referenced types first); unknown types after, alphabetically. */
export function orderTypes(types: Iterable<string>): string[] {
  const rank = new Map<string, number>(IMPORT_ORDER.map((t, i) => [t, i]));
  for (const t of TYPE_ORDER) if (!rank.has(t)) rank.set(t, 5000 + TYPE_ORDER.indexOf(t));
  return [...new Set(types)].sort((a, b) => (rank.get(a) ?? 1e6) - (rank.get(b) ?? 1e6) || (a < b ? -1 : a > b ? 1 : 0));
}
