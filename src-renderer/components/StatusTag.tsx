import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';

/** A status (DHIS2's OK/SUCCESS/WARNING/ERROR or a job's) in the chosen language; an unknown one as it is. */
export function statusLabel(t: TFunction<'components'>, status: string): string {
  switch (status) {
    case 'OK':
    case 'SUCCESS':
      return t('status.OK');
    case 'WARNING':
      return t('status.WARNING');
    case 'ERROR':
      return t('status.ERROR');
    case 'done':
      return t('status.done');
    case 'running':
      return t('status.running');
    case 'queued':
      return t('status.queued');
    case 'failed':
      return t('status.failed');
    case 'cancelled':
      return t('status.cancelled');
    case 'interrupted':
      return t('status.interrupted');
    default:
      return status;
  }
}

const TONE: Record<string, string> = {
  OK: 'positive',
  SUCCESS: 'positive',
  done: 'positive',
  WARNING: 'warning',
  ERROR: 'negative',
  failed: 'negative',
  cancelled: 'neutral',
  interrupted: 'warning',
  running: 'info',
  queued: 'neutral',
};

export function StatusTag({ status, testId }: { status: string; testId?: string }) {
  const { t } = useTranslation(['components', 'common']);
  return (
    <span className={`tag tag-${TONE[status] ?? 'neutral'}`} data-test={testId ?? 'status-tag'} data-status={status}>
      {statusLabel(t, status)}
    </span>
  );
}

/**
 * A job whose files did not share one fate: some saved, some refused (each file of a job is all-or-nothing, a job
 * keeps its good files). The job's DHIS2 status stays ERROR in the API; the screens say it in words.
 */
export function PartialTag({ dryRun }: { dryRun: boolean }) {
  const { t } = useTranslation(['components', 'common']);
  return (
    <span className="tag tag-warning" data-test="status-tag" data-status="PARTIAL">
      {dryRun ? t('status.partialDryRun') : t('status.partial')}
    </span>
  );
}

/** From the list's small rows (no summary): a finished import of several files where some were refused and some not. */
export function isPartlyImported(job: { status: string; direction: string; resultStatus: string | null; files: { status: string | null }[] }): boolean {
  if (job.status !== 'done' || job.direction !== 'import' || job.resultStatus !== 'ERROR' || job.files.length < 2) return false;
  const refused = job.files.filter((f) => f.status === 'ERROR').length;
  return refused > 0 && refused < job.files.length;
}

export function DryRunTag() {
  const { t } = useTranslation(['components', 'common']);
  return (
    <span className="tag tag-info" data-test="dry-run-tag">
      {t('common:dryRun')}
    </span>
  );
}
