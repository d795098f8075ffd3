/**
 * DHIS2's GeoJSON import report (GeoJsonImportReport, /api/organisationUnits/geometry) in the ImportSummary shape:
 * import counts, conflicts grouped by error code (DHIS2 groups them by code: its conflicts carry no object) with the
 * feature indexes, and totalConflictOccurrenceCount. Ferry extras: the line of each index, the file as `object`, and
 * for E7707 the reason each geometry is not valid; for E7700/E7701 (the file as a whole) the line and Ferry's words.
 */
import { SUMMARY_LIMITS, emptyImportCount, type ImportCount } from '../../../src-shared/dhis2/import-summary.ts';
import type { GeometryConflict, GeometryImportSummary } from '../../../src-shared/dhis2/geometry.ts';
import type { GeometryFeature } from '../../formats/shared/geometry.ts';
import type { PreviewBuilder } from './preview.ts';

type Code = 'E7700' | 'E7701' | 'E7702' | 'E7703' | 'E7704' | 'E7705' | 'E7706' | 'E7707' | 'E7708' | 'E7711' | 'E7712';

/** DHIS2's message of each code (ErrorCode.java) and the conflict's property (GeoJsonImportConflict). */
const CONFLICT: Record<Code, { property: string; message: (a: Info) => string }> = {
  E7700: { property: '', message: (a) => `Error reading JSON input: ${a.text ?? ''}` },
  E7701: { property: '', message: (a) => `Input is not a valid GeoJSON document: ${a.text ?? ''}` },
  E7702: { property: '', message: (a) => a.text ?? '' },
  E7703: { property: '', message: (a) => a.text ?? '' },
  E7704: { property: '', message: (a) => a.text ?? '' },
  E7705: { property: 'feature', message: (a) => `GeoJSON feature lacks identifier property: \`${a.idProperty ?? ''}\`` },
  E7706: { property: 'feature', message: () => 'GeoJSON feature lacks geometry property' },
  E7707: { property: 'geometry', message: () => 'GeoJSON geometry is not valid' },
  E7708: { property: '', message: () => 'GeoJSON target organisation unit does not exist' },
  E7711: { property: '', message: () => 'Organisation unit cannot be uniquely identified by its name' },
  E7712: { property: 'coordinates', message: (a) => `GeoJSON geometry coordinates must be non empty but was: \`${a.coordinates ?? ''}\`` },
};

interface Info {
  identifier?: string | null;
  reason?: string;
  coordinates?: string;
  idProperty?: string;
  text?: string;
}

export class GeoJsonReport {
  private readonly counts: ImportCount = emptyImportCount();
  private readonly conflicts = new Map<string, GeometryConflict>();
  private total = 0;
  private globalFailure = false;
  private file = '';

  constructor(private readonly idProperty: string) {}

  startFile(label: string): void {
    this.file = label;
  }

  /** A conflict of the whole import (the attribute): nothing is read. */
  global(code: 'E7702' | 'E7703' | 'E7704', text: string): void {
    this.globalFailure = true;
    this.add(code, null, { text });
  }

  /**
   * The file cannot be read as DHIS2 reads it before any feature (DefaultGeoJsonService: E7700 reading the input failed,
   * E7701 no list of features): the report is that one conflict, nothing counted — what was read of the file before is
   * forgotten (the importer writes nothing). Ferry extras: the line where Ferry found it, and its own words (`detail`).
   */
  fileFailure(code: 'E7700' | 'E7701', text: string, file: string, where: { line?: number; detail?: string } = {}): void {
    this.globalFailure = true;
    this.conflicts.clear();
    Object.assign(this.counts, emptyImportCount());
    this.total = 1;
    const c: GeometryConflict = { object: file, objects: {}, value: CONFLICT[code].message({ text }), errorCode: code, property: '' };
    if (where.line !== undefined) c.lines = [where.line];
    if (where.detail) c.detail = where.detail;
    this.conflicts.set(code, c);
  }

  failedGlobally(): boolean {
    return this.globalFailure;
  }

  private add(code: Code, f: GeometryFeature | null, info: Info): void {
    this.total++;
    const key = `${code}\u0000${this.file}`;
    let c = this.conflicts.get(key);
    if (!c) {
      c = { object: this.file, objects: {}, value: CONFLICT[code].message({ ...info, idProperty: this.idProperty }), errorCode: code, property: CONFLICT[code].property };
      if (f) {
        c.indexes = [];
        c.lines = [];
      }
      this.conflicts.set(key, c);
    }
    if (!f) return;
    if (c.indexes!.length < SUMMARY_LIMITS.indexesPerConflict) {
      c.indexes!.push(f.index);
      c.lines!.push(f.line);
      if (code === 'E7707') (c.reasons ??= []).push(info.reason ?? 'not valid');
    } else c.moreIndexes = (c.moreIndexes ?? 0) + 1;
  }

  /** A feature that is not applied: counted as ignored, listed, and marked on the preview. */
  conflict(code: Exclude<Code, 'E7700' | 'E7701' | 'E7702' | 'E7703' | 'E7704'>, f: GeometryFeature, info: Info, preview?: PreviewBuilder | null): void {
    this.add(code, f, info);
    this.counts.ignored++;
    preview?.miss(f.index, f.line, info.identifier ?? f.identifier, code, info.reason ?? CONFLICT[code].message({ ...info, idProperty: this.idProperty }), f.geometry, f.label);
  }

  count(what: 'imported' | 'updated' | 'deleted'): void {
    this.counts[what]++;
  }

  build(): GeometryImportSummary {
    const c = this.counts;
    const status = c.ignored === 0 && this.total === 0 ? 'SUCCESS' : c.imported + c.updated === 0 ? 'ERROR' : 'WARNING';
    const description = status === 'ERROR' ? 'Import failed.' : c.ignored > 0 ? 'Import partially successful.' : 'Import successful.';
    return {
      responseType: 'ImportSummary',
      status,
      description,
      importCount: { ...c },
      conflicts: [...this.conflicts.values()],
      rejectedIndexes: [],
      totalConflictOccurrenceCount: this.total,
    };
  }
}
