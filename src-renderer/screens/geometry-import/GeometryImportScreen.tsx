/**
 * Geometry import: coordinates and boundaries of existing org units from GML (2 or 3) or GeoJSON files. Dry run
 * first, with a map preview drawn from the geometries themselves; then import. Org units are never created.
 */
import { useEffect, useState } from 'react';
import type { MetadataListItem } from '../../../src-shared/api/contract.ts';
import { previewOf } from '../../../src-shared/dhis2/geometry.ts';
import { CheckboxField, RadioField, SelectField } from '../../components/Fields.tsx';
import { ImportWizard } from '../../components/ImportWizard.tsx';
import { MapPreview } from '../../components/MapPreview.tsx';
import { Notice } from '../../components/Notice.tsx';
import { invoke } from '../../api.ts';
import { useGeometryImport } from '../../stores/geometry.ts';

function useAttributes(enabled: boolean): MetadataListItem[] | null {
  const [list, setList] = useState<MetadataListItem[] | null>(null);
  useEffect(() => {
    if (!enabled || list) return;
    invoke('metadata:list', { type: 'attributes', limit: 500 })
      .then(setList)
      .catch(() => setList([]));
  }, [enabled, list]);
  return list;
}

function GeometryOptions() {
  const s = useGeometryImport();
  const o = s.options;
  const attributes = useAttributes(o.asAttribute);
  const gml = s.format === 'gml' || (s.format === 'auto' && s.files.every((f) => /\.(gml|xml)(\.gz|\.zip)?$/i.test(f.name)));
  const geojson = s.format === 'geojson' || (s.format === 'auto' && !gml);
  return (
    <div className="options-grid">
      <RadioField
        name="format"
        label="Format"
        value={s.format}
        onChange={s.setFormat}
        choices={[
          { value: 'auto', label: 'Detect from the files' },
          { value: 'geojson', label: 'GeoJSON' },
          { value: 'gml', label: 'GML (2 or 3)' },
        ]}
      />
      <CheckboxField
        name="dryRun"
        label="Dry run"
        checked={o.dryRun}
        onChange={(v) => s.setOption('dryRun', v)}
        help="Shows on a map which org units change and which features match none, without changing anything."
      />
      {geojson && (
        <>
          <RadioField
            name="matchBy"
            label="GeoJSON: match features to org units by"
            value={o.matchBy}
            onChange={(v) => s.setOption('matchBy', v)}
            choices={[
              { value: 'id', label: 'The feature id (the org unit UID)' },
              { value: 'property', label: 'A feature property' },
            ]}
          />
          {o.matchBy === 'property' && (
            <div className="row">
              <div className="field">
                <label htmlFor="geoJsonProperty">Feature property</label>
                <input id="geoJsonProperty" name="geoJsonProperty" value={o.geoJsonProperty} onChange={(e) => s.setOption('geoJsonProperty', e.target.value)} />
                <div className="help">The name of the property in each feature's "properties", e.g. name or code.</div>
              </div>
              <SelectField
                name="orgUnitProperty"
                label="Matched against the org unit's"
                value={o.orgUnitProperty}
                onChange={(v) => s.setOption('orgUnitProperty', v)}
                choices={[
                  { value: 'ID', label: 'ID (UID)' },
                  { value: 'CODE', label: 'Code' },
                  { value: 'NAME', label: 'Name' },
                ]}
              />
            </div>
          )}
        </>
      )}
      {gml && (
        <RadioField
          name="atomicMode"
          label="GML: when a feature matches no org unit"
          value={o.atomicMode}
          onChange={(v) => s.setOption('atomicMode', v)}
          choices={[
            { value: 'ALL', label: 'Import nothing (as DHIS2)' },
            { value: 'NONE', label: 'Import the features that match' },
          ]}
          help="GML features are matched by their uid, else code, else name element."
        />
      )}
      <CheckboxField
        name="asAttribute"
        label="Import as associated geometry (an attribute of value type GeoJSON)"
        checked={o.asAttribute}
        onChange={(v) => s.setOption('asAttribute', v)}
        help="Keeps the org units' own geometry and stores the new one in the chosen attribute."
      />
      {o.asAttribute && (
        <SelectField
          name="attributeId"
          label="Attribute"
          value={o.attributeId}
          onChange={(v) => s.setOption('attributeId', v)}
          choices={[{ value: '', label: attributes === null ? 'Loading…' : 'Choose an attribute' }, ...(attributes ?? []).map((a) => ({ value: a.uid, label: `${a.name ?? a.uid} (${a.uid})` }))]}
        />
      )}
      {o.matchBy === 'property' && geojson && !o.geoJsonProperty.trim() && <Notice kind="warning">Name the feature property that identifies the org unit.</Notice>}
      <Notice kind="info">Only org units already in the database are updated; features that match none are listed, never created.</Notice>
    </div>
  );
}

export function GeometryImportScreen() {
  return (
    <ImportWizard
      title="Geometry import"
      intro={
        <>
          <p>Facility coordinates and boundaries from GML (version 2 or 3) or GeoJSON files, for org units already in this database.</p>
          <p className="muted small">The dry run draws the org units that will change on a map: current geometry in grey, new in blue, features without a match in red.</p>
        </>
      }
      useStore={useGeometryImport}
      options={<GeometryOptions />}
      importBlocked={(s) => {
        const summary = s.run.record?.summary;
        // a file DHIS2 could not read (GML E7010, GeoJSON E7700/E7701): nothing of it would be imported
        const unreadable =
          summary?.responseType === 'ImportReport'
            ? summary.typeReports.some((t) => t.objectReports.some((o) => o.errorReports.some((e) => e.errorCode === 'E7010')))
            : summary?.responseType === 'ImportSummary' && summary.conflicts.some((c) => c.errorCode === 'E7700' || c.errorCode === 'E7701');
        if (unreadable) return 'DHIS2 could not read this file (the error below says why and where): importing it now would change nothing. Repair or export the file again, then run the dry run again.';
        if (summary?.responseType === 'ImportReport') {
          if (summary.stats.ignored === summary.stats.total && s.options.atomicMode === 'ALL' && summary.stats.total > 0)
            return 'As in DHIS2, one GML feature without an org unit stops the whole file: importing now would change nothing. To import the features that match, choose "Import the features that match" in the options.';
          return null;
        }
        if (summary?.responseType === 'ImportSummary' && summary.importCount.imported + summary.importCount.updated + summary.importCount.deleted === 0)
          return 'No feature matches an org unit with a valid geometry: importing now would change nothing. Check how features are matched (options) and the conflicts below.';
        return null;
      }}
      resultExtra={(s) => {
        const p = previewOf(s.run.record?.summary);
        return p ? <MapPreview preview={p} /> : null;
      }}
    />
  );
}
