/** Data export: org units (tree, with selection mode), data sets, period, options, format, compression. */
import { useTranslation } from 'react-i18next';
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import { CheckboxField, DateField, IdSchemeField, RadioField } from '../../components/Fields.tsx';
import { CompressionField } from '../../components/CompressionField.tsx';
import { ExportRun } from '../../components/ExportRun.tsx';
import { MetadataPicker } from '../../components/MetadataPicker.tsx';
import { OrgUnitSelection } from '../../components/OrgUnitSelection.tsx';
import { Steps } from '../../components/Steps.tsx';
import { useDataExport, type ExportFormat } from '../../stores/exports.ts';
import { formatChoices, useApp } from '../../stores/app.ts';

export function DataExportScreen() {
  const s = useDataExport();
  const formats = useApp((a) => a.formats);
  const o = s.options;
  const { t } = useTranslation('exports');
  return (
    <div className="screen" data-test="wizard-export-data">
      <h1>{t('dataExport.title')}</h1>
      <Steps steps={[t('wizard.step.options'), t('wizard.step.export'), t('wizard.step.result')]} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <div className="two-col">
              <OrgUnitSelection value={o.orgUnits} onChange={(v) => s.setOption('orgUnits', v)} />
              <fieldset className="field">
                <legend>{t('wizard.dataSets')}</legend>
                <MetadataPicker
                  type="dataSets"
                  label={t('wizard.dataSets')}
                  multiple
                  selected={o.dataSets.map((d) => d.id)}
                  selectedItems={o.dataSets}
                  onChange={(items) => s.setOption('dataSets', items)}
                />
              </fieldset>
            </div>
            <div className="options-grid">
              <div className="row">
                <DateField name="startDate" label={t('wizard.startDate')} value={o.startDate} onChange={(v) => s.setOption('startDate', v)} />
                <DateField name="endDate" label={t('wizard.endDate')} value={o.endDate} onChange={(v) => s.setOption('endDate', v)} />
              </div>
              <RadioField<ExportFormat>
                name="format"
                label={t('wizard.format')}
                value={s.format}
                onChange={s.setFormat}
                choices={formatChoices(formats, 'data', 'writes')}
              />
              <CompressionField format={s.format} value={s.compression} onChange={s.setCompression} />
            </div>
            <details className="advanced">
              <summary>{t('wizard.advanced')}</summary>
              <div className="options-grid">
                <CheckboxField name="includeDeleted" label={t('dataExport.includeDeleted')} checked={o.includeDeleted} onChange={(v) => s.setOption('includeDeleted', v)} />
                <DateField
                  name="lastUpdated"
                  label={t('wizard.changedSince')}
                  value={o.lastUpdated}
                  onChange={(v) => s.setOption('lastUpdated', v)}
                  help={t('wizard.changedSince.help')}
                />
                <IdSchemeField option="idScheme" of="data" value={o.idScheme} onChange={(v) => s.setOption('idScheme', v)} />
                <IdSchemeField option="dataElementIdScheme" value={o.dataElementIdScheme} onChange={(v) => s.setOption('dataElementIdScheme', v)} />
                <IdSchemeField option="orgUnitIdScheme" value={o.orgUnitIdScheme} onChange={(v) => s.setOption('orgUnitIdScheme', v)} />
                <IdSchemeField option="categoryOptionComboIdScheme" value={o.categoryOptionComboIdScheme} onChange={(v) => s.setOption('categoryOptionComboIdScheme', v)} />
              </div>
            </details>
            <ExportActionBar label={t('wizard.exportButton')} formError={s.formError} suggestedName={s.defaultName()} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}
