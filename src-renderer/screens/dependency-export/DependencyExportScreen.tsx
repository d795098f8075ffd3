/** Metadata dependency export: one object (data set, program …) with everything it needs. */
import { useTranslation } from 'react-i18next';
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import { CheckboxField, RadioField, SelectField } from '../../components/Fields.tsx';
import { CompressionField } from '../../components/CompressionField.tsx';
import { ExportRun } from '../../components/ExportRun.tsx';
import { MetadataPicker } from '../../components/MetadataPicker.tsx';
import { Steps } from '../../components/Steps.tsx';
import { DEPENDENCY_TYPES, useDependencyExport, type ExportFormat } from '../../stores/exports.ts';
import { formatChoices, useApp } from '../../stores/app.ts';

export function DependencyExportScreen() {
  const s = useDependencyExport();
  const formats = useApp((a) => a.formats);
  const o = s.options;
  const { t } = useTranslation('exports');
  const typeLabel = DEPENDENCY_TYPES.find((t) => t.type === o.objectType)?.label ?? o.objectType;
  return (
    <div className="screen" data-test="wizard-export-dependencies">
      <h1>{t('dependencyExport.title')}</h1>
      <Steps steps={[t('dependencyExport.step.object'), t('wizard.step.export'), t('wizard.step.result')]} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <p className="intro">{t('dependencyExport.intro')}</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <SelectField
              name="objectType"
              label={t('dependencyExport.objectType')}
              value={o.objectType}
              onChange={(v) => s.patchOptions({ objectType: v, uid: '', name: '' })}
              choices={DEPENDENCY_TYPES.map((t) => ({ value: t.type, label: t.label }))}
            />
            <fieldset className="field">
              <legend>{typeLabel}</legend>
              <MetadataPicker
                key={o.objectType}
                type={o.objectType}
                label={typeLabel}
                multiple={false}
                selected={o.uid ? [o.uid] : []}
                selectedItems={o.uid ? [{ id: o.uid, name: o.name }] : []}
                onChange={(items) => s.patchOptions({ uid: items[0]?.id ?? '', name: items[0]?.name ?? '' })}
              />
            </fieldset>
            <div className="options-grid">
              <RadioField<ExportFormat>
                name="format"
                label={t('wizard.format')}
                value={s.format}
                onChange={s.setFormat}
                choices={formatChoices(formats, 'metadata', 'writes')}
              />
              <CompressionField format={s.format} value={s.compression} onChange={s.setCompression} />
              <CheckboxField name="skipSharing" label={t('metadataExport.skipSharing')} checked={o.skipSharing} onChange={(v) => s.setOption('skipSharing', v)} />
            </div>
            <ExportActionBar label={t('wizard.exportButton')} formError={s.formError} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}
