/**
 * CSV metadata export: the stored objects of one DHIS2 class key as DHIS2's CSV metadata (the file the CSV metadata
 * import, Ferry's or DHIS2's, reads back into the same objects).
 */
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import { CSV_CLASSES, membershipWarning } from '../../../src-shared/dhis2/csv-metadata.ts';
import { SelectField } from '../../components/Fields.tsx';
import { ExportRun } from '../../components/ExportRun.tsx';
import { fmtNumber } from '../../components/format.ts';
import { Notice } from '../../components/Notice.tsx';
import { Steps } from '../../components/Steps.tsx';
import { useApp } from '../../stores/app.ts';
import { useCsvMetadataExport } from '../../stores/csv-metadata.ts';
import { CLASS_KEY_CHOICES } from './CsvMetadataImportScreen.tsx';

export function CsvMetadataExportScreen() {
  const s = useCsvMetadataExport();
  const counts = useApp((a) => a.dbInfo?.metadata ?? {});
  const k = s.options.classKey;
  const spec = k ? CSV_CLASSES[k] : null;
  const stored = spec ? (counts[spec.type] ?? 0) : 0;
  return (
    <div className="screen" data-test="wizard-export-csv-metadata">
      <h1>CSV metadata export</h1>
      <Steps steps={['Options', 'Export', 'Result']} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <p className="intro">One kind of object as a CSV file in DHIS2&apos;s column order, with a header row: to edit in a spreadsheet and import again.</p>
            <div className="options-grid">
              <SelectField name="classKey" label="What to export (class key)" value={k} onChange={(v) => s.setOption('classKey', v)} choices={CLASS_KEY_CHOICES} />
            </div>
            {spec && (
              <p className="muted" data-test="csv-export-count">
                {fmtNumber(stored)} {spec.label.replace(/ \(.*\)$/, '').toLowerCase()} in this database
                {spec.membership ? ` (one row per member of each group)` : k === 'OPTION_SET' || k === 'OPTION_GROUP' ? ' (one row per option)' : ''}. Columns:{' '}
                {spec.columns.map((c) => c.key).join(', ')}.
              </p>
            )}
            {k && membershipWarning(k) && <Notice kind="info">Importing this file again replaces the member lists of the groups in it.</Notice>}
            <ExportActionBar label="Export…" formError={s.formError} suggestedName={s.defaultName()} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}
