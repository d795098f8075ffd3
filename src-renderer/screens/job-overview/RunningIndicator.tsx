/** The app shell's sign that a job runs (on every screen): what runs and how far, a link to it in the Job overview. */
import { typeLabel } from '../../components/format.ts';
import { useApp } from '../../stores/app.ts';
import { useJobs } from '../../stores/jobs.ts';

const KIND: Record<string, string> = { metadata: 'Metadata', data: 'Data', dependencies: 'Metadata dependencies', send: 'Transfer package', transfer: 'Transfer package', undo: 'Undo' };

export function RunningIndicator() {
  const running = useJobs((s) => s.running);
  const progress = useJobs((s) => s.progress);
  const navigate = useApp((a) => a.navigate);
  if (running.length === 0) return null;
  const first = running[0]!;
  const p = progress[first.id];
  const pct = p && p.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;
  const what = first.record ? `${KIND[first.record.kind] ?? typeLabel(first.record.kind)} ${first.record.direction}` : `Job ${first.id}`;
  const label = running.length > 1 ? `${running.length} jobs running: ${what}${pct != null ? ` ${pct}%` : ''} and more` : `Running: ${what}${pct != null ? ` — ${pct}%` : ''}`;
  return (
    <button type="button" className="running-job" onClick={() => navigate('jobs', first.id)} data-test="running-job" data-job={first.id} aria-live="polite" title="Show this job in the Job overview">
      <span className="running-dot" aria-hidden="true" />
      {label}
    </button>
  );
}
