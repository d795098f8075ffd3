/**
 * Event export (DHIS2's Event export page, spec §9.1) and tracked entity export: one org unit with its inclusion,
 * program and stage (or all), start and end date, id scheme UID or CODE, include deleted, changed since; format —
 * tracker JSON/CSV or, for servers on 2.40 and older, the old events JSON/XML/CSV — and compression.
 */
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import type { ReactNode } from 'react';
import { CheckboxField, DateField, IdSchemeField, RadioField, type Choice } from '../../components/Fields.tsx';
import { CompressionField } from '../../components/CompressionField.tsx';
import { ExportRun } from '../../components/ExportRun.tsx';
import { MetadataPicker } from '../../components/MetadataPicker.tsx';
import { OrgUnitTree } from '../../components/OrgUnitTree.tsx';
import { Steps } from '../../components/Steps.tsx';
import type { ExportFormat, ExportWizardState, OrgUnitMode } from '../../stores/exports.ts';
import { useEventsExport, useTrackedEntitiesExport, type Picked } from '../../stores/events-export.ts';
import { formatChoices, useApp } from '../../stores/app.ts';

const MODES: Choice<OrgUnitMode>[] = [
  { value: 'SELECTED', label: 'Selected organisation unit' },
  { value: 'CHILDREN', label: 'Include children of organisation unit' },
  { value: 'DESCENDANTS', label: 'Include descendants of organisation unit' },
];
/** DHIS2's event export offers UID and Code (and the unique attributes) */
const EVENT_SCHEMES = ['UID', 'CODE'] as const;

/** One picked object (or none) with a button to clear it. */
function PickOne(p: { type: string; label: string; value: Picked | null; onChange: (v: Picked | null) => void; hint: string; linkedTo?: string }) {
  return (
    <fieldset className="field">
      <legend>{p.label}</legend>
      <MetadataPicker type={p.type} label={p.label} multiple={false} selected={p.value ? [p.value.id] : []} selectedItems={p.value ? [p.value] : []} onChange={(items) => p.onChange(items[0] ?? null)} {...(p.linkedTo ? { linkedTo: p.linkedTo } : {})} />
      <div className="muted small">
        {p.value ? (
          <>
            Chosen: {p.value.name}{' '}
            <button type="button" className="button small" onClick={() => p.onChange(null)} aria-label={`Clear ${p.label.toLowerCase()}`}>
              Clear
            </button>
          </>
        ) : (
          p.hint
        )}
      </div>
    </fieldset>
  );
}

function OrgUnitField(p: { value: Picked | null; mode: OrgUnitMode; onChange: (v: Picked | null) => void; onMode: (m: OrgUnitMode) => void }) {
  return (
    <fieldset className="field">
      <legend>Organisation unit</legend>
      <OrgUnitTree selected={p.value ? [p.value.id] : []} onToggle={(n, on) => p.onChange(on ? { id: n.uid, name: n.name ?? n.code ?? n.uid } : null)} />
      <div className="muted small">{p.value ? `Chosen: ${p.value.name}` : 'None chosen: every organisation unit.'}</div>
      <RadioField<OrgUnitMode> name="orgUnitMode" label="Inclusion" value={p.mode} onChange={p.onMode} choices={MODES} />
    </fieldset>
  );
}

function Wizard<O extends object>(p: { title: string; test: string; s: ExportWizardState<O>; formats: Choice<string>[]; children: ReactNode; advanced: ReactNode }) {
  const { s } = p;
  return (
    <div className="screen" data-test={p.test}>
      <h1>{p.title}</h1>
      <Steps steps={['Options', 'Export', 'Result']} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
      {s.step === 'edit' ? (
        <section className="card">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void s.start();
            }}
          >
            {p.children}
            <div className="options-grid">
              <RadioField<ExportFormat> name="format" label="Format" value={s.format} onChange={s.setFormat} choices={p.formats} />
              <CompressionField format={s.format} value={s.compression} onChange={s.setCompression} />
            </div>
            <details className="advanced">
              <summary>Advanced options</summary>
              <div className="options-grid">{p.advanced}</div>
            </details>
            <ExportActionBar label="Export…" formError={s.formError} suggestedName={s.defaultName()} />
          </form>
        </section>
      ) : (
        <ExportRun s={s} />
      )}
    </div>
  );
}

export function EventsExportScreen() {
  const s = useEventsExport();
  const formats = useApp((a) => a.formats);
  const o = s.options;
  return (
    <Wizard title="Event export" test="wizard-export-events" s={s} formats={formatChoices(formats, 'events', 'writes')} advanced={
      <>
        <CheckboxField name="includeDeleted" label="Include deleted events" checked={o.includeDeleted} onChange={(v) => s.setOption('includeDeleted', v)} />
        <DateField name="lastUpdated" label="Changed since" value={o.lastUpdated} onChange={(v) => s.setOption('lastUpdated', v)} help="Only events added or changed on or after this day. Leave empty for all." />
        <IdSchemeField option="dataElementIdScheme" base={EVENT_SCHEMES} value={o.dataElementIdScheme} onChange={(v) => s.setOption('dataElementIdScheme', v)} />
        <IdSchemeField option="orgUnitIdScheme" base={EVENT_SCHEMES} value={o.orgUnitIdScheme} onChange={(v) => s.setOption('orgUnitIdScheme', v)} />
      </>
    }>
      <div className="two-col">
        <OrgUnitField value={o.orgUnit} mode={o.orgUnitMode} onChange={(v) => s.setOption('orgUnit', v)} onMode={(m) => s.setOption('orgUnitMode', m)} />
        <div>
          <PickOne type="programs" label="Program" value={o.program} onChange={(v) => s.patchOptions({ program: v, programStage: null })} hint="None chosen: every program." />
          {o.program && <PickOne type="programStages" label="Program stage" linkedTo={o.program.id} value={o.programStage} onChange={(v) => s.setOption('programStage', v)} hint={`None chosen: all stages of ${o.program.name}.`} />}
        </div>
      </div>
      <div className="options-grid">
        <div className="row">
          <DateField name="startDate" label="Start date" value={o.startDate} onChange={(v) => s.setOption('startDate', v)} help="Events occurred on or after this day (empty: no limit)." />
          <DateField name="endDate" label="End date" value={o.endDate} onChange={(v) => s.setOption('endDate', v)} help="On or before this day (empty: no limit)." />
        </div>
        <IdSchemeField
          option="idScheme"
          of="events"
          base={EVENT_SCHEMES}
          value={o.idScheme}
          onChange={(v) => s.setOption('idScheme', v)}
          help="With Code, objects that have no code are left out of the file (as DHIS2 does); the result says how many."
        />
      </div>
    </Wizard>
  );
}

export function TrackedEntitiesExportScreen() {
  const s = useTrackedEntitiesExport();
  const formats = useApp((a) => a.formats);
  const o = s.options;
  // the 2.40 formats hold events only
  const choices = formatChoices(formats, 'events', 'writes').filter((c) => c.value === 'json' || c.value === 'csv');
  return (
    <Wizard title="Tracked entity export" test="wizard-export-tracked-entities" s={s} formats={choices} advanced={
      <>
        <CheckboxField name="includeDeleted" label="Include deleted tracked entities" checked={o.includeDeleted} onChange={(v) => s.setOption('includeDeleted', v)} />
        <DateField name="lastUpdated" label="Changed since" value={o.lastUpdated} onChange={(v) => s.setOption('lastUpdated', v)} help="Leave empty for all." />
        <IdSchemeField option="idScheme" of="trackedEntities" base={EVENT_SCHEMES} value={o.idScheme} onChange={(v) => s.setOption('idScheme', v)} />
      </>
    }>
      <div className="two-col">
        <OrgUnitField value={o.orgUnit} mode={o.orgUnitMode} onChange={(v) => s.setOption('orgUnit', v)} onMode={(m) => s.setOption('orgUnitMode', m)} />
        <div>
          <RadioField<'program' | 'trackedEntityType'>
            name="filterBy"
            label="Filter by"
            value={o.filterBy}
            onChange={(v) => s.setOption('filterBy', v)}
            choices={[
              { value: 'program', label: 'Program' },
              { value: 'trackedEntityType', label: 'Tracked entity type' },
            ]}
          />
          {o.filterBy === 'program' ? (
            <PickOne type="programs" label="Program" value={o.program} onChange={(v) => s.setOption('program', v)} hint="None chosen: every program." />
          ) : (
            <PickOne type="trackedEntityTypes" label="Tracked entity type" value={o.trackedEntityType} onChange={(v) => s.setOption('trackedEntityType', v)} hint="None chosen: every type." />
          )}
        </div>
      </div>
    </Wizard>
  );
}
