import { useTranslation } from 'react-i18next';
import { Notice } from './Notice.tsx';

/**
 * The export wizards' action bar: the form's refusal, the submit button and the suggested file name, in the bar that
 * stays at the bottom of the window while the options scroll (styles.css .action-bar; left out of print).
 */
export function ExportActionBar({ label, formError, suggestedName }: { label: string; formError: string | null | undefined; suggestedName?: string }) {
  const { t } = useTranslation('components');
  return (
    <div className="action-bar" data-test="action-bar">
      {formError && <Notice kind="error">{formError}</Notice>}
      <div className="button-row">
        <button type="submit" className="button primary" data-test="start">
          {label}
        </button>
      </div>
      {suggestedName !== undefined && <p className="muted small">{t('exportBar.suggested', { name: suggestedName })}</p>}
    </div>
  );
}
