/**
 * Geometry import (spec §7): GeoJSON geometry types, the summaries a geometry job answers with and the map preview a
 * dry run carries. GML jobs answer with a metadata ImportReport (as DHIS2's /api/metadata/gml), GeoJSON jobs with
 * DHIS2's GeoJSON import report (/api/organisationUnits/geometry) in the ImportSummary shape.
 */
import type { ImportConflict, ImportReport, ImportSummary } from './import-summary.ts';

export type Position = number[];
export type GeoGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] };

/** One org unit the import changes, as the preview draws it (geometries simplified for drawing). */
export interface PreviewChange {
  /** feature index in the file (0-based) */
  index: number;
  line?: number;
  uid: string;
  name: string | null;
  /** the parent's uid (the preview may draw the parents' boundaries) */
  parent?: string | null;
  current: GeoGeometry | null;
  next: GeoGeometry | null;
  /** points before simplification */
  points: number;
}

/** A feature the import does not apply (no org unit, not unique, invalid geometry …). */
export interface PreviewUnmatched {
  index: number;
  line?: number;
  identifier: string | null;
  /** GeoJSON: the feature's `name` property, when it has one */
  label?: string;
  /** DHIS2's error code (E7708 …, E5001 for GML) */
  errorCode: string;
  reason: string;
  /** the feature's geometry (simplified) when it has a valid one: drawn as a marked shape */
  geometry?: GeoGeometry | null;
}

export interface GeometryPreview {
  changes: PreviewChange[];
  unmatched: PreviewUnmatched[];
  /** boundaries of the changed org units' parents, from the database (simplified) */
  parents: { uid: string; name: string | null; geometry: GeoGeometry }[];
  /** changes / unmatched features not listed (the preview is bounded in size) */
  moreChanges: number;
  moreUnmatched: number;
  /** [minLon, minLat, maxLon, maxLat] over everything listed, or null when nothing has coordinates */
  bbox: [number, number, number, number] | null;
}

/** Ferry's cap on what a preview lists and how many points it draws in all. */
export const PREVIEW_LIMITS = { changes: 2000, unmatched: 1000, parents: 200, points: 40_000, pointsPerGeometry: 400 } as const;

/** A GeoJSON conflict: DHIS2's message in `value`; Ferry extra: why each listed feature's geometry is not valid. */
export interface GeometryConflict extends ImportConflict {
  /** E7707: the reason of each index in `indexes` (same order) */
  reasons?: string[];
}

/** A GeoJSON import's summary: DHIS2's GeoJsonImportReport in the ImportSummary shape. */
export interface GeometryImportSummary extends ImportSummary {
  conflicts: GeometryConflict[];
  totalConflictOccurrenceCount: number;
  preview?: GeometryPreview;
}

/** A GML import's summary: a metadata ImportReport (as DHIS2), with the preview. */
export interface GeometryImportReport extends ImportReport {
  preview?: GeometryPreview;
}

/** The preview a job summary carries, if any. */
export function previewOf(summary: unknown): GeometryPreview | null {
  const p = (summary as { preview?: GeometryPreview } | null)?.preview;
  return p && Array.isArray(p.changes) ? p : null;
}
