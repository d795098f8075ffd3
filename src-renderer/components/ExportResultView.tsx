import type { ExportSummary } from '../../src-shared/api/contract.ts';
import { fmtBytes, fmtNumber, shortSha, typeLabel } from './format.ts';
import { StatusTag } from './StatusTag.tsx';
import { Notice } from './Notice.tsx';

function what(counts: [string, number][], total: number): string {
  if (counts.length === 1 && counts[0]![0] === 'dataValues') return `${fmtNumber(total)} ${total === 1 ? 'data value' : 'data values'}`;
  return `${fmtNumber(total)} ${total === 1 ? 'object' : 'objects'}`;
}

/** Export outcome: the file written, its size and what it holds — and, with status WARNING, what it does not hold. */
export function ExportResultView({ summary }: { summary: ExportSummary }) {
  const counts = Object.entries(summary.counts ?? {});
  // a data export's headline counts the values written, not the groups or the values left out
  const total = typeof summary.counts?.dataValues === 'number' ? summary.counts.dataValues : counts.reduce((n, [, v]) => n + v, 0);
  const written = counts.length > 0 && typeof summary.counts?.dataValues === 'number' ? ([['dataValues', total]] as [string, number][]) : counts;
  const saved = summary.status === 'OK' || summary.status === 'WARNING';
  return (
    <div className="summary" data-test="export-summary">
      <div className="summary-head">
        <StatusTag status={summary.status} />
        <p className="headline" data-test="summary-headline">
          {saved ? `Export saved: ${what(written, total)} in ${fmtBytes(summary.bytes)}.` : 'The export failed.'}
        </p>
      </div>
      {summary.warnings && summary.warnings.length > 0 && (
        <Notice kind="warning" title="Not everything selected is in the file">
          <ul data-test="export-warnings">
            {summary.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </Notice>
      )}
      <dl className="facts">
        <dt>File</dt>
        <dd data-test="export-file">{summary.file}</dd>
        <dt>Format</dt>
        <dd>
          {summary.format.toUpperCase()}
          {summary.compression && summary.compression !== 'none' ? `, ${summary.compression}` : ', uncompressed'}
        </dd>
        <dt>Size</dt>
        <dd data-test="export-bytes" data-bytes={summary.bytes}>
          {fmtBytes(summary.bytes)}
        </dd>
        <dt>SHA-256</dt>
        <dd>
          <code title={summary.sha256}>{shortSha(summary.sha256)}</code>
        </dd>
      </dl>
      {counts.length > 0 && (
        <table className="table counts" data-test="export-counts">
          <thead>
            <tr>
              <th scope="col">Contents</th>
              <th scope="col" className="num">Count</th>
            </tr>
          </thead>
          <tbody>
            {counts.map(([k, v]) => (
              <tr key={k} data-type={k}>
                <th scope="row">{typeLabel(k)}</th>
                <td className="num">{fmtNumber(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
