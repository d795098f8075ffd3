/**
 * Receive from other sites (issue 13): pick transfer packages → what is inside each, verified, before anything is
 * imported (sender, sequence, counts, already received?, gaps) → Receive (or a dry run) → each package's result with
 * the totals that do not reconcile.
 */
import type { JobRecord } from '../../../src-shared/api/contract.ts';
import type { PackageInspection, ReceiveSummary } from '../../../src-shared/transfer-receive.ts';
import { FilePicker } from '../../components/FilePicker.tsx';
import { FocusHeading } from '../../components/FocusHeading.tsx';
import { fmtDateTime, fmtDay } from '../../components/format.ts';
import { Notice } from '../../components/Notice.tsx';
import { Steps } from '../../components/Steps.tsx';
import { useReceive } from '../../stores/receive.ts';
import { useApp } from '../../stores/app.ts';
import { ReceiveSummaryView } from './ReceiveSummaryView.tsx';

const n = (x: number): string => x.toLocaleString('en');

function Inspection({ p }: { p: PackageInspection }) {
  const m = p.manifest;
  return (
    <div className="card" data-test="receive-inspection" data-file={p.fileName}>
      <h2>{p.fileName}</h2>
      {m && (
        <p>
          Package <strong data-test="receive-sequence">{m.sequence}</strong> from <strong data-test="receive-sender">{m.from.name}</strong> to {m.to.name}, made{' '}
          {fmtDateTime(m.createdAt)}: {n(m.counts.values)} values, {n(m.counts.deletions)} deletions, {n(m.counts.events)} events,{' '}
          {n(m.counts.metadataObjects)} metadata objects.
        </p>
      )}
      {p.verified ? (
        <Notice kind="success" title="Verified">
          Every entry matches its checksum.
        </Notice>
      ) : (
        <Notice kind="error" title="Damaged: it will be refused, nothing of it is written">
          <span data-test="receive-inspect-error">{p.error}</span>
        </Notice>
      )}
      {p.alreadyReceived && (
        <Notice kind="info">
          <span data-test="receive-already">
            Already received on {fmtDay(p.alreadyReceived.receivedAt)} (job {p.alreadyReceived.jobId}): receiving it again changes nothing.
          </span>
        </Notice>
      )}
      {p.gaps.map((g) => (
        <Notice key={g} kind="warning">
          <span data-test="receive-gap">{g}</span>
        </Notice>
      ))}
    </div>
  );
}

function Result({ job }: { job: JobRecord }) {
  const s = job.summary as ReceiveSummary | null;
  if (job.error || !s) {
    return (
      <Notice kind="error" title={`${job.files[0]?.name ?? 'Package'}: refused`}>
        <span data-test="receive-refused">{job.error?.message ?? job.status}</span>
      </Notice>
    );
  }
  return <ReceiveSummaryView summary={s} />;
}

export function ReceiveScreen() {
  const s = useReceive();
  const navigate = useApp((a) => a.navigate);
  const current = s.step === 'files' ? 0 : s.step === 'inspect' ? 1 : 2;
  const refused = s.inspections.filter((p) => !p.verified).length;
  return (
    <div className="screen" data-test="wizard-receive">
      <h1>Receive from other sites</h1>
      <Steps steps={['Packages', 'What is inside', 'Result']} current={current} />
      {s.step === 'files' && (
        <section className="card">
          <p className="intro">
            Choose the transfer packages other sites sent (several at once if you like: they are received in order). Each is checked whole before anything is
            written; a package received before changes nothing.
          </p>
          <FilePicker files={s.files} multiple extensions={['zip']} error={s.error} onChoose={() => void s.chooseFiles()} onPaths={(p) => void s.addPaths(p)} onRemove={s.removeFile} />
          <div className="button-row">
            <button type="button" className="button primary" data-test="receive-inspect" disabled={!s.files.length} onClick={() => void s.inspect()}>
              Look inside
            </button>
          </div>
        </section>
      )}
      {s.step === 'inspect' && (
        <section>
          {s.inspecting && <p className="help">Checking the packages…</p>}
          {s.inspections.map((p) => (
            <Inspection key={p.file} p={p} />
          ))}
          {s.error && <Notice kind="error">{s.error}</Notice>}
          {!s.inspecting && (
            <div className="button-row">
              <button type="button" className="button" onClick={() => s.back()} data-test="back">
                Back
              </button>
              <button type="button" className="button" onClick={() => void s.receive(true)} data-test="receive-dry-run">
                Dry run
              </button>
              <button type="button" className="button primary" onClick={() => void s.receive(false)} data-test="receive-start">
                Receive{refused ? ` (${refused} damaged will be refused)` : ''}
              </button>
            </div>
          )}
        </section>
      )}
      {s.step === 'run' && (
        <section data-test="summary-card">
          <FocusHeading>{s.running ? 'Receiving…' : s.dryRun ? 'Dry run finished: nothing was written' : 'Received'}</FocusHeading>
          {s.running && (
            <p className="help" data-test="receive-progress">
              {s.records.length} of {s.jobIds.length || s.files.length} packages done…{' '}
              <button type="button" className="button" onClick={() => void s.cancel()}>
                Cancel
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
                Sites
              </button>
              <button type="button" className="button primary" onClick={() => s.reset()} data-test="receive-again">
                Receive more
              </button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
