/**
 * The ImportReport of a GML import (DHIS2 answers /api/metadata/gml with a metadata ImportReport, spec §7): one type
 * report for org units, `updated` per matched feature, an object report with the error per feature that is not
 * applied (E5001 no matching org unit, as DHIS2's forced UPDATE strategy reports it). atomicMode ALL (DHIS2's
 * default): one error fails the file and nothing is kept; NONE: the matched features are imported.
 */
import { SUMMARY_LIMITS, emptyStats, type ErrorReport, type ObjectReport } from '../../../src-shared/dhis2/import-summary.ts';
import type { GeometryImportReport } from '../../../src-shared/dhis2/geometry.ts';
import type { GeometryFeature } from '../../formats/shared/geometry.ts';
import type { GeometryTarget } from '../../db/repos/geometry.ts';
import type { PreviewBuilder } from './preview.ts';

const KLASS = 'org.hisp.dhis.organisationunit.OrganisationUnit';
/** the class DHIS2 names in the report of a GML document it cannot pre-process (E7010) */
const GML_SERVICE = 'org.hisp.dhis.dxf2.gml.DefaultGmlImportService';

export class GmlReport {
  private updatedCount = 0;
  private ignored = 0;
  private errors = 0;
  private globalFailure = false;
  private readonly objectReports: ObjectReport[] = [];
  private moreObjectReports = 0;
  private more: Record<string, number> = {};
  /** E7010's argument when the document could not be read (then the report is only that) */
  private unreadable: string | null = null;

  constructor(private readonly atomicMode: 'ALL' | 'NONE') {}

  startFile(): void {}

  global(code: string, message: string): void {
    this.globalFailure = true;
    this.errors++;
    this.objectReports.push({ klass: KLASS, index: -1, errorReports: [{ message, mainKlass: KLASS, errorCode: code, errorProperty: 'attributeId' }] });
  }

  /**
   * DHIS2's DefaultGmlImportService could not parse/transform the document: its report is ERROR with one error report
   * E7010 whose argument is "GML import failed: " + the parser's message (+ " On line N column M") + "." (HTML-escaped), under
   * the service's own class; what was read before is forgotten and nothing is kept.
   */
  fileFailure(reason: string, line?: number, column?: number): void {
    let text = `GML import failed: ${reason}${line !== undefined ? ` On line ${line}${column !== undefined ? ` column ${column}` : ''}` : ''}`;
    if (!text.endsWith('.')) text += '.';
    this.unreadable = htmlEscape(text);
  }

  /** One error makes an atomic (ALL) import fail: nothing is written any more, nothing is kept. */
  failing(): boolean {
    return this.unreadable !== null || this.globalFailure || (this.atomicMode === 'ALL' && this.errors > 0);
  }

  updated(_t: GeometryTarget): void {
    this.updatedCount++;
  }

  error(f: GeometryFeature, code: string, reason: string | null, preview: PreviewBuilder | null, uid?: string): void {
    this.errors++;
    this.ignored++;
    const ident = f.identifier ?? '';
    const obj = f.idProperty === 'name' ? `${ident} [] (OrganisationUnit)` : `[${ident}] (OrganisationUnit)`;
    let e: ErrorReport;
    switch (code) {
      case 'E5001':
        e = {
          message: `No matching object for reference. Identifier was ${(f.idProperty ?? 'uid').toUpperCase()}, and object was ${obj}.`,
          mainKlass: KLASS,
          errorKlass: KLASS,
          errorProperty: f.idProperty === 'uid' || !f.idProperty ? 'id' : f.idProperty,
          args: [(f.idProperty ?? 'uid').toUpperCase(), obj],
          errorCode: code,
          value: ident,
        };
        break;
      case 'E7711':
        e = { message: 'Organisation unit cannot be uniquely identified by its name', mainKlass: KLASS, errorProperty: 'name', errorCode: code, value: ident };
        break;
      case 'E4000':
        e = { message: 'Missing required property `geometry`.', mainKlass: KLASS, errorProperty: 'geometry', args: ['geometry'], errorCode: code };
        break;
      default:
        e = { message: `Geometry is not valid: ${reason ?? 'unreadable'}`, mainKlass: KLASS, errorProperty: 'geometry', errorCode: code };
    }
    preview?.miss(f.index, f.line, f.identifier, code, code === 'E5001' ? 'no org unit with this ' + (f.identifier === null ? 'identifier (the feature has no uid, code or name)' : (f.idProperty ?? 'uid')) : e.message, f.geometry);
    if (this.objectReports.length < SUMMARY_LIMITS.objectReports) {
      const r: ObjectReport = { klass: KLASS, index: f.index, errorReports: [e] };
      if (uid) r.uid = uid;
      else if (f.idProperty === 'uid' && f.identifier) r.uid = f.identifier;
      if (f.idProperty === 'name' && f.identifier) r.displayName = f.identifier;
      this.objectReports.push(r);
    } else {
      this.moreObjectReports++;
      this.more[code] = (this.more[code] ?? 0) + 1;
    }
  }

  build(): GeometryImportReport {
    if (this.unreadable !== null) {
      const e: ErrorReport = { message: `Failed to validate job runtime: \`${this.unreadable}\``, mainKlass: GML_SERVICE, args: [this.unreadable], errorCode: 'E7010' };
      return {
        responseType: 'ImportReport',
        status: 'ERROR',
        stats: emptyStats(),
        typeReports: [{ klass: GML_SERVICE, stats: emptyStats(), objectReports: [{ klass: GML_SERVICE, index: 0, errorReports: [e] }] }],
      };
    }
    const stats = emptyStats();
    const fail = this.failing();
    stats.updated = fail ? 0 : this.updatedCount;
    stats.ignored = fail ? this.updatedCount + this.ignored : this.ignored;
    stats.total = stats.updated + stats.ignored;
    const status = fail ? 'ERROR' : this.errors ? 'WARNING' : 'OK';
    const report: GeometryImportReport = {
      responseType: 'ImportReport',
      status,
      stats,
      typeReports: stats.total || this.objectReports.length ? [{ klass: KLASS, stats: { ...stats }, objectReports: this.objectReports, ...(this.moreObjectReports ? { moreObjectReports: this.moreObjectReports } : {}) }] : [],
    };
    if (Object.keys(this.more).length) report.moreErrorReports = this.more;
    return report;
  }
}

/**
 * Spring's HtmlUtils.htmlEscape, as DHIS2 escapes E7010's argument, for the five markup characters; Spring (escaping
 * for ISO-8859-1) also names the other characters HTML 4.01 has entities for (é → &eacute;), which Ferry leaves as they are.
 */
function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
