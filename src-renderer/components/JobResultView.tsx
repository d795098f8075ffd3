/** The outcome of any job (wizards and job overview): the error in plain words, or the right summary view. */
import { useTranslation } from 'react-i18next';
import type { JobRecord } from '../../src-shared/api/contract.ts';
import type { ImportReport, ImportSummary } from '../../src-shared/dhis2/import-summary.ts';
import type { ExportSummary } from '../../src-shared/api/contract.ts';
import { errorText } from '../api.ts';
import { ExportResultView } from './ExportResultView.tsx';
import { ImportReportView } from './ImportReportView.tsx';
import { DataImportSummaryView } from './ImportSummaryView.tsx';
import { Notice } from './Notice.tsx';
import { EventSummariesView, TrackerReportView } from './TrackerReportView.tsx';
import { UndoSummaryView } from './UndoSummaryView.tsx';
import { ReceiveSummaryView } from '../screens/receive/ReceiveSummaryView.tsx';

export function JobResultView({ record }: { record: JobRecord }) {
  const { t } = useTranslation('components');
  if (record.status === 'cancelled') {
    return (
      <Notice kind="warning" title={t('status.cancelled')}>
        {record.direction === 'import' ? t('result.cancelledImport') : t('result.cancelledExport')}
      </Notice>
    );
  }
  if (record.status === 'interrupted') {
    return (
      <Notice kind="warning" title={t('status.interrupted')}>
        {t('result.interrupted')}
      </Notice>
    );
  }
  if (record.status === 'failed' || (!record.summary && record.error)) {
    return (
      <Notice kind="error" title={record.direction === 'import' ? t('result.importFailed') : t('result.exportFailed')}>
        <span data-test="job-error">{record.error ? errorText(record.error) : t('result.unknownError')}</span>
      </Notice>
    );
  }
  const s = record.summary;
  if (!s) return <Notice kind="info">{t('result.noSummary')}</Notice>;
  if (s.responseType === 'TrackerImportReport') return <TrackerReportView report={s} dryRun={record.dryRun} />;
  if (s.responseType === 'UndoSummary') return <UndoSummaryView summary={s} />;
  if (s.responseType === 'TransferReceive') return <ReceiveSummaryView summary={s} />;
  if (s.responseType === 'ImportSummaries') return <EventSummariesView summaries={s} dryRun={record.dryRun} />;
  if (s.responseType === 'ImportReport') return <ImportReportView report={s as ImportReport} dryRun={record.dryRun} />;
  if (s.responseType === 'ImportSummary') return (
      <DataImportSummaryView summary={s as ImportSummary} dryRun={record.dryRun} files={record.files} csvHeader={record.options.firstRowIsHeader !== false} />
    );
  return <ExportResultView summary={s as ExportSummary} />;
}
