/** The summary of an undo job: which jobs were undone and how many rows were removed and restored. */
import type { UndoCounts, UndoSummary } from '../../src-shared/undo.ts';
import { Notice } from './Notice.tsx';

const line = (what: string, c: UndoCounts): string | null =>
  c.removed || c.restored ? `${what}: ${c.removed.toLocaleString('en')} removed, ${c.restored.toLocaleString('en')} restored` : null;

export function undoLines(s: UndoSummary): string[] {
  return [
    line('Data values', s.dataValues),
    line('Events', s.events),
    line('Other program data', s.otherProgramData),
    line('Metadata objects', s.metadataObjects),
    line('Other rows (references, org unit rows, completions)', s.otherRows),
  ].filter((l): l is string => l != null);
}

export function UndoSummaryView({ summary }: { summary: UndoSummary }) {
  const jobs = summary.undone.map((j) => `job ${j.id} (${j.kind})`).join(', ');
  const lines = undoLines(summary);
  return (
    <Notice kind="success" title={summary.dryRun ? `Would undo ${jobs}` : `Undone: ${jobs}`}>
      <ul data-test="undo-counts">
        {(lines.length ? lines : ['Nothing to restore: the job changed nothing that is still stored.']).map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </Notice>
  );
}
