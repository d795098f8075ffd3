/**
 * Event export (DHIS2's Event export page, spec §9.1) and tracked entity export: one org unit with its inclusion,
 * program and stage (or all), start and end date, id scheme UID or CODE, include deleted, changed since; format —
 * tracker JSON/CSV or, for servers on 2.40 and older, the old events JSON/XML/CSV — and compression.
 */
import { ExportActionBar } from '../../components/ExportActionBar.tsx';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckboxField, DateField, IdSchemeField, RadioField, type Choice } from '../../components/Fields.tsx';
import { CompressionField } from '../../components/CompressionField.tsx';
import { ExportRun } from '../../components/ExportRun.tsx';
import { MetadataPicker } from '../../components/MetadataPicker.tsx';
import { OrgUnitTree } from '../../components/OrgUnitTree.tsx';
import { Steps } from '../../components/Steps.tsx';
import type { ExportFormat, ExportWizardState, OrgUnitMode } from '../../stores/exports.ts';
import { useEventsExport, useTrackedEntitiesExport, type Picked } from '../../stores/events-export.ts';
import { formatChoices, useApp } from '../../stores/app.ts';

const MODES: { value: OrgUnitMode; key: 'eventsExport.mode.selected' | 'eventsExport.mode.children' | 'eventsExport.mode.descendants' }[] = [
  { value: 'SELECTED', key: 'eventsExport.mode.selected' },
  { value: 'CHILDREN', key: 'eventsExport.mode.children' },
  { value: 'DESCENDANTS', key: 'eventsExport.mode.descendants' },
];
/** DHIS2's event export offers UID and Code (and the unique attributes) */
const EVENT_SCHEMES = ['UID', 'CODE'] as const;

/** One picked object (or none) with a button to clear it. */
function PickOne(p: { type: string; label: string; value: Picked | null; onChange: (v: Picked | null) => void; hint: string; linkedTo?: string }) {
  const { t } = useTranslation('exports');
  return (
    <fieldset className="field">
      <legend>{p.label}</legend>
      <MetadataPicker type={p.type} label={p.label} multiple={false} selected={p.value ? [p.value.id] : []} selectedItems={p.value ? [p.value] : []} onChange={(items) => p.onChange(items[0] ?? null)} {...(p.linkedTo ? { linkedTo: p.linkedTo } : {})} />
      <div className="muted small">
        {p.value ? (
          <>
            {t('eventsExport.chosen', { name: p.value.name })}{' '}
            <button type="button" className="button small" onClick={() => p.onChange(null)} aria-label={t('eventsExport.clearLabel', { what: p.label.toLowerCase() })}>
              {t('eventsExport.clear')}
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
  const { t } = useTranslation('exports');
  return (
    <fieldset className="field">
      <legend>{t('eventsExport.orgUnit')}</legend>
      <OrgUnitTree selected={p.value ? [p.value.id] : []} onToggle={(n, on) => p.onChange(on ? { id: n.uid, name: n.name ?? n.code ?? n.uid } : null)} />
      <div className="muted small">{p.value ? t('eventsExport.chosen', { name: p.value.name }) : t('eventsExport.orgUnit.none')}</div>
      <RadioField<OrgUnitMode> name="orgUnitMode" label={t('eventsExport.inclusion')} value={p.mode} onChange={p.onMode} choices={MODES.map((m) => ({ value: m.value, label: t(m.key) }))} />
    </fieldset>
  );
}

function Wizard<O extends object>(p: { title: string; test: string; s: ExportWizardState<O>; formats: Choice<string>[]; children: ReactNode; advanced: ReactNode }) {
  const { s } = p;
  const { t } = useTranslation('exports');
  return (
    <div className="screen" data-test={p.test}>
      <h1>{p.title}</h1>
      <Steps steps={[t('wizard.step.options'), t('wizard.step.export'), t('wizard.step.result')]} current={s.step === 'edit' ? 0 : s.run.phase === 'finished' ? 2 : 1} />
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
              <RadioField<ExportFormat> name="format" label={t('wizard.format')} value={s.format} onChange={s.setFormat} choices={p.formats} />
              <CompressionField format={s.format} value={s.compression} onChange={s.setCompression} />
            </div>
            <details className="advanced">
              <summary>{t('wizard.advanced')}</summary>
              <div className="options-grid">{p.advanced}</div>
            </details>
            <ExportActionBar label={t('wizard.exportButton')} formError={s.formError} suggestedName={s.defaultName()} />
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
  const { t } = useTranslation('exports');
  return (
    <Wizard title={t('eventsExport.title')} test="wizard-export-events" s={s} formats={formatChoices(formats, 'events', 'writes')} advanced={
      <>
        <CheckboxField name="includeDeleted" label={t('eventsExport.includeDeleted')} checked={o.includeDeleted} onChange={(v) => s.setOption('includeDeleted', v)} />
        <DateField name="lastUpdated" label={t('wizard.changedSince')} value={o.lastUpdated} onChange={(v) => s.setOption('lastUpdated', v)} help={t('eventsExport.changedSince.help')} />
        <IdSchemeField option="dataElementIdScheme" base={EVENT_SCHEMES} value={o.dataElementIdScheme} onChange={(v) => s.setOption('dataElementIdScheme', v)} />
        <IdSchemeField option="orgUnitIdScheme" base={EVENT_SCHEMES} value={o.orgUnitIdScheme} onChange={(v) => s.setOption('orgUnitIdScheme', v)} />
      </>
    }>
      <div className="two-col">
        <OrgUnitField value={o.orgUnit} mode={o.orgUnitMode} onChange={(v) => s.setOption('orgUnit', v)} onMode={(m) => s.setOption('orgUnitMode', m)} />
        <div>
          <PickOne type="programs" label={t('eventsExport.program')} value={o.program} onChange={(v) => s.patchOptions({ program: v, programStage: null })} hint={t('eventsExport.program.none')} />
          {o.program && <PickOne type="programStages" label={t('eventsExport.programStage')} linkedTo={o.program.id} value={o.programStage} onChange={(v) => s.setOption('programStage', v)} hint={t('eventsExport.programStage.none', { program: o.program.name })} />}
        </div>
      </div>
      <div className="options-grid">
        <div className="row">
          <DateField name="startDate" label={t('wizard.startDate')} value={o.startDate} onChange={(v) => s.setOption('startDate', v)} help={t('eventsExport.startDate.help')} />
          <DateField name="endDate" label={t('wizard.endDate')} value={o.endDate} onChange={(v) => s.setOption('endDate', v)} help={t('eventsExport.endDate.help')} />
        </div>
        <IdSchemeField
          option="idScheme"
          of="events"
          base={EVENT_SCHEMES}
          value={o.idScheme}
          onChange={(v) => s.setOption('idScheme', v)}
          help={t('eventsExport.idScheme.help')}
        />
      </div>
    </Wizard>
  );
}

export function TrackedEntitiesExportScreen() {
  const s = useTrackedEntitiesExport();
  const formats = useApp((a) => a.formats);
  const o = s.options;
  const { t } = useTranslation('exports');
  // the 2.40 formats hold events only
  const choices = formatChoices(formats, 'events', 'writes').filter((c) => c.value === 'json' || c.value === 'csv');
  return (
    <Wizard title={t('trackedEntitiesExport.title')} test="wizard-export-tracked-entities" s={s} formats={choices} advanced={
      <>
        <CheckboxField name="includeDeleted" label={t('trackedEntitiesExport.includeDeleted')} checked={o.includeDeleted} onChange={(v) => s.setOption('includeDeleted', v)} />
        <DateField name="lastUpdated" label={t('wizard.changedSince')} value={o.lastUpdated} onChange={(v) => s.setOption('lastUpdated', v)} help={t('trackedEntitiesExport.changedSince.help')} />
        <IdSchemeField option="idScheme" of="trackedEntities" base={EVENT_SCHEMES} value={o.idScheme} onChange={(v) => s.setOption('idScheme', v)} />
      </>
    }>
      <div className="two-col">
        <OrgUnitField value={o.orgUnit} mode={o.orgUnitMode} onChange={(v) => s.setOption('orgUnit', v)} onMode={(m) => s.setOption('orgUnitMode', m)} />
        <div>
          <RadioField<'program' | 'trackedEntityType'>
            name="filterBy"
            label={t('trackedEntitiesExport.filterBy')}
            value={o.filterBy}
            onChange={(v) => s.setOption('filterBy', v)}
            choices={[
              { value: 'program', label: t('eventsExport.program') },
              { value: 'trackedEntityType', label: t('trackedEntitiesExport.trackedEntityType') },
            ]}
          />
          {o.filterBy === 'program' ? (
            <PickOne type="programs" label={t('eventsExport.program')} value={o.program} onChange={(v) => s.setOption('program', v)} hint={t('eventsExport.program.none')} />
          ) : (
            <PickOne type="trackedEntityTypes" label={t('trackedEntitiesExport.trackedEntityType')} value={o.trackedEntityType} onChange={(v) => s.setOption('trackedEntityType', v)} hint={t('trackedEntitiesExport.trackedEntityType.none')} />
          )}
        </div>
      </div>
    </Wizard>
  );
}
