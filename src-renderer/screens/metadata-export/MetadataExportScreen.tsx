/** Metadata export: object types (with counts in this database), format, compression, skip sharing. */
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import { useEffect } from 'react';
import { CheckboxField, RadioField } from '../../components/Fields.tsx';
import { CompressionField } from '../../components/CompressionField.tsx';
import { ExportRun } from '../../components/ExportRun.tsx';
import { fmtNumber, typeLabel } from '../../components/format.ts';
import { Steps } from '../../components/Steps.tsx';
import { formatChoices, useApp } from '../../stores/app.ts';
import { useMetadataExport, type ExportFormat } from '../../stores/exports.ts';

export function MetadataExportScreen() {
  const s = useMetadataExport();
  const formats = useApp((a) => a.formats);
  const counts = useApp((a) => a.dbInfo?.metadata ?? {});
  const types = Object.keys(counts).sort((a, b) => typeLabel(a).localeCompare(typeLabel(b)));
  // everything is chosen by default, as in DHIS2's app (once the counts are known)
  useEffect(() => {
    if (s.step === 'edit' && s.options.types.length === 0 && types.length > 0 && !s.formError) s.setOption('types', types);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [types.length]);
  const chosen = new Set(s.options.types);
  const toggle = (t: string, on: boolean): void => s.setOption('types', on ? [...s.options.types, t] : s.options.types.filter((x) => x !== t));
  const total = s.options.types.reduce((n, t) => n + (counts[t] ?? 0), 0);
  return (
    <div className="screen" data-test="wizard-export-metadata">
      <h1>Metadata export</h1>
      <Steps steps={['Options', 'Export', 'Result']} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <fieldset className="field">
              <legend>Object types</legend>
              <div className="button-row left">
                <button type="button" className="button small" onClick={() => s.setOption('types', types)} data-test="select-all">
                  Select all
                </button>
                <button type="button" className="button small" onClick={() => s.setOption('types', [])} data-test="select-none">
                  Select none
                </button>
                <span className="muted small">
                  {s.options.types.length} of {types.length} types, {fmtNumber(total)} objects
                </span>
              </div>
              {types.length === 0 ? (
                <p className="muted">This database holds no metadata yet.</p>
              ) : (
                <div className="type-grid">
                  {types.map((t) => (
                    <label key={t} className="checkbox">
                      <input type="checkbox" checked={chosen.has(t)} onChange={(e) => toggle(t, e.target.checked)} data-type={t} />
                      {typeLabel(t)} <span className="muted small">({fmtNumber(counts[t])})</span>
                    </label>
                  ))}
                </div>
              )}
            </fieldset>
            <div className="options-grid">
              <RadioField<ExportFormat>
                name="format"
                label="Format"
                value={s.format}
                onChange={s.setFormat}
                choices={formatChoices(formats, 'metadata', 'writes')}
              />
              <CompressionField format={s.format} value={s.compression} onChange={s.setCompression} />
              <CheckboxField
                name="skipSharing"
                label="Skip sharing"
                checked={s.options.skipSharing}
                onChange={(v) => s.setOption('skipSharing', v)}
                help="Leaves out users, user groups and sharing settings."
              />
            </div>
            <ExportActionBar label="Export…" formError={s.formError} suggestedName={s.defaultName()} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}
