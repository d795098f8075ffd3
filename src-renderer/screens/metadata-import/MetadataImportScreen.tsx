/** Metadata import: one DXF2 JSON or XML file (plain, .zip or .gz). */
import { useTranslation } from 'react-i18next';
import { AtomicModeField, CheckboxField, IdentifierField, RadioField, SelectField, STRATEGY_CHOICES } from '../../components/Fields.tsx';
import { ImportWizard } from '../../components/ImportWizard.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useMetadataImport } from '../../stores/imports.ts';
import { formatChoices, useApp } from '../../stores/app.ts';

function MetadataOptions() {
  const { t } = useTranslation(['imports', 'common']);
  const s = useMetadataImport();
  const formats = useApp((a) => a.formats);
  const o = s.options;
  return (
    <div className="options-grid">
      <RadioField
        name="format"
        label={t('shared.format')}
        value={s.format}
        onChange={s.setFormat}
        choices={[{ value: 'auto', label: t('shared.detectTheFile') }, ...formatChoices(formats, 'metadata', 'reads')]}
      />
      <CheckboxField
        name="dryRun"
        label={t('common:dryRun')}
        checked={o.dryRun}
        onChange={(v) => s.setOption('dryRun', v)}
        help={t('shared.dryRunHelpOne')}
      />
      <SelectField name="importStrategy" label={t('shared.strategy')} value={o.importStrategy} onChange={(v) => s.setOption('importStrategy', v)} choices={STRATEGY_CHOICES} />
      {o.importStrategy === 'DELETE' && (
        <Notice kind="warning">{t('metadata.deleteWarning')}</Notice>
      )}
      <AtomicModeField value={o.atomicMode} onChange={(v) => s.setOption('atomicMode', v)} />
      <IdentifierField value={o.identifier} onChange={(v) => s.setOption('identifier', v)} />
      <CheckboxField
        name="skipValidation"
        label={t('metadata.skipValidation')}
        checked={o.skipValidation}
        onChange={(v) => s.setOption('skipValidation', v)}
        help={t('metadata.skipValidationHelp')}
      />
    </div>
  );
}

export function MetadataImportScreen() {
  const { t } = useTranslation('imports');
  return (
    <ImportWizard
      title={t('metadata.title')}
      useStore={useMetadataImport}
      intro={<p>{t('metadata.intro')}</p>}
      options={<MetadataOptions />}
      importBlocked={(s) =>
        s.options.atomicMode === 'ALL'
          ? t('metadata.blockedAtomicAll')
          : null
      }
    />
  );
}
