/** The run/result step of the export wizards. */
import { useTranslation } from 'react-i18next';
import type { ExportWizardState } from '../stores/exports.ts';
import { JobProgress } from './JobProgress.tsx';
import { JobResultView } from './JobResultView.tsx';
import { FocusHeading } from './FocusHeading.tsx';
import { Notice } from './Notice.tsx';

export function ExportRun<O extends object>({ s }: { s: ExportWizardState<O> }) {
  const { t } = useTranslation('components');
  if (s.run.phase !== 'finished') return <JobProgress run={s.run} title={t('exportRun.progress')} onCancel={() => void s.cancel()} />;
  return (
    <section className="card" data-test="summary-card">
      <FocusHeading>{t('exportRun.result')}</FocusHeading>
      {s.run.error && (
        <Notice kind="error" title={t('exportRun.couldNotStart')}>
          <span data-test="job-error">{s.run.error}</span>
        </Notice>
      )}
      {s.run.record && <JobResultView record={s.run.record} />}
      <div className="button-row action-bar" data-test="action-bar">
        <button type="button" className="button" onClick={s.back} data-test="back-to-options">
          {t('wizard.changeOptions')}
        </button>
        <button type="button" className="button" onClick={s.reset} data-test="new-export">
          {t('exportRun.new')}
        </button>
      </div>
    </section>
  );
}
