/** Metadata import: one DXF2 JSON or XML file (plain, .zip or .gz). */
import { AtomicModeField, CheckboxField, IdentifierField, RadioField, SelectField, STRATEGY_CHOICES } from '../../components/Fields.tsx';
import { ImportWizard } from '../../components/ImportWizard.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useMetadataImport } from '../../stores/imports.ts';
import { formatChoices, useApp } from '../../stores/app.ts';

function MetadataOptions() {
  const s = useMetadataImport();
  const formats = useApp((a) => a.formats);
  const o = s.options;
  return (
    <div className="options-grid">
      <RadioField
        name="format"
        label="Format"
        value={s.format}
        onChange={s.setFormat}
        choices={[{ value: 'auto', label: 'Detect from the file' }, ...formatChoices(formats, 'metadata', 'reads')]}
      />
      <CheckboxField
        name="dryRun"
        label="Dry run"
        checked={o.dryRun}
        onChange={(v) => s.setOption('dryRun', v)}
        help="Checks the file and shows what would change, without changing anything. Recommended before every import."
      />
      <SelectField name="importStrategy" label="Strategy" value={o.importStrategy} onChange={(v) => s.setOption('importStrategy', v)} choices={STRATEGY_CHOICES} />
      {o.importStrategy === 'DELETE' && (
        <Notice kind="warning">Delete removes the objects listed in the file from this database. Run a dry run first.</Notice>
      )}
      <AtomicModeField value={o.atomicMode} onChange={(v) => s.setOption('atomicMode', v)} />
      <IdentifierField value={o.identifier} onChange={(v) => s.setOption('identifier', v)} />
      <CheckboxField
        name="skipValidation"
        label="Skip validation"
        checked={o.skipValidation}
        onChange={(v) => s.setOption('skipValidation', v)}
        help="Imports objects even when they refer to objects that are missing. The summary lists every missing reference so you can fix them later."
      />
    </div>
  );
}

export function MetadataImportScreen() {
  return (
    <ImportWizard
      title="Metadata import"
      useStore={useMetadataImport}
      intro={<p>A metadata file exported from DHIS2 or Ferry: JSON or XML, plain or compressed (.zip, .gz).</p>}
      options={<MetadataOptions />}
      importBlocked={(s) =>
        s.options.atomicMode === 'ALL'
          ? 'With Atomic mode "All", nothing is imported while the file has errors. Fix the file, or change the options (Atomic mode "None" imports the objects without errors; Skip validation keeps objects whose references are missing).'
          : null
      }
    />
  );
}
