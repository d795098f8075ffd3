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

export function DryRunTag() {
  return <span className="tag tag-info" data-test="dry-run-tag">Dry run</span>;
}
