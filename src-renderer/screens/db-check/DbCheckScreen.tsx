/**
 * Utilities › Check database: SQLite's integrity check of the site's database, with progress, and what to do when it
 * finds damage (restore the backup). It changes nothing; the engine runs it in a worker, table by table.
 */
import { useEffect } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { FocusHeading } from '../../components/FocusHeading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { fmtDuration, fmtNumber } from '../../components/format.ts';
import { useApp } from '../../stores/app.ts';
import { useDbCheck } from '../../stores/db-check.ts';
import type { DbCheckProgress } from '../../../src-shared/api/contract.ts';
import { errorText } from '../../api.ts';

/** Problems shown before "and N more" (the engine keeps at most 100). */
const SHOWN = 20;

function stageText(t: TFunction<'app'>, p: DbCheckProgress | null): string {
  if (!p || p.stage === 'starting' || !p.steps) return t('check.starting');
  const what = p.stage.startsWith('checking ') ? p.stage.slice('checking '.length) : p.stage;
  return what === 'free pages and page accounting'
    ? t('check.stageFile', { step: p.step, steps: p.steps })
    : t('check.stageTable', { table: what, step: p.step, steps: p.steps });
}

export function DbCheckScreen() {
  const { t } = useTranslation('app');
  const dbPath = useApp((s) => s.dbPath);
  const { running, progress, result, error, load, start, repairing, repaired, repair } = useDbCheck();
  useEffect(() => void load(), [load]);
  const pct = progress && progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  return (
    <div className="screen" data-test="db-check">
      <h1>{t('check.title')}</h1>
      <p>{t('check.intro')}</p>
      <p className="muted" data-test="db-check-path">
        {dbPath}
      </p>
      <p>
        <button type="button" className="button primary" onClick={() => void start()} disabled={running} data-test="db-check-start">
          {result || error ? t('check.again') : t('check.start')}
        </button>
      </p>
      {running && (
        <section className="card job-progress" aria-busy="true" data-test="db-check-progress">
          <FocusHeading>{t('check.checking')}</FocusHeading>
          <progress className="progress" max={100} value={pct ?? undefined} aria-label={t('progress')}>
            {pct != null ? `${pct}%` : ''}
          </progress>
          <div className="progress-lines" aria-live="polite">
            <div data-test="db-check-stage">
              {stageText(t, progress)}
              {pct != null ? ` — ${pct}%` : ''}
            </div>
            {progress && <div className="muted">{t('soFar', { duration: fmtDuration(progress.elapsedMs) })}</div>}
          </div>
        </section>
      )}
      {!running && error && (
        <Notice kind="error" title={t('check.failed')}>
          {error}
        </Notice>
      )}
      {!running && result?.ok && (
        <Notice kind="success" title={t('check.sound')}>
          <span data-test="db-check-ok">{t('check.soundText', { count: result.tables, pages: fmtNumber(result.pages), duration: fmtDuration(result.durationMs) })}</span>
        </Notice>
      )}
      {!running && result?.ok && result.repairs?.includes('liveCounts') && (
        <div data-test="db-check-drift">
          <Notice kind="warning" title={t('check.drift')}>
            <p>{t('check.driftText')}</p>
            <ul>
              {(result.liveCounts ?? [])
                .filter((c) => c.kept !== c.counted)
                .map((c) => (
                  <li key={c.table} data-test={`db-check-drift-${c.table}`}>
                    {t('check.driftRow', { table: t(`check.table.${c.table}`), kept: fmtNumber(c.kept), counted: fmtNumber(c.counted) })}
                  </li>
                ))}
            </ul>
          </Notice>
          <button type="button" className="button" onClick={() => void repair()} disabled={repairing} data-test="db-check-repair">
            {repairing ? t('check.recounting') : t('check.recount')}
          </button>
        </div>
      )}
      {!running && repaired && (
        <Notice kind="success" title={t('check.recounted')}>
          <ul data-test="db-check-repaired">
            {repaired.liveCounts.map((c) => (
              <li key={c.table}>{t('check.recountedRow', { table: t(`check.table.${c.table}`), kept: fmtNumber(c.kept), counted: fmtNumber(c.counted) })}</li>
            ))}
          </ul>
        </Notice>
      )}
      {!running && result && !result.ok && (
        <div data-test="db-check-damaged">
          <Notice kind="error" title={t('check.damaged')}>
            {t('check.damagedText', { count: result.messages.length })}
          </Notice>
          <section className="card">
            <FocusHeading>{t('check.whatToDo')}</FocusHeading>
            <ol data-test="db-check-advice">
              <li>{t('check.advice.stop')}</li>
              <li>{t('check.advice.keep')}</li>
              <li>
                <Trans t={t} i18nKey="check.advice.backup" />
              </li>
              <li>{t('check.advice.reimport')}</li>
            </ol>
          </section>
          <section className="card">
            <h2>{t('check.found')}</h2>
            <ul className="db-check-messages" data-test="db-check-messages">
              {result.messages.slice(0, SHOWN).map((m, i) => (
                <li key={i}>
                  <code>{errorText({ message: m, details: result.messageDetails?.[i] ?? {} })}</code>
                </li>
              ))}
            </ul>
            {result.messages.length > SHOWN && <p className="muted">{t('andMore', { count: result.messages.length - SHOWN })}</p>}
          </section>
        </div>
      )}
    </div>
  );
}
