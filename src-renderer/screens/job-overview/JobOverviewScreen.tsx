/** Job overview: every import and export run on this database, newest first; click one to see its summary. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobRecord } from '../../../src-shared/api/contract.ts';
import { FocusHeading } from '../../components/FocusHeading.tsx';
import { fmtDateTime, fmtDuration, shortSha } from '../../components/format.ts';
import { JobResultView } from '../../components/JobResultView.tsx';
import { Notice } from '../../components/Notice.tsx';
import { DryRunTag, isPartlyImported, PartialTag, StatusTag } from '../../components/StatusTag.tsx';
import { useApp } from '../../stores/app.ts';
import { errorText, invoke } from '../../api.ts';
import { ReportActions } from '../../components/ReportActions.tsx';
import { useJobs } from '../../stores/jobs.ts';
import { useDataImport, useMetadataImport } from '../../stores/imports.ts';
import { useCsvMetadataImport } from '../../stores/csv-metadata.ts';
import { useGeometryImport } from '../../stores/geometry.ts';
import { useDhis14Import } from '../../stores/dhis14-import.ts';
import { useEventsImport } from '../../stores/events-import.ts';
import type { ScreenId } from '../../stores/app.ts';
import { UndoPanel } from './UndoPanel.tsx';
import { jobTitle, optionLines } from './job-labels.ts';

/** The import wizards "Run again" reopens, by job kind: the wizard's store and its screen. */
const RERUN: Record<string, { prefill: (files: { path: string; name: string; size: number | null }[], options: Record<string, unknown>) => void; screen: ScreenId }> = {
  metadata: { prefill: (f, o) => useMetadataImport.getState().prefill(f, o), screen: 'import-metadata' },
  data: { prefill: (f, o) => useDataImport.getState().prefill(f, o), screen: 'import-data' },
  'csv-metadata': { prefill: (f, o) => useCsvMetadataImport.getState().prefill(f, o), screen: 'import-csv-metadata' },
  geometry: { prefill: (f, o) => useGeometryImport.getState().prefill(f, o), screen: 'import-geometry' },
  events: { prefill: (f, o) => useEventsImport.getState().prefill(f, o), screen: 'import-events' },
  dhis14: { prefill: (f, o) => useDhis14Import.getState().prefill(f, o), screen: 'import-dhis14' },
};

type Filter = 'all' | 'import' | 'export';

/** jobs drawn at once in the table (the list holds up to 500) */
export const JOBS_PAGE = 100;

const FILTER_LABEL = { all: 'jobs.filter.all', import: 'jobs.filter.import', export: 'jobs.filter.export' } as const;

export function JobOverviewScreen() {
  const { t } = useTranslation('app');
  const { list, load, loading, loaded, error } = useJobs();
  const jobId = useApp((a) => a.jobId);
  const navigate = useApp((a) => a.navigate);
  const [filter, setFilter] = useState<Filter>('all');
  // the table draws the newest JOBS_PAGE jobs first (opens at once however many there are), more on request
  const [limit, setLimit] = useState(JOBS_PAGE);
  useEffect(() => {
    void load();
  }, [load]);
  // a job opened from the list, or straight from the running-job indicator (read on its own, the list may not have it)
  if (jobId != null) return <JobDetail key={jobId} id={jobId} listed={list.find((j) => j.id === jobId) ?? null} onBack={() => navigate('jobs')} />;
  const shown = list.filter((j) => filter === 'all' || j.direction === filter);
  return (
    <div className="screen" data-test="job-overview">
      <h1>{t('jobs.title')}</h1>
      <div className="button-row left" role="group" aria-label={t('jobs.filter.label')}>
        {(['all', 'import', 'export'] as Filter[]).map((f) => (
          <button
            key={f}
            type="button"
            className={`chip${filter === f ? ' on' : ''}`}
            aria-pressed={filter === f}
            onClick={() => {
              setFilter(f);
              setLimit(JOBS_PAGE);
            }}
          >
            {t(FILTER_LABEL[f])}
          </button>
        ))}
        <button type="button" className="button small" onClick={() => void load()} data-test="jobs-refresh">
          {t('jobs.refresh')}
        </button>
      </div>
      {error && <Notice kind="error">{error}</Notice>}
      {!loaded && list.length === 0 ? (
        <p className="muted" aria-busy="true" data-test="jobs-loading">
          {t('jobs.loading')}
        </p>
      ) : !loading && shown.length === 0 ? (
        <div className="card" data-test="jobs-empty">
          {list.length === 0 ? (
            <>
              <p>
                <strong>{t('jobs.empty.title')}</strong>
              </p>
              <p className="muted">{t('jobs.empty.text')}</p>
            </>
          ) : (
            <p className="muted">{filter === 'import' ? t('jobs.empty.imports') : t('jobs.empty.exports')}</p>
          )}
        </div>
      ) : (
        <div className="table-scroll card flush">
          <table className="table jobs" data-test="jobs-table">
            <thead>
              <tr>
                <th scope="col">{t('jobs.col.when')}</th>
                <th scope="col">{t('jobs.col.job')}</th>
                <th scope="col">{t('jobs.col.files')}</th>
                <th scope="col">{t('jobs.col.status')}</th>
                <th scope="col" className="num">
                  {t('jobs.col.duration')}
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, limit).map((j) => (
                <tr key={j.id} data-job={j.id}>
                  <td>{fmtDateTime(j.createdAt)}</td>
                  <td>
                    <button type="button" className="link" onClick={() => navigate('jobs', j.id)} data-test="open-job">
                      {jobTitle(j.kind, j.direction)}
                    </button>{' '}
                    {j.dryRun && <DryRunTag />}
                  </td>
                  <td>
                    {j.files.map((f) => (
                      <div key={f.index}>
                        {f.name} {f.sha256 && <code className="muted small" title={f.sha256}>{shortSha(f.sha256)}</code>}
                      </div>
                    ))}
                  </td>
                  <td>
                    {isPartlyImported(j) ? <PartialTag dryRun={j.dryRun} /> : <StatusTag status={j.status === 'done' && j.resultStatus ? j.resultStatus : j.status} />}
                  </td>
                  <td className="num">{fmtDuration(j.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length > limit && (
            <div className="table-foot">
              <p className="muted small" data-test="jobs-count">
                {t('jobs.showing', { shown: limit, count: shown.length })}
              </p>
              <button type="button" className="button small" onClick={() => setLimit((n) => n + JOBS_PAGE)} data-test="jobs-more">
                {t('jobs.more', { count: Math.min(JOBS_PAGE, shown.length - limit) })}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

function JobDetail({ id, listed, onBack }: { id: number; listed: JobRecord | null; onBack: () => void }) {
  const { t } = useTranslation('app');
  const navigate = useApp((a) => a.navigate);
  // the job list carries no summaries: read this job's whole record (again when it stops running)
  const [full, setFull] = useState<JobRecord | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const running = useJobs((s) => s.running.some((r) => r.id === id));
  const progress = useJobs((s) => s.progress[id]);
  useEffect(() => {
    let live = true;
    setProblem(null);
    invoke('jobs:get', { id })
      .then((r) => live && setFull(r))
      .catch((e: unknown) => live && setProblem(errorText(e)));
    return () => {
      live = false;
    };
  }, [id, running, listed?.status]);
  const job = full?.id === id ? full : listed;
  const capabilities = useApp((a) => a.capabilities);
  if (!job) {
    return (
      <div className="screen" data-test="job-detail">
        <div className="button-row left">
          <button type="button" className="button small" onClick={onBack} data-test="back-to-jobs">
            {t('jobs.back')}
          </button>
        </div>
        {problem ? (
          <Notice kind="error">{problem}</Notice>
        ) : (
          <p className="muted" aria-busy="true" data-test="job-loading">
            {t('jobs.loadingJob', { id })}
          </p>
        )}
      </div>
    );
  }
  const unfinished = job.status === 'running' || job.status === 'queued';
  const loadingSummary = !unfinished && full?.id !== id && !problem;
  const rerun = job.direction === 'import' ? RERUN[job.kind] : undefined;
  const again =
    rerun && capabilities.includes(`import:${job.kind}`)
      ? (): void => {
          rerun.prefill(
            job.files.map((f) => ({ path: f.path, name: f.name, size: f.size })),
            job.options,
          );
          navigate(rerun.screen);
        }
      : null;
  return (
    <div className="screen" data-test="job-detail">
      <div className="button-row left">
        <button type="button" className="button small" onClick={onBack} data-test="back-to-jobs">
          {t('jobs.back')}
        </button>
        {again && (
          <button type="button" className="button small" onClick={again} data-test="run-again">
            {t('jobs.runAgain')}
          </button>
        )}
      </div>
      <section className="card">
        <FocusHeading>
          {t('jobs.detailTitle', { title: jobTitle(job.kind, job.direction), when: fmtDateTime(job.createdAt) })}
        </FocusHeading>
        <dl className="facts">
          <dt>{t('jobs.col.files')}</dt>
          <dd>
            {job.files.map((f) => (
              <div key={f.index}>
                {f.name} <span className="muted small">{f.path}</span>{' '}
                {f.sha256 && <code className="small" title={f.sha256}>{t('jobs.sha256', { sha: shortSha(f.sha256) })}</code>}
              </div>
            ))}
          </dd>
          <dt>{t('jobs.col.duration')}</dt>
          <dd>{fmtDuration(job.durationMs)}</dd>
          {Object.keys(job.options).length > 0 && (
            <>
              <dt>{t('jobs.options')}</dt>
              <dd data-test="job-options">
                {optionLines(job.options).map((o, i) => (
                  <span key={o.option} className="job-option" data-option={o.option}>
                    {i > 0 && ' · '}
                    {t('jobs.option', { label: o.label, value: o.value })}
                  </span>
                ))}
              </dd>
            </>
          )}
        </dl>
        {problem && <Notice kind="error">{problem}</Notice>}
        {unfinished ? (
          <p className="muted" aria-busy="true" data-test="job-running">
            {job.status === 'queued' ? t('jobs.waiting') : t('jobs.running')}
            {progress?.total ? ` — ${Math.min(100, Math.round((progress.done / progress.total) * 100))}%` : ''}
            {progress?.fileName ? ` — ${progress.fileName}` : ''}. {t('jobs.summaryWhenDone')}
          </p>
        ) : loadingSummary ? (
          <p className="muted" aria-busy="true" data-test="job-loading">
            {t('jobs.loadingSummary')}
          </p>
        ) : (
          <>
            {job.summary && <ReportActions job={job} />}
            <JobResultView record={job} />
            <UndoPanel key={job.id} job={job} />
          </>
        )}
      </section>
    </div>
  );
}
