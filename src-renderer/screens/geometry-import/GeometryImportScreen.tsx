/**
 * Geometry import: coordinates and boundaries of existing org units from GML (2 or 3) or GeoJSON files. Dry run
 * first, with a map preview drawn from the geometries themselves; then import. Org units are never created.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation(['imports', 'common']);
  const s = useGeometryImport();
  const o = s.options;
  const attributes = useAttributes(o.asAttribute);
  const gml = s.format === 'gml' || (s.format === 'auto' && s.files.every((f) => /\.(gml|xml)(\.gz|\.zip)?$/i.test(f.name)));
  const geojson = s.format === 'geojson' || (s.format === 'auto' && !gml);
  return (
    <div className="options-grid">
      <RadioField
        name="format"
        label={t('shared.format')}
        value={s.format}
        onChange={s.setFormat}
        choices={[
          { value: 'auto', label: t('shared.detectTheFiles') },
          { value: 'geojson', label: 'GeoJSON' },
          { value: 'gml', label: t('geometry.formatGml') },
        ]}
      />
      <CheckboxField
        name="dryRun"
        label={t('common:dryRun')}
        checked={o.dryRun}
        onChange={(v) => s.setOption('dryRun', v)}
        help={t('geometry.dryRunHelp')}
      />
      {geojson && (
        <>
          <RadioField
            name="matchBy"
            label={t('geometry.matchBy')}
            value={o.matchBy}
            onChange={(v) => s.setOption('matchBy', v)}
            choices={[
              { value: 'id', label: t('geometry.matchBy.id') },
              { value: 'property', label: t('geometry.matchBy.property') },
            ]}
          />
          {o.matchBy === 'property' && (
            <div className="row">
              <div className="field">
                <label htmlFor="geoJsonProperty">{t('geometry.property')}</label>
                <input id="geoJsonProperty" name="geoJsonProperty" value={o.geoJsonProperty} onChange={(e) => s.setOption('geoJsonProperty', e.target.value)} />
                <div className="help">{t('geometry.propertyHelp')}</div>
              </div>
              <SelectField
                name="orgUnitProperty"
                label={t('geometry.orgUnitProperty')}
                value={o.orgUnitProperty}
                onChange={(v) => s.setOption('orgUnitProperty', v)}
                choices={(['ID', 'CODE', 'NAME'] as const).map((value) => ({ value, label: t(`geometry.orgUnitProperty.${value}`) }))}
              />
            </div>
          )}
        </>
      )}
      {gml && (
        <RadioField
          name="atomicMode"
          label={t('geometry.gmlAtomic')}
          value={o.atomicMode}
          onChange={(v) => s.setOption('atomicMode', v)}
          choices={[
            { value: 'ALL', label: t('geometry.gmlAtomic.ALL') },
            { value: 'NONE', label: t('geometry.gmlAtomic.NONE') },
          ]}
          help={t('geometry.gmlAtomicHelp')}
        />
      )}
      <CheckboxField
        name="asAttribute"
        label={t('geometry.asAttribute')}
        checked={o.asAttribute}
        onChange={(v) => s.setOption('asAttribute', v)}
        help={t('geometry.asAttributeHelp')}
      />
      {o.asAttribute && (
        <SelectField
          name="attributeId"
          label={t('geometry.attribute')}
          value={o.attributeId}
          onChange={(v) => s.setOption('attributeId', v)}
          choices={[{ value: '', label: attributes === null ? t('common:loading') : t('geometry.chooseAttribute') }, ...(attributes ?? []).map((a) => ({ value: a.uid, label: `${a.name ?? a.uid} (${a.uid})` }))]}
        />
      )}
      {o.matchBy === 'property' && geojson && !o.geoJsonProperty.trim() && <Notice kind="warning">{t('geometry.propertyMissing')}</Notice>}
      <Notice kind="info">{t('geometry.onlyExisting')}</Notice>
    </div>
  );
}

export function GeometryImportScreen() {
  const { t } = useTranslation('imports');
  return (
    <ImportWizard
      title={t('geometry.title')}
      intro={
        <>
          <p>{t('geometry.intro')}</p>
          <p className="muted small">{t('geometry.introMap')}</p>
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
        if (unreadable) return t('geometry.blockedUnreadable');
        if (summary?.responseType === 'ImportReport') {
          if (summary.stats.ignored === summary.stats.total && s.options.atomicMode === 'ALL' && summary.stats.total > 0)
            return t('geometry.blockedGmlAll');
          return null;
        }
        if (summary?.responseType === 'ImportSummary' && summary.importCount.imported + summary.importCount.updated + summary.importCount.deleted === 0)
          return t('geometry.blockedNoMatch');
        return null;
      }}
      resultExtra={(s) => {
        const p = previewOf(s.run.record?.summary);
        return p ? <MapPreview preview={p} /> : null;
      }}
    />
  );
}
