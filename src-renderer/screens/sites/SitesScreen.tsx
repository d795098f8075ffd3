/** Sites (issue 13): the sites packages were received from — their last package and when, gaps, and totals that differ. */
import { useEffect } from 'react';
import { Notice } from '../../components/Notice.tsx';
import { fmtDateTime } from '../../components/format.ts';
import { useSites } from '../../stores/sites.ts';

export function SitesScreen() {
  const s = useSites();
  useEffect(() => {
    void s.load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const rows = s.mismatches?.rows ?? [];
  return (
    <div className="screen" data-test="screen-sites">
      <h1>Sites</h1>
      {s.error && <Notice kind="error">{s.error}</Notice>}
      {!s.loading && !s.sites.length && !s.error && <p data-test="sites-empty">No package has been received yet.</p>}
      {s.sites.length > 0 && (
        <table className="table" data-test="sites-table">
          <thead>
            <tr>
              <th>Site</th>
              <th>Packages</th>
              <th>Last package</th>
              <th>Received</th>
              <th>Expected next</th>
              <th>Missing</th>
              <th>Totals that differ</th>
            </tr>
          </thead>
          <tbody>
            {s.sites.map((x) => (
              <tr key={x.senderId} data-test="sites-row" data-site={x.name}>
                <td>{x.name}</td>
                <td>{x.packages}</td>
                <td>{x.lastSequence ?? '–'}</td>
                <td>{x.lastReceivedAt ? fmtDateTime(x.lastReceivedAt) : '–'}</td>
                <td>{x.expectedNext}</td>
                <td data-test="sites-gaps">{x.gaps.length ? x.gaps.map((g) => g.sequence).join(', ') : 'none'}</td>
                <td data-test="sites-mismatches">{x.mismatches}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {s.sites.flatMap((x) => x.gaps).map((g) => (
        <Notice key={`${g.senderId}/${g.sequence}`} kind="warning">
          <span data-test="sites-gap">{g.message}</span>
        </Notice>
      ))}
      {rows.length > 0 && (
        <section className="card">
          <h2>Totals that do not reconcile</h2>
          <table className="table" data-test="sites-mismatch-table">
            <thead>
              <tr>
                <th>Site</th>
                <th>Org unit</th>
                <th>Data set</th>
                <th>Period</th>
                <th>Sent</th>
                <th>Stored now</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 200).map((r) => (
                <tr key={`${r.senderId}/${r.orgUnit}/${r.dataSet}/${r.period}`}>
                  <td>{r.senderName}</td>
                  <td>{r.orgUnit}</td>
                  <td>{r.dataSet ?? '(none)'}</td>
                  <td>{r.period}</td>
                  <td>
                    {r.sent.values} values, sum {r.sent.sum} (package {r.sequence})
                  </td>
                  <td>
                    {r.stored.values} values, sum {r.stored.sum}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <div className="button-row">
        <button type="button" className="button" onClick={() => void s.load()} data-test="sites-refresh">
          Refresh
        </button>
      </div>
    </div>
  );
}
