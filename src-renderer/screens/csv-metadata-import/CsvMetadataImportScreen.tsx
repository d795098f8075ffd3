/**
 * CSV metadata import: one CSV file of one DHIS2 class key (data elements, org units, option sets …). The options step
 * shows the file's first rows read into the class key's named columns, as the import will read them, before anything
 * is imported; membership files carry the warning that they replace member lists.
 */
import { useEffect } from 'react';
import { CSV_CLASSES, CSV_CLASS_KEYS, membershipWarning, type CsvClassKey } from '../../../src-shared/dhis2/csv-metadata.ts';
import { AtomicModeField, CheckboxField, IdentifierField, SelectField, STRATEGY_CHOICES } from '../../components/Fields.tsx';
import { ImportWizard } from '../../components/ImportWizard.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useCsvMetadataImport, useCsvMetadataPreview } from '../../stores/csv-metadata.ts';

/** The class keys as picker choices, in words (DHIS2's key beside them for those who know it). */
export const CLASS_KEY_CHOICES: { value: CsvClassKey | ''; label: string }[] = [
  { value: '', label: 'Choose what the file holds…' },
  ...[...CSV_CLASS_KEYS].sort((a, b) => CSV_CLASSES[a].label.localeCompare(CSV_CLASSES[b].label)).map((k) => ({ value: k, label: `${CSV_CLASSES[k].label} (${k})` })),
];

function Preview() {
  const s = useCsvMetadataImport();
  const p = useCsvMetadataPreview();
  const file = s.files[0]?.path;
  const { classKey, firstRowIsHeader } = s.options;
  // read afresh each time the options step opens (the file may have changed since)
  const clear = p.clear;
  useEffect(() => clear, [clear]);
  useEffect(() => {
    if (file && classKey) void p.load(file, classKey, firstRowIsHeader);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [file, classKey, firstRowIsHeader]);
  if (!classKey) return <p className="muted">Choose what the file holds to see its first rows as they will be imported.</p>;
  if (p.error) return <Notice kind="error" title="The file cannot be read as CSV metadata">{p.error}</Notice>;
  const preview = p.preview;
  if (!preview || preview.classKey !== classKey) return <p className="muted">Reading the first rows…</p>;
  const extra = Math.max(0, ...preview.rows.map((r) => r.extra));
  return (
    <div className="field" data-test="csv-preview">
      <h3>First rows, as they will be imported</h3>
      {preview.header && (
        <p className="muted small" data-test="csv-preview-header">
          First row skipped as a header: {preview.header.join(', ')}
        </p>
      )}
      {preview.rows.length === 0 ? (
        <p className="muted">The file has no rows to import{preview.header ? ' after its header' : ''}.</p>
      ) : (
        <div className="table-scroll">
          <table className="table compact">
            <thead>
              <tr>
                <th>Line</th>
                {preview.columns.map((c) => (
                  <th key={c.key} title={c.key} data-column={c.key}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) => (
                <tr key={r.line} data-line={r.line}>
                  <td className="num">{r.line}</td>
                  {r.cells.map((v, i) => (
                    <td key={i} className={preview.columns[i]?.ignored ? 'muted' : undefined}>
                      {v === null ? <span className="muted">—</span> : v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">
        {preview.more ? `Showing the first ${preview.rows.length} rows. ` : ''}Blank cells show the value DHIS2 gives them (— for none); long values are
        cut to DHIS2&apos;s limits. Columns are read by position, not by their names in the file.
        {extra > 0 ? ` ${extra} column${extra === 1 ? '' : 's'} past the last one ${extra === 1 ? 'is' : 'are'} ignored.` : ''}
      </p>
    </div>
  );
}

function CsvMetadataOptions() {
  const s = useCsvMetadataImport();
  const o = s.options;
  const warning = o.classKey ? membershipWarning(o.classKey) : null;
  return (
    <>
      <div className="options-grid">
        <SelectField name="classKey" label="What the file holds (class key)" value={o.classKey} onChange={(v) => s.setOption('classKey', v)} choices={CLASS_KEY_CHOICES} />
        <CheckboxField
          name="firstRowIsHeader"
          label="The first row is a header"
          checked={o.firstRowIsHeader}
          onChange={(v) => s.setOption('firstRowIsHeader', v)}
          help="Skips the first row, as DHIS2 does by default. Untick it when the file starts with an object."
        />
      </div>
      {warning && (
        <Notice kind="warning" title="This import replaces member lists">
          <span data-test="membership-warning">{warning}</span>
        </Notice>
      )}
      <Preview />
      <div className="options-grid">
        <CheckboxField
          name="dryRun"
          label="Dry run"
          checked={o.dryRun}
          onChange={(v) => s.setOption('dryRun', v)}
          help="Checks the file and shows what would change, without changing anything. Recommended before every import."
        />
        <SelectField name="importStrategy" label="Strategy" value={o.importStrategy} onChange={(v) => s.setOption('importStrategy', v)} choices={STRATEGY_CHOICES} />
        <AtomicModeField value={o.atomicMode} onChange={(v) => s.setOption('atomicMode', v)} />
        <IdentifierField value={o.identifier} onChange={(v) => s.setOption('identifier', v)} />
      </div>
    </>
  );
}

export function CsvMetadataImportScreen() {
  return (
    <ImportWizard
      title="CSV metadata import"
      useStore={useCsvMetadataImport}
      intro={
        <p>
          A CSV file of one kind of object (data elements, organisation units, option sets …) in DHIS2&apos;s column order, plain or compressed
          (.zip, .gz). You choose the kind in the next step and see the first rows before importing.
        </p>
      }
      options={<CsvMetadataOptions />}
      importBlocked={(st) =>
        st.options.atomicMode === 'ALL'
          ? 'With Atomic mode "All", nothing is imported while the file has errors. Fix the file, or choose Atomic mode "None" to import the objects without errors.'
          : null
      }
    />
  );
}
