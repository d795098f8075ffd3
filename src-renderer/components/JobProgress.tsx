/** Live progress of a running job: bar, stage, records, bytes, time left; with Cancel. */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useJobs, timeLeftMs, type RunState } from '../stores/jobs.ts';
import { fmtBytes, fmtDuration, fmtNumber } from './format.ts';

/** The engine's stage names in words (an unknown stage as the engine says it). */
function stageLabel(t: TFunction<'components'>, stage: string): string {
  switch (stage) {
    case 'reading':
      return t('progress.stage.reading');
    case 'validating':
      return t('progress.stage.validating');
    case 'writing':
      return t('progress.stage.writing');
    case 'exporting':
      return t('progress.stage.exporting');
    case 'committing':
      return t('progress.stage.committing');
    case 'resolving':
      return t('progress.stage.resolving');
    case 'collecting':
      return t('progress.stage.collecting');
    case 'importing':
      return t('progress.stage.importing');
    case 'preparing':
      return t('progress.stage.preparing');
    default:
      return stage;
  }
}

export function JobProgress({ run, title, onCancel }: { run: RunState; title: string; onCancel: () => void }) {
  const { t } = useTranslation(['components', 'common']);
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
      <progress className="progress" max={100} value={pct ?? undefined} aria-label={t('progress.label')}>
        {pct != null ? t('progress.percent', { n: pct }) : ''}
      </progress>
      <div className="progress-lines" aria-live="polite">
        <div>
          {p ? stageLabel(t, p.stage) : run.jobId == null ? t('progress.starting') : t('progress.waiting')}
          {p?.fileName ? ` — ${p.fileName}` : ''}
          {pct != null ? ` — ${t('progress.percent', { n: pct })}` : ''}
        </div>
        {p && (
          <div className="muted">
            {t('progress.records', { count: p.records })}
            {p.unit === 'bytes'
              ? ` · ${fmtBytes(p.done)}${p.total ? ` ${t('progress.ofTotal', { total: fmtBytes(p.total) })}` : ''}`
              : p.total
                ? ` ${t('progress.ofTotal', { total: fmtNumber(p.total) })}`
                : ''}
            {` · ${t('progress.elapsed', { time: fmtDuration(p.elapsedMs) })}`}
            {left != null ? ` · ${t('progress.left', { time: fmtDuration(left) })}` : ''}
          </div>
        )}
      </div>
      <div className="button-row">
        <button type="button" className="button" onClick={onCancel} disabled={run.cancelling || run.jobId == null} data-test="cancel-job">
          {run.cancelling ? t('progress.cancelling') : t('common:cancel')}
        </button>
      </div>
    </section>
  );
}
