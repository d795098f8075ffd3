/**
 * DHIS 1.4 import (issue 8): an Access database (.mdb) or a 1.4 XML export zip, in the old importer's three steps —
 * Analyse (the integrity report, nothing written), Preview (what would be created, updated or left alone per object
 * type, with the values count: a dry run), Import. Last updated makes an incremental import of the values added or
 * edited since an earlier import.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
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
import { errorText } from '../../api.ts';

/** The object types a 1.4 import reports (anything else is shown by its DXF2 name). */
const TYPES = ['dataElements', 'indicatorTypes', 'indicators', 'dataElementGroups', 'indicatorGroups', 'organisationUnits', 'organisationUnitGroups', 'organisationUnitGroupSets', 'dataSets'] as const;
const isKnownType = (x: string): x is (typeof TYPES)[number] => (TYPES as readonly string[]).includes(x);

function ModeButtons({ busy }: { busy: boolean }) {
  const { t } = useTranslation(['imports', 'common']);
  const s = useDhis14Import();
  const go = (mode: Dhis14Mode) => {
    s.setOption('mode', mode);
    void s.start(mode === 'preview');
  };
  return (
    <div className="button-row">
      <button type="button" className="button" disabled={busy || !s.files.length} onClick={() => go('analyse')} data-test="dhis14-analyse">
        {t('dhis14.analyse')}
      </button>
      <button type="button" className="button" disabled={busy || !s.files.length} onClick={() => go('preview')} data-test="dhis14-preview">
        {t('dhis14.preview')}
      </button>
      <button type="button" className="button primary" disabled={busy || !s.files.length} onClick={() => go('import')} data-test="dhis14-import">
        {t('common:import')}
      </button>
    </div>
  );
}

function Options() {
  const { t } = useTranslation(['imports', 'common']);
  const s = useDhis14Import();
  const o = s.options;
  return (
    <div className="options-grid">
      <div className="row">
        <div className="field">
          <label htmlFor="d14-user">{t('dhis14.user')}</label>
          <input id="d14-user" name="user" value={o.user} autoComplete="off" onChange={(e) => s.setOption('user', e.target.value)} />
          <div className="help">{t('dhis14.userHelp')}</div>
        </div>
        <div className="field">
          <label htmlFor="d14-password">{t('dhis14.password')}</label>
          <input id="d14-password" name="password" type="password" value={o.password} autoComplete="off" onChange={(e) => s.setOption('password', e.target.value)} />
        </div>
      </div>
      <SelectField
        name="levels"
        label={t('dhis14.levels')}
        value={o.levels}
        onChange={(v) => s.setOption('levels', v)}
        choices={['1', '2', '3', '4', '5', '6', '7', '8'].map((v) => ({ value: v, label: v }))}
        help={t('dhis14.levelsHelp')}
      />
      <DateField
        name="lastUpdated"
        label={t('dhis14.lastUpdated')}
        value={o.lastUpdated}
        onChange={(v) => s.setOption('lastUpdated', v)}
        help={t('dhis14.lastUpdatedHelp')}
      />
      <CheckboxField
        name="dataValues"
        label={t('dhis14.dataValues')}
        checked={o.dataValues}
        onChange={(v) => s.setOption('dataValues', v)}
        help={t('dhis14.dataValuesHelp')}
      />
    </div>
  );
}

export function Dhis14ReportView({ summary }: { summary: Dhis14ImportSummary }) {
  const { t } = useTranslation(['imports', 'common']);
  const r: Dhis14Report = summary.dhis14;
  const preview = r.mode === 'preview';
  const v = r.values;
  return (
    <div className="dhis14-report" data-test="dhis14-report" data-mode={r.mode}>
      <p className="muted">
        {r.file} ({t(r.format === 'mdb' ? 'dhis14.report.mdb' : 'dhis14.report.xml')})
        {r.lastUpdated ? t('dhis14.report.lastUpdated', { date: r.lastUpdated.replace('T00:00:00', '') }) : ''}
      </p>
      {r.mode !== 'analyse' && r.objects.length > 0 && (
        <table className="table" data-test="dhis14-objects">
          <caption>{t('dhis14.report.metadata')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dhis14.report.type')}</th>
              <th scope="col">{t(preview ? 'dhis14.report.wouldCreate' : 'dhis14.report.created')}</th>
              <th scope="col">{t(preview ? 'dhis14.report.wouldUpdate' : 'dhis14.report.updated')}</th>
              <th scope="col">{t('dhis14.report.unchanged')}</th>
              <th scope="col">{t('dhis14.report.refused')}</th>
            </tr>
          </thead>
          <tbody>
            {r.objects.map((o) => (
              <tr key={o.type} data-test={`dhis14-type-${o.type}`}>
                <th scope="row">{isKnownType(o.type) ? t(`dhis14.type.${o.type}`) : o.type}</th>
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
        <dt>{t('dhis14.report.valuesRead')}</dt>
        <dd data-test="dhis14-values-read">{fmtNumber(v.read)}</dd>
        {r.mode !== 'analyse' && (
          <>
            <dt>{t(preview ? 'dhis14.report.wouldImport' : 'dhis14.report.imported')}</dt>
            <dd data-test="dhis14-values-imported">{fmtNumber(v.imported)}</dd>
            <dt>{t(preview ? 'dhis14.report.valuesWouldUpdate' : 'dhis14.report.valuesUpdated')}</dt>
            <dd data-test="dhis14-values-updated">{fmtNumber(v.updated)}</dd>
            <dt>{t('dhis14.report.valuesUnchanged')}</dt>
            <dd data-test="dhis14-values-unchanged">{fmtNumber(v.unchanged)}</dd>
          </>
        )}
        <dt>{t('dhis14.report.notImported')}</dt>
        <dd data-test="dhis14-values-skipped">{fmtNumber(v.skipped)}</dd>
      </dl>
      {r.issues.length > 0 ? (
        <table className="table" data-test="dhis14-issues">
          <caption>{t(r.mode === 'analyse' ? 'dhis14.report.integrity' : 'dhis14.report.found')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dhis14.report.what')}</th>
              <th scope="col">{t('dhis14.report.count')}</th>
              <th scope="col">{t('dhis14.report.examples')}</th>
            </tr>
          </thead>
          <tbody>
            {r.issues.map((i) => (
              <tr key={i.code} data-test={`dhis14-issue-${i.code}`}>
                <td>{errorText({ message: i.message, details: i })}</td>
                <td data-col="count">{fmtNumber(i.count)}</td>
                <td className="small">{i.examples.slice(0, 3).map((e, k) => errorText({ message: e, details: i.exampleDetails?.[k] ?? {} })).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <Notice kind="info">{t('dhis14.report.noIssue')}</Notice>
      )}
      <details>
        <summary>{t('dhis14.report.notCarried')}</summary>
        <ul className="small">
          {r.skipped.map((k) => (
            <li key={k.what}>
              {errorText({ message: k.what, details: k })}
              {k.count ? t('dhis14.report.inThisFile', { n: k.count }) : ''}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}

export function Dhis14ImportScreen() {
  const { t } = useTranslation(['imports', 'common']);
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
      <h1>{t('dhis14.title')}</h1>
      <Steps steps={[t('dhis14.step.file'), t('dhis14.step.settings'), t('dhis14.step.run'), t('dhis14.step.report')]} current={stepIndex} />
      {s.step === 'files' && (
        <section className="card">
          <h2 tabIndex={-1} ref={headingRef}>
            {t('dhis14.chooseFile')}
          </h2>
          <div className="intro">
            <p>{t('dhis14.intro')}</p>
            <p className="muted small">{t('dhis14.introOrder')}</p>
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
              {t('dhis14.nextSettings')}
            </button>
          </div>
        </section>
      )}
      {s.step === 'options' && (
        <section className="card">
          <h2 tabIndex={-1} ref={headingRef}>
            {t('dhis14.settings')}
          </h2>
          <p className="muted">{s.files[0]?.name}</p>
          <Options />
          <div className="button-row">
            <button type="button" className="button" onClick={() => s.setStep('files')}>
              {t('common:back')}
            </button>
          </div>
          <ModeButtons busy={false} />
        </section>
      )}
      {running && <JobProgress run={s.run} title={t(`dhis14.progress.${s.options.mode}`)} onCancel={() => void s.cancel()} />}
      {s.step === 'run' && s.run.phase === 'finished' && (
        <section className="card" data-test="summary-card">
          <FocusHeading>{t(`dhis14.mode.${s.options.mode}`)}</FocusHeading>
          {s.run.error && (
            <Notice kind="error" title={t('dhis14.couldNotStart')}>
              <span data-test="job-error">{s.run.error}</span>
            </Notice>
          )}
          {record?.status === 'failed' && (
            <Notice kind="error" title={t('dhis14.failed')}>
              <span data-test="job-error">
                {/* an XML export without its data file: what to do in this screen's words (the engine's message names the CLI flag) */}
                {record.error?.details?.reason === 'noDataFile'
                  ? t('dhis14.noDataFile', { file: String(record.error.details.file ?? s.files[0]?.name ?? '') })
                  : record.error
                    ? errorText(record.error)
                    : t('dhis14.failedNoReason')}
              </span>
            </Notice>
          )}
          {isDhis14Summary(summary) && <Dhis14ReportView summary={summary} />}
          <ModeButtons busy={false} />
          <div className="button-row">
            <button type="button" className="button" onClick={() => s.setStep('options')} data-test="back-to-options">
              {t('dhis14.changeSettings')}
            </button>
            <button type="button" className="button" onClick={s.reset} data-test="new-import">
              {t('dhis14.newImport')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
