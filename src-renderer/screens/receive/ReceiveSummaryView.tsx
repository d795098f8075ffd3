/**
 * One receive job's summary (the wizard's result and the job overview): what was imported, kept newer, gaps, and the
 * sender's totals that do not reconcile.
 */
import type { ReceiveSummary } from '../../../src-shared/transfer-receive.ts';
import { Notice } from '../../components/Notice.tsx';

const n = (x: number): string => x.toLocaleString('en');

export function ReceiveSummaryView({ summary: s }: { summary: ReceiveSummary }) {
  const d = s.dataValues;
  return (
    <div className="card" data-test="receive-result" data-status={s.alreadyReceived ? 'already-received' : s.status}>
      <h2>{s.file}</h2>
      <p data-test="receive-description">{s.description}</p>
      {!s.alreadyReceived && (
        <ul>
          <li data-test="receive-values">
            {n(d.imported)} values imported, {n(d.updated)} updated, {n(d.deleted)} deleted, {n(d.ignored)} ignored
            {d.keptNewer ? `, ${n(d.keptNewer)} kept newer` : ''}
          </li>
          {s.events && (
            <li>
              events: {n(s.events.created)} created, {n(s.events.updated)} updated, {n(s.events.deleted)} deleted, {n(s.events.ignored)} ignored
            </li>
          )}
          {s.metadata && (
            <li>
              metadata: {n(s.metadata.created)} created, {n(s.metadata.updated)} updated, {n(s.metadata.ignored)} ignored
            </li>
          )}
        </ul>
      )}
      {d.conflicts.length > 0 && (
        <ul className="conflicts">
          {d.conflicts.map((c, i) => (
            <li key={i}>
              {c.object}: {c.value}
            </li>
          ))}
        </ul>
      )}
      {s.gaps.map((g) => (
        <Notice key={g.sequence} kind="warning">
          <span data-test="receive-gap">{g.message}</span>
        </Notice>
      ))}
      <p data-test="receive-reconciliation">
        Reconciliation with {s.from.name}: {n(s.reconciliation.cells - s.reconciliation.mismatches)} of {n(s.reconciliation.cells)} org unit × data set × period
        totals match{s.reconciliation.mismatches ? `, ${n(s.reconciliation.mismatches)} differ` : ''}.
      </p>
      {s.reconciliation.rows.length > 0 && (
        <table className="table" data-test="receive-mismatches">
          <thead>
            <tr>
              <th>Org unit</th>
              <th>Data set</th>
              <th>Period</th>
              <th>Sent</th>
              <th>Stored</th>
            </tr>
          </thead>
          <tbody>
            {s.reconciliation.rows.slice(0, 50).map((r) => (
              <tr key={`${r.orgUnit}/${r.dataSet}/${r.period}`}>
                <td>{r.orgUnit}</td>
                <td>{r.dataSet ?? '(none)'}</td>
                <td>{r.period}</td>
                <td>
                  {n(r.sent.values)} values, sum {r.sent.sum}
                </td>
                <td>
                  {n(r.stored.values)} values, sum {r.stored.sum}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

