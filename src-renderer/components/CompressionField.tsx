/**
 * The export wizards' compression choice. A format whose files are already compressed (formats:list says
 * `compressed`: xlsx is a zip) is saved as it is: the choice gives way to a note, and the wizard sends none.
 */
import { useTranslation } from 'react-i18next';
import { COMPRESSION_CHOICES, RadioField } from './Fields.tsx';
import { useApp } from '../stores/app.ts';
import { isCompressedFormat } from '../stores/exports.ts';
import type { ExportCompression } from '../stores/exports.ts';

export function CompressionField(p: { format: string; value: ExportCompression; onChange: (c: ExportCompression) => void }) {
  const { t } = useTranslation('components');
  const formats = useApp((a) => a.formats);
  if (isCompressedFormat(formats, p.format)) {
    const label = formats.find((f) => f.format === p.format && f.writes.length)?.label ?? p.format;
    return (
      <fieldset className="field radio-field" data-test="compression-built-in">
        <legend>{t('compression.label')}</legend>
        <p className="muted small">{t('compression.builtIn', { label })}</p>
      </fieldset>
    );
  }
  return <RadioField name="compression" label={t('compression.label')} value={p.value} onChange={p.onChange} choices={COMPRESSION_CHOICES} />;
}
