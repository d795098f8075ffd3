/**
 * Export to DHIS 1.4 (manual "Export data to other systems"): metadata (everything 1.4 holds), detailed metadata (the
 * data elements and indicators picked) or data (org units, data sets or data elements, a period range) as the zip
 * DHIS 1.4 imports (MetaData.xml + RoutineData.txt). Then the save dialog, progress and the result with what 1.4
 * could not hold.
 */
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import { DateField, RadioField } from '../../components/Fields.tsx';
import { ExportRun } from '../../components/ExportRun.tsx';
import { MetadataPicker } from '../../components/MetadataPicker.tsx';
import { OrgUnitSelection } from '../../components/OrgUnitSelection.tsx';
import { Steps } from '../../components/Steps.tsx';
import type { ExportWizardState } from '../../stores/exports.ts';
import {
  useDhis14DataExport,
  useDhis14DetailedExport,
  useDhis14ExportChoice,
  useDhis14MetadataExport,
  type Dhis14ExportWhat,
} from '../../stores/dhis14-export.ts';

const WHAT: { value: Dhis14ExportWhat; label: string }[] = [
  { value: 'data', label: 'Data' },
  { value: 'metadata', label: 'Metadata' },
  { value: 'detailed', label: 'Detailed metadata' },
];

export function Dhis14ExportScreen() {
  const what = useDhis14ExportChoice((c) => c.what);
  const choose = useDhis14ExportChoice((c) => c.choose);
  const meta = useDhis14MetadataExport();
  const detailed = useDhis14DetailedExport();
  const data = useDhis14DataExport();
  const s: ExportWizardState<object> = what === 'data' ? data : what === 'detailed' ? detailed : meta;
  return (
    <div className="screen" data-test="wizard-export-dhis14">
      <h1>Export to DHIS 1.4</h1>
      <Steps steps={['Options', 'Export', 'Result']} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <p className="intro">
            Writes the zip DHIS 1.4 imports (its XML export format: MetaData.xml and RoutineData.txt, ISO-8859-1). DHIS 1.4 has no disaggregation
            and fewer period types: values it cannot hold are left out, and the result says how many.
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            <RadioField<Dhis14ExportWhat> name="what" label="What to export" value={what} onChange={choose} choices={WHAT} />
            {what === 'metadata' && (
              <p className="help" data-test="dhis14-metadata-help">
                Everything DHIS 1.4 holds: data elements, indicators and indicator types, data element and indicator groups, data sets, organisation units
                with their hierarchy, organisation unit groups and group sets, and the periods.
              </p>
            )}
            {what === 'detailed' && <DetailedOptions />}
            {what === 'data' && <DataOptions />}
            <ExportActionBar label="Export…" formError={s.formError} suggestedName={s.defaultName()} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}

function DetailedOptions() {
  const s = useDhis14DetailedExport();
  const o = s.options;
  return (
    <div className="two-col">
      <fieldset className="field">
        <legend>Data elements</legend>
        <MetadataPicker type="dataElements" label="Data elements" multiple selected={o.dataElements.map((d) => d.id)} selectedItems={o.dataElements} onChange={(items) => s.setOption('dataElements', items)} />
      </fieldset>
      <fieldset className="field">
        <legend>Indicators</legend>
        <p className="help">Their indicator types and the data elements their formulas use come along.</p>
        <MetadataPicker type="indicators" label="Indicators" multiple selected={o.indicators.map((d) => d.id)} selectedItems={o.indicators} onChange={(items) => s.setOption('indicators', items)} />
      </fieldset>
    </div>
  );
}

function DataOptions() {
  const s = useDhis14DataExport();
  const o = s.options;
  return (
    <>
      <div className="two-col">
        <OrgUnitSelection value={o.orgUnits} onChange={(v) => s.setOption('orgUnits', v)} />
        <div>
          <fieldset className="field">
            <legend>Data sets (optional)</legend>
            <MetadataPicker type="dataSets" label="Data sets" multiple selected={o.dataSets.map((d) => d.id)} selectedItems={o.dataSets} onChange={(items) => s.setOption('dataSets', items)} />
          </fieldset>
          <fieldset className="field">
            <legend>Data elements (optional)</legend>
            <p className="help">With neither data sets nor data elements, every data element&apos;s values are exported.</p>
            <MetadataPicker
              type="dataElements"
              label="Data elements"
              multiple
              selected={o.dataElements.map((d) => d.id)}
              selectedItems={o.dataElements}
              onChange={(items) => s.setOption('dataElements', items)}
            />
          </fieldset>
        </div>
      </div>
      <div className="options-grid">
        <div className="row">
          <DateField name="startDate" label="Start date" value={o.startDate} onChange={(v) => s.setOption('startDate', v)} />
          <DateField name="endDate" label="End date" value={o.endDate} onChange={(v) => s.setOption('endDate', v)} />
        </div>
        <DateField
          name="lastUpdated"
          label="Changed since"
          value={o.lastUpdated}
          onChange={(v) => s.setOption('lastUpdated', v)}
          help="Only values added or changed on or after this day. Leave empty for all."
        />
      </div>
    </>
  );
}
