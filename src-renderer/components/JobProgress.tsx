/** Live progress of a running job: bar, stage, records, bytes, time left; with Cancel. */
import { useEffect, useRef } from 'react';
import { useJobs, timeLeftMs, type RunState } from '../stores/jobs.ts';
import { fmtBytes, fmtDuration, fmtNumber } from './format.ts';

const STAGES: Record<string, string> = {
  reading: 'Reading',
  validating: 'Checking',
  writing: 'Writing',
  exporting: 'Exporting',
  committing: 'Saving to the database',
  resolving: 'Matching identifiers',
  collecting: 'Collecting objects',
  importing: 'Importing',
  preparing: 'Preparing',
};

export function JobProgress({ run, title, onCancel }: { run: RunState; title: string; onCancel: () => void }) {
  const p = useJobs((s) => (run.jobId != null ? s.progress[run.jobId] : undefined));
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const known = p && p.total != null && p.total > 0;
  const pct = known ? Math.min(100, Math.round((p.done / p.total!) * 100)) : null;
  const left = timeLeftMs(p);
  return (
    <section className="card job-progress" aria-busy="true" data-test="job-progress">
      <h2 tabIndex={-1} ref={headingRef}>
        {title}
      </h2>
      <progress className="progress" max={100} value={pct ?? undefined} aria-label="Progress">
        {pct != null ? `${pct}%` : ''}
      </progress>
      <div className="progress-lines" aria-live="polite">
        <div>
          {p ? (STAGES[p.stage] ?? p.stage) : run.jobId == null ? 'Starting…' : 'Waiting for the engine…'}
          {p?.fileName ? ` — ${p.fileName}` : ''}
          {pct != null ? ` — ${pct}%` : ''}
        </div>
        {p && (
          <div className="muted">
            {fmtNumber(p.records)} records
            {p.unit === 'bytes' ? ` · ${fmtBytes(p.done)}${p.total ? ` of ${fmtBytes(p.total)}` : ''}` : p.total ? ` of ${fmtNumber(p.total)}` : ''}
            {` · ${fmtDuration(p.elapsedMs)} elapsed`}
            {left != null ? ` · about ${fmtDuration(left)} left` : ''}
          </div>
        )}
      </div>
      <div className="button-row">
        <button type="button" className="button" onClick={onCancel} disabled={run.cancelling || run.jobId == null} data-test="cancel-job">
          {run.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
    </section>
  );
}
