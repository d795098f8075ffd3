/**
 * Export to DHIS 1.4 (manual "Export data to other systems"): metadata (everything 1.4 holds), detailed metadata (the
 * data elements and indicators picked) or data (org units, data sets or data elements, a period range) as the zip
 * DHIS 1.4 imports (MetaData.xml + RoutineData.txt). Then the save dialog, progress and the result with what 1.4
 * could not hold.
 */
import { useTranslation } from 'react-i18next';
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import { DateField, RadioField } from '../../components/Fields.tsx';
import { ExportRun } from '../../components/ExportRun.tsx';
import { MetadataPicker } from '../../components/MetadataPicker.tsx';
import { OrgUnitSelection } from '../../components/OrgUnitSelection.tsx';
import { Steps } from '../../components/Steps.tsx';
import type { ExportWizardState } from '../../stores/exports.ts';
import {
  useDhis14DataExport,
  useDhis14DetailedExport,
  useDhis14ExportChoice,
  useDhis14MetadataExport,
  type Dhis14ExportWhat,
} from '../../stores/dhis14-export.ts';

const WHAT: Dhis14ExportWhat[] = ['data', 'metadata', 'detailed'];

export function Dhis14ExportScreen() {
  const what = useDhis14ExportChoice((c) => c.what);
  const choose = useDhis14ExportChoice((c) => c.choose);
  const meta = useDhis14MetadataExport();
  const detailed = useDhis14DetailedExport();
  const data = useDhis14DataExport();
  const s: ExportWizardState<object> = what === 'data' ? data : what === 'detailed' ? detailed : meta;
  const { t } = useTranslation('exports');
  return (
    <div className="screen" data-test="wizard-export-dhis14">
      <h1>{t('dhis14Export.title')}</h1>
      <Steps steps={[t('wizard.step.options'), t('wizard.step.export'), t('wizard.step.result')]} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <p className="intro">{t('dhis14Export.intro')}</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <RadioField<Dhis14ExportWhat> name="what" label={t('dhis14Export.what')} value={what} onChange={choose} choices={WHAT.map((w) => ({ value: w, label: t(`dhis14Export.what.${w}`) }))} />
            {what === 'metadata' && (
              <p className="help" data-test="dhis14-metadata-help">
                {t('dhis14Export.metadata.help')}
              </p>
            )}
            {what === 'detailed' && <DetailedOptions />}
            {what === 'data' && <DataOptions />}
            <ExportActionBar label={t('wizard.exportButton')} formError={s.formError} suggestedName={s.defaultName()} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}

function DetailedOptions() {
  const s = useDhis14DetailedExport();
  const o = s.options;
  const { t } = useTranslation('exports');
  return (
    <div className="two-col">
      <fieldset className="field">
        <legend>{t('wizard.dataElements')}</legend>
        <MetadataPicker type="dataElements" label={t('wizard.dataElements')} multiple selected={o.dataElements.map((d) => d.id)} selectedItems={o.dataElements} onChange={(items) => s.setOption('dataElements', items)} />
      </fieldset>
      <fieldset className="field">
        <legend>{t('dhis14Export.indicators')}</legend>
        <p className="help">{t('dhis14Export.indicators.help')}</p>
        <MetadataPicker type="indicators" label={t('dhis14Export.indicators')} multiple selected={o.indicators.map((d) => d.id)} selectedItems={o.indicators} onChange={(items) => s.setOption('indicators', items)} />
      </fieldset>
    </div>
  );
}

function DataOptions() {
  const s = useDhis14DataExport();
  const o = s.options;
  const { t } = useTranslation('exports');
  return (
    <>
      <div className="two-col">
        <OrgUnitSelection value={o.orgUnits} onChange={(v) => s.setOption('orgUnits', v)} />
        <div>
          <fieldset className="field">
            <legend>{t('dhis14Export.dataSetsOptional')}</legend>
            <MetadataPicker type="dataSets" label={t('wizard.dataSets')} multiple selected={o.dataSets.map((d) => d.id)} selectedItems={o.dataSets} onChange={(items) => s.setOption('dataSets', items)} />
          </fieldset>
          <fieldset className="field">
            <legend>{t('dhis14Export.dataElementsOptional')}</legend>
            <p className="help">{t('dhis14Export.dataElements.help')}</p>
            <MetadataPicker
              type="dataElements"
              label={t('wizard.dataElements')}
              multiple
              selected={o.dataElements.map((d) => d.id)}
              selectedItems={o.dataElements}
              onChange={(items) => s.setOption('dataElements', items)}
            />
          </fieldset>
        </div>
      </div>
      <div className="options-grid">
        <div className="row">
          <DateField name="startDate" label={t('wizard.startDate')} value={o.startDate} onChange={(v) => s.setOption('startDate', v)} />
          <DateField name="endDate" label={t('wizard.endDate')} value={o.endDate} onChange={(v) => s.setOption('endDate', v)} />
        </div>
        <DateField
          name="lastUpdated"
          label={t('wizard.changedSince')}
          value={o.lastUpdated}
          onChange={(v) => s.setOption('lastUpdated', v)}
          help={t('wizard.changedSince.help')}
        />
      </div>
    </>
  );
}
