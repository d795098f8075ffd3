/**
 * Send to another site (issue 13): a transfer package with everything changed since the last package to that site —
 * new, updated and deleted values, events, and metadata downwards when asked. Shows what is inside before anything is
 * written, then where the package went, its number and what it holds.
 */
import { useEffect, useId } from 'react';
import type { SendSummary } from '../../../src-shared/transfer-send.ts';
import { DownloadExport } from '../../components/ExportResultView.tsx';
import { FocusHeading } from '../../components/FocusHeading.tsx';
import { fmtDateTime } from '../../components/format.ts';
import { JobProgress } from '../../components/JobProgress.tsx';
import { JobResultView } from '../../components/JobResultView.tsx';
import { Notice } from '../../components/Notice.tsx';
import { Steps } from '../../components/Steps.tsx';
import { useSend, type SendMetadata } from '../../stores/send.ts';
import { useApp } from '../../stores/app.ts';
import { usesTransfers } from '../../api.ts';

const METADATA: { value: SendMetadata; label: string }[] = [
  { value: 'none', label: 'No metadata (upwards: facility → district)' },
  { value: 'changed', label: 'Metadata changed since the last package (downwards)' },
  { value: 'all', label: 'All metadata (downwards, e.g. a new site)' },
];

const n = (x: number): string => x.toLocaleString('en');

export function SendScreen() {
  const s = useSend();
  const capabilities = useApp((a) => a.capabilities);
  const destId = useId();
  const siteId = useId();
  useEffect(() => {
    void s.load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => {
    if (s.step !== 'edit') return;
    const t = setTimeout(() => void s.refreshPreview(), 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [s.destination, s.metadata, s.step]);
  const p = s.preview;
  const finished = s.run.phase === 'finished';
  const summary = finished && s.run.record?.status === 'done' ? (s.run.record.summary as SendSummary | null) : null;
  return (
    <div className="screen" data-test="wizard-send">
      <h1>Send to another site</h1>
      <Steps steps={['Package', 'Send', 'Result']} current={s.step === 'edit' ? 0 : finished ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <p className="intro">
            Makes one file for a USB key with everything that changed here since the last package to that site: new, updated and deleted values and
            events. The file is checked after writing; the site receiving it checks it again before importing anything. DHIS2 itself also imports it as
            a data file.
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <div className="two-col">
              <div className="field">
                <label htmlFor={destId}>Send to</label>
                <input
                  id={destId}
                  name="destination"
                  type="text"
                  list="send-destination-list"
                  value={s.destination}
                  placeholder="e.g. District B"
                  onChange={(e) => s.setDestination(e.target.value)}
                  data-test="send-destination"
                />
                <datalist id="send-destination-list">
                  {s.destinations.map((d) => (
                    <option key={d.id} value={d.name} />
                  ))}
                </datalist>
                <div className="help">{s.destinations.length ? `Sites this one sent to: ${s.destinations.map((d) => d.name).join(', ')}.` : 'Type the name of the site the package is for.'}</div>
              </div>
              <div className="field">
                <label htmlFor={siteId}>This site&apos;s name</label>
                <input id={siteId} name="siteName" type="text" value={s.siteName} onChange={(e) => s.setSiteName(e.target.value)} data-test="send-site-name" />
                <div className="help">
                  How the receiving site will know this one{s.site && !s.site.nameSet ? ' (a suggestion: change it if you like; it is kept)' : ''}.
                </div>
              </div>
            </div>
            <fieldset className="field">
              <legend>Metadata</legend>
              {METADATA.map((m) => (
                <label key={m.value} className="radio">
                  <input type="radio" name="metadata" value={m.value} checked={s.metadata === m.value} onChange={() => s.setMetadata(m.value)} data-test={`send-metadata-${m.value}`} />{' '}
                  {m.label}
                </label>
              ))}
            </fieldset>
            {p && (
              <div className="card" data-test="send-preview">
                <h2>What the package holds</h2>
                <p>
                  Package <strong data-test="send-preview-sequence">{p.sequence}</strong> to <strong>{p.destination}</strong>
                  {p.known ? '' : ' (a new destination)'}: changes {p.changes.from + 1} to {p.changes.to}.
                </p>
                <ul>
                  <li data-test="send-preview-values">
                    {p.valuesAtMost ? `up to ${n(p.valuesAtMost)} data values (new, changed or deleted)` : 'no data values changed'}
                  </li>
                  <li data-test="send-preview-events">{n(p.events)} events</li>
                  {s.metadata !== 'none' && <li data-test="send-preview-metadata">{n(p.metadataObjects)} metadata objects</li>}
                </ul>
                {p.lastSent ? (
                  <p className="help">
                    The last package to {p.destination} was number {p.lastSent.sequence}, made {fmtDateTime(p.lastSent.createdAt)} ({p.lastSent.file}).
                  </p>
                ) : (
                  <p className="help">Nothing was sent to {p.destination} yet: this package holds everything.</p>
                )}
                {!p.valuesAtMost && !p.events && !p.metadataObjects && (
                  <Notice kind="info">Nothing changed since the last package. A package is still made, so that the receiving site sees that none is missing.</Notice>
                )}
              </div>
            )}
            {s.previewing && !p && <p className="help">Looking at what changed…</p>}
            {s.formError && (
              <Notice kind="error">
                <span data-test="send-error">{s.formError}</span>
              </Notice>
            )}
            <div className="button-row">
              <button type="submit" className="button primary" data-test="start">
                Save package…
              </button>
            </div>
          </form>
        </section>
      ) : !finished ? (
        <JobProgress run={s.run} title="Making the package" onCancel={() => void s.cancel()} />
      ) : (
        <section className="card" data-test="summary-card">
          <FocusHeading>Package sent</FocusHeading>
          {s.run.error && (
            <Notice kind="error" title="The package could not be made">
              <span data-test="job-error">{s.run.error}</span>
            </Notice>
          )}
          {summary ? (
            <div data-test="send-result">
              <Notice kind="success" title={`Package ${summary.sequence} to ${summary.to.name} is written and checked`}>
                <span data-test="send-result-file">{summary.file}</span>
              </Notice>
              <dl className="facts">
                <dt>From</dt>
                <dd>{summary.from.name}</dd>
                <dt>Sequence</dt>
                <dd data-test="send-result-sequence">{summary.sequence}</dd>
                <dt>Data values</dt>
                <dd data-test="send-result-values">{n(summary.counts.dataValues ?? 0)}</dd>
                <dt>Deletions</dt>
                <dd data-test="send-result-deletions">{n(summary.counts.deletions ?? 0)}</dd>
                <dt>Events</dt>
                <dd>{n(summary.counts.events ?? 0)}</dd>
                <dt>Metadata objects</dt>
                <dd>{n(summary.counts.metadataObjects ?? 0)}</dd>
                <dt>Size</dt>
                <dd>{n(summary.bytes)} bytes</dd>
                <dt>Package id</dt>
                <dd>{summary.packageId}</dd>
              </dl>
              {/* a browser on `ferry serve`: the package was saved in Ferry's folder; download it to the USB key */}
              {usesTransfers(capabilities) && <DownloadExport file={summary.file} />}
            </div>
          ) : (
            s.run.record && <JobResultView record={s.run.record} />
          )}
          <div className="button-row">
            <button type="button" className="button" onClick={s.back} data-test="back-to-options">
              Back
            </button>
            <button type="button" className="button" onClick={s.reset} data-test="new-send">
              Send another
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
