/**
 * Utilities › Database maintenance: a backup of the site's database (SQLite's online backup, checked, to a file chosen
 * in the save dialog — also while jobs run) and its compaction (gives back the space of deleted values), with progress
 * and the outcome. Ferry's statistics and checkpoints after large imports need nothing from the user.
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { FocusHeading } from '../../components/FocusHeading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { DownloadExport } from '../../components/ExportResultView.tsx';
import { fmtBytes, fmtDuration } from '../../components/format.ts';
import { useApp } from '../../stores/app.ts';
import { useDbMaintenance } from '../../stores/db-maintenance.ts';
import type { DbMaintenanceProgress } from '../../../src-shared/api/contract.ts';

function stageText(t: TFunction<'app'>, p: DbMaintenanceProgress | null, task: 'backup' | 'vacuum'): string {
  if (!p || p.stage === 'starting') return task === 'backup' ? t('maintenance.stage.startBackup') : t('maintenance.stage.startVacuum');
  if (p.task === 'backup') return p.stage === 'verifying' ? t('maintenance.stage.verifying') : t('maintenance.stage.copying');
  if (p.stage === 'copying') return t('maintenance.stage.compactCopy');
  if (p.stage === 'writing') return t('maintenance.stage.writeBack');
  return t('maintenance.stage.finishing');
}

export function DbMaintenanceScreen() {
  const { t } = useTranslation('app');
  const dbPath = useApp((s) => s.dbPath);
  const capabilities = useApp((s) => s.capabilities);
  const { running, progress, backup, vacuum, error, space, load, startBackup, startVacuum } = useDbMaintenance();
  useEffect(() => void load(), [load]);
  const pct = progress && progress.done !== null && progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  // in a browser without dialogs (ferry serve) the copy is written to Ferry's folder and downloaded from there
  const download = capabilities.includes('files:download') && !capabilities.includes('files:dialogs');
  return (
    <div className="screen" data-test="db-maintenance">
      <h1>{t('maintenance.title')}</h1>
      <p className="muted" data-test="db-maintenance-path">
        {dbPath}
      </p>
      <section className="card">
        <h2>{t('maintenance.backup.title')}</h2>
        <p>{t('maintenance.backup.text')}</p>
        <p>
          <button type="button" className="button primary" onClick={() => void startBackup()} disabled={running !== null} data-test="db-backup-start">
            {t('maintenance.backup.start')}
          </button>
        </p>
      </section>
      <section className="card">
        <h2>{t('maintenance.vacuum.title')}</h2>
        <p>{t('maintenance.vacuum.text')}</p>
        {space?.worthCompacting && !running && (
          <Notice kind="info" title={t('maintenance.hint.title')}>
            <span data-test="db-compact-hint">
              {t('maintenance.hint.text', {
                free: fmtBytes(space.freeBytes),
                size: fmtBytes(space.fileBytes),
                pct: Math.round((space.freeBytes / space.fileBytes) * 100),
              })}
            </span>
          </Notice>
        )}
        <p>
          <button type="button" className={space?.worthCompacting ? 'button primary' : 'button'} onClick={() => void startVacuum()} disabled={running !== null} data-test="db-vacuum-start">
            {t('maintenance.vacuum.start')}
          </button>
        </p>
      </section>
      {running && (
        <section className="card job-progress" aria-busy="true" data-test="db-maintenance-progress">
          <FocusHeading>{running === 'backup' ? t('maintenance.backup.running') : t('maintenance.vacuum.running')}</FocusHeading>
          <progress className="progress" max={100} value={pct ?? undefined} aria-label={t('progress')}>
            {pct != null ? `${pct}%` : ''}
          </progress>
          <div className="progress-lines" aria-live="polite">
            <div data-test="db-maintenance-stage">
              {stageText(t, progress, running)}
              {pct != null ? ` — ${pct}%` : ''}
            </div>
            {progress && progress.elapsedMs > 0 && <div className="muted">{t('soFar', { duration: fmtDuration(progress.elapsedMs) })}</div>}
          </div>
        </section>
      )}
      {!running && error && (
        <Notice kind="error" title={error.task === 'backup' ? t('maintenance.backup.failed') : t('maintenance.vacuum.failed')}>
          <span data-test="db-maintenance-error">{error.message}</span>
        </Notice>
      )}
      {!running && backup && !(error?.task === 'backup') && (
        <Notice kind="success" title={t('maintenance.backup.done')}>
          <span data-test="db-backup-done">
            {t('maintenance.backup.doneText', { file: backup.out, size: fmtBytes(backup.bytes), duration: fmtDuration(backup.durationMs) })}
          </span>
          {download && <DownloadExport file={backup.out} />}
        </Notice>
      )}
      {!running && vacuum && !(error?.task === 'vacuum') && (
        <Notice kind="success" title={t('maintenance.vacuum.done')}>
          <span data-test="db-vacuum-done">
            {vacuum.savedBytes > 0
              ? t('maintenance.vacuum.doneText', {
                  before: fmtBytes(vacuum.bytesBefore),
                  after: fmtBytes(vacuum.bytesAfter),
                  saved: fmtBytes(vacuum.savedBytes),
                  duration: fmtDuration(vacuum.durationMs),
                })
              : t('maintenance.vacuum.doneNothing', { before: fmtBytes(vacuum.bytesBefore), after: fmtBytes(vacuum.bytesAfter), duration: fmtDuration(vacuum.durationMs) })}
            {!vacuum.checkpointed && ` ${t('maintenance.vacuum.otherReader')}`}
          </span>
        </Notice>
      )}
    </div>
  );
}
