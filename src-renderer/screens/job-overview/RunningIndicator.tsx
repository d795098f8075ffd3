/** The app shell's sign that a job runs (on every screen): what runs and how far, a link to it in the Job overview. */
import { useTranslation } from 'react-i18next';
import { useApp } from '../../stores/app.ts';
import { useJobs } from '../../stores/jobs.ts';
import { jobTitle } from './job-labels.ts';

export function RunningIndicator() {
  const { t } = useTranslation('app');
  const running = useJobs((s) => s.running);
  const progress = useJobs((s) => s.progress);
  const navigate = useApp((a) => a.navigate);
  if (running.length === 0) return null;
  const first = running[0]!;
  const p = progress[first.id];
  const pct = p && p.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;
  const what = first.record ? jobTitle(first.record.kind, first.record.direction) : t('running.job', { id: first.id });
  const label =
    running.length > 1
      ? pct != null
        ? t('running.severalAt', { count: running.length, what, pct })
        : t('running.several', { count: running.length, what })
      : pct != null
        ? t('running.oneAt', { what, pct })
        : t('running.one', { what });
  return (
    <button type="button" className="running-job" onClick={() => navigate('jobs', first.id)} data-test="running-job" data-job={first.id} aria-live="polite" title={t('running.title')}>
      <span className="running-dot" aria-hidden="true" />
      {label}
    </button>
  );
}
