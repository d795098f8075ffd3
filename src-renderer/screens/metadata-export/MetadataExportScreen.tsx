/** Metadata export: object types (with counts in this database), format, compression, skip sharing. */
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckboxField, RadioField } from '../../components/Fields.tsx';
import { CompressionField } from '../../components/CompressionField.tsx';
import { ExportRun } from '../../components/ExportRun.tsx';
import { fmtNumber, typeLabel } from '../../components/format.ts';
import { Steps } from '../../components/Steps.tsx';
import { formatChoices, useApp } from '../../stores/app.ts';
import { useMetadataExport, type ExportFormat } from '../../stores/exports.ts';

export function MetadataExportScreen() {
  const s = useMetadataExport();
  const { t } = useTranslation('exports');
  const formats = useApp((a) => a.formats);
  const counts = useApp((a) => a.dbInfo?.metadata ?? {});
  const types = Object.keys(counts).sort((a, b) => typeLabel(a).localeCompare(typeLabel(b)));
  // everything is chosen by default, as in DHIS2's app (once the counts are known)
  useEffect(() => {
    if (s.step === 'edit' && s.options.types.length === 0 && types.length > 0 && !s.formError) s.setOption('types', types);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [types.length]);
  const chosen = new Set(s.options.types);
  const toggle = (t: string, on: boolean): void => s.setOption('types', on ? [...s.options.types, t] : s.options.types.filter((x) => x !== t));
  const total = s.options.types.reduce((n, t) => n + (counts[t] ?? 0), 0);
  return (
    <div className="screen" data-test="wizard-export-metadata">
      <h1>{t('metadataExport.title')}</h1>
      <Steps steps={[t('wizard.step.options'), t('wizard.step.export'), t('wizard.step.result')]} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <fieldset className="field">
              <legend>{t('metadataExport.objectTypes')}</legend>
              <div className="button-row left">
                <button type="button" className="button small" onClick={() => s.setOption('types', types)} data-test="select-all">
                  {t('metadataExport.selectAll')}
                </button>
                <button type="button" className="button small" onClick={() => s.setOption('types', [])} data-test="select-none">
                  {t('metadataExport.selectNone')}
                </button>
                <span className="muted small">
                  {t('metadataExport.chosen', { chosen: s.options.types.length, types: types.length, count: total })}
                </span>
              </div>
              {types.length === 0 ? (
                <p className="muted">{t('metadataExport.empty')}</p>
              ) : (
                <div className="type-grid">
                  {types.map((type) => (
                    <label key={type} className="checkbox">
                      <input type="checkbox" checked={chosen.has(type)} onChange={(e) => toggle(type, e.target.checked)} data-type={type} />
                      {typeLabel(type)} <span className="muted small">({fmtNumber(counts[type])})</span>
                    </label>
                  ))}
                </div>
              )}
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
              <CheckboxField
                name="skipSharing"
                label={t('metadataExport.skipSharing')}
                checked={s.options.skipSharing}
                onChange={(v) => s.setOption('skipSharing', v)}
                help={t('metadataExport.skipSharing.help')}
              />
            </div>
            <ExportActionBar label={t('wizard.exportButton')} formError={s.formError} suggestedName={s.defaultName()} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}
