/**
 * The shared frame of the import wizards: files → options → run (dry run first) → summary. Each step's buttons sit in
 * an action bar that sticks to the bottom of the window (styles.css .action-bar), so Import is in sight after a dry run
 * with a long summary, without scrolling (1366×768).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { StoreApi, UseBoundStore } from 'zustand';
import type { ImportWizardState } from '../stores/imports.ts';
import { importExtensions, useApp } from '../stores/app.ts';
import { FilePicker } from './FilePicker.tsx';
import { JobProgress } from './JobProgress.tsx';
import { JobResultView } from './JobResultView.tsx';
import { ReportActions } from './ReportActions.tsx';
import { FocusHeading } from './FocusHeading.tsx';
import { Notice } from './Notice.tsx';
import { Steps } from './Steps.tsx';
import { isFreshDatabase } from '../screens/home/first-run.ts';

/** The imports whose rows refer to metadata the database must hold (in words for the first-run notice). */
const KIND_NEEDS = ['data', 'events', 'geometry'];
function kindNeeds(t: TFunction<'components'>, kind: string): string {
  return kind === 'data' ? t('wizard.needs.data') : kind === 'events' ? t('wizard.needs.events') : t('wizard.needs.geometry');
}

export function ImportWizard<O extends { dryRun: boolean }>(p: {
  title: string;
  intro: ReactNode;
  useStore: UseBoundStore<StoreApi<ImportWizardState<O>>>;
  options: ReactNode;
  /** after a dry run with errors: why importing now would change nothing (then no "Import anyway") */
  importBlocked?: (s: ImportWizardState<O>) => string | null;
  /** after any dry run: a choice the user must make before importing (then no Import button, this text instead) */
  importHeld?: (s: ImportWizardState<O>) => string | null;
  /** shown in the summary card above the job's outcome (e.g. the geometry wizard's map preview) */
  resultExtra?: (s: ImportWizardState<O>) => ReactNode;
}) {
  const { t } = useTranslation(['components', 'common']);
  const s = p.useStore();
  const formats = useApp((a) => a.formats);
  const dbInfo = useApp((a) => a.dbInfo);
  const navigate = useApp((a) => a.navigate);
  const canImportMetadata = useApp((a) => a.capabilities.includes('import:metadata'));
  // a fresh database (only the system defaults): these imports would refuse every row, so say what comes first
  const needsMetadataFirst = KIND_NEEDS.includes(s.kind) && isFreshDatabase(dbInfo);
  const extensions = importExtensions(formats, s.kind);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const stepIndex = s.step === 'files' ? 0 : s.step === 'options' ? 1 : s.run.phase === 'running' ? 2 : 3;
  useEffect(() => {
    if (s.step !== 'run') headingRef.current?.focus();
  }, [s.step, s.run.phase]);
  const record = s.run.record;
  const finishedOk = s.run.phase === 'finished' && record && record.status === 'done';
  const summaryStatus = record?.resultStatus;
  const blocked = finishedOk && s.lastDryRun ? ((summaryStatus === 'ERROR' ? p.importBlocked?.(s) : null) ?? p.importHeld?.(s) ?? null) : null;

  return (
    <div className="screen" data-test={`wizard-${s.kind}`}>
      <h1>{p.title}</h1>
      <Steps steps={[t('wizard.step.files'), t('wizard.step.options'), t('wizard.step.run'), t('wizard.step.summary')]} current={stepIndex} />
      {s.step === 'files' && (
        <section className="card">
          <h2 tabIndex={-1} ref={headingRef}>
            {s.multiple ? t('wizard.chooseFiles') : t('wizard.chooseFile')}
          </h2>
          <div className="intro">{p.intro}</div>
          {needsMetadataFirst && (
            <Notice kind="info" title={t('wizard.metadataFirst')}>
              <span data-test="metadata-first">
                {t('wizard.metadataFirstText', { what: kindNeeds(t, s.kind) })}{' '}
                {canImportMetadata && (
                  <button type="button" className="link" onClick={() => navigate('import-metadata')}>
                    {t('wizard.goMetadata')}
                  </button>
                )}
              </span>
            </Notice>
          )}
          <FilePicker
            files={s.files}
            multiple={s.multiple}
            extensions={extensions}
            error={s.fileError}
            onChoose={() => void s.chooseFiles()}
            onPaths={(paths) => void s.addPaths(paths)}
            onRemove={s.removeFile}
          />
          <div className="button-row action-bar" data-test="action-bar">
            <button type="button" className="button primary" disabled={!s.files.length} onClick={() => s.setStep('options')} data-test="next">
              {t('wizard.nextOptions')}
            </button>
          </div>
        </section>
      )}
      {s.step === 'options' && (
        <section className="card">
          <h2 tabIndex={-1} ref={headingRef}>
            {t('wizard.step.options')}
          </h2>
          <p className="muted">
            {s.files.length === 1 ? s.files[0]!.name : `${t('common:files', { count: s.files.length })}: ${s.files.map((f) => f.name).join(', ')}`}
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start(s.options.dryRun);
            }}
          >
            {p.options}
            <div className="button-row action-bar" data-test="action-bar">
              <button type="button" className="button" onClick={() => s.setStep('files')}>
                {t('common:back')}
              </button>
              <button type="submit" className="button primary" data-test="start">
                {s.options.dryRun ? t('wizard.startDryRun') : t('wizard.startImport')}
              </button>
            </div>
          </form>
        </section>
      )}
      {s.step === 'run' && s.run.phase !== 'finished' && (
        <JobProgress run={s.run} title={s.lastDryRun ? t('wizard.dryRunProgress') : t('wizard.importProgress')} onCancel={() => void s.cancel()} />
      )}
      {s.step === 'run' && s.run.phase === 'finished' && (
        <section className="card" data-test="summary-card">
          <FocusHeading>{s.lastDryRun ? t('wizard.dryRunSummary') : t('wizard.importSummary')}</FocusHeading>
          {s.run.error && (
            <Notice kind="error" title={t('wizard.couldNotStart')}>
              <span data-test="job-error">{s.run.error}</span>
            </Notice>
          )}
          {record && p.resultExtra?.(s)}
          {record && <JobResultView record={record} />}
          {/* the summary kept as DHIS2 JSON, printed or saved as PDF, as from the Job overview */}
          {record && record.status === 'done' && record.summary && <ReportActions job={record} />}
          {/* fixed at the bottom of the window while the summary scrolls: Import stays in sight after a long dry run */}
          <div className="action-bar" data-test="action-bar">
            <div className="button-row">
              {finishedOk && s.lastDryRun && summaryStatus !== 'ERROR' && !blocked && (
                <button type="button" className="button primary" onClick={() => void s.start(false)} data-test="import-now">
                  {t('common:import')}
                </button>
              )}
              {finishedOk && s.lastDryRun && summaryStatus === 'ERROR' && !blocked && (
                <button type="button" className="button" onClick={() => void s.start(false)} data-test="import-now">
                  {t('wizard.importAnyway')}
                </button>
              )}
              <button type="button" className="button" onClick={() => s.setStep('options')} data-test="back-to-options">
                {t('wizard.changeOptions')}
              </button>
              <button type="button" className="button" onClick={s.reset} data-test="new-import">
                {t('wizard.newImport')}
              </button>
            </div>
            {blocked && <Notice kind="info">{blocked}</Notice>}
            {finishedOk && s.lastDryRun && !blocked && (
              <p className="muted small">{t('wizard.sameAgain', { count: s.files.length })}</p>
            )}
          </div>
        </section>
      )}
    </div>
  );
}
