/** Data export: org units (tree, with selection mode), data sets, period, options, format, compression. */
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
  return (
    <div className="screen" data-test="wizard-export-data">
      <h1>Data export</h1>
      <Steps steps={['Options', 'Export', 'Result']} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
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
                <legend>Data sets</legend>
                <MetadataPicker
                  type="dataSets"
                  label="Data sets"
                  multiple
                  selected={o.dataSets.map((d) => d.id)}
                  selectedItems={o.dataSets}
                  onChange={(items) => s.setOption('dataSets', items)}
                />
              </fieldset>
            </div>
            <div className="options-grid">
              <div className="row">
                <DateField name="startDate" label="Start date" value={o.startDate} onChange={(v) => s.setOption('startDate', v)} />
                <DateField name="endDate" label="End date" value={o.endDate} onChange={(v) => s.setOption('endDate', v)} />
              </div>
              <RadioField<ExportFormat>
                name="format"
                label="Format"
                value={s.format}
                onChange={s.setFormat}
                choices={formatChoices(formats, 'data', 'writes')}
              />
              <CompressionField format={s.format} value={s.compression} onChange={s.setCompression} />
            </div>
            <details className="advanced">
              <summary>Advanced options</summary>
              <div className="options-grid">
                <CheckboxField name="includeDeleted" label="Include deleted values" checked={o.includeDeleted} onChange={(v) => s.setOption('includeDeleted', v)} />
                <DateField
                  name="lastUpdated"
                  label="Changed since"
                  value={o.lastUpdated}
                  onChange={(v) => s.setOption('lastUpdated', v)}
                  help="Only values added or changed on or after this day. Leave empty for all."
                />
                <IdSchemeField option="idScheme" of="data" value={o.idScheme} onChange={(v) => s.setOption('idScheme', v)} />
                <IdSchemeField option="dataElementIdScheme" value={o.dataElementIdScheme} onChange={(v) => s.setOption('dataElementIdScheme', v)} />
                <IdSchemeField option="orgUnitIdScheme" value={o.orgUnitIdScheme} onChange={(v) => s.setOption('orgUnitIdScheme', v)} />
                <IdSchemeField option="categoryOptionComboIdScheme" value={o.categoryOptionComboIdScheme} onChange={(v) => s.setOption('categoryOptionComboIdScheme', v)} />
              </div>
            </details>
            <ExportActionBar label="Export…" formError={s.formError} suggestedName={s.defaultName()} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}
