/**
 * The shared frame of the import wizards: files → options → run (dry run first) → summary. Each step's buttons sit in
 * an action bar that sticks to the bottom of the window (styles.css .action-bar), so Import is in sight after a dry run
 * with a long summary, without scrolling (1366×768).
 */
import { useEffect, useRef, type ReactNode } from 'react';
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
const KIND_NEEDS: Record<string, string> = { data: 'data values', events: 'events and tracked entities', geometry: 'coordinates' };

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
  const s = p.useStore();
  const formats = useApp((a) => a.formats);
  const dbInfo = useApp((a) => a.dbInfo);
  const navigate = useApp((a) => a.navigate);
  const canImportMetadata = useApp((a) => a.capabilities.includes('import:metadata'));
  // a fresh database (only the system defaults): these imports would refuse every row, so say what comes first
  const needsMetadataFirst = s.kind in KIND_NEEDS && isFreshDatabase(dbInfo);
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
      <Steps steps={['Files', 'Options', 'Run', 'Summary']} current={stepIndex} />
      {s.step === 'files' && (
        <section className="card">
          <h2 tabIndex={-1} ref={headingRef}>
            {s.multiple ? 'Choose the files to import' : 'Choose the file to import'}
          </h2>
          <div className="intro">{p.intro}</div>
          {needsMetadataFirst && (
            <Notice kind="info" title="Import the metadata first">
              <span data-test="metadata-first">
                This database has no metadata yet: {KIND_NEEDS[s.kind]} can only be stored for the org units, data elements and
                programs it knows.{' '}
                {canImportMetadata && (
                  <button type="button" className="link" onClick={() => navigate('import-metadata')}>
                    Go to Metadata import
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
              Next: options
            </button>
          </div>
        </section>
      )}
      {s.step === 'options' && (
        <section className="card">
          <h2 tabIndex={-1} ref={headingRef}>
            Options
          </h2>
          <p className="muted">
            {s.files.length === 1 ? s.files[0]!.name : `${s.files.length} files: ${s.files.map((f) => f.name).join(', ')}`}
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
                Back
              </button>
              <button type="submit" className="button primary" data-test="start">
                {s.options.dryRun ? 'Start dry run' : 'Start import'}
              </button>
            </div>
          </form>
        </section>
      )}
      {s.step === 'run' && s.run.phase !== 'finished' && (
        <JobProgress run={s.run} title={s.lastDryRun ? 'Dry run in progress' : 'Import in progress'} onCancel={() => void s.cancel()} />
      )}
      {s.step === 'run' && s.run.phase === 'finished' && (
        <section className="card" data-test="summary-card">
          <FocusHeading>{s.lastDryRun ? 'Dry run summary' : 'Import summary'}</FocusHeading>
          {s.run.error && (
            <Notice kind="error" title="The import could not start">
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
                  Import
                </button>
              )}
              {finishedOk && s.lastDryRun && summaryStatus === 'ERROR' && !blocked && (
                <button type="button" className="button" onClick={() => void s.start(false)} data-test="import-now">
                  Import anyway
                </button>
              )}
              <button type="button" className="button" onClick={() => s.setStep('options')} data-test="back-to-options">
                Change options
              </button>
              <button type="button" className="button" onClick={s.reset} data-test="new-import">
                New import
              </button>
            </div>
            {blocked && <Notice kind="info">{blocked}</Notice>}
            {finishedOk && s.lastDryRun && !blocked && (
              <p className="muted small">Import runs the same file{s.files.length > 1 ? 's' : ''} with the same options, this time saving to the database.</p>
            )}
          </div>
        </section>
      )}
    </div>
  );
}
