/** The terminal lines of an undo job's summary. */
import type { UndoCounts, UndoSummary } from '../../src-shared/undo.ts';

const counts = (what: string, c: UndoCounts): string | null => (c.removed || c.restored ? `  ${what}: ${c.removed} removed, ${c.restored} restored` : null);

export function formatUndo(s: UndoSummary): string[] {
  const jobs = s.undone.map((j) => `job ${j.id} (${j.kind})`).join(', ');
  const out = [`${s.dryRun ? 'Would undo' : 'Undone'}: ${jobs}${s.dryRun ? ' (dry run: nothing was changed)' : ''}`];
  const lines = [
    counts('data values', s.dataValues),
    counts('events', s.events),
    counts('other program data rows', s.otherProgramData),
    counts('metadata objects', s.metadataObjects),
    counts('other rows (references, org unit rows, completions)', s.otherRows),
  ].filter((l): l is string => l != null);
  out.push(...(lines.length ? lines : ['  nothing to restore (the job changed nothing that is still stored)']));
  return out;
}
