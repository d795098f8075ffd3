/** Data import: one or several data value files (JSON, XML, CSV, ADX; plain, .zip or .gz) in one job. */
import { CheckboxField, ID_SCHEME_CHOICES, RadioField, SelectField, STRATEGY_CHOICES, type Choice } from '../../components/Fields.tsx';
import { ImportWizard } from '../../components/ImportWizard.tsx';
import { Notice } from '../../components/Notice.tsx';
import { useDataImport, type DataImportOptions, type IdSchemeChoice, type ImportWizardState } from '../../stores/imports.ts';
import type { ImportSummary } from '../../../src-shared/dhis2/import-summary.ts';
import { formatChoices, useApp } from '../../stores/app.ts';

const SPECIFIC_SCHEME: Choice<IdSchemeChoice | ''>[] = [{ value: '', label: 'Same as ID scheme' }, ...ID_SCHEME_CHOICES];

const DATA_STRATEGIES = STRATEGY_CHOICES.map((c) =>
  c.value === 'CREATE_AND_UPDATE'
    ? { ...c, label: 'New and updates (import new values and update existing)' }
    : c.value === 'CREATE'
      ? { ...c, label: 'New only (import new values only)' }
      : c.value === 'UPDATE'
        ? { ...c, label: 'Updates only (only update existing values)' }
        : { ...c, label: 'Delete (remove the values in the files)' },
);

const OVERLAP_CHOICES: Choice<DataImportOptions['overlap']>[] = [
  { value: 'stop', label: 'Stop and show me the files (nothing is imported until I choose)' },
  { value: 'first', label: 'Keep the values of the first file in the list' },
  { value: 'newer', label: 'Keep the values of the newer file (the one changed most recently)' },
  { value: 'last', label: 'Keep the values of the last file in the list' },
];

/** several files, or an archive that may hold several: files can carry the same values */
const severalFiles = (files: { name: string }[]): boolean => files.length > 1 || files.some((f) => /\.zip$/i.test(f.name));

function dataSummary(st: ImportWizardState<DataImportOptions>): ImportSummary | null {
  const sum = st.run.record?.summary;
  return sum && sum.responseType === 'ImportSummary' ? (sum as ImportSummary) : null;
}

/** After a dry run that found files with different values for the same keys: the district decides here. */
function OverlapChoice() {
  const s = useDataImport();
  const o = dataSummary(s)?.overlaps;
  if (!s.lastDryRun || !o || o.differing === 0) return null;
  return (
    <Notice kind="warning" title="Some files carry the same values">
      <div data-test="overlap-choice">
        <p>
          {o.keys === 1 ? 'One value is' : `${o.keys.toLocaleString('en')} values are`} in more than one file
          {o.differing ? `, ${o.differing.toLocaleString('en')} of them with different numbers` : ''} (see “Files with the same values” below). Which file’s values should be kept?
        </p>
        <RadioField name="overlap-after" label="When files carry the same values" value={s.options.overlap} onChange={(v) => s.setOption('overlap', v)} choices={OVERLAP_CHOICES} />
      </div>
    </Notice>
  );
}

function DataOptions() {
  const s = useDataImport();
  const formats = useApp((a) => a.formats);
  const o = s.options;
  const csvPossible = s.format === 'csv' || (s.format === 'auto' && s.files.some((f) => /\.csv(\.gz|\.zip)?$/i.test(f.name)));
  return (
    <div className="options-grid">
      <RadioField
        name="format"
        label="Format"
        value={s.format}
        onChange={s.setFormat}
        choices={[{ value: 'auto', label: 'Detect from each file' }, ...formatChoices(formats, 'data', 'reads')]}
      />
      {csvPossible && (
        <SelectField
          name="firstRowIsHeader"
          label="CSV: first row"
          value={o.firstRowIsHeader}
          onChange={(v) => s.setOption('firstRowIsHeader', v)}
          choices={[
            { value: 'detect', label: 'Detect: a header is recognised by its column names' },
            { value: 'header', label: 'Is a header (skip it)' },
            { value: 'data', label: 'Is data (import it)' },
          ]}
        />
      )}
      <CheckboxField
        name="dryRun"
        label="Dry run"
        checked={o.dryRun}
        onChange={(v) => s.setOption('dryRun', v)}
        help="Checks the files and shows what would change, without changing anything."
      />
      {severalFiles(s.files) && (
        <RadioField
          name="overlap"
          label="When files carry the same values"
          value={o.overlap}
          onChange={(v) => s.setOption('overlap', v)}
          choices={OVERLAP_CHOICES}
          help="The same data element, period, org unit and combos in two files. Nothing is overwritten silently by the order of the list."
        />
      )}
      <SelectField name="importStrategy" label="Strategy" value={o.importStrategy} onChange={(v) => s.setOption('importStrategy', v)} choices={DATA_STRATEGIES} />
      {o.importStrategy === 'DELETE' && <Notice kind="warning">Delete removes the data values listed in the files from this database.</Notice>}
      <details className="advanced">
        <summary>Advanced options</summary>
        <div className="options-grid">
          <SelectField name="idScheme" label="ID scheme" value={o.idScheme} onChange={(v) => s.setOption('idScheme', v)} choices={ID_SCHEME_CHOICES} />
          <SelectField
            name="dataElementIdScheme"
            label="Data element ID scheme"
            value={o.dataElementIdScheme}
            onChange={(v) => s.setOption('dataElementIdScheme', v)}
            choices={SPECIFIC_SCHEME}
          />
          <SelectField
            name="orgUnitIdScheme"
            label="Org unit ID scheme"
            value={o.orgUnitIdScheme}
            onChange={(v) => s.setOption('orgUnitIdScheme', v)}
            choices={SPECIFIC_SCHEME}
          />
          <SelectField
            name="categoryOptionComboIdScheme"
            label="Category option combo ID scheme"
            value={o.categoryOptionComboIdScheme}
            onChange={(v) => s.setOption('categoryOptionComboIdScheme', v)}
            choices={SPECIFIC_SCHEME}
          />
          <CheckboxField
            name="skipExistingCheck"
            label="Skip check for existing values"
            checked={o.skipExistingCheck}
            onChange={(v) => s.setOption('skipExistingCheck', v)}
            help="Faster for a first load into an empty database; values already present are not updated."
          />
          <CheckboxField
            name="force"
            label="Import into expired and closed periods (force)"
            checked={o.force}
            onChange={(v) => s.setOption('force', v)}
            help="DHIS2's superuser switch: values past a data set's expiry days, after its open future periods or outside its data input periods are imported instead of refused (E7640, E7641, E7643, E7644)."
          />
          <fieldset className="field">
            <legend>Strict checks</legend>
            <CheckboxField label="Periods must match the data set's period type" checked={o.strictPeriods} onChange={(v) => s.setOption('strictPeriods', v)} />
            <CheckboxField label="Data elements must belong to the data set" checked={o.strictDataElements} onChange={(v) => s.setOption('strictDataElements', v)} />
            <CheckboxField
              label="Category option combos must belong to the data element"
              checked={o.strictCategoryOptionCombos}
              onChange={(v) => s.setOption('strictCategoryOptionCombos', v)}
            />
            <CheckboxField
              label="Attribute option combos must belong to the data set"
              checked={o.strictAttributeOptionCombos}
              onChange={(v) => s.setOption('strictAttributeOptionCombos', v)}
            />
            <CheckboxField
              label="Org units must be assigned to the data set"
              checked={o.strictOrganisationUnits}
              onChange={(v) => s.setOption('strictOrganisationUnits', v)}
            />
            <CheckboxField
              label="Require a category option combo on every value"
              checked={o.requireCategoryOptionCombo}
              onChange={(v) => s.setOption('requireCategoryOptionCombo', v)}
            />
            <CheckboxField
              label="Require an attribute option combo on every value"
              checked={o.requireAttributeOptionCombo}
              onChange={(v) => s.setOption('requireAttributeOptionCombo', v)}
            />
          </fieldset>
        </div>
      </details>
    </div>
  );
}

export function DataImportScreen() {
  return (
    <ImportWizard
      title="Data import"
      useStore={useDataImport}
      intro={
        <p>
          Data value files exported from DHIS2 or Ferry: JSON, XML, CSV or ADX, plain or compressed (.zip, .gz), and filled PDF data entry forms. Several files are imported together in one job, with one summary per file.
        </p>
      }
      options={<DataOptions />}
      resultExtra={() => <OverlapChoice />}
      importBlocked={(st) => {
        const sum = dataSummary(st);
        if (!sum) return null;
        const c = sum.importCount;
        // "Import anyway" only when something can be imported
        return c.imported + c.updated + c.deleted === 0
          ? 'Nothing in the files can be imported: the summary says why for each file. Correct the files and run the dry run again.'
          : null;
      }}
      importHeld={(st) => {
        const o = dataSummary(st)?.overlaps;
        return o && o.differing > 0 && st.options.overlap === 'stop'
          ? 'Choose above which file’s values to keep, then import.'
          : null;
      }}
    />
  );
}
