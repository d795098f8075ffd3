/**
 * Event and tracker data import: tracker JSON / CSV (DHIS2 2.36+) and the old events JSON, XML and CSV (≤ 2.40), plain
 * or compressed, several files in one job. The options carry DHIS2's names (import strategy, atomic mode, validation
 * mode, id schemes, skip first, expiry check, program rules); the summary is DHIS2's tracker import report, or ImportSummaries for old files.
 */
import { CheckboxField, IdSchemeField, RadioField, SelectField, STRATEGY_CHOICES } from '../../components/Fields.tsx';
import { ImportWizard } from '../../components/ImportWizard.tsx';
import { Notice } from '../../components/Notice.tsx';
import { formatChoices, useApp } from '../../stores/app.ts';
import { useEventsImport } from '../../stores/events-import.ts';

const STRATEGIES = STRATEGY_CHOICES.map((c) =>
  c.value === 'CREATE_AND_UPDATE'
    ? { ...c, label: 'Create and update (new objects are created, existing ones updated)' }
    : c.value === 'CREATE'
      ? { ...c, label: 'Create (an object that exists already is an error)' }
      : c.value === 'UPDATE'
        ? { ...c, label: 'Update (an object that does not exist is an error)' }
        : { ...c, label: 'Delete (remove the objects in the files)' },
);

/** the per-class id schemes (each offers "same as ID scheme" and the unique attributes of its class) */
const SCHEME_FIELDS = ['dataElementIdScheme', 'orgUnitIdScheme', 'programIdScheme', 'programStageIdScheme', 'categoryOptionComboIdScheme', 'categoryOptionIdScheme'] as const;

function EventsOptions() {
  const s = useEventsImport();
  const formats = useApp((a) => a.formats);
  const o = s.options;
  const csvPossible = s.format.endsWith('csv') || (s.format === 'auto' && s.files.some((f) => /\.csv(\.gz|\.zip)?$/i.test(f.name)));
  return (
    <div className="options-grid">
      <RadioField
        name="format"
        label="Format"
        value={s.format}
        onChange={s.setFormat}
        choices={[{ value: 'auto', label: 'Detect from each file' }, ...formatChoices(formats, 'events', 'reads')]}
      />
      {csvPossible && (
        <CheckboxField
          name="skipFirst"
          label="CSV: first row is a header (skip first)"
          checked={o.skipFirst}
          onChange={(v) => s.setOption('skipFirst', v)}
          help="Uncheck for a CSV file without header row: its columns are then read in DHIS2's order."
        />
      )}
      <CheckboxField
        name="dryRun"
        label="Dry run"
        checked={o.dryRun}
        onChange={(v) => s.setOption('dryRun', v)}
        help="Import mode VALIDATE: checks the files and shows what would change, without changing anything."
      />
      <CheckboxField
        name="skipExpiryCheck"
        label="Accept completed events past the program's expiry days (as a user allowed to edit expired data)"
        checked={o.skipExpiryCheck}
        onChange={(v) => s.setOption('skipExpiryCheck', v)}
        help="Off: checked as DHIS2 checks an ordinary user (E1043). Events in an expired period (E1047) are refused for every user, as in DHIS2."
      />
      <SelectField name="importStrategy" label="Import strategy" value={o.importStrategy} onChange={(v) => s.setOption('importStrategy', v)} choices={STRATEGIES} />
      {o.importStrategy === 'DELETE' && <Notice kind="warning">Delete removes the events, enrollments and tracked entities listed in the files (with what belongs to them).</Notice>}
      <RadioField
        name="atomicMode"
        label="Atomic mode"
        value={o.atomicMode}
        onChange={(v) => s.setOption('atomicMode', v)}
        choices={[
          { value: '', label: 'As DHIS2 does for the file (tracker files: all or nothing; old events files: each event on its own)' },
          { value: 'ALL', label: 'All or nothing (ALL): one error and nothing is imported' },
          { value: 'OBJECT', label: 'Import the valid objects (OBJECT)' },
        ]}
      />
      <details className="advanced">
        <summary>Advanced options</summary>
        <div className="options-grid">
          <SelectField
            name="validationMode"
            label="Validation mode"
            value={o.validationMode}
            onChange={(v) => s.setOption('validationMode', v)}
            choices={[
              { value: 'FULL', label: 'Full: every check, every error reported' },
              { value: 'FAIL_FAST', label: 'Fail fast: stop at the first error' },
              { value: 'SKIP', label: 'Skip: only the checks needed to store the objects' },
            ]}
          />
          <CheckboxField
            name="skipRuleEngine"
            label="Skip program rules (skipRuleEngine)"
            checked={o.skipRuleEngine}
            onChange={(v) => s.setOption('skipRuleEngine', v)}
            help="The programs' rules are not run: no errors or warnings from them, no values they assign."
          />
          <IdSchemeField option="idScheme" of="events" value={o.idScheme} onChange={(v) => s.setOption('idScheme', v)} />
          {SCHEME_FIELDS.map((f) => (
            <IdSchemeField key={f} option={f} sameAs value={o[f]} onChange={(v) => s.setOption(f, v)} />
          ))}
        </div>
      </details>
    </div>
  );
}

export function EventsImportScreen() {
  return (
    <ImportWizard
      title="Event import"
      useStore={useEventsImport}
      intro={
        <p>
          Event and tracker files exported from DHIS2 or Ferry: tracker JSON or CSV (DHIS2 2.36 and later: events, tracked entities with their
          enrollments) and the event files of DHIS2 2.40 and older (events JSON, XML or CSV), plain or compressed (.zip, .gz).
        </p>
      }
      options={<EventsOptions />}
    />
  );
}
