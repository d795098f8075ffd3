/**
 * The job detail's Undo (issue 13): a dry run of the undo first (jobs:undo with dryRun), so the confirmation says what
 * will be removed and restored; a refusal names the later jobs that changed the same rows and offers to undo those too
 * (cascade); then the undo itself, a job in the history.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fmtDateTime } from '../../components/format.ts';
import type { JobRecord } from '../../../src-shared/api/contract.ts';
import { UNDOABLE_KINDS, type LaterJobRef, type UndoSummary } from '../../../src-shared/undo.ts';
import { ApiError, errorText, invoke } from '../../api.ts';
import { Notice } from '../../components/Notice.tsx';
import { UndoSummaryView, undoLines } from '../../components/UndoSummaryView.tsx';
import { useApp } from '../../stores/app.ts';
import { useJobs } from '../../stores/jobs.ts';

type Phase =
  | { step: 'idle' }
  | { step: 'checking' }
  | { step: 'confirm'; preview: UndoSummary; cascade: boolean }
  | { step: 'refused'; message: string; later: LaterJobRef[] }
  | { step: 'running' }
  | { step: 'done'; record: JobRecord }
  | { step: 'error'; message: string | null };

/** Whether the job overview offers Undo for a job. */
export function canOfferUndo(job: JobRecord): boolean {
  return (
    job.direction === 'import' && job.status === 'done' && !job.dryRun && job.undoneBy == null && (UNDOABLE_KINDS as readonly string[]).includes(job.kind)
  );
}

async function runUndo(job: number, cascade: boolean, dryRun: boolean): Promise<JobRecord> {
  const { jobId } = await invoke('jobs:undo', { job, cascade, dryRun });
  return invoke('jobs:wait', { id: jobId });
}

export function UndoPanel({ job }: { job: JobRecord }) {
  const { t } = useTranslation('app');
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const navigate = useApp((a) => a.navigate);
  const reload = useJobs((s) => s.load);

  const check = async (cascade: boolean): Promise<void> => {
    setPhase({ step: 'checking' });
    try {
      const r = await runUndo(job.id, cascade, true);
      if (r.error || !r.summary || r.summary.responseType !== 'UndoSummary') setPhase({ step: 'error', message: r.error ? errorText(r.error) : null });
      else setPhase({ step: 'confirm', preview: r.summary, cascade });
    } catch (e) {
      const later = e instanceof ApiError && Array.isArray(e.details.laterJobs) ? (e.details.laterJobs as LaterJobRef[]) : [];
      // later jobs: the screen's own sentence (the engine's names the CLI's --cascade; the button below is the screen's way)
      const laterText = (): string => t('undo.laterJobsText', { jobs: later.map((j) => t('undo.laterJob', { id: j.id, kind: j.kind, when: fmtDateTime(j.finishedAt ?? j.createdAt) })).join(', ') });
      setPhase(e instanceof ApiError && e.details.refused === true ? { step: 'refused', message: later.length ? laterText() : errorText(e), later } : { step: 'error', message: errorText(e) });
    }
  };
  const confirm = async (cascade: boolean): Promise<void> => {
    setPhase({ step: 'running' });
    try {
      const r = await runUndo(job.id, cascade, false);
      setPhase(r.error ? { step: 'error', message: errorText(r.error) } : { step: 'done', record: r });
      void reload();
    } catch (e) {
      setPhase({ step: 'error', message: errorText(e) });
    }
  };

  if (job.undoneBy != null && phase.step !== 'done') {
    return (
      <Notice kind="info" title={t('undo.undone')}>
        <span data-test="undone-by">
          {t('undo.undoneBy')}{' '}
          <button type="button" className="link" onClick={() => navigate('jobs', job.undoneBy)}>
            {t('undo.jobRef', { id: job.undoneBy })}
          </button>
          .
        </span>
      </Notice>
    );
  }
  if (!canOfferUndo(job)) return null;
  switch (phase.step) {
    case 'idle':
      return (
        <div className="button-row left">
          <button type="button" className="button small" onClick={() => void check(false)} data-test="undo">
            {t('undo.start')}
          </button>
        </div>
      );
    case 'checking':
    case 'running':
      return (
        <p className="muted" role="status">
          {phase.step === 'checking' ? t('undo.checking') : t('undo.running')}
        </p>
      );
    case 'confirm': {
      const lines = undoLines(phase.preview);
      const jobs = phase.preview.undone.map((j) => t('undo.jobWithKind', { id: j.id, kind: j.kind })).join(', ');
      return (
        <div className="card" role="dialog" aria-label={t('undo.confirmLabel')} data-test="undo-confirm">
          <p>{t('undo.confirm', { jobs })}</p>
          <ul data-test="undo-preview">
            {(lines.length ? lines : [t('undo.nothing')]).map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
          <div className="button-row left">
            <button type="button" className="button primary" onClick={() => void confirm(phase.cascade)} data-test="undo-confirm-yes">
              {t('undo.yes')}
            </button>
            <button type="button" className="button" onClick={() => setPhase({ step: 'idle' })}>
              {t('undo.keep')}
            </button>
          </div>
        </div>
      );
    }
    case 'refused':
      return (
        <Notice kind="warning" title={t('undo.refused')}>
          <p data-test="undo-refused">{phase.message}</p>
          {phase.later.length > 0 && (
            <div className="button-row left">
              <button type="button" className="button small" onClick={() => void check(true)} data-test="undo-cascade">
                {t('undo.cascade', {
                  jobs: phase.later
                    .map((j) => t('undo.laterJob', { id: j.id, kind: j.kind, when: fmtDateTime(j.finishedAt ?? j.createdAt) }))
                    .join(', '),
                })}
              </button>
            </div>
          )}
        </Notice>
      );
    case 'done':
      return phase.record.summary?.responseType === 'UndoSummary' ? <UndoSummaryView summary={phase.record.summary} /> : null;
    case 'error':
      return (
        <Notice kind="error" title={t('undo.failed')}>
          <span data-test="undo-error">{phase.message ?? t('undo.notPrepared')}</span>
        </Notice>
      );
  }
}
