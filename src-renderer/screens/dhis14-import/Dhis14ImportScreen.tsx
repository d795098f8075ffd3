/**
 * DHIS 1.4 import (issue 8): an Access database (.mdb) or a 1.4 XML export zip, in the old importer's three steps —
 * Analyse (the integrity report, nothing written), Preview (what would be created, updated or left alone per object
 * type, with the values count: a dry run), Import. Last updated makes an incremental import of the values added or
 * edited since an earlier import.
 */
import { useEffect, useRef } from 'react';
import type { Dhis14ImportSummary, Dhis14Mode, Dhis14Report } from '../../../src-shared/dhis14-report.ts';
import { isDhis14Summary } from '../../../src-shared/dhis14-report.ts';
import { CheckboxField, DateField, SelectField } from '../../components/Fields.tsx';
import { FilePicker } from '../../components/FilePicker.tsx';
import { FocusHeading } from '../../components/FocusHeading.tsx';
import { JobProgress } from '../../components/JobProgress.tsx';
import { Notice } from '../../components/Notice.tsx';
import { Steps } from '../../components/Steps.tsx';
import { fmtNumber } from '../../components/format.ts';
import { useDhis14Import } from '../../stores/dhis14-import.ts';

const TYPE_LABELS: Record<string, string> = {
  dataElements: 'Data elements',
  indicatorTypes: 'Indicator types',
  indicators: 'Indicators',
  dataElementGroups: 'Data element groups',
  indicatorGroups: 'Indicator groups',
  organisationUnits: 'Organisation units',
  organisationUnitGroups: 'Org unit groups',
  organisationUnitGroupSets: 'Org unit group sets',
  dataSets: 'Data sets',
};
const MODE_TITLES: Record<Dhis14Mode, string> = { analyse: 'Analysis (nothing was written)', preview: 'Preview (nothing was changed)', import: 'Import summary' };

function ModeButtons({ busy }: { busy: boolean }) {
  const s = useDhis14Import();
  const go = (mode: Dhis14Mode) => {
    s.setOption('mode', mode);
    void s.start(mode === 'preview');
  };
  return (
    <div className="button-row">
      <button type="button" className="button" disabled={busy || !s.files.length} onClick={() => go('analyse')} data-test="dhis14-analyse">
        Analyse
      </button>
      <button type="button" className="button" disabled={busy || !s.files.length} onClick={() => go('preview')} data-test="dhis14-preview">
        Preview
      </button>
      <button type="button" className="button primary" disabled={busy || !s.files.length} onClick={() => go('import')} data-test="dhis14-import">
        Import
      </button>
    </div>
  );
}

function Options() {
  const s = useDhis14Import();
  const o = s.options;
  return (
    <div className="options-grid">
      <div className="row">
        <div className="field">
          <label htmlFor="d14-user">User name</label>
          <input id="d14-user" name="user" value={o.user} autoComplete="off" onChange={(e) => s.setOption('user', e.target.value)} />
          <div className="help">Only for a protected 1.4 database.</div>
        </div>
        <div className="field">
          <label htmlFor="d14-password">Password</label>
          <input id="d14-password" name="password" type="password" value={o.password} autoComplete="off" onChange={(e) => s.setOption('password', e.target.value)} />
        </div>
      </div>
      <SelectField
        name="levels"
        label="Levels"
        value={o.levels}
        onChange={(v) => s.setOption('levels', v)}
        choices={['1', '2', '3', '4', '5', '6', '7', '8'].map((v) => ({ value: v, label: v }))}
        help="The number of levels in the 1.4 org unit hierarchy (e.g. 5). The hierarchy itself comes from the file; Analyse warns when it is deeper."
      />
      <DateField
        name="lastUpdated"
        label="Last updated"
        value={o.lastUpdated}
        onChange={(v) => s.setOption('lastUpdated', v)}
        help="Only values added or edited in 1.4 after this date (RoutineData and SemiPermanentData LastUpdated): for an incremental import into a database that already holds the earlier ones. Empty: all values."
      />
      <CheckboxField
        name="dataValues"
        label="Import data values"
        checked={o.dataValues}
        onChange={(v) => s.setOption('dataValues', v)}
        help="Off: metadata only (also for an XML export without RoutineData.txt)."
      />
    </div>
  );
}

export function Dhis14ReportView({ summary }: { summary: Dhis14ImportSummary }) {
  const r: Dhis14Report = summary.dhis14;
  const v = r.values;
  return (
    <div className="dhis14-report" data-test="dhis14-report" data-mode={r.mode}>
      <p className="muted">
        {r.file} ({r.format === 'mdb' ? 'Access database' : '1.4 XML export'}){r.lastUpdated ? ` — values last updated after ${r.lastUpdated.replace('T00:00:00', '')}` : ''}
      </p>
      {r.mode !== 'analyse' && r.objects.length > 0 && (
        <table className="table" data-test="dhis14-objects">
          <caption>Metadata</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">{r.mode === 'preview' ? 'Would be created' : 'Created'}</th>
              <th scope="col">{r.mode === 'preview' ? 'Would be updated' : 'Updated'}</th>
              <th scope="col">Unchanged</th>
              <th scope="col">Refused</th>
            </tr>
          </thead>
          <tbody>
            {r.objects.map((o) => (
              <tr key={o.type} data-test={`dhis14-type-${o.type}`}>
                <th scope="row">{TYPE_LABELS[o.type] ?? o.type}</th>
                <td data-col="created">{fmtNumber(o.created)}</td>
                <td data-col="updated">{fmtNumber(o.updated)}</td>
                <td data-col="unchanged">{fmtNumber(o.unchanged)}</td>
                <td data-col="ignored">{fmtNumber(o.ignored)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <dl className="facts" data-test="dhis14-values">
        <dt>Values read</dt>
        <dd data-test="dhis14-values-read">{fmtNumber(v.read)}</dd>
        {r.mode !== 'analyse' && (
          <>
            <dt>{r.mode === 'preview' ? 'Would be imported' : 'Imported'}</dt>
            <dd data-test="dhis14-values-imported">{fmtNumber(v.imported)}</dd>
            <dt>{r.mode === 'preview' ? 'Would be updated' : 'Updated'}</dt>
            <dd data-test="dhis14-values-updated">{fmtNumber(v.updated)}</dd>
            <dt>Unchanged</dt>
            <dd data-test="dhis14-values-unchanged">{fmtNumber(v.unchanged)}</dd>
          </>
        )}
        <dt>Not imported</dt>
        <dd data-test="dhis14-values-skipped">{fmtNumber(v.skipped)}</dd>
      </dl>
      {r.issues.length > 0 ? (
        <table className="table" data-test="dhis14-issues">
          <caption>{r.mode === 'analyse' ? 'Integrity report' : 'Found while importing'}</caption>
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Count</th>
              <th scope="col">Examples</th>
            </tr>
          </thead>
          <tbody>
            {r.issues.map((i) => (
              <tr key={i.code} data-test={`dhis14-issue-${i.code}`}>
                <td>{i.message}</td>
                <td data-col="count">{fmtNumber(i.count)}</td>
                <td className="small">{i.examples.slice(0, 3).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Notice kind="info">No integrity problem found.</Notice>
      )}
      <details>
        <summary>Not carried over from 1.4</summary>
        <ul className="small">
          {r.skipped.map((k) => (
            <li key={k.what}>
              {k.what}
              {k.count ? ` (${fmtNumber(k.count)} in this file)` : ''}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

export function Dhis14ImportScreen() {
  const s = useDhis14Import();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (s.step !== 'run') headingRef.current?.focus();
  }, [s.step]);
  const record = s.run.record;
  const summary = record?.summary;
  const running = s.step === 'run' && s.run.phase !== 'finished';
  const stepIndex = s.step === 'files' ? 0 : s.step === 'options' ? 1 : running ? 2 : 3;
  return (
    <div className="screen" data-test="wizard-dhis14">
      <h1>DHIS 1.4 import</h1>
      <Steps steps={['File', 'Settings', 'Run', 'Report']} current={stepIndex} />
      {s.step === 'files' && (
        <section className="card">
          <h2 tabIndex={-1} ref={headingRef}>
            Choose the DHIS 1.4 file
          </h2>
          <div className="intro">
            <p>The DHIS 1.4 Access database (the .mdb file, e.g. DHIS_#SAMPLE.mdb), or an XML export made by DHIS 1.4 (a zip holding the .xml and RoutineData.txt).</p>
            <p className="muted small">Analyse it first: resolve what the integrity report shows in DHIS 1.4, then Preview, then Import.</p>
          </div>
          <FilePicker
            files={s.files}
            multiple={false}
            extensions={['mdb', 'zip', 'xml']}
            error={s.fileError}
            onChoose={() => void s.chooseFiles()}
            onPaths={(paths) => void s.addPaths(paths)}
            onRemove={s.removeFile}
          />
          <div className="button-row">
            <button type="button" className="button primary" disabled={!s.files.length} onClick={() => s.setStep('options')} data-test="next">
              Next: settings
            </button>
          </div>
        </section>
      )}
      {s.step === 'options' && (
        <section className="card">
          <h2 tabIndex={-1} ref={headingRef}>
            Settings
          </h2>
          <p className="muted">{s.files[0]?.name}</p>
          <Options />
          <div className="button-row">
            <button type="button" className="button" onClick={() => s.setStep('files')}>
              Back
            </button>
          </div>
          <ModeButtons busy={false} />
        </section>
      )}
      {running && <JobProgress run={s.run} title={s.options.mode === 'analyse' ? 'Analysing' : s.options.mode === 'preview' ? 'Preview in progress' : 'Import in progress'} onCancel={() => void s.cancel()} />}
      {s.step === 'run' && s.run.phase === 'finished' && (
        <section className="card" data-test="summary-card">
          <FocusHeading>{MODE_TITLES[s.options.mode]}</FocusHeading>
          {s.run.error && (
            <Notice kind="error" title="The import could not start">
              <span data-test="job-error">{s.run.error}</span>
            </Notice>
          )}
          {record?.status === 'failed' && (
            <Notice kind="error" title="The file could not be imported">
              <span data-test="job-error">{record.error?.message ?? 'failed'}</span>
            </Notice>
          )}
          {isDhis14Summary(summary) && <Dhis14ReportView summary={summary} />}
          <ModeButtons busy={false} />
          <div className="button-row">
            <button type="button" className="button" onClick={() => s.setStep('options')} data-test="back-to-options">
              Change settings
            </button>
            <button type="button" className="button" onClick={s.reset} data-test="new-import">
              New import
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
