import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { i18n } from '../i18n.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import { errorText, invoke, usesTransfers } from '../api.ts';
import { fmtBytes, fmtNumber, shortSha, typeLabel } from './format.ts';
import { StatusTag } from './StatusTag.tsx';
import { Notice } from './Notice.tsx';
import { useApp } from '../stores/app.ts';
import { ShowInFolder } from './ReportActions.tsx';

function what(counts: [string, number][], total: number): string {
  const t = i18n.t;
  const form = Object.fromEntries(counts);
  // a PDF data entry form (export kind pdf-form): its fields and pages
  if (typeof form.fields === 'number' && typeof form.pages === 'number') {
    return t('components:export.formOf', { fields: t('components:export.fields', { count: form.fields }), pages: t('components:export.pages', { count: form.pages }) });
  }
  if (counts.length === 1 && counts[0]![0] === 'dataValues') return t('components:export.dataValues', { count: total });
  return t('components:export.objects', { count: total });
}

/**
 * In a browser (the bridge of `ferry serve`): the export was written to Ferry's own folder; this link has the
 * browser download it (files:downloadLink gives a one-file address, valid while Ferry runs).
 */
export function DownloadExport({ file }: { file: string }) {
  const { t } = useTranslation('components');
  const [link, setLink] = useState<{ url: string; name: string; size: number } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setLink(null);
    setProblem(null);
    invoke('files:downloadLink', { path: file }).then(
      (l) => live && setLink(l),
      (e: unknown) => live && setProblem(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [file]);
  if (problem) return <p className="muted" data-test="download-unavailable">{t('export.notAvailable', { problem })}</p>;
  if (!link) return null;
  return (
    <div className="button-row left">
      <a
        className="button primary"
        style={{ display: 'inline-flex', alignItems: 'center', textDecoration: 'none' }}
        href={link.url}
        download={link.name}
        data-test="download-export"
      >
        {t('export.download', { name: link.name, size: fmtBytes(link.size) })}
      </a>
    </div>
  );
}

/** Export outcome: the file written, its size and what it holds — and, with status WARNING, what it does not hold. */
export function ExportResultView({ summary }: { summary: ExportSummary }) {
  const { t } = useTranslation('components');
  const capabilities = useApp((a) => a.capabilities);
  const download = usesTransfers(capabilities);
  // the user chose where it went (a save dialog) unless a browser without dialogs only downloads it
  const chosen = !download || capabilities.includes('files:dialogs');
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
          {saved ? t(chosen ? 'export.saved' : 'export.ready', { what: what(written, total), size: fmtBytes(summary.bytes) }) : t('export.failed')}
        </p>
      </div>
      {saved && download && <DownloadExport file={summary.file} />}
      {saved && !download && capabilities.includes('files:showInFolder') && (
        <div className="button-row left no-print">
          <ShowInFolder file={summary.file} />
        </div>
      )}
      {summary.warnings && summary.warnings.length > 0 && (
        <Notice kind="warning" title={t('export.notEverything')}>
          <ul data-test="export-warnings">
            {summary.warnings.map((w, i) => (
              <li key={w}>{errorText({ message: w, details: summary.warningDetails?.[i] ?? {} })}</li>
            ))}
          </ul>
        </Notice>
      )}
      <dl className="facts">
        <dt>{t('col.file')}</dt>
        <dd data-test="export-file">{chosen ? summary.file : summary.file.split(/[\\/]/).pop()}</dd>
        <dt>{t('export.format')}</dt>
        <dd>
          {summary.format.toUpperCase()}
          {summary.compression && summary.compression !== 'none' ? `, ${summary.compression}` : `, ${t('export.uncompressed')}`}
        </dd>
        <dt>{t('export.size')}</dt>
        <dd data-test="export-bytes" data-bytes={summary.bytes}>
          {fmtBytes(summary.bytes)}
        </dd>
        <dt>{t('col.sha')}</dt>
        <dd>
          <code title={summary.sha256}>{shortSha(summary.sha256)}</code>
        </dd>
      </dl>
      {counts.length > 0 && (
        <table className="table counts" data-test="export-counts">
          <thead>
            <tr>
              <th scope="col">{t('export.contents')}</th>
              <th scope="col" className="num">{t('export.count')}</th>
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
