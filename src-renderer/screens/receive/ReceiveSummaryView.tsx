/**
 * One receive job's summary (the wizard's result and the job overview): what was imported, kept newer, gaps, and the
 * sender's totals that do not reconcile.
 */
import { useTranslation } from 'react-i18next';
import type { ReceiveSummary } from '../../../src-shared/transfer-receive.ts';
import { Notice } from '../../components/Notice.tsx';
import { fmtDay } from '../../components/format.ts';
import { errorText } from '../../api.ts';

/** The package's outcome in one line, composed here in the chosen language from the summary's fields. */
function headline(t: ReturnType<typeof useTranslation<'imports'>>['t'], s: ReceiveSummary): string {
  const who = { sequence: s.sequence, from: s.from.name };
  if (s.alreadyReceived) return t('receive.summary.already', { ...who, date: fmtDay(s.alreadyReceived.receivedAt), job: s.alreadyReceived.jobId });
  if (s.status === 'ERROR') return t('receive.summary.notImported', who);
  return t(s.dryRun ? 'receive.summary.checked' : 'receive.summary.received', who);
}

export function ReceiveSummaryView({ summary: s }: { summary: ReceiveSummary }) {
  const { t } = useTranslation('imports');
  const d = s.dataValues;
  const r = s.reconciliation;
  return (
    <div className="card" data-test="receive-result" data-status={s.alreadyReceived ? 'already-received' : s.status}>
      <h2>{s.file}</h2>
      <p data-test="receive-description">{headline(t, s)}</p>
      {!s.alreadyReceived && (
        <ul>
          <li data-test="receive-values" title={d.keptNewer ? t('receive.summary.keptNewerWhy', { from: s.from.name }) : undefined}>
            {t('receive.summary.values', { imported: d.imported, updated: d.updated, deleted: d.deleted, ignored: d.ignored })}
            {d.keptNewer ? t('receive.summary.keptNewer', { n: d.keptNewer }) : ''}
          </li>
          {s.events && <li>{t('receive.summary.events', { created: s.events.created, updated: s.events.updated, deleted: s.events.deleted, ignored: s.events.ignored })}</li>}
          {s.metadata && <li>{t('receive.summary.metadata', { created: s.metadata.created, updated: s.metadata.updated, ignored: s.metadata.ignored })}</li>}
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
          <span data-test="receive-gap">{errorText({ message: g.message, details: g })}</span>
        </Notice>
      ))}
      <p data-test="receive-reconciliation">
        {t('receive.summary.reconciliation', { from: s.from.name, matching: r.cells - r.mismatches, cells: r.cells })}
        {r.mismatches ? t('receive.summary.differ', { count: r.mismatches }) : ''}.
      </p>
      {r.rows.length > 0 && (
        <table className="table" data-test="receive-mismatches">
          <thead>
            <tr>
              <th>{t('receive.summary.orgUnit')}</th>
              <th>{t('receive.summary.dataSet')}</th>
              <th>{t('receive.summary.period')}</th>
              <th>{t('receive.summary.sent')}</th>
              <th>{t('receive.summary.stored')}</th>
            </tr>
          </thead>
          <tbody>
            {r.rows.slice(0, 50).map((row) => (
              <tr key={`${row.orgUnit}/${row.dataSet}/${row.period}`}>
                <td>{row.orgUnit}</td>
                <td>{row.dataSet ?? t('receive.summary.noDataSet')}</td>
                <td>{row.period}</td>
                <td>{t('receive.summary.cell', { count: row.sent.values, sum: row.sent.sum })}</td>
                <td>{t('receive.summary.cell', { count: row.stored.values, sum: row.stored.sum })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

