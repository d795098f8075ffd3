/**
 * CSV metadata export: the stored objects of one DHIS2 class key as DHIS2's CSV metadata (the file the CSV metadata
 * import, Ferry's or DHIS2's, reads back into the same objects).
 */
import { useTranslation } from 'react-i18next';
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import { CSV_CLASSES } from '../../../src-shared/dhis2/csv-metadata.ts';
import { SelectField } from '../../components/Fields.tsx';
import { ExportRun } from '../../components/ExportRun.tsx';
import { Notice } from '../../components/Notice.tsx';
import { Steps } from '../../components/Steps.tsx';
import { useApp } from '../../stores/app.ts';
import { useCsvMetadataExport } from '../../stores/csv-metadata.ts';
import { classKeyChoices } from './CsvMetadataImportScreen.tsx';

export function CsvMetadataExportScreen() {
  const { t } = useTranslation(['imports', 'common']);
  const s = useCsvMetadataExport();
  const counts = useApp((a) => a.dbInfo?.metadata ?? {});
  const k = s.options.classKey;
  const spec = k ? CSV_CLASSES[k] : null;
  const stored = spec ? (counts[spec.type] ?? 0) : 0;
  return (
    <div className="screen" data-test="wizard-export-csv-metadata">
      <h1>{t('csvExport.title')}</h1>
      <Steps steps={[t('csvExport.step.options'), t('csvExport.step.export'), t('csvExport.step.result')]} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <p className="intro">{t('csvExport.intro')}</p>
            <div className="options-grid">
              <SelectField name="classKey" label={t('csvExport.classKey')} value={k} onChange={(v) => s.setOption('classKey', v)} choices={classKeyChoices(t, t('csvExport.chooseClass'))} />
            </div>
            {spec && (
              <p className="muted" data-test="csv-export-count">
                {t('csvExport.count', {
                  n: stored,
                  what: t(`csv.class.${spec.key}`).replace(/ \(.*\)$/, '').toLocaleLowerCase(),
                  per: spec.membership ? t('csvExport.perMember') : k === 'OPTION_SET' || k === 'OPTION_GROUP' ? t('csvExport.perOption') : '',
                  columns: spec.columns.map((c) => c.key).join(', '),
                })}
              </p>
            )}
            {spec?.membership && <Notice kind="info">{t('csvExport.membershipNotice')}</Notice>}
            <ExportActionBar label={t('csvExport.exportButton')} formError={s.formError} suggestedName={s.defaultName()} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}
