/**
 * Receive from other sites (issue 13): pick transfer packages → what is inside each, verified, before anything is
 * imported (sender, sequence, counts, already received?, gaps) → Receive (or a dry run) → each package's result with
 * the totals that do not reconcile.
 */
import { Trans, useTranslation } from 'react-i18next';
import type { JobRecord } from '../../../src-shared/api/contract.ts';
import type { PackageInspection, ReceiveSummary } from '../../../src-shared/transfer-receive.ts';
import { FilePicker } from '../../components/FilePicker.tsx';
import { FocusHeading } from '../../components/FocusHeading.tsx';
import { fmtDateTime, fmtDay } from '../../components/format.ts';
import { Notice } from '../../components/Notice.tsx';
import { Steps } from '../../components/Steps.tsx';
import { useReceive } from '../../stores/receive.ts';
import { useApp } from '../../stores/app.ts';
import { errorText } from '../../api.ts';
import { ReceiveSummaryView } from './ReceiveSummaryView.tsx';

function Inspection({ p }: { p: PackageInspection }) {
  const { t } = useTranslation(['imports', 'common']);
  const m = p.manifest;
  return (
    <div className="card" data-test="receive-inspection" data-file={p.fileName}>
      <h2>{p.fileName}</h2>
      {m && (
        <p>
          <Trans
            t={t}
            i18nKey="receive.package"
            values={{
              sequence: m.sequence,
              from: m.from.name,
              to: m.to.name,
              made: fmtDateTime(m.createdAt),
              values: t('receive.n.values', { count: m.counts.values }),
              deletions: t('receive.n.deletions', { count: m.counts.deletions }),
              events: t('receive.n.events', { count: m.counts.events }),
              metadata: t('receive.n.metadata', { count: m.counts.metadataObjects }),
            }}
            components={{ seq: <strong data-test="receive-sequence" />, from: <strong data-test="receive-sender" /> }}
          />
        </p>
      )}
      {p.verified ? (
        <Notice kind="success" title={t('receive.verified')}>
          {t('receive.verifiedText')}
        </Notice>
      ) : (
        <Notice kind="error" title={t('receive.damaged')}>
          <span data-test="receive-inspect-error">{p.error !== null ? errorText({ message: p.error, details: p.errorDetails ?? {} }) : null}</span>
        </Notice>
      )}
      {p.alreadyReceived && (
        <Notice kind="info">
          <span data-test="receive-already">
            {t('receive.already', { date: fmtDay(p.alreadyReceived.receivedAt), job: p.alreadyReceived.jobId })}
          </span>
        </Notice>
      )}
      {p.gaps.map((g, i) => (
        <Notice key={g} kind="warning">
          <span data-test="receive-gap">{errorText({ message: g, details: p.gapDetails?.[i] ?? {} })}</span>
        </Notice>
      ))}
    </div>
  );
}

function Result({ job }: { job: JobRecord }) {
  const { t } = useTranslation('imports');
  const s = job.summary as ReceiveSummary | null;
  if (job.error || !s) {
    return (
      <Notice kind="error" title={t('receive.refused', { file: job.files[0]?.name ?? t('receive.packageFallback') })}>
        <span data-test="receive-refused">{job.error ? errorText(job.error) : job.status}</span>
      </Notice>
    );
  }
  return <ReceiveSummaryView summary={s} />;
}

export function ReceiveScreen() {
  const { t } = useTranslation(['imports', 'common']);
  const s = useReceive();
  const navigate = useApp((a) => a.navigate);
  const current = s.step === 'files' ? 0 : s.step === 'inspect' ? 1 : 2;
  const refused = s.inspections.filter((p) => !p.verified).length;
  return (
    <div className="screen" data-test="wizard-receive">
      <h1>{t('receive.title')}</h1>
      <Steps steps={[t('receive.step.packages'), t('receive.step.inside'), t('receive.step.result')]} current={current} />
      {s.step === 'files' && (
        <section className="card">
          <p className="intro">{t('receive.intro')}</p>
          <FilePicker files={s.files} multiple extensions={['zip']} error={s.error} onChoose={() => void s.chooseFiles()} onPaths={(p) => void s.addPaths(p)} onRemove={s.removeFile} />
          <div className="button-row">
            <button type="button" className="button primary" data-test="receive-inspect" disabled={!s.files.length} onClick={() => void s.inspect()}>
              {t('receive.lookInside')}
            </button>
          </div>
        </section>
      )}
      {s.step === 'inspect' && (
        <section>
          {s.inspecting && <p className="help">{t('receive.checking')}</p>}
          {s.inspections.map((p) => (
            <Inspection key={p.file} p={p} />
          ))}
          {s.error && <Notice kind="error">{s.error}</Notice>}
          {!s.inspecting && (
            <div className="button-row">
              <button type="button" className="button" onClick={() => s.back()} data-test="back">
                {t('common:back')}
              </button>
              <button type="button" className="button" onClick={() => void s.receive(true)} data-test="receive-dry-run">
                {t('common:dryRun')}
              </button>
              <button type="button" className="button primary" onClick={() => void s.receive(false)} data-test="receive-start">
                {refused ? t('receive.receiveDamaged', { count: refused }) : t('receive.receive')}
              </button>
            </div>
          )}
        </section>
      )}
      {s.step === 'run' && (
        <section data-test="summary-card">
          <FocusHeading>{t(s.running ? 'receive.receiving' : s.dryRun ? 'receive.dryRunDone' : 'receive.received')}</FocusHeading>
          {s.running && (
            <p className="help" data-test="receive-progress">
              {t('receive.progress', { done: s.records.length, count: s.jobIds.length || s.files.length })}{' '}
              <button type="button" className="button" onClick={() => void s.cancel()}>
                {t('common:cancel')}
              </button>
            </p>
          )}
          {s.error && <Notice kind="error">{s.error}</Notice>}
          {s.records.map((r) => (
            <Result key={r.id} job={r} />
          ))}
          {!s.running && (
            <div className="button-row">
              <button type="button" className="button" onClick={() => navigate('sites')} data-test="receive-to-sites">
                {t('receive.sites')}
              </button>
              <button type="button" className="button primary" onClick={() => s.reset()} data-test="receive-again">
                {t('receive.more')}
              </button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
