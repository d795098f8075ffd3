/**
 * The geometry import wizard's state: GML or GeoJSON files, how features are matched (GeoJSON: feature id, or a
 * property by id, code or name), the GEOJSON attribute option, and (GML) atomic mode. The map preview comes with the
 * dry run's summary (`preview`).
 */
import { createImportStore } from './imports.ts';

export interface GeometryWizardOptions {
  dryRun: boolean;
  /** GeoJSON: 'id' = the feature id is the org unit uid (DHIS2's default); 'property' = a feature property */
  matchBy: 'id' | 'property';
  geoJsonProperty: string;
  orgUnitProperty: 'ID' | 'CODE' | 'NAME';
  /** store the GeoJSON as a GEOJSON attribute value instead of the org unit geometry */
  asAttribute: boolean;
  attributeId: string;
  /** GML: ALL = one unmatched feature fails the file (DHIS2), NONE = import what matches */
  atomicMode: 'ALL' | 'NONE';
}

export const GEOMETRY_DEFAULTS: GeometryWizardOptions = {
  dryRun: true,
  matchBy: 'id',
  geoJsonProperty: 'name',
  orgUnitProperty: 'NAME',
  asAttribute: false,
  attributeId: '',
  atomicMode: 'ALL',
};

/** The wizard's options → DHIS2's parameter names (what import:start and `ferry import` take). */
export function geometryRequest(o: GeometryWizardOptions, format: string): Record<string, unknown> {
  const r: Record<string, unknown> = { dryRun: o.dryRun };
  if (format !== 'gml' && o.matchBy === 'property') {
    r.geoJsonId = false;
    r.geoJsonProperty = o.geoJsonProperty.trim();
    r.orgUnitProperty = o.orgUnitProperty;
  }
  if (o.asAttribute && o.attributeId) r.attributeId = o.attributeId;
  if (format !== 'geojson') r.atomicMode = o.atomicMode;
  return r;
}

export const useGeometryImport = createImportStore<GeometryWizardOptions>({
  kind: 'geometry',
  multiple: true,
  defaults: GEOMETRY_DEFAULTS,
  toRequest: geometryRequest,
  fromRequest(o) {
    const r: Record<string, unknown> = { ...o };
    if (o.geoJsonId === false) r.matchBy = 'property';
    if (typeof o.attributeId === 'string') r.asAttribute = true;
    return r;
  },
});
