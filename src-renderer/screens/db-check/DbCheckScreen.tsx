/**
 * Utilities › Check database: SQLite's integrity check of the site's database, with progress, and what to do when it
 * finds damage (restore the backup). It changes nothing; the engine runs it in a worker, table by table.
 */
import { useEffect } from 'react';
import { FocusHeading } from '../../components/FocusHeading.tsx';
import { Notice } from '../../components/Notice.tsx';
import { fmtDuration, fmtNumber } from '../../components/format.ts';
import { useApp } from '../../stores/app.ts';
import { useDbCheck } from '../../stores/db-check.ts';
import type { DbCheckProgress } from '../../../src-shared/api/contract.ts';

/** Problems shown before "and N more" (the engine keeps at most 100). */
const SHOWN = 20;

function stageText(p: DbCheckProgress | null): string {
  if (!p || p.stage === 'starting' || !p.steps) return 'Starting the check…';
  const what = p.stage.startsWith('checking ') ? p.stage.slice('checking '.length) : p.stage;
  const label = what === 'free pages and page accounting' ? 'the free pages and the page accounting of the whole file' : `the table ${what}`;
  return `Checking ${label} (step ${p.step} of ${p.steps})`;
}

export function DbCheckScreen() {
  const dbPath = useApp((s) => s.dbPath);
  const { running, progress, result, error, load, start } = useDbCheck();
  useEffect(() => void load(), [load]);
  const pct = progress && progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : null;
  return (
    <div className="screen" data-test="db-check">
      <h1>Check database</h1>
      <p>
        SQLite&apos;s integrity check reads every page of the database and says whether it is sound. Run it after a power cut,
        or when Ferry reports that the database is damaged. It changes nothing; on a large database it can take a few minutes.
      </p>
      <p className="muted" data-test="db-check-path">
        {dbPath}
      </p>
      <p>
        <button type="button" className="button primary" onClick={() => void start()} disabled={running} data-test="db-check-start">
          {result || error ? 'Check again' : 'Check the database'}
        </button>
      </p>
      {running && (
        <section className="card job-progress" aria-busy="true" data-test="db-check-progress">
          <FocusHeading>Checking…</FocusHeading>
          <progress className="progress" max={100} value={pct ?? undefined} aria-label="Progress">
            {pct != null ? `${pct}%` : ''}
          </progress>
          <div className="progress-lines" aria-live="polite">
            <div data-test="db-check-stage">
              {stageText(progress)}
              {pct != null ? ` — ${pct}%` : ''}
            </div>
            {progress && <div className="muted">{fmtDuration(progress.elapsedMs)} so far</div>}
          </div>
        </section>
      )}
      {!running && error && (
        <Notice kind="error" title="The check could not run">
          {error}
        </Notice>
      )}
      {!running && result?.ok && (
        <Notice kind="success" title="The database is sound">
          <span data-test="db-check-ok">
            SQLite checked {fmtNumber(result.tables)} tables ({fmtNumber(result.pages)} pages) in {fmtDuration(result.durationMs)} and found nothing wrong.
          </span>
        </Notice>
      )}
      {!running && result && !result.ok && (
        <div data-test="db-check-damaged">
          <Notice kind="error" title="The database is damaged">
            SQLite found {result.messages.length === 1 ? 'a problem' : 'problems'} in the database. Ferry cannot repair it.
          </Notice>
          <section className="card">
            <FocusHeading>What to do</FocusHeading>
            <ol data-test="db-check-advice">
              <li>Stop importing into this database, and close Ferry.</li>
              <li>Keep the damaged file aside (rename it, do not delete it): support may need it.</li>
              <li>
                Copy your latest backup of the database in its place (the README&apos;s section &ldquo;Where your data lives, and how to
                back it up&rdquo;).
              </li>
              <li>Open Ferry and import again the files you imported since that backup.</li>
            </ol>
          </section>
          <section className="card">
            <h2>What SQLite found</h2>
            <ul className="db-check-messages" data-test="db-check-messages">
              {result.messages.slice(0, SHOWN).map((m, i) => (
                <li key={i}>
                  <code>{m}</code>
                </li>
              ))}
            </ul>
            {result.messages.length > SHOWN && <p className="muted">… and {fmtNumber(result.messages.length - SHOWN)} more.</p>}
          </section>
        </div>
      )}
    </div>
  );
}
