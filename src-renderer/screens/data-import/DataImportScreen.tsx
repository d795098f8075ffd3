/** Data import: one or several data value files (JSON, XML, CSV, ADX; plain, .zip or .gz) in one job. */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { CheckboxField, IdSchemeField, RadioField, SelectField, type Choice } from '../../components/Fields.tsx';
import { ImportWizard } from '../../components/ImportWizard.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useDataImport, type DataImportOptions, type ImportWizardState } from '../../stores/imports.ts';
import type { ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { formatChoices, useApp } from '../../stores/app.ts';

const dataStrategies = (t: TFunction<['imports', 'common']>): Choice<DataImportOptions['importStrategy']>[] =>
  (['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'DELETE'] as const).map((value) => ({ value, label: t(`data.strategy.${value}`) }));

const overlapChoices = (t: TFunction<['imports', 'common']>): Choice<DataImportOptions['overlap']>[] =>
  (['stop', 'first', 'newer', 'last'] as const).map((value) => ({ value, label: t(`data.overlap.${value}`) }));

/** several files, or an archive that may hold several: files can carry the same values */
const severalFiles = (files: { name: string }[]): boolean => files.length > 1 || files.some((f) => /\.zip$/i.test(f.name));

function dataSummary(st: ImportWizardState<DataImportOptions>): ImportSummary | null {
  const sum = st.run.record?.summary;
  return sum && sum.responseType === 'ImportSummary' ? (sum as ImportSummary) : null;
}

/** After a dry run that found files with different values for the same keys: the district decides here. */
function OverlapChoice() {
  const { t } = useTranslation(['imports', 'common']);
  const s = useDataImport();
  const o = dataSummary(s)?.overlaps;
  if (!s.lastDryRun || !o || o.differing === 0) return null;
  return (
    <Notice kind="warning" title={t('data.overlap.title')}>
      <div data-test="overlap-choice">
        <p>
          {t('data.overlap.found', { count: o.keys })}
          {o.differing ? t('data.overlap.differing', { count: o.differing }) : ''}
          {t('data.overlap.question')}
        </p>
        <RadioField name="overlap-after" label={t('data.overlap.label')} value={s.options.overlap} onChange={(v) => s.setOption('overlap', v)} choices={overlapChoices(t)} />
      </div>
    </Notice>
  );
}

function DataOptions() {
  const { t } = useTranslation(['imports', 'common']);
  const s = useDataImport();
  const formats = useApp((a) => a.formats);
  const o = s.options;
  const csvPossible = s.format === 'csv' || (s.format === 'auto' && s.files.some((f) => /\.csv(\.gz|\.zip)?$/i.test(f.name)));
  return (
    <div className="options-grid">
      <RadioField
        name="format"
        label={t('shared.format')}
        value={s.format}
        onChange={s.setFormat}
        choices={[{ value: 'auto', label: t('shared.detectEachFile') }, ...formatChoices(formats, 'data', 'reads')]}
      />
      {csvPossible && (
        <SelectField
          name="firstRowIsHeader"
          label={t('data.csvFirstRow')}
          value={o.firstRowIsHeader}
          onChange={(v) => s.setOption('firstRowIsHeader', v)}
          choices={(['detect', 'header', 'data'] as const).map((value) => ({ value, label: t(`data.csvFirstRow.${value}`) }))}
        />
      )}
      <CheckboxField
        name="dryRun"
        label={t('common:dryRun')}
        checked={o.dryRun}
        onChange={(v) => s.setOption('dryRun', v)}
        help={t('data.dryRunHelp')}
      />
      {severalFiles(s.files) && (
        <RadioField
          name="overlap"
          label={t('data.overlap.label')}
          value={o.overlap}
          onChange={(v) => s.setOption('overlap', v)}
          choices={overlapChoices(t)}
          help={t('data.overlap.help')}
        />
      )}
      <SelectField name="importStrategy" label={t('shared.strategy')} value={o.importStrategy} onChange={(v) => s.setOption('importStrategy', v)} choices={dataStrategies(t)} />
      {o.importStrategy === 'DELETE' && <Notice kind="warning">{t('data.deleteWarning')}</Notice>}
      <details className="advanced">
        <summary>{t('shared.advanced')}</summary>
        <div className="options-grid">
          <IdSchemeField option="idScheme" of="data" value={o.idScheme} onChange={(v) => s.setOption('idScheme', v)} />
          <IdSchemeField option="dataElementIdScheme" sameAs value={o.dataElementIdScheme} onChange={(v) => s.setOption('dataElementIdScheme', v)} />
          <IdSchemeField option="orgUnitIdScheme" sameAs value={o.orgUnitIdScheme} onChange={(v) => s.setOption('orgUnitIdScheme', v)} />
          <IdSchemeField option="categoryOptionComboIdScheme" sameAs value={o.categoryOptionComboIdScheme} onChange={(v) => s.setOption('categoryOptionComboIdScheme', v)} />
          <CheckboxField
            name="skipExistingCheck"
            label={t('data.skipExistingCheck')}
            checked={o.skipExistingCheck}
            onChange={(v) => s.setOption('skipExistingCheck', v)}
            help={t('data.skipExistingCheckHelp')}
          />
          <CheckboxField
            name="force"
            label={t('data.force')}
            checked={o.force}
            onChange={(v) => s.setOption('force', v)}
            help={t('data.forceHelp')}
          />
          <fieldset className="field">
            <legend>{t('data.strict')}</legend>
            <CheckboxField label={t('data.strictPeriods')} checked={o.strictPeriods} onChange={(v) => s.setOption('strictPeriods', v)} />
            <CheckboxField label={t('data.strictDataElements')} checked={o.strictDataElements} onChange={(v) => s.setOption('strictDataElements', v)} />
            <CheckboxField
              label={t('data.strictCategoryOptionCombos')}
              checked={o.strictCategoryOptionCombos}
              onChange={(v) => s.setOption('strictCategoryOptionCombos', v)}
            />
            <CheckboxField
              label={t('data.strictAttributeOptionCombos')}
              checked={o.strictAttributeOptionCombos}
              onChange={(v) => s.setOption('strictAttributeOptionCombos', v)}
            />
            <CheckboxField
              label={t('data.strictOrganisationUnits')}
              checked={o.strictOrganisationUnits}
              onChange={(v) => s.setOption('strictOrganisationUnits', v)}
            />
            <CheckboxField
              label={t('data.requireCategoryOptionCombo')}
              checked={o.requireCategoryOptionCombo}
              onChange={(v) => s.setOption('requireCategoryOptionCombo', v)}
            />
            <CheckboxField
              label={t('data.requireAttributeOptionCombo')}
              checked={o.requireAttributeOptionCombo}
              onChange={(v) => s.setOption('requireAttributeOptionCombo', v)}
            />
          </fieldset>
        </div>
      </details>
    </div>
  );
}

export function DataImportScreen() {
  const { t } = useTranslation(['imports', 'common']);
  return (
    <ImportWizard
      title={t('data.title')}
      useStore={useDataImport}
      intro={<p>{t('data.intro')}</p>}
      options={<DataOptions />}
      resultExtra={() => <OverlapChoice />}
      importBlocked={(st) => {
        const sum = dataSummary(st);
        if (!sum) return null;
        const c = sum.importCount;
        // "Import anyway" only when something can be imported
        return c.imported + c.updated + c.deleted === 0
          ? t('data.blockedNothing')
          : null;
      }}
      importHeld={(st) => {
        const o = dataSummary(st)?.overlaps;
        return o && o.differing > 0 && st.options.overlap === 'stop'
          ? t('data.heldOverlap')
          : null;
      }}
    />
  );
}
