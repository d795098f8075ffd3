const PLAIN: Record<string, string> = {
  OK: 'Success',
  SUCCESS: 'Success',
  WARNING: 'Completed with warnings',
  ERROR: 'Error',
  done: 'Completed',
  running: 'In progress',
  queued: 'Waiting',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

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
  return (
    <span className={`tag tag-${TONE[status] ?? 'neutral'}`} data-test={testId ?? 'status-tag'} data-status={status}>
      {PLAIN[status] ?? status}
    </span>
  );
}

/**
 * A job whose files did not share one fate: some saved, some refused (each file of a job is all-or-nothing, a job
 * keeps its good files). The job's DHIS2 status stays ERROR in the API; the screens say it in words.
 */
export function PartialTag({ dryRun }: { dryRun: boolean }) {
  return (
    <span className="tag tag-warning" data-test="status-tag" data-status="PARTIAL">
      {dryRun ? 'Some files would be refused' : 'Partly imported'}
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
  return <span className="tag tag-info" data-test="dry-run-tag">Dry run</span>;
}
