/** Sites (issue 13): the sites packages were received from — their last package and when, gaps, and totals that differ. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ReceiveGap } from '../../../src-shared/transfer-receive.ts';
import { Notice } from '../../components/Notice.tsx';
import { fmtDateTime, fmtNumber } from '../../components/format.ts';
import { useSites } from '../../stores/sites.ts';

/**
 * A missing package in the chosen language, with the received packages on either side (every number below the
 * sender's highest received one is either received or among its gaps: src-main/transfer/reconcile.ts gapsOf).
 */
function gapText(t: TFunction<'app'>, g: ReceiveGap, gaps: ReceiveGap[]): string {
  const missing = new Set(gaps.map((x) => x.sequence));
  let below = g.sequence - 1;
  while (below > 0 && missing.has(below)) below--;
  let above = g.sequence + 1;
  while (missing.has(above)) above++;
  return below > 0
    ? t('sites.gapBetween', { sequence: g.sequence, site: g.senderName, below, above })
    : t('sites.gapFirst', { sequence: g.sequence, site: g.senderName, above });
}

export function SitesScreen() {
  const { t } = useTranslation('app');
  const s = useSites();
  useEffect(() => {
    void s.load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const rows = s.mismatches?.rows ?? [];
  return (
    <div className="screen" data-test="screen-sites">
      <h1>{t('sites.title')}</h1>
      {s.error && <Notice kind="error">{s.error}</Notice>}
      {!s.loading && !s.sites.length && !s.error && <p data-test="sites-empty">{t('sites.empty')}</p>}
      {s.sites.length > 0 && (
        <table className="table" data-test="sites-table">
          <thead>
            <tr>
              <th>{t('sites.col.site')}</th>
              <th>{t('sites.col.packages')}</th>
              <th>{t('sites.col.last')}</th>
              <th>{t('sites.col.received')}</th>
              <th>{t('sites.col.expected')}</th>
              <th>{t('sites.col.missing')}</th>
              <th>{t('sites.col.mismatches')}</th>
            </tr>
          </thead>
          <tbody>
            {s.sites.map((x) => (
              <tr key={x.senderId} data-test="sites-row" data-site={x.name}>
                <td>{x.name}</td>
                <td>{fmtNumber(x.packages)}</td>
                <td>{x.lastSequence ?? '–'}</td>
                <td>{x.lastReceivedAt ? fmtDateTime(x.lastReceivedAt) : '–'}</td>
                <td>{x.expectedNext}</td>
                <td data-test="sites-gaps">{x.gaps.length ? x.gaps.map((g) => g.sequence).join(', ') : t('sites.noGaps')}</td>
                <td data-test="sites-mismatches">{fmtNumber(x.mismatches)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {s.sites.flatMap((x) => x.gaps).map((g) => (
        <Notice key={`${g.senderId}/${g.sequence}`} kind="warning">
          <span data-test="sites-gap">{gapText(t, g, s.sites.find((x) => x.senderId === g.senderId)?.gaps ?? [g])}</span>
        </Notice>
      ))}
      {rows.length > 0 && (
        <section className="card">
          <h2>{t('sites.reconcile.title')}</h2>
          <table className="table" data-test="sites-mismatch-table">
            <thead>
              <tr>
                <th>{t('sites.col.site')}</th>
                <th>{t('sites.col.orgUnit')}</th>
                <th>{t('sites.col.dataSet')}</th>
                <th>{t('sites.col.period')}</th>
                <th>{t('sites.col.sent')}</th>
                <th>{t('sites.col.stored')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 200).map((r) => (
                <tr key={`${r.senderId}/${r.orgUnit}/${r.dataSet}/${r.period}`}>
                  <td>{r.senderName}</td>
                  <td>{r.orgUnit}</td>
                  <td>{r.dataSet ?? t('sites.noDataSet')}</td>
                  <td>{r.period}</td>
                  <td>{t('sites.sent', { count: r.sent.values, sum: r.sent.sum, sequence: r.sequence })}</td>
                  <td>{t('sites.stored', { count: r.stored.values, sum: r.stored.sum })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <div className="button-row">
        <button type="button" className="button" onClick={() => void s.load()} data-test="sites-refresh">
          {t('jobs.refresh')}
        </button>
      </div>
    </div>
  );
}
