/** The terminal lines of an undo job's summary. */
import type { UndoCounts, UndoSummary } from '../../src-shared/undo.ts';
import { n, t } from './i18n.ts';

const counts = (what: string, c: UndoCounts): string | null => (c.removed || c.restored ? `  ${what}: ${t('undo.counts', { removed: n(c.removed), restored: n(c.restored) })}` : null);

export function formatUndo(s: UndoSummary): string[] {
  const jobs = s.undone.map((j) => t('undo.job', { id: j.id, kind: j.kind })).join(', ');
  const out = [s.dryRun ? t('undo.wouldUndo', { jobs }) : t('undo.undone', { jobs })];
  const lines = [
    counts(t('undo.dataValues'), s.dataValues),
    counts(t('undo.events'), s.events),
    counts(t('undo.otherProgramData'), s.otherProgramData),
    counts(t('undo.metadataObjects'), s.metadataObjects),
    counts(t('undo.otherRows'), s.otherRows),
  ].filter((l): l is string => l != null);
  out.push(...(lines.length ? lines : [`  ${t('undo.nothing')}`]));
  return out;
}
