/**
 * Send to another site (issue 13): a transfer package with everything changed since the last package to that site —
 * new, updated and deleted values, events, and metadata downwards when asked. Shows what is inside before anything is
 * written, then where the package went, its number and what it holds.
 */
import { useEffect, useId } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { SendSummary } from '../../../src-shared/transfer-send.ts';
import { DownloadExport } from '../../components/ExportResultView.tsx';
import { FocusHeading } from '../../components/FocusHeading.tsx';
import { fmtDateTime, fmtNumber } from '../../components/format.ts';
import { JobProgress } from '../../components/JobProgress.tsx';
import { JobResultView } from '../../components/JobResultView.tsx';
import { Notice } from '../../components/Notice.tsx';
import { Steps } from '../../components/Steps.tsx';
import { useSend, type SendMetadata } from '../../stores/send.ts';
import { useApp } from '../../stores/app.ts';
import { usesTransfers } from '../../api.ts';

const METADATA: SendMetadata[] = ['none', 'changed', 'all'];

export function SendScreen() {
  const s = useSend();
  const capabilities = useApp((a) => a.capabilities);
  const destId = useId();
  const siteId = useId();
  const { t } = useTranslation(['exports', 'common']);
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
      <h1>{t('send.title')}</h1>
      <Steps steps={[t('send.step.package'), t('send.step.send'), t('wizard.step.result')]} current={s.step === 'edit' ? 0 : finished ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <p className="intro">{t('send.intro')}</p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <div className="two-col">
              <div className="field">
                <label htmlFor={destId}>{t('send.to')}</label>
                <input
                  id={destId}
                  name="destination"
                  type="text"
                  list="send-destination-list"
                  value={s.destination}
                  placeholder={t('send.to.placeholder')}
                  onChange={(e) => s.setDestination(e.target.value)}
                  data-test="send-destination"
                />
                <datalist id="send-destination-list">
                  {s.destinations.map((d) => (
                    <option key={d.id} value={d.name} />
                  ))}
                </datalist>
                <div className="help">{s.destinations.length ? t('send.to.known', { sites: s.destinations.map((d) => d.name).join(', ') }) : t('send.to.help')}</div>
              </div>
              <div className="field">
                <label htmlFor={siteId}>{t('send.siteName')}</label>
                <input id={siteId} name="siteName" type="text" value={s.siteName} onChange={(e) => s.setSiteName(e.target.value)} data-test="send-site-name" />
                <div className="help">{s.site && !s.site.nameSet ? t('send.siteName.suggested') : t('send.siteName.help')}</div>
              </div>
            </div>
            <fieldset className="field">
              <legend>{t('send.metadata')}</legend>
              {METADATA.map((m) => (
                <label key={m} className="radio">
                  <input type="radio" name="metadata" value={m} checked={s.metadata === m} onChange={() => s.setMetadata(m)} data-test={`send-metadata-${m}`} />{' '}
                  {t(`send.metadata.${m}`)}
                </label>
              ))}
            </fieldset>
            {p && (
              <div className="card" data-test="send-preview">
                <h2>{t('send.preview.title')}</h2>
                <p>
                  <Trans
                    t={t}
                    i18nKey={p.known ? 'send.preview.package' : 'send.preview.packageNew'}
                    values={{ sequence: p.sequence, destination: p.destination, from: p.changes.from + 1, to: p.changes.to }}
                    components={{ seq: <strong data-test="send-preview-sequence" />, b: <strong /> }}
                  />
                </p>
                <ul>
                  <li data-test="send-preview-values">
                    {p.valuesAtMost ? t('send.preview.values', { count: p.valuesAtMost }) : t('send.preview.noValues')}
                  </li>
                  <li data-test="send-preview-events">{t('send.preview.events', { count: p.events })}</li>
                  {s.metadata !== 'none' && <li data-test="send-preview-metadata">{t('send.preview.metadata', { count: p.metadataObjects })}</li>}
                </ul>
                {p.lastSent ? (
                  <p className="help">
                    {t('send.preview.lastSent', { destination: p.destination, sequence: p.lastSent.sequence, date: fmtDateTime(p.lastSent.createdAt), file: p.lastSent.file })}
                  </p>
                ) : (
                  <p className="help">{t('send.preview.first', { destination: p.destination })}</p>
                )}
                {!p.valuesAtMost && !p.events && !p.metadataObjects && (
                  <Notice kind="info">{t('send.preview.nothing')}</Notice>
                )}
              </div>
            )}
            {s.previewing && !p && <p className="help">{t('send.previewing')}</p>}
            {s.formError && (
              <Notice kind="error">
                <span data-test="send-error">{s.formError}</span>
              </Notice>
            )}
            <div className="button-row">
              <button type="submit" className="button primary" data-test="start">
                {t('send.save')}
              </button>
            </div>
          </form>
        </section>
      ) : !finished ? (
        <JobProgress run={s.run} title={t('send.progress')} onCancel={() => void s.cancel()} />
      ) : (
        <section className="card" data-test="summary-card">
          <FocusHeading>{t('send.done')}</FocusHeading>
          {s.run.error && (
            <Notice kind="error" title={t('send.failed')}>
              <span data-test="job-error">{s.run.error}</span>
            </Notice>
          )}
          {summary ? (
            <div data-test="send-result">
              <Notice kind="success" title={t('send.written', { sequence: summary.sequence, name: summary.to.name })}>
                <span data-test="send-result-file">{summary.file}</span>
              </Notice>
              <dl className="facts">
                <dt>{t('send.result.from')}</dt>
                <dd>{summary.from.name}</dd>
                <dt>{t('send.result.sequence')}</dt>
                <dd data-test="send-result-sequence">{summary.sequence}</dd>
                <dt>{t('send.result.dataValues')}</dt>
                <dd data-test="send-result-values">{fmtNumber(summary.counts.dataValues ?? 0)}</dd>
                <dt>{t('send.result.deletions')}</dt>
                <dd data-test="send-result-deletions">{fmtNumber(summary.counts.deletions ?? 0)}</dd>
                <dt>{t('send.result.events')}</dt>
                <dd>{fmtNumber(summary.counts.events ?? 0)}</dd>
                <dt>{t('send.result.metadataObjects')}</dt>
                <dd>{fmtNumber(summary.counts.metadataObjects ?? 0)}</dd>
                <dt>{t('send.result.size')}</dt>
                <dd>{t('send.result.bytes', { count: summary.bytes })}</dd>
                <dt>{t('send.result.packageId')}</dt>
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
              {t('common:back')}
            </button>
            <button type="button" className="button" onClick={s.reset} data-test="new-send">
              {t('send.another')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
