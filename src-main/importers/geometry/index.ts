/**
 * The geometry importer (spec §7): GML and GeoJSON features matched to EXISTING org units, whose geometry (or, with
 * attributeId, a GEOJSON attribute value) they replace. Org units are never created. Features stream in batches; each
 * batch's identifiers are looked up at once. Per-feature problems are conflicts (GeoJSON: DHIS2's E77xx per feature
 * index) or error reports (GML: a metadata ImportReport, E5001 for a feature without org unit); nothing is dropped
 * silently. A dry run does every step and the runner rolls back; it carries the map preview.
 */
import type { FileOutcome, ImportFileInput, Importer, ImportResult, JobContext } from '../../jobs/types.ts';
import { AppError } from '../../../src-shared/errors.ts';
import { ferryError } from '../../../src-shared/keyed-errors.ts';
import { geometryImportOptionsSchema, type GeometryImportOptions, type ImportFormat } from '../../../src-shared/dhis2/options.ts';
import type { GeoGeometry, GeometryImportReport, GeometryImportSummary } from '../../../src-shared/dhis2/geometry.ts';
import { openInput, type OpenedInput } from '../../io/input.ts';
import { detectFormat } from '../../io/detect.ts';
import { findFormat } from '../../formats/registry.ts';
import { coordinatesEmpty, geometryProblem, withCoordinatePairs, type GeometryFeature } from '../../formats/shared/geometry.ts';
import { GeometryRepo, type GeometryTarget } from '../../db/repos/geometry.ts';
import { GeoJsonReport } from './geojson-report.ts';
import { GmlReport } from './gml-report.ts';
import { PreviewBuilder } from './preview.ts';

export function parseGeometryOptions(options: Record<string, unknown>): GeometryImportOptions {
  const raw = { ...options };
  if (typeof raw.importMode === 'string') {
    if (raw.importMode.toUpperCase() === 'VALIDATE') raw.dryRun = true;
    delete raw.importMode;
  }
  const r = geometryImportOptionsSchema.safeParse(raw);
  if (!r.success) throw ferryError('BAD_REQUEST', 'import.badOptions', { detail: r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ') });
  return r.data;
}

/** What matching a feature needs: the property looked up and the identifier. */
type By = 'uid' | 'code' | 'name';

interface FileRun {
  format: 'gml' | 'geojson';
  features: number;
}

/** The format of one opened file (chosen, or detected: it must be geometry). */
function formatOf(input: OpenedInput, chosen: ImportFormat | undefined): 'gml' | 'geojson' {
  if (chosen) {
    const f = chosen.toLowerCase();
    if (f !== 'gml' && f !== 'geojson') throw ferryError('BAD_REQUEST', 'geometry.notFormat', { format: chosen });
    return f;
  }
  const d = detectFormat(input.head, input.label);
  if (d.kind !== 'geometry' || (d.format !== 'gml' && d.format !== 'geojson'))
    throw ferryError('BAD_FILE', 'geometry.notGeometry', { file: input.label, kind: d.kind, format: d.format }, { file: input.label });
  return d.format;
}

/** An error of the file's bytes themselves (a damaged gzip or zip), told apart from the reader's own errors. */
class InputReadError extends Error {
  constructor(readonly error: unknown) {
    super(error instanceof Error ? error.message : String(error));
  }
}

/** The decompressed chunks of an input, its errors wrapped in InputReadError. */
async function* tagged(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = chunks[Symbol.asyncIterator]();
  for (;;) {
    let r: IteratorResult<Buffer>;
    try {
      r = await it.next();
    } catch (e) {
      throw new InputReadError(e);
    }
    if (r.done) return;
    yield r.value;
  }
}

/** A message without the file name (and line) Ferry's errors start with: DHIS2's reports name no file. */
function withoutFile(message: string, names: string[]): string {
  for (const n of names) {
    if (!message.startsWith(n)) continue;
    const m = /^(?:, line \d+(?:, column \d+)?)?: /.exec(message.slice(n.length));
    if (m) return message.slice(n.length + m[0].length);
  }
  return message;
}

/**
 * How DHIS2 answers a file it cannot read, where it answers with a report rather than refusing the request (null: the
 * error stays Ferry's refusal). GeoJSON (DefaultGeoJsonService, 2.42.0): reading the input fails (an IOException, e.g.
 * a damaged gzip or zip) → E7700 with the error's message; JSON that holds no list of features → E7701 "No list of
 * features found". Malformed JSON is no report in DHIS2 (the JSON parser's IllegalArgumentException answers 400 Bad
 * Request), so it stays a refusal; so do text that is not UTF-8 (DHIS2 replaces such bytes and reads on; Ferry refuses
 * them) and Ferry's size limits. GML (DefaultGmlImportService): a document the XML parser or the stylesheet fails on
 * → E7010; Ferry's own refusals of a readable document (a DOCTYPE, no feature at all) stay refusals.
 */
type Unreadable = { format: 'geojson'; code: 'E7700' | 'E7701'; text: string; line?: number; detail?: string } | { format: 'gml'; reason: string; line?: number; column?: number };

function unreadable(e: unknown, fmt: 'gml' | 'geojson', names: string[]): Unreadable | null {
  const inner = e instanceof InputReadError ? e.error : e;
  if (!(inner instanceof AppError) || inner.code !== 'BAD_FILE') return null;
  const line = typeof inner.details.line === 'number' ? inner.details.line : undefined;
  if (fmt === 'geojson') {
    if (e instanceof InputReadError) return { format: 'geojson', code: 'E7700', text: withoutFile(inner.message, names) };
    if (inner.details.notGeoJson === true) return { format: 'geojson', code: 'E7701', text: 'No list of features found', line, detail: inner.message };
    return null;
  }
  if (inner.details.ferryRefusal === true) return null;
  const reason = withoutFile(inner.message, names);
  // saxes' own position ("malformed XML (4:139: unexpected close tag.)"): DHIS2 says " On line 4 column 139"
  const at = /^malformed XML \((\d+):(\d+): (.*)\)$/s.exec(reason);
  if (at) return { format: 'gml', reason: `malformed XML (${at[3]})`, line: Number(at[1]), column: Number(at[2]) };
  return { format: 'gml', reason, line };
}

export const geometryImporter: Importer = {
  kind: 'geometry',
  async run(ctx: JobContext, files: ImportFileInput[], options: Record<string, unknown>, format?: ImportFormat): Promise<ImportResult> {
    const opts = parseGeometryOptions(options);
    const dryRun = ctx.dryRun || opts.dryRun;
    const repo = new GeometryRepo(ctx.db);
    const preview = dryRun ? new PreviewBuilder() : null;
    const outcomes: FileOutcome[] = [];
    const by: By = opts.orgUnitProperty === 'CODE' ? 'code' : opts.orgUnitProperty === 'NAME' ? 'name' : 'uid';

    // one pass over the files' formats first: a job is GML or GeoJSON, not both
    let jobFormat: 'gml' | 'geojson' | null = null;
    const gml = new GmlReport(opts.atomicMode);
    const geo = new GeoJsonReport(opts.geoJsonId === false ? `properties.${opts.geoJsonProperty ?? ''}` : 'id');

    // the attribute (DHIS2 checks it before reading the file)
    let attribute: string | null = null;
    if (opts.attributeId) {
      const a = repo.attribute(opts.attributeId);
      const problem = !a
        ? (['E7702', `GeoJSON attribute does not exist: ${opts.attributeId}`] as const)
        : a.valueType !== 'GEOJSON'
          ? (['E7703', `GeoJSON attribute is not of type GEOJSON but: ${a.valueType ?? 'TEXT'}`] as const)
          : !a.organisationUnitAttribute
            ? (['E7704', 'GeoJSON attribute is not applicable to organisation units'] as const)
            : null;
      if (problem) {
        geo.global(problem[0], problem[1]);
        gml.global(problem[0], problem[1]);
      } else attribute = opts.attributeId;
    }

    const write = (t: GeometryTarget, g: GeoGeometry | null, sourceFileId: number): 'imported' | 'updated' | 'deleted' => {
      const text = g ? JSON.stringify(g) : null;
      if (attribute) {
        const old = repo.attributeValue(t.id, attribute);
        if (text === null) {
          if (old !== null) repo.setAttributeValue(t.id, attribute, null, ctx.now, sourceFileId);
          return 'deleted';
        }
        if (old !== text) repo.setAttributeValue(t.id, attribute, text, ctx.now, sourceFileId);
        return old !== null ? 'updated' : 'imported';
      }
      const old = t.geometry;
      if (text === null) {
        if (old !== null) repo.setGeometry(t.id, null, ctx.now, sourceFileId);
        t.geometry = null;
        return 'deleted';
      }
      if (old !== text) repo.setGeometry(t.id, text, ctx.now, sourceFileId);
      t.geometry = text;
      return old !== null ? 'updated' : 'imported';
    };

    /** Looks up a batch's identifiers: identifier → every org unit it names (by property). */
    const lookup = (batch: GeometryFeature[], prop: (f: GeometryFeature) => By): Map<string, GeometryTarget[]> => {
      const want: Record<By, Set<string>> = { uid: new Set(), code: new Set(), name: new Set() };
      for (const f of batch) if (f.identifier !== null) want[prop(f)].add(f.identifier);
      const found = new Map<string, GeometryTarget[]>();
      for (const k of ['uid', 'code', 'name'] as const) {
        if (!want[k].size) continue;
        for (const t of repo.find(k, [...want[k]])) {
          const key = `${k}\u0000${k === 'uid' ? t.uid : k === 'code' ? t.code : t.name}`;
          const list = found.get(key);
          if (list) list.push(t);
          else found.set(key, [t]);
        }
      }
      return found;
    };

    const geojsonFeature = (f: GeometryFeature, targets: GeometryTarget[], fileId: number): void => {
      if (f.identifier === null) return geo.conflict('E7705', f, { identifier: null }, preview);
      if (targets.length > 1) return geo.conflict('E7711', f, { identifier: f.identifier }, preview);
      const t = targets[0];
      if (!t) return geo.conflict('E7708', f, { identifier: f.identifier }, preview);
      if (f.problem) return geo.conflict('E7707', f, { identifier: f.identifier, reason: f.problem }, preview);
      const g = f.geometry;
      if (g === undefined) return geo.conflict('E7706', f, { identifier: f.identifier }, preview);
      if (g !== null && (typeof g !== 'object' || Array.isArray(g))) return geo.conflict('E7707', f, { identifier: f.identifier, reason: 'the geometry is not an object' }, preview);
      if (g !== null && coordinatesEmpty(g)) {
        const c = (g as { coordinates?: unknown }).coordinates;
        return geo.conflict('E7712', f, { identifier: f.identifier, coordinates: c === undefined ? '' : JSON.stringify(c) }, preview);
      }
      let next: GeoGeometry | null = null;
      if (g !== null) {
        const problem = geometryProblem(g);
        if (problem) return geo.conflict('E7707', f, { identifier: f.identifier, reason: problem }, preview);
        next = withCoordinatePairs(g as GeoGeometry);
      }
      preview?.change(f.index, f.line, t, next, f.points);
      geo.count(write(t, next, fileId));
    };

    const gmlFeature = (f: GeometryFeature, targets: GeometryTarget[], fileId: number): void => {
      if (f.identifier === null) return gml.error(f, 'E5001', null, preview);
      if (targets.length > 1) return gml.error(f, 'E7711', null, preview);
      const t = targets[0];
      if (!t) return gml.error(f, 'E5001', null, preview);
      if (f.problem || !f.geometry) return gml.error(f, f.geometry ? 'E7707' : 'E4000', f.problem ?? null, preview, t.uid);
      const g = f.geometry as GeoGeometry;
      const problem = geometryProblem(g);
      if (problem) return gml.error(f, 'E7707', problem, preview, t.uid);
      preview?.change(f.index, f.line, t, g, f.points);
      if (!gml.failing()) write(t, g, fileId);
      gml.updated(t);
    };

    const runs: FileRun[] = [];
    /** a file DHIS2 could not have read: the report says so, nothing is written, the files after it are not read */
    let failed: Unreadable | null = null;
    for (const file of files) {
      if (failed) break;
      ctx.throwIfCancelled();
      let input: OpenedInput | null = await openInput(file.path);
      const first = input;
      try {
        let n = 0;
        let fmt: 'gml' | 'geojson' = 'geojson';
        for (; input; input = await input.next()) {
          const entry: OpenedInput = input;
          fmt = formatOf(entry, format);
          if (jobFormat && fmt !== jobFormat)
            throw ferryError('BAD_REQUEST', 'geometry.mixed', { file: entry.label }, { file: entry.label });
          jobFormat = fmt;
          if (geo.failedGlobally()) break;
          const reader = findFormat('geometry', fmt)!.readers!.geometry!;
          const features = reader(tagged(entry.chunks()), { fileName: entry.label, geoJsonId: opts.geoJsonId, ...(opts.geoJsonProperty ? { geoJsonProperty: opts.geoJsonProperty } : {}) });
          if (fmt === 'geojson') geo.startFile(entry.label);
          else gml.startFile();
          try {
            for await (const batch of features) {
              ctx.throwIfCancelled();
              if (batch.length) {
                const prop = (f: GeometryFeature): By => (fmt === 'gml' ? (f.idProperty ?? 'uid') : by);
                const found = lookup(batch, prop);
                for (const f of batch) {
                  const targets = f.identifier === null ? [] : (found.get(`${prop(f)}\u0000${f.identifier}`) ?? []);
                  if (fmt === 'geojson') geojsonFeature(f, targets, file.fileId);
                  else gmlFeature(f, targets, file.fileId);
                }
                n += batch.length;
              }
              ctx.progress({ stage: 'reading', done: first.rawBytesRead(), total: first.size, unit: 'bytes', records: n, fileIndex: file.index, fileName: file.name });
            }
          } catch (e) {
            failed = unreadable(e, fmt, [entry.label, entry.name]);
            if (!failed) throw e instanceof InputReadError ? e.error : e;
            if (failed.format === 'geojson') geo.fileFailure(failed.code, failed.text, entry.label, { line: failed.line, detail: failed.detail });
            else gml.fileFailure(failed.reason, failed.line, failed.column);
            break;
          }
        }
        runs.push({ format: fmt, features: n });
        outcomes.push({ index: file.index, size: first.size, sha256: failed ? null : first.sha256(), format: fmt, compression: first.compression, status: null });
      } finally {
        first.close();
      }
    }
    if (!files.length) throw ferryError('BAD_REQUEST', 'import.noFile');

    // (a file DHIS2 could not have read changes nothing: no preview of what was read of it)
    const built = failed ? undefined : preview?.build(repo);
    if ((jobFormat ?? 'geojson') === 'gml') {
      const report: GeometryImportReport = gml.build();
      if (dryRun) report.dryRun = true;
      if (built) report.preview = built;
      for (const o of outcomes) o.status = report.status;
      return { summary: report, status: report.status, commit: !gml.failing(), files: outcomes };
    }
    const summary: GeometryImportSummary = geo.build();
    if (dryRun) summary.dryRun = true;
    if (built) summary.preview = built;
    for (const o of outcomes) o.status = summary.status;
    return { summary, status: summary.status, commit: !failed, files: outcomes };
  },
};
