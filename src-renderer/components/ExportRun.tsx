/** The run/result step of the export wizards. */
import type { ExportWizardState } from '../stores/exports.ts';
import { JobProgress } from './JobProgress.tsx';
import { JobResultView } from './JobResultView.tsx';
import { FocusHeading } from './FocusHeading.tsx';
import { Notice } from './Notice.tsx';

export function ExportRun<O extends object>({ s }: { s: ExportWizardState<O> }) {
  if (s.run.phase !== 'finished') return <JobProgress run={s.run} title="Export in progress" onCancel={() => void s.cancel()} />;
  return (
    <section className="card" data-test="summary-card">
      <FocusHeading>Export result</FocusHeading>
      {s.run.error && (
        <Notice kind="error" title="The export could not start">
          <span data-test="job-error">{s.run.error}</span>
        </Notice>
      )}
      {s.run.record && <JobResultView record={s.run.record} />}
      <div className="button-row action-bar" data-test="action-bar">
        <button type="button" className="button" onClick={s.back} data-test="back-to-options">
          Change options
        </button>
        <button type="button" className="button" onClick={s.reset} data-test="new-export">
          New export
        </button>
      </div>
    </section>
  );
}
