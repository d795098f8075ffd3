/**
 * Utilities › Database maintenance: a backup of the site's database (SQLite's online backup, checked, to a file chosen
 * in the save dialog — also while jobs run) and its compaction (gives back the space of deleted values), with progress
 * and the outcome. Ferry's statistics and checkpoints after large imports need nothing from the user.
 */
import { useEffect } from 'react';
import { FocusHeading } from '../../components/FocusHeading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { DownloadExport } from '../../components/ExportResultView.tsx';
import { fmtBytes, fmtDuration } from '../../components/format.ts';
import { useApp } from '../../stores/app.ts';
import { useDbMaintenance } from '../../stores/db-maintenance.ts';
import type { DbMaintenanceProgress } from '../../../src-shared/api/contract.ts';

function stageText(p: DbMaintenanceProgress | null, task: 'backup' | 'vacuum'): string {
  if (!p || p.stage === 'starting') return task === 'backup' ? 'Starting the backup…' : 'Starting the compaction…';
  if (p.task === 'backup') return p.stage === 'verifying' ? 'Checking the copy' : 'Copying the database';
  if (p.stage === 'copying') return 'Writing a compact copy (step 1 of 2)';
  if (p.stage === 'writing') return 'Copying it back into the database (step 2 of 2)';
  return 'Finishing';
}

export function DbMaintenanceScreen() {
  const dbPath = useApp((s) => s.dbPath);
  const capabilities = useApp((s) => s.capabilities);
  const { running, progress, backup, vacuum, error, space, load, startBackup, startVacuum } = useDbMaintenance();
  useEffect(() => void load(), [load]);
  const pct = progress && progress.done !== null && progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  // in a browser without dialogs (ferry serve) the copy is written to Ferry's folder and downloaded from there
  const download = capabilities.includes('files:download') && !capabilities.includes('files:dialogs');
  return (
    <div className="screen" data-test="db-maintenance">
      <h1>Database maintenance</h1>
      <p className="muted" data-test="db-maintenance-path">
        {dbPath}
      </p>
      <section className="card">
        <h2>Back up the database</h2>
        <p>
          Makes a complete copy of the database — for a USB key or another computer — while Ferry keeps working, and checks the copy
          before keeping it. To restore it, close Ferry and put the copy in place of the database.
        </p>
        <p>
          <button type="button" className="button primary" onClick={() => void startBackup()} disabled={running !== null} data-test="db-backup-start">
            Back up…
          </button>
        </p>
      </section>
      <section className="card">
        <h2>Compact the database</h2>
        <p>
          Gives back the disk space of deleted values and makes reading faster after many changes. It needs about the database&apos;s
          size free on disk for a while. It does not start while an import runs.
        </p>
        {space?.worthCompacting && !running && (
          <Notice kind="info" title="This database holds much free space">
            <span data-test="db-compact-hint">
              {fmtBytes(space.freeBytes)} of its {fmtBytes(space.fileBytes)} ({Math.round((space.freeBytes / space.fileBytes) * 100)}%) is free space — left by
              deleted values, or by an update of Ferry that stored the values in a more compact form. Compact gives it back to the disk.
            </span>
          </Notice>
        )}
        <p>
          <button type="button" className={space?.worthCompacting ? 'button primary' : 'button'} onClick={() => void startVacuum()} disabled={running !== null} data-test="db-vacuum-start">
            Compact
          </button>
        </p>
      </section>
      {running && (
        <section className="card job-progress" aria-busy="true" data-test="db-maintenance-progress">
          <FocusHeading>{running === 'backup' ? 'Backing up…' : 'Compacting…'}</FocusHeading>
          <progress className="progress" max={100} value={pct ?? undefined} aria-label="Progress">
            {pct != null ? `${pct}%` : ''}
          </progress>
          <div className="progress-lines" aria-live="polite">
            <div data-test="db-maintenance-stage">
              {stageText(progress, running)}
              {pct != null ? ` — ${pct}%` : ''}
            </div>
            {progress && progress.elapsedMs > 0 && <div className="muted">{fmtDuration(progress.elapsedMs)} so far</div>}
          </div>
        </section>
      )}
      {!running && error && (
        <Notice kind="error" title={error.task === 'backup' ? 'The backup was not made' : 'The database was not compacted'}>
          <span data-test="db-maintenance-error">{error.message}</span>
        </Notice>
      )}
      {!running && backup && !(error?.task === 'backup') && (
        <Notice kind="success" title="The backup is ready">
          <span data-test="db-backup-done">
            {backup.out} ({fmtBytes(backup.bytes)}), checked by SQLite: sound. Made in {fmtDuration(backup.durationMs)}.
          </span>
          {download && <DownloadExport file={backup.out} />}
        </Notice>
      )}
      {!running && vacuum && !(error?.task === 'vacuum') && (
        <Notice kind="success" title="The database is compacted">
          <span data-test="db-vacuum-done">
            {fmtBytes(vacuum.bytesBefore)} → {fmtBytes(vacuum.bytesAfter)}
            {vacuum.savedBytes > 0 ? ` (${fmtBytes(vacuum.savedBytes)} freed)` : ' (there was nothing to give back)'} in {fmtDuration(vacuum.durationMs)}.
            {!vacuum.checkpointed && ' Another program is reading the database: the file shrinks fully when it closes it.'}
          </span>
        </Notice>
      )}
    </div>
  );
}
