/**
 * Reports people can keep: a job's whole summary as DHIS2 JSON (jobs:saveSummary), and the page printed or saved as
 * PDF — the desktop app saves the PDF itself (report:pdf), a browser prints the page (its print stylesheet keeps the
 * summary only; the browser's print dialog offers Save as PDF).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import { errorText, invoke, usesTransfers } from '../api.ts';
import { DownloadExport } from './ExportResultView.tsx';
import { fmtBytes } from './format.ts';
import { Notice } from './Notice.tsx';
import { useApp } from '../stores/app.ts';

/** The file names offered: ferry-job-12-data-import-summary.json / .pdf */
export function reportFileName(job: Pick<JobRecord, 'id' | 'kind' | 'direction'>, ext: 'json' | 'pdf'): string {
  return `ferry-job-${job.id}-${job.kind}-${job.direction}-summary.${ext}`.replace(/[^A-Za-z0-9._-]+/g, '-');
}

export function ReportActions({ job }: { job: JobRecord }) {
  const { t } = useTranslation('components');
  const capabilities = useApp((a) => a.capabilities);
  // a browser without dialogs (ferry serve): the file is written in Ferry's folder, then downloaded through a link
  const browser = usesTransfers(capabilities) && !capabilities.includes('files:dialogs');
  const canPdf = capabilities.includes('report:pdf');
  const canShow = capabilities.includes('files:showInFolder');
  const [msg, setMsg] = useState<{ kind: 'success' | 'error'; text: string; file?: string } | null>(null);
  const [download, setDownload] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (ext: 'json' | 'pdf'): Promise<void> => {
    setMsg(null);
    setDownload(null);
    setBusy(true);
    try {
      const { path } = await invoke('dialog:saveFile', { title: ext === 'json' ? t('actions.saveJsonTitle') : t('actions.savePdfTitle'), defaultName: reportFileName(job, ext) });
      if (!path) return;
      let r: { path: string; bytes: number };
      if (ext === 'json') r = await invoke('jobs:saveSummary', { id: job.id, path });
      else {
        // the page as printed: tables show every listed line while the app prints it
        window.dispatchEvent(new Event('beforeprint'));
        try {
          r = await invoke('report:pdf', { path });
        } finally {
          window.dispatchEvent(new Event('afterprint'));
        }
      }
      if (browser) setDownload(r.path);
      else setMsg({ kind: 'success', text: t(ext === 'json' ? 'actions.savedJson' : 'actions.savedPdf', { size: fmtBytes(r.bytes), path: r.path }), file: r.path });
    } catch (e) {
      setMsg({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="report-actions no-print" data-test="report-actions">
      <div className="button-row left">
        <button type="button" className="button" disabled={busy} onClick={() => void save('json')} data-test="save-summary-json">
          {t('actions.downloadJson')}
        </button>
        {canPdf ? (
          <button type="button" className="button" disabled={busy} onClick={() => void save('pdf')} data-test="save-summary-pdf">
            {t('actions.savePdf')}
          </button>
        ) : null}
        <button type="button" className="button" onClick={() => window.print()} data-test="print-summary">
          {canPdf ? t('actions.print') : t('actions.printOrPdf')}
        </button>
      </div>
      {download && <DownloadExport file={download} />}
      {msg && (
        <Notice kind={msg.kind}>
          <span data-test="report-message">{msg.text}</span>
          {msg.file && canShow && <ShowInFolder file={msg.file} />}
        </Notice>
      )}
    </div>
  );
}

/** "Show in folder": the desktop app opens the file manager on a file it saved (files:showInFolder). */
export function ShowInFolder({ file }: { file: string }) {
  const { t } = useTranslation('components');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <>
      {' '}
      <button
        type="button"
        className="button small"
        onClick={() => {
          setProblem(null);
          invoke('files:showInFolder', { path: file }).catch((e: unknown) => setProblem(errorText(e)));
        }}
        data-test="show-in-folder"
      >
        {t('actions.showInFolder')}
      </button>
      {problem && <span className="error-text"> {problem}</span>}
    </>
  );
}
