/**
 * Event and tracker data import: tracker JSON / CSV (DHIS2 2.36+) and the old events JSON, XML and CSV (≤ 2.40), plain
 * or compressed, several files in one job. The options carry DHIS2's names (import strategy, atomic mode, validation
 * mode, id schemes, skip first, expiry check, program rules); the summary is DHIS2's tracker import report, or ImportSummaries for old files.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { CheckboxField, IdSchemeField, RadioField, SelectField, type Choice } from '../../components/Fields.tsx';
import { ImportWizard } from '../../components/ImportWizard.tsx';
import { Notice } from '../../components/Notice.tsx';
import { formatChoices, useApp } from '../../stores/app.ts';
import { useEventsImport, type EventsImportWizardOptions } from '../../stores/events-import.ts';

const strategies = (t: TFunction<['imports', 'common']>): Choice<EventsImportWizardOptions['importStrategy']>[] =>
  (['CREATE_AND_UPDATE', 'CREATE', 'UPDATE', 'DELETE'] as const).map((value) => ({ value, label: t(`events.strategy.${value}`) }));

/** the per-class id schemes (each offers "same as ID scheme" and the unique attributes of its class) */
const SCHEME_FIELDS = ['dataElementIdScheme', 'orgUnitIdScheme', 'programIdScheme', 'programStageIdScheme', 'categoryOptionComboIdScheme', 'categoryOptionIdScheme'] as const;

function EventsOptions() {
  const { t } = useTranslation(['imports', 'common']);
  const s = useEventsImport();
  const formats = useApp((a) => a.formats);
  const o = s.options;
  const csvPossible = s.format.endsWith('csv') || (s.format === 'auto' && s.files.some((f) => /\.csv(\.gz|\.zip)?$/i.test(f.name)));
  return (
    <div className="options-grid">
      <RadioField
        name="format"
        label={t('shared.format')}
        value={s.format}
        onChange={s.setFormat}
        choices={[{ value: 'auto', label: t('shared.detectEachFile') }, ...formatChoices(formats, 'events', 'reads')]}
      />
      {csvPossible && (
        <CheckboxField
          name="skipFirst"
          label={t('events.skipFirst')}
          checked={o.skipFirst}
          onChange={(v) => s.setOption('skipFirst', v)}
          help={t('events.skipFirstHelp')}
        />
      )}
      <CheckboxField
        name="dryRun"
        label={t('common:dryRun')}
        checked={o.dryRun}
        onChange={(v) => s.setOption('dryRun', v)}
        help={t('events.dryRunHelp')}
      />
      <CheckboxField
        name="skipExpiryCheck"
        label={t('events.skipExpiryCheck')}
        checked={o.skipExpiryCheck}
        onChange={(v) => s.setOption('skipExpiryCheck', v)}
        help={t('events.skipExpiryCheckHelp')}
      />
      <SelectField name="importStrategy" label={t('events.importStrategy')} value={o.importStrategy} onChange={(v) => s.setOption('importStrategy', v)} choices={strategies(t)} />
      {o.importStrategy === 'DELETE' && <Notice kind="warning">{t('events.deleteWarning')}</Notice>}
      <RadioField
        name="atomicMode"
        label={t('events.atomicMode')}
        value={o.atomicMode}
        onChange={(v) => s.setOption('atomicMode', v)}
        choices={[
          { value: '', label: t('events.atomic.default') },
          { value: 'ALL', label: t('events.atomic.ALL') },
          { value: 'OBJECT', label: t('events.atomic.OBJECT') },
        ]}
      />
      <details className="advanced">
        <summary>{t('shared.advanced')}</summary>
        <div className="options-grid">
          <SelectField
            name="validationMode"
            label={t('events.validationMode')}
            value={o.validationMode}
            onChange={(v) => s.setOption('validationMode', v)}
            choices={(['FULL', 'FAIL_FAST', 'SKIP'] as const).map((value) => ({ value, label: t(`events.validation.${value}`) }))}
          />
          <CheckboxField
            name="skipRuleEngine"
            label={t('events.skipRuleEngine')}
            checked={o.skipRuleEngine}
            onChange={(v) => s.setOption('skipRuleEngine', v)}
            help={t('events.skipRuleEngineHelp')}
          />
          <IdSchemeField option="idScheme" of="events" value={o.idScheme} onChange={(v) => s.setOption('idScheme', v)} />
          {SCHEME_FIELDS.map((f) => (
            <IdSchemeField key={f} option={f} sameAs value={o[f]} onChange={(v) => s.setOption(f, v)} />
          ))}
        </div>
      </details>
    </div>
  );
}

export function EventsImportScreen() {
  const { t } = useTranslation('imports');
  return (
    <ImportWizard
      title={t('events.title')}
      useStore={useEventsImport}
      intro={<p>{t('events.intro')}</p>}
      options={<EventsOptions />}
    />
  );
}
