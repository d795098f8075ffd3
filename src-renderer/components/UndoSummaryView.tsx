/** The summary of an undo job: which jobs were undone and how many rows were removed and restored. */
import { useTranslation } from 'react-i18next';
import type { UndoCounts, UndoSummary } from '../../src-shared/undo.ts';
import { i18n } from '../i18n.ts';
import { Notice } from './Notice.tsx';

const line = (what: string, c: UndoCounts): string | null =>
  c.removed || c.restored
    ? i18n.t('components:undo.line', { what, removed: i18n.t('components:undo.removed', { count: c.removed }), restored: i18n.t('components:undo.restored', { count: c.restored }) })
    : null;

/** What an undo removed and restored, one line per kind of row, in the chosen language. */
export function undoLines(s: UndoSummary): string[] {
  const t = i18n.t;
  return [
    line(t('components:undo.dataValues'), s.dataValues),
    line(t('components:undo.events'), s.events),
    line(t('components:undo.otherProgramData'), s.otherProgramData),
    line(t('components:undo.metadataObjects'), s.metadataObjects),
    line(t('components:undo.otherRows'), s.otherRows),
  ].filter((l): l is string => l != null);
}

export function UndoSummaryView({ summary }: { summary: UndoSummary }) {
  const { t } = useTranslation('components');
  const jobs = summary.undone.map((j) => t('undo.job', { id: j.id, kind: j.kind })).join(', ');
  const lines = undoLines(summary);
  return (
    <Notice kind="success" title={summary.dryRun ? t('undo.wouldUndo', { jobs }) : t('undo.undone', { jobs })}>
      <ul data-test="undo-counts">
        {(lines.length ? lines : [t('undo.nothing')]).map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
    </Notice>
  );
}
